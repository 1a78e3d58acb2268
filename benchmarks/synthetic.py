"""Synthetic attack datasets for benchmarks: valid under the schema, drawn from the real data.

    .venv/bin/python benchmarks/synthetic.py 100000 /tmp/synthetic-100k

Each synthetic attack copies a real row (site, weapon, projectiles, casualties with their
empty cells, outcome, sources) chosen at random, on a random date of the window, with a new id.
Sites, milestones and coverage are the real files; casualty reports and press counts are
empty (they refer to real attacks). Seeded: the same size gives the same files.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from iraq_attacks.data import sourced_window  # noqa: E402
from iraq_attacks.paths import DATA_DIR  # noqa: E402
from iraq_attacks.schema import CASUALTY_REPORTS, PRESS_COUNTS  # noqa: E402


def generate(rows: int, out_dir: Path, seed: int = 2020) -> Path:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in ("sites.csv", "milestones.csv", "coverage.csv", "groups.csv", "sources.csv"):
        shutil.copy(DATA_DIR / name, out_dir / name)
    for table in (CASUALTY_REPORTS, PRESS_COUNTS):
        (out_dir / table.filename).write_text(",".join(table.columns) + "\n", encoding="utf-8")
    real = pd.read_csv(DATA_DIR / "attacks.csv", dtype=str, keep_default_na=False)
    rng = np.random.default_rng(seed)
    picked = real.iloc[rng.integers(0, len(real), rows)].reset_index(drop=True)
    # dates spread over the real data's window (its sourced months), whose coverage.csv is copied
    first, last = sourced_window(pd.read_csv(DATA_DIR / "coverage.csv", dtype=str))
    days = (last - first).days + 1
    dates = first + pd.to_timedelta(rng.integers(0, days, rows), unit="D")
    picked["date"] = dates.strftime("%Y-%m-%d")
    picked["attack_id"] = [f"ATK-{i:07d}" for i in range(1, rows + 1)]
    # two sources a row, as most rows of a large dataset would have (the real rows carry
    # up to 28, which would make a million-row file a gigabyte of URLs); the independent
    # outlets first, so that a row's confidence still follows the sourcing rules
    from iraq_attacks.schema import url_domain

    kinds = pd.read_csv(DATA_DIR / "sources.csv", dtype=str).set_index("domain")["kind"]
    weak = {"state_affiliated", "partisan"}

    def two_sources(cell: str) -> str:
        urls = sorted(cell.split(), key=lambda u: kinds.get(url_domain(u), "") in weak)
        return " ".join(urls[:2])

    picked["source_urls"] = picked["source_urls"].map(two_sources)
    # and a short note: the real notes run to several hundred characters, which no analysis
    # reads; at a million rows they would be most of the file
    picked["notes"] = picked["notes"].str.slice(0, 80).str.strip()
    picked = picked.sort_values(["date", "attack_id"])
    picked.to_csv(out_dir / "attacks.csv", index=False, lineterminator="\n")
    return out_dir


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=2020)
    args = parser.parse_args()
    print(generate(args.rows, args.out_dir, args.seed))
