"""annexa against the pipeline an administrator would script, on one generated share.

Run with ``make bench`` or ``.venv/bin/python benchmarks/scan_speed.py [--docs N]``.

It generates (once, in ``benchmarks/out/``, which git ignores) a share of N
documents (default 2,000: half PDF, half DOCX, 1 to 12 pages each, a first
page with a document-control block of labelled dates), named for a spec of
40 items, plus 48,000 other files (empty, assorted extensions, matching no
item) around them. Then it measures, in one run:

1. the naive pipeline: ``pdftotext -f 1 -l 2`` on every PDF and
   ``unzip -p x.docx word/document.xml`` on every DOCX, two at a time
   (``xargs -P 2``), output thrown away (Debian: ``apt-get install
   poppler-utils``; skipped with a note when pdftotext is missing);
2. ``annexa scan`` of the N documents with an empty cache folder (cold);
3. the same again with the cache it left (warm), then a check in this
   process that a warm scan answers every document from the cache and calls
   no extractor (no document opened);
4. ``annexa scan`` of the whole 50,000-file share, warm.

Every scan runs as a user runs it (a new ``python -m annexa scan`` process,
imports included). The cold scan and the naive pipeline run back to back,
in alternating order, ``--repeat`` times; the ratio is the median of the
pairs, so load from elsewhere on the machine weighs on both sides alike.
CPU is user plus system time of every process a run started (on Linux the
benchmark adopts annexa's fork server when the scan exits, so the readers'
time counts too). Memory is the peak, sampled every 0.1 s, of the
proportional set size (PSS, which counts pages shared between the worker
processes once) summed over the process tree, and the largest peak RSS
(VmHWM) of a single process in the tree.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import datetime as dt
import io
import json
import multiprocessing
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(PROJECT))

from tests.hostile import children_by_parent, status_kb  # noqa: E402  (memory from /proc)

GENERATOR_VERSION = 4  # bump when the corpus changes, so an old one in out/ is rebuilt
AS_OF = "2015-09-16"
TOTAL_FILES = 50_000

# (title, pattern keyword(s), section); file names are built from the title.
ITEMS = [
    ("Self evaluation", "self*eval", "Leadership"),
    ("Structure chart", "structure*chart", "Leadership"),
    ("Corporate parenting strategy", "corporate*parenting", "Leadership"),
    ("Sufficiency strategy", "sufficiency", "Leadership"),
    ("Workforce strategy", "workforce", "Leadership"),
    ("Quality assurance framework", "quality*assurance", "Leadership"),
    ("Performance scorecard", "scorecard", "Leadership"),
    ("Early help strategy", "early*help", "Help and protection"),
    ("Thresholds document", "threshold", "Help and protection"),
    ("MASH protocol", "mash", "Help and protection"),
    ("LADO annual report", "lado", "Help and protection"),
    ("Child exploitation strategy", "exploitation", "Help and protection"),
    ("Missing children protocol", "missing*protocol", "Help and protection"),
    ("Private fostering annual report", "private*fostering", "Help and protection"),
    ("Domestic abuse strategy", "domestic*abuse", "Help and protection"),
    ("Neglect strategy", "neglect", "Help and protection"),
    ("Edge of care strategy", "edge*of*care", "Help and protection"),
    ("Safeguarding partnership report", "partnership*report", "Partnerships"),
    ("Safeguarding arrangements", "safeguarding*arrangements", "Partnerships"),
    ("Health needs assessment", "health*needs", "Partnerships"),
    ("Youth justice plan", "youth*justice", "Partnerships"),
    ("Complaints annual report", "complaints", "Partnerships"),
    ("Participation strategy", "participation", "Partnerships"),
    ("IRO annual report", "iro*annual", "Children in care"),
    ("Virtual school report", "virtual*school", "Children in care"),
    ("Fostering statement of purpose", "fostering*statement", "Children in care"),
    ("Adoption statement of purpose", "adoption*statement", "Children in care"),
    ("Children in care council minutes", "care*council", "Children in care"),
    ("Placement commissioning plan", "commissioning", "Children in care"),
    ("Permanence policy", "permanence", "Children in care"),
    ("Kinship care policy", "kinship", "Children in care"),
    ("Pledge to children in care", "pledge", "Children in care"),
    ("Care leavers local offer", "local*offer", "Care leavers"),
    ("Staying put policy", "staying*put", "Care leavers"),
    ("Leaving care accommodation plan", "leaving*care*accommodation", "Care leavers"),
    ("Unaccompanied children protocol", "unaccompanied", "Care leavers"),
    ("Social work practice standards", "practice*standards", "Practice"),
    ("Supervision policy", "supervision", "Practice"),
    ("Case audit report", "case*audit", "Practice"),
    ("Principal social worker report", "principal*social*worker", "Practice"),
]
MONTHS = [dt.date(2000, m, 1).strftime("%B") for m in range(1, 13)]
SENTENCES = [
    "Children and families told us what works and what needs to change in their area.",
    "Social workers visit children in care at least every six weeks, more often where needed.",
    "1,234 children were supported at 31/03/2014 (ref CS/2014/15/001, tel 01234 567890).",
    "The partnership agreed the priorities set out below for the coming year.",
    "Progress against each priority is reported to the board every quarter.",
    "Placements close to home help children stay in their schools and keep their friends.",
    "Managers audit a sample of case files each month and share the learning with teams.",
    "Young people helped to write this plan, and their words are quoted throughout it.",
    "Foster carers receive training, supervision and support from a named worker.",
    "The service was last updated after feedback from young people and their carers.",
]
FILLER_STEMS = ["IMG", "Scan", "Notes", "Minutes", "Invoice", "Photo", "Form", "Rota", "Memo"]
FILLER_EXTENSIONS = [
    "jpg", "png", "txt", "msg", "pptx", "doc", "zip", "mp4", "pdf", "docx", "xlsx", "csv", "eml",
]  # fmt: skip


# ---------------------------------------------------------------------------
# The corpus
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    rel: str
    kind: str
    pages: int
    title: str
    approved: dt.date
    seed: int


def spec_text() -> str:
    lines = ['[spec]\nname = "Benchmark: 40 Annex A items"\n']
    for number, (title, keyword, section) in enumerate(ITEMS, 1):
        lines.append(
            f'[[item]]\nid = "B{number:02}"\ntitle = "{title}"\nsection = "{section}"\n'
            f'patterns = ["**/*{keyword}*"]\n'
        )
    return "\n".join(lines)


def plan_documents(count: int) -> list[Document]:
    rng = random.Random(2015)
    documents = []
    for number in range(count):
        title, _, section = ITEMS[number % len(ITEMS)]
        version = number // len(ITEMS)
        approved = dt.date(2012, 1, 1) + dt.timedelta(days=rng.randrange(1350))
        kind = "pdf" if number % 2 == 0 else "docx"
        name = f"{title} {approved.year} v{version}.{kind}"
        documents.append(
            Document(
                rel=f"{section}/{title}/{name}",
                kind=kind,
                pages=rng.randint(1, 12),
                title=title,
                approved=approved,
                seed=number,
            )
        )
    return documents


def first_page_lines(doc: Document) -> list[str]:
    review = dt.date(doc.approved.year + 1, doc.approved.month, 1)
    approved = f"{doc.approved.day} {MONTHS[doc.approved.month - 1]} {doc.approved.year}"
    return [
        doc.title,
        "Children's Services, Anyshire County Council",
        "Document control",
        "Version: 2.1",
        "Status: Final",
        "Owner: Head of Service",
        f"Date approved: {approved}",
        f"Next review: {MONTHS[review.month - 1]} {review.year}",
    ]


def prose_lines(seed: int, count: int) -> list[str]:
    """Body text as councils write it: sentences of a plan, now and then a label word."""
    rng = random.Random(seed)
    return [rng.choice(SENTENCES) for _ in range(count)]


def make_pdf(path: Path, doc: Document) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setTitle(doc.title)
    for page in range(doc.pages):
        y = 800
        lines = (first_page_lines(doc) if page == 0 else []) + prose_lines(doc.seed + page, 40)
        for line in lines:
            pdf.drawString(60, y, line)
            y -= 18
        pdf.drawString(60, 30, f"OFFICIAL    Page {page + 1} of {doc.pages}")
        pdf.showPage()
    pdf.save()


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx_template() -> tuple[dict[str, bytes], str, str]:
    """The parts of a python-docx document with a header, and its document.xml around the body."""
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "OFFICIAL - Children's Services"
    document.add_paragraph("BODY")
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    start = xml.index("<w:body>") + len("<w:body>")
    end = xml.index("<w:sectPr")
    return parts, xml[:start], xml[end:]


def _para(text: str) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<w:p><w:r><w:t xml:space="preserve">{escaped}</w:t></w:r></w:p>'


def _row(label: str, value: str) -> str:
    cells = "".join(f"<w:tc>{_para(text)}</w:tc>" for text in (label, value))
    return f"<w:tr>{cells}</w:tr>"


def make_docx(path: Path, doc: Document, template: tuple[dict[str, bytes], str, str]) -> None:
    parts, head, tail = template
    lines = first_page_lines(doc)
    body = [_para(lines[0]), _para(lines[1]), _para(lines[2])]
    rows = [line.split(": ", 1) for line in lines[3:]]
    body.append("<w:tbl>" + "".join(_row(label, value) for label, value in rows) + "</w:tbl>")
    for page in range(doc.pages):
        body.extend(_para(line) for line in prose_lines(doc.seed + page, 30))
        if page < doc.pages - 1:
            body.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
    stamp = f"{doc.approved.isoformat()}T10:00:00Z"
    core = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{doc.title}</dc:title>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            if name == "word/document.xml":
                data = (head + "".join(body) + tail).encode("utf-8")
            elif name == "docProps/core.xml":
                data = core.encode("utf-8")
            package.writestr(name, data)


def _make_pdfs(args: tuple[str, list[Document]]) -> None:
    root, documents = args
    for doc in documents:
        make_pdf(Path(root) / doc.rel, doc)


def build_share(out: Path, count: int) -> tuple[Path, Path, Path]:
    """(the 50,000-file share, its documents folder, the spec), generated once."""
    share = out / f"share-{count}"
    stamp = share / ".generated"
    docs_root = share / "Annex A"
    spec_path = out / f"spec-{count}.toml"
    wanted = f"{GENERATOR_VERSION} {count} {TOTAL_FILES}"
    if stamp.exists() and stamp.read_text(encoding="utf-8") == wanted and spec_path.exists():
        return share, docs_root, spec_path
    if share.exists():
        shutil.rmtree(share)
    print(f"generating {count:,} documents and {TOTAL_FILES - count:,} other files in {share} ...")
    started = time.perf_counter()
    spec_path.parent.mkdir(parents=True, exist_ok=True)
    spec_path.write_text(spec_text(), encoding="utf-8")
    documents = plan_documents(count)
    for doc in documents:
        (docs_root / doc.rel).parent.mkdir(parents=True, exist_ok=True)
    pdfs = [d for d in documents if d.kind == "pdf"]
    chunks = [(str(docs_root), pdfs[i::4]) for i in range(4)]
    with multiprocessing.get_context("spawn").Pool(os.cpu_count() or 2) as pool:
        result = pool.map_async(_make_pdfs, chunks)
        template = _docx_template()
        for doc in documents:
            if doc.kind == "docx":
                make_docx(docs_root / doc.rel, doc, template)
        result.get()
    make_filler(share, TOTAL_FILES - count, spec_path)
    stamp.write_text(wanted, encoding="utf-8")
    print(f"generated in {time.perf_counter() - started:.0f} s")
    return share, docs_root, spec_path


def make_filler(share: Path, count: int, spec_path: Path) -> None:
    """Empty files of assorted kinds in year and team folders, none matching an item."""
    from annexa.spec import load_spec

    spec = load_spec(spec_path)
    rng = random.Random(48)
    made = 0
    while made < count:
        folder = f"Archive/{2008 + made % 8}/Team {made // 8 % 60:02}"
        name = f"{rng.choice(FILLER_STEMS)} {made:05}.{rng.choice(FILLER_EXTENSIONS)}"
        rel = f"{folder}/{name}"
        assert not spec.items_matching(rel), rel
        path = share / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        made += 1


# ---------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------


def memory_kb(pid: int) -> int:
    """PSS of one process in KB (RSS where smaps_rollup is missing); 0 when gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except OSError:
        return 0


