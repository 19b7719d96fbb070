"""Run a test step as an unprivileged user, for tests about file permissions.

The tests run as root here, and root reads whatever the modes say; a forked
child that drops to ``nobody`` sees permissions as a business support
officer's account would.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable


def as_unprivileged_user(
    function: Callable[..., dict[str, object]], *args: str
) -> dict[str, object]:
    """Run ``function`` in a forked child that has dropped root (root ignores file modes)."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 0
        try:
            os.close(reader)
            os.setgid(65534)
            os.setuid(65534)
            answer = function(*args)
        except BaseException as exc:
            answer = {"error": repr(exc)}
            code = 1
        with os.fdopen(writer, "w") as out:
            json.dump(answer, out, default=str)
        os._exit(code)
    os.close(writer)
    with os.fdopen(reader) as answer_in:
        text = answer_in.read()
    os.waitpid(pid, 0)
    return json.loads(text)
