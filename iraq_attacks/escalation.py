"""Escalation: attacks and milestones on one time axis."""

from __future__ import annotations

import pandas as pd

from .casualties import severity


def milestones_in_window(milestones: pd.DataFrame, start: pd.Timestamp,
                         end: pd.Timestamp) -> pd.DataFrame:
    """Milestones that begin inside [start, end]."""
    return milestones[milestones["date"].between(start, end)].reset_index(drop=True)


SEVERITY_ORDER = ["unknown", "none", "wounded", "killed"]
# Past this many attacks the timeline shows one marker per site and day, not per attack.
MAX_MARKERS = 5000


def attack_timeline(attacks: pd.DataFrame, max_markers: int = MAX_MARKERS) -> pd.DataFrame:
    """One row per attack for the timeline: date, site, weapon, projectiles (the highest
    figure reported for fired, else landed; empty when unknown), severity, and attacks (1).

    With more than ``max_markers`` attacks, one row per site and day instead: projectiles
    summed, the worst severity, and the number of attacks it stands for."""
    projectiles = attacks["projectiles_fired_high"].fillna(attacks["projectiles_landed_high"])
    timeline = pd.DataFrame({
        "attack_id": attacks["attack_id"],
        "date": attacks["date"],
        "site": attacks["site_label"],
        "weapon": attacks["weapon"],
        "projectiles": projectiles,
        "severity": severity(attacks),
        "attacks": 1,
    }).reset_index(drop=True)
    if len(timeline) <= max_markers:
        return timeline
    rank = timeline["severity"].map({s: i for i, s in enumerate(SEVERITY_ORDER)})
    by_site_day = timeline.assign(rank=rank).groupby(["date", "site"])
    grouped = by_site_day.agg(attack_id=("attack_id", "first"), weapon=("weapon", "first"),
                              rank=("rank", "max"), attacks=("attacks", "sum"))
    # summed in C; empty (not 0) for a site and day where no attack gives a count
    grouped["projectiles"] = by_site_day["projectiles"].sum(min_count=1)
    grouped = grouped.reset_index()
    grouped["severity"] = grouped["rank"].map(dict(enumerate(SEVERITY_ORDER)))
    return grouped.drop(columns="rank")[timeline.columns]


def days_between_attacks(attacks: pd.DataFrame, window: int = 5) -> pd.DataFrame:
    """Tempo: for each attack after the first, the days since the previous attack (0 when two
    fall on one day), with a rolling median over ``window`` gaps."""
    dates = attacks["date"].sort_values().reset_index(drop=True)
    gaps = pd.DataFrame({"date": dates, "days_since_previous": dates.diff().dt.days})
    gaps = gaps.iloc[1:].reset_index(drop=True)
    gaps["rolling_median"] = gaps["days_since_previous"].rolling(window, min_periods=1).median()
    return gaps


def intensity_by_period(attacks: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp,
                        period: str = "M") -> pd.DataFrame:
    """Per period: mean projectiles per attack (lowest figures, over attacks that report a
    count) and people killed or wounded per attack."""
    from .frequency import PERIOD_FREQ

    freq = PERIOD_FREQ[period]
    periods = pd.period_range(pd.Timestamp(start), pd.Timestamp(end), freq=freq)
    key = attacks["date"].dt.to_period(freq)
    casualty_columns = [c for c in attacks.columns if c.startswith(("killed_", "wounded_"))]
    harmed = attacks[casualty_columns].sum(axis=1, min_count=1).fillna(0)
    frame = pd.DataFrame({
        "attacks": key.value_counts(),
        "projectiles_per_attack": attacks["projectiles_fired_low"].astype("Float64").groupby(
            key).mean(),
        "casualties_per_attack": harmed.groupby(key).mean(),
    }).reindex(periods)
    frame["attacks"] = frame["attacks"].fillna(0).astype(int)
    frame.index = periods.start_time.normalize()
    return frame.rename_axis("period_start").reset_index()


def rate_ratio(before: int, after: int, days_before: float, days_after: float,
               confidence: float = 0.95) -> dict:
    """Ratio of the attack rate after to the rate before, with an exact confidence interval:
    conditional on the total, the count after is binomial with p = days_after / total days
    under equal rates (the exact Poisson rate-ratio test); the Clopper-Pearson interval for p
    maps to an interval for the ratio."""
    from scipy.stats import binomtest

    total = before + after
    share = days_after / (days_before + days_after)
    if total == 0:
        return {"ratio": float("nan"), "low": float("nan"), "high": float("nan"),
                "p_value": 1.0}
    test = binomtest(after, total, share)
    interval = test.proportion_ci(confidence_level=confidence, method="exact")
    scale = days_before / days_after

    def to_ratio(p: float) -> float:
        return float("inf") if p >= 1 else p / (1 - p) * scale

    ratio = (after / days_after) / (before / days_before) if before else float("inf")
    return {"ratio": ratio, "low": to_ratio(interval.low), "high": to_ratio(interval.high),
            "p_value": test.pvalue}


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


def rate_ratio_reading(row) -> str:
    """A plain-language reading of one row of rates_around_milestones."""
    window = f"{row['days_after']} days after {row['milestone']} ({row['date']:%d %b %Y})"
    if row["attacks_before"] == 0 and row["attacks_after"] == 0:
        return f"No attacks in the {row['days_before']} days before or the {window}."
    if row["attacks_before"] == 0:
        return (f"No attack in the {row['days_before']} days before, {row['attacks_after']} in "
                f"the {window}: the ratio is unbounded; the lower end of the 95% interval is "
                f"{row['ci_low']:.1f}.")
    excludes = row["ci_low"] > 1 or row["ci_high"] < 1
    verdict = ("the change is unlikely to be chance" if excludes
               else "chance alone could explain it")
    return (f"In the {window} the attack rate was {row['rate_ratio']:.2f} times the rate of the "
            f"{row['days_before']} days before ({row['attacks_after']} against "
            f"{row['attacks_before']} attacks); the 95% interval, {row['ci_low']:.2f} to "
            f"{row['ci_high']:.2f}, {'excludes' if excludes else 'includes'} 1, so "
            f"{verdict}.")


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
    # events on a day sit at its middle; the first and last blocks reach the window's ends
    edges = bayesian_blocks(np.sort(days) + 0.5, fitness="events", p0=p0)
    edges[0], edges[-1] = 0.0, float(span)
    rows = []
    for left, right in zip(edges[:-1], edges[1:]):
        count = int(((days + 0.5 >= left) & (days + 0.5 < right)).sum())
        if right == edges[-1]:
            count = int(((days + 0.5 >= left) & (days + 0.5 <= right)).sum())
        start = first_day + pd.Timedelta(days=int(np.ceil(left)))
        end = first_day + pd.Timedelta(days=int(np.ceil(right)) - 1)
        rows.append({"start": start, "end": end, "attacks": count,
                     "weekly_rate": 7 * count / max(right - left, 1e-9)})
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
    for action in us_actions.itertuples(index=False):
        prior = deadly[deadly["date"].between(action.date - pd.Timedelta(days=lookback_days),
                                              action.date - pd.Timedelta(days=1))]
        first_after = dates.searchsorted(action.date.to_datetime64(), side="right")
        later_state = state[state["date"] > action.date]
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
    return pd.DataFrame(rows)


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
    attacks = attacks[["date", "outcome", "confidence"]]  # the variants copy only these
    for name, choose in SENSITIVITY_VARIANTS.items():
        rates = rates_around_milestones(choose(attacks), milestones, window_days, first_day,
                                        last_day)
        columns[name] = [f"{r.rate_ratio:.2f} [{r.ci_low:.2f}-{r.ci_high:.2f}]"
                         for r in rates.itertuples()]
        index = list(zip(rates["milestone"], rates["date"].dt.strftime("%Y-%m-%d")))
    table = pd.DataFrame(columns, index=pd.MultiIndex.from_tuples(index, names=["milestone",
                                                                                "date"]))
    return table.reset_index()
