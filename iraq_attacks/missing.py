"""What the record may miss, month by month and per series: a band around the monthly counts
from the coverage table and the press's running counts, by a fixed rule (data/README.md,
"Coverage band"):

- the lower edge counts the attacks of high or medium confidence (a low-confidence row may not
  have happened);
- the upper edge adds to all recorded attacks the attacks that a checked press count finds
  beyond ours: press counts are taken in the order they were published, each one's shortfall
  (its count minus every row of the same scope over its period) less what earlier counts
  already added inside its period, and the rest is added to the month it was published (the
  missing attacks happened in its counting period, at or before that day);
- months the coverage table rates incomplete for the series are flagged: there the record is
  known to miss attacks by an amount nobody counted, so the band is open above.
"""

from __future__ import annotations

import pandas as pd

from .claims import series_of
from .coverage import in_press_scope

# Which series each kind of press count speaks for (a count of all attacks spans both, so it
# cannot be split between them and is left out of the per-series band).
COUNT_SERIES = {"us_interests": "sites", "embassy": "sites", "convoys": "convoys"}
ASSESSMENT_COLUMNS = {"sites": "sites_assessment", "convoys": "convoys_assessment"}


def monthly_band(dataset, attacks: pd.DataFrame, start: pd.Timestamp,
                 end: pd.Timestamp) -> pd.DataFrame:
    """Per series and month of [start, end]: ``recorded`` (all rows), ``confirmed`` (high or
    medium confidence: the lower edge), ``press_extra`` (attacks checked press counts report
    beyond ours, by the rule above), ``upper`` and ``open_above`` (the coverage table rates the
    month incomplete for the series)."""
    months = pd.period_range(pd.Timestamp(start), pd.Timestamp(end), freq="M")
    series = series_of(attacks)
    month = attacks["date"].dt.to_period("M")
    confirmed = attacks["confidence"] != "low"
    every = dataset.attacks
    counts = dataset.press_counts
    counts = counts[counts["checked"].astype(bool)].sort_values(["report_date", "count_id"])
    coverage = dataset.coverage.assign(month=pd.PeriodIndex(dataset.coverage["month"].astype(str),
                                                            freq="M"))
    frames = []
    for name, column in ASSESSMENT_COLUMNS.items():
        extra = pd.Series(0, index=months, dtype=int)
        for count in counts[counts["counted_what"].map(COUNT_SERIES) == name].itertuples():
            since = count.since_date if pd.notna(count.since_date) else every["date"].min()
            ours = int((in_press_scope(every, count.counted_what)
                        & every["date"].between(since, count.report_date)).sum())
            period = (extra.index >= pd.Period(since, "M")) & (
                extra.index <= pd.Period(count.report_date, "M"))
            shortfall = int(count.count) - ours - int(extra[period].sum())
            published = pd.Period(count.report_date, "M")
            if shortfall > 0 and published in extra.index:
                extra[published] += shortfall
        chosen = series == name
        recorded = month[chosen].value_counts().reindex(months, fill_value=0)
        solid = month[chosen & confirmed].value_counts().reindex(months, fill_value=0)
        rated = coverage.set_index("month")[column].reindex(months)
        frames.append(pd.DataFrame({
            "series": name, "period_start": months.start_time.normalize(),
            "recorded": recorded.to_numpy(), "confirmed": solid.to_numpy(),
            "press_extra": extra.to_numpy(),
            "assessment": rated.fillna("unsourced").to_numpy()}))
    band = pd.concat(frames, ignore_index=True)
    band["upper"] = band["recorded"] + band["press_extra"]
    band["open_above"] = band["assessment"].isin(["incomplete", "unsourced"])
    return band


def band_sentence(band: pd.DataFrame) -> str:
    """What the band says, per series, in one sentence."""
    parts = []
    for name, rows in band.groupby("series", sort=False):
        low, recorded, high = (int(rows[c].sum()) for c in ("confirmed", "recorded", "upper"))
        open_months = rows.loc[rows["open_above"], "period_start"]
        verb = "is" if len(open_months) == 1 else "are"
        opened = (f"; {len(open_months)} of its months {verb} rated incomplete, so the true "
                  "count may be higher still" if len(open_months) else "")
        parts.append(f"{name}: {recorded} attacks recorded, {low} of them at high or medium "
                     f"confidence, up to {high} counting what checked press tallies report "
                     f"beyond the record{opened}")
    return ("Monthly counts as a band, per series. " + "; ".join(parts) + ".")
