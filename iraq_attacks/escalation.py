"""Escalation: attacks and milestones on one time axis."""

from __future__ import annotations

import functools

import pandas as pd

from .casualties import severity


def milestones_in_window(milestones: pd.DataFrame, start: pd.Timestamp,
                         end: pd.Timestamp) -> pd.DataFrame:
    """Milestones that begin inside [start, end]."""
    return milestones[milestones["date"].between(start, end)].reset_index(drop=True)


SEVERITY_ORDER = ["unknown", "none", "wounded", "killed"]
# Past this many attacks no chart draws one marker per attack: the timeline shows one per
# site and day, or per site and week (or month) when even the days are too many.
MAX_MARKERS = 5000
# what one marker of a grouped timeline stands for, finest first (pandas period codes)
TIMELINE_GROUPS = {"day": "D", "week": "W", "month": "M"}


def attack_timeline(attacks: pd.DataFrame, max_markers: int = MAX_MARKERS) -> pd.DataFrame:
    """One row per attack for the timeline: date, site, weapon, projectiles (the highest
    figure reported for fired, else landed; empty when unknown), severity, attacks (1),
    deadly_attacks (1 for an attack that killed someone) and marker ("attack").

    With more than ``max_markers`` attacks, one row per site and day instead (marker "day"),
    or per site and week, dated on its Monday ("week"), or per site and month ("month"),
    whichever is the finest that stays within ``max_markers``: projectiles summed, the worst
    severity, the number of attacks and of deadly attacks it stands for. A million attacks
    make ten thousand site-days, which take seconds to draw and cover each other anyway."""
    projectiles = attacks["projectiles_fired_high"].fillna(attacks["projectiles_landed_high"])
    levels = severity(attacks)
    timeline = pd.DataFrame({
        "attack_id": attacks["attack_id"],
        "date": attacks["date"],
        "site": attacks["site_label"],
        "weapon": attacks["weapon"],
        "projectiles": projectiles,
        "severity": levels,
        "attacks": 1,
        "deadly_attacks": (levels == "killed").astype(int),
        "marker": "attack",
    }).reset_index(drop=True)
    if len(timeline) <= max_markers:
        return timeline
    rank = timeline["severity"].map({s: i for i, s in enumerate(SEVERITY_ORDER)})
    ranked = timeline.assign(rank=rank)
    for marker, code in TIMELINE_GROUPS.items():
        start = ranked["date"].dt.to_period(code).dt.start_time
        by_marker = ranked.assign(date=start).groupby(["date", "site"])
        if by_marker.ngroups <= max_markers or marker == "month":
            break
    grouped = by_marker.agg(attack_id=("attack_id", "first"), weapon=("weapon", "first"),
                            rank=("rank", "max"), attacks=("attacks", "sum"),
                            deadly_attacks=("deadly_attacks", "sum"))
    # summed in C; empty (not 0) for a marker where no attack gives a count
    grouped["projectiles"] = by_marker["projectiles"].sum(min_count=1)
    grouped = grouped.reset_index()
    grouped["severity"] = grouped["rank"].map(dict(enumerate(SEVERITY_ORDER)))
    grouped["marker"] = marker
    return grouped.drop(columns="rank")[timeline.columns]


def days_between_attacks(attacks: pd.DataFrame, window: int = 5) -> pd.DataFrame:
    """Tempo: for each attack after the first, the days since the previous attack (0 when two
    fall on one day), with a rolling median over ``window`` gaps."""
    dates = attacks["date"].sort_values().reset_index(drop=True)
    gaps = pd.DataFrame({"date": dates, "days_since_previous": dates.diff().dt.days})
    gaps = gaps.iloc[1:].reset_index(drop=True)
    gaps["rolling_median"] = gaps["days_since_previous"].rolling(window, min_periods=1).median()
    return gaps


def days_between_attacks_by_series(attacks: pd.DataFrame, window: int = 5) -> pd.DataFrame:
    """days_between_attacks within each series (sites; convoys), with a ``series`` column:
    the gap between a rocket on a base and a bomb on a road is not a gap in either
    campaign."""
    frames = [days_between_attacks(choose(_for_tests(attacks)), window).assign(series=name)
              for name, choose in SERIES.items()]
    return pd.concat(frames, ignore_index=True)


def tempo_points(gaps: pd.DataFrame, max_markers: int = MAX_MARKERS) -> pd.DataFrame:
    """What the tempo chart draws (and its data file holds): ``gaps`` from
    days_between_attacks_by_series with an ``attacks`` column (1 per row).

    With more than ``max_markers`` gaps, one row per series and day instead: the longest gap
    of the day, the rolling median after its last attack, and the number of attacks it stands
    for. A million dots draw for half a minute and make a 30 MB page of one chart; the days
    keep every peak of the chart. Medians for titles come from ``gaps`` itself."""
    points = gaps.assign(attacks=1)
    if len(points) <= max_markers:
        return points
    by_day = points.groupby(["series", "date"], sort=False)
    reduced = by_day.agg(days_since_previous=("days_since_previous", "max"),
                         rolling_median=("rolling_median", "last"),
                         attacks=("attacks", "sum")).reset_index()
    return reduced[points.columns]


