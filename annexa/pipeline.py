"""The one pipeline every face runs: inventory, match, extract, evaluate.

``scan()`` is the one-off run of ``annexa scan``. ``Scanner`` keeps the
state between runs for ``annexa watch``: the inventory, which items each file
matches, and the facts read so far, so a saved document is re-read and
re-evaluated alone. Both end in the same pure ``evaluate``, so scan, watch and
CI cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from annexa import __version__
from annexa.finding.walk import (
    LOST_KINDS,
    Inventory,
    RootMissingError,
    lost_root,
    real_root,
    scan_folder,
    scan_tree,
    stat_entry,
)
from annexa.judging.items import evaluate
from annexa.judging.memo import JudgingMemo
from annexa.model import DocumentDates, Facts, FileEntry, FileError, Report
from annexa.model.failures import FailureKind
from annexa.reading.inline import Extractor, ReadFunction
from annexa.reading.pdf import ocr
from annexa.reading.read import SPREADSHEETS
from annexa.reading.worker_job import ReadAhead
from annexa.spec.rules import DatingOptions, Spec, lists_key

if TYPE_CHECKING:
    from annexa.reading.pool import WorkerPoolExtractor

Progress = Callable[[int, int], None]  # (done, total)


class FactsCache(Protocol):
    """Where facts read earlier are kept between runs (see annexa.cache.store).

    ROOT is passed with each call: the cache keys on absolute paths, hashes
    files to recognise a renamed or copied one, and must refuse to write
    inside ROOT. ``digests``: the content hashes the readers already took,
    by path. Dates read from cached facts are kept too, so a warm scan does
    not date again what it dated yesterday. Every method is safe to call: a
    cache that cannot be used answers nothing and keeps nothing.
    """

    def get_many(self, root: Path, entries: Sequence[FileEntry]) -> dict[str, Facts]:
        """Facts kept for these entries (same path, size and time, or the same bytes)."""
        ...

    def put_many(
        self, root: Path, facts: Sequence[Facts], digests: Mapping[str, bytes] | None = None
    ) -> None:
        """Keep facts just read; failures of the moment are not kept."""
        ...

    def holds_root(self, root: Path) -> bool:
        """Whether anything under ROOT is kept: a first scan starts its readers early."""
        ...

    def get_dates(
        self, root: Path, wanted: Sequence[tuple[FileEntry, DatingOptions]]
    ) -> dict[tuple[str, DatingOptions], DocumentDates]:
        """Dates read earlier from facts this cache served or stored in this run."""
        ...

    def put_dates(
        self, root: Path, found: Sequence[tuple[FileEntry, DatingOptions, DocumentDates]]
    ) -> None:
        """Keep dates read now, for files whose facts this cache holds."""
        ...

    def close(self) -> None:
        """Close the file; a later call opens it again."""
        ...


STORE_EVERY = 100
"""Facts are handed to the cache in batches as they are read, so an interrupted
cold scan keeps what it has read, without one write transaction per file."""


@dataclass
class ScanDelta:
    """What a refresh found: relative paths added, changed (size or mtime) and removed."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


RETRY_KINDS = frozenset({FailureKind.LOCKED})
"""Failures read again at every look, changed or not: a file Word had open is
read once Word lets go of it, though closing it changes nothing annexa sees."""


