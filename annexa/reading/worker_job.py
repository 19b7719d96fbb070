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

from annexa.cache.store import file_digest
from annexa.dating import read_dates
from annexa.model import DocumentDates, DraftMark, Facts, FileEntry, FoundDate, TextBlock, YearSpan
from annexa.reading.read import read_facts
from annexa.spec.rules import DatingOptions

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
        """Pickled as plain tuples, rebuilt by constructors.

        Every file read crosses the pipe this way; a dozen frozen dataclasses
        each pickled through their generic state methods cost as much as the
        pipe itself (see docs/speed.md), tuples a third of it.
        """
        return (_rebuild, (_flatten(self),))


def _values(item: object, names: tuple[str, ...]) -> tuple[object, ...]:
    return tuple(getattr(item, name) for name in names)


def _names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


_BLOCK = _names(TextBlock)
_BLOCKS_AT = _FACTS.index("blocks")
_DATES = _names(DocumentDates)
# What each field of DocumentDates holds, flattened to tuples; any other field
# (one added to the model later) crosses the pipe as it is.
_DATES_ITEMS: dict[str, tuple[type, tuple[str, ...], bool]] = {
    "issue": (FoundDate, _names(FoundDate), True),
    "expiry": (FoundDate, _names(FoundDate), True),
    "spans": (YearSpan, _names(YearSpan), True),
    "draft": (DraftMark, _names(DraftMark), False),
}


def _flatten_dates(found: DocumentDates) -> tuple[object, ...]:
    out: list[object] = []
    for name in _DATES:
        value = getattr(found, name)
        kind = _DATES_ITEMS.get(name)
        if kind is None or value is None:
            out.append(value)
        elif kind[2]:
            out.append(tuple(_values(item, kind[1]) for item in value))
        else:
            out.append(_values(value, kind[1]))
    return tuple(out)


def _rebuild_dates(flat: tuple[object, ...]) -> DocumentDates:
    values: dict[str, object] = {}
    for name, value in zip(_DATES, flat, strict=True):
        kind = _DATES_ITEMS.get(name)
        if kind is None or value is None:
            values[name] = value
        elif kind[2]:
            values[name] = tuple(kind[0](*item) for item in value)  # type: ignore[attr-defined]
        else:
            values[name] = kind[0](*value)  # type: ignore[misc]
    return DocumentDates(**values)  # type: ignore[arg-type]


def _flatten(ahead: ReadAhead) -> tuple[object, ...]:
    facts = [getattr(ahead, name) for name in _FACTS]
    facts[_BLOCKS_AT] = tuple(_values(block, _BLOCK) for block in ahead.blocks)
    dates = tuple((options, _flatten_dates(found)) for options, found in ahead.dates)
    return (tuple(facts), dates, ahead.digest)


def _rebuild(flat: tuple[object, ...]) -> ReadAhead:
    facts_values, dates, digest = flat
    facts = dict(zip(_FACTS, facts_values, strict=True))  # type: ignore[call-overload]
    facts["blocks"] = tuple(TextBlock(*block) for block in facts["blocks"])
    return ReadAhead(
        **facts,
        dates=tuple((options, _rebuild_dates(found)) for options, found in dates),  # type: ignore[attr-defined]
        digest=digest,  # type: ignore[arg-type]
    )


def read_ahead(
    root: Path, entry: FileEntry, options: tuple[DatingOptions, ...] = (), digest: bool = True
) -> Facts:
    """``read_facts``, then dating and hashing, for a reader process. Never raises.

    ``digest``: hash the file for the cache (False when there is no cache:
    the hash would be thrown away, and on a large PDF it is a whole read).
    """
    facts = read_facts(root, entry)
    try:
        dates = tuple((o, read_dates(facts, entry.path, o, entry.mtime_ns)) for o in options)
        full = str(Path(root) / entry.path)
        found = file_digest(full, entry.size, entry.mtime_ns) if digest else None
    except Exception:  # the main process will date it; a scan must not fail here
        return facts
    return ReadAhead(**{name: getattr(facts, name) for name in _FACTS}, dates=dates, digest=found)
