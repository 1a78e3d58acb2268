"""Notebook parameters: what each knob accepts, checked before any notebook runs.

papermill only warns about unknown names and injects any string; here a value that does not fit
is an error that names the parameter and what it accepts. The same rules serve the notebooks
themselves (``report_window``), so a run through plain papermill or Jupyter is checked too.
"""

from __future__ import annotations

import ast
import json
import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

PERIODS = {"W": "weekly", "M": "monthly"}
# Every parameter a notebook may declare, with the default used when it does not.
DEFAULTS = {"data_dir": "", "start_date": "", "end_date": "", "period": "W", "sites": "",
            "target_types": "", "weapons": "", "figures_dir": "", "dataset_snapshot": "",
            "window_days": 28, "phase_false_alarm": 0.05}


class ParameterError(ValueError):
    """A parameter value that the notebook cannot accept."""


@dataclass(frozen=True)
class Parameter:
    name: str
    default: object
    help: str


def notebook_parameters(path) -> dict[str, Parameter]:
    """The parameters declared in a notebook's cell tagged ``parameters``, in order."""
    # plain JSON, not nbformat: importing nbformat costs more than a whole no-op render
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise ParameterError(f"{path}: expected one cell tagged 'parameters', found {len(cells)}")
    params: dict[str, Parameter] = {}
    source = cells[0]["source"]
    source = "".join(source) if isinstance(source, list) else source
    lines = source.splitlines()
    for node in ast.parse(source).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name, value = node.target.id, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(
                node.targets[0], ast.Name):
            name, value = node.targets[0].id, node.value
        else:
            continue
        line = lines[node.lineno - 1]
        comment = line.split("#", 1)[1].strip() if "#" in line else ""
        params[name] = Parameter(name, ast.literal_eval(value), comment)
    return params


def _parse_date(name: str, value: str) -> str:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ParameterError(f"parameter {name}: {value!r} is not a date; use YYYY-MM-DD")
    try:
        date.fromisoformat(value)
    except ValueError as exc:
        raise ParameterError(f"parameter {name}: {value!r} is not a valid date ({exc}); use "
                             "YYYY-MM-DD") from None
    return value


def coerce_parameter(param: Parameter, raw: object) -> object:
    """Turn a value (a string from the command line, or a Python value) into the type of the
    notebook's default, applying the rules of the known parameter names."""
    name, default = param.name, param.default
    if name == "period":
        value = str(raw)
        if value not in PERIODS:
            accepted = ", ".join(f"{k} ({v})" for k, v in PERIODS.items())
            raise ParameterError(f"parameter period: {value!r} is not accepted; use {accepted}")
        return value
    if name.endswith("_date"):
        if str(raw).strip() == "":
            return ""  # the documented meaning of empty applies: the sourced months' bounds
        return _parse_date(name, str(raw))
    if name == "window_days":
        try:
            value = int(str(raw).strip())
        except ValueError:
            value = 0
        if value < 1:
            raise ParameterError(f"parameter window_days: {raw!r} is not accepted; use a whole "
                                 "number of days, 1 or more")
        return value
    if name == "phase_false_alarm":
        try:
            value = float(str(raw).strip())
        except ValueError:
            value = math.nan
        if not 0 < value < 1:  # also refuses nan and inf
            raise ParameterError(f"parameter phase_false_alarm: {raw!r} is not accepted; use a "
                                 "probability strictly between 0 and 1, such as 0.05")
        return value
    if isinstance(default, bool):
        text = str(raw).strip().lower()
        if text in ("true", "1", "yes"):
            return True
        if text in ("false", "0", "no"):
            return False
        raise ParameterError(f"parameter {name}: {raw!r} is not true or false")
    if isinstance(default, int):
        try:
            return int(str(raw))
        except ValueError:
            raise ParameterError(f"parameter {name}: {raw!r} is not a whole number") from None
    if isinstance(default, float):
        try:
            value = float(str(raw))
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise ParameterError(f"parameter {name}: {raw!r} is not accepted; use a number")
        return value
    if isinstance(default, str):
        return str(raw)
    raise ParameterError(f"parameter {name}: cannot be set from the command line")


def check_values(values: dict) -> dict:
    """Coerce every known parameter in ``values`` (types and ranges; the checks that need the
    dataset are in ``context.build_context``)."""
    checked = dict(values)
    for name, raw in values.items():
        if name in DEFAULTS:
            checked[name] = coerce_parameter(Parameter(name, DEFAULTS[name], ""), raw)
    return checked


def check_parameters(declared: dict[str, Parameter], given: dict[str, object],
                     notebook: str) -> dict[str, object]:
    """Coerce ``given`` against the notebook's declared parameters; unknown names are errors."""
    checked = {}
    for name, raw in given.items():
        if name not in declared:
            accepted = ", ".join(declared) or "none"
            raise ParameterError(
                f"{notebook}: unknown parameter {name!r}; it accepts: {accepted}")
        checked[name] = coerce_parameter(declared[name], raw)
    start = checked.get("start_date", getattr(declared.get("start_date"), "default", None))
    end = checked.get("end_date", getattr(declared.get("end_date"), "default", None))
    if start and end and str(start) > str(end):
        raise ParameterError(f"{notebook}: start_date {start} is after end_date {end}")
    return checked


def split_list(value: str) -> list[str]:
    """A comma-separated filter parameter ("k1, taji") as a list; empty means no filter."""
    return [item.strip() for item in str(value).split(",") if item.strip()]