class Scanner:
    """The state of one ROOT under one spec, kept up to date file by file."""

    def __init__(
        self,
        root: Path,
        spec: Spec,
        *,
        extractor: Extractor | None = None,
        cache: FactsCache | None = None,
        warn: Callable[[str], None] | None = None,
    ) -> None:
        self.root = Path(root)
        self._warn = warn  # told when no reader process can start
        self.spec = spec
        self._extractor = extractor
        self._owns_extractor = extractor is None
        self.cache = cache
        self.files: dict[str, FileEntry] = {}
        self.matches: dict[str, tuple[str, ...]] = {}
        self.facts: dict[str, Facts] = {}
        self.walk_errors: list[FileError] = []
        self.memo = JudgingMemo()  # dates and verdicts of the current version of each file
        self._options = {rule.id: rule.dating for rule in spec.items}
        self._lists_key = lists_key(spec.list_rules())

    # -- reading ---------------------------------------------------------

    @property
    def extractor(self) -> Extractor:
        """The extractor given, else the Scanner's own reader processes (``_pool``)."""
        if self._extractor is None:
            return self._pool()
        return self._extractor

    def _pool(self) -> WorkerPoolExtractor:
        """The reader processes, made on first need; they date and hash ahead (worker_job)."""
        from annexa.reading.pool import WorkerPoolExtractor

        if not isinstance(self._extractor, WorkerPoolExtractor):
            read = read_function(self.spec, digest=self.cache is not None)
            self._extractor = WorkerPoolExtractor(read=read, warn=self._warn)
        return self._extractor

    def full_scan(self, progress: Progress | None = None) -> ScanDelta:
        """Walk ROOT again and read every new or changed file that an item matches.

        Files whose last read failed for a reason of the moment (vanished,
        permission, the share, a reader that crashed or timed out) are read
        again: a full walk is how watch retries them (the r key, the periodic
        walk, ROOT back). Raises RootMissingError when ROOT itself is gone,
        RootLostError when it goes during the walk or the reading; the
        caller decides whether that is fatal (scan) or a state to show (watch).
        """
        if not self.files:
            self._prestart_if_cold()
        inventory: Inventory = scan_tree(self.root)
        self._stop_if_root_lost(error.kind for error in inventory.errors)
        self.walk_errors = inventory.errors
        delta = self._apply(inventory.files, set(self.files) - set(inventory.files))
        self._forget_failures_of_the_moment()
        self._read(progress)
        return delta

    def relist(self, folders: Iterable[str], progress: Progress | None = None) -> ScanDelta:
        """List again folders whose listing failed at the last walk, and read what they hold.

        Watch asks within seconds of a failed listing, rather than leaving
        the folder's items missing until the next full walk. Failures of the
        moment under these folders are read again too. "." (ROOT's own
        listing failed) is a full walk.
        """
        wanted = _outermost(folders)
        if "." in wanted:
            return self.full_scan(progress)
        if not wanted:
            return ScanDelta()
        root_real = real_root(self.root)
        inventory = Inventory()
        for folder in wanted:
            found = scan_folder(self.root, folder, root_real)
            inventory.files.update(found.files)
            inventory.errors += found.errors
        self._stop_if_root_lost(error.kind for error in inventory.errors)
        prefixes = tuple(folder + "/" for folder in wanted)

        def under(path: str) -> bool:
            return path in wanted or path.startswith(prefixes)

        self.walk_errors = [e for e in self.walk_errors if not under(e.file)] + inventory.errors
        gone = {path for path in self.files if under(path) and path not in inventory.files}
        delta = self._apply(inventory.files, gone)
        self._forget_failures_of_the_moment(under)
        self._read(progress)
        return delta

    def _forget_failures_of_the_moment(self, where: Callable[[str], bool] | None = None) -> None:
        """Drop facts that say more about the moment than the file, so they are read again."""
        self._forget_facts(
            lambda path, facts: (
                facts.error_kind is not None
                and facts.error_kind.transient
                and (where is None or where(path))
            )
        )

    def _forget_facts(self, stale: Callable[[str, Facts], bool]) -> None:
        """Drop the facts ``stale`` picks, and what was judged from them: read them again."""
        for path, facts in list(self.facts.items()):
            if stale(path, facts):
                del self.facts[path]
                self.memo.forget(path)

    def _stop_if_root_lost(self, kinds: Iterable[FailureKind | None]) -> None:
        """Raise RootLostError when a failure of these kinds came from ROOT itself going away."""
        if any(kind in LOST_KINDS for kind in kinds):
            lost = lost_root(self.root)
            if lost is not None:
                raise lost

    def _prestart_if_cold(self) -> None:
        """On a first scan with nothing cached for ROOT, let the readers' start-up
        (importing the PDF and Word libraries) overlap the walk of the folder.
        A warm scan starts no process at all."""
        if not self._owns_extractor or (
            self.cache is not None and self.cache.holds_root(self.root)
        ):
            return
        self._pool().prestart()

    def refresh(self, paths: Iterable[str], progress: Progress | None = None) -> ScanDelta:
        """Re-check only these relative paths (the watcher's hints) and read what changed."""
        seen: dict[str, FileEntry] = {}
        gone: set[str] = set()
        try:
            root_real = real_root(self.root)
        except RootMissingError:
            raise lost_root(self.root) or RootMissingError(
                f"{self.root} cannot be opened"
            ) from None
        for path in set(paths):
            entry = stat_entry(self.root, path, root_real)
            if entry is None:
                if path in self.files:
                    gone.add(path)
            else:
                seen[path] = entry
        delta = self._apply(seen, gone)
        self._read(progress)
        return delta

    def _apply(self, current: Mapping[str, FileEntry], gone: Iterable[str]) -> ScanDelta:
        delta = ScanDelta()
        for path in gone:
            self.files.pop(path, None)
            self.matches.pop(path, None)
            self.facts.pop(path, None)
            self.memo.forget(path)
            delta.removed.append(path)
        for path, entry in current.items():
            known = self.files.get(path)
            if known == entry:
                continue
            (delta.changed if known else delta.added).append(path)
            self.files[path] = entry
            self.matches[path] = self.spec.items_matching(path)
            stale = self.facts.get(path)
            if stale is not None and (stale.size, stale.mtime_ns) != (entry.size, entry.mtime_ns):
                del self.facts[path]
                self.memo.forget(path)
        return delta

    def _read(self, progress: Progress | None) -> None:
        """Read, through the cache and then the extractor, every matched file without facts."""
        # locked last time: read it again, changed or not
        self._forget_facts(lambda _path, facts: facts.error_kind in RETRY_KINDS)
        todo = [
            self.files[path]
            for path, items in self.matches.items()
            if items and path not in self.facts
        ]
        if not todo:
            return
        total = len(todo)
        cache = self.cache
        if cache is not None:
            hits = {
                path: facts
                for path, facts in cache.get_many(self.root, todo).items()
                if self._read_with_these_lists(facts) and not _awaits_ocr(facts)
            }
            self.facts.update(hits)
            self._date_cached(list(hits.values()))
            todo = [entry for entry in todo if entry.path not in hits]
        done = total - len(todo)
        if progress is not None:
            progress(done, total)
        if not todo:
            return  # everything came from the cache: no reader process is started
        fresh: list[Facts] = []
        digests: dict[str, bytes] = {}

        def on_done(facts: Facts) -> None:
            nonlocal done
            done += 1
            facts = self._take(facts, digests)
            self.facts[facts.path] = facts
            fresh.append(facts)
            if cache is not None and len(fresh) >= STORE_EVERY:
                self._store(fresh, digests)
                fresh.clear()
                digests.clear()
            if progress is not None:
                progress(done, total)
            # A file that vanished may be a share that dropped: then stop here,
            # not after failing every file left for the same reason.
            self._stop_if_root_lost((facts.error_kind,))

        try:
            found = self.extractor.extract(self.root, todo, on_done=on_done)
        finally:
            if cache is not None and fresh:
                self._store(fresh, digests)
        for path, facts in found.items():
            if path not in self.facts:  # an extractor that did not call on_done
                self.facts[path] = self._take(facts, {})

    # -- dating ahead of evaluate ------------------------------------------
    #
    # Dating is the one costly step of evaluate. Doing it here, file by file,
    # lets a cold scan date each document while the workers read the next
    # ones, and lets a warm scan take yesterday's dates from the cache
    # instead of reading them again. evaluate finds them in the Scanner's memo.

    def _dating_options(self, path: str) -> set[DatingOptions]:
        return {self._options[i] for i in self.matches.get(path, ()) if i in self._options}

    def _take(self, facts: Facts, digests: dict[str, bytes]) -> Facts:
        """Plain facts for a file just read, its dates filed for evaluate, its digest kept.

        A reader process dates and hashes ahead (annexa.reading.worker_job); facts
        from elsewhere (a failed reader, another extractor) are dated here,
        while the workers read on, not after them all.
        """
        entry = self.files.get(facts.path)
        if not isinstance(facts, ReadAhead):
            if entry is not None:
                self._file_dates(facts, entry, {})
            return facts
        base = facts.plain()
        if facts.digest is not None:
            digests[facts.path] = facts.digest
        if entry is not None:
            self._file_dates(base, entry, dict(facts.dates))
        return base

    def _file_dates(
        self, facts: Facts, entry: FileEntry, known: Mapping[DatingOptions, DocumentDates]
    ) -> list[tuple[FileEntry, DatingOptions, DocumentDates]]:
        """File a file's dates for evaluate, under each dating options its items use.

        Dates already ``known`` (read ahead, or kept by the cache) are taken
        as they are; the rest are read now, and returned for the cache.
        """
        new = []
        for options in self._dating_options(facts.path):
            dates = known.get(options)
            if dates is not None:
                self.memo.remember_dates(facts, entry, options, dates)
            else:
                new.append((entry, options, self.memo.dates(facts, entry, options)))
        return new

    def _date_cached(self, hits: Sequence[Facts]) -> None:
        """Dates for facts that came from the cache: the cache's, else read now and kept."""
        cache = self.cache
        assert cache is not None
        wanted = [
            (self.files[f.path], options)
            for f in hits
            if f.path in self.files
            for options in self._dating_options(f.path)
        ]
        known: dict[str, dict[DatingOptions, DocumentDates]] = {}
        if wanted:
            for (path, options), dates in cache.get_dates(self.root, wanted).items():
                known.setdefault(path, {})[options] = dates
        new: list[tuple[FileEntry, DatingOptions, DocumentDates]] = []
        for facts in hits:
            entry = self.files.get(facts.path)
            if entry is not None:
                new += self._file_dates(facts, entry, known.get(facts.path, {}))
        if new:
            cache.put_dates(self.root, new)

    def _store(self, facts: Sequence[Facts], digests: Mapping[str, bytes]) -> None:
        """Hand facts read now to the cache, and the dates already read from them."""
        assert self.cache is not None
        self.cache.put_many(self.root, facts, digests)
        found = [
            (self.files[f.path], options, self.memo.dates(f, self.files[f.path], options))
            for f in facts
            if f.path in self.files
            for options in self._dating_options(f.path)
        ]
        if found:
            self.cache.put_dates(self.root, found)

    def _read_with_these_lists(self, facts: Facts) -> bool:
        """Whether facts (from the cache) were read with this spec's data lists: a
        spreadsheet read with other lists (or none) is read again."""
        return facts.kind not in SPREADSHEETS or facts.lists_key == self._lists_key

    def set_spec(self, spec: Spec) -> None:
        """Use a new spec (annexa.toml edited during watch): matches are recomputed,
        and spreadsheets are read again when the spec's data lists changed."""
        self.spec = spec
        self._options = {rule.id: rule.dating for rule in spec.items}
        self._lists_key = lists_key(spec.list_rules())
        self._forget_facts(lambda _path, facts: not self._read_with_these_lists(facts))
        self.matches = {path: spec.items_matching(path) for path in self.files}
        self.memo.forget_verdicts()
        if self._owns_extractor and self._extractor is not None:
            self._extractor.close()  # its readers date under the old spec's options
            self._extractor = None

    # -- judging ---------------------------------------------------------

    def report(self, as_of: dt.date) -> Report:
        return evaluate(
            self.spec,
            self.files,
            self.facts,
            as_of,
            root=str(self.root),
            matches=self.matches,
            errors=self.walk_errors,
            tool_version=__version__,
            memo=self.memo,
        )

    def interrupt(self) -> None:
        """Stop a read in progress (quitting watch mid-scan); safe from another thread.

        The extractor kills its busy workers and its ``extract`` returns what
        was read so far; the next read starts new workers.
        """
        extractor = self._extractor
        if extractor is not None:
            extractor.close()

    def close(self) -> None:
        if self._owns_extractor and self._extractor is not None:
            self._extractor.close()
        if self.cache is not None:
            self.cache.close()


