"""A render re-renders exactly the reports whose inputs changed: nothing when nothing changed,
one report when its notebook changed, all of them when the data changed, and everything with
force."""

from __future__ import annotations

import shutil

import nbformat
import pytest
from conftest import FIXTURE_DATA, edit_cell

from iraq_attacks.paths import NOTEBOOKS_DIR
from iraq_attacks.render import NOTEBOOKS, render

pytestmark = pytest.mark.render


@pytest.fixture
def workspace(rendered, tmp_path):
    reports = tmp_path / "reports"
    shutil.copytree(rendered, reports)
    notebooks = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS_DIR, notebooks)
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    return reports, notebooks, data


def stamps(folder):
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if p.is_file()}


def test_nothing_changed_renders_nothing(rendered, tmp_path):
    reports = tmp_path / "reports"
    shutil.copytree(rendered, reports)
    before = stamps(reports)
    outcome = render(data_dir=FIXTURE_DATA, out_dir=reports)
    assert outcome.rendered == [] and sorted(outcome.skipped) == sorted(NOTEBOOKS)
    assert not outcome.deck and stamps(reports) == before


def test_a_changed_notebook_re_renders_only_that_report(workspace):
    reports, notebooks, data = workspace
    nb = nbformat.read(notebooks / "casualties.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("An added closing remark."))
    nbformat.write(nb, notebooks / "casualties.ipynb")
    # the copied notebooks folder is a different path: its other notebooks are unchanged
    outcome = render(data_dir=FIXTURE_DATA, out_dir=reports, notebooks_dir=notebooks)
    assert outcome.rendered == ["casualties"] and outcome.deck
    assert "An added closing remark." in (reports / "casualties.html").read_text()


def test_changed_data_re_renders_every_report(workspace):
    reports, _, data = workspace
    # the copy alone, unedited, changes nothing: the data's bytes are the key, not its path
    assert render(data_dir=data, out_dir=reports).rendered == []
    edit_cell(data, "attacks.csv", 0, "notes", "A corrected note.")
    outcome = render(data_dir=data, out_dir=reports)
    assert sorted(outcome.rendered) == sorted(NOTEBOOKS)


def test_force_and_changed_parameters(workspace):
    reports, _, _ = workspace
    assert sorted(render(data_dir=FIXTURE_DATA, out_dir=reports, force=True).rendered) == \
        sorted(NOTEBOOKS)
    outcome = render(data_dir=FIXTURE_DATA, out_dir=reports, overrides={"window_days": "14"})
    assert outcome.rendered == ["escalation"]


def test_a_deleted_report_is_rendered_again(workspace):
    reports, _, _ = workspace
    (reports / "frequency.html").unlink()
    assert render(data_dir=FIXTURE_DATA, out_dir=reports).rendered == ["frequency"]


def test_every_template_file_is_part_of_the_code_fingerprint():
    """A stylesheet or script edited in the templates must re-render the reports (page.css and
    tables.js were once left out of the key, so a CSS fix said "nothing changed")."""
    from iraq_attacks.fingerprints import CODE_SUFFIXES
    from iraq_attacks.paths import TEMPLATES_DIR

    files = [p for p in TEMPLATES_DIR.rglob("*") if p.is_file()]
    assert {p.suffix for p in files} >= {".css", ".js", ".j2"}
    assert all(p.suffix in CODE_SUFFIXES for p in files), files


def test_the_pinned_environment_is_part_of_the_code_fingerprint(monkeypatch, tmp_path):
    """Another pinned matplotlib draws every chart differently: a changed requirements.txt
    must re-render the reports, not answer "nothing changed"."""
    import shutil

    from iraq_attacks import fingerprints
    from iraq_attacks.paths import PROJECT_ROOT

    project = tmp_path / "project"
    shutil.copytree(fingerprints.PACKAGE_DIR, project / "iraq_attacks",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PROJECT_ROOT / "requirements.txt", project / "requirements.txt")
    monkeypatch.setattr(fingerprints, "PACKAGE_DIR", project / "iraq_attacks")
    before = fingerprints.code_fingerprint()
    requirements = project / "requirements.txt"
    requirements.write_text(requirements.read_text().replace("matplotlib==", "matplotlib>="))
    assert fingerprints.code_fingerprint() != before
