"""A report's context: the data folder, the checked parameters and the rows they select.

Three parts of a render turn parameters into rows: the planner (before any kernel starts), each
notebook kernel, and the deck builder. All three call ``build_context`` here, so every output of
one render describes the same rows, and a value that does not fit is refused once, with the
same message, wherever it was given (render command, papermill or Jupyter).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .data import Dataset, load_dataset
from .parameters import DEFAULTS, ParameterError, check_values, split_list
from .paths import DATA_DIR, resolve_project_path
from .schema import ATTACKS
from .selection import Selection, select_attacks

# The parameters that choose rows, and the column each filter applies to.
FILTERS = {"sites": "site_id", "target_types": "target_type", "weapons": "weapon"}


def resolve_data_dir(value: str | Path | None) -> Path:
    """The data folder a report reads: empty means the project's data/; a relative path is
    taken from the project folder. The render command and the notebooks both resolve here."""
    return resolve_project_path(value, DATA_DIR)


def sourced_window(dataset: Dataset) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """First and last day of the months coverage.csv says have been sourced; None when no
    month has been."""
    return dataset.window


def vocabulary(dataset: Dataset) -> dict[str, list[str]]:
    """The values each filter accepts: the schema's vocabulary, and the dataset's sites."""
    return {"sites": sorted(dataset.sites["site_id"]),
            "target_types": list(ATTACKS.field("target_type").allowed),
            "weapons": list(ATTACKS.field("weapon").allowed)}


@dataclass(frozen=True)
class ReportContext:
    dataset: Dataset
    selection: Selection
    parameters: dict  # every parameter, checked; defaults filled in
    messages: tuple[str, ...] = field(default=())  # said at the top of the report

    @property
    def attacks(self) -> pd.DataFrame:
        return self.selection.used


def build_context(dataset: Dataset, values: dict) -> ReportContext:
    """Check ``values`` against the dataset and select the rows. Raises ParameterError naming
    the parameter, the value and what is accepted."""
    params = check_values(DEFAULTS | {k: v for k, v in values.items() if v is not None})
    window = sourced_window(dataset)
    if window is None:
        raise ParameterError("coverage.csv: no month has been sourced; add the months the "
                             "data covers to coverage.csv")
    first, last = window
    accepted = f"a date from {first.date()} to {last.date()} (the sourced months, coverage.csv)"
    for name in ("start_date", "end_date"):
        value = params[name]
        if value and not first <= pd.Timestamp(value) <= last:
            raise ParameterError(f"parameter {name}: {value!r} is outside the sourced months; "
                                 f"use {accepted}")
    start = params["start_date"] or first.date().isoformat()
    end = params["end_date"] or last.date().isoformat()
    if start > end:
        raise ParameterError(f"parameter start_date: {start!r} is after end_date {end!r}")
    messages = []
    known = vocabulary(dataset)
    for name, column in FILTERS.items():
        values_given = split_list(params[name])
        unknown = [v for v in values_given if v not in known[name]]
        if unknown:
            raise ParameterError(f"parameter {name}: {', '.join(unknown)!r} is not accepted; "
                                 f"use a comma-separated list of {', '.join(known[name])}")
        present = set(dataset.attacks[column].unique()) if values_given else set()
        absent = [v for v in values_given if v not in present]
        if absent:
            messages.append(f"No attack in the data has {column} {', '.join(absent)}.")
    selection = select_attacks(dataset, start, end, params["period"], params["sites"],
                               params["target_types"], params["weapons"])
    return ReportContext(dataset, selection, params, tuple(messages))


def open_report(namespace: dict) -> ReportContext:
    """The setup cell of every notebook: load the data, check the parameters the notebook
    declared (found in ``namespace``, its globals), select the rows, and publish the report's
    scope. The checked values replace the raw ones in ``namespace``, so later cells use a
    ``window_days`` of 28, not "28"."""
    from . import summaries
    from .provenance import publish_scope

    given = {name: namespace[name] for name in DEFAULTS if name in namespace}
    checked = check_values(given)
    dataset = load_dataset(resolve_data_dir(checked.get("data_dir")),
                           snapshot=checked.get("dataset_snapshot") or None)
    context = build_context(dataset, checked)
    namespace.update({name: context.parameters[name] for name in given})
    publish_scope(dataset, context.selection)
    for message in context.messages:
        summaries.say(message)
    if context.selection.empty:
        summaries.say(summaries.empty_selection_message(context.selection))
    return context
