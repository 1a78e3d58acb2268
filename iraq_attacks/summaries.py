"""Key figures and the sentences that state them, computed from the data at render time (no
number is typed into a notebook)."""

from __future__ import annotations

import pandas as pd

from .casualties import brain_injuries, casualty_totals, count_without_casualty_report
from .selection import Selection


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


def key_figures(selection: Selection) -> dict:
    """Headline numbers of the selected attacks."""
    attacks = selection.used
    totals = casualty_totals(attacks)
    # convoy bombs are counted per province group of roads, which is not a site
    by_site = attacks.loc[attacks["target_type"] != "convoy", "site_label"].value_counts()
    convoys = int((attacks["target_type"] == "convoy").sum())
    return {
        "convoy_attacks": convoys,
        "site_attacks": len(attacks) - convoys,
        "attacks": len(attacks),
        "first": attacks["date"].min() if len(attacks) else None,
        "last": attacks["date"].max() if len(attacks) else None,
        "killed": int(totals["killed"].sum()),
        "wounded": int(totals["wounded"].sum()),
        "no_casualty_report": count_without_casualty_report(attacks),
        # diagnoses made later: never part of the wounded (see casualties.brain_injuries)
        "brain_injuries": brain_injuries(attacks),
        "most_attacked_site": by_site.index[0] if len(by_site) else None,
        "most_attacked_site_count": int(by_site.iloc[0]) if len(by_site) else 0,
    }


def empty_selection_message(selection: Selection) -> str:
    return (f"No attack in the data matches this selection ({selection.start.date()} to "
            f"{selection.end.date()}; filters: {selection.describe_filters()}). The tables and "
            "charts below are empty; widen the dates or remove a filter.")


def overview_sentence(selection: Selection) -> str:
    if selection.empty:
        return empty_selection_message(selection)
    k = key_figures(selection)
    return (f"The data records {_plural(k['attacks'], 'attack')} between "
            f"{k['first']:%d %B %Y} and {k['last']:%d %B %Y}: {k['site_attacks']:,} on bases, "
            f"the embassy and airports and {k['convoy_attacks']:,} on supply convoys, two "
            "campaigns sourced differently. Sources report "
            f"{_plural(k['killed'], 'person', 'people')} killed and {k['wounded']:,} wounded or "
            f"injured; for {_plural(k['no_casualty_report'], 'attack')} no source gives any "
            f"casualty figure (unknown, not zero). The most attacked site (convoy roads aside) was "
            f"{k['most_attacked_site']} ({_plural(k['most_attacked_site_count'], 'attack')}).")


def busiest_period_sentence(counts: pd.DataFrame, period_name: str) -> str:
    if counts["attacks"].sum() == 0:
        return f"No attacks in any {period_name} of the selection."
    top = counts.loc[counts["attacks"].idxmax()]
    active = int((counts["attacks"] > 0).sum())
    return (f"Attacks fell in {active} of {len(counts)} {period_name}s; the busiest "
            f"{period_name} began {top['period_start']:%d %B %Y} with "
            f"{_plural(int(top['attacks']), 'attack')}.")


def time_known_sentence(by_time: pd.DataFrame, unknown_time: int) -> str:
    known = int(by_time["attacks"].sum())
    total = known + unknown_time
    if total == 0:
        return "No attacks in the selection."
    busiest = by_time.loc[by_time["attacks"].idxmax()] if known else None
    text = (f"Sources give the local time of {known} of {total} attacks "
            f"({known / total:.0%}); for {unknown_time} ({unknown_time / total:.0%}) the time is "
            "unknown, so the time-of-day chart describes only the first group.")
    if busiest is not None:
        text += (f" The most common band is {busiest['local_time']} h "
                 f"({_plural(int(busiest['attacks']), 'attack')}).")
    return text


def _leaders(ranked: pd.DataFrame, top: int) -> pd.DataFrame:
    """The first ``top`` rows and every row tied with the last of them."""
    if len(ranked) <= top:
        return ranked
    cutoff = ranked["attacks"].iloc[top - 1]
    return ranked[ranked["attacks"] >= cutoff]


