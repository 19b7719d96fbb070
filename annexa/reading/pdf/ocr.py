"""Read a scanned first page with OCR, when the optional ``annexa[ocr]`` extra is installed.

A page with no text layer (a signed statement, minutes, a letter put through
a scanner) holds its date only as pixels. With the extra (rapidocr 3 and
onnxruntime, see docs/dating.md for the choice) the reader worker renders
page 1 with PDFium and reads it; without it, the file is marked as a scan
and the report says so plainly.

Limits, because this runs inside the reader worker's memory and time caps:

- only page 1, rendered in grey at no more than ``MAX_SIDE`` pixels on its
  longer side (about 100 dots per inch on A4), and only when the images on
  it are of a size a reader can decode (``MAX_IMAGE_PIXELS``);
- one inference thread and glibc's per-thread memory arenas capped; the
  worker's address-space limit is raised for the OCR step alone, whose
  needs are fixed by the models and the rendering, not by the file
  (``_address_space_for_ocr``);
- the models are the ones inside rapidocr's wheel, named by path: nothing
  is downloaded, ever (rapidocr would otherwise fetch a missing model).

The engine is built once per worker process, on the first scan it meets.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

MAX_SIDE = 1200  # pixels: A4 at about 100 dpi, where 10-point text is still read
MAX_IMAGE_PIXELS = 60_000_000  # an image larger than this is not decoded to be read
OCR_ADDRESS_MB = 1536  # more address space for the OCR step (``_address_space_for_ocr``)
_LINE_GAP = "  "  # between pieces of one line: a cell gap, as a table row reads


@functools.lru_cache(maxsize=1)
def available() -> bool:
    """Whether the OCR extra is installed: found, not imported, as importing it is slow
    (docs/dating.md, "Scanned pages")."""
    try:
        return all(
            importlib.util.find_spec(name) is not None for name in ("rapidocr", "onnxruntime")
        )
    except (ImportError, ValueError):  # a broken or blocked installation
        return False


def _bundled_model(folder: Path, task: str) -> str | None:
    found = sorted(folder.glob(f"*{task}*.onnx"))
    return str(found[0]) if found else None


@functools.lru_cache(maxsize=1)
def _engine() -> Any:
    """The OCR engine of this process, with the models rapidocr ships."""
    _cap_malloc_arenas()
    import logging

    import rapidocr

    models = Path(rapidocr.__file__).parent / "models"
    det, rec = _bundled_model(models, "det"), _bundled_model(models, "rec")
    if det is None or rec is None:
        raise RuntimeError("rapidocr's wheel holds no models")
    for name in ("RapidOCR", "rapidocr", "onnxruntime"):
        logging.getLogger(name).setLevel(logging.ERROR)
    return rapidocr.RapidOCR(
        params={
            "Global.log_level": "error",
            "Global.use_cls": False,
            "Det.model_path": det,
            "Rec.model_path": rec,
            "EngineConfig.onnxruntime.intra_op_num_threads": 1,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
    )


def _cap_malloc_arenas() -> None:
    """Ask glibc for few malloc arenas: each thread's arena reserves address space,
    and the worker's limit is on address space, not on memory used."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(-8, 2)  # M_ARENA_MAX
    except (OSError, AttributeError):
        pass


def render_scale(width: float, height: float) -> float:
    """The scale that renders a page of ``width`` x ``height`` points at most MAX_SIDE pixels."""
    return min(100 / 72, MAX_SIDE / max(width, height, 1.0))


def read_pixels(pixels: Any) -> str:
    """The text OCR reads in a grey page image (a 2-D uint8 array), line by line."""
    import numpy

    image = numpy.stack([pixels] * 3, axis=-1) if pixels.ndim == 2 else pixels
    with _address_space_for_ocr():
        result = _engine()(image)
    if result.boxes is None or result.txts is None:
        return ""
    return _lines(list(zip(result.boxes, result.txts, strict=False)))


@contextlib.contextmanager
def _address_space_for_ocr() -> Iterator[None]:
    """Room for the OCR models under the worker's address-space limit, for the OCR alone.

    The worker caps its address space so that a hostile file cannot take the
    machine's memory. onnxruntime reserves far more address space than it
    uses (figures in docs/dating.md, "Scanned pages"), while what it reads
    here is annexa's own rendering of one page, never larger than
    ``MAX_SIDE``: its needs do not grow with the file. So the soft limit is
    raised by ``OCR_ADDRESS_MB`` while OCR runs and put back after.
    """
    try:
        import resource
    except ImportError:  # Windows: the worker has no such limit
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        yield
        return
    wanted = soft + OCR_ADDRESS_MB * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    except (ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _lines(pieces: list[tuple[Any, str]]) -> str:
    """Pieces of text with their boxes, put back into lines, top to bottom, left to right."""
    placed = []
    for box, text in pieces:
        ys = [float(point[1]) for point in box]
        xs = [float(point[0]) for point in box]
        placed.append((min(ys), max(ys), min(xs), text.strip()))
    placed.sort()
    lines: list[list[tuple[float, str]]] = []
    bottom = -1.0
    for top, low, left, text in placed:
        if lines and top < bottom - (low - top) / 2:
            lines[-1].append((left, text))
            bottom = max(bottom, low)
        else:
            lines.append([(left, text)])
            bottom = low
    return "\n".join(_LINE_GAP.join(t for _, t in sorted(line)) for line in lines if line)