def _outermost(folders: Iterable[str]) -> list[str]:
    """The folders with every one inside another of them left out (listing it lists them)."""
    kept: list[str] = []
    for folder in sorted(set(folders)):
        if folder == ".":
            return ["."]
        if not any(folder.startswith(outer + "/") for outer in kept):
            kept.append(folder)
    return kept


def read_function(spec: Spec, *, digest: bool = True) -> ReadFunction:
    """What a reader process runs for each file under this spec: read (with the
    spec's data lists), date under each of its dating options, and hash."""
    from annexa.reading.worker_job import read_ahead

    return partial(
        read_ahead, options=spec.dating_options(), digest=digest, lists=spec.list_rules()
    )


def _awaits_ocr(facts: Facts) -> bool:
    """Whether cached facts are a scan read before the OCR extra was installed: read it now."""
    return facts.scan == "image" and ocr.available()


def scan(
    root: Path,
    spec: Spec,
    as_of: dt.date,
    *,
    extractor: Extractor | None = None,
    cache: FactsCache | None = None,
    progress: Progress | None = None,
    warn: Callable[[str], None] | None = None,
) -> Report:
    """One complete check of ROOT against a spec, as ``annexa scan`` runs it."""
    scanner = Scanner(root, spec, extractor=extractor, cache=cache, warn=warn)
    try:
        scanner.full_scan(progress)
        return scanner.report(as_of)
    finally:
        scanner.close()
