"""Every chart of the project: tidy frame in, matplotlib Figure out, in one house style.

The style is set here only: a colour-blind-safe palette (Okabe & Ito) in which a colour means the
same thing on every chart, type large enough to project, a title that states the finding and a
source line under each chart.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import matplotlib.text
import pandas as pd
from matplotlib.ticker import FixedLocator, FuncFormatter

from . import slides
from .schema import VOCABULARY, vocabulary_label
from .webcharts import recorded

# Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9", "green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7",
    "grey": "#999999",
}
ATTACKS_COLOUR = OKABE_ITO["blue"]
TREND_COLOUR = OKABE_ITO["vermillion"]
MILESTONE_COLOUR = OKABE_ITO["black"]
SEVERITY_COLOURS = {"killed": OKABE_ITO["vermillion"], "wounded": OKABE_ITO["orange"],
                    "none": OKABE_ITO["sky_blue"], "unknown": OKABE_ITO["grey"]}
OUTCOME_COLOURS = {"killed": OKABE_ITO["vermillion"], "wounded": OKABE_ITO["orange"]}
# One colour per category, the same on every chart that shows it: from the schema's vocabulary.
CATEGORY_COLOURS = {column: {code: colour for code, (_, colour) in codes.items()}
                    for column, codes in VOCABULARY.items()}
PRESS_COLOUR = OKABE_ITO["vermillion"]
CITY_COLOUR = "#555555"

# 16:9 at 120 dpi gives 1920 x 1080 pixel PNGs for slides.
FIGSIZE = (16, 9)
FIGSIZE_NARROW_PANELS = (5.6, 8.4)  # two panels one above the other on a phone
FIGSIZE_NARROW_MAP = (5.6, 9.4)  # the map over the Baghdad area (the key's lines add height)
PNG_DPI = 120
SCREEN_DPI = 80  # charts inside the HTML reports: 1280 x 720, sharp enough, lighter pages

STYLE = {
    "figure.figsize": FIGSIZE, "figure.dpi": PNG_DPI, "savefig.dpi": PNG_DPI,
    "font.size": 18, "axes.titlesize": 24, "axes.titleweight": "bold", "axes.titlelocation":
    "left", "axes.labelsize": 18, "xtick.labelsize": 16, "ytick.labelsize": 16,
    "legend.fontsize": 16, "legend.frameon": False, "axes.spines.top": False,
    "axes.spines.right": False, "axes.grid": True, "grid.alpha": 0.3, "axes.axisbelow": True,
    "svg.hashsalt": "iraq-attacks",  # stable SVG ids
    "svg.fonttype": "none",
    "text.parse_math": False,  # '$' in a site name is text, not the start of a formula
}


def apply_style() -> None:
    plt.rcParams.update(STYLE)


apply_style()


def source_line(attacks, as_of: pd.Timestamp | None, sources: pd.DataFrame | None = None,
                outlets: int = 4) -> str:
    """The source line under every chart: the dataset, and the outlets its rows cite most,
    by name (``sources``: data/sources.csv), with the official statements among them, so a
    reader knows where the figures come from. ``attacks`` is the selection (or only its row
    count)."""
    as_of_text = as_of.date().isoformat() if as_of is not None and pd.notna(as_of) else "n/a"
    years = ""
    if isinstance(attacks, pd.DataFrame):
        count = len(attacks)
        named = _cited_outlets(attacks, sources, outlets)
        if count and "date" in attacks:  # the years of the rows charted, not a fixed span
            first, last = attacks["date"].min().year, attacks["date"].max().year
            years = f", {first}" if first == last else f", {first}-{last}"
    else:
        count, named = int(attacks), ""
    cited = f"; compiled from reports by {named}" if named else ""
    return (f"Source: Iraq attacks dataset{years} ({count:,} attacks{cited}; "
            f"data as of {as_of_text})")


def _cited_outlets(attacks: pd.DataFrame, sources, top: int) -> str:
    from .sourcing import outlet_counts

    ranked = outlet_counts(attacks, sources)
    if ranked.empty:
        return ""
    shown = ranked.head(top)
    text = ", ".join(f"{r.outlet} ({r.attacks:,})" for r in shown.itertuples())
    text += " and others" if len(ranked) > top else ""
    official = ranked[(ranked["kind"] == "official") & ~ranked.index.isin(shown.index)]
    if len(official):
        text += ", and official statements by " + ", ".join(
            f"{r.outlet} ({r.attacks:,})" for r in official.head(2).itertuples())
    return text


FOOTER_SIZE = 13
FOOTER_WIDTH = 150  # characters of FOOTER_SIZE type that fit across a 16-inch chart


def _footer(fig) -> list[str]:
    """Lines to print under the chart (milestone key, coverage key, notes), source last."""
    if not hasattr(fig, "_house_footer"):
        fig._house_footer = []
    return fig._house_footer


def _narrow(fig) -> bool:
    """A chart drawn at phone width (webcharts.NARROW_FIGSIZE), not for slides."""
    return fig.get_figwidth() < 10


def _footer_width(fig) -> int:
    return int(FOOTER_WIDTH * fig.get_figwidth() / FIGSIZE[0])


def _wrap_title(fig, title: str, size: float) -> str:
    """A title in lines that fit across the figure (bold type is about 0.62 em a letter)."""
    return textwrap.fill(title, int((fig.get_figwidth() - 0.2) * 72 / (size * 0.62)))


def _narrow_heading(fig, title: str, notes_fraction: float) -> float:
    """At phone width the title spans the figure (not only the plot, which long tick labels
    narrow), a single legend sits under it (to the right of the plot it would leave no room
    for the plot), several go each under its own plot (_narrow_panel_keys), and long axis
    labels wrap. Returns the top of the plotting area (figure fraction)."""
    renderer = fig.canvas.get_renderer()
    height = fig.get_figheight() * fig.dpi
    size = plt.rcParams["axes.titlesize"]
    heading = fig.suptitle(_wrap_title(fig, title, size), x=0.02, y=1 - 8 / height, ha="left",
                           va="top", fontsize=size, fontweight="bold")
    heading.set_in_layout(False)
    top = 1 - (heading.get_window_extent(renderer).height + 14) / height
    stacked = len({round(ax.get_position().y0, 2) for ax in fig.axes}) > 1
    for ax in fig.axes:
        ax.set_ylabel(textwrap.fill(ax.get_ylabel(), 16 if stacked else 24))
        # under the right end of the plot: centred under a plot that long tick labels push
        # to the right, a long label would run off the canvas
        ax.set_xlabel(textwrap.fill(ax.get_xlabel(), 30), loc="right")
    with_legend = [ax for ax in fig.axes if ax.get_legend() is not None]
    if len(with_legend) == 1:  # several: each under its plot already (_narrow_panel_keys)
        ax = with_legend[0]
        handles, labels = ax.get_legend_handles_labels()
        legend_title = ax.get_legend().get_title().get_text() or None
        ax.get_legend().remove()
        key = fig.legend(handles, labels, title=legend_title, loc="upper left",
                         bbox_to_anchor=(0.01, top), fontsize=14, title_fontsize=14,
                         markerscale=0.6, alignment="left")
        top -= (key.get_window_extent(renderer).height + 6) / height
    return max(top, notes_fraction + 0.2)


def _narrow_panel_keys(fig) -> float:
    """At phone width, a chart of several plots each with a legend (the casualty panels):
    each legend goes under its own plot, below its tick labels, from the canvas's left edge,
    in two columns where they fit. Inside the plots the lines ran through the names. Returns
    the inches of height the keys take, which the caller adds to the figure's (a phone
    scrolls), so that the plots keep their height."""
    from matplotlib.transforms import ScaledTranslation, blended_transform_factory

    with_legend = [ax for ax in fig.axes if ax.get_legend() is not None]
    if len(with_legend) < 2:
        return 0.0
    renderer = fig.canvas.get_renderer()
    width = fig.get_figwidth() * fig.dpi
    added = 0.0
    for ax in with_legend:
        handles, labels = ax.get_legend_handles_labels()
        legend_title = ax.get_legend().get_title().get_text() or None
        ax.get_legend().remove()
        box, tight = ax.get_window_extent(renderer), ax.get_tightbbox(renderer)
        drop = (box.y0 - tight.y0 + 4) / fig.dpi  # inches: tick labels keep their size
        place = (blended_transform_factory(fig.transFigure, ax.transAxes)
                 + ScaledTranslation(0, -drop, fig.dpi_scale_trans))
        for columns in (2, 1):
            key = ax.legend(handles, labels, title=legend_title, loc="upper left",
                            bbox_to_anchor=(0.02, 0), bbox_transform=place, ncol=columns,
                            fontsize=13, title_fontsize=13, markerscale=0.6,
                            handlelength=1.2, columnspacing=1.0, borderaxespad=0)
            if key.get_window_extent(renderer).width <= 0.96 * width:
                break
        added += key.get_window_extent(renderer).height / fig.dpi + 0.15
    return added


def _finish(fig, title: str, source: str, axes=None):
    axes = axes or fig.axes[0]
    has_markers = any(getattr(a, "_house_markers", False) for a in fig.axes[:1])
    narrow = _narrow(fig)
    if not narrow:
        axes.set_title(title, pad=34 if has_markers else 16)
    fig._house_key = [part for part in [*_footer(fig), *source.split("\n")] if part]
    lines = [textwrap.fill(part, _footer_width(fig)) for part in fig._house_key]
    text = "\n".join(lines)
    notes_inches = (text.count("\n") + 1) * FOOTER_SIZE * 1.3 / 72
    if narrow:  # a phone scrolls: the notes add to the chart's height, not take from it
        # (to the height before any notes: a chart finished again, as the map is until its
        # key holds, does not grow by its notes each time)
        base = getattr(fig, "_house_base_height", None) or fig.get_figheight()
        fig._house_base_height = base
        fig.set_figheight(base + notes_inches)
        # and so do the keys that go under their plots (measured at the height above)
        fig.set_figheight(base + notes_inches + _narrow_panel_keys(fig))
    footer = fig.text(0.01, 0.01, text, fontsize=FOOTER_SIZE, color="#444444", ha="left",
                      va="bottom", linespacing=1.25)
    if narrow and text:
        # the notes as set (the estimate above is for the lines' count, and runs long on a
        # phone's sixteen lines: a band of empty canvas stood between chart and notes)
        measured = footer.get_window_extent(fig.canvas.get_renderer()).height / fig.dpi
        if measured < notes_inches:
            fig.set_figheight(fig.get_figheight() - (notes_inches - measured))
            notes_inches = measured
    height = notes_inches / fig.get_figheight()
    top = _narrow_heading(fig, title, 0.015 + height) if narrow else 1
    fig.tight_layout(rect=(0, 0.015 + height, 1, top))
    if not narrow:
        _fit_title(fig, axes, title, (0, 0.015 + height, 1, top))
    return fig


def _fit_title(fig, axes, title: str, rect) -> None:
    """A title wider than the canvas (a count in the millions makes it longer than any
    title of the real data) wrapped to the room between its start and the canvas's right
    edge, and the layout done again; otherwise it would run off the canvas."""
    # the house style puts the title at the plot's left edge (axes.titlelocation)
    heading = {"left": axes._left_title, "center": axes.title,
               "right": axes._right_title}[plt.rcParams["axes.titlelocation"]]
    box = heading.get_window_extent(fig.canvas.get_renderer())
    canvas = fig.get_figwidth() * fig.dpi
    if box.x0 >= 0 and box.x1 <= canvas:
        return
    room = canvas - max(box.x0, 0) - 8  # from the title's start to the canvas's edge
    heading.set_text(textwrap.fill(title, max(20, int(len(title) * room / box.width))))
    fig.tight_layout(rect=rect)


def milestone_clusters(milestones: pd.DataFrame, gap_days: float) -> list[pd.DataFrame]:
    """Group charted milestones that follow each other within ``gap_days`` (too close to
    mark one by one at the chart's scale)."""
    charted = milestones[milestones["on_charts"]] if "on_charts" in milestones else milestones
    charted = charted.sort_values("date")
    clusters: list[list[int]] = []
    previous = None
    for index, day in zip(charted.index, charted["date"]):
        if previous is not None and (day - previous).days <= gap_days:
            clusters[-1].append(index)
        else:
            clusters.append([index])
        previous = day
    return [charted.loc[c] for c in clusters]


def _milestone_gap(ax) -> float:
    """Days between two milestones below which their numbers would touch: a fortieth of the
    axis on a 16-inch chart, more on a narrower one."""
    left, right = ax.get_xlim()
    return max(2.0, (right - left) / 40 * max(1.0, FIGSIZE[0] / ax.figure.get_figwidth()))


def _mark_milestones(ax, milestones: pd.DataFrame, key: bool = True) -> None:
    """The charted milestones (milestones.on_charts), the same way on every time chart: a
    thin line for one milestone, a shaded band for milestones too close to tell apart, each
    with a number above the plot; the numbers are explained in a key under the chart."""
    from matplotlib.transforms import blended_transform_factory

    gap_days = _milestone_gap(ax)  # closer than this, two numbers would touch
    above = blended_transform_factory(ax.transData, ax.transAxes)
    entries = []
    for number, cluster in enumerate(milestone_clusters(milestones, gap_days), start=1):
        first, last = cluster["date"].min(), cluster["date"].max()
        if first == last:
            ax.axvline(first, color=MILESTONE_COLOUR, linewidth=1, alpha=0.5, zorder=1)
            centre = first
            when = f"{first:%d %b %Y}"
        else:
            ax.axvspan(first, last + pd.Timedelta(days=1), color=MILESTONE_COLOUR,
                       alpha=0.12, linewidth=0, zorder=1)
            centre = first + (last + pd.Timedelta(days=1) - first) / 2
            when = (f"{first:%d %b}-{last:%d %b %Y}" if first.year == last.year
                    else f"{first:%d %b %Y}-{last:%d %b %Y}")
        ax.text(centre, 1.01, str(number), transform=above, ha="center", va="bottom",
                fontsize=14, fontweight="bold", color=MILESTONE_COLOUR)
        entries.append(f"({number}) {when}: " + ", ".join(cluster["title"]))
    ax._house_markers = bool(entries)
    if key and entries:
        _footer(ax.figure).append("Milestones: " + "   ".join(entries))


def incomplete_months(coverage: pd.DataFrame | None,
                      column: str = "assessment") -> list[pd.Timestamp]:
    """Months the coverage table marks incomplete: their counts are known to miss attacks.
    ``column`` picks the rating (overall, or sites_assessment or convoys_assessment for one
    series). A month not yet searched (not_started) is no month of the data at all, not an
    incomplete one: it lies outside the dataset's window."""
    if coverage is None or coverage.empty:
        return []
    weak = coverage[coverage[column] == "incomplete"]
    return sorted(pd.Timestamp(f"{month}-01") for month in weak["month"].astype(str))


def _months_in_view(ax, months) -> list:
    """The months (their first days) that the axis' date range shows some of: a selection
    of dates shows only some of the months the coverage table rates."""
    left, right = ax.get_xlim()
    return [m for m in months or []
            if mdates.date2num(m + pd.offsets.MonthBegin(1)) >= left
            and mdates.date2num(m) <= right]


def _shade_incomplete(ax, months, key: bool = True) -> None:
    """Hatch the months known to miss attacks, and say so in the key under the chart."""
    limits = ax.get_xlim()
    shown = _months_in_view(ax, months)
    for start in shown:
        ax.axvspan(start, start + pd.offsets.MonthBegin(1), facecolor="none",
                   edgecolor=OKABE_ITO["grey"], hatch="//", linewidth=0, alpha=0.5, zorder=0)
    ax.set_xlim(*limits)
    if key and shown:
        _footer(ax.figure).append("Hatched: months the coverage table marks incomplete ("
                                  + ", ".join(f"{m:%b %Y}" for m in shown)
                                  + "); their counts miss known attacks.")


def _finish_time_chart(fig, ax, milestones, title: str, source: str, incomplete=None,
                       legend: bool = True):
    """The common end of a chart over time: month ticks, incomplete months hatched, the
    milestones numbered, the legend to the right, then title and key and source line."""
    _date_axis(ax)
    _shade_incomplete(ax, incomplete)
    if milestones is not None:
        _mark_milestones(ax, milestones)
    if legend:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _finish(fig, title, source)


def _date_axis(ax) -> None:
    # a tick every month across a slide; every quarter across a phone (every half year
    # where long labels beside the axis leave it little width)
    if not _narrow(ax.figure):
        ax.xaxis.set_major_locator(mdates.MonthLocator())
        ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: _month_label(ax, value)))
        return
    months = getattr(ax, "_house_narrow_months", (1, 4, 7, 10))
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=months))

    def label(value, _):
        # a date at the very end of the axis would run into the tick labels of the y axes
        left, right = ax.get_xlim()
        edge = 0.04 * (right - left)
        if value - left < edge or right - value < edge:
            return ""
        return mdates.num2date(value).strftime("%b\n%Y")

    ax.xaxis.set_major_formatter(FuncFormatter(label))


