"""How long dating one document takes: ``python benchmarks/bench_dating.py``.

Dating runs for every matching file on every scan and every change seen by
``annexa watch``, so it must stay well under a millisecond for a typical
document. This builds three-page documents (a cover with a document control table,
two pages of prose with dates and numbers in sentences, a header and a
footer) and times ``read_dates`` on them: a typical one, and a stress case
whose every paragraph uses label words ("published", "review date",
"agreed") in sentences.

Two figures for each: "fresh", where every call sees text it has not seen
before (a cold scan: each document is dated once), and "again", where the
same facts are dated again (a re-judgement in ``annexa watch``, where
dating keeps the last few texts it read). Both are processor time, the best
of five rounds: on a machine shared with other work, wall time says more
about the neighbours than about dating.
"""

from __future__ import annotations

import time

from annexa.dating import read_dates
from annexa.model import Facts, TextBlock
from annexa.spec.rules import DatingOptions

COVER = (
    "Placement Sufficiency Strategy\n2015 – 2018\nChildren's Services\nDocument control\n"
    "Version\t1.0\nStatus\tFinal\nAuthor\tHead of Service, Tel 01234 567890\n"
    "Date approved\t14 April 2015\nApproved by\tCabinet\nNext review date\tApril 2016\n"
)
PLAIN = (
    "Children in care are visited by their social worker at least every six weeks; 1,234 "
    "children were looked after on 31/03/2014, up from 1,180 a year before. Most live with "
    "foster carers within twenty miles of home (Ref CS/2014/15/001, tel 01234 567890).\n"
)
LABEL_DENSE = (
    "In March 2012 the council published its first strategy; 1,234 children were looked "
    "after on 31/03/2014, up from 1,180 a year before (Ref CS/2014/15/001). The review "
    "date for each placement is agreed with the child and their social worker.\n"
)


def build(prose: str = LABEL_DENSE, variant: int = 0) -> Facts:
    tail = f"Page {variant}\n" if variant else ""
    pages = [COVER + prose * 8 + tail, prose * 12 + tail, prose * 12 + tail]
    blocks = [TextBlock("body", n, text) for n, text in enumerate(pages, 1)]
    blocks.append(TextBlock("header", None, "Sufficiency Strategy 2015-18"))
    blocks.append(TextBlock("footer", None, "Review date: April 2016 | Page 1"))
    metadata = (("pdf:ModDate", "D:20150414101500+01'00'"), ("pdf:CreationDate", "D:20150301"))
    return Facts("s.pdf", 1, 0, "pdf", blocks=tuple(blocks), metadata=metadata)


def main() -> None:
    options = DatingOptions()
    runs = 2000
    for name, prose in (("typical", PLAIN), ("label-dense", LABEL_DENSE)):
        facts = build(prose)
        chars = sum(len(b.text) for b in facts.blocks)
        again = []
        for _ in range(5):
            start = time.process_time()
            for _ in range(runs):
                read_dates(facts, "Strategies/Strategy.pdf", options, 0)
            again.append(time.process_time() - start)
        fresh = []
        for repeat in range(5):
            many = [build(prose, repeat * runs + n + 1) for n in range(runs)]
            start = time.process_time()
            for one in many:
                read_dates(one, "Strategies/Strategy.pdf", options, 0)
            fresh.append(time.process_time() - start)
        print(
            f"read_dates, {name} 3-page document ({chars} characters): "
            f"fresh {min(fresh) / runs * 1e3:.3f} ms, again {min(again) / runs * 1e3:.3f} ms"
        )


if __name__ == "__main__":
    main()
