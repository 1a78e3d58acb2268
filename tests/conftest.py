"""Shared fixtures: the real data folder, the small fixture dataset, and broken copies."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest

from iraq_attacks.paths import DATA_DIR, PROJECT_ROOT
from iraq_attacks.render import render

FIXTURE_DATA = PROJECT_ROOT / "tests" / "fixtures" / "data"
EPOCH = "1700000000"  # 2023-11-14 22:13 UTC: the generation time of test renders


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A copy of the real data folder that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def read_rows(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_rows(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def edit_cell(folder: Path, filename: str, row_index: int, column: str, value: str) -> None:
    """Set one cell (row_index 0 = first data row, spreadsheet row 2)."""
    columns, rows = read_rows(folder / filename)
    rows[row_index][column] = value
    write_rows(folder / filename, columns, rows)


def input_snapshot() -> dict[str, bytes]:
    """The bytes of every input a render reads: the fixture data and the notebooks."""
    folders = [FIXTURE_DATA, PROJECT_ROOT / "notebooks"]
    return {str(p): p.read_bytes() for folder in folders for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.fixture(scope="session")
def inputs_before_render() -> dict[str, bytes]:
    return input_snapshot()


@pytest.fixture(scope="session")
def rendered(tmp_path_factory, inputs_before_render) -> Path:
    """Every report rendered once from the fixture data, with a fixed generation time."""
    out = tmp_path_factory.mktemp("reports")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        render(data_dir=FIXTURE_DATA, out_dir=out)
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    return out
