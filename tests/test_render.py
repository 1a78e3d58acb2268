"""End to end: papermill runs the real notebooks on the fixture data, nbconvert exports them,
and the pages are checked as files: no code, images embedded, nothing external, a correct
header, nothing of the machinery. Failure paths leave the previous reports in place."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from conftest import FIXTURE_DATA, edit_cell

from iraq_attacks import __version__
from iraq_attacks.data import data_fingerprint, load_dataset
from iraq_attacks.parameters import ParameterError
from iraq_attacks.paths import DATA_DIR, NOTEBOOKS_DIR, REPORTS_DIR
from iraq_attacks.render import NOTEBOOKS, RenderError, render
from iraq_attacks.validate import DataValidationError

pytestmark = pytest.mark.render


class PageScan(HTMLParser):
    """Collects what a page would load, its images and its visible text."""

    def __init__(self):
        super().__init__()
        self.references: list[tuple[str, str, str]] = []
        self.images: list[str] = []
        self.alts: list[str] = []
        self.meta: dict[str, str] = {}
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for attribute in ("src", "href", "data", "action", "poster"):
            if attrs.get(attribute):
                self.references.append((tag, attribute, attrs[attribute]))
        if tag == "img":
            self.images.append(attrs.get("src", ""))
            self.alts.append(attrs.get("alt") or "")
        if tag == "meta" and attrs.get("name"):
            self.meta[attrs["name"]] = attrs.get("content", "")
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def scan(path: Path) -> tuple[str, PageScan]:
    html = path.read_text(encoding="utf-8")
    page = PageScan()
    page.feed(html)
    return html, page


def external(reference: str) -> bool:
    return bool(re.match(r"\s*(https?:)?//", reference, re.I))


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_report_is_self_contained_and_hides_code(rendered, name):
    html, page = scan(rendered / f"{name}.html")
    loaded = [(t, a, r) for t, a, r in page.references if t in ("script", "link", "img",
                                                                 "iframe", "embed", "object")]
    assert not [r for r in loaded if external(r[2])], "page loads something from the network"
    assert "<script src" not in html
    assert "@import" not in html and not re.search(r"url\(\s*['\"]?(https?:)?//", html)
    assert page.images and all(src.startswith("data:image/png;base64,") for src in page.images)
    assert 'jp-InputArea-editor"' not in html and 'class="jp-InputPrompt' not in html
    assert 'class="jp-CodeMirrorEditor' not in html and 'class="highlight' not in html
    # the finding, not a label: "Chart: <title>" said nothing a screen reader could not guess
    assert all(not alt.startswith("Chart") and len(alt) > 12 for alt in page.alts), page.alts
    text = " ".join(page.text)
    for leak in ("Traceback", "Warning", "papermill", "injected-parameters", "data_dir: str",
                 "import ", "load_dataset(", "PosixPath"):
        assert leak not in text, f"{name}: {leak!r} shows in the report"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_report_header_states_provenance(rendered, name):
    html, page = scan(rendered / f"{name}.html")
    dataset = load_dataset(FIXTURE_DATA)
    fingerprint = data_fingerprint(FIXTURE_DATA)
    assert page.meta["data-sha256"] == fingerprint
    text = " ".join(" ".join(page.text).split())
    assert f"{len(dataset.attacks)} of {len(dataset.attacks)} attacks" in text
    assert "2019-10-01 to 2020-03-31" in text
    assert f"iraq_attacks {__version__}" in text
    assert "2023-11-14 22:13 UTC" in text  # SOURCE_DATE_EPOCH honoured
    assert "start_date=''" in text and "window_days=" in text or name != "escalation"
    assert "period='W'" in text or name in ("escalation", "casualties")  # they count no periods
    title = nbformat.read(NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4).metadata["title"]
    assert f"<title>{title}</title>" in html.replace("&#39;", "'")


def test_index_lists_every_report_with_provenance(rendered):
    html, page = scan(rendered / "index.html")
    links = [r for t, a, r in page.references if t == "a"]
    pages = [f"{n}.html" for n in NOTEBOOKS]
    # the navigation bar (index, every report, methods), then the list of reports
    assert links == (["index.html"] + pages + ["methods.html"] + pages
                     + ["briefing.pptx", "figures/", "methods.html"])
    manifest = json.loads((rendered / "manifest.json").read_text())
    assert list(manifest) == list(NOTEBOOKS)
    for entry in manifest.values():
        assert entry["fingerprint"] == data_fingerprint(FIXTURE_DATA)
        assert entry["rows_used"] + entry["rows_excluded"] == entry["rows_input"]
        assert (rendered / entry["file"]).stat().st_size == entry["bytes"]


def test_figures_are_written_for_slides(rendered):
    from PIL import Image

    pngs = sorted((rendered / "figures").glob("*.png"))
    assert {p.stem.split("-", 1)[0] for p in pngs} == set(NOTEBOOKS)
    for png in pngs:
        assert Image.open(png).size == (1920, 1080)
        assert png.with_suffix(".svg").exists()


def test_data_and_notebooks_are_not_modified_by_a_render(rendered, inputs_before_render):
    from conftest import input_snapshot

    assert input_snapshot() == inputs_before_render


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.fixture
def previous_reports(rendered, tmp_path) -> Path:
    out = tmp_path / "reports"
    shutil.copytree(rendered, out)
    return out


def test_failing_notebook_stops_the_render_and_keeps_previous_reports(previous_reports,
                                                                       tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(NOTEBOOKS_DIR / "overview.ipynb", notebooks / "overview.ipynb")
    broken = nbformat.read(NOTEBOOKS_DIR / "frequency.ipynb", as_version=4)
    broken.cells.append(nbformat.v4.new_code_cell("raise ValueError('the chart broke')"))
    nbformat.write(broken, notebooks / "frequency.ipynb")
    before = snapshot(previous_reports)
    with pytest.raises(RenderError) as error:
        render(notebooks=["overview", "frequency"], data_dir=FIXTURE_DATA,
               out_dir=previous_reports, notebooks_dir=notebooks)
    message = str(error.value)
    assert "frequency.ipynb" in message
    assert f"cell {len(broken.cells)} of {len(broken.cells)}" in message
    assert "raise ValueError('the chart broke')" in message
    assert "ValueError: the chart broke" in message
    assert snapshot(previous_reports) == before
    assert not list(previous_reports.glob(".render-*"))


def test_invalid_data_stops_before_any_notebook_runs(previous_reports, tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    edit_cell(data, "attacks.csv", 0, "date", "2020-13-01")
    ran = []
    monkeypatch.setattr("iraq_attacks.render._execute", lambda *a: ran.append(a))
    before = snapshot(previous_reports)
    with pytest.raises(DataValidationError, match="column date: '2020-13-01' is not a date"):
        render(data_dir=data, out_dir=previous_reports)
    assert ran == [] and snapshot(previous_reports) == before


def test_bad_parameter_stops_before_any_notebook_runs(previous_reports, monkeypatch):
    ran = []
    monkeypatch.setattr("iraq_attacks.render._execute", lambda *a: ran.append(a))
    for name, value, expected in [("start_date", "2020-13-01", "not a valid date"),
                                  ("period", "fortnight", "use W (weekly), M (monthly)"),
                                  ("colour", "red", "unknown parameter 'colour'; the notebooks")]:
        with pytest.raises(ParameterError, match=re.escape(expected)):
            render(overrides={name: value}, data_dir=FIXTURE_DATA, out_dir=previous_reports)
    assert ran == []


def test_cli_render_reports_errors_and_exit_code(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "iraq_attacks", "render", "--out", str(tmp_path / "out"),
         "--data", str(FIXTURE_DATA), "-p", "period", "fortnight"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "render refused: parameter period: 'fortnight' is not accepted" in result.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.html"))


def test_plain_papermill_from_another_folder_with_a_filter(tmp_path):
    """The README's papermill command works from any working directory; a filter that leaves
    no rows gives a message in the notebook, not a traceback."""
    output = tmp_path / "out.ipynb"
    result = subprocess.run(
        [str(Path(sys.executable).parent / "papermill"), str(NOTEBOOKS_DIR / "frequency.ipynb"),
         str(output), "-p", "data_dir", str(FIXTURE_DATA), "-p", "start_date", "2019-11-01",
         "-p", "end_date", "2019-11-30", "--no-progress-bar"],
        cwd=tmp_path, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    nb = nbformat.read(output, as_version=4)
    shown = json.dumps([c.get("outputs", []) for c in nb.cells])
    assert "No attack in the data matches this selection" in shown
    assert '"output_type": "error"' not in shown


def test_committed_reports_were_rendered_from_the_current_data():
    """The committed reports come from the current data, notebooks and package code: each
    report's input key (data, notebook, code, parameters) is the one a render would compute
    now, so a changed notebook or module without `make reports` fails here."""
    from iraq_attacks.fingerprints import code_fingerprint, input_key
    from iraq_attacks.render import plan_jobs

    manifest = json.loads((REPORTS_DIR / "manifest.json").read_text(encoding="utf-8"))
    fingerprint = data_fingerprint(DATA_DIR)
    assert set(manifest) == set(NOTEBOOKS)
    code = code_fingerprint()
    for job in plan_jobs(list(NOTEBOOKS), {}, None):
        entry = manifest[job.name]
        assert entry["fingerprint"] == fingerprint, f"reports/{job.name}.html: make reports"
        parameters = {k: v for k, v in job.parameters.items() if k != "data_dir"}
        assert entry["input_key"] == input_key(fingerprint, code, job.path, parameters), (
            f"reports/{job.name}.html was rendered from other notebooks or code: make reports")
        _, page = scan(REPORTS_DIR / entry["file"])
        assert page.meta["data-sha256"] == fingerprint


def test_the_render_process_imports_papermill_without_the_iri_grammar():
    """jsonschema loads rfc3987-syntax, when installed, as nbformat imports it (through
    papermill and nbconvert); that checker builds a grammar on import, 1.3 s on the render's
    critical path before the first kernel. The render keeps it out, and nbformat still reads
    and validates every notebook, and jsonschema's other checks still work."""
    script = """
import sys
from iraq_attacks.render import NOTEBOOKS, _skip_iri_grammar
from iraq_attacks.paths import NOTEBOOKS_DIR
_skip_iri_grammar()
import jsonschema, nbconvert, nbformat, papermill
assert sys.modules.get("rfc3987_syntax") is None, "rfc3987_syntax was imported"
for name in NOTEBOOKS:
    nbformat.validate(nbformat.read(str(NOTEBOOKS_DIR / f"{name}.ipynb"), as_version=4))
checker = jsonschema.Draft202012Validator({"type": "string", "format": "date"},
                                          format_checker=jsonschema.FormatChecker())
assert list(checker.iter_errors("2020-13-45")), "format checks stopped working"
print("ok")
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr
