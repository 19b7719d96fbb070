"""The watcher is core code: it must work without loading any user interface."""

from __future__ import annotations

import subprocess
import sys


def test_watch_package_imports_neither_textual_nor_rich() -> None:
    code = (
        "import sys, annexa.watch, annexa.watch.watcher, annexa.watch.session;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'));"
        "print(','.join(bad))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