def _month_label(ax, value) -> str:
    """A month's tick label: its name, with the year under it only at January and at the
    first month shown (a year under every month runs the labels together)."""
    day = mdates.num2date(value)
    # the first month start inside the axis, from its limit (asking the locator for its
    # ticks here, for every label of every layout, cost seconds per report)
    edge = mdates.num2date(ax.get_xlim()[0])
    first = ((edge.year, edge.month) if (edge.day, edge.hour, edge.minute) == (1, 0, 0)
             else (edge.year + edge.month // 12, edge.month % 12 + 1))
    if day.month == 1 or (day.year, day.month) <= first:
        return day.strftime("%b\n%Y")
    return day.strftime("%b")


@recorded
def attacks_per_period_chart(counts: pd.DataFrame, milestones: pd.DataFrame, period_name: str,
                             title: str, source: str, incomplete=None):
    """Bars of attacks per period with the rolling mean as a line and milestones marked.

    ``counts`` has period_start, attacks and rolling_mean (frequency.with_rolling_mean).
    """
    fig, ax = plt.subplots()
    width = 5 if period_name == "week" else 25
    ax.bar(counts["period_start"], counts["attacks"], width=width, align="edge",
           color=ATTACKS_COLOUR, label=f"attacks per {period_name}")
    if "rolling_mean" in counts:
        ax.plot(counts["period_start"] + pd.Timedelta(days=width / 2), counts["rolling_mean"],
                color=TREND_COLOUR, linewidth=3, label="rolling mean")
    ax.set_ylabel(f"attacks per {period_name}")
    ax.set_xlabel("")
    ax.set_ylim(0, max(1, counts["attacks"].max()) * 1.15)
    ax.yaxis.get_major_locator().set_params(integer=True)
    return _finish_time_chart(fig, ax, milestones, title, source, incomplete)


@recorded
def timeline_chart(timeline: pd.DataFrame, milestones: pd.DataFrame, title: str, source: str,
                   incomplete=None):
    """Every attack as a marker on the time axis (size: projectiles; colour: severity),
    one row per site, with the milestones marked; a grouped timeline says in its key what a
    marker stands for."""
    fig, ax = plt.subplots()
    sites = list(dict.fromkeys(timeline.sort_values("date")["site"]))
    y = timeline["site"].map({s: i for i, s in enumerate(sites)})
    sizes = 60 + 12 * timeline["projectiles"].fillna(1).astype(float).clip(upper=40)
    for level, colour in SEVERITY_COLOURS.items():
        mask = timeline["severity"] == level
        if mask.any():
            ax.scatter(timeline.loc[mask, "date"], y[mask], s=sizes[mask], color=colour,
                       edgecolor="black", linewidth=0.6, alpha=0.85, label=level, zorder=3)
    ax.set_yticks(range(len(sites)), sites)
    ax.set_ylim(-0.7, len(sites) - 0.3)
    if _narrow(fig):  # a row per site, tall enough for its name
        fig.set_figheight(max(fig.get_figheight(), 3.5 + 0.27 * len(sites)))
        ax._house_narrow_months = (1, 7)
    ax.legend(title="casualties", loc="upper left", bbox_to_anchor=(1.0, 1.0),
              markerscale=0.7)
    grouped_by = set(timeline["marker"]) - {"attack"} if "marker" in timeline else set()
    if grouped_by:  # too many attacks for a marker each (escalation.attack_timeline)
        _footer(fig).append(
            f"Each marker stands for one site's attacks in a {grouped_by.pop()} "
            f"({int(timeline['attacks'].sum()):,} attacks, {len(timeline):,} markers): "
            "its colour is the worst outcome among them, its size their projectiles.")
    fig = _finish_time_chart(fig, ax, milestones, title, source, incomplete, legend=False)
    if len(sites) > TIMELINE_SLIDE_ROWS:  # on a slide, the sites hit least share one row
        fig._house_slide = lambda: timeline_chart(
            fold_sites(timeline, TIMELINE_SLIDE_ROWS), milestones, title, source, incomplete)
    return fig


TIMELINE_SLIDE_ROWS = 10  # rows of 18-point labels that fit the height of a slide's chart


def fold_sites(timeline: pd.DataFrame, rows: int) -> pd.DataFrame:
    """The timeline with the sites of fewest attacks put on one row ("12 other sites"), so
    that ``rows`` rows remain; a site where an attack killed someone keeps its row (the
    deadly attacks are what a briefing asks about); every attack stays on the chart."""
    by_site = timeline.assign(deadly=timeline["severity"] == "killed").groupby("site").agg(
        deadly=("deadly", "any"), attacks=("attacks", "sum"))
    counts = by_site.sort_values(["deadly", "attacks"], ascending=False, kind="stable")
    kept = set(counts.index[:rows - 1])
    others = f"{len(counts) - len(kept)} other sites"
    folded = timeline.assign(site=timeline["site"].where(timeline["site"].isin(kept), others))
    # the folded row last, so that it is drawn on top, apart from the named sites
    return pd.concat([folded[folded["site"] != others], folded[folded["site"] == others]])


@recorded
def casualty_ranges_chart(ranges: pd.DataFrame, title: str, source: str):
    """Killed and wounded per group: the bar is the data's figure (the latest best-supported),
    the line runs from the lowest to the highest figure any accepted source gave. Brain-injury
    diagnoses are not wounded: they are stated under the chart, apart."""
    if plt.rcParams["figure.figsize"][0] < 10:  # a phone: one panel above the other
        fig, axes = plt.subplots(2, 1, sharey=True, figsize=FIGSIZE_NARROW_PANELS)
    else:  # each panel its own scale (2 vs 25 people)
        fig, axes = plt.subplots(1, 2, sharey=True)
    people = ranges[ranges["measure"] != "tbi_diagnosed"]
    labels = list(dict.fromkeys(people["label"]))[::-1]
    for ax, measure, noun in zip(axes, ("killed", "wounded"), ("killed", "wounded or injured")):
        rows = people[people["measure"] == measure].set_index("label").reindex(labels)
        values = rows[["latest", "conservative", "highest"]].astype(float)  # NA: no figure
        positions = range(len(labels))
        ax.barh(list(positions), values["latest"].fillna(0), height=0.55,
                color=OUTCOME_COLOURS[measure])
        ax.hlines(list(positions), values["conservative"], values["highest"], color="#222222",
                  linewidth=2.5)
        top = max(1.0, float(values["highest"].max(skipna=True) or 1))
        for p, (latest, low, high) in zip(positions,
                                               values.itertuples(index=False)):
            if pd.isna(latest):
                text, x = "no figure", 0.0
            elif low == high:
                text, x = f"{latest:.0f}", latest
            else:
                text, x = f"{latest:.0f} (sources {low:.0f} to {high:.0f})", max(latest, high)
            ax.text(x + top * 0.02, p, text, va="center", fontsize=14)
        ax.set_xlim(0, top * (3.2 if _narrow(fig) else 1.9))  # room for the labels
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlabel(f"people {noun}")
        ax.grid(axis="y", visible=False)
    axes[0].set_yticks(list(range(len(labels))), labels)
    brain = ranges[ranges["measure"] == "tbi_diagnosed"]
    if len(brain) and brain["attacks"].sum() > 0:
        row = brain.iloc[0]
        _footer(fig).append(
            f"Not in the wounded: {row['latest']} US service members diagnosed with brain "
            f"injuries days to weeks after the attack ({row['attacks']} "
            f"attack{'s' if row['attacks'] != 1 else ''}; first reported as "
            f"{row['conservative']}). Bars: the data's figure; line: lowest to highest figure "
            "a source gave. Attacks without a figure are not counted as zero.")
    return _finish(fig, title, source, axes=axes[0])


SERIES_NAMES = {"sites": "Bases, embassy and airports (rockets, missiles, drones, mortars)",
                "convoys": "Supply convoys (roadside bombs)"}
SERIES_SHORT = {"sites": "Bases, embassy, airports", "convoys": "Supply convoys"}  # phones


def _series_panels(frame: pd.DataFrame):
    """Two panels over one time axis, sites above and convoys below, each with its rows of
    ``frame`` (column ``series``)."""
    fig, axes = plt.subplots(2, 1, sharex=True)
    return fig, [(ax, name, frame[frame["series"] == name]) for ax, name in
                 zip(axes, SERIES_NAMES)]


def _finish_series_panels(fig, panels, title: str, source: str, milestones, ylabel: str,
                          top: float):
    for ax, name, _ in panels:
        ax.set_ylim(0, max(1, top) * 1.25)
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.set_ylabel(ylabel, fontsize=15)
        # on a white ground: the milestone lines and hatched months run under it
        label = ax.text(0.005, 0.97, (SERIES_SHORT if _narrow(fig) else SERIES_NAMES)[name],
                        transform=ax.transAxes, va="top", fontsize=15, fontweight="bold",
                        color="#333333", zorder=4,
                        bbox={"boxstyle": "square,pad=0.15", "facecolor": "white",
                              "edgecolor": "none"})
        label.set_in_layout(False)  # inside the plot: no margin to make for it
    _date_axis(panels[-1][0])
    if milestones is not None:
        _mark_milestones(panels[0][0], milestones)
        left, right = panels[-1][0].get_xlim()
        for cluster in milestone_clusters(milestones, _milestone_gap(panels[-1][0])):
            panels[-1][0].axvline(cluster["date"].min(), color=MILESTONE_COLOUR, linewidth=1,
                                  alpha=0.3, zorder=1)
    return _finish(fig, title, source)


def _hatch_open_months(ax, months, width_days: float) -> None:
    for start in months:
        ax.axvspan(start, start + pd.Timedelta(days=width_days), facecolor="none",
                   edgecolor=OKABE_ITO["grey"], hatch="//", linewidth=0, alpha=0.5, zorder=0)


def _open_months_key(fig, panels, open_months) -> None:
    """The key under a chart of series panels for the months hatched in each panel (a chart
    with a legend entry for them, as the band chart, needs none)."""
    parts = []
    for ax, name, _ in panels:
        months = _months_in_view(ax, (open_months or {}).get(name, []))
        if months:
            label = (SERIES_SHORT if _narrow(fig) else SERIES_NAMES)[name].split(" (")[0]
            parts.append(f"{label.lower()}: " + ", ".join(f"{m:%b %Y}" for m in months))
    if parts:
        _footer(fig).append("Hatched: months the coverage table marks incomplete for the "
                            "panel's series (" + "; ".join(parts)
                            + "); their counts miss known attacks.")


@recorded
def monthly_band_chart(band: pd.DataFrame, title: str, source: str,
                       milestones: pd.DataFrame | None = None):
    """Attacks per month for each series: the solid bar counts high- and medium-confidence
    rows (the lower edge), the pale part the low-confidence rows, the outlined part what
    checked press counts report beyond the record (the upper edge); hatched months are rated
    incomplete (open above). ``band`` from missing.monthly_band."""
    fig, panels = _series_panels(band)
    colour = ATTACKS_COLOUR
    for ax, _, rows in panels:
        x = rows["period_start"]
        low = rows["recorded"] - rows["confirmed"]
        ax.bar(x, rows["confirmed"], width=25, align="edge", color=colour)
        ax.bar(x, low, width=25, align="edge", bottom=rows["confirmed"], color=colour,
               alpha=0.35)
        ax.bar(x, rows["press_extra"], width=25, align="edge", bottom=rows["recorded"],
               facecolor="none", edgecolor="#222222", linewidth=1.5, linestyle="--")
        _hatch_open_months(ax, list(x[rows["open_above"]]), 31)
    handles = [plt.Rectangle((0, 0), 1, 1, color=colour),
               plt.Rectangle((0, 0), 1, 1, color=colour, alpha=0.35),
               plt.Rectangle((0, 0), 1, 1, facecolor="none", edgecolor="#222222",
                             linestyle="--"),
               plt.Rectangle((0, 0), 1, 1, facecolor="none", edgecolor=OKABE_ITO["grey"],
                             hatch="//")]
    panels[0][0].legend(handles, ["high or medium confidence", "low confidence",
                                  "more in a checked press count", "rated incomplete"],
                        loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=14)
    return _finish_series_panels(fig, panels, title, source, milestones, "attacks a month",
                                 band["upper"].max() if len(band) else 1)


@recorded
def series_period_chart(counts: pd.DataFrame, parts: dict[str, tuple[str, str]],
                        period_name: str, title: str, source: str,
                        milestones: pd.DataFrame | None = None, open_months=None):
    """Counts per period for each series, stacked by ``parts`` (column: (label, colour));
    ``counts`` has columns series, period_start and the parts. ``open_months`` maps a series
    to the months to hatch (rated incomplete for that series)."""
    fig, panels = _series_panels(counts)
    width = 5 if period_name == "week" else 25
    for ax, name, rows in panels:
        bottom = pd.Series(0, index=rows.index)
        for column, (label, colour) in parts.items():
            ax.bar(rows["period_start"], rows[column], width=width, align="edge",
                   bottom=bottom, color=colour, label=label)
            bottom = bottom + rows[column]
        _hatch_open_months(ax, (open_months or {}).get(name, []), 31)
    _open_months_key(fig, panels, open_months)
    if len(parts) > 1:
        panels[0][0].legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=14)
    total = counts[list(parts)].sum(axis=1)
    return _finish_series_panels(fig, panels, title, source, milestones,
                                 f"attacks a {period_name}", total.max() if len(total) else 1)


def _draw(fig, dpi: int = PNG_DPI):
    """The chart drawn once, at PNG_DPI (1920 x 1080), as an RGB image. Both PNGs are made
    from these pixels: drawing a chart costs more than resampling it."""
    from PIL import Image

    original = fig.dpi
    fig.set_dpi(dpi)
    try:
        raw, size = fig.canvas.print_to_buffer()
    finally:
        fig.set_dpi(original)
    return Image.frombuffer("RGBA", size, raw, "raw", "RGBA", 0, 1
                            ).convert("RGB")  # charts are opaque: no alpha channel to store


def _png(image, dpi: int, small: bool = False) -> bytes:
    """PNG bytes; ``small`` (the copies embedded in the pages) with a 256-colour palette: a
    chart's flat colours survive it and a page carries two drawings of every chart."""
    import io

    from PIL import Image

    if small:
        # fast octree: a tenth of the time of median cut, and smaller files for charts
        image = image.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        # the colour nearest white is white: an off-white would show the chart as a grey box
        # on the white page
        palette = image.getpalette()
        nearest = min(range(len(palette) // 3), key=lambda i: -sum(palette[3 * i:3 * i + 3]))
        palette[3 * nearest:3 * nearest + 3] = [255, 255, 255]
        image.putpalette(palette)
    buffer = io.BytesIO()
    # no time or software stamp: stable bytes. zlib level 3 writes a full-colour chart in
    # two thirds of the time of the default 6 at about the same size; a palette image is
    # fast at 6 either way and a fifth larger at 3 (the pages carry those)
    image.save(buffer, format="png", dpi=(dpi, dpi), compress_level=6 if small else 3)
    return buffer.getvalue()


def _svg(fig) -> bytes:
    import io

    buffer = io.BytesIO()
    # tight_layout leaves a placeholder layout engine on the figure, and savefig draws a
    # figure with any engine twice (once to lay it out); the layout is done, so once is enough
    engine = fig.get_layout_engine()
    fig.set_layout_engine(None)
    try:
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    finally:
        fig.set_layout_engine(engine)
    return buffer.getvalue()


def _drawn(fig, figures_dir) -> tuple[dict[str, bytes], dict]:
    """Every picture a published chart needs, drawn from ``fig``: the 1920 x 1080 PNG and
    the SVG (when saved), the page's image, the phone's drawing; and the size of their
    smallest text. A chart another report already published in this render is taken from
    what that publish kept (drawings.py) instead."""
    from PIL import Image

    from . import drawings, webcharts

    drawing_key = drawings.key(fig)
    kept = drawings.load(figures_dir, drawing_key)
    if kept is not None:
        meta = kept.pop("meta")
        return kept, meta
    image = _draw(fig)
    files = {"page.png": _png(image.resize((round(image.width * SCREEN_DPI / PNG_DPI),
                                            round(image.height * SCREEN_DPI / PNG_DPI)),
                                           Image.Resampling.BOX), SCREEN_DPI, small=True)}
    if figures_dir:
        files["chart.png"] = _png(image, PNG_DPI)
        files["chart.svg"] = _svg(fig)
    meta = {"text_px": round(webcharts.smallest_text_points(fig) * SCREEN_DPI / 72, 2)}
    phone = webcharts.redraw(fig)
    if phone is not None:
        files["narrow.png"] = _png(_draw(phone, webcharts.NARROW_DPI), webcharts.NARROW_DPI,
                                   small=True)
        meta["narrow_text_px"] = round(webcharts.smallest_text_points(phone)
                                       * webcharts.NARROW_DPI / 72, 2)
        plt.close(phone)
    drawings.store(figures_dir, drawing_key, files, meta)
    return files, meta


def publish(fig, name: str, figures_dir: str | Path | None, takeaway: str | None = None,
            notes: str | None = None) -> None:
    """Show a chart in the notebook (once, with its finding as alternative text, the numbers
    it plots and a narrow drawing for phones; see webcharts) and, when ``figures_dir`` is
    set, save it for slides with a sidecar ``<name>.json`` holding the slide's one-line
    takeaway and speaker notes (the briefing deck reads them) and ``<name>.csv``."""
    import base64
    import json

    from IPython.display import display

    from . import webcharts

    title = fig.get_suptitle() or (
        fig.axes[0].get_title(loc="left") or fig.axes[0].get_title() if fig.axes else "")
    title = " ".join(title.split())  # a title wrapped for a narrow chart reads as one line
    plotted = webcharts.plotted_frame(fig)
    csv = webcharts.csv_text(plotted) if plotted is not None else ""
    files, drawn = _drawn(fig, figures_dir)
    if figures_dir:
        folder = Path(figures_dir)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.png").write_bytes(files["chart.png"])
        (folder / f"{name}.svg").write_bytes(files["chart.svg"])
        sidecar = {"name": name, "title": title, "takeaway": takeaway or title,
                   "notes": notes or ""}
        if name in slides.requested(figures_dir):
            # last: the slide version changes the figure in place
            sidecar["slide"], fig = _save_slide(fig, name, figures_dir)
        (folder / f"{name}.json").write_text(
            json.dumps(sidecar, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        if csv:
            (folder / f"{name}.csv").write_text(csv, encoding="utf-8")
    alt = webcharts.alt_text(title or name, takeaway)
    meta = {"alt": alt, "name": name, "csv": csv, "text_px": drawn["text_px"]}
    if "narrow.png" in files:
        meta["narrow"] = base64.b64encode(files["narrow.png"]).decode("ascii")
        meta["narrow_text_px"] = drawn["narrow_text_px"]
        meta["narrow_media"] = webcharts.NARROW_MEDIA
    display({"image/png": base64.b64encode(files["page.png"]).decode("ascii"),
             "text/plain": alt}, metadata={"image/png": meta}, raw=True)
    plt.close(fig)  # the inline backend would otherwise show it a second time


def _save_slide(fig, name: str, figures_dir) -> dict:
    """The deck's version of a chart (slides.slide_figure), saved as slides/<name>.png; the
    figure is changed in place, so this comes after every other use of it."""
    fig, key = slides.slide_figure(fig)
    folder = Path(figures_dir) / slides.FOLDER
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.png").write_bytes(_png(_draw(fig, slides.DPI), slides.DPI))
    return {"key": key, "width_inches": round(fig.get_figwidth(), 3),
            "height_inches": round(fig.get_figheight(), 3),
            "smallest_font": slides.smallest_font(fig)}, fig


def _colour(column: str, value: str) -> str:
    return CATEGORY_COLOURS.get(column, {}).get(value, ATTACKS_COLOUR)


@recorded
def ranked_bar_chart(counts: pd.DataFrame, column: str, label_column: str, title: str,
                     source: str, max_bars: int = 15):
    """Horizontal bars, most frequent at the top, each labelled with its count and share.
    ``counts`` comes from frequency.breakdown."""
    shown = counts.head(max_bars).iloc[::-1]
    fig, ax = plt.subplots()
    colours = [_colour(column, v) for v in shown[column]]
    # codes (ballistic_missile, military_base) shown by their labels from the schema
    labels = [vocabulary_label(column, v) if label_column == column else str(text)
              for v, text in zip(shown[column], shown[label_column])]
    ax.barh(labels, shown["attacks"], color=colours)
    for y, (n, share) in enumerate(zip(shown["attacks"], shown["share"])):
        ax.text(n, y, f"  {n} ({share:.0%})", va="center", fontsize=15)
    ax.set_xlabel("attacks")
    ax.set_xlim(0, max(1, shown["attacks"].max()) * (1.45 if _narrow(fig) else 1.2))
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y", visible=False)
    return _finish(fig, title, source)


@recorded
def stacked_period_chart(table: pd.DataFrame, column: str, period_name: str, title: str,
                         source: str, milestones: pd.DataFrame | None = None, incomplete=None):
    """Attacks per period stacked by category; ``table`` from frequency.per_period_by."""
    fig, ax = plt.subplots()
    width = 5 if period_name == "week" else 25
    bottom = pd.Series(0, index=table.index)
    for category in table.columns:
        ax.bar(table.index, table[category], width=width, align="edge", bottom=bottom,
               color=_colour(column, category), label=vocabulary_label(column, category))
        bottom = bottom + table[category]
    ax.set_ylabel(f"attacks per {period_name}")
    ax.set_ylim(0, max(1, bottom.max()) * 1.15)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), title=column.replace("_", " "))
    return _finish_time_chart(fig, ax, milestones, title, source, incomplete, legend=False)


@recorded
def time_pattern_chart(by_time: pd.DataFrame, unknown_time: int, by_day: pd.DataFrame,
                       title: str, source: str):
    """Two panels: attacks per three-hour band of local time (where known) and per weekday."""
    if plt.rcParams["figure.figsize"][0] < 10:  # a phone: one panel above the other
        fig, (left, right) = plt.subplots(2, 1, figsize=(FIGSIZE_NARROW_PANELS))
    else:
        fig, (left, right) = plt.subplots(1, 2, gridspec_kw={"width_ratios": [4, 3]})
    left.bar(by_time["local_time"].astype(str), by_time["attacks"], color=ATTACKS_COLOUR)
    left.set_xlabel("local time (hours)")
    left.set_ylabel("attacks")
    left.set_title(f"time reported for {int(by_time['attacks'].sum())}; unknown for "
                   f"{unknown_time}", fontsize=17, fontweight="normal", loc="left")
    left.tick_params(axis="x", labelsize=13, rotation=45 if _narrow(fig) else 0)
    right.bar([d[:3] for d in by_day["day"]], by_day["attacks"], color=ATTACKS_COLOUR)
    right.set_xlabel("day of week (local date)")
    if _narrow(fig):  # one above the other: each panel says what it counts
        right.set_ylabel("attacks")
    for axis in (left, right):
        axis.yaxis.get_major_locator().set_params(integer=True)
    if _narrow(fig):
        title = _wrap_title(fig, title, 17)
    fig.suptitle(title, x=0.01, ha="left", fontsize=17 if _narrow(fig) else 24,
                 fontweight="bold")
    footer = textwrap.fill(source, _footer_width(fig))
    notes = fig.text(0.01, 0.01, footer, fontsize=FOOTER_SIZE, color="#444444", ha="left",
                     va="bottom")
    bottom = 0.04
    if _narrow(fig):  # above the notes as set: an estimate from their lines ran long
        top_of_notes = notes.get_window_extent(fig.canvas.get_renderer()).y1
        bottom = top_of_notes / (fig.get_figheight() * fig.dpi) + 0.015
    fig.tight_layout(rect=(0, bottom, 1, 1))
    return fig


@recorded
def projectiles_chart(per_period: pd.DataFrame, period_name: str, title: str, source: str,
                      milestones: pd.DataFrame | None = None, incomplete=None):
    """Projectiles fired per period: bars at the low figure, a line up to the high figure
    where sources disagree. ``per_period`` from frequency.projectiles_per_period."""
    fig, ax = plt.subplots()
    width = 5 if period_name == "week" else 25
    ax.bar(per_period["period_start"], per_period["fired_low"], width=width, align="edge",
           color=ATTACKS_COLOUR, label="projectiles fired (lowest figure)")
    spread = per_period[per_period["fired_high"] > per_period["fired_low"]]
    centres = spread["period_start"] + pd.Timedelta(days=width / 2)
    ax.vlines(centres, spread["fired_low"], spread["fired_high"], color=TREND_COLOUR,
              linewidth=4, label="up to the highest figure reported")
    ax.set_ylabel(f"projectiles per {period_name}")
    ax.yaxis.get_major_locator().set_params(integer=True)
    return _finish_time_chart(fig, ax, milestones, title, source, incomplete)


@recorded
def map_chart(by_site: pd.DataFrame, countries: dict, cities: pd.DataFrame, title: str,
              source: str):
    """Iraq with every place of the selection's attacks as a circle sized by its attack count,
    labelled, beside a zoom on the Baghdad area (embassy, airport, Taji, Union III), where
    the sites sit too close to label on the country map.

    ``by_site`` from frequency.attacks_by_site, placed by geography.place_sites: sites whose
    coordinates a source gives are solid circles; those known only by province or route
    (``approximate``) are hollow dashed circles at their anchor. A site with no place at all
    is listed under the map."""
    from matplotlib.patches import Rectangle

    if plt.rcParams["figure.figsize"][0] < 10:
        # a phone: the country map across the width and the Baghdad area under it (side by
        # side, two narrow frames left bands of empty sky and no room for labels)
        fig, (ax, zoom) = plt.subplots(2, 1, figsize=FIGSIZE_NARROW_MAP,
                                       gridspec_kw={"height_ratios": [1, 0.62]})
    else:
        fig, (ax, zoom) = plt.subplots(1, 2, gridspec_kw={"width_ratios": [1.15, 1]})
    for axis in (ax, zoom):
        _draw_countries(axis, countries)
    placed = by_site.dropna(subset=["latitude", "longitude"]).copy()
    if "approximate" not in placed:
        placed["approximate"] = False
    placed["approximate"] = placed["approximate"].fillna(False).astype(bool)
    largest = max(1, placed["attacks"].max()) if len(placed) else 1
    placed["size"] = 120 + 2200 * placed["attacks"] / largest
    west, east, south, north = BAGHDAD_BOX
    in_box = placed["longitude"].between(west, east) & placed["latitude"].between(south, north)
    spread = _spread_shared(placed[in_box])
    placed.loc[spread.index, ["longitude", "latitude"]] = spread[["longitude", "latitude"]]
    city_labels, site_labels = [], []
    for axis, rows, cities_shown in ((ax, placed, cities),
                                     (zoom, placed[in_box], cities[cities["name"] == "Baghdad"])):
        for city in cities_shown.itertuples(index=False):
            square, = axis.plot(city.longitude, city.latitude, marker="s", markersize=5,
                                color=CITY_COLOUR, zorder=3, gid="city")
            city_labels.append(axis.annotate(city.name, (city.longitude, city.latitude),
                                             xytext=(5, -12), textcoords="offset points",
                                             fontsize=13, color=CITY_COLOUR, zorder=3))
            city_labels[-1]._house_square = square  # shown or hidden with its name
        for approximate, style in ((False, {"color": ATTACKS_COLOUR, "alpha": 0.55,
                                            "edgecolor": "black", "linewidth": 0.8}),
                                   (True, {"facecolor": "white", "alpha": 0.9,
                                           "edgecolor": ATTACKS_COLOUR, "linewidth": 2.2,
                                           "linestyle": (0, (3, 2))})):
            chosen = rows[rows["approximate"] == approximate]
            if len(chosen):
                axis.scatter(chosen["longitude"], chosen["latitude"], s=chosen["size"],
                             zorder=4, gid="sites" if axis is ax else "sites-zoom", **style)
        labelled = rows if axis is zoom else rows[~in_box]
        for site in labelled.itertuples(index=False):
            radius = (site.size ** 0.5) / 2
            # a leader line, from the label to the circle's edge, for a label set further out
            site_labels.append((axis, axis.annotate(
                f"{site.label} ({site.attacks})", (site.longitude, site.latitude),
                xytext=(0, 0), textcoords="offset points", fontsize=14, fontweight="bold",
                zorder=5, arrowprops={"arrowstyle": "-", "color": "#555555", "linewidth": 0.8,
                                      "shrinkA": 1, "shrinkB": radius}), radius))
    ax.add_patch(Rectangle((west, south), east - west, north - south, fill=False,
                           edgecolor="black", linewidth=1.2, zorder=6))
    frames = {ax: (38.6, 48.7, 29.0, 37.45), zoom: BAGHDAD_BOX}
    for axis in (ax, zoom):
        _fill_frame(axis, *frames[axis])
        axis.set_axis_off()  # a map frame, not degree axes
        axis.xaxis.set_visible(False)  # nor their ticks, which a layout would still measure
        axis.yaxis.set_visible(False)
        axis.add_patch(Rectangle((0, 0), 1, 1, transform=axis.transAxes, fill=False,
                                 edgecolor="#888888", linewidth=1, zorder=6))
    # inside the zoom's frame, so that the chart's title may run across the whole width
    narrow = _narrow(fig)
    zoom.text(0.98, 0.03 if not narrow else 0.97,
              "Baghdad area" + ("\n(the box on the map)" if not narrow else ""),
              transform=zoom.transAxes, ha="right", va="bottom" if not narrow else "top",
              fontsize=16, color="#444444", zorder=6, gid="fixed")
    for name, (lon, lat) in NEIGHBOUR_LABELS.items():
        city_labels.append(ax.text(lon, lat, name.upper(), fontsize=14, color="#888888",
                                   ha="center", va="center", zorder=2))
    scale_bars = _scale_bar(ax, 100) + _scale_bar(zoom, 10)
    for text in ax.texts + zoom.texts:  # placed inside the frames: no room kept outside
        text.set_in_layout(False)
    if placed["approximate"].any():
        _footer(fig).append(
            "Circle area: attacks. Hollow circles: attacks that sources place only in a "
            "province or on a route between two, drawn at the provincial capital (GeoNames) or "
            "midway between two capitals: the place is approximate.")
    missing = by_site[by_site["latitude"].isna() & ~by_site["site_id"].isin(placed["site_id"])]
    note = ""
    if len(missing):
        note = ("Not on the map (no place in the sources): " + ", ".join(
            f"{s.label} ({s.attacks})" for s in missing.itertuples(index=False)) + ".")
    base = [*_footer(fig)]
    fig = _finish(fig, title, note + "\n" + source if note else source)
    tail = fig._house_key[len(base):]  # the notes and the source line
    sizes = {c: c.get_sizes() for axis in (ax, zoom) for c in axis.collections}

    def unlabelled(hidden):
        return ["Circles not labelled for lack of room: " + ", ".join(hidden) + "."
                ] if hidden else []

    def relayout():
        # the two frames side by side across the width, at the height the layout left them
        # (a layout that knows nothing of map aspects would leave gaps or overlap them); on
        # a phone, one above the other as the layout left them
        if not narrow:
            box = ax.get_position(original=True)
            ax.set_position([0.01, box.y0, 0.535, box.height])
            zoom.set_position([0.565, box.y0, 0.425, box.height])
        for axis in (ax, zoom):
            _fill_frame(axis, *frames[axis])
        # at the limits the frames now have, in the type size they have now (a slide's is
        # larger)
        size = scale_bars[1].get_fontsize()
        for artist in scale_bars:
            artist.remove()
        scale_bars[:] = _scale_bar(ax, 100, size) + _scale_bar(zoom, 10, size)
        # circles in proportion to the drawing (a slide's is smaller than the page's)
        for collection, base_sizes in sizes.items():
            collection.set_sizes(base_sizes * min(1.0, fig.get_figheight() / FIGSIZE[1]) ** 1.5)
        hidden = _place_site_labels(fig, site_labels)
        _drop_colliding_city_labels(fig, [ax, zoom], city_labels)
        fig._house_key = base + unlabelled(hidden) + tail  # the key names what is unlabelled
        return hidden

    hidden, printed = relayout(), []
    for _ in range(3):  # print the key that names them, lay out again, until it holds
        if hidden == printed:
            break
        for text in list(fig.texts):
            text.remove()
        fig._house_footer = base + unlabelled(hidden)
        fig = _finish(fig, title, note + "\n" + source if note else source)
        printed, hidden = hidden, relayout()
    # drawn at another size (a slide), the labels are placed again
    fig._house_relayout = [relayout]
    return fig


BAGHDAD_BOX = (44.0, 44.8, 33.08, 33.68)  # west, east, south, north: the zoom's frame


def _fill_frame(ax, west: float, east: float, south: float, north: float) -> None:
    """Show at least [west, east] x [south, north], widened in one direction so that the map
    fills its frame at the map's aspect (about 1/cos(latitude) near 33 N)."""
    aspect = 1 / 0.83
    box = ax.get_position(original=True)  # the frame the layout gave, before any shrink
    ratio = (box.height * ax.figure.get_figheight()) / (box.width * ax.figure.get_figwidth())
    lon, lat = east - west, north - south
    if ratio > aspect * lat / lon:  # a frame taller than the area: show more to north and south
        extra = (ratio * lon / aspect - lat) / 2
        south, north = south - extra, north + extra
    else:
        extra = (aspect * lat / ratio - lon) / 2
        west, east = west - extra, east + extra
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(aspect, adjustable="box")


def _draw_countries(ax, countries: dict) -> None:
    from matplotlib.patches import Polygon

    for feature in countries["features"]:
        geometry = feature["geometry"]
        polygons = (geometry["coordinates"] if geometry["type"] == "MultiPolygon"
                    else [geometry["coordinates"]])
        is_iraq = feature["properties"]["iso_a3"] == "IRQ"
        for polygon in polygons:
            ax.add_patch(Polygon(polygon[0], closed=True, zorder=0 if not is_iraq else 1,
                                 facecolor="#f2f2f2" if is_iraq else "#fafafa",
                                 edgecolor="#666666" if is_iraq else "#bbbbbb",
                                 linewidth=1.5 if is_iraq else 0.8))


def _spread_shared(rows: pd.DataFrame, step: float = 0.075) -> pd.DataFrame:
    """Sites drawn at one anchor (several known only as 'Baghdad province') set side by side
    to the north-east of it, in a row, so that each stays visible; the others unchanged."""
    rows = rows[["longitude", "latitude"]].copy()
    for _, group in rows.groupby(["longitude", "latitude"]):
        for k, index in enumerate(group.index[1:], start=1):
            rows.loc[index, "longitude"] += step * k
            rows.loc[index, "latitude"] += step * 0.6 * k
    return rows


# Where a site label may go around its circle: right, left, above, below, then the corners.
LABEL_SPOTS = ((1, 0, "left", "center"), (-1, 0, "right", "center"),
               (0, 1, "center", "bottom"), (0, -1, "center", "top"),
               (0.7, 0.7, "left", "bottom"), (-0.7, 0.7, "right", "bottom"),
               (0.7, -0.7, "left", "top"), (-0.7, -0.7, "right", "top"))


def _place_site_labels(fig, site_labels) -> list[str]:
    """Each site label (most attacked first) goes to the first spot around its circle where it
    runs into no other label or circle and stays inside its map; one with no such spot is
    hidden. Returns the hidden labels' texts."""
    from matplotlib.text import Text

    renderer = fig.canvas.get_renderer()
    for axis in {axis for axis, _, _ in site_labels}:
        axis.apply_aspect()
    circles = []
    for axis in {axis for axis, _, _ in site_labels}:
        for collection in axis.collections:
            if collection.get_gid() in ("sites", "sites-zoom"):
                sizes = collection.get_sizes()
                for k, point in enumerate(axis.transData.transform(collection.get_offsets())):
                    r = (sizes[k % len(sizes)] ** 0.5) / 2 * fig.dpi / 72
                    circles.append((axis, point, r))
        for line in axis.lines:  # the cities' squares
            if line.get_gid() == "city":
                point = axis.transData.transform(line.get_xydata()[0])
                circles.append((axis, point, 5 * fig.dpi / 72))
    # the scale bars' and the zoom's own texts stay where they are: labels keep off them
    taken = [Text.get_window_extent(t, renderer) for axis in {a for a, _, _ in site_labels}
             for t in axis.texts if t.get_gid() == "fixed"]
    hidden = []
    for axis, label, radius in sorted(site_labels, key=lambda item: -item[2]):
        frame = axis.get_window_extent(renderer)
        best = None
        label.set_visible(True)
        # the circle as drawn: relayout scales the areas with the drawing's height
        shown_radius = radius * min(1.0, fig.get_figheight() / FIGSIZE[1]) ** 0.75
        label.arrow_patch.shrinkB = shown_radius
        for ring, (dx, dy, ha, va) in [(ring, spot) for ring in (0, 1) for spot in LABEL_SPOTS]:
            gap = shown_radius + 3 + ring * 1.6 * label.get_fontsize()
            label.xyann = (dx * gap, dy * gap)
            label.set_ha(ha)
            label.set_va(va)
            label.update_positions(renderer)
            box = Text.get_window_extent(label, renderer)
            inside = (box.x0 >= frame.x0 and box.x1 <= frame.x1 and box.y0 >= frame.y0
                      and box.y1 <= frame.y1)
            clear = not any(box.overlaps(other) for other in taken) and not any(
                _box_hits_circle(box, point, r) for a, point, r in circles if a is axis)
            if inside and clear:
                best = (dx * gap, dy * gap, ha, va, ring)
                break
        if best is None:
            label.set_visible(False)  # each site has one label, on the map or the zoom
            hidden.append(label.get_text())
            continue
        dx, dy, ha, va, ring = best
        label.arrow_patch.set_visible(ring > 0)  # a leader line only for a label set apart
        label.xyann = (dx, dy)
        label.set_ha(ha)
        label.set_va(va)
        label.update_positions(renderer)
        taken.append(Text.get_window_extent(label, renderer))
    return hidden


def _box_hits_circle(box, centre, radius) -> bool:
    x = min(max(centre[0], box.x0), box.x1)
    y = min(max(centre[1], box.y0), box.y1)
    return (x - centre[0]) ** 2 + (y - centre[1]) ** 2 < (radius - 1) ** 2


# Where each neighbour's name sits inside the map frame (longitude, latitude).
NEIGHBOUR_LABELS = {"Iran": (47.6, 34.6), "Syria": (39.3, 34.6), "Turkey": (41.5, 37.2),
                    "Saudi Arabia": (42.0, 29.5), "Jordan": (38.9, 31.6),
                    "Kuwait": (47.6, 29.3)}


def _scale_bar(ax, km: int, fontsize: float = 13) -> list:
    """A bar ``km`` long in the lower left of the map (111.3 km per degree of longitude
    times cos 33), its length labelled above its left end; placed by the map's limits as
    they are now (call again after they change). Returns its artists."""
    from matplotlib.transforms import blended_transform_factory

    degrees = km / (111.32 * 0.839)
    left, right = ax.get_xlim()
    x = left + (right - left) * 0.04
    place = blended_transform_factory(ax.transData, ax.transAxes)
    bar, = ax.plot([x, x + degrees], [0.04, 0.04], color="black", linewidth=3, zorder=5,
                   transform=place)
    label = ax.text(x, 0.055, f"{km} km", ha="left", va="bottom", fontsize=fontsize, zorder=5,
                    transform=place, gid="fixed")
    label.set_in_layout(False)
    return [bar, label]


def _drop_colliding_city_labels(fig, axes, city_labels) -> None:
    """City and country names are for orientation only: hide any that would run into a
    site label, a circle or an earlier name (site labels and circles carry the data), and
    the square of a city whose name is hidden."""
    from matplotlib.text import Annotation, Text

    def show(label, visible: bool) -> None:
        label.set_visible(visible)
        # a city's square without its name is a mark nobody can read
        square = getattr(label, "_house_square", None)
        if square is not None:
            square.set_visible(visible)

    for label in city_labels:
        show(label, True)
    renderer = fig.canvas.get_renderer()  # measured, not drawn: a chart is drawn once
    kept, circles = [], []
    for ax in axes:
        ax.apply_aspect()  # the map's frame as it will be drawn, after the last layout
        for text in ax.texts:
            if isinstance(text, Annotation):
                text.update_positions(renderer)
        # the text alone, not an annotation's leader line
        kept += [Text.get_window_extent(t, renderer) for t in ax.texts
                 if t not in city_labels]
        legend = ax.get_legend()
        if legend is not None:
            kept.append(legend.get_window_extent(renderer))
        for collection in ax.collections:
            if collection.get_gid() in ("sites", "sites-zoom"):
                sizes = collection.get_sizes()
                for k, point in enumerate(ax.transData.transform(collection.get_offsets())):
                    circles.append((point, (sizes[k % len(sizes)] ** 0.5) / 2 * fig.dpi / 72))
    for label in city_labels:
        box = Text.get_window_extent(label, renderer)
        frame = label.axes.get_window_extent(renderer)
        outside = box.x0 < frame.x0 or box.x1 > frame.x1 or box.y0 < frame.y0 or box.y1 > frame.y1
        if (outside or any(box.overlaps(other) for other in kept)
                or any(_box_hits_circle(box, point, r) for point, r in circles)):
            show(label, False)
        else:
            kept.append(box)


@recorded
def cumulative_chart(cumulative: pd.DataFrame, press: pd.DataFrame, title: str, source: str,
                     milestones: pd.DataFrame | None = None, incomplete=None):
    """Our running total of attacks against the running counts the press reported."""
    fig, ax = plt.subplots()
    ax.step(cumulative["date"], cumulative["cumulative"], where="post", color=ATTACKS_COLOUR,
            linewidth=3, label="attacks in this dataset (running total)")
    if len(press):
        ax.scatter(pd.to_datetime(press["report_date"]), press["press_count"], color=PRESS_COLOUR,
                   s=110, zorder=3, label="running count reported by the press")
    ax.set_ylabel("attacks since the start of the window")
    ax.set_ylim(0, max(1, cumulative["cumulative"].max(),
                       press["press_count"].max() if len(press) else 0) * 1.1)
    ax.yaxis.get_major_locator().set_params(integer=True)
    return _finish_time_chart(fig, ax, milestones, title, source, incomplete)


GROUP_COLOURS = CATEGORY_COLOURS["casualty_group"]


@recorded
def cumulative_casualties_chart(cumulative: pd.DataFrame, labels: dict[str, str], title: str,
                                source: str, milestones: pd.DataFrame | None = None,
                                incomplete=None):
    """Two panels sharing the time axis: running totals of people killed (top) and wounded
    (bottom), one step line per group; ``cumulative`` from casualties.cumulative_casualties."""
    fig, (top, bottom) = plt.subplots(2, 1, sharex=True)
    for axis, outcome in ((top, "killed"), (bottom, "wounded")):
        for group, label in labels.items():
            series = cumulative[f"{outcome}_{group}"]
            if series.iloc[-1] == 0:
                continue
            axis.step(cumulative["date"], series, where="post", linewidth=3,
                      color=GROUP_COLOURS[group], label=f"{label} ({series.iloc[-1]})")
        axis.set_ylabel(f"{outcome} (running total)", fontsize=15)
        axis.set_ylim(0, max(1, axis.get_ylim()[1]) * 1.1)
        axis.yaxis.get_major_locator().set_params(integer=True)
        if axis.get_legend_handles_labels()[0]:
            axis.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=14)
    _date_axis(bottom)
    _shade_incomplete(top, incomplete)
    _shade_incomplete(bottom, incomplete, key=False)
    if milestones is not None:
        _mark_milestones(top, milestones)
        left, right = bottom.get_xlim()
        for cluster in milestone_clusters(milestones, _milestone_gap(bottom)):
            bottom.axvline(cluster["date"].min(), color=MILESTONE_COLOUR, linewidth=1,
                           alpha=0.3, zorder=1)
    return _finish(fig, title, source)


@recorded
def revision_chart(series: pd.DataFrame, title: str, source: str):
    """How reported figures changed: one step line per group and measure against the date of
    the report; ``series`` from casualties.revision_series."""
    fig, ax = plt.subplots()
    palette = [OKABE_ITO[k] for k in ("blue", "vermillion", "green", "purple", "orange",
                                      "sky_blue", "black")]
    end_labels = []
    for number, (label, rows) in enumerate(series.groupby("series", sort=False)):
        colour = palette[number % len(palette)]
        # every report in the order it came, so the first point is the first report
        rows = rows.sort_values("report_date", kind="stable")
        ax.step(rows["report_date"], rows["figure"], where="post", linewidth=3, color=colour,
                marker="o", markersize=9, label=label)
        last = rows.iloc[-1]
        end_labels.append(ax.annotate(f"{last['figure']}", (last["report_date"], last["figure"]),
                                      xytext=END_LABEL_SPOTS[0][0], textcoords="offset points",
                                      ha=END_LABEL_SPOTS[0][1], va=END_LABEL_SPOTS[0][2],
                                      fontsize=15, color=colour))
    ax.set_ylabel("people, as reported")
    ax.set_xlabel("date of the report")
    first, last = series["report_date"].min(), series["report_date"].max()
    pad = max(pd.Timedelta(days=3), (last - first) * 0.06)
    ax.set_xlim(first - pad, last + pad)
    # ticks only between the first and the last report: one at the axis' edge would run into
    # the lowest y tick label
    import math

    # whole days only: a short span would get hourly ticks that all print the same date
    ticks = [math.floor(t) for t in
             mdates.AutoDateLocator(minticks=2 if _narrow(fig) else 3,
                                 maxticks=3 if _narrow(fig) else 6).tick_values(first, last)
             if mdates.date2num(first) <= math.floor(t) <= mdates.date2num(last)]
    if len(ticks) < 2:
        ticks = [mdates.date2num(first), mdates.date2num(last)]
    days = sorted({day.normalize() for day in series["report_date"]})
    # reports within a few days of one month (K1's on 28 and 29 Dec 2019): each report's day
    # as the tick, the month and year in the axis label; "28 Dec 2019" twice would not fit
    # a phone, and one of the two dates was left out
    one_month = (len(days) > 1 and last - first <= pd.Timedelta(days=10)
                 and len({(day.year, day.month) for day in days}) == 1)
    if one_month:
        ticks = [mdates.date2num(day) for day in days]
        ax.set_xlabel(f"date of the report ({days[0]:%b %Y})")
    if _narrow(fig):  # on a phone, dates closer than a third of the axis would touch
        # (a day's number alone: an eighth)
        spaced, third = [min(ticks)], (mdates.date2num(last + pad)
                                       - mdates.date2num(first - pad)) / (8 if one_month else 3)
        for tick in sorted(set(ticks)):
            if tick - spaced[-1] >= third:
                spaced.append(tick)
        ticks = spaced
    ax.xaxis.set_major_locator(FixedLocator(sorted(set(ticks))))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d" if one_month else "%d %b\n%Y"))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_ylim(0, max(1, series["figure"].max()) * 1.15)
    ax.yaxis.get_major_locator().set_params(integer=True)
    for label in end_labels:
        # placed inside the plot (below): the layout need not make room for them, and an
        # annotation not yet drawn at a new size would be measured where it was
        label.set_in_layout(False)
    _finish(fig, title, source)
    _place_end_labels(fig, ax, end_labels)
    # the slide draws the chart at another size and type size: the free spots change
    fig._house_relayout = [lambda: _place_end_labels(fig, ax, end_labels)]
    return fig


# Where a series' end figure may go, in order of preference: right of its last point, above,
# below, left (offset in points, alignment). Two series often end or start on the same
# report (Ain al-Asad's wounded end at 11 where its evacuated begin): the first spot would
# put one series' figure on the other's line.
END_LABEL_SPOTS = [((7, 0), "left", "center"), ((0, 8), "center", "bottom"),
                   ((0, -8), "center", "top"), ((-7, 0), "right", "center"),
                   ((7, 8), "left", "bottom"), ((7, -8), "left", "top")]


def _place_end_labels(fig, ax, labels) -> None:
    """Each end label at the first spot of END_LABEL_SPOTS where it stays inside the plot and
    touches no line, marker or end label already placed; the first spot if none is free.
    Measured on the laid-out figure, so it holds at the size the chart is drawn at."""
    from matplotlib.cbook import pts_to_poststep
    from matplotlib.path import Path as GeometryPath

    renderer = fig.canvas.get_renderer()
    plot = ax.get_window_extent(renderer)
    lines = []
    for line in ax.get_lines():
        xy = line.get_xydata()
        if line.get_drawstyle() == "steps-post":
            xy = pts_to_poststep(xy[:, 0], xy[:, 1]).T
        # markers as well as the path: a marker is the line's radius wider than its point
        radius = line.get_markersize() / 2 * fig.dpi / 72
        lines.append((GeometryPath(ax.transData.transform(xy)),
                      ax.transData.transform(line.get_xydata()), radius))

    def put(label, spot):
        offset, ha, va = spot
        label.set_position(offset)
        label.set_ha(ha)
        label.set_va(va)
        label.update_positions(renderer)  # an annotation works out its place when drawn
        # the text alone: an annotation's own extent would include its anchor point
        return matplotlib.text.Text.get_window_extent(label, renderer)

    placed = []
    for label in labels:
        for spot in END_LABEL_SPOTS:
            box = put(label, spot)
            if _spot_is_free(box, plot, lines, placed):
                break
        else:
            box = put(label, END_LABEL_SPOTS[0])
        placed.append(box)


def _spot_is_free(box, plot, lines, placed) -> bool:
    if box.x0 < plot.x0 or box.x1 > plot.x1 or box.y0 < plot.y0 or box.y1 > plot.y1:
        return False
    if any(box.overlaps(other) for other in placed):
        return False
    for path, points, radius in lines:
        if path.intersects_bbox(box, filled=False):
            return False
        grown = box.padded(radius)
        if any(grown.contains(x, y) for x, y in points):
            return False
    return True


SMALL_SAMPLE = 3  # fewer attacks than this in a period: a share or a mean says little
N_NOTE_NARROW = "The table under the chart gives the attacks in each"  # no room for n= on a phone


@recorded
def lethality_chart(lethality: pd.DataFrame, period_name: str, title: str, source: str,
                    incomplete=None):
    """Share of attacks that caused casualties (bars) and people killed or wounded per attack
    (line, right axis), per period."""
    fig, ax = plt.subplots()
    width = 5 if period_name == "week" else 25
    # the share and the mean are over the attacks with a casualty figure: n counts those
    small = lethality["attacks_with_figure"] < SMALL_SAMPLE
    ax.bar(lethality["period_start"], 100 * lethality["share_with_casualties"].fillna(0),
           width=width, align="edge",
           color=[OKABE_ITO["grey"] if s else OUTCOME_COLOURS["wounded"] for s in small])
    counted = (zip(lethality["period_start"], lethality["attacks_with_figure"])
               if not _narrow(fig) else ())  # no room for n= on a phone: the table has it
    for start, n in counted:
        ax.text(start + pd.Timedelta(days=width / 2), 101, f"n={n}", ha="center",
                va="bottom", fontsize=11, color="#444444")
    ax.set_ylabel("attacks that killed or wounded someone (%)",
                  color=OUTCOME_COLOURS["wounded"], fontsize=15)
    ax.set_ylim(0, 112)
    right = ax.twinx()
    right.plot(lethality["period_start"] + pd.Timedelta(days=width / 2),
               lethality["casualties_per_attack"], color=OUTCOME_COLOURS["killed"], marker="o",
               linewidth=3, label="people killed or wounded per attack")
    right.set_ylabel("people killed or wounded per attack (line)",
                     color=OUTCOME_COLOURS["killed"], fontsize=15)
    right.set_ylim(0, _axis_top(lethality["casualties_per_attack"]) * 1.15)
    right.grid(False)
    right.spines["right"].set_visible(True)
    _footer(fig).append((f"n: attacks in the {period_name}" if not _narrow(fig) else
                         f"{N_NOTE_NARROW} {period_name}: those")
                        + " for which a source gives a casualty figure (the share and the line "
                        f"are over them). Grey bars: fewer than {SMALL_SAMPLE}, too few for a "
                        "share to mean much.")
    return _finish_time_chart(fig, ax, None, title, source, incomplete, legend=False)


@recorded
def tempo_by_series_chart(gaps: pd.DataFrame, title: str, source: str,
                          milestones: pd.DataFrame | None = None, open_months=None):
    """Days since the previous attack of the same series (dots) with the rolling median, one
    panel per series; ``gaps`` from escalation.days_between_attacks_by_series."""
    fig, panels = _series_panels(gaps)
    for ax, name, rows in panels:
        ax.scatter(rows["date"], rows["days_since_previous"], s=45, color=ATTACKS_COLOUR,
                   alpha=0.6, label="days since the previous attack of the series")
        ax.plot(rows["date"], rows["rolling_median"], color=TREND_COLOUR, linewidth=3,
                label="rolling median (5 attacks)")
        _hatch_open_months(ax, (open_months or {}).get(name, []), 31)
    _open_months_key(fig, panels, open_months)
    panels[0][0].legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=14)
    if "attacks" in gaps and len(gaps) and gaps["attacks"].max() > 1:
        _footer(fig).append("One dot per series and day (too many attacks for one each): "
                            "the longest gap of the day.")
    top = gaps["days_since_previous"].max() if len(gaps) else 1
    return _finish_series_panels(fig, panels, title, source, milestones, "days between",
                                 top if pd.notna(top) else 1)


def _axis_top(values: pd.Series) -> float:
    """The largest value, at least 1; a column of unknowns (NA) gives 1."""
    largest = pd.to_numeric(values, errors="coerce").astype(float).max()
    return max(1.0, largest) if pd.notna(largest) else 1.0


@recorded
def intensity_chart(intensity: pd.DataFrame, title: str, source: str, incomplete=None):
    """Two panels per month: projectiles per attack and people killed or wounded per attack."""
    fig, (top, bottom) = plt.subplots(2, 1, sharex=True)
    # each mean is over the attacks that give its figure: each panel shows its own n
    counted = {top: intensity["attacks_with_projectile_count"],
               bottom: intensity["attacks_with_casualty_figure"]}
    top.bar(intensity["period_start"], intensity["projectiles_per_attack"].fillna(0), width=25,
            align="edge", color=[OKABE_ITO["grey"] if n < SMALL_SAMPLE else ATTACKS_COLOUR
                                 for n in counted[top]])
    top.set_ylabel("projectiles\nper attack", fontsize=15)
    bottom.bar(intensity["period_start"], intensity["casualties_per_attack"].fillna(0),
               width=25, align="edge",
               color=[OKABE_ITO["grey"] if n < SMALL_SAMPLE else OUTCOME_COLOURS["killed"]
                      for n in counted[bottom]])
    bottom.set_ylabel("killed or wounded\nper attack", fontsize=15)
    top.set_ylim(0, _axis_top(intensity["projectiles_per_attack"]) * 1.25)
    bottom.set_ylim(0, _axis_top(intensity["casualties_per_attack"]) * 1.25)
    for axis, numbers in counted.items() if not _narrow(fig) else ():  # a phone: the table
        for start, n in zip(intensity["period_start"], numbers):
            axis.annotate(f"n={n}", (start + pd.Timedelta(days=12.5), 1),
                          xycoords=("data", "axes fraction"), xytext=(0, -4),
                          textcoords="offset points", ha="center", va="top", fontsize=11,
                          color="#444444")
    _date_axis(bottom)
    _shade_incomplete(top, incomplete)
    _shade_incomplete(bottom, incomplete, key=False)
    _footer(fig).append(("n: attacks in the month" if not _narrow(fig) else
                         f"{N_NOTE_NARROW} month: those")
                        + " that give the panel's figure (a projectile count above, a "
                        "casualty figure below), which the mean is over. Grey bars: fewer than "
                        f"{SMALL_SAMPLE}, too few for a mean to mean much.")
    return _finish(fig, title, source)


@recorded
def rate_ratio_chart(rates: pd.DataFrame, window_days: int, title: str, source: str):
    """Forest plot: the rate ratio after/before each milestone with its 95% interval, on a
    log scale; the dashed line at 1 means no change."""
    import numpy as np

    fig, ax = plt.subplots()
    shown = rates.iloc[::-1].reset_index(drop=True)
    if _narrow(fig):  # two lines of label a row (below): room for them, the notes come on top
        fig.set_figheight(max(fig.get_figheight(), 2.6 + 0.62 * len(shown)))
    finite = shown["rate_ratio"].replace([np.inf], np.nan)
    low = shown["ci_low"].clip(lower=0.02)
    high = shown["ci_high"].replace([np.inf], 200).clip(upper=200)
    for y, row in shown.iterrows():
        excludes = row["ci_low"] > 1 or row["ci_high"] < 1
        colour = TREND_COLOUR if excludes else ATTACKS_COLOUR
        ax.plot([low[y], high[y]], [y, y], color=colour, linewidth=4)
        if pd.notna(finite[y]) and finite[y] > 0:
            ax.plot(finite[y], y, "o", color=colour, markersize=12)
    ax.axvline(1, color=MILESTONE_COLOUR, linestyle="--", linewidth=1.5)
    ax.set_xscale("log")
    ax.set_xlim(0.02, 250)
    # plain numbers: a log axis would otherwise print mathtext, shown raw as text.parse_math
    # is off
    ticks = ([0.1, 1, 10, 100] if _narrow(fig)
             else [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200])
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_locator(FixedLocator([]))
    # on a phone the date goes under the name: one line each would leave the plot a third
    # of the width, too little for its scale
    ax.set_yticks(range(len(shown)),
                  [f"{r.milestone}\n{r.date:%d %b %Y}" if _narrow(fig)
                   else f"{r.milestone} ({r.date:%d %b %Y})" for r in shown.itertuples()])
    ax.set_xlabel(f"rate in the {window_days} days after / rate in the {window_days} days "
                  "before (log scale)")
    ax.grid(axis="y", visible=False)
    note = ("Bars: exact 95% interval of the ratio, vermillion where the interval excludes 1. "
            "No dot where the ratio cannot sit on a log axis: no attack before (infinite) or "
            "none after (zero).")
    return _finish(fig, title, note + "\n" + source)


@recorded
def phases_chart(counts: pd.DataFrame, phases: pd.DataFrame, title: str, source: str,
                 milestones: pd.DataFrame | None = None, incomplete=None):
    """Weekly attack counts with the phases of constant rate shaded and each phase's mean
    weekly rate drawn across it."""
    fig, ax = plt.subplots()
    ax.bar(counts["period_start"], counts["attacks"], width=5, align="edge",
           color=ATTACKS_COLOUR, alpha=0.75, label="attacks per week")
    for i, phase in enumerate(phases.itertuples(index=False)):
        ax.axvspan(phase.start, phase.end + pd.Timedelta(days=1),
                   color=OKABE_ITO["grey"], alpha=0.12 if i % 2 else 0.0, zorder=0)
        ax.hlines(phase.weekly_rate, phase.start, phase.end + pd.Timedelta(days=1),
                  color=TREND_COLOUR, linewidth=4, label="phase mean rate" if i == 0 else None)
        # a label only where the phase is wide enough to hold it; the table lists every one
        # (on a phone's axis a phase needs twice the days to hold it)
        if (phase.end - phase.start).days >= (42 if _narrow(fig) else 21):
            # on a white box: the label sits over the bars of its phase
            ax.annotate(f"{phase.weekly_rate:.1f}/wk", (phase.start, phase.weekly_rate),
                        xytext=(3, 6), textcoords="offset points", fontsize=14,
                        color=TREND_COLOUR, zorder=5,
                        bbox={"boxstyle": "round,pad=0.15", "facecolor": "white",
                              "edgecolor": "none", "alpha": 0.85})
    ax.set_ylabel("attacks per week")
    top = max(1, counts["attacks"].max()) * 1.2
    ax.set_ylim(0, top)
    ax.yaxis.get_major_locator().set_params(integer=True)
    # a burst of a few days can run at a weekly rate above every weekly bar: its line would be
    # off the chart, so it is marked at the top with what happened
    for phase in phases[phases["weekly_rate"] > top].itertuples(index=False):
        days = (phase.end - phase.start).days + 1
        middle = phase.start + (phase.end - phase.start) / 2 + pd.Timedelta(hours=12)
        ax.annotate(f"{phase.start:%d %b}" + (f"-{phase.end:%d %b}" if days > 1 else "")
                    + (":\n" if _narrow(fig) else ": ")  # a phone: two short lines
                    + f"{phase.attacks} attacks in {days} day{'s' if days != 1 else ''} "
                    f"({phase.weekly_rate:.0f}/wk) \u2191", (middle, top), xytext=(-4, -4),
                    textcoords="offset points", ha="center" if _narrow(fig) else "right",
                    va="top", fontsize=14, color=TREND_COLOUR, zorder=5,
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white",
                          "edgecolor": "none", "alpha": 0.85})
    return _finish_time_chart(fig, ax, milestones, title, source, incomplete)