def intensity_by_period(attacks: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp,
                        period: str = "M") -> pd.DataFrame:
    """Per period: mean projectiles per attack (lowest figures, over attacks that report a
    count) and people killed or wounded per attack."""
    from .frequency import PERIOD_FREQ

    freq = PERIOD_FREQ[period]
    periods = pd.period_range(pd.Timestamp(start), pd.Timestamp(end), freq=freq)
    key = attacks["date"].dt.to_period(freq)
    casualty_columns = [c for c in attacks.columns if c.startswith(("killed_", "wounded_"))]
    # an attack for which no source gives any casualty figure is unknown, not a zero: it is
    # left out of the mean, and the number of attacks the mean is over is kept beside it
    harmed = attacks[casualty_columns].sum(axis=1, min_count=1)
    frame = pd.DataFrame({
        "attacks": key.value_counts(),
        "projectiles_per_attack": attacks["projectiles_fired_low"].astype("Float64").groupby(
            key).mean(),
        "casualties_per_attack": harmed.groupby(key).mean(),
        "attacks_with_projectile_count": attacks["projectiles_fired_low"].notna().groupby(
            key).sum(),
        "attacks_with_casualty_figure": harmed.notna().groupby(key).sum(),
    }).reindex(periods)
    for column in ("attacks", "attacks_with_projectile_count", "attacks_with_casualty_figure"):
        frame[column] = frame[column].fillna(0).astype(int)
    frame.index = periods.start_time.normalize()
    return frame.rename_axis("period_start").reset_index()


def rate_ratio(before: int, after: int, days_before: float, days_after: float,
               confidence: float = 0.95) -> dict:
    """Ratio of the attack rate after to the rate before, with an exact confidence interval:
    conditional on the total, the count after is binomial with p = days_after / total days
    under equal rates (the exact Poisson rate-ratio test); the Clopper-Pearson interval for p
    maps to an interval for the ratio."""
    ratio, low, high, p_value = _exact_rate_ratio(int(before), int(after), float(days_before),
                                                  float(days_after), float(confidence))
    return {"ratio": ratio, "low": low, "high": high, "p_value": p_value}


@functools.lru_cache(maxsize=65536)
def _exact_rate_ratio(before: int, after: int, days_before: float, days_after: float,
                      confidence: float) -> tuple[float, float, float, float]:
    # Cached: the placebo baseline and the sensitivity grid ask for the same few counts and
    # windows thousands of times. The Clopper-Pearson bounds are the beta quantiles they are
    # defined by (scipy's proportion_ci(method="exact") gives the same to 1e-12, five times
    # slower); the p value is that of scipy's two-sided exact binomial test.
    from scipy.special import betaincinv

    total = before + after
    share = days_after / (days_before + days_after)
    if total == 0:
        return float("nan"), float("nan"), float("nan"), 1.0
    p_value = _binomial_two_sided_p(after, total, share)
    tail = (1 - confidence) / 2
    low = 0.0 if after == 0 else float(betaincinv(after, total - after + 1, tail))
    high = 1.0 if after == total else float(betaincinv(after + 1, total - after, 1 - tail))
    scale = days_before / days_after

    def to_ratio(p: float) -> float:
        return float("inf") if p >= 1 else p / (1 - p) * scale

    ratio = (after / days_after) / (before / days_before) if before else float("inf")
    return ratio, to_ratio(low), to_ratio(high), p_value


def _binomial_two_sided_p(k: int, n: int, p: float) -> float:
    """The two-sided exact binomial p value as scipy.stats.binomtest computes it: the tail of
    ``k`` plus the far tail of every count no likelier than ``k`` (within a relative 1e-7,
    scipy's tolerance for ties), the far tail's edge found by bisection. From scipy.special,
    because importing scipy.stats costs a kernel about a second and this is all it was
    imported for; a few probabilities a call, not one per possible count (a window of a
    million-row dataset holds tens of thousands of attacks)."""
    import math

    from scipy.special import bdtr, bdtrc, gammaln

    if not 0 < p < 1:
        from scipy.stats import binomtest  # a degenerate window: let scipy say what it means

        return float(binomtest(k, n, p).pvalue)
    if k == p * n:
        return 1.0

    def pmf(count: int) -> float:
        return math.exp(gammaln(n + 1) - gammaln(count + 1) - gammaln(n - count + 1)
                        + count * math.log(p) + (n - count) * math.log1p(-p))

    bound = pmf(k) * (1 + 1e-7)
    if k < p * n:
        # the first count above the mode as unlikely as k: pmf falls from ceil(p n) to n
        low, high = math.ceil(p * n), n + 1
        while low < high:
            middle = (low + high) // 2
            low, high = (low, middle) if pmf(middle) <= bound else (middle + 1, high)
        far = float(bdtrc(low - 1, n, p)) if low <= n else 0.0
        return min(1.0, float(bdtr(k, n, p)) + far)
    # the last count below the mode as unlikely as k: pmf rises from 0 to floor(p n)
    low, high = -1, math.floor(p * n)
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if pmf(middle) <= bound else (low, middle - 1)
    far = float(bdtr(low, n, p)) if low >= 0 else 0.0
    return min(1.0, far + float(bdtrc(k - 1, n, p)))


