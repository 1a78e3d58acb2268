"""The top of each report and its entry on the index: one sentence that says what the page
found and a few key figures, computed from the frames the notebook has already built.

A notebook's last cell calls ``publish`` with one of the builders below; the exporter moves
the payload into the page header and the index (export.py), like the report's scope.
"""

from __future__ import annotations

import pandas as pd

from .selection import Selection

HEADLINE_MIME = "application/vnd.iraq-attacks.headline+json"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


def _empty(selection: Selection) -> tuple[str, dict[str, str]]:
    from .summaries import empty_selection_message

    return empty_selection_message(selection), {"Attacks": "0"}


def overview(selection: Selection) -> tuple[str, dict[str, str]]:
    """The overview's key figures are the deck's (summaries.shown_key_figures)."""
    from .summaries import key_figures, shown_key_figures

    if selection.empty:
        return _empty(selection)
    k = key_figures(selection)
    sentence = (f"{_plural(k['attacks'], 'attack')} from {k['first']:%d %B %Y} to "
                f"{k['last']:%d %B %Y}; sources report {k['killed']:,} killed and "
                f"{k['wounded']:,} wounded or injured, and give no casualty figure for "
                f"{_plural(k['no_casualty_report'], 'attack')}.")
    return sentence, shown_key_figures(selection)


def frequency(selection: Selection, counts: pd.DataFrame, period_name: str,
              by_weapon: pd.DataFrame, unknown_time: int) -> tuple[str, dict[str, str]]:
    """``counts`` from frequency.attacks_per_period, ``by_weapon`` from
    frequency.breakdown(attacks, "weapon")."""
    from .schema import vocabulary_label
    from .summaries import key_figures

    if selection.empty:
        return _empty(selection)
    k = key_figures(selection)
    busiest = counts.loc[counts["attacks"].idxmax()]
    active = int((counts["attacks"] > 0).sum())
    weapon = by_weapon.iloc[0]
    label = vocabulary_label("weapon", weapon["weapon"])  # the charts' short name
    share = weapon["attacks"] / k["attacks"]
    sentence = (f"Attacks fell in {active} of {len(counts)} {period_name}s; the busiest "
                f"{period_name}, from {busiest['period_start']:%d %B %Y}, had "
                f"{int(busiest['attacks'])}. {label[:1].upper() + label[1:]} attacks "
                f"were the most common ({int(weapon['attacks'])} of {k['attacks']}, "
                f"{share:.0%}).")
    figures = {
        "Attacks": f"{k['attacks']:,}",
        f"{period_name.capitalize()}s with an attack": f"{active} of {len(counts)}",
        f"Busiest {period_name}": (f"{int(busiest['attacks'])} from "
                                   f"{busiest['period_start']:%d %b %Y}"),
        "Most attacked site": (f"{k['most_attacked_site']} ({k['most_attacked_site_count']})"
                               if k["most_attacked_site"] else "none"),
        "Most common weapon": f"{label[:1].upper() + label[1:]} ({share:.0%})",
        "Time of day known": f"{k['attacks'] - unknown_time} of {k['attacks']}",
    }
    return sentence, figures


def escalation(selection: Selection, effects: pd.DataFrame,
               phases: pd.DataFrame) -> tuple[str, dict[str, str]]:
    """``effects`` from escalation.milestone_effects, ``phases`` from escalation.rate_phases;
    the days between attacks are over all attacks together (the page's chart takes each
    series apart)."""
    from .escalation import days_between_attacks, milestone_effects_takeaway, phase_pace

    if selection.empty:
        return _empty(selection)
    sentence = milestone_effects_takeaway(effects) + "."
    figures = {"Attacks": f"{len(selection.used):,}"}
    if len(phases):
        busiest = phases.loc[phases["weekly_rate"].idxmax()]
        figures["Phases of steady rate"] = f"{len(phases)}"
        figures["Busiest phase"] = (f"{phase_pace(busiest)}, "
                                    f"{busiest['start']:%d %b}-{busiest['end']:%d %b %Y}")
    if len(effects):
        figures["Milestone ratios that hold up"] = (f"{int(effects['survives'].sum())} of "
                                                     f"{len(effects)}")
    days = days_between_attacks(selection.used)["days_since_previous"].dropna()
    if len(days):
        figures["Median days between attacks"] = f"{days.median():g}"
        figures["Longest gap"] = f"{int(days.max())} days"
    return sentence, figures


def casualties(selection: Selection, totals: pd.DataFrame, no_report: int,
               lethality: pd.DataFrame) -> tuple[str, dict[str, str]]:
    """``totals`` from casualties.casualty_totals, ``lethality`` from
    casualties.lethality_by_period."""
    from .summaries import shown_key_figures

    if selection.empty:
        return _empty(selection)
    attacks = len(selection.used)
    killed, wounded = int(totals["killed"].sum()), int(totals["wounded"].sum())
    top = totals.sort_values("wounded", ascending=False, kind="stable").iloc[0]
    hurt = int(round((lethality["share_with_casualties"].fillna(0)
                      * lethality["attacks_with_figure"]).sum())) \
        if "attacks_with_figure" in lethality else None
    sentence = (f"Sources report {_plural(killed, 'person', 'people')} killed and "
                f"{wounded:,} wounded or injured in {_plural(attacks, 'attack')}, counting only "
                f"the figures they give; for {_plural(no_report, 'attack')} "
                f"({no_report / attacks:.0%}) no source gives any figure, unknown rather than "
                "zero.")
    figures = {"Killed": f"{killed:,}", "Wounded or injured": f"{wounded:,}",
               "Attacks with no casualty figure": f"{no_report:,} of {attacks:,}",
               "Most wounded": f"{top['label']} ({int(top['wounded'])})" if wounded else "none",
               "Deadliest attack": shown_key_figures(selection)["Deadliest attack"]}
    if hurt is not None:
        with_figure = int(lethality["attacks_with_figure"].sum())
        figures["Attacks that hurt someone"] = f"{hurt} of {with_figure} with a figure"
    return sentence, figures


def publish(sentence: str, figures: dict[str, str]) -> None:
    """Hand the headline to the exporter (it shows nothing in the notebook's output but a
    line of text when run in Jupyter)."""
    from IPython.display import display

    display({"text/plain": sentence, HEADLINE_MIME: {"sentence": sentence,
                                                     "figures": dict(figures)}}, raw=True)