class TreeMemory(threading.Thread):
    """Samples the summed memory of a process and its descendants until stopped."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak_kb = 0
        self.largest_kb = 0
        self._stop_event = threading.Event()
        self.available = Path("/proc/self/stat").exists()

    def run(self) -> None:
        while self.available and not self._stop_event.is_set():
            tree = children_by_parent()
            todo, total = [self.pid], 0
            while todo:
                pid = todo.pop()
                total += memory_kb(pid)
                self.largest_kb = max(self.largest_kb, status_kb(pid, b"VmHWM:"))
                todo.extend(tree.get(pid, ()))
            self.peak_kb = max(self.peak_kb, total)
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


@dataclass
class Measure:
    label: str
    seconds: float
    tree_mb: float | None
    largest_mb: float
    cpu: float | None = None  # user + system seconds of the whole process tree


def become_subreaper() -> bool:
    """Adopt orphaned descendants (Linux), so the CPU time of every process a run starts counts.

    annexa's fork server outlives the scan by a moment and is nobody's child
    once the scan exits; as a subreaper this process inherits and reaps it,
    and with it the CPU time of the readers it reaped.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        return (
            ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0
        )  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


SUBREAPER = False


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _reap_orphans(timeout: float = 10.0) -> None:
    """Wait for adopted descendants (the fork server) to exit, so their CPU time is in."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.01)


def measure(label: str, command: Sequence[str], *, stdout=subprocess.DEVNULL) -> Measure:  # type: ignore[no-untyped-def]
    cpu_before = _children_cpu()
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=stdout, stderr=subprocess.PIPE)
    sampler = TreeMemory(process.pid)
    sampler.start()
    _, status, _usage = os.wait4(process.pid, 0)  # its ru_maxrss counts this process's size at fork
    seconds = time.perf_counter() - started
    sampler.stop()
    if SUBREAPER:
        _reap_orphans()
    process.returncode = os.waitstatus_to_exitcode(status)
    err = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    if process.returncode not in (0, 1):
        raise SystemExit(f"{label} failed ({process.returncode}):\n{err}")
    if "warning" in err:
        print(err.strip(), file=sys.stderr)
    return Measure(
        label,
        seconds,
        sampler.peak_kb / 1024 if sampler.available else None,
        sampler.largest_kb / 1024,
        _children_cpu() - cpu_before if SUBREAPER else None,
    )


def naive(docs_root: Path) -> Measure | None:
    if shutil.which("pdftotext") is None or shutil.which("unzip") is None:
        print(
            "note: pdftotext or unzip not found (Debian: apt-get install poppler-utils unzip); "
            "the naive pipeline is skipped"
        )
        return None
    script = (
        "find . -type f -name '*.pdf' -print0 | xargs -0 -P 2 -I{} pdftotext -q -f 1 -l 2 {} - ; "
        "find . -type f -name '*.docx' -print0 | xargs -0 -P 2 -I{} unzip -p {} word/document.xml"
    )
    return measure(
        "naive: pdftotext + unzip, 2 processes", ["sh", "-c", f"cd '{docs_root}' && {script}"]
    )


def annexa_scan(label: str, root: Path, spec: Path, cache: Path, report: Path) -> Measure:
    command = [
        sys.executable, "-m", "annexa", "scan", str(root), "--spec", str(spec),
        "--as-of", AS_OF, "--format", f"json:{report}", "--cache-dir", str(cache),
    ]  # fmt: skip
    return measure(label, command)


def warm_check(docs_root: Path, spec_path: Path, cache: Path) -> str:
    """Scan again in this process with an extractor that must not be called."""
    from annexa.cache.store import open_cache
    from annexa.pipeline import scan
    from annexa.spec import load_spec

    class NoReading:
        def extract(self, root, entries, *, on_done=None):  # type: ignore[no-untyped-def]
            raise AssertionError(f"a warm scan opened {len(entries)} documents")

        def close(self) -> None:
            pass

    store = open_cache(cache)
    scan(
        docs_root,
        load_spec(spec_path),
        dt.date.fromisoformat(AS_OF),
        extractor=NoReading(),
        cache=store,
    )
    return f"{store.stats.hits:,} documents answered from the cache, none opened"


def reading_costs(docs_root: Path, count: int = 200) -> list[str]:
    """Milliseconds per document read in this process: PDFs by each text engine, DOCX, dating."""
    from annexa.dating import read_dates
    from annexa.model import FileEntry
    from annexa.reading.pdf import common as pdf_common
    from annexa.reading.pdf import reader as pdf_reader
    from annexa.reading.read import read_facts
    from annexa.spec.rules import DatingOptions

    def entries(suffix: str) -> list[FileEntry]:
        found = sorted(docs_root.rglob(f"*.{suffix}"))[:count]
        return [
            FileEntry(p.relative_to(docs_root).as_posix(), p.stat().st_size, p.stat().st_mtime_ns)
            for p in found
        ]

    def per_doc(found: list[FileEntry]) -> float:
        started = time.perf_counter()
        for entry in found:
            read_facts(docs_root, entry)
        return (time.perf_counter() - started) / len(found) * 1000

    pdfs, docxs = entries("pdf"), entries("docx")
    lines = []
    engine, small = pdf_common.TEXT_ENGINE, pdf_reader._read_small
    try:
        for name, label in (
            ("pypdf", "pypdf alone"),
            ("guarded", "pypdf's guard, PDFium text"),
            ("pdfium", "as shipped"),
        ):
            if name != "pypdf" and pdf_common.PDFIUM is None:
                lines.append("PDF, PDFium: pypdfium2 not installed")
                continue
            pdf_common.TEXT_ENGINE = "pypdf" if name == "pypdf" else "pdfium"
            pdf_reader._read_small = (lambda data: None) if name == "guarded" else small
            per_doc(pdfs[:10])  # warm up imports and caches
            lines.append(f"PDF, {label:28} {per_doc(pdfs):5.2f} ms a document")
    finally:
        pdf_common.TEXT_ENGINE, pdf_reader._read_small = engine, small
    proved = sum(
        pdf_reader._cannot_inflate_past_limit((docs_root / e.path).read_bytes()) for e in pdfs
    )
    lines.append(f"  of which PDFium read alone (no bomb possible): {proved} of {len(pdfs)}")
    lines.append(f"DOCX, text and core properties     {per_doc(docxs):5.2f} ms a document")
    facts = [(read_facts(docs_root, e), e) for e in pdfs + docxs]
    options = DatingOptions()
    started = time.perf_counter()
    for found, entry in facts:
        read_dates(found, entry.path, options, entry.mtime_ns)
    dating = (time.perf_counter() - started) / len(facts) * 1000
    lines.append(f"dating (read_dates) of the facts   {dating:5.2f} ms a document")
    return lines


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def machine() -> str:
    model = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
        found = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
        if found:
            model = found.group(1).strip()
    poppler = ""
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-v"], capture_output=True, text=True)
        version = re.search(r"version ([\d.]+)", out.stderr + out.stdout)
        poppler = f", pdftotext {version.group(1)}" if version else ""
    return (
        f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}{poppler}"
    )


def size_of(root: Path, suffix: str) -> tuple[int, int]:
    files = list(root.rglob(f"*.{suffix}"))
    return len(files), sum(f.stat().st_size for f in files)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=2000, help="documents to generate (2,000)")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="where the corpus is kept")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of each cold measure; the median is shown"
    )
    parser.add_argument("--skip-big", action="store_true", help="leave out the 50,000-file scan")
    args = parser.parse_args(argv)

    global SUBREAPER
    # annexa as installed: with its bytecode, which pip writes for an installed
    # package but an editable install leaves to each run where writing it is
    # off (PYTHONDONTWRITEBYTECODE, as on the machine of the README's figures).
    compileall.compile_dir(PROJECT / "annexa", quiet=2)
    share, docs_root, spec_path = build_share(args.out, args.docs)
    SUBREAPER = become_subreaper()
    pdfs, pdf_bytes = size_of(docs_root, "pdf")
    docxs, docx_bytes = size_of(docs_root, "docx")
    print(f"machine: {machine()}")
    if hasattr(os, "getloadavg"):
        print(
            f"load average before the run: {os.getloadavg()[0]:.2f} (other work on the machine slows both sides)"
        )
    print(
        f"corpus: {pdfs:,} PDF ({pdf_bytes / 1e6:.0f} MB) and {docxs:,} DOCX ({docx_bytes / 1e6:.0f} MB), "
        f"1 to 12 pages; spec of {len(ITEMS)} items; as of {AS_OF}"
    )
    results: list[Measure] = []
    caches = args.out / "caches"
    reports = args.out / "reports"
    reports.mkdir(parents=True, exist_ok=True)

    def median(runs: list[Measure]) -> Measure:
        runs.sort(key=lambda m: m.seconds)
        return runs[len(runs) // 2]

    naive_runs, cold_runs = [], []
    pairs: list[tuple[float, float]] = []  # (naive, cold) seconds, measured back to back
    for run in range(args.repeat):
        cold_dir = caches / f"cold-{run}"
        shutil.rmtree(cold_dir, ignore_errors=True)

        def cold_scan(cache: Path = cold_dir) -> Measure:
            return annexa_scan(
                "annexa scan, cold (empty cache)",
                docs_root,
                spec_path,
                cache,
                reports / "cold.json",
            )

        if run % 2:  # alternate the order, so neither side always runs second
            cold_runs.append(cold_scan())
            found = naive(docs_root)
        else:
            found = naive(docs_root)
            cold_runs.append(cold_scan())
        if found is not None:
            naive_runs.append(found)
            pairs.append((found.seconds, cold_runs[-1].seconds))
    naive_result = median(naive_runs) if naive_runs else None
    cold = median(cold_runs)
    cache_dir = caches / f"cold-{args.repeat - 1}"
    warm_runs = [
        annexa_scan(
            "annexa scan, warm (same cache)", docs_root, spec_path, cache_dir, reports / "warm.json"
        )
        for _ in range(max(args.repeat, 3))
    ]
    warm = median(warm_runs)
    same = json.loads((reports / "cold.json").read_text()) == json.loads(
        (reports / "warm.json").read_text()
    )
    check = warm_check(docs_root, spec_path, cache_dir)
    if naive_result:
        results.append(naive_result)
    results += [cold, warm]
    big = None
    if not args.skip_big:
        big_runs = [
            annexa_scan(
                f"annexa scan, warm, {TOTAL_FILES:,} files",
                share,
                spec_path,
                cache_dir,
                reports / "big.json",
            )
            for _ in range(3)
        ]
        big = median(big_runs)
        results.append(big)

    print()
    print(
        f"{'':44} {'time':>8} {'x naive':>8} {'CPU':>8} {'peak memory':>12} {'largest process':>16}"
    )
    for m in results:
        ratio = f"{m.seconds / naive_result.seconds:8.2f}" if naive_result else f"{'':8}"
        cpu = f"{m.cpu:7.2f}s" if m.cpu is not None else f"{'n/a':>8}"
        tree = f"{m.tree_mb:9.0f} MB" if m.tree_mb is not None else f"{'n/a':>12}"
        print(f"{m.label:44} {m.seconds:7.2f}s {ratio} {cpu} {tree} {m.largest_mb:13.0f} MB")
    if len(pairs) > 1:
        print(
            "cold / naive, run by run (each pair measured back to back): "
            + ", ".join(f"{c / n:.2f}" for n, c in pairs)
        )
    if hasattr(os, "getloadavg"):
        print(f"load average after the run: {os.getloadavg()[0]:.2f}")
    print()
    print(f"warm check: {check}; cold and warm reports {'identical' if same else 'DIFFER'}")
    print("in one process, on 200 PDFs and 200 DOCX of the corpus:")
    for line in reading_costs(docs_root):
        print(f"  {line}")
    print("targets:")
    if naive_result:
        ratio = sorted(c / n for n, c in pairs)[len(pairs) // 2]
        print(
            f"  cold at most 0.7 x naive:            {ratio:.2f} x  {'met' if ratio <= 0.7 else 'MISSED'}"
            f"  (median of {len(pairs)} paired run{'s' if len(pairs) > 1 else ''})"
        )
        if cold.cpu is not None and naive_result.cpu:
            print(f"  CPU time, cold / naive:              {cold.cpu / naive_result.cpu:.2f} x")
    print(
        f"  warm rescan under 1 s:               {warm.seconds:.2f} s {'met' if warm.seconds < 1 else 'MISSED'}"
    )
    if big is not None:
        print(
            f"  {TOTAL_FILES:,} files warm under 5 s:        {big.seconds:.2f} s {'met' if big.seconds < 5 else 'MISSED'}"
        )
        peak = big.tree_mb if big.tree_mb is not None else big.largest_mb
        print(
            f"  {TOTAL_FILES:,} files peak under 300 MB:     {peak:.0f} MB {'met' if peak < 300 else 'MISSED'}"
        )
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