def rates_around_milestones(attacks: pd.DataFrame, milestones: pd.DataFrame,
                            window_days: int, first_day: pd.Timestamp,
                            last_day: pd.Timestamp) -> pd.DataFrame:
    """For each milestone: attacks in the ``window_days`` before it and after it (the day itself
    excluded: the order of events within a day is rarely known), windows clipped to the
    sourced period [first_day, last_day], the rates per week and the rate ratio after/before
    with its exact 95% interval."""
    rows = []
    for m in milestones.itertuples(index=False):
        before_start = max(m.date - pd.Timedelta(days=window_days), first_day)
        before_end = m.date - pd.Timedelta(days=1)
        after_start = m.date + pd.Timedelta(days=1)
        after_end = min(m.date + pd.Timedelta(days=window_days), last_day)
        days_before = (before_end - before_start).days + 1
        days_after = (after_end - after_start).days + 1
        if days_before <= 0 or days_after <= 0:
            continue
        before = int(attacks["date"].between(before_start, before_end).sum())
        after = int(attacks["date"].between(after_start, after_end).sum())
        result = rate_ratio(before, after, days_before, days_after)
        rows.append({"milestone": m.title, "date": m.date, "attacks_before": before,
                     "days_before": days_before, "attacks_after": after,
                     "days_after": days_after,
                     "weekly_rate_before": 7 * before / days_before,
                     "weekly_rate_after": 7 * after / days_after,
                     "rate_ratio": result["ratio"], "ci_low": result["low"],
                     "ci_high": result["high"], "p_value": result["p_value"]})
    return pd.DataFrame(rows)


def rate_phases(attacks: pd.DataFrame, first_day: pd.Timestamp, last_day: pd.Timestamp,
                p0: float = 0.05) -> pd.DataFrame:
    """Phases of constant attack rate found by Bayesian blocks (Scargle et al. 2013, through
    astropy) on the attack dates as events, with false-alarm probability ``p0`` per change
    point. Returns start, end, attacks and weekly rate of each phase."""
    import numpy as np
    from astropy.stats import bayesian_blocks

    span = (last_day - first_day).days + 1
    days = (attacks["date"] - first_day).dt.days.to_numpy(dtype=float)
    days = days[(days >= 0) & (days < span)]
    if len(days) < 2:
        return pd.DataFrame([{"start": first_day, "end": last_day, "attacks": len(days),
                              "weekly_rate": 7 * len(days) / span}])
    # events on a day sit at its middle. The fit spans the first to the last attack; its edges
    # are kept as fitted (stretching the outer blocks to the window's ends would dilute their
    # rates with days the fit never saw), so the phases run from the first attack's day to
    # the last attack's day.
    edges = bayesian_blocks(np.sort(days) + 0.5, fitness="events", p0=p0)
    rows = []
    for i, (left, right) in enumerate(zip(edges[:-1], edges[1:])):
        last_block = i == len(edges) - 2
        inside = (days + 0.5 >= left) & ((days + 0.5 <= right) if last_block
                                         else (days + 0.5 < right))
        count = int(inside.sum())
        start = first_day + pd.Timedelta(days=int(np.floor(left) if i == 0 else np.ceil(left)))
        end = first_day + pd.Timedelta(days=int(np.floor(right) if last_block
                                                else np.ceil(right) - 1))
        rows.append({"start": start, "end": end, "attacks": count,
                     "weekly_rate": 7 * count / max(right - left, 1.0)})
    return pd.DataFrame(rows)


US_ACTIONS = ("us_strike", "targeted_killing")


def action_and_response(attacks: pd.DataFrame, milestones: pd.DataFrame,
                        lookback_days: int = 30) -> pd.DataFrame:
    """Each charted US strike or targeted killing in sequence with the attack before it
    (the likely trigger: the most recent attack that killed someone within ``lookback_days``),
    the next attack after it and the next Iranian state strike, with the lags in days."""
    # Only the columns needed, in date order once: a million-row frame is then searched per
    # action, not copied and sorted per action.
    killed = [c for c in attacks.columns if c.startswith("killed_")]
    slim = attacks[["date", "site_label", "attack_id", "actor_type"]].assign(
        deadly=attacks[killed].fillna(0).sum(axis=1) > 0).sort_values("date", kind="stable")
    dates = slim["date"].to_numpy()
    deadly = slim[slim["deadly"]]
    state = slim[slim["actor_type"] == "state"]
    rows = []
    charted = milestones["on_charts"] if "on_charts" in milestones else True
    us_actions = milestones[milestones["kind"].isin(US_ACTIONS) & charted]
    # One attack follows at most one action: when two actions come before the same attack,
    # it is shown as the next attack after the later one only (the earlier gets the next
    # attack before that action, or none).
    taken: set[int] = set()
    # Iran named the killing of Soleimani as what its strike of 8 January answered; the
    # state strike is tied to that action only, not to every US action before it.
    named = us_actions[us_actions["kind"] == IRAN_NAMED_ACTION]
    named_date = named["date"].iloc[0] if len(named) else None
    for action in list(us_actions.itertuples(index=False))[::-1]:
        prior = deadly[deadly["date"].between(action.date - pd.Timedelta(days=lookback_days),
                                              action.date - pd.Timedelta(days=1))]
        first_after = int(dates.searchsorted(action.date.to_datetime64(), side="right"))
        later_actions = us_actions[us_actions["date"] > action.date]["date"]
        if first_after in taken or (len(later_actions) and first_after < len(dates)
                                    and dates[first_after] > later_actions.min()):
            first_after = len(slim)
        taken.add(first_after)
        later_state = (state[state["date"] > action.date]
                       if action.date == named_date else state.iloc[0:0])
        trigger = prior.iloc[-1] if len(prior) else None
        response = slim.iloc[first_after] if first_after < len(slim) else None
        rows.append({
            "action": action.title, "action_date": action.date,
            "trigger": (f"{trigger['site_label']} ({trigger['attack_id']})"
                        if trigger is not None else ""),
            "trigger_date": trigger["date"] if trigger is not None else pd.NaT,
            "days_trigger_to_action": ((action.date - trigger["date"]).days
                                       if trigger is not None else None),
            "next_attack": (f"{response['site_label']} ({response['attack_id']})"
                            if response is not None else ""),
            "next_attack_date": response["date"] if response is not None else pd.NaT,
            "days_to_next_attack": ((response["date"] - action.date).days
                                    if response is not None else None),
            "next_state_strike_date": (later_state["date"].iloc[0] if len(later_state)
                                       else pd.NaT),
            "days_to_state_strike": ((later_state["date"].iloc[0] - action.date).days
                                     if len(later_state) else None),
        })
    return pd.DataFrame(rows[::-1])


IRAN_NAMED_ACTION = "targeted_killing"


def waiting_times(attacks: pd.DataFrame, first_day: pd.Timestamp,
                  last_day: pd.Timestamp) -> pd.Series:
    """From every day of the series, the days until the next attack after it (days after the
    last attack have none and are left out): the usual gap a lag has to stand out from."""
    import numpy as np

    dates = np.sort(attacks["date"].to_numpy())
    days = pd.date_range(first_day, last_day, freq="D").to_numpy()
    index = dates.searchsorted(days, side="right")
    has_next = index < len(dates)
    waits = (dates[index[has_next]] - days[has_next]) / np.timedelta64(1, "D")
    return pd.Series(waits.astype(int))


def lag_percentile(lag: float, waits: pd.Series) -> float:
    """Share of random days from which the next attack came at least as soon as ``lag``."""
    if pd.isna(lag) or waits.empty:
        return float("nan")
    return float((waits <= lag).mean())


def lag_reading(row, waits: pd.Series) -> str:
    """Whether the next attack after an action came sooner than from an ordinary day."""
    if pd.isna(row["days_to_next_attack"]):
        return (f"{row['action']} ({row['action_date']:%d %b %Y}): no attack is counted as "
                "coming next (the next attack also followed a later action, or none came).")
    share = lag_percentile(row["days_to_next_attack"], waits)
    median = float(waits.median())
    lag = int(row["days_to_next_attack"])
    text = (f"{row['action']} ({row['action_date']:%d %b %Y}): the next attack came after "
            f"{lag} day{'s' if lag != 1 else ''}; from {share:.0%} of all days of the series "
            f"the next attack came as soon or sooner (median wait {median:.0f} days)")
    if share <= 0.05:
        return (text + ", so it came unusually soon; the timing alone does not show it was a "
                "response.")
    return text + ", so the lag cannot be told apart from the usual gap between attacks."


SENSITIVITY_VARIANTS = {
    "all attacks": lambda a: a,
    "without intercepted or failed": lambda a: a[~a["outcome"].isin(["intercepted", "failed"])],
    "without low confidence": lambda a: a[a["confidence"] != "low"],
}


def sensitivity(attacks: pd.DataFrame, milestones: pd.DataFrame, window_days: int,
                first_day: pd.Timestamp, last_day: pd.Timestamp) -> pd.DataFrame:
    """Rate ratios around each milestone recomputed on each variant of the data, side by
    side: 'ratio [low-high]' per variant."""
    columns = {}
    attacks = _for_tests(attacks)  # the variants copy only these
    for name, choose in SENSITIVITY_VARIANTS.items():
        rates = rates_around_milestones(choose(attacks), milestones, window_days, first_day,
                                        last_day)
        columns[name] = [f"{r.rate_ratio:.2f} [{r.ci_low:.2f}-{r.ci_high:.2f}]"
                         for r in rates.itertuples()]
        index = list(zip(rates["milestone"], rates["date"].dt.strftime("%Y-%m-%d")))
    table = pd.DataFrame(columns, index=pd.MultiIndex.from_tuples(index, names=["milestone",
                                                                                "date"]))
    return table.reset_index()


# --- Milestone effects that survive scrutiny ------------------------------------------------
# A ratio whose own 95% interval excludes 1 is not yet a finding: with a dozen milestones
# tested, one will look unusual by chance; an attack series as bursty as this one shows
# ratios that large on many ordinary days; and a result that flips with the window, the
# anchor date or the counting rule is a property of those choices, not of the data.

def placebo_sentences(attacks: pd.DataFrame, window_days: int, first_day: pd.Timestamp,
                      last_day: pd.Timestamp) -> list[str]:
    """The placebo baseline in one sentence per series (all attacks, sites, convoys)."""
    sentences = []
    attacks = _for_tests(attacks)
    for name, choose in {"all attacks": lambda a: a, **SERIES}.items():
        placebo = placebo_ratios(choose(attacks), window_days, first_day, last_day)
        if len(placebo):
            sentences.append(placebo_sentence(placebo, name, window_days))
    return sentences