def top_sites_sentence(by_site: pd.DataFrame, top: int = 5) -> str:
    """The most attacked sites (ties at the cut kept), and apart from them the province
    groups of convoy roads, which are not sites."""
    if by_site.empty:
        return "No attacks in the selection."
    roads = (by_site["site_type"] == "road") if "site_type" in by_site else \
        pd.Series(False, index=by_site.index)
    sites = by_site[~roads].sort_values("attacks", ascending=False, kind="stable")
    text = ""
    if len(sites):
        leaders = _leaders(sites, top)
        if len(leaders) > min(top, len(sites)):
            # a tie at the cut: name the sites above it, then the tied ones as a group
            cutoff = leaders["attacks"].iloc[-1]
            above = leaders[leaders["attacks"] > cutoff]
            tied = leaders[leaders["attacks"] == cutoff]
            listed = ", ".join(f"{s.label} ({s.attacks})" for s in above.itertuples(index=False))
            names = ", ".join(tied["label"])
            text = (f"{_plural(len(sites), 'site')} were attacked; the most attacked: "
                    f"{listed + ', then ' if listed else ''}{len(tied)} sites tied at "
                    f"{_plural(int(cutoff), 'attack')} each ({names}).")
        else:
            listed = ", ".join(f"{s.label} ({s.attacks})"
                               for s in leaders.itertuples(index=False))
            text = (f"{_plural(len(sites), 'site')} were attacked; the "
                    f"{len(leaders)} most attacked: {listed}.")
    if roads.any():
        groups = by_site[roads].sort_values("attacks", ascending=False, kind="stable")
        listed = ", ".join(f"{g.label} ({g.attacks})" for g in groups.itertuples(index=False))
        text += (f" Convoy attacks on roads, by province (not sites, ranked apart): "
                 f"{listed}.")
    return text.strip()


def projectiles_sentence(stats: pd.DataFrame, total_attacks: int,
                         attacks: pd.DataFrame | None = None) -> str:
    """Projectile counts; the largest salvo is one attack's low and high figures, never the
    largest low of one attack joined to the largest high of another."""
    low = stats.set_index("figure").loc["low"]
    high = stats.set_index("figure").loc["high"]
    if not low["attacks"]:
        return "No source gives the number of projectiles for any attack in the selection."
    text = (f"Sources give a projectile count for {int(low['attacks'])} of {total_attacks} "
            f"attacks. The median attack fired {low['median']:g} projectiles by the lowest "
            f"figures reported ({high['median']:g} by the highest)")
    if attacks is None or "projectiles_fired_high" not in attacks:
        return text + "."
    fired_high = attacks["projectiles_fired_high"].astype("Float64")
    if fired_high.notna().sum() == 0:
        return text + "."
    largest = attacks.loc[fired_high.idxmax()]
    low_figure, high_figure = largest["projectiles_fired_low"], largest["projectiles_fired_high"]
    span = (f"{high_figure:g}" if pd.isna(low_figure) or low_figure == high_figure
            else f"{low_figure:g} to {high_figure:g}")
    return (text + f"; the largest salvo, at {largest['site_label']} on "
            f"{largest['date']:%d %B %Y}, was {span} projectiles.")


def casualty_totals_sentence(totals: pd.DataFrame, attacks: pd.DataFrame,
                             no_report: int, ranges: pd.DataFrame | None = None) -> str:
    """Killed and wounded by group, with the range the sources give when ``ranges``
    (casualties.casualty_ranges) is passed, and the brain injuries apart."""
    from .casualties import brain_injuries

    if attacks.empty:
        return "No attacks in the selection."

    def spread(measure: str) -> str:
        if ranges is None:
            return ""
        chosen = ranges[ranges["measure"] == measure]
        low, high = int(chosen["conservative"].sum()), int(chosen["highest"].sum())
        return "" if low == high else f"; the sources' figures range from {low:,} to {high:,}"

    killed = ", ".join(f"{r.label} {r.killed}" for r in totals.itertuples() if r.killed)
    wounded = ", ".join(f"{r.label} {r.wounded}" for r in totals.itertuples() if r.wounded)
    text = (f"Sources report {_plural(int(totals['killed'].sum()), 'person', 'people')} killed"
            f" ({killed or 'none'}{spread('killed')}) and {int(totals['wounded'].sum()):,} "
            f"wounded or injured ({wounded or 'none'}{spread('wounded')}) in "
            f"{_plural(len(attacks), 'attack')}.")
    brain = brain_injuries(attacks)
    if brain is not None:
        text += (f" Counted apart, not among the wounded: {brain:,} US service members "
                 "diagnosed with brain injuries in the days and weeks after an attack.")
    return text + (f" For {_plural(no_report, 'attack')} ({no_report / len(attacks):.0%}) no "
                   "source gives any casualty figure: those are unknown, not zero, and are not "
                   "in the totals.")


