"""Committed notebooks are stripped of outputs and carry what papermill and readers need."""

from __future__ import annotations

import ast

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


def _setup_cell(path):
    cells = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    tagged = next(i for i, c in enumerate(cells) if "parameters" in c.metadata.get("tags", []))
    return cells[tagged + 1].source


def test_every_notebook_opens_its_report_with_the_same_setup_cell():
    """One call chooses a report's rows, the one the render and the deck use: a notebook
    that selected its own rows could describe other attacks than its neighbours."""
    setups = {path.stem: _setup_cell(path) for path in PATHS}
    assert len(set(setups.values())) == 1, "the setup cells differ"
    assert "open_report(globals())" in setups["overview"]


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebook_stays_thin(path):
    """Logic lives in the package: cells call, show and explain. No function, class, loop over
    rows, data reading or table arithmetic of their own, and no cell longer than a screen."""
    cells = [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    source = "\n".join(cells)
    tree = ast.parse(source)
    own = [type(n).__name__ for n in ast.walk(tree)
           if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda,
                             ast.While))]
    assert not own, f"{path.name} defines logic of its own: {own}"
    imported = {alias.name.split(".")[0] for n in ast.walk(tree)
                if isinstance(n, (ast.Import, ast.ImportFrom))
                for alias in ([ast.alias(n.module)] if isinstance(n, ast.ImportFrom) and n.module
                              else n.names)}
    assert imported <= {"IPython", "iraq_attacks"}, f"{path.name} imports {imported}"
    called = {n.func.attr for n in ast.walk(tree)
              if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)}
    for method in ("read_csv", "groupby", "merge", "resample", "apply", "pivot_table"):
        assert method not in called, f"{path.name} computes with .{method}()"
    assert "load_dataset" not in source and "select_attacks" not in source
    assert max(len(c.splitlines()) for c in cells) <= 20
