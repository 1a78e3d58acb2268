"""How often: attack counts per period. DataFrame in, DataFrame out."""

from __future__ import annotations

import pandas as pd

# pandas period aliases for the report's `period` parameter.
PERIOD_FREQ = {"W": "W-SUN", "M": "M"}
PERIOD_NAMES = {"W": "week", "M": "month"}


def attacks_per_period(attacks: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp,
                       period: str = "W") -> pd.DataFrame:
    """Number of attacks in every period (weeks ending Sunday, or calendar months) that
    overlaps [start, end], including periods with none.

    Returns columns period_start, period_end, attacks.
    """
    freq = PERIOD_FREQ[period]
    periods = pd.period_range(pd.Timestamp(start), pd.Timestamp(end), freq=freq)
    counts = attacks["date"].dt.to_period(freq).value_counts()
    frame = pd.DataFrame({"period": periods})
    frame["attacks"] = frame["period"].map(counts).fillna(0).astype(int)
    # a week that straddles the window's edge counts only its days inside the window, and
    # says so: its dates stop at the edge (a day outside may not have been searched)
    frame["period_start"] = frame["period"].dt.start_time.dt.normalize().clip(
        lower=pd.Timestamp(start).normalize())
    frame["period_end"] = frame["period"].dt.end_time.dt.normalize().clip(
        upper=pd.Timestamp(end).normalize())
    return frame[["period_start", "period_end", "attacks"]]


def with_rolling_mean(counts: pd.DataFrame, window: int) -> pd.DataFrame:
    """Add a trailing rolling mean of ``attacks`` over ``window`` periods (partial at the start)."""
    return counts.assign(rolling_mean=counts["attacks"].rolling(window, min_periods=1).mean())


def breakdown(attacks: pd.DataFrame, column: str) -> pd.DataFrame:
    """Attacks per value of ``column``, most first, with the share of all attacks (ties in
    alphabetical order so that the ranking is stable)."""
    counts = attacks[column].fillna("unknown").replace("", "unknown").value_counts()
    frame = counts.rename_axis(column).reset_index(name="attacks")
    frame = frame.sort_values(["attacks", column], ascending=[False, True], ignore_index=True)
    total = frame["attacks"].sum()
    frame["share"] = frame["attacks"] / total if total else 0.0
    return frame


def per_period_by(attacks: pd.DataFrame, column: str, start: pd.Timestamp, end: pd.Timestamp,
                  period: str = "M") -> pd.DataFrame:
    """Attacks per period (rows, including empty periods) and value of ``column`` (columns,
    most frequent first)."""
    freq = PERIOD_FREQ[period]
    periods = pd.period_range(pd.Timestamp(start), pd.Timestamp(end), freq=freq)
    order = list(breakdown(attacks, column)[column]) if len(attacks) else []
    table = pd.crosstab(attacks["date"].dt.to_period(freq), attacks[column].fillna("unknown"))
    table = table.reindex(index=periods, columns=order, fill_value=0)
    table.index = periods.start_time.normalize()
    table.index.name = "period_start"
    table.columns.name = column
    return table


