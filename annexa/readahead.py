"""Work a reader process does ahead for the main one: dating and hashing each file it reads.

On a cold scan the main process dated every document and hashed it for the
cache as it arrived, about a millisecond a file; with two readers feeding
it, it became the bottleneck they waited on. ``read_ahead`` runs in the
reader instead: it reads the facts, dates them under each set of dating
options the spec uses, and hashes the file while it is in the OS's cache,
returning a ``ReadAhead``, a Facts with those two extras. The Scanner files
the dates where evaluation finds them, hands the digest to the cache, and
keeps the plain Facts (``plain``), so nothing downstream ever sees the
extras. A reader that fails (timeout, crash) sends plain Facts, which the
main process dates itself as before. The pool preloads this module (and so
the dating code) in its fork server, so a new reader starts ready.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from annexa.cache import file_digest
from annexa.dating import read_dates
from annexa.extract.read import read_facts
from annexa.model import DocumentDates, Facts, FileEntry
from annexa.spec.rules import DatingOptions


@dataclass(frozen=True, slots=True)
class ReadAhead(Facts):
    """Facts, with the dates read from them and the file's content digest."""

    dates: tuple[tuple[DatingOptions, DocumentDates], ...] = ()
    digest: bytes | None = None

    def plain(self) -> Facts:
        """The Facts alone, as the cache and evaluation expect them."""
        return Facts(**{f.name: getattr(self, f.name) for f in dataclasses.fields(Facts)})


def read_ahead(root: Path, entry: FileEntry, options: tuple[DatingOptions, ...] = ()) -> Facts:
    """``read_facts``, then dating and hashing, for a reader process. Never raises."""
    facts = read_facts(root, entry)
    try:
        dates = tuple((o, read_dates(facts, entry.path, o, entry.mtime_ns)) for o in options)
        digest = file_digest(str(Path(root) / entry.path), entry.size, entry.mtime_ns)
    except Exception:  # the main process will date it; a scan must not fail here
        return facts
    return ReadAhead(
        **{f.name: getattr(facts, f.name) for f in dataclasses.fields(Facts)},
        dates=dates,
        digest=digest,
    )