SERIES = {
    # rockets, missiles, drones and mortars on bases, the embassy and the airport
    "sites": lambda a: a[a["target_type"] != "convoy"],
    # roadside bombs on supply convoys: another campaign, sourced differently
    "convoys": lambda a: a[a["target_type"] == "convoy"],
}

GRID_WINDOWS = (14, 28, 56)
GRID_ANCHORS = ("start", "end")
GRID_UNITS = ("attacks", "attack-days")
GRID_VARIANTS = {
    "all rows": lambda a: a,
    "without low confidence": lambda a: a[a["confidence"] != "low"],
    "without state attacks": lambda a: a[a["actor_type"] != "state"],
}


# The columns the series, the variants and the rate tests read. Every selection of rows
# below copies what it is given: on a million attacks a selection of the whole table is a
# gigabyte, a selection of these columns a few dozen megabytes.
TEST_COLUMNS = ("date", "target_type", "confidence", "actor_type", "outcome")


def _for_tests(attacks: pd.DataFrame) -> pd.DataFrame:
    """Only the TEST_COLUMNS of ``attacks`` (those it has)."""
    return attacks[[c for c in TEST_COLUMNS if c in attacks.columns]]


def holm(p_values) -> list[float]:
    """Holm's step-down adjustment of a family of p values (controls the chance of any false
    finding among them); returned in the input order."""
    import numpy as np

    p = np.asarray(list(p_values), dtype=float)
    order = np.argsort(p, kind="stable")
    m = len(p)
    adjusted = np.empty(m)
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[index]))
        adjusted[index] = running
    return adjusted.tolist()


def _daily_counts(attacks: pd.DataFrame, first_day: pd.Timestamp, last_day: pd.Timestamp,
                  unit: str = "attacks"):
    """Attacks (or 1 per day with any attack, for 'attack-days') per day of [first, last]."""
    import numpy as np

    span = (last_day - first_day).days + 1
    days = (attacks["date"] - first_day).dt.days.to_numpy()
    days = days[(days >= 0) & (days < span)]
    counts = np.bincount(days.astype(int), minlength=span)
    return (counts > 0).astype(int) if unit == "attack-days" else counts


def _windows(day: int, window_days: int, span: int, after_from: int | None = None):
    """Day offsets [b0, b1] before and [a0, a1] after a milestone at offset ``day`` (the day
    itself left out), clipped to the series; ``after_from`` moves the after-window's anchor."""
    anchor_after = day if after_from is None else after_from
    b0, b1 = max(day - window_days, 0), day - 1
    a0, a1 = anchor_after + 1, min(anchor_after + window_days, span - 1)
    return b0, b1, a0, a1


def _ratio_at(cumulative, b0, b1, a0, a1) -> dict | None:
    if b1 < b0 or a1 < a0:
        return None
    before = int(cumulative[b1 + 1] - cumulative[b0])
    after = int(cumulative[a1 + 1] - cumulative[a0])
    result = rate_ratio(before, after, b1 - b0 + 1, a1 - a0 + 1)
    return {"before": before, "after": after, "days_before": b1 - b0 + 1,
            "days_after": a1 - a0 + 1, **result}


def placebo_ratios(attacks: pd.DataFrame, window_days: int, first_day: pd.Timestamp,
                   last_day: pd.Timestamp, unit: str = "attacks") -> pd.DataFrame:
    """The same before/after test run at every day of the series whose two windows fit
    whole inside it: the baseline a milestone's ratio has to stand out from."""
    import numpy as np

    counts = _daily_counts(attacks, first_day, last_day, unit)
    cumulative = np.concatenate([[0], np.cumsum(counts)])
    span = len(counts)
    rows = []
    for day in range(window_days, span - window_days):
        r = _ratio_at(cumulative, *_windows(day, window_days, span))
        if r is not None and r["before"] + r["after"] > 0:
            rows.append({"date": first_day + pd.Timedelta(days=day), **r})
    return pd.DataFrame(rows)


def _log_distance(ratio: float, before: int, after: int) -> float:
    """How far a ratio is from 1 on a log scale; a ratio against zero attacks before (or
    none after) is as extreme as any."""
    import math

    if before == 0 or after == 0:
        return math.inf
    return abs(math.log(ratio))


def placebo_share(placebo: pd.DataFrame, ratio: float, before: int, after: int) -> float:
    """Share of the placebo days whose ratio is at least as far from 1 (either way)."""
    if placebo.empty or before + after == 0:
        return float("nan")
    target = _log_distance(ratio, before, after)
    distances = [_log_distance(r.ratio, r.before, r.after) for r in placebo.itertuples()]
    return sum(d >= target for d in distances) / len(distances)


def _milestone_days(m, first_day: pd.Timestamp, anchor: str) -> tuple[int, int]:
    """Offsets of the milestone for the before- and after-windows: the start anchor puts both
    at its first day; the end anchor compares the days before its first day with the days
    after its last (a multi-day milestone such as a siege or a truce is left out whole)."""
    start = (m.date - first_day).days
    end_date = getattr(m, "end_date", None)
    if anchor == "end" and end_date is not None and pd.notna(end_date):
        return start, (pd.Timestamp(end_date) - first_day).days
    return start, start


