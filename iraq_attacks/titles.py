"""Chart titles that state what the chart shows, computed from the data it shows.

Each builder takes the frame the chart draws and returns one line. The titles describe; they
pass no statistical verdict (the notebooks' text does that).
"""

from __future__ import annotations

import pandas as pd


def _label(value) -> str:
    return str(value).replace("_", " ")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n:,} {word}s"


def breakdown_title(counts: pd.DataFrame, column: str, noun: str, scope: str = "") -> str:
    """'Rocket: 67 of 122 attacks (55%)' for the largest category of a breakdown; ``scope``
    names what the total counts when it is not every attack ('attacks on sites')."""
    if counts.empty:
        return f"No attacks to break down by {noun}"
    top = counts.iloc[0]
    total = int(counts["attacks"].sum())
    of = f"{total} {scope}" if scope else f"{total}"
    return (f"Most attacks by {noun}: {_label(top[column])}, {int(top['attacks'])} of "
            f"{of} ({top['attacks'] / total:.0%})")


def busiest_period_title(counts: pd.DataFrame, period_name: str) -> str:
    if counts.empty or counts["attacks"].max() == 0:
        return f"No attacks in any {period_name} of the window"
    busiest = counts.loc[counts["attacks"].idxmax()]
    return (f"{int(counts['attacks'].sum())} attacks; the busiest {period_name}, from "
            f"{busiest['period_start']:%d %b %Y}, had {int(busiest['attacks'])}")


def stacked_title(table: pd.DataFrame, noun: str) -> str:
    if table.empty or table.to_numpy().sum() == 0:
        return f"No attacks to show by {noun}"
    totals = table.sum()
    top = totals.idxmax()
    peak = table[top].idxmax()
    return (f"{_label(top).capitalize()} attacks peaked in {pd.Timestamp(peak):%B %Y} "
            f"with {int(table[top].max())}")


def timeline_title(timeline: pd.DataFrame, milestones: pd.DataFrame) -> str:
    charted = int(milestones["on_charts"].sum()) if "on_charts" in milestones else len(milestones)
    # a grouped timeline (escalation.attack_timeline) has a marker for several attacks
    attacks = int(timeline["attacks"].sum()) if len(timeline) else 0
    sites = timeline["site"].nunique() if len(timeline) else 0
    killed = int(timeline["deadly_attacks"].sum()) if len(timeline) else 0
    return (f"{_plural(attacks, 'attack')} at {_plural(sites, 'site')}, "
            f"{killed:,} of them deadly, against {_plural(charted, 'milestone')}")


def intensity_title(intensity: pd.DataFrame) -> str:
    # over months where at least 3 attacks report a count (the mean is over those)
    counted = intensity.get("attacks_with_projectile_count", intensity["attacks"])
    shown = intensity[counted >= 3].dropna(subset=["projectiles_per_attack"])
    if shown.empty:
        return "Too few attacks a month to compare projectiles per attack"
    top = shown.loc[shown["projectiles_per_attack"].idxmax()]
    # grey months (fewer than 3 counts) are left out, as the chart's key says
    return (f"Most projectiles per attack: {top['projectiles_per_attack']:.1f} in "
            f"{top['period_start']:%B %Y} (months with 3+ counts)")


def rate_ratio_title(effects: pd.DataFrame) -> str:
    """From escalation.milestone_effects: how many ratios survive correction, the placebo
    baseline and the sensitivity grid (an interval excluding 1 on its own is no finding)."""
    held = int(effects["survives"].sum())
    return f"{'None' if held == 0 else held} of {len(effects)} milestone ratios survive the checks"


def phases_title(phases: pd.DataFrame) -> str:
    if phases.empty:
        return "No phases: no attacks"
    from .escalation import phase_pace

    busiest = phases.loc[phases["weekly_rate"].idxmax()]
    when = f"{busiest['start']:%d %b}-{busiest['end']:%d %b %Y}"
    pace = phase_pace(busiest)
    if "a week" in pace:
        return (f"{_plural(len(phases), 'phase')} of steady rate; the busiest, {when}, ran at "
                f"{busiest['weekly_rate']:.1f} a week")
    # a weekly rate of a two-day burst overstates it: say what happened
    return f"{_plural(len(phases), 'phase')} of steady rate; the busiest: {pace}, {when}"


def action_response_title(sequence: pd.DataFrame) -> str:
    days = sequence["days_to_next_attack"].dropna()
    if days.empty:
        return "No attack followed the US actions in the window"
    return (f"After each of {_plural(len(sequence), 'US action')}, the next attack came "
            f"within {int(days.max())} days")


def running_casualties_title(running: pd.DataFrame, labels: dict[str, str]) -> str:
    if running.empty:
        return "No casualties reported"
    last = running.iloc[-1]
    killed = sum(int(last[f"killed_{g}"]) for g in labels)
    wounded = sum(int(last[f"wounded_{g}"]) for g in labels)
    top = max(labels, key=lambda g: int(last[f"wounded_{g}"]))
    return (f"{killed} killed and {wounded} wounded by {last['date']:%b %Y}; most wounded: "
            f"{labels[top]} ({int(last[f'wounded_{top}'])})")


