"""Watching ROOT for ``annexa watch``: events or polling, debounced, supervised.

No user interface here: the Textual app (``annexa.tui``) listens to the
callbacks of ``FolderWatcher`` and ``ScanSession``, and tests can drive them
without a terminal.
"""

from annexa.watch.activity import describe_update, summary_line
from annexa.watch.debounce import Changes, Debouncer
from annexa.watch.netfs import network_fs_type
from annexa.watch.session import (
    FolderMissing,
    ReportReady,
    ScanFailed,
    ScanProgress,
    ScanSession,
    ScanStarted,
    SessionEvent,
    SpecInvalid,
    SpecReloaded,
)
from annexa.watch.watcher import FolderWatcher, WatchState

__all__ = [
    "Changes",
    "Debouncer",
    "FolderMissing",
    "FolderWatcher",
    "ReportReady",
    "ScanFailed",
    "ScanProgress",
    "ScanSession",
    "ScanStarted",
    "SessionEvent",
    "SpecInvalid",
    "SpecReloaded",
    "WatchState",
    "describe_update",
    "network_fs_type",
    "summary_line",
]
