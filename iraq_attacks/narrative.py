"""The overview's paragraph: what happened, told from the data and the milestones. Every
number is computed; a sentence whose facts the selection does not hold is left out, so the
paragraph stays true for a filtered selection or another dataset. Timing is told as timing:
nothing here says one event caused another."""

from __future__ import annotations

import pandas as pd

from .casualties import deadliest_attacks
from .claims import series_of


def _day(date) -> str:
    return f"{date.day} {date:%b %Y}"


def _killed(row) -> int:
    return int(sum(v for k, v in row.items() if str(k).startswith("killed_") and pd.notna(v)))


def _opening(attacks: pd.DataFrame) -> str:
    series = series_of(attacks)
    sites, convoys = int((series == "sites").sum()), int((series == "convoys").sum())
    return (f"The data records {len(attacks)} attacks from {_day(attacks['date'].min())} to "
            f"{_day(attacks['date'].max())}: {sites} with rockets, missiles, drones or mortars "
            f"on bases, the US embassy and airports, and {convoys} bombs on supply convoys.")


def _winter_crisis(attacks: pd.DataFrame, milestones: pd.DataFrame) -> str | None:
    """The first US strike, the deadly attack before it, the targeted killing and the
    state's own strike, in date order."""
    strikes = milestones[milestones["kind"] == "us_strike"].sort_values("date")
    if strikes.empty:
        return None
    strike = strikes.iloc[0]
    killed = [c for c in attacks.columns if c.startswith("killed_")]
    deadly = attacks[(attacks[killed].fillna(0).sum(axis=1) > 0)
                     & attacks["date"].between(strike["date"] - pd.Timedelta(days=30),
                                               strike["date"] - pd.Timedelta(days=1))]
    parts = []
    if len(deadly):
        before = deadly.sort_values("date").iloc[-1]
        dead = _killed(before)
        parts.append(f"an attack on {before['site_label']} on {_day(before['date'])} killed "
                     f"{dead} {'person' if dead == 1 else 'people'}")
    parts.append(f"the US strikes of {_day(strike['date'])} came "
                 f"{(strike['date'] - before['date']).days} days later" if len(deadly)
                 else f"the US struck on {_day(strike['date'])}")
    killing = milestones[(milestones["kind"] == "targeted_killing")
                         & (milestones["date"] >= strike["date"])].sort_values("date")
    last = strike["date"]
    if len(killing):
        last = killing.iloc[0]["date"]
        parts.append(f"then the targeted killing of {_day(last)} "
                     f"(\u201c{killing.iloc[0]['title']}\u201d)")
    state = attacks[(attacks["actor_type"] == "state")
                    & (attacks["date"] >= strike["date"])].sort_values("date")
    text = "In the first crisis, " + "; ".join(parts) + "."
    if len(state):
        strike_row = state.iloc[0]
        fired = strike_row.get("projectiles_fired_low")
        fired_text = f"{int(fired)} ballistic missiles" if pd.notna(fired) else "missiles"
        killed_cells = strike_row[[c for c in strike_row.index if str(c).startswith("killed_")]]
        nobody = killed_cells.notna().any() and killed_cells.fillna(0).sum() == 0
        hurt = strike_row.get("tbi_diagnosed_us_military")
        hurt_text = "; nobody was reported killed" if nobody else ""
        if pd.notna(hurt):
            hurt_text += (f"{', and' if nobody else ';'} {int(hurt)} US service members were "
                          "later diagnosed with brain injuries")
        text += (f" The first attack by a state's forces in the data, {fired_text} on "
                 f"{strike_row['site_label']} on {_day(strike_row['date'])}, came "
                 f"{(strike_row['date'] - last).days} days after that{hurt_text}.")
    return text


def _deadliest(attacks: pd.DataFrame) -> str | None:
    top = deadliest_attacks(attacks, 2)
    top = top[top["killed"].fillna(0) > 0]
    if top.empty:
        return None
    named = [f"{row['site_label']} on {_day(row['date'])} ({int(row['killed'])} killed)"
             for _, row in top.iterrows()]
    return "The deadliest attacks in the data: " + " and ".join(named) + "."


def _convoy_campaign(attacks: pd.DataFrame) -> str | None:
    convoys = attacks[series_of(attacks) == "convoys"]
    if len(convoys) < 3:
        return None
    per_month = convoys["date"].dt.to_period("M").value_counts().sort_index()
    months = pd.period_range(per_month.index.min(), per_month.index.max(), freq="M")
    per_month = per_month.reindex(months, fill_value=0)
    window = per_month.rolling(3).sum()
    if window.notna().sum() == 0:
        return None
    end = window.idxmax()
    start = end - 2
    count = int(window.max())
    return (f"The convoy record begins in {per_month.index.min():%B %Y}; {count} of the "
            f"{len(convoys)} convoy bombings fall in {start:%B} to {end:%B %Y}, the busiest "
            "three months of that series.")


def _truce_and_drawdowns(attacks: pd.DataFrame, milestones: pd.DataFrame) -> str | None:
    parts = []
    truce = milestones[milestones["title"].str.contains("truce", case=False, na=False)]
    if len(truce):
        day = truce.iloc[0]["date"]
        after = attacks[attacks["date"] > day].sort_values("date")
        within = int((after["date"] <= day + pd.Timedelta(days=30)).sum())
        before = int(attacks["date"].between(day - pd.Timedelta(days=30),
                                             day - pd.Timedelta(days=1)).sum())
        parts.append(f"the militias announced a truce on {_day(day)}: the data holds {before} "
                     f"attacks in the 30 days before it and {within} in the 30 days after")
    drawdowns = milestones[milestones["title"].str.contains("drawdown", case=False, na=False)]
    if len(drawdowns):
        listed = " and ".join(f"{row['title'].lower()} on {_day(row['date'])}"
                              for _, row in drawdowns.sort_values("date").iterrows())
        parts.append(f"the US announced a {listed}")
    if not parts:
        return None
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def _caveats(attacks: pd.DataFrame, coverage: pd.DataFrame) -> str:
    weak = coverage[~coverage["assessment"].isin(["complete", "mostly_complete"])]
    low = int((attacks["confidence"] == "low").sum())
    return (f"Two caveats: {len(weak)} of the {len(coverage)} sourced months are rated "
            "incomplete, so their counts are floors; and "
            f"{low} of the {len(attacks)} rows are of low confidence (a single vague report, "
            "or sources in conflict), which the reports count but also leave out to test "
            "their findings.")


def overview_narrative(attacks: pd.DataFrame, milestones: pd.DataFrame,
                       coverage: pd.DataFrame) -> str:
    """The overview's paragraph (see the module's docstring)."""
    if attacks.empty:
        return "No attack in the data matches this selection."
    inside = milestones[milestones["date"].between(attacks["date"].min(),
                                                   attacks["date"].max())]
    sentences = [_opening(attacks), _winter_crisis(attacks, inside), _deadliest(attacks),
                 _convoy_campaign(attacks), _truce_and_drawdowns(attacks, inside),
                 _caveats(attacks, coverage)]
    return " ".join(s for s in sentences if s)
