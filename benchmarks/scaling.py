"""Render the full suite on synthetic datasets of growing size and print, per size: wall time
per stage, peak memory (largest process, and all processes of the render together), the bytes
of each report, and the same suite rendered the naive way (papermill then jupyter nbconvert,
notebook after notebook) with our time as a ratio of it.

    .venv/bin/python benchmarks/scaling.py 100 1000 10000

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
    out, timings = work / "ours", work / "timings.json"
    result = run_measured([str(BIN / "python"), "-m", "iraq_attacks", "render", "--data",
                           str(data), "--out", str(out), "--force", "--timings", str(timings)],
                          ROOT)
    result["stages"] = json.loads(timings.read_text())
    result["bytes"] = {p.name: p.stat().st_size for p in sorted(out.glob("*.html"))}
    result["bytes"]["briefing.pptx"] = (out / "briefing.pptx").stat().st_size
    return result


def naive(data: Path, work: Path) -> dict:
    """What a user would do without the render command: each notebook through the papermill
    command line, then jupyter nbconvert, one after another."""
    started = time.perf_counter()
    largest = total = 0.0
    for name in NOTEBOOKS:
        executed = work / f"{name}.ipynb"
        for command in ([str(BIN / "papermill"), str(ROOT / "notebooks" / f"{name}.ipynb"),
                         str(executed), "-p", "data_dir", str(data), "--no-progress-bar"],
                        [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input",
                         str(executed)]):
            step = run_measured(command, work)
            largest, total = max(largest, step["largest_mib"]), max(total, step["total_mib"])
    return {"seconds": time.perf_counter() - started, "largest_mib": largest,
            "total_mib": total}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1000, 10000])
    parser.add_argument("--no-naive", action="store_true", help="skip the naive loop")
    args = parser.parse_args()
    for rows in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            work = Path(folder)
            data = generate(rows, work / "data")
            mine = ours(data, work)
            print(f"\n{rows:,} rows: full render {mine['seconds']:.1f} s; peak memory: largest "
                  f"process {mine['largest_mib']:.0f} MiB, all processes "
                  f"{mine['total_mib']:.0f} MiB (render process {mine['own_mib']:.0f} MiB, "
                  f"largest kernel {mine['children_mib']:.0f} MiB)")
            for stage, seconds in mine["stages"].items():
                print(f"  {stage:<28} {seconds:7.2f} s")
            print("  bytes: " + ", ".join(f"{k} {v / 1024:.0f} KiB"
                                          for k, v in mine["bytes"].items()))
            if not args.no_naive:
                slow = naive(data, work)
                print(f"  naive papermill + nbconvert loop: {slow['seconds']:.1f} s (largest "
                      f"process {slow['largest_mib']:.0f} MiB); ours / naive = "
                      f"{mine['seconds'] / slow['seconds']:.2f}")


if __name__ == "__main__":
    main()
