"""One report context: the planner, the kernels and the deck check the parameters and choose
the rows in one place (iraq_attacks/context.py), so all the outputs of a render agree."""

from __future__ import annotations

import ast
import fcntl
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import EPOCH, FIXTURE_DATA, edit_cell
from pptx import Presentation

from iraq_attacks import render as render_module
from iraq_attacks.cli import main
from iraq_attacks.context import build_context, sourced_window
from iraq_attacks.data import load_dataset
from iraq_attacks.fingerprints import data_fingerprint
from iraq_attacks.parameters import ParameterError
from iraq_attacks.paths import NOTEBOOKS_DIR
from iraq_attacks.render import LOCK, render
from iraq_attacks.validate import validate_dataset


@pytest.fixture(scope="module")
def fixture_dataset():
    return load_dataset(FIXTURE_DATA)


def test_filter_values_are_checked_against_the_vocabulary_and_the_sites(fixture_dataset):
    with pytest.raises(ParameterError, match=r"parameter sites: 'camp_x' is not accepted; use a "
                                             r"comma-separated list of .*k1"):
        build_context(fixture_dataset, {"sites": "camp_x"})
    with pytest.raises(ParameterError, match=r"parameter weapons: 'catapult' is not accepted; "
                                             r"use .*mortar"):
        build_context(fixture_dataset, {"weapons": "catapult"})


def test_an_allowed_value_absent_from_the_data_selects_nothing_and_says_so(fixture_dataset):
    context = build_context(fixture_dataset, {"weapons": "mortar"})
    assert context.selection.empty
    assert context.selection.input_rows == len(fixture_dataset.attacks)
    assert context.messages == ("No attack in the data has weapon mortar.",)


def test_dates_must_lie_in_the_sourced_months(fixture_dataset):
    first, last = sourced_window(fixture_dataset)  # fixture: 2019-10 to 2020-03 sourced
    assert (str(first.date()), str(last.date())) == ("2019-10-01", "2020-03-31")
    with pytest.raises(ParameterError, match=r"parameter end_date: '2020-06-30' is outside the "
                                             r"sourced months; use a date from 2019-10-01 to "
                                             r"2020-03-31"):
        build_context(fixture_dataset, {"end_date": "2020-06-30"})
    with pytest.raises(ParameterError, match="parameter start_date: '2019-09-30' is outside"):
        build_context(fixture_dataset, {"start_date": "2019-09-30"})
    context = build_context(fixture_dataset, {})
    assert (context.selection.start, context.selection.end) == (first, last)


@pytest.fixture(scope="module")
def k1_render(tmp_path_factory):
    """All four reports and the deck from the fixture folder given as ``-p data_dir`` (not
    --data), with a site filter: every output must describe the same two K1 attacks."""
    out = tmp_path_factory.mktemp("k1")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        render(overrides={"data_dir": str(FIXTURE_DATA), "sites": "k1"}, out_dir=out)
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    return out


@pytest.mark.render
def test_data_dir_parameter_is_the_folder_validated_fingerprinted_and_read(k1_render):
    """-p data_dir once fingerprinted data/ while the kernels read the other folder."""
    manifest = json.loads((k1_render / "manifest.json").read_text())
    fixture = data_fingerprint(FIXTURE_DATA)
    assert {entry["fingerprint"] for entry in manifest.values()} == {fixture}
    assert {entry["rows_input"] for entry in manifest.values()} == {
        len(load_dataset(FIXTURE_DATA).attacks)}


@pytest.mark.render
def test_the_deck_describes_the_rows_of_the_reports(k1_render):
    """The deck's key figures once ignored the filters: 7 attacks beside reports of 2."""
    manifest = json.loads((k1_render / "manifest.json").read_text())
    used = {entry["rows_used"] for entry in manifest.values()}
    assert used == {2}
    slides = Presentation(str(k1_render / "briefing.pptx")).slides
    title = " ".join(s.text_frame.text for s in slides[0].shapes if s.has_text_frame)
    assert "· 2 attacks ·" in title
    figures = [s.text_frame.text for s in slides[1].shapes if s.has_text_frame]
    assert "2" in figures  # the attacks figure of the key-figures slide


def test_data_dir_and_data_must_name_one_folder(tmp_path):
    with pytest.raises(ParameterError, match="parameter data_dir: .* differs from --data"):
        render(overrides={"data_dir": str(FIXTURE_DATA)}, data_dir=tmp_path, out_dir=tmp_path)


