"""Committed notebooks are stripped of outputs and carry what papermill and readers need."""

from __future__ import annotations

import nbformat
import pytest

from iraq_attacks.paths import NOTEBOOKS_DIR
from iraq_attacks.render import NOTEBOOKS

PATHS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def test_the_four_reports_exist():
    assert sorted(p.stem for p in PATHS) == sorted(NOTEBOOKS)


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebook_is_stripped_and_well_formed(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: committed with outputs"
            assert cell.execution_count is None, f"{path.name}: committed with counts"
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.metadata["title"] and nb.metadata["description"]


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebook_stays_thin(path):
    """Logic lives in the package: no notebook defines functions or classes, and every
    notebook reads the data through load_dataset."""
    source = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells
                       if c.cell_type == "code")
    assert "def " not in source and "class " not in source
    assert "load_dataset(data_dir, snapshot=dataset_snapshot)" in source
    assert "read_csv" not in source
