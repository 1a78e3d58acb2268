"""Choosing the rows a report uses: date window and filters, with every excluded row accounted
for (used + excluded = input)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .data import Dataset
from .parameters import PERIODS, Parameter, ParameterError, coerce_parameter, split_list


@dataclass(frozen=True)
class Selection:
    """The attacks a report uses, those it leaves out (with the reason), and the window."""

    used: pd.DataFrame
    excluded: pd.DataFrame  # the excluded rows with a column "reason"
    start: pd.Timestamp
    end: pd.Timestamp
    period: str
    filters: dict[str, list[str]]

    @property
    def input_rows(self) -> int:
        return len(self.used) + len(self.excluded)

    @property
    def empty(self) -> bool:
        return self.used.empty

    def describe_filters(self) -> str:
        active = [f"{name} in {', '.join(values)}" for name, values in self.filters.items()
                  if values]
        return "; ".join(active) if active else "none"


def sourced_until(dataset: Dataset) -> pd.Timestamp:
    """Last day of the last month that has been sourced (coverage.csv), so that charts do not
    show months nobody has searched yet as months without attacks."""
    if dataset.window is None:
        raise ParameterError("coverage.csv: no month has been sourced; add the months the "
                             "data covers to coverage.csv")
    return dataset.window[1]


def select_attacks(dataset: Dataset, start_date: str, end_date: str, period: str = "W",
                   sites: str = "", target_types: str = "", weapons: str = "") -> Selection:
    """Keep the attacks inside [start_date, end_date] that pass the filters.

    An empty end_date means the end of the last sourced month (see ``sourced_until``).
    Filters are comma-separated lists ("k1,taji"); empty means no filter. Values are checked
    against the vocabulary by ``context.build_context``; here a value that matches no attack
    simply selects nothing.
    """
    attacks = dataset.attacks
    start = pd.Timestamp(coerce_parameter(Parameter("start_date", "", ""), start_date))
    end = (sourced_until(dataset) if not str(end_date).strip()
           else pd.Timestamp(coerce_parameter(Parameter("end_date", "", ""), end_date)))
    if start > end:
        raise ParameterError(f"start_date {start.date()} is after end_date {end.date()}")
    if period not in PERIODS:
        coerce_parameter(Parameter("period", "W", ""), period)  # raises with the accepted values
    filters = {"site_id": split_list(sites), "target_type": split_list(target_types),
               "weapon": split_list(weapons)}
    reasons = pd.Series("", index=attacks.index, dtype=object)
    outside = ~attacks["date"].between(start, end)
    reasons[outside] = f"outside {start.date()} to {end.date()}"
    for column, values in filters.items():
        if not values:
            continue
        rejected = (reasons == "") & ~attacks[column].isin(values)
        reasons[rejected] = f"{column} not in {', '.join(values)}"
    kept = reasons == ""
    if kept.all():  # the usual case: no copy of the whole table (pandas copies on write)
        used, excluded = attacks, attacks.iloc[:0].assign(reason=reasons.iloc[:0])
    else:
        used = attacks[kept].reset_index(drop=True)
        excluded = attacks[~kept].assign(reason=reasons[~kept]).reset_index(drop=True)
    return Selection(used, excluded, start, end, period, filters)
