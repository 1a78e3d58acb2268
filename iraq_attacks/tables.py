"""Tables as shown in reports: one look everywhere, and stable HTML (fixed ids) so that two
renders of the same data give the same page."""

from __future__ import annotations

import re

import pandas as pd


def styled(frame: pd.DataFrame, table_id: str):
    """A pandas Styler: no index, text left-aligned, empty for missing values, dates as dates,
    readable column names, and a fixed id."""
    shown = frame.copy()
    for column in shown.columns:
        if pd.api.types.is_datetime64_any_dtype(shown[column]):
            shown[column] = shown[column].dt.strftime("%Y-%m-%d").fillna("")
    shown.columns = [str(c).replace("_", " ") for c in shown.columns]
    text_columns = [c for c in shown.columns if not pd.api.types.is_numeric_dtype(shown[c])]
    styler = (shown.style.hide(axis="index").format(na_rep="", precision=1)
              .set_uuid(re.sub(r"\W", "-", table_id)))
    if text_columns:
        styler = styler.set_properties(subset=text_columns, **{"text-align": "left"})
    return styler