def lethality_title(lethality: pd.DataFrame) -> str:
    """Over the attacks a source gives a casualty figure for: the share is taken over them,
    so the count it comes from is too (the share times every attack counted the unknown)."""
    attacks = int(lethality["attacks"].sum())
    if not attacks:
        return "No attacks in the window"
    # over the attacks a source gives a casualty figure for: no figure is unknown, not zero
    with_figure = int(lethality["attacks_with_figure"].sum())
    if not with_figure:
        return f"No source gives a casualty figure for any of the {attacks} attacks"
    hurt = int(lethality["attacks_with_casualties"].sum())
    return (f"{hurt} of the {with_figure} attacks with a casualty figure killed or wounded "
            f"someone ({hurt / with_figure:.0%})")


def casualty_ranges_title(ranges: pd.DataFrame) -> str:
    """'13 killed, 71 wounded; the sources give 10 to 14 and 66 to 82'."""
    people = ranges[ranges["measure"] != "tbi_diagnosed"]
    sums = {measure: [int(people.loc[people["measure"] == measure, c].sum())
                      for c in ("latest", "conservative", "highest")]
            for measure in ("killed", "wounded")}
    (killed, k_low, k_high), (wounded, w_low, w_high) = sums["killed"], sums["wounded"]
    title = f"{killed} killed, {wounded} wounded"
    if (k_low, w_low) == (k_high, w_high):
        return title + " where a source gives a figure"
    return title + (f"; the sources give {k_low} to {k_high} and {w_low} to {w_high}")


def record_vs_press_title(cumulative: pd.DataFrame, press: pd.DataFrame) -> str:
    total = int(cumulative["cumulative"].iloc[-1]) if len(cumulative) else 0
    if press.empty:
        return f"{total} attacks recorded; no running count from the press to compare"
    return (f"{total} attacks recorded, checked against "
            f"{_plural(len(press), 'running count')} from the press")


def projectiles_title(per_period: pd.DataFrame, period_name: str) -> str:
    low = int(per_period["fired_low"].sum())
    high = int(per_period["fired_high"].sum())
    spread = f"{low}" if high == low else f"{low} to {high}"
    return f"{spread} projectiles fired, where the sources give a figure"


def time_of_day_title(by_time: pd.DataFrame, unknown: int) -> str:
    known = int(by_time["attacks"].sum())
    if not known:
        return f"No attack has a reported time ({unknown} unknown)"
    top = by_time.loc[by_time["attacks"].idxmax()]
    return (f"Of {known} attacks with a known time, {int(top['attacks'])} came between "
            f"{top['local_time'].replace('-', ':00 and ')}:00")


def map_title(by_site: pd.DataFrame) -> str:
    """From frequency.attacks_by_site: how many places were hit and the one hit most."""
    if by_site.empty:
        return "No attacks to place on the map"
    top = by_site.iloc[0]
    total = int(by_site["attacks"].sum())
    return (f"{_plural(len(by_site), 'place')} hit; {top['label']} most often, "
            f"{int(top['attacks'])} of {total} attacks")


def claims_title(by_month: pd.DataFrame) -> str:
    """'A group claimed 13 of 61 convoy attacks and 3 of 70 attacks on sites'."""
    totals = by_month.groupby("series")[["attacks", "claimed"]].sum()
    parts = [f"{int(totals.loc[s, 'claimed'])} of {int(totals.loc[s, 'attacks'])} {noun}"
             for s, noun in (("convoys", "convoy attacks"), ("sites", "attacks on sites"))
             if s in totals.index and totals.loc[s, "attacks"] > 0]
    if not parts:
        return "No attacks in the selection"
    return "A group claimed " + " and ".join(parts)


def series_counts_title(counts: pd.DataFrame, period_name: str) -> str:
    """The busiest period of each series: 'Most in a month: 23 convoy attacks (Aug 2020),
    12 on sites (Jan 2020)'."""
    parts = []
    for series, noun in (("convoys", "convoy attacks"), ("sites", "on sites")):
        rows = counts[counts["series"] == series]
        column = "attacks" if "attacks" in rows else "recorded"
        if rows.empty or rows[column].max() == 0:
            continue
        top = rows.loc[rows[column].idxmax()]
        when = f"{top['period_start']:%d %b %Y}" if period_name == "week" else \
            f"{top['period_start']:%b %Y}"
        parts.append(f"{int(top[column])} {noun} ({when})")
    if not parts:
        return "No attacks in the selection"
    if len(parts) == 2 and not parts[0].split(" ", 1)[1].startswith("convoy"):
        parts[1] = parts[1].replace("on sites", "attacks on sites")
    return f"Most in one {period_name}: " + ", ".join(parts)


def tempo_by_series_title(gaps: pd.DataFrame) -> str:
    """'Median gap: 4 days between attacks on sites, 1 day between convoy attacks'."""
    parts = []
    for series, noun in (("sites", "attacks on sites"), ("convoys", "convoy attacks")):
        rows = gaps[(gaps["series"] == series)].dropna(subset=["days_since_previous"])
        if len(rows):
            median = rows["days_since_previous"].median()
            parts.append(f"{median:g} day{'' if median == 1 else 's'} between {noun}")
    if not parts:
        return "Too few attacks to measure the days between them"
    return "Median gap: " + ", ".join(parts)
