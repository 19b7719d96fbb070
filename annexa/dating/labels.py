"""The labels that make a date in a document count, and what each one means.

Only labelled dates are used: "first date in the text wins" is the classic
failure of document systems. A label says whether its date is when the
document was issued (approved, published, last reviewed) or when it stops
being current (next review, valid until). In UK council templates a bare
"Review date" is the NEXT review, so it is an expiry label, while "Date
reviewed", "Last review date" and "Reviewed" say when the last review was,
so they are issue labels. "Date of review" is read as neither: councils use
it for both, and a date read the wrong way round is worse than none.

Longer labels win over the shorter ones they contain ("Next review date" is
never read as "Date"), because the label pattern is built as a trie that
tries the longest wording first at each position.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from annexa.model.dates import DateKind

ISSUE_LABELS: tuple[str, ...] = (
    "date",
    "dated",
    "date approved",
    "approved",
    "approved on",
    "approval date",
    "date of approval",
    "published",
    "date published",
    "publication date",
    "date of publication",
    "issued",
    "issue date",
    "date issued",
    "date of issue",
    "last reviewed",
    "last review",
    "last review date",
    "date last reviewed",
    "reviewed",
    "reviewed on",
    "date reviewed",
    "date of last review",
    "review completed",
    "last updated",
    "updated",
    "date updated",
    "last revised",
    "revised",
    "date revised",
    "version date",
    "date of version",
    "effective from",
    "effective date",
    "date effective",
    "ratified",
    "date ratified",
    "agreed",
    "date agreed",
    "signed off",
    "date signed off",
    "produced",
    "date produced",
    "adopted",
    "date adopted",
    "endorsed",
    "date endorsed",
    "document date",
    "report date",
    "meeting date",
    "date of meeting",
    # Document-control wording met in UK council templates beyond the above.
    "edition",
    "date of edition",
    "publication",
    "first published",
    "date first published",
    "this version published",
    "version published",
    "date of issue of this version",
    "date of this version",
    "revision date",
    "date of revision",
    "last revision",
    "last revision date",
    "last amended",
    "amended",
    "date amended",
    "amendment date",
    "date of amendment",
    "last update",
    "date last updated",
    "date of last update",
    "approved date",
    "date of ratification",
    "ratification date",
    "sign off date",
    "sign-off date",
    "date signed",
    "date of sign off",
    "date of sign-off",
    "date created",
    "date written",
    "date of document",
    "date of report",
    "date of this report",
    "report dated",
    "valid from",
    "in force from",
    "in effect from",
    "applies from",
    "implemented",
    "date implemented",
    "refreshed",
    "last refreshed",
    "date refreshed",
)

EXPIRY_LABELS: tuple[str, ...] = (
    "next review",
    "next review date",
    "date of next review",
    "next reviewed",
    "review date",
    "due for review",
    "to be reviewed",
    "review due",
    "review due date",
    "review due by",
    "next review due",
    "next review due date",
    "next review due by",
    "date for review",
    "date for next review",
    "review by",
    "next update",
    "next update due",
    "valid until",
    "valid to",
    "valid till",
    "expires",
    "expires on",
    "expiry date",
    "expiry",
    "date of expiry",
    "renewal date",
    # Document-control wording met in UK council templates beyond the above.
    "to be reviewed by",
    "next review by",
    "due for review by",
    "date due for review",
    "review date due",
    "scheduled review",
    "scheduled review date",
    "date of next scheduled review",
    "next scheduled review",
    "next revision",
    "next revision date",
    "date of next revision",
    "next revision due",
    "revision due",
    "next update by",
    "date of next update",
    "expiration date",
    "expiry date of this version",
    "in force until",
    "in effect until",
    "valid through",
)

_KINDS: dict[str, DateKind] = {
    **dict.fromkeys(ISSUE_LABELS, "issue"),
    **dict.fromkeys(EXPIRY_LABELS, "expiry"),
}


def _trie_pattern(phrases: tuple[str, ...]) -> str:
    """One regex for many phrases, longest wording first at each branch.

    A flat alternation of sixty phrases is slow and takes the first branch
    that matches; a trie shares prefixes ("date", "date of ...", "date
    approved") and, because each node tries its continuations before
    stopping, always prefers the longer label.
    """
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for word in phrase.split():
            node = node.setdefault(word, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = []
        for word in sorted((w for w in node if w), key=len, reverse=True):
            branches.append(re.escape(word) + r"(?![^\W_])" + _continue(node[word]))
        return "(?:" + "|".join(branches) + ")"

    def _continue(child: dict) -> str:
        words = [w for w in child if w]
        if not words:
            return ""
        rest = r"(?:[^\S\n]+" + build(child) + ")"
        return rest if "" not in child else rest + "?"

    return build(trie)


# A label is a whole phrase: not the end of a longer word ("Update" is not "date").
_LABEL_PATTERN = r"(?<![^\W_])" + _trie_pattern(tuple(_KINDS))
_FIRST_LETTERS = "".join(sorted({label[0] for label in _KINDS}))
LABEL_RE = re.compile(_LABEL_PATTERN, re.IGNORECASE)
# The same labels for lower-cased text: scanning three pages is the costliest
# step of dating, and Python's regex engine is about twice as fast without
# IGNORECASE, faster still when most positions fail on a first-letter check.
_LOWER_LABEL_RE = re.compile(rf"(?<![^\W_])(?=[{_FIRST_LETTERS}])" + _trie_pattern(tuple(_KINDS)))


def find_labels(
    text: str, stretches: Iterable[tuple[int, int]] | None = None
) -> Iterator[re.Match[str]]:
    """Every label in ``text``, left to right; positions are those of ``text``.

    ``stretches``: (start, end) ranges of whole lines, in order, to search
    instead of the whole text. A label never spans lines, so the labels
    found are exactly those of the whole text that lie in them.
    """
    lowered = text.lower()
    pattern = _LOWER_LABEL_RE
    if len(lowered) != len(text):  # lower() changed lengths ("İ"): keep positions exact
        lowered, pattern = text, LABEL_RE
    if stretches is None:
        return pattern.finditer(lowered)
    return (m for start, end in stretches for m in pattern.finditer(lowered, start, end))


def label_kind(label: str) -> DateKind:
    """ "issue" or "expiry" for a label matched by LABEL_RE, in any case or spacing."""
    return _KINDS[" ".join(label.lower().split())]


def display_label(label: str) -> str:
    """The label as written, in sentence case and single-spaced: "DATE  APPROVED" -> "Date approved"."""
    words = " ".join(label.split())
    return words[:1].upper() + words[1:].lower()


# Words that, just before a bare "Date", make it some other date: the start or
# end of something, a deadline, a birth. "Start date: 1 April 2015" is not when
# the document was issued.
_NOT_ISSUE_QUALIFIERS = frozenset(
    [
        "start",
        "starting",
        "commencement",
        "end",
        "ending",
        "finish",
        "completion",
        "complete",
        "close",
        "closing",
        "due",
        "target",
        "deadline",
        "submission",
        "delivery",
        "implementation",
        "termination",
        "birth",
        "expiry",
        "expiration",
        "renewal",
        "planned",
        "proposed",
        "anticipated",
        "expected",
        "estimated",
        "next",
        "last",
        "print",
        "printed",
        "printing",
        "save",
        "saved",
        "hearing",
        "appointment",
        "visit",
        "referral",
        "contact",
        "admission",
        "discharge",
        "placement",
        "payment",
        "invoice",
        "booking",
        "event",
        "course",
        "training",
        "session",
        "inspection",
        "entry",
        "exit",
        "release",
        "launch",
        "the",
        "a",
        "an",
        "this",
        "that",
        "any",
        "each",
        "which",
        "what",
        "your",
        "our",
        "their",
        "its",
        "his",
        "her",
        "my",
        "same",
        "from",
        "until",
        "till",
        "to",
    ]
)

# Words that deny an issue label ("to be approved", "not yet published").
_DENIALS = frozenset(["be", "not", "yet", "awaiting", "pending", "un"])
# Words that turn an expiry label into a past event ("Previous review date").
_PAST = frozenset(["previous", "prior", "last", "original", "earlier", "former"])


def _word_before(line: str, start: int) -> str:
    """The word just before ``start``, across spaces and a hyphen ("Start - date" -> "start").

    Walked by hand: it runs for every label found, and a regex search from the
    line's start would cost time in proportion to the line for each one.
    """
    i = start
    while i > 0 and (line[i - 1].isspace() or line[i - 1] == "-") and line[i - 1] != "\n":
        i -= 1
    j = i
    while j > 0 and line[j - 1].isalpha():
        j -= 1
    return line[j:i].lower()


def qualified_away(line: str, start: int, label: str) -> bool:
    """Whether the words just before a label change its meaning.

    "Start date", "Due date", "the date" are not the document's date; "to
    be approved" and "not yet published" are promises, not issue dates.
    """
    before = _word_before(line, start)
    if not before:
        return False
    lowered = " ".join(label.lower().split())
    if lowered == "date" and before in _NOT_ISSUE_QUALIFIERS:
        return True
    kind = _KINDS.get(lowered)
    if kind == "issue":
        return before in _DENIALS
    return before in _PAST