@recorded
def action_response_chart(sequence: pd.DataFrame, title: str, source: str):
    """For each US action: days from the attack that preceded it, and days to the next attack
    and to Iran's strike, as grouped horizontal bars."""
    fig, ax = plt.subplots()
    labels = [f"{r.action} ({r.action_date:%d %b %Y})" for r in sequence.itertuples()]
    bars = [("days_trigger_to_action", "from the deadly attack before", OKABE_ITO["vermillion"]),
            ("days_to_next_attack", "to the next attack", ATTACKS_COLOUR),
            ("days_to_state_strike", "to Iran's missile strike", OKABE_ITO["purple"])]
    height = 0.25
    for k, (column, label, colour) in enumerate(bars):
        values = sequence[column].astype(float)
        positions = [i + (1 - k) * height for i in range(len(sequence))]
        ax.barh(positions, values.fillna(0), height=height, color=colour, label=label)
        for y, v in zip(positions, values):
            if pd.notna(v):
                ax.text(v, y, f" {int(v)} d", va="center", fontsize=14)
    ax.set_yticks(range(len(sequence)), labels)
    ax.set_xlabel("days")
    longest = max(1.0, *(sequence[c].astype(float).max() for c, _, _ in bars
                         if sequence[c].notna().any()))
    ax.set_xlim(0, longest * 1.15)  # room for the day labels at the bars' ends
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _finish(fig, title, source)