def milestone_grid(attacks: pd.DataFrame, milestones: pd.DataFrame, first_day: pd.Timestamp,
                   last_day: pd.Timestamp, windows=GRID_WINDOWS, anchors=GRID_ANCHORS,
                   units=GRID_UNITS, variants=None) -> pd.DataFrame:
    """Rate ratio of every milestone under every window, anchor, counting unit and variant of
    the rows: one row per milestone and specification."""
    import numpy as np

    variants = GRID_VARIANTS if variants is None else variants
    attacks = _for_tests(attacks)
    span = (last_day - first_day).days + 1
    rows = []
    for variant, choose in variants.items():
        chosen = choose(attacks)
        for unit in units:
            cumulative = np.concatenate(
                [[0], np.cumsum(_daily_counts(chosen, first_day, last_day, unit))])
            for window in windows:
                for anchor in anchors:
                    for m in milestones.itertuples(index=False):
                        day, last = _milestone_days(m, first_day, anchor)
                        r = _ratio_at(cumulative, *_windows(day, window, span, last))
                        if r is None:
                            continue
                        rows.append({"milestone": m.title, "date": m.date, "variant": variant,
                                     "unit": unit, "window_days": window, "anchor": anchor,
                                     **r})
    return pd.DataFrame(rows)


def milestone_effects(attacks: pd.DataFrame, milestones: pd.DataFrame, window_days: int,
                      first_day: pd.Timestamp, last_day: pd.Timestamp,
                      alpha: float = 0.05) -> pd.DataFrame:
    """For each milestone: the exact Poisson rate ratio of the main specification (attacks,
    ``window_days``, start anchor, all rows) with its raw and Holm-adjusted p value (the
    family is the milestones tested), the placebo share (the share of all days of the series
    whose ratio is as far from 1), and how many specifications of the sensitivity grid give an
    interval that excludes 1 on the same side. ``survives`` is true only when all three
    checks pass."""
    attacks = _for_tests(attacks)
    rates = rates_around_milestones(attacks, milestones, window_days, first_day, last_day)
    if rates.empty:
        return rates.assign(p_holm=[], placebo_share=[], grid_total=[], grid_same_side=[],
                            grid_includes_one=[], grid_low=[], grid_high=[], survives=[])
    rates["p_holm"] = holm(rates["p_value"])
    placebo = placebo_ratios(attacks, window_days, first_day, last_day)
    rates["placebo_share"] = [placebo_share(placebo, r.rate_ratio, r.attacks_before,
                                            r.attacks_after) for r in rates.itertuples()]
    rates["placebo_days"] = len(placebo)
    grid = milestone_grid(attacks, milestones, first_day, last_day)
    grid_rows = []
    for r in rates.itertuples():
        cells = grid[(grid["milestone"] == r.milestone) & (grid["date"] == r.date)]
        up = r.ci_low > 1
        down = r.ci_high < 1
        same = (cells["low"] > 1) if up else (cells["high"] < 1) if down else cells["low"] > 1e9
        finite_ratio = cells["ratio"].replace(float("inf"), float("nan"))
        grid_rows.append({"grid_total": len(cells), "grid_same_side": int(same.sum()),
                          "grid_includes_one": int(((cells["low"] <= 1)
                                                    & (cells["high"] >= 1)).sum()),
                          "grid_low": float(finite_ratio.min()),
                          "grid_high": float(finite_ratio.max())})
    rates = pd.concat([rates, pd.DataFrame(grid_rows, index=rates.index)], axis=1)
    excludes = (rates["ci_low"] > 1) | (rates["ci_high"] < 1)
    rates["survives"] = (excludes & (rates["p_holm"] < alpha)
                         & (rates["placebo_share"] < alpha)
                         & (rates["grid_same_side"] == rates["grid_total"]))
    return rates


def _times(x: float) -> str:
    if x == float("inf"):
        return "no upper bound"
    return f"{x:.1f}" if x >= 1 else f"{x:.2f}"


