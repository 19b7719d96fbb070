"""How long dating one document takes: ``python benchmarks/bench_dating.py``.

Dating runs for every matching file on every scan and every change seen by
``annexa watch``, so it must stay well under a millisecond for a typical
document. This builds a dense three-page document (a cover with a document
control table, two pages of prose with dates and numbers in sentences, a
header and a footer) and times ``read_dates`` on it.
"""

from __future__ import annotations

import timeit

from annexa.dating import read_dates
from annexa.model import Facts, TextBlock
from annexa.spec.rules import DatingOptions

COVER = (
    "Placement Sufficiency Strategy\n2015 – 2018\nChildren's Services\nDocument control\n"
    "Version\t1.0\nStatus\tFinal\nAuthor\tHead of Service, Tel 01234 567890\n"
    "Date approved\t14 April 2015\nApproved by\tCabinet\nNext review date\tApril 2016\n"
)
PROSE = (
    "In March 2012 the council published its first strategy; 1,234 children were looked "
    "after on 31/03/2014, up from 1,180 a year before (Ref CS/2014/15/001). The review "
    "date for each placement is agreed with the child and their social worker.\n"
)


def build() -> Facts:
    pages = [COVER + PROSE * 8, PROSE * 12, PROSE * 12]
    blocks = [TextBlock("body", n, text) for n, text in enumerate(pages, 1)]
    blocks.append(TextBlock("header", None, "Sufficiency Strategy 2015-18"))
    blocks.append(TextBlock("footer", None, "Review date: April 2016 | Page 1"))
    metadata = (("pdf:ModDate", "D:20150414101500+01'00'"), ("pdf:CreationDate", "D:20150301"))
    return Facts("s.pdf", 1, 0, "pdf", blocks=tuple(blocks), metadata=metadata)


def main() -> None:
    facts = build()
    options = DatingOptions()
    chars = sum(len(b.text) for b in facts.blocks)
    runs = 2000
    seconds = min(
        timeit.repeat(
            lambda: read_dates(facts, "Strategies/Sufficiency Strategy.pdf", options, 0),
            number=runs,
            repeat=5,
        )
    )
    print(f"read_dates: {seconds / runs * 1e3:.3f} ms per document ({chars} characters)")


if __name__ == "__main__":
    main()
