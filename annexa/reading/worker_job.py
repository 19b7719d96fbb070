"""Work a reader process does ahead for the main one: dating and hashing each file it reads.

Dating and hashing every file in the main process would make it the
bottleneck the readers wait on during a cold scan (docs/speed.md).
``read_ahead`` runs in the reader instead: it reads the facts, dates them under each set of dating
options the spec uses, and hashes the file while it is in the OS's cache,
returning a ``ReadAhead``, a Facts with those two extras. The Scanner files
the dates where evaluation finds them, hands the digest to the cache, and
keeps the plain Facts (``plain``), so nothing downstream ever sees the
extras. A reader that fails (timeout, crash) sends plain Facts, which the
main process dates itself. The pool preloads this module (and so
the dating code) in its fork server, so a new reader starts ready.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from annexa.cache.digest import file_digest
from annexa.dating import read_dates
from annexa.model import DocumentDates, Facts, FileEntry
from annexa.model.codec import Plain, decode, encode
from annexa.reading.read import read_facts
from annexa.spec.rules import DatingOptions, ListRule

_FACTS = tuple(f.name for f in dataclasses.fields(Facts))


@dataclass(frozen=True, slots=True)
class ReadAhead(Facts):
    """Facts, with the dates read from them and the file's content digest."""

    dates: tuple[tuple[DatingOptions, DocumentDates], ...] = ()
    digest: bytes | None = None

    def plain(self) -> Facts:
        """The Facts alone, as the cache and evaluation expect them."""
        return Facts(**{name: getattr(self, name) for name in _FACTS})

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        """Pickled through the model's codec as plain lists, rebuilt by constructors:
        every file read crosses the pipe, and generic dataclass pickling costs as
        much as the pipe itself (docs/speed.md)."""
        dates = [(options, encode(found)) for options, found in self.dates]
        return (_rebuild, (encode(self.plain()), dates, self.digest))


def _rebuild(
    facts: Plain, dates: list[tuple[DatingOptions, Plain]], digest: bytes | None
) -> ReadAhead:
    plain = decode(Facts, facts)
    return ReadAhead(
        **{name: getattr(plain, name) for name in _FACTS},
        dates=tuple((options, decode(DocumentDates, found)) for options, found in dates),
        digest=digest,
    )


def read_ahead(
    root: Path,
    entry: FileEntry,
    options: tuple[DatingOptions, ...] = (),
    digest: bool = True,
    lists: tuple[ListRule, ...] = (),
) -> Facts:
    """``read_facts``, then dating and hashing, for a reader process. Never raises.

    ``digest``: hash the file for the cache (False when there is no cache:
    the hash would be thrown away, and on a large PDF it is a whole read).
    ``lists``: the spec's data lists, checked row by row here, in the
    reader, so that no cell of a child's record leaves it.
    """
    facts = read_facts(root, entry, lists)
    try:
        dates = tuple((o, read_dates(facts, entry.path, o, entry.mtime_ns)) for o in options)
        full = str(Path(root) / entry.path)
        found = file_digest(full, entry.size, entry.mtime_ns) if digest else None
    except Exception:  # the main process will date it; a scan must not fail here
        return facts
    return ReadAhead(**{name: getattr(facts, name) for name in _FACTS}, dates=dates, digest=found)
