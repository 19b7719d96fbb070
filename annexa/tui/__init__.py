"""``annexa watch``: the live terminal screen for the people who keep the folder.

``run_watch`` is what the command line calls. Textual is imported here and
in the modules below only; the core never imports it.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from annexa.spec.rules import Spec
from annexa.watch.notices import Notices

if TYPE_CHECKING:
    from annexa.pipeline import FactsCache, Scanner


def run_watch(
    root: Path,
    spec: Spec,
    *,
    as_of: dt.date | None,
    poll: float | None,
    spec_path: Path | None,
    cache: FactsCache | None = None,
    scanner: Scanner | None = None,
    notices: Notices | None = None,
    stop_signals: Sequence[int] = (),
) -> int:
    """Run the watch screen until the user quits; returns the exit code.

    ``as_of=None`` follows the clock (the app re-judges at midnight);
    ``poll=None`` picks native events or polling by the kind of folder;
    ``spec_path`` is the user's spec file, reloaded when it changes.
    ``cache`` (a FactsCache) is used by the Scanner made here; ``scanner``
    replaces that Scanner altogether (tests, other front ends).
    ``notices`` collects warnings given while watching (the cache's, given
    to it by the caller, and the Scanner's made here), which the screen shows;
    ``stop_signals`` quit the screen as q does (the code is then 128 + the
    signal's number), so the terminal is restored.
    """
    root = Path(root)
    if not root.is_dir():
        print(f"annexa: {root} is not a folder", file=sys.stderr)
        return 2
    from annexa.pipeline import Scanner
    from annexa.tui.app import WatchApp, spec_label

    if scanner is None:
        scanner = Scanner(root, spec, cache=cache, warn=notices.add if notices else None)
    app = WatchApp(
        root,
        scanner,
        spec_label=spec_label(spec.name, spec_path),
        as_of=as_of,
        poll=poll,
        spec_path=spec_path,
        interrupt=scanner.interrupt,
        notices=notices,
        stop_signals=stop_signals,
    )
    try:
        code = app.run()
    except KeyboardInterrupt:  # SIGINT from outside the terminal
        code = 130
    finally:
        app.shutdown()
    return code if isinstance(code, int) else (app.return_code or 0)


__all__ = ["run_watch"]
