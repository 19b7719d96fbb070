"""Dates kept with the facts: their encoding and the fingerprint of the code that read them."""

from __future__ import annotations

import functools
import hashlib
import json
import zlib
from collections.abc import Sequence
from pathlib import Path

from annexa.model import DocumentDates
from annexa.model.codec import CodecError, decode, encode


def dating_sources() -> list[Path]:
    """The source files of the code that turns facts into dates."""
    import annexa.dating
    import annexa.model.codec
    import annexa.model.dates
    import annexa.model.durations
    import annexa.model.files
    import annexa.spec.rules
    import annexa.words.textsafe

    files = sorted(Path(annexa.dating.__file__).parent.glob("*.py"))
    return files + [
        Path(str(m.__file__))
        for m in (
            annexa.model.codec,
            annexa.model.dates,
            annexa.model.files,
            annexa.model.durations,
            annexa.spec.rules,
            annexa.words.textsafe,
        )
    ]


def fingerprint(files: Sequence[Path], version: str) -> bytes:
    """A digest of these files' names and bytes and a version string."""
    hasher = hashlib.blake2b(version.encode(), digest_size=16)
    for path in files:
        hasher.update(path.name.encode() + b"\0")
        try:
            hasher.update(path.read_bytes())
        except OSError:
            hasher.update(b"\0unreadable")
    return hasher.digest()


@functools.lru_cache(maxsize=1)
def dating_fingerprint() -> bytes:
    """The fingerprint of the dating code and annexa's version, once per process.

    Dates kept from an earlier run are only reused by the same dating code:
    a developer's change to a label list must not be hidden by the cache.
    """
    import annexa

    return fingerprint(dating_sources(), annexa.__version__)


def dates_to_blob(dates: DocumentDates) -> bytes:
    """Dates as the cache stores them: compressed JSON of the model's codec."""
    return zlib.compress(json.dumps(encode(dates), separators=(",", ":")).encode("utf-8"), 1)


def dates_from_blob(blob: bytes) -> DocumentDates | None:
    """Stored dates, or None when the row no longer decodes (it is read again)."""
    try:
        return decode(DocumentDates, json.loads(zlib.decompress(blob)))
    except (CodecError, ValueError, zlib.error):
        return None
