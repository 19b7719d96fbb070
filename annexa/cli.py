"""The command line: ``annexa scan``, ``annexa watch``, ``annexa pack``, ``annexa spec ...``.

Exit codes keep findings and tool failures apart, as CI needs: 0 nothing at
or above ``--fail-on``, 1 something is, 2 the run could not be made (bad
arguments, no folder, invalid spec), 3 a bug (one line, and where the
traceback was written).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from annexa import __version__
from annexa.finding.walk import is_inside
from annexa.model import Report, Severity
from annexa.model.failures import RunStopped

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from annexa.cache.store import FactsCacheDB
    from annexa.console.progress import TerminalProgress
    from annexa.spec import Spec

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3


class UsageError(RunStopped):
    """The command line asks for something that cannot be done; one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="annexa",
        description="Check a folder of Ofsted Annex A documents against a spec of required items.",
    )
    parser.add_argument("--version", action="version", version=f"annexa {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "root",
            nargs="?",
            default=".",
            metavar="ROOT",
            help="the folder to check (default: here)",
        )
        sub.add_argument(
            "--spec", help="a spec file or the name of a bundled spec (see 'annexa spec list')"
        )
        sub.add_argument(
            "--as-of", dest="as_of", metavar="DATE", help="judge as if today were DATE (YYYY-MM-DD)"
        )
        sub.add_argument(
            "--cache-dir", metavar="DIR", help="where to keep facts read from documents"
        )
        sub.add_argument(
            "--no-cache", action="store_true", help="read every document again, keep nothing"
        )

    scan = commands.add_parser("scan", help="check the folder once and report")
    common(scan)
    scan.add_argument(
        "--format",
        dest="formats",
        action="append",
        metavar="FMT[:FILE]",
        help="text (default), json, junit, github, sarif, gitlab, markdown, html, csv or ics; "
        "repeat to write several",
    )
    scan.add_argument(
        "--fail-on",
        choices=("error", "warning", "never"),
        default="error",
        help="exit 1 when an item is at or above this level (default: error)",
    )
    staged = scan.add_mutually_exclusive_group()
    staged.add_argument(
        "--staged",
        action="store_true",
        help="check what git would commit (the index), not the folder: for pre-commit",
    )
    staged.add_argument(
        "--rev", metavar="REV", help="check the folder as it is in a git commit (e.g. HEAD)"
    )
    scan.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="print only what needs action, and nothing when all is well",
    )
    scan.add_argument(
        "--color",
        "--colour",
        dest="color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text report: auto (on a terminal; NO_COLOR and FORCE_COLOR "
        "are honoured), always or never",
    )

    watch = commands.add_parser("watch", help="keep a live view of the folder open")
    common(watch)
    watch.add_argument(
        "--poll",
        nargs="?",
        const=5.0,
        type=float,
        metavar="SECONDS",
        help="poll for changes instead of waiting for file events (network folders)",
    )

    pack = commands.add_parser(
        "pack", help="copy the judged files, an index and checksums into a new zip or folder"
    )
    pack.add_argument(
        "dest",
        metavar="DEST",
        help="the pack to make: a .zip file, or else a new folder (never inside ROOT)",
    )
    common(pack)

    spec = commands.add_parser("spec", help="check, list or start a spec")
    spec_commands = spec.add_subparsers(
        dest="spec_command", metavar="SUBCOMMAND", parser_class=_Parser
    )
    check = spec_commands.add_parser("check", help="validate a spec and list every problem")
    check.add_argument("spec", metavar="SPEC", help="a spec file, or the name of a bundled spec")
    spec_commands.add_parser("list", help="the specs bundled with annexa")
    init = spec_commands.add_parser("init", help="print a commented starting spec to edit")
    init.add_argument(
        "name",
        nargs="?",
        default="ilacs",
        metavar="NAME",
        help="the bundled spec to start from (default: ilacs)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from annexa.console.screen import make_safe
    from annexa.console.stops import (
        Stopped,
        signal_exit_code,
        stopping_on_signals,
        words_for,
    )

    make_safe(sys.stdout)  # a cp1252 or ASCII console gets escapes, never an encoding error
    make_safe(sys.stderr)
    try:
        with stopping_on_signals():
            return _run(list(sys.argv[1:] if argv is None else argv))
    except RunStopped as exc:  # bad arguments, no folder, an invalid spec: one line, exit 2
        print(f"annexa: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("annexa: interrupted", file=sys.stderr)
        return 130
    except Stopped as stop:  # SIGTERM or SIGHUP: unwound like Ctrl+C
        print(f"annexa: {words_for(stop.signum)}", file=sys.stderr)
        return signal_exit_code(stop.signum)
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug: one line, and where the traceback went
        where = _write_traceback()
        print(
            f"annexa: internal error ({type(exc).__name__}: {exc}); "
            f"the details are in {where}. Please report it.",
            file=sys.stderr,
        )
        return EXIT_BUG


def _write_traceback() -> str:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    try:
        handle, path = tempfile.mkstemp(prefix=f"annexa-crash-{stamp}-", suffix=".txt")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(f"annexa {__version__}\n")
            traceback.print_exc(file=out)
        return path
    except OSError:
        return "(the traceback could not be written)"


def _run(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "scan":
        return _scan(args)
    if args.command == "watch":
        return _watch(args)
    if args.command == "pack":
        return _pack(args)
    if args.command == "spec":
        return _spec(args, parser)
    parser.print_help()
    return EXIT_USAGE


# ---------------------------------------------------------------------------
# scan
# ---------------------------------------------------------------------------


def parse_as_of(text: str | None) -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--as-of must be a date written YYYY-MM-DD, not {text!r}") from None


def parse_formats(values: list[str] | None, root: Path) -> list[tuple[str, Path | None]]:
    """``["json:r.json", "text"]`` -> [("json", Path("r.json")), ("text", None)]."""
    from annexa.formats import format_names

    outputs: list[tuple[str, Path | None]] = []
    for value in values or ["text"]:
        name, _, target = value.partition(":")
        name = name.strip().lower()
        if name not in format_names():
            raise UsageError(f"unknown format {name!r}; use one of {', '.join(format_names())}")
        path = Path(target).expanduser() if target and target != "-" else None
        if path is not None and is_inside(path, root):
            raise UsageError(
                f"will not write {target} inside the folder being checked: annexa never changes "
                "that folder. Write the report elsewhere (for example ../report.html)."
            )
        outputs.append((name, path))
    if sum(1 for _, path in outputs if path is None) > 1:
        raise UsageError(
            "at most one --format can go to the screen; give the others a file (FMT:FILE)"
        )
    return outputs


def load_spec_for(root: Path, spec_arg: str | None) -> tuple[Spec, str]:
    """The spec the user meant: --spec, else ROOT/annexa.toml, else the bundled default."""
    from annexa.spec import DEFAULT_SPEC, SpecError, load_spec

    if spec_arg is None:
        local = root / "annexa.toml"
        spec_arg = str(local) if local.is_file() else DEFAULT_SPEC
    try:
        return load_spec(spec_arg), spec_arg
    except SpecError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        raise UsageError(
            f"the spec {spec_arg} has {len(exc.problems)} problem{'s' if len(exc.problems) != 1 else ''}"
        ) from None


def _check_root(text: str) -> Path:
    root = Path(text).expanduser()
    if not root.exists():
        raise UsageError(f"folder not found: {text}")
    if not root.is_dir():
        raise UsageError(f"{text} is a file, not a folder")
    return root


def _scan(args: argparse.Namespace) -> int:
    root = _check_root(args.root)
    _start_readers_if_first_scan(args)
    from annexa.pipeline import scan

    as_of = parse_as_of(args.as_of)
    outputs = parse_formats(args.formats, root)
    with _folder_to_check(root, args) as folder:  # not in git: RunStopped, exit 2
        spec, _ = load_spec_for(folder, args.spec)
        cache = _open_cache(args)
        progress = _progress_bar(args.quiet)
        try:
            report = scan(folder, spec, as_of, cache=cache, progress=progress, warn=_warn)
        finally:
            if progress is not None:
                progress.clear()  # a stop or an error is said on a clean line
        if folder != root:  # what git would commit, exported: name the real folder
            report = _as_if_in(report, folder, root)
    _write_reports(report, outputs, args)
    return exit_code(report, args.fail_on)


def _folder_to_check(root: Path, args: argparse.Namespace) -> AbstractContextManager[Path]:
    """ROOT itself, or with --staged/--rev a temporary copy of what git would commit."""
    if not args.staged and args.rev is None:
        return contextlib.nullcontext(root)
    from annexa.finding.committed import committed_tree

    return committed_tree(root, args.rev)


def _as_if_in(report: Report, folder: Path, root: Path) -> Report:
    """The report of a temporary copy, speaking of ROOT (and of ROOT's spec file)."""
    source = report.spec_source
    if Path(source).is_relative_to(folder):
        source = str(root / Path(source).relative_to(folder))
    return dataclasses.replace(report, root=str(root), spec_source=source)


READER_MODULE = "annexa.reading.worker_job"
"""The module of the function the scan's readers run (``annexa.reading.worker_job.read_ahead``)."""


def _start_readers_if_first_scan(args: argparse.Namespace) -> None:
    """Start the readers' fork server before annexa's own start-up when every document
    will be read: with ``--no-cache``, or when there is no cache file yet.

    Its imports (PDFium, lxml, the dating code) then overlap annexa's (the
    pipeline, the spec, the cache; docs/speed.md). A scan with a cache file decides later, once the
    cache says whether it holds ROOT; a warm scan starts no process.
    """
    from annexa.cache.place import cache_file

    try:
        first = args.no_cache or not cache_file(_cache_dir(args)).exists()
    except OSError:
        return
    if first:
        from annexa.reading.pool import start_fork_server

        start_fork_server([READER_MODULE])


def _open_cache(
    args: argparse.Namespace, warn: Callable[[str], None] | None = None
) -> FactsCacheDB | None:
    """The facts cache, unless --no-cache; a cache that cannot open is skipped with a warning
    (on stderr, unless ``warn`` takes it: watch shows it on its screen first)."""
    if args.no_cache:
        return None
    try:
        from annexa.cache.store import open_cache
    except ImportError:
        return None
    return open_cache(_cache_dir(args), warn=warn or _warn)


def _cache_dir(args: argparse.Namespace) -> str | None:
    """The cache folder asked for (--cache-dir, then ANNEXA_CACHE_DIR); None: the user's own."""
    return args.cache_dir or os.environ.get("ANNEXA_CACHE_DIR")


def _warn(message: str) -> None:
    print(f"annexa: warning: {message}", file=sys.stderr)


def _progress_bar(quiet: bool = False) -> TerminalProgress | None:
    """A progress bar on stderr for long scans on a terminal; none when piped, quiet or in CI."""
    if quiet or not sys.stderr.isatty() or os.environ.get("CI"):
        return None
    from annexa.console.progress import TerminalProgress

    return TerminalProgress(sys.stderr)


def _write_reports(
    report: Report, outputs: list[tuple[str, Path | None]], args: argparse.Namespace
) -> None:
    """Each report to the screen (as the console can show it) or to its file (UTF-8)."""
    from annexa.console.output import rendered, show
    from annexa.formats import file_encoding

    for name, path in outputs:
        if path is None:
            show(
                sys.stdout, name, report, fail_on=args.fail_on, colour=args.color, quiet=args.quiet
            )
            continue
        text = rendered(name, report, fail_on=args.fail_on)
        try:
            path.write_text(text, encoding=file_encoding(name), newline="")
        except OSError as exc:
            raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def exit_code(report: Report, fail_on: str) -> int:
    worst = report.worst()
    if fail_on == "never" or worst is None:
        return EXIT_OK
    if fail_on == "warning" or worst is Severity.ERROR:
        return EXIT_FINDINGS
    return EXIT_OK


# ---------------------------------------------------------------------------
# watch
# ---------------------------------------------------------------------------


def _watch(args: argparse.Namespace) -> int:
    root = _check_root(args.root)
    as_of = parse_as_of(args.as_of) if args.as_of else None
    spec, spec_arg = load_spec_for(root, args.spec)
    from annexa.spec import bundled_spec_path

    spec_path = None if bundled_spec_path(spec_arg) else Path(spec_arg)
    if args.poll is not None and args.poll <= 0:
        raise UsageError("--poll needs a number of seconds greater than 0")
    from annexa.console.stops import signal_of, stop_signals, words_for
    from annexa.tui import run_watch
    from annexa.watch.notices import Notices

    notices = Notices()
    code = run_watch(
        root,
        spec,
        as_of=as_of,
        poll=args.poll,
        spec_path=spec_path,
        cache=_open_cache(args, notices.add),
        notices=notices,
        stop_signals=stop_signals(),
    )
    for message in notices.messages:  # shown on the screen; kept once it is gone
        _warn(message)
    stopped_by = signal_of(code)
    if stopped_by is not None:
        print(f"annexa: {words_for(stopped_by)}", file=sys.stderr)
    return code


# ---------------------------------------------------------------------------
# pack
# ---------------------------------------------------------------------------


def _pack(args: argparse.Namespace) -> int:
    """Build the evidence pack; exit 0 once it is made, whatever it had to leave out."""
    root = _check_root(args.root)
    as_of = parse_as_of(args.as_of)
    dest = Path(args.dest).expanduser()
    from annexa.pack import PackError, build_pack, check_destination

    try:
        check_destination(dest, root)  # before the scan: a refusal should not keep anyone waiting
        spec, _ = load_spec_for(root, args.spec)
        result = build_pack(
            root,
            spec,
            as_of,
            dest,
            cache=_open_cache(args),
            read_progress=_progress_bar(),
            pack_progress=_labelled_progress("Packing files"),
            warn=_warn,
        )
    except PackError as exc:
        raise UsageError(str(exc)) from None
    from annexa.words.textsafe import one_line

    items = len(result.lines)
    _say(
        f"Packed {result.files} file{'s' if result.files != 1 else ''} for {items} "
        f"item{'s' if items != 1 else ''} into {one_line(str(dest), 500)}, with index.html, "
        "index.csv and SHA256SUMS.txt."
    )
    attention = result.attention
    if attention:
        _say(f"{len(attention)} item{'s' if len(attention) != 1 else ''} to note (see index.html):")
        for line in attention:
            problems = " ".join(line.problems)
            _say(
                f"  {one_line(line.item.id, 20)} {one_line(line.item.title, 60)}: "
                f"{line.item.status.label}" + (f"; {one_line(problems, 160)}" if problems else "")
            )
    return EXIT_OK


def _say(text: str) -> None:
    """A line on stdout that a console's encoding (cp1252, ASCII) cannot make fail."""
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    sys.stdout.write(text.encode(encoding, "replace").decode(encoding) + "\n")


def _labelled_progress(label: str) -> TerminalProgress | None:
    """A progress bar like ``_progress_bar``'s, with its own words."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None
    from annexa.console.progress import TerminalProgress

    return TerminalProgress(sys.stderr, label=label)


# ---------------------------------------------------------------------------
# spec
# ---------------------------------------------------------------------------


def _spec(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from annexa.spec import SpecError, load_spec

    if args.spec_command == "check":
        try:
            spec = load_spec(args.spec)
        except SpecError as exc:
            for problem in exc.problems:
                print(problem)
            count = len(exc.problems)
            print(f"{count} problem{'s' if count != 1 else ''} found", file=sys.stderr)
            return EXIT_USAGE
        waivers = (
            f" and {len(spec.waivers)} waiver{'s' if len(spec.waivers) != 1 else ''}"
            if spec.waivers
            else ""
        )
        print(f"{args.spec}: OK, {spec.name}: {len(spec.items)} items{waivers}")
        return EXIT_OK
    if args.spec_command == "list":
        from annexa.spec.catalogue import list_bundled

        for entry in list_bundled():
            version = f" (version {entry.version})" if entry.version else ""
            print(f"{entry.name:<14} {entry.title}{version}, {entry.items} items")
        return EXIT_OK
    if args.spec_command == "init":
        from annexa.spec.catalogue import init_text

        try:
            sys.stdout.write(init_text(args.name))
        except KeyError:
            raise UsageError(
                f"no bundled spec is called {args.name!r} (see 'annexa spec list')"
            ) from None
        return EXIT_OK
    parser.parse_args(["spec", "--help"])
    return EXIT_USAGE