HOUR_BINS = [0, 3, 6, 9, 12, 15, 18, 21, 24]
HOUR_LABELS = [f"{a:02d}-{b:02d}" for a, b in zip(HOUR_BINS[:-1], HOUR_BINS[1:])]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def time_of_day(attacks: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Attacks per three-hour band of local time, for attacks whose time is reported; and the
    number whose time is unknown."""
    times = attacks["time_local"].fillna("")
    known = times[times != ""]
    hours = known.str.slice(0, 2).astype(int)
    bands = pd.cut(hours, HOUR_BINS, right=False, labels=HOUR_LABELS)
    counts = bands.value_counts().reindex(HOUR_LABELS, fill_value=0)
    frame = counts.rename_axis("local_time").reset_index(name="attacks")
    return frame, len(attacks) - len(known)


def day_of_week(attacks: pd.DataFrame) -> pd.DataFrame:
    """Attacks per day of the week (local date; approximate dates included)."""
    counts = attacks["date"].dt.day_name().value_counts().reindex(DAYS, fill_value=0)
    return counts.rename_axis("day").reset_index(name="attacks")


def projectiles_per_period(attacks: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp,
                           period: str = "M") -> pd.DataFrame:
    """Projectiles fired per period: the sum of the low and of the high figures over the
    attacks that report a count, and how many attacks report none."""
    freq = PERIOD_FREQ[period]
    periods = pd.period_range(pd.Timestamp(start), pd.Timestamp(end), freq=freq)
    known = attacks["projectiles_fired_low"].notna()
    key = attacks["date"].dt.to_period(freq)
    grouped = pd.DataFrame({
        "fired_low": attacks["projectiles_fired_low"].where(known).groupby(key).sum(min_count=1),
        "fired_high": attacks["projectiles_fired_high"].where(known).groupby(key).sum(
            min_count=1),
        "attacks_with_count": known.groupby(key).sum(),
        "attacks_without_count": (~known).groupby(key).sum(),
    })
    grouped = grouped.reindex(periods)
    counts = ["attacks_with_count", "attacks_without_count"]
    grouped[counts] = grouped[counts].fillna(0).astype(int)
    grouped[["fired_low", "fired_high"]] = grouped[["fired_low", "fired_high"]].fillna(0).astype(
        int)
    grouped.index = periods.start_time.normalize()
    return grouped.rename_axis("period_start").reset_index()


def projectiles_per_attack(attacks: pd.DataFrame) -> pd.DataFrame:
    """Distribution of projectiles fired per attack (low and high figures), over the attacks
    that report a count: count, median, mean and maximum."""
    known = attacks.loc[attacks["projectiles_fired_low"].notna(),
                        ["projectiles_fired_low", "projectiles_fired_high"]]
    rows = []
    for bound in ("low", "high"):
        values = known[f"projectiles_fired_{bound}"].astype(float)
        rows.append({"figure": bound, "attacks": len(values),
                     "median": values.median() if len(values) else None,
                     "mean": values.mean() if len(values) else None,
                     "max": values.max() if len(values) else None})
    return pd.DataFrame(rows)


def attacks_by_site(attacks: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """Attacks per site with the site's label, province and coordinates (empty where no source
    gives them), most attacked first."""
    counts = breakdown(attacks, "site_id")[["site_id", "attacks"]]
    columns = ["site_id", "label", "name", "province", "latitude", "longitude"]
    # site_type tells a site from a province group of convoy roads, which is not a site
    columns += ["site_type"] if "site_type" in sites else []
    located = counts.merge(sites[columns], on="site_id", how="left")
    return located


def cumulative_attacks(attacks: pd.DataFrame, start: pd.Timestamp,
                       end: pd.Timestamp) -> pd.DataFrame:
    """Running total of attacks on each day of [start, end]."""
    days = pd.date_range(start, end, freq="D")
    daily = attacks["date"].value_counts().reindex(days, fill_value=0)
    return pd.DataFrame({"date": days, "cumulative": daily.cumsum().to_numpy()})


def sourced_counts(counts: pd.DataFrame, coverage: pd.DataFrame | None) -> pd.DataFrame:
    """Counts per period as a table shows them: every period, a period without an attack as 0
    where the sources were searched, and empty (unknown) where none is recorded and any of
    its days falls in a month that ``coverage`` marks as not started. Months before or after
    the ones coverage lists lie outside every report window (the window is cut to the sourced
    months), so the part of a period inside the window is what counts. ``counts`` from
    attacks_per_period (optionally with_rolling_mean)."""
    shown = counts.copy()
    if coverage is None or coverage.empty:
        return shown
    months = coverage.assign(month=coverage["month"].map(lambda m: pd.Period(str(m), "M")))
    not_searched = set(months.loc[months["assessment"] == "not_started", "month"])
    if not not_searched:
        return shown

    def unsearched(row) -> bool:
        touched = pd.period_range(row["period_start"], row["period_end"], freq="M")
        return any(month in not_searched for month in touched)

    # a period with an attack shows its count (at least that many) even where part of it
    # was not searched; only a zero there would claim what nobody checked
    unknown = shown.apply(unsearched, axis=1).astype(bool) & (shown["attacks"] == 0)
    for column in [c for c in ("attacks", "rolling_mean") if c in shown]:
        shown[column] = shown[column].astype("Float64" if column == "rolling_mean" else "Int64")
        shown.loc[unknown, column] = pd.NA
    return shown


def attacks_per_period_by_series(attacks: pd.DataFrame, start: pd.Timestamp,
                                 end: pd.Timestamp, period: str = "W") -> pd.DataFrame:
    """attacks_per_period for each series apart (sites; convoys): columns series,
    period_start, attacks, every period of [start, end] for both."""
    from .claims import series_of

    series = series_of(attacks)
    frames = [attacks_per_period(attacks.loc[series == name, ["date"]], start, end, period).assign(
        series=name)[["series", "period_start", "attacks"]] for name in ("sites", "convoys")]
    return pd.concat(frames, ignore_index=True)


def site_and_road_breakdowns(attacks: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Attacks per site (bases, embassy, airports: convoy attacks left out, their 'sites' are
    province groups of roads) and convoy attacks per province, each with shares of its own
    series."""
    convoy = attacks["target_type"] == "convoy"
    # the one column each needs: a selection of whole rows copies every column
    return (breakdown(attacks.loc[~convoy, ["site_label"]], "site_label"),
            breakdown(attacks.loc[convoy, ["province"]], "province"))