def _p(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"= {p:.3f}"


def milestone_effect_reading(row, family: int) -> str:
    """One sentence per milestone, led by its name (a list of eleven reads by name). A
    verdict only for a ratio that survives the correction, the placebo baseline and the
    sensitivity grid; otherwise what the data can and cannot rule out. Never a causal claim:
    a rate that differs after a date is not shown to be an effect of what happened on it."""
    name = f"{row['milestone']} ({row['date']:%d %b %Y})"
    if row["attacks_before"] == 0 and row["attacks_after"] == 0:
        return (f"{name}: no attack in the {row['days_before']} days before or the "
                f"{row['days_after']} days after; the data say nothing about a change in rate "
                "here.")
    counts = (f"{row['attacks_after']} attacks in the {row['days_after']} days after against "
              f"{row['attacks_before']} in the {row['days_before']} days before")
    excluding = row["grid_total"] - row["grid_includes_one"]
    # the three checks the intro explains, in the same order
    checks = (f"Holm-adjusted p {_p(row['p_holm'])} over {family} milestones, raw p "
              f"{_p(row['p_value'])}; {row['placebo_share']:.0%} of the series' "
              f"{row['placebo_days']} days give a ratio as far from 1; the interval excludes 1 "
              f"in {excluding} of the sensitivity grid's {row['grid_total']} variants")
    interval = f"95% interval {_times(row['ci_low'])} to {_times(row['ci_high'])}"
    if row["attacks_before"] == 0:
        ratio_text = f"{counts}: with none before, the ratio is unbounded ({interval})"
    else:
        ratio_text = f"{counts}, {_times(row['rate_ratio'])} times the rate before ({interval})"
    if row["survives"]:
        direction = "higher" if row["ci_low"] > 1 else "lower"
        return (f"{name}: {ratio_text}; {direction} than before, and the difference holds up "
                f"({checks}). The timing is consistent with a change around this date; it "
                "does not show what caused it.")
    if row["ci_low"] <= 1 <= row["ci_high"]:
        low, high = row["ci_low"], row["ci_high"]
        if high == float("inf"):
            span = (f"any rate from {_times(low)} times the one before upward" if low > 0
                    else "any rate at all")
        elif low > 0:
            span = f"any rate from {_times(low)} to {_times(high)} times the one before"
        else:
            span = f"any rate up to {_times(high)} times the one before"
        return (f"{name}: {ratio_text}. The data cannot rule out no change, nor {span} "
                f"({checks}).")
    failed = []
    if row["p_holm"] >= 0.05:
        failed.append("the correction for multiple tests")
    if not row["placebo_share"] < 0.05:
        failed.append("the placebo baseline")
    if row["grid_same_side"] < row["grid_total"]:
        failed.append("the sensitivity grid")
    return (f"{name}: {ratio_text}. The interval excludes 1 on its own, but the difference "
            f"does not survive {' or '.join(failed)} ({checks}), so the data cannot rule out "
            "the ordinary variation of the attack rate.")


def milestone_effects_takeaway(effects: pd.DataFrame) -> str:
    """One line for the slide: how many milestone ratios hold up, never 'N mark a change'."""
    if effects.empty:
        return "No milestone with attacks on both sides falls in this window"
    surviving = effects[effects["survives"]]
    if surviving.empty:
        return (f"None of the {len(effects)} milestone ratios holds up after correction for "
                "multiple tests, against the placebo baseline and across the sensitivity "
                "grid")
    names = ", ".join(surviving["milestone"])
    return (f"{len(surviving)} of {len(effects)} milestone ratios hold up after correction, "
            f"placebo baseline and sensitivity grid: {names} (timing, not cause)")


def series_start(attacks: pd.DataFrame, series: str, first_day: pd.Timestamp) -> pd.Timestamp:
    """Where a series' record begins. Convoy bombs were not recorded before the month of the
    first one found (the convoy record starts in spring 2020), so earlier months are unknown
    for that series, not months without convoy attacks."""
    if series != "convoys" or attacks.empty:
        return first_day
    return max(first_day, attacks["date"].min().to_period("M").start_time)


def milestone_effects_by_series(attacks: pd.DataFrame, milestones: pd.DataFrame,
                                window_days: int, first_day: pd.Timestamp,
                                last_day: pd.Timestamp) -> pd.DataFrame:
    """milestone_effects for each series (sites, convoys) apart and combined."""
    frames = []
    attacks = _for_tests(attacks)
    for name, choose in {"all attacks": lambda a: a, **SERIES}.items():
        chosen = choose(attacks)
        start = series_start(chosen, name, first_day)
        effects = milestone_effects(chosen, milestones[milestones["date"] > start],
                                    window_days, start, last_day)
        frames.append(effects.assign(series=name))
    return pd.concat(frames, ignore_index=True)


def placebo_sentence(placebo: pd.DataFrame, series: str, window_days: int) -> str:
    """How often the before/after test 'finds a change' on an ordinary day of the series."""
    share = (placebo["p_value"] < 0.05).mean()
    return (f"Run at each of the {len(placebo)} days of the series ({series}) whose two "
            f"{window_days}-day windows fit inside it, the same test gives an interval that "
            f"excludes 1 on {share:.0%} of days: that is how often a date with nothing special "
            "about it would pass for a change in rate.")


def series_effects_sentence(by_series: pd.DataFrame) -> str:
    """Which milestone ratios hold up in which series, or that none do."""
    surviving = by_series[by_series["survives"]]
    if surviving.empty:
        return ("In neither series, nor in both together, does any milestone ratio hold up "
                "after the correction, the placebo baseline and the sensitivity grid.")
    parts = [f"{r.milestone} ({r.series})" for r in surviving.itertuples()]
    return ("Ratios that hold up after the correction, the placebo baseline and the "
            f"sensitivity grid: {', '.join(parts)}; the others do not.")


def grid_summary(effects_grid: pd.DataFrame) -> pd.DataFrame:
    """The sensitivity grid as one row per milestone and specification, 'ratio [low-high]'."""
    g = effects_grid.copy()
    g["ratio [95% interval]"] = [f"{r.ratio:.2f} [{r.low:.2f}-{r.high:.2f}]"
                                 for r in g.itertuples()]
    g["spec"] = (g["variant"] + ", " + g["unit"] + ", " + g["window_days"].astype(str)
                 + " days, " + g["anchor"])
    table = g.pivot_table(index=["milestone", "date"], columns="spec",
                          values="ratio [95% interval]", aggfunc="first", sort=False)
    return table.reset_index()


def effects_table(effects: pd.DataFrame) -> pd.DataFrame:
    """The milestone effects for display: p values to three places (a table's one decimal
    would show 0.009 as 0.0), the placebo share as a percentage, the grid as 'k of n'."""
    def p_text(p: float) -> str:
        return "< 0.001" if p < 0.001 else f"{p:.3f}"

    columns = (["series"] if "series" in effects else []) + [
        "milestone", "date", "attacks_before", "attacks_after"]
    table = effects[columns].copy()
    table["rate ratio [95% interval]"] = [
        "no attack either side" if r.attacks_before + r.attacks_after == 0 else
        f"{r.rate_ratio:.2f} [{r.ci_low:.2f}-{r.ci_high:.2f}]".replace("inf", "no bound")
        for r in effects.itertuples()]
    table["p (raw)"] = effects["p_value"].map(p_text)
    table["p (Holm)"] = effects["p_holm"].map(p_text)
    table["placebo share"] = effects["placebo_share"].map(
        lambda s: "" if pd.isna(s) else f"{s:.0%}")
    table["grid: interval excludes 1"] = [
        f"{r.grid_total - r.grid_includes_one} of {r.grid_total}" for r in effects.itertuples()]
    table["holds up"] = effects["survives"].map({True: "yes", False: "no"})
    return table


PHASE_VARIANTS = {
    "all rows": lambda a: a,
    "without low confidence": lambda a: a[a["confidence"] != "low"],
}
# How far an edge of a phase may move, in days, between two fits and still be the same edge.
PHASE_EDGE_TOLERANCE = 7


def phases_by_series(attacks: pd.DataFrame, first_day: pd.Timestamp, last_day: pd.Timestamp,
                     p0: float = 0.05) -> pd.DataFrame:
    """Phases of constant rate for each series (all attacks, sites, convoys) and each variant
    of the rows (all, without low confidence). A phase of the all-rows fit ``survives`` when
    the fit without low-confidence rows has an edge within PHASE_EDGE_TOLERANCE days of each
    of its two edges (the ends of the series count as edges): otherwise the phase rests on
    rows the record itself doubts."""
    frames = []
    attacks = _for_tests(attacks)
    for series, choose in {"all attacks": lambda a: a, **SERIES}.items():
        chosen = choose(attacks)
        start = series_start(chosen, series, first_day)
        fits = {variant: rate_phases(pick(chosen), start, last_day, p0=p0)
                for variant, pick in PHASE_VARIANTS.items()}
        strict = fits["without low confidence"]
        strict_edges = set(strict["start"]) | {strict["end"].iloc[-1] + pd.Timedelta(days=1)}

        def near(edge, edges=strict_edges) -> bool:
            return any(abs((edge - e).days) <= PHASE_EDGE_TOLERANCE for e in edges)

        for variant, fit in fits.items():
            fit = fit.assign(series=series, variant=variant)
            if variant == "all rows":
                fit["survives"] = [near(r.start) and near(r.end + pd.Timedelta(days=1))
                                   for r in fit.itertuples()]
            frames.append(fit)
    return pd.concat(frames, ignore_index=True)


def phase_pace(phase) -> str:
    """How fast a phase ran: '11 attacks in 2 days' for a burst shorter than a week (its
    weekly rate would overstate it), else '6.2 attacks a week'."""
    days = (phase["end"] - phase["start"]).days + 1
    if days < 7:
        return f"{phase['attacks']} attacks in {days} day{'s' if days != 1 else ''}"
    return f"{phase['weekly_rate']:.1f} attacks a week"


def busiest_phase_sentence(phases: pd.DataFrame) -> str:
    """The busiest phase of each series, and whether it survives without low-confidence
    rows."""
    parts = []
    for series, fit in phases[phases["variant"] == "all rows"].groupby("series", sort=False):
        top = fit.loc[fit["weekly_rate"].idxmax()]
        held = ("it survives without low-confidence rows" if top["survives"]
                else "it does not survive without low-confidence rows")
        count = f"{len(fit)} phase" if len(fit) == 1 else f"{len(fit)} phases"
        pace = phase_pace(top)
        if "a week" in pace:
            pace = f"{top['attacks']} attacks at {top['weekly_rate']:.1f} a week"
        parts.append(f"{series}: {count}, the busiest {top['start']:%d %b %Y} to "
                     f"{top['end']:%d %b %Y}, {pace} ({held})")
    return "Bayesian blocks find, for " + "; for ".join(parts) + "."


def busiest_phase_takeaway(phases: pd.DataFrame) -> str:
    """One line for the slide: the busiest phase of all attacks together, qualified when it
    does not survive without low-confidence rows."""
    fit = phases[(phases["series"] == "all attacks") & (phases["variant"] == "all rows")]
    top = fit.loc[fit["weekly_rate"].idxmax()]
    line = (f"Busiest phase of all attacks together: {top['start']:%d %b} to "
            f"{top['end']:%d %b %Y}, {phase_pace(top)}")
    return line if top["survives"] else line + "; it does not survive without low-confidence rows"
