"""How complete the record is: monthly coverage and the comparison with the press's counts."""

from __future__ import annotations

import pandas as pd

from .data import Dataset

# Which attacks each kind of press count counts (see press_counts.counted_what).
COUNTED_TARGETS = {
    "us_interests": {"military_base", "embassy", "airport"},
    "embassy": {"embassy"},
    "convoys": {"convoy"},
    "all_attacks": {"military_base", "embassy", "airport", "convoy"},
}
# How far our count may be from a press count before the tests fail.
TOLERANCE = 3


def consistent(qualifier: str, difference: int) -> bool:
    """'at least N' and 'more than N' are lower bounds: our count may exceed them freely but
    not fall more than TOLERANCE below; other counts must be within TOLERANCE either way."""
    if qualifier in ("at_least", "more_than"):
        return difference >= -TOLERANCE
    return abs(difference) <= TOLERANCE


def in_press_scope(attacks: pd.DataFrame, counted_what: str) -> pd.Series:
    """Rows of the kind a press count counts: the target types it covers, and never the Iranian
    state's own strike, which the press tallied apart from the militia attacks."""
    return attacks["target_type"].isin(COUNTED_TARGETS[counted_what]) & (
        attacks["actor_type"] != "state")


def press_count_comparison(dataset: Dataset) -> pd.DataFrame:
    """For each press count: the attacks in our data over the same period and scope (from
    since_date, or the first day of the dataset's window, to the report date inclusive) and
    the difference.

    ``dataset`` counts rows of high or medium confidence: a low-confidence row is one whose
    occurrence is in doubt (see data/README.md), which a running tally would not include.
    ``dataset_all`` counts every row.
    """
    attacks = dataset.attacks
    window_start = _window_start(dataset)
    confirmed = attacks["confidence"] != "low"
    rows = []
    for count in dataset.press_counts.itertuples(index=False):
        start = count.since_date if pd.notna(count.since_date) else window_start
        counted = in_press_scope(attacks, count.counted_what) & attacks["date"].between(
            start, count.report_date)
        ours = int((counted & confirmed).sum())
        rows.append({
            "count_id": count.count_id,
            "report_date": count.report_date.date(),
            "outlet": count.outlet,
            "counted": count.counted_what,
            "since": start.date() if pd.notna(start) else None,
            "press": f"{_QUALIFIER_WORDS[count.qualifier]}{count.count}",
            "press_count": int(count.count),
            "dataset": ours,
            "dataset_all": int(counted.sum()),
            "difference": ours - int(count.count),
            "checked": bool(count.checked),
            "consistent": consistent(count.qualifier, ours - int(count.count)),
        })
    return pd.DataFrame(rows, columns=["count_id", "report_date", "outlet", "counted", "since",
                                       "press", "press_count", "dataset", "dataset_all",
                                       "difference", "checked", "consistent"])


_QUALIFIER_WORDS = {"exact": "", "at_least": "at least ", "about": "about ",
                    "more_than": "more than "}


def _window_start(dataset: Dataset) -> pd.Timestamp:
    """First day of the dataset's sourced months (its window, from coverage.csv)."""
    if dataset.window is None:
        raise ValueError("coverage.csv: no month has been sourced")
    return dataset.window[0]


def monthly_coverage(dataset: Dataset) -> pd.DataFrame:
    """Per month of coverage.csv: attacks, rows with 2+ sources, single-source rows, the press
    counts published that month against our data, and our completeness assessment. A month
    not yet sourced has no counts (not zero: nobody has looked)."""
    attacks = dataset.attacks.assign(
        month=dataset.attacks["date"].dt.strftime("%Y-%m"),
        sources=dataset.attacks["source_urls"].str.split().str.len(),
    )
    comparison = press_count_comparison(dataset)
    comparison["month"] = pd.to_datetime(comparison["report_date"]).dt.strftime("%Y-%m")
    rows = []
    for assessment in dataset.coverage.sort_values("month").itertuples(index=False):
        month_attacks = attacks[attacks["month"] == assessment.month]
        counts = comparison[comparison["month"] == assessment.month]
        if len(counts):
            low, high = counts["difference"].min(), counts["difference"].max()
            spread = f"{low:+d}" if low == high else f"{low:+d} to {high:+d}"
            press = f"{len(counts)}: ours {spread}"
        else:
            press = "none"
        sourced = assessment.assessment != "not_started"
        rows.append({
            "month": assessment.month,
            "attacks": len(month_attacks) if sourced else None,
            "2+ source URLs": int((month_attacks["sources"] >= 2).sum()) if sourced else None,
            "single URL": int((month_attacks["sources"] == 1).sum()) if sourced else None,
            "press counts published (ours minus press)": press,
            "assessment": assessment.assessment.replace("_", " "),
            "why": assessment.reasoning,
        })
    return pd.DataFrame(rows)


def running_count_comparison(dataset: Dataset, start: pd.Timestamp,
                             end: pd.Timestamp) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The running total of attacks in the press's usual scope (militia attacks on US sites,
    high or medium confidence) over [start, end], counted from the first day of the dataset's
    window, and the press's running counts since the window's first month that fall in
    [start, end], each with our count and the difference."""
    from .frequency import cumulative_attacks

    attacks = dataset.attacks
    scoped = attacks.loc[in_press_scope(attacks, "us_interests")
                         & (attacks["confidence"] != "low"), ["date"]]
    window_start = _window_start(dataset)
    series_start = min(pd.Timestamp(start), window_start)
    cumulative = cumulative_attacks(scoped, series_start, end)
    cumulative = cumulative[cumulative["date"] >= pd.Timestamp(start)].reset_index(drop=True)
    comparison = press_count_comparison(dataset)
    first_month_end = window_start + pd.offsets.MonthEnd(0)
    since_first_month = comparison["since"].map(
        lambda d: d is None or pd.Timestamp(d) <= first_month_end)
    dates = pd.to_datetime(comparison["report_date"])
    points = comparison[(comparison["counted"] == "us_interests") & since_first_month
                        & comparison["checked"] & dates.between(start, end)].reset_index(
                            drop=True)
    return cumulative, points


def largest_gap_sentence(points: pd.DataFrame) -> str:
    if points.empty:
        return "No running count published by the press falls in this window."
    # a lower-bound tally ('at least N') that our count meets or passes is no gap
    bound_words = tuple(_QUALIFIER_WORDS[q] for q in ("at_least", "more_than"))
    lower_bound = points["press"].astype(str).str.startswith(bound_words)
    gaps = points[~(lower_bound & (points["difference"] >= 0))]
    if gaps.empty or (gaps["difference"] == 0).all():
        return (f"None of the {len(points)} running counts the press published in this window "
                "is above the number of attacks in the data on the same day, and none of the "
                "exact counts differs from it (a count given as 'at least' is met when the "
                "data holds as many or more).")
    gap = gaps.loc[gaps["difference"].abs().idxmax()]
    if gap["difference"] == 0:
        return (f"All {len(points)} running counts the press published in this window equal "
                "the number of attacks in the data on the same day.")
    side = "fewer" if gap["difference"] < 0 else "more"
    # the month the tally counts from: the first month of the dataset's window
    since = gap.get("since")
    since = f" since {pd.Timestamp(since):%B %Y}" if since is not None and pd.notna(since) else ""
    return (f"The largest gap: on {pd.Timestamp(gap['report_date']):%d %B %Y} "
            f"{gap['outlet']} counted {gap['press']} attacks{since}; the data holds "
            f"{gap['dataset']}, {abs(int(gap['difference']))} {side}. "
            f"{len(points)} press counts fall in the window; the differences are explained in "
            "data/README.md.")
