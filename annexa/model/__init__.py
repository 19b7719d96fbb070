"""The data that flows through annexa's pipeline.

Everything here is plain, immutable data: a file found under ROOT, the facts a
worker extracted from it, the dates found in those facts, and the Report that
every face (terminal, TUI, HTML, JSON, CI) renders. Keeping it plain is what
lets scan, watch and CI give the same answer: they all call the same pure
``evaluate`` over these values, and a worker's failure is a value too.
"""

from annexa.model.dates import (
    BASIS_RANK,
    DATE_SOURCES,
    SPAN_RANK,
    DateBasis,
    DateSource,
    DocumentDates,
    DraftMark,
    FoundDate,
    YearSpan,
)
from annexa.model.files import (
    ColumnDates,
    DateCount,
    Facts,
    FileEntry,
    RowGroup,
    Sheet,
    TextBlock,
)
from annexa.model.report import (
    STATUS_ORDER,
    SUMMARY_KEYS,
    Evidence,
    FileError,
    ItemResult,
    NearestItem,
    Report,
    RowProblem,
    Severity,
    Status,
    Suggestion,
    WaiverState,
)

__all__ = [
    "BASIS_RANK",
    "DATE_SOURCES",
    "SPAN_RANK",
    "STATUS_ORDER",
    "SUMMARY_KEYS",
    "ColumnDates",
    "DateBasis",
    "DateCount",
    "DateSource",
    "DocumentDates",
    "DraftMark",
    "Evidence",
    "Facts",
    "FileEntry",
    "FileError",
    "FoundDate",
    "ItemResult",
    "NearestItem",
    "Report",
    "RowGroup",
    "RowProblem",
    "Severity",
    "Sheet",
    "Status",
    "Suggestion",
    "TextBlock",
    "WaiverState",
    "YearSpan",
]
