"""Notebook parameters: declared once per notebook, documented, and checked before a run."""

from __future__ import annotations

import pytest

from iraq_attacks.parameters import ParameterError, check_parameters, notebook_parameters
from iraq_attacks.paths import NOTEBOOKS_DIR
from iraq_attacks.render import NOTEBOOKS, plan_jobs

STANDARD = ["data_dir", "start_date", "end_date", "period", "sites", "target_types", "weapons",
            "figures_dir", "dataset_snapshot"]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_notebook_declares_the_documented_parameters(name):
    declared = notebook_parameters(NOTEBOOKS_DIR / f"{name}.ipynb")
    assert list(declared)[:len(STANDARD)] == STANDARD
    for parameter in declared.values():
        assert len(parameter.help) > 10, f"{name}: {parameter.name} has no comment"


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
    assert all(job.parameters["period"] == "M" for job in jobs)
    assert all(job.title and job.description for job in jobs)
    with pytest.raises(ParameterError, match="no notebook named 'summary'"):
        plan_jobs(["summary"], {}, None)


def test_a_parameter_goes_to_the_notebooks_that_declare_it():
    jobs = {job.name: job for job in plan_jobs(list(NOTEBOOKS), {"window_days": "14"}, None)}
    assert jobs["escalation"].parameters["window_days"] == 14
    assert "window_days" not in jobs["frequency"].parameters
    with pytest.raises(ParameterError, match="unknown parameter 'window_days'; the notebooks"):
        plan_jobs(["frequency"], {"window_days": "14"}, None)
    with pytest.raises(ParameterError, match="window_days: 'two weeks' is not a whole number"):
        plan_jobs(["escalation"], {"window_days": "two weeks"}, None)
