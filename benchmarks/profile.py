"""Where the time and memory of a render go, on a synthetic dataset of ROWS attacks.

    .venv/bin/python benchmarks/profile.py 1000000            # both parts below
    .venv/bin/python benchmarks/profile.py 1000000 --part load
    .venv/bin/python benchmarks/profile.py 1000000 --part cells --notebook escalation

``load``: a pyinstrument profile of what the render does before any kernel starts (validate,
type, order the rows) and of writing the kernels' snapshot, with the peak RSS.
``cells``: each notebook's code cells run one by one in this process against that snapshot,
with the seconds and the peak RSS of each; the slowest and largest cells are where to look.
Kernel start-up and papermill's own overhead are not in these figures (scaling.py has them).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import generate  # noqa: E402

from iraq_attacks.render import NOTEBOOKS  # noqa: E402


class PeakMemory:
    """The peak RSS of this process since the last reset, sampled every 5 ms."""

    def __init__(self) -> None:
        self.process, self.peak = psutil.Process(), 0
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while True:
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.005)

    def reset(self) -> None:
        self.peak = self.process.memory_info().rss

    @property
    def mib(self) -> float:
        return self.peak / 2**20


def profile_load(data: Path, snapshot: Path, memory: PeakMemory) -> None:
    from pyinstrument import Profiler

    from iraq_attacks.data import load_dataset, save_snapshot

    memory.reset()
    profiler = Profiler()
    with profiler:
        dataset = load_dataset(data)
        save_snapshot(dataset, snapshot)
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    print(f"peak RSS while loading and writing the snapshot: {memory.mib:.0f} MiB")


def profile_cells(name: str, data: Path, snapshot: Path, figures: Path,
                  memory: PeakMemory) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import IPython.display

    IPython.display.display = lambda *args, **kwargs: None  # nothing to show it to
    notebook = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
    namespace: dict = {"display": IPython.display.display}
    print(f"\n{name}.ipynb (cell number as in the notebook, seconds, peak RSS, first line)")
    for number, cell in enumerate(notebook["cells"], start=1):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            exec(source, namespace)
            namespace.update(data_dir=str(data), dataset_snapshot=str(snapshot),
                             figures_dir=str(figures))
            continue
        memory.reset()
        started = time.perf_counter()
        exec(source.replace("import HTML, Markdown, display", "import HTML, Markdown"), namespace)
        first = next((line for line in source.splitlines() if line.strip()), "")
        print(f"  cell {number:2} {time.perf_counter() - started:6.2f} s {memory.mib:6.0f} MiB  "
              f"{first[:70]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("--part", choices=["load", "cells", "both"], default="both")
    parser.add_argument("--notebook", choices=NOTEBOOKS, action="append")
    args = parser.parse_args()
    memory = PeakMemory()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        data = generate(args.rows, work / "data")
        snapshot = work / "dataset.pickle"
        if args.part in ("load", "both"):
            profile_load(data, snapshot, memory)
        if args.part in ("cells", "both"):
            if not snapshot.exists():
                from iraq_attacks.data import load_dataset, save_snapshot

                save_snapshot(load_dataset(data), snapshot)
            for name in args.notebook or NOTEBOOKS:
                profile_cells(name, data, snapshot, work / "figures", memory)


if __name__ == "__main__":
    main()
