"""Render the full suite on synthetic datasets of growing size and print, per size: wall time
per stage, peak memory (largest process, and all processes of the render together), the bytes
of each report, and the same suite rendered the naive way (papermill then jupyter nbconvert,
notebook after notebook, then two notebooks at a time) with our time as a ratio of each.

    .venv/bin/python benchmarks/scaling.py 100 1000 10000
    .venv/bin/python benchmarks/scaling.py 100 --repeat 3 --naive-at-once 2

Wall times vary with the machine's load: read them as orders of magnitude, run twice.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import generate  # noqa: E402

from iraq_attacks.render import NOTEBOOKS  # noqa: E402

BIN = Path(sys.executable).parent


def run_measured(command: list[str], cwd: Path) -> dict:
    """Run a command, polling the memory of it and every process it starts."""
    started = time.perf_counter()
    process = psutil.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE)
    largest = total = own = children = 0
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            sizes = [p.memory_info().rss for p in tree if p.is_running()]
        except psutil.Error:
            continue
        largest, total = max(largest, max(sizes, default=0)), max(total, sum(sizes))
        own, children = max(own, sizes[0] if sizes else 0), max(children, max(sizes[1:], default=0))
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{process.stderr.read().decode()}")
    return {"seconds": seconds, "largest_mib": largest / 2**20, "total_mib": total / 2**20,
            "own_mib": own / 2**20, "children_mib": children / 2**20}


def ours(data: Path, work: Path) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    out, timings = work / "ours", work / "timings.json"
    result = run_measured([str(BIN / "python"), "-m", "iraq_attacks", "render", "--data",
                           str(data), "--out", str(out), "--force", "--timings", str(timings)],
                          ROOT)
    result["stages"] = json.loads(timings.read_text())
    result["bytes"] = {p.name: p.stat().st_size for p in sorted(out.glob("*.html"))}
    result["bytes"]["briefing.pptx"] = (out / "briefing.pptx").stat().st_size
    return result


def naive(data: Path, work: Path, at_once: int = 1) -> dict:
    """What a user would do without the render command: each notebook through the papermill
    command line, then jupyter nbconvert; one notebook after another (``at_once`` 1), or
    ``at_once`` notebooks at a time, the next one starting as soon as one is done (what
    ``xargs -P`` or GNU parallel would do), in the notebooks' own order."""
    from concurrent.futures import ThreadPoolExecutor

    lane = work / f"naive-{at_once}"
    lane.mkdir(parents=True)

    def one(name: str) -> list[dict]:
        executed = lane / f"{name}.ipynb"
        return [run_measured(command, lane) for command in (
            [str(BIN / "papermill"), str(ROOT / "notebooks" / f"{name}.ipynb"),
             str(executed), "-p", "data_dir", str(data), "--no-progress-bar"],
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input",
             str(executed)])]

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=at_once) as pool:
        steps = [step for steps in pool.map(one, NOTEBOOKS) for step in steps]
    # memory of the steps running side by side is summed per lane only roughly: the largest
    # single process is exact, the total is the largest step's tree times the lanes
    return {"seconds": time.perf_counter() - started,
            "largest_mib": max(s["largest_mib"] for s in steps),
            "total_mib": max(s["total_mib"] for s in steps) * at_once}


def main() -> None:
    import statistics

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1000, 10000])
    parser.add_argument("--no-naive", action="store_true", help="skip the naive loop")
    parser.add_argument("--naive-at-once", type=int, nargs="+", default=[1, 2],
                        metavar="N", help="run the naive loop with N notebooks at a time "
                        "(default: 1 and 2, one after the other)")
    parser.add_argument("--repeat", type=int, default=1, metavar="R",
                        help="R rounds of ours then each naive loop, one after the other, so "
                        "that a drift in the machine's speed meets both; medians printed")
    args = parser.parse_args()
    for rows in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            work = Path(folder)
            data = generate(rows, work / "data")
            ours_seconds, naive_seconds = [], {n: [] for n in args.naive_at_once}
            for round_number in range(1, args.repeat + 1):
                mine = ours(data, work / f"round-{round_number}")
                ours_seconds.append(mine["seconds"])
                print(f"\n{rows:,} rows, round {round_number}: full render "
                      f"{mine['seconds']:.1f} s; peak memory: largest process "
                      f"{mine['largest_mib']:.0f} MiB, all "
                      f"processes {mine['total_mib']:.0f} MiB (render process "
                      f"{mine['own_mib']:.0f} MiB, largest kernel {mine['children_mib']:.0f} MiB)")
                for stage, seconds in mine["stages"].items():
                    print(f"  {stage:<28} {seconds:7.2f} s")
                print("  bytes: " + ", ".join(f"{k} {v / 1024:.0f} KiB"
                                              for k, v in mine["bytes"].items()))
                if args.no_naive:
                    continue
                for at_once in args.naive_at_once:
                    slow = naive(data, work / f"round-{round_number}", at_once)
                    naive_seconds[at_once].append(slow["seconds"])
                    how = ("notebook after notebook" if at_once == 1
                           else f"{at_once} notebooks at a time")
                    print(f"  naive papermill + nbconvert loop, {how}: {slow['seconds']:.1f} s "
                          f"(largest process {slow['largest_mib']:.0f} MiB); ours / naive = "
                          f"{mine['seconds'] / slow['seconds']:.2f}")
            if args.repeat > 1:
                ours_median = statistics.median(ours_seconds)
                print(f"\n{rows:,} rows, median of {args.repeat} rounds: ours {ours_median:.1f} s")
                for at_once, seconds in naive_seconds.items():
                    if seconds:
                        print(f"  naive, {at_once} at a time: {statistics.median(seconds):.1f} s;"
                              f" ours / naive = {ours_median / statistics.median(seconds):.2f} "
                              f"(rounds: " + ", ".join(
                                  f"{o / n:.2f}" for o, n in zip(ours_seconds, seconds)) + ")")


if __name__ == "__main__":
    main()