def _no_kernel(*args, **kwargs):
    raise AssertionError("a kernel was started")


@pytest.mark.parametrize(("args", "expected"), [
    (["-p", "phase_false_alarm", "2"], "parameter phase_false_alarm: '2' is not accepted; use "
                                       "a probability strictly between 0 and 1"),
    (["-p", "phase_false_alarm", "nan"], "parameter phase_false_alarm: 'nan' is not accepted"),
    (["-p", "window_days", "0"], "parameter window_days: '0' is not accepted; use a whole "
                                 "number of days, 1 or more"),
    (["-p", "end_date", "2021-06-30"], "parameter end_date: '2021-06-30' is outside the "
                                       "sourced months; use a date from 2019-10-01 to"),
    (["-p", "sites", "camp_x"], "parameter sites: 'camp_x' is not accepted; use a "
                                "comma-separated list of"),
    (["-p", "period", "Q"], "parameter period: 'Q' is not accepted; use W (weekly), M"),
    (["--deck-charts", "overview-mapp"], "--deck-charts: 'overview-mapp' is not a chart the "
                                         "notebooks publish; use names among"),
    # names that fit a notebook's pattern but that this render does not produce: another
    # period's chart, a breakdown the report does not draw, an attack with no revision chart
    (["--deck-charts", "overview-attacks-per-month"],
     "--deck-charts: 'overview-attacks-per-month' is not a chart the notebooks publish for "
     "these parameters and data; use names among casualties-lethality, "),
    (["--deck-charts", "frequency-attacks-by-province"],
     "--deck-charts: 'frequency-attacks-by-province' is not a chart the notebooks publish"),
    (["--deck-charts", "overview-map,casualties-revisions-atk-0014"],
     "--deck-charts: 'casualties-revisions-atk-0014' is not a chart the notebooks publish"),
    (["--deck-charts", "escalation-action-response", "-p", "start_date", "2020-01-04", "-p",
      "end_date", "2020-03-11"],
     "--deck-charts: 'escalation-action-response' is not a chart the notebooks publish"),
    (["-p", "dpi", "300"], "unknown parameter 'dpi'; the notebooks accept: data_dir"),
])
def test_refusals_come_before_any_kernel_with_one_line_and_exit_2(args, expected, tmp_path,
                                                                   monkeypatch, capsys):
    monkeypatch.setattr(render_module, "_execute", _no_kernel)
    status = main(["render", "--force", "--data", str(FIXTURE_DATA), "--out",
                   str(tmp_path / "out"), *args])
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith("render refused: " + expected)
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_a_second_render_into_a_locked_folder_is_refused(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(render_module, "_execute", _no_kernel)
    out = tmp_path / "out"
    out.mkdir()
    with open(out / LOCK, "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        status = main(["render", "--data", str(FIXTURE_DATA), "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 1
    assert f"another render is writing to {out}" in err
    assert "Traceback" not in err


def test_an_unwritable_output_folder_is_one_line(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    status = main(["render", "--data", str(FIXTURE_DATA), "--out", str(blocker / "reports")])
    err = capsys.readouterr().err
    assert status == 1
    assert err.splitlines()[0].startswith(
        f"render stopped: cannot write to the output folder {blocker / 'reports'}")
    assert "Traceback" not in err


@pytest.mark.render
def test_a_no_op_render_removes_what_a_killed_render_left(rendered, tmp_path):
    out = tmp_path / "reports"
    shutil.copytree(rendered, out)
    (out / ".render-killed").mkdir()
    (out / ".render-killed" / "dataset.pickle").write_bytes(b"half")
    (out / "figures" / ".overview-map.png.abc.tmp").write_bytes(b"half")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    sockets = Path(tempfile.gettempdir()) / f"iqk-{dead}-killed"
    sockets.mkdir(exist_ok=True)
    outcome = render(data_dir=FIXTURE_DATA, out_dir=out)
    assert outcome.rendered == [] and not outcome.deck  # nothing changed: a no-op
    assert not (out / ".render-killed").exists()
    assert not list(out.rglob(".*.tmp"))
    assert not sockets.exists()


@pytest.mark.render
def test_editing_the_data_dir_folder_re_renders(tmp_path):
    """After the folder given as -p data_dir was edited, the next render once said "nothing
    changed": it fingerprinted data/ instead."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    out = tmp_path / "out"
    given = {"data_dir": str(data)}
    assert render(["overview"], overrides=given, out_dir=out).rendered == ["overview"]
    edit_cell(data, "attacks.csv", 0, "notes", "Edited after the first render.")
    assert render(["overview"], overrides=given, out_dir=out).rendered == ["overview"]


ANOTHER_PERIOD = FIXTURE_DATA.parent / "another-period"  # sourced: 2021-01 to 2021-06
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
# A month named in a page, a slide or a chart: an ISO date or month, a month and its year
# (with or without a day), or a month's name on its own.
_MONTH = re.compile(
    r"\b(?P<iso>(?:19|20)\d\d-[01]\d)(?:-[0-3]\d)?\b"
    r"|\b(?P<name>" + "|".join(m[:3] for m in MONTH_NAMES) + r")[a-z]*\.?\s+(?:\d{1,2},?\s+)?"
    r"(?P<year>(?:19|20)\d\d)\b"
    r"|\b(?P<bare>" + "|".join(MONTH_NAMES) + r")\b")


def months_named(text: str) -> set[str]:
    """The months (YYYY-MM, or the bare month name) that a text mentions."""
    found = set()
    for match in _MONTH.finditer(text):
        if match["iso"]:
            found.add(match["iso"])
        elif match["name"]:
            number = [m[:3] for m in MONTH_NAMES].index(match["name"]) + 1
            found.add(f"{match['year']}-{number:02d}")
        else:
            found.add(match["bare"])
    return found


def test_months_named_reads_every_way_a_page_writes_a_month():
    text = ("2021-02-13, 2021-03, 06 January 2021, 27 Mar 2021, Jun 30, 2021, since October, "
            "generated 2023-11-14")
    assert months_named(text) == {"2021-02", "2021-03", "2021-01", "2021-06", "October",
                                  "2023-11"}


def _visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.fixture(scope="module")
def another_period(tmp_path_factory):
    """The reports, figures and deck of a dataset whose sourced months are 2021-01 to
    2021-06 (three later months listed as not started)."""
    out = tmp_path_factory.mktemp("another-period")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        assert main(["render", "--data", str(ANOTHER_PERIOD), "--out", str(out)]) == 0
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    return out


SOURCED = {f"2021-{m:02d}" for m in range(1, 7)} | set(MONTH_NAMES[:6])


def test_a_dataset_of_another_period_validates_with_its_own_window(capsys):
    """The window was the schema's 2019-10 to 2020-12: milestones of 2021 were errors."""
    assert main(["validate", str(ANOTHER_PERIOD)]) == 0
    assert "valid: 7 attacks (2021-01-30 to 2021-06-30)" in capsys.readouterr().out
    dataset = load_dataset(ANOTHER_PERIOD)
    first, last = sourced_window(dataset)
    assert (str(first.date()), str(last.date())) == ("2021-01-01", "2021-06-30")
    assert len(build_context(dataset, {}).selection.used) == len(dataset.attacks)


def test_an_attack_in_a_month_not_yet_sourced_says_to_add_the_month(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ANOTHER_PERIOD, data)
    edit_cell(data, "attacks.csv", 0, "date", "2021-07-02")  # 2021-07 is listed not_started
    report = validate_dataset(data)
    assert [str(p) for p in report.problems] == [
        "attacks.csv row 2, column date: '2021-07-02' is in 2021-07, marked not_started in "
        "coverage.csv; add the month to coverage.csv with its assessment once it has been "
        "sourced"]


@pytest.mark.render
def test_a_dataset_of_another_period_renders_that_period_and_no_other_month(another_period):
    manifest = json.loads((another_period / "manifest.json").read_text())
    assert set(manifest) == set(render_module.NOTEBOOKS)
    generated = {entry["generated"] for entry in manifest.values()}
    for entry in manifest.values():
        assert (entry["window_start"], entry["window_end"]) == ("2021-01-01", "2021-06-30")
        assert entry["rows_used"] == 7
    texts = {}
    for page in sorted(another_period.glob("*.html")):
        text = _visible_text(page.read_text(encoding="utf-8"))
        for stamp in generated:  # the generation time is not a month of the data
            text = text.replace(stamp, "")
        texts[page.name] = text
    for name in render_module.NOTEBOOKS:
        assert "2021-01-01 to 2021-06-30" in texts[f"{name}.html"]
    assert "Iraq, January 2021 to June 2021" in texts["index.html"]
    assert "Iraq, January 2021 to June 2021" in texts["methods.html"]
    for figure in sorted((another_period / "figures").glob("*.svg")):
        # each text of the chart on its own: an axis's last tick ("Jul" over "2021") marks
        # where June ends; the titles, notes and keys are whole sentences
        svg_text = " | ".join(re.findall(r"<text\b[^>]*>(.*?)</text>", figure.read_text(),
                                         re.S))
        texts[figure.name] = svg_text + " " + (figure.with_suffix(".json").read_text()
                                               if figure.with_suffix(".json").exists() else "")
    deck = Presentation(str(another_period / "briefing.pptx"))
    for number, slide in enumerate(deck.slides, start=1):
        texts[f"slide {number}"] = " ".join(
            [s.text_frame.text for s in slide.shapes if s.has_text_frame]
            + [slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""])
    assert "January 2021 to June 2021" in texts["slide 1"]
    outside = {name: sorted(months_named(text) - SOURCED) for name, text in texts.items()}
    assert {name: months for name, months in outside.items() if months} == {}
    # every page named some month of the period: the check above had something to read
    assert all(months_named(texts[f"{name}.html"]) for name in render_module.NOTEBOOKS)


@pytest.mark.parametrize("case", ["coverage-gap", "coverage-month-not-started"])
def test_a_render_refuses_a_month_inside_the_window_that_is_not_sourced(case, tmp_path,
                                                                         monkeypatch, capsys):
    """A month left out of coverage.csv between two sourced months (or marked not_started)
    was counted as a month, and its weeks as weeks, without attacks."""
    monkeypatch.setattr(render_module, "_execute", _no_kernel)
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    shutil.copy(FIXTURE_DATA.parent / "broken" / case / "coverage.csv", data / "coverage.csv")
    status = main(["render", "--force", "--data", str(data), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 1
    assert "no notebook was run" in err
    assert "2019-11" in err and "the reports would count it as a month without attacks" in err


NO_US_ACTION = {"start_date": "2020-01-04", "end_date": "2020-03-11"}  # 4 attacks


@pytest.fixture(scope="module")
def after_the_last_strike(tmp_path_factory):
    """The escalation report of a window with no US action in it (4 January to 11 March 2020):
    notebook leaves out its action-response chart."""
    out = tmp_path_factory.mktemp("no-strike")
    render(["escalation"], overrides=NO_US_ACTION, data_dir=FIXTURE_DATA,
           out_dir=out)
    return out


@pytest.mark.render
@pytest.mark.parametrize("which", ["fixture", "another period", "no US action"])
def test_the_charts_the_planner_accepts_are_the_charts_a_render_writes(which, request):
    """--deck-charts is checked against names worked out before any kernel starts; they must
    be exactly the figures the notebooks then write, or a valid name would be refused (or a
    missing one accepted, and the render would fail after the kernels ran)."""
    fixture, folder, names, given = {
        "fixture": ("rendered", FIXTURE_DATA, render_module.NOTEBOOKS, {}),
        "another period": ("another_period", ANOTHER_PERIOD, render_module.NOTEBOOKS, {}),
        "no US action": ("after_the_last_strike", FIXTURE_DATA, ["escalation"],
                         NO_US_ACTION),
    }[which]
    out = request.getfixturevalue(fixture)
    dataset = load_dataset(folder)
    expected = set()
    for job in render_module.plan_jobs(list(names), given, folder):
        expected |= render_module.published_charts(job.path, build_context(dataset,
                                                                           job.parameters))
    assert expected == {png.stem for png in (out / "figures").glob("*.png")}


def test_every_chart_a_notebook_publishes_under_a_condition_has_its_condition():
    """A publish call under an ``if`` publishes only sometimes: the planner must know when."""
    conditional = set()
    for path in sorted(NOTEBOOKS_DIR.glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "code":
                continue
            for branch in ast.walk(ast.parse("".join(cell["source"]))):
                if isinstance(branch, ast.If):
                    conditional |= {
                        call.args[1].value for call in ast.walk(branch)
                        if isinstance(call, ast.Call) and len(call.args) > 1
                        and getattr(call.func, "attr", None) == "publish"
                        and isinstance(call.args[1], ast.Constant)}
    assert conditional and conditional <= set(render_module.ONLY_WHEN)
