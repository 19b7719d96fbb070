"""``annexa pack`` streams files: its memory does not grow with the size of what it packs.

Run with ``.venv/bin/python benchmarks/pack_memory.py [--mb 1024]``.

It writes (in a temporary folder, removed afterwards) a share holding one
data list of ``--mb`` megabytes and a spec that asks for it, then packs the
share twice, into a zip and into a folder, each as a user runs it (a new
``python -m annexa pack`` process), and prints for each the wall time and the
peak resident memory (RSS) of the largest process, beside the size of the
file packed. A pack that held the file in memory would peak above its size.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SPEC = """[spec]
name = "Pack memory benchmark"

[[item]]
id = "L1"
title = "List 1: contacts"
patterns = ["*list*1*"]
formats = ["csv"]
columns = ["Child Unique ID"]
max_age = "5 days"
"""

ROW = b"CH0000001,2015-09-14,Referral received from the police and passed to the MASH\r\n"


def _write_share(root: Path, megabytes: int) -> Path:
    root.mkdir()
    (root / "annexa.toml").write_text(SPEC, encoding="utf-8")
    big = root / "List 1 contacts 2015-09-15.csv"
    block = ROW * (1024 * 1024 // len(ROW))
    with open(big, "wb") as out:
        out.write(b"Child Unique ID,Date,Note\r\n")
        for _ in range(megabytes):
            out.write(block)
    return big


_MEASURE = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def _pack(root: Path, dest: Path, cache: Path) -> tuple[float, float]:
    """Wall seconds and the peak RSS (MB) of the largest process the pack started.

    The pack runs under a small parent of its own, so that parent's children
    are this pack's processes alone (Linux reports ``ru_maxrss`` in kB).
    """
    command = [sys.executable, "-m", "annexa", "pack", str(dest), str(root)]
    command += ["--as-of", "2015-09-16", "--cache-dir", str(cache)]
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command], check=True, capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    return wall, int(result.stdout.strip()) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=1024, help="size of the file to pack, in MB")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="annexa-pack-bench-") as folder:
        base = Path(folder)
        big = _write_share(base / "share", args.mb)
        size = big.stat().st_size / 1024 / 1024
        print(f"file packed: {size:,.0f} MB ({big.name})")
        for label, dest in (("zip", base / "pack.zip"), ("folder", base / "pack")):
            wall, peak = _pack(base / "share", dest, base / "cache")
            print(f"pack into a {label:<6}  {wall:6.1f} s   peak RSS {peak:6.0f} MB")


if __name__ == "__main__":
    main()
