"""Notebook parameters: declared once per notebook, documented, and checked before a run."""

from __future__ import annotations

import ast
import json

import pytest

from iraq_attacks.parameters import DEFAULTS, ParameterError, check_parameters, notebook_parameters
from iraq_attacks.paths import NOTEBOOKS_DIR
from iraq_attacks.render import NOTEBOOKS, plan_jobs

# Read by context.open_report: the rows every report uses. Other parameters must be used by
# the notebook's own cells.
CONTEXT = ["data_dir", "start_date", "end_date", "sites", "target_types", "weapons",
           "dataset_snapshot"]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_notebook_declares_the_documented_parameters(name):
    declared = notebook_parameters(NOTEBOOKS_DIR / f"{name}.ipynb")
    assert [p for p in declared if p in CONTEXT] == CONTEXT
    assert set(declared) <= set(DEFAULTS), "a parameter context.py does not know"
    for parameter in declared.values():
        assert len(parameter.help) > 10, f"{name}: {parameter.name} has no comment"
        assert parameter.default == DEFAULTS[parameter.name], parameter.name


def _code_after_setup(name: str) -> str:
    nb = json.loads((NOTEBOOKS_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    tagged = next(i for i, c in enumerate(cells) if "parameters" in c["metadata"].get("tags", []))
    return "\n".join("".join(c["source"]) for c in cells[tagged + 2:])


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_a_declared_parameter_is_used(name):
    """A parameter that no cell reads changes nothing (``-p period M`` once re-rendered the
    escalation report byte for byte): every one outside the context is read by a cell."""
    code = _code_after_setup(name)
    used = {n.id for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Name)}
    for parameter in notebook_parameters(NOTEBOOKS_DIR / f"{name}.ipynb"):
        if parameter not in CONTEXT:
            assert parameter in used, f"{name} declares {parameter} but never uses it"


@pytest.mark.parametrize(("name", "value", "accepted"), [
    ("phase_false_alarm", "2", "strictly between 0 and 1"),
    ("phase_false_alarm", "nan", "strictly between 0 and 1"),
    ("phase_false_alarm", "0", "strictly between 0 and 1"),
    ("window_days", "0", "1 or more"),
    ("window_days", "-3", "1 or more"),
    ("window_days", "2.5", "1 or more"),
])
def test_out_of_range_values_are_refused_at_planning(name, value, accepted):
    with pytest.raises(ParameterError, match=rf"parameter {name}: '{value}' is not accepted; "
                                             rf"use .*{accepted}"):
        plan_jobs(["escalation"], {name: value}, None)


def test_unknown_and_badly_typed_parameters_are_errors_naming_what_is_accepted():
    declared = notebook_parameters(NOTEBOOKS_DIR / "frequency.ipynb")
    with pytest.raises(ParameterError, match="unknown parameter 'dpi'; it accepts: data_dir"):
        check_parameters(declared, {"dpi": "300"}, "frequency.ipynb")
    with pytest.raises(ParameterError, match=r"start_date: '2020-13-01' is not a valid date"):
        check_parameters(declared, {"start_date": "2020-13-01"}, "frequency.ipynb")
    with pytest.raises(ParameterError, match=r"'fortnight' is not accepted; use W \(weekly\)"):
        check_parameters(declared, {"period": "fortnight"}, "frequency.ipynb")
    with pytest.raises(ParameterError, match="start_date 2020-03-01 is after end_date"):
        check_parameters(declared, {"start_date": "2020-03-01", "end_date": "2020-02-01"},
                         "frequency.ipynb")
    assert check_parameters(declared, {"period": "M", "start_date": "2020-01-01"},
                            "frequency.ipynb") == {"period": "M", "start_date": "2020-01-01"}


def test_plan_checks_every_notebook_before_anything_runs():
    jobs = plan_jobs(list(NOTEBOOKS), {"period": "M"}, None)
    assert [job.name for job in jobs] == list(NOTEBOOKS)
    assert {job.name for job in jobs if job.parameters.get("period") == "M"} == {
        "overview", "frequency"}  # the reports that count per period
    assert all(job.title and job.description for job in jobs)
    with pytest.raises(ParameterError, match="no notebook named 'summary'"):
        plan_jobs(["summary"], {}, None)


def test_a_parameter_goes_to_the_notebooks_that_declare_it():
    jobs = {job.name: job for job in plan_jobs(list(NOTEBOOKS), {"window_days": "14"}, None)}
    assert jobs["escalation"].parameters["window_days"] == 14
    assert "window_days" not in jobs["frequency"].parameters
    with pytest.raises(ParameterError, match="unknown parameter 'window_days'; the notebooks"):
        plan_jobs(["frequency"], {"window_days": "14"}, None)
    with pytest.raises(ParameterError, match="window_days: 'two weeks' is not accepted"):
        plan_jobs(["escalation"], {"window_days": "two weeks"}, None)
