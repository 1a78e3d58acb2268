"""Time a full render of the committed data, stage by stage, and print the figures.

    .venv/bin/python benchmarks/render.py [--repeat N] [--jobs N]

Renders into a temporary folder (reports/ is not touched). Wall times vary with the machine's
load: run it twice and read the second run.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from iraq_attacks.data import load_dataset  # noqa: E402
from iraq_attacks.render import render  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None, help="notebooks at once")
    args = parser.parse_args()

    started = time.perf_counter()
    dataset = load_dataset()
    seconds = time.perf_counter() - started
    print(f"data: {len(dataset.attacks)} attacks; load + validate {seconds:.2f} s")
    print(f"cores: {os.cpu_count()}; notebooks at once: {args.jobs or 'one per core'}")
    runs = []
    for run in range(1, args.repeat + 1):
        with tempfile.TemporaryDirectory() as out:
            outcome = render(out_dir=Path(out), workers=args.jobs, stream=io.StringIO())
            timings = dict(outcome.timings)
            sizes = {p.name: p.stat().st_size for p in Path(out).glob("*.html")}
        runs.append(timings)
        print(f"\nrun {run}: total {timings['total']:.2f} s")
        for stage, seconds in timings.items():
            if stage != "total":
                print(f"  {stage:<28} {seconds:6.2f} s")
        print("  report sizes: " + ", ".join(f"{k} {v / 1024:.0f} KiB" for k, v in
                                             sorted(sizes.items())))
    totals = [r["total"] for r in runs]
    print(f"\nfull render: median {statistics.median(totals):.2f} s, min {min(totals):.2f} s, "
          f"max {max(totals):.2f} s over {len(totals)} runs")


if __name__ == "__main__":
    main()