def revision_sentence(revision, site: str) -> str:
    measure = {"tbi_diagnosed": "diagnosed with brain injuries", "killed": "killed",
               "wounded": "wounded", "evacuated": "evacuated"}[revision.measure]
    group = {"all_personnel": "coalition personnel (US and others)", "us_military": "US troops",
             "us_contractor": "US contractors", "coalition": "other coalition troops",
             "iraqi_forces": "Iraqi forces", "civilian": "civilians"}[revision.group]
    return (f"{site}, {revision.attack_date:%d %B %Y}: {group} {measure} were first reported "
            f"as {revision.first_figure} on {revision.first_date:%d %B %Y} "
            f"({revision.first_outlet}) and last as {revision.latest_figure} on "
            f"{revision.latest_date:%d %B %Y} ({revision.latest_outlet}); figures ranged from "
            f"{revision.lowest} to {revision.highest} over {revision.reports} reports"
            + _kept(revision) + ".")


def _kept(revision) -> str:
    """', but the data keep 0 ...' when the data's figure is not the latest reported one."""
    recorded = getattr(revision, "recorded", pd.NA)
    if pd.isna(recorded) or int(recorded) == revision.latest_figure:
        return ""
    return (f"; the data keep {int(recorded)}, the figure they judge best supported (the "
            "row's notes say why)")


def shown_key_figures(selection: Selection) -> dict[str, str]:
    """The key figures as they are shown (overview and deck): attacks, span, killed, wounded,
    most attacked site, deadliest attack."""
    from .casualties import deadliest_attacks

    figures = key_figures(selection)
    deadliest = deadliest_attacks(selection.used, 1)
    if len(deadliest):
        top = deadliest.iloc[0]
        deadliest_text = (f"{top['site_label']}, {top['date']:%d %b %Y}: "
                          f"{int(top['killed'])} killed")
    else:
        deadliest_text = "none reported"
    span = (f"{figures['first']:%d %b %Y} to {figures['last']:%d %b %Y}"
            if figures["attacks"] else "no attacks")
    site = (f"{figures['most_attacked_site']} ({figures['most_attacked_site_count']})"
            if figures["attacks"] else "none")
    shown = {"Attacks": f"{figures['attacks']:,}", "Span": span,
             "Killed": f"{figures['killed']:,}", "Wounded or injured": f"{figures['wounded']:,}"}
    if figures["brain_injuries"] is not None:
        shown["Brain injuries (US, diagnosed later)"] = f"{figures['brain_injuries']:,}"
    return {**shown, "Most attacked site": site, "Deadliest attack": deadliest_text}


def revision_takeaway(revision, site: str) -> str:
    """One line for a revision chart: the biggest change in a reported figure."""
    measure = {"tbi_diagnosed": "brain-injury count", "killed": "death toll",
               "wounded": "wounded count", "evacuated": "count of evacuated"}[revision.measure]
    return (f"{site}: the {measure} went from {revision.first_figure} to "
            f"{revision.latest_figure} between {revision.first_date:%d %b} and "
            f"{revision.latest_date:%d %b %Y}")


def say(sentence: str, bullet: bool = False) -> None:
    """Show a sentence built from the data in a notebook. It may carry text from the CSV (site
    names, outlets), so it is escaped and shown as HTML, never read as Markdown or HTML."""
    import html

    from IPython.display import HTML, display

    text = html.escape(sentence)
    display(HTML(f"<ul><li>{text}</li></ul>" if bullet else f"<p>{text}</p>"))


def say_list(sentences) -> None:
    """Sentences built from the data as one bulleted list (escaped, as ``say``): one list,
    not a list per sentence, whose gaps made eleven readings a page and a half long."""
    import html

    from IPython.display import HTML, display

    items = "".join(f"<li>{html.escape(sentence)}</li>" for sentence in sentences)
    if items:
        display(HTML(f'<ul class="readings">{items}</ul>'))
