"""Warnings met while ``annexa watch`` runs, kept for the screen and for after it.

``annexa scan`` prints a warning (the cache could not be used, no reader
process could start) on stderr as it happens. Under the watch screen stderr
is not seen, so a warning given then was lost, and with it the reason a
whole day's checks ran slow. ``Notices`` collects them from any thread: the
screen shows each in its activity log and its header as it comes, and the
command line prints them again, one line each, once the screen is gone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

Listener = Callable[[str], object]


class Notices:
    """Warnings in the order given, each once; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: list[str] = []
        self._listeners: list[Listener] = []

    def add(self, message: str) -> None:
        """Keep a warning and tell every listener, unless it was given before."""
        with self._lock:
            if message in self._messages:
                return
            self._messages.append(message)
            listeners = list(self._listeners)
        for listener in listeners:
            listener(message)

    def listen(self, listener: Listener) -> None:
        """Call ``listener`` with every warning given from now on, and at once with those before."""
        with self._lock:
            self._listeners.append(listener)
            earlier = list(self._messages)
        for message in earlier:
            listener(message)

    @property
    def messages(self) -> tuple[str, ...]:
        with self._lock:
            return tuple(self._messages)
