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
import pandas as pd

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
# One colour per category, the same on every chart that shows the category.
CATEGORY_COLOURS = {
    "weapon": {"rocket": OKABE_ITO["blue"], "mortar": OKABE_ITO["sky_blue"],
               "ballistic_missile": OKABE_ITO["vermillion"], "drone": OKABE_ITO["purple"],
               "ied": OKABE_ITO["orange"], "unknown": OKABE_ITO["grey"]},
    "target_type": {"military_base": OKABE_ITO["blue"], "embassy": OKABE_ITO["green"],
                    "airport": OKABE_ITO["sky_blue"], "convoy": OKABE_ITO["orange"]},
    "outcome": {"hit": OKABE_ITO["blue"], "intercepted": OKABE_ITO["green"],
                "failed": OKABE_ITO["sky_blue"], "unknown": OKABE_ITO["grey"]},
}
PRESS_COLOUR = OKABE_ITO["vermillion"]
CITY_COLOUR = "#555555"
BAGHDAD = (33.34, 44.40)  # latitude, longitude (GeoNames, data/geo/cities.csv)

# 16:9 at 120 dpi gives 1920 x 1080 pixel PNGs for slides.
FIGSIZE = (16, 9)
PNG_DPI = 120
SCREEN_DPI = 80  # charts inside the HTML reports: 1280 x 720, sharp enough, lighter pages

STYLE = {
    "figure.figsize": FIGSIZE, "figure.dpi": 100, "savefig.dpi": PNG_DPI,
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


def source_line(attacks_count: int, as_of: pd.Timestamp | None) -> str:
    as_of_text = as_of.date().isoformat() if as_of is not None and pd.notna(as_of) else "n/a"
    return (f"Source: Iraq attacks dataset, 2019-2020 ({attacks_count} attacks; "
            f"data as of {as_of_text})")


def _finish(fig, title: str, source: str):
    fig.axes[0].set_title(title, pad=36 if len(fig.axes[0].texts) else 16)
    lines = source.count("\n") + 1
    fig.text(0.01, 0.01, source, fontsize=13, color="#444444", ha="left", va="bottom")
    fig.tight_layout(rect=(0, 0.025 + 0.02 * lines, 1, 1))
    return fig


def milestone_clusters(milestones: pd.DataFrame, gap_days: float) -> list[pd.DataFrame]:
    """Group charted milestones that follow each other within ``gap_days`` (too close to
    label one by one at the chart's scale)."""
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


def _mark_milestones(ax, milestones: pd.DataFrame) -> None:
    """The charted milestones (milestones.on_charts) as dashed lines, labelled the same way on
    every time chart. Labels run down from the top; milestones too close to label apart share
    one label, one line of text each, in date order."""
    left, right = ax.get_xlim()
    gap_days = max(2.0, (right - left) / 70)  # about 1/70 of the axis: labels would touch
    for cluster in milestone_clusters(milestones, gap_days):
        for day in cluster["date"]:
            ax.axvline(day, color=MILESTONE_COLOUR, linestyle="--", linewidth=1.3, alpha=0.7,
                       zorder=1)
        text = "\n".join(cluster["title"])
        ax.annotate(text, xy=(cluster["date"].iloc[0], 1), xycoords=("data", "axes fraction"),
                    xytext=(-2, -4), textcoords="offset points", rotation=90, fontsize=13,
                    va="top", ha="right", color=MILESTONE_COLOUR, linespacing=1.1,
                    multialignment="right")


def _finish_time_chart(fig, ax, milestones, title: str, source: str):
    """The common end of a chart over time: month ticks, the milestones, the legend to the
    right, then title and source line."""
    _date_axis(ax)
    if milestones is not None:
        _mark_milestones(ax, milestones)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _finish(fig, title, source)


def _date_axis(ax) -> None:
    ax.xaxis.set_major_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))


def attacks_per_period_chart(counts: pd.DataFrame, milestones: pd.DataFrame, period_name: str,
                             title: str, source: str):
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
    ax.set_ylim(0, max(1, counts["attacks"].max()) * 1.9)  # headroom for milestone labels
    ax.yaxis.get_major_locator().set_params(integer=True)
    _date_axis(ax)
    _mark_milestones(ax, milestones)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _finish(fig, title, source)


def timeline_chart(timeline: pd.DataFrame, milestones: pd.DataFrame, title: str, source: str):
    """Every attack as a marker on the time axis (size: projectiles; colour: severity),
    one row per site, with the milestones marked."""
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
    ax.set_ylim(-0.7, len(sites) + 3.5)  # headroom for milestone labels
    _date_axis(ax)
    _mark_milestones(ax, milestones)
    ax.legend(title="casualties", loc="upper left", bbox_to_anchor=(1.0, 1.0),
              markerscale=0.7)
    return _finish(fig, title, source)


def casualty_totals_chart(totals: pd.DataFrame, title: str, source: str):
    """Horizontal bars of killed and wounded for each group (reported figures only)."""
    fig, ax = plt.subplots()
    order = totals.iloc[::-1]
    positions = range(len(order))
    ax.barh([p + 0.2 for p in positions], order["killed"], height=0.4,
            color=OUTCOME_COLOURS["killed"], label="killed")
    ax.barh([p - 0.2 for p in positions], order["wounded"], height=0.4,
            color=OUTCOME_COLOURS["wounded"], label="wounded or injured")
    ax.set_yticks(list(positions), order["label"])
    ax.set_xlabel("people (sum of reported figures)")
    for p, (k, w) in zip(positions, zip(order["killed"], order["wounded"])):
        ax.text(k, p + 0.2, f" {k}", va="center", fontsize=14)
        ax.text(w, p - 0.2, f" {w}", va="center", fontsize=14)
    ax.legend(loc="lower right")
    ax.set_xlim(0, max(1, order[["killed", "wounded"]].max().max()) * 1.12)
    return _finish(fig, title, source)


def _draw(fig):
    """The chart drawn once, at PNG_DPI (1920 x 1080), as an RGB image. Both PNGs are made
    from these pixels: drawing a chart costs more than resampling it."""
    import io

    from PIL import Image

    raw = io.BytesIO()
    fig.savefig(raw, format="rgba", dpi=PNG_DPI)
    width, height = (round(size * PNG_DPI) for size in fig.get_size_inches())
    return Image.frombuffer("RGBA", (width, height), raw.getvalue(), "raw", "RGBA", 0, 1
                            ).convert("RGB")  # charts are opaque: no alpha channel to store


def _png(image, dpi: int) -> bytes:
    import io

    buffer = io.BytesIO()
    image.save(buffer, format="png", dpi=(dpi, dpi))  # no time or software stamp: stable bytes
    return buffer.getvalue()


def save_figure(fig, name: str, figures_dir: str | Path | None, image=None) -> list[Path]:
    """Save a chart as PNG (1920 x 1080) and SVG under a stable name; nothing when
    ``figures_dir`` is empty. Metadata that changes between runs is left out. ``image`` is
    the chart already drawn (see _draw), if it was."""
    if not figures_dir:
        return []
    folder = Path(figures_dir)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{name}.png", folder / f"{name}.svg"]
    paths[0].write_bytes(_png(image if image is not None else _draw(fig), PNG_DPI))
    fig.savefig(paths[1], metadata={"Date": None, "Creator": None})
    return paths


def publish(fig, name: str, figures_dir: str | Path | None, takeaway: str | None = None,
            notes: str | None = None) -> None:
    """Show a chart in the notebook (once, with its title as alternative text) and, when
    ``figures_dir`` is set, save it for slides with a sidecar ``<name>.json`` holding the
    slide's one-line takeaway and speaker notes (the briefing deck reads them)."""
    import base64
    import json

    from IPython.display import display
    from PIL import Image

    title = fig.get_suptitle() or (
        fig.axes[0].get_title(loc="left") or fig.axes[0].get_title() if fig.axes else "")
    image = _draw(fig)
    if save_figure(fig, name, figures_dir, image):
        sidecar = {"name": name, "title": title, "takeaway": takeaway or title,
                   "notes": notes or ""}
        (Path(figures_dir) / f"{name}.json").write_text(
            json.dumps(sidecar, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    screen = image.resize((round(image.width * SCREEN_DPI / PNG_DPI),
                           round(image.height * SCREEN_DPI / PNG_DPI)), Image.Resampling.BOX)
    alt = "Chart: " + (title or name)
    display({"image/png": base64.b64encode(_png(screen, SCREEN_DPI)).decode("ascii"),
             "text/plain": alt}, metadata={"image/png": {"alt": alt, "name": name}}, raw=True)
    plt.close(fig)  # the inline backend would otherwise show it a second time


def _colour(column: str, value: str) -> str:
    return CATEGORY_COLOURS.get(column, {}).get(value, ATTACKS_COLOUR)


def ranked_bar_chart(counts: pd.DataFrame, column: str, label_column: str, title: str,
                     source: str, max_bars: int = 15):
    """Horizontal bars, most frequent at the top, each labelled with its count and share.
    ``counts`` comes from frequency.breakdown."""
    shown = counts.head(max_bars).iloc[::-1]
    fig, ax = plt.subplots()
    colours = [_colour(column, v) for v in shown[column]]
    ax.barh(shown[label_column].astype(str), shown["attacks"], color=colours)
    for y, (n, share) in enumerate(zip(shown["attacks"], shown["share"])):
        ax.text(n, y, f"  {n} ({share:.0%})", va="center", fontsize=15)
    ax.set_xlabel("attacks")
    ax.set_xlim(0, max(1, shown["attacks"].max()) * 1.2)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y", visible=False)
    return _finish(fig, title, source)


def stacked_period_chart(table: pd.DataFrame, column: str, period_name: str, title: str,
                         source: str, milestones: pd.DataFrame | None = None):
    """Attacks per period stacked by category; ``table`` from frequency.per_period_by."""
    fig, ax = plt.subplots()
    width = 5 if period_name == "week" else 25
    bottom = pd.Series(0, index=table.index)
    for category in table.columns:
        ax.bar(table.index, table[category], width=width, align="edge", bottom=bottom,
               color=_colour(column, category), label=str(category).replace("_", " "))
        bottom = bottom + table[category]
    ax.set_ylabel(f"attacks per {period_name}")
    ax.set_ylim(0, max(1, bottom.max()) * (1.9 if milestones is not None else 1.15))
    ax.yaxis.get_major_locator().set_params(integer=True)
    _date_axis(ax)
    if milestones is not None:
        _mark_milestones(ax, milestones)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), title=column.replace("_", " "))
    return _finish(fig, title, source)


def time_pattern_chart(by_time: pd.DataFrame, unknown_time: int, by_day: pd.DataFrame,
                       title: str, source: str):
    """Two panels: attacks per three-hour band of local time (where known) and per weekday."""
    fig, (left, right) = plt.subplots(1, 2, gridspec_kw={"width_ratios": [4, 3]})
    left.bar(by_time["local_time"].astype(str), by_time["attacks"], color=ATTACKS_COLOUR)
    left.set_xlabel("local time (hours)")
    left.set_ylabel("attacks")
    left.set_title(f"time reported for {int(by_time['attacks'].sum())}; unknown for "
                   f"{unknown_time}", fontsize=17, fontweight="normal", loc="left")
    left.tick_params(axis="x", labelsize=13)
    right.bar([d[:3] for d in by_day["day"]], by_day["attacks"], color=ATTACKS_COLOUR)
    right.set_xlabel("day of week (local date)")
    for axis in (left, right):
        axis.yaxis.get_major_locator().set_params(integer=True)
    fig.suptitle(title, x=0.01, ha="left", fontsize=24, fontweight="bold")
    fig.text(0.01, 0.01, source, fontsize=13, color="#444444", ha="left", va="bottom")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig


def projectiles_chart(per_period: pd.DataFrame, period_name: str, title: str, source: str):
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
    _date_axis(ax)
    ax.legend(loc="upper left")
    return _finish(fig, title, source)


def map_chart(by_site: pd.DataFrame, countries: dict, cities: pd.DataFrame, title: str,
              source: str):
    """Iraq with each located site as a circle sized by its attack count, labelled; cities
    for orientation. Sites without coordinates are listed under the map."""
    from matplotlib.patches import Polygon

    fig, ax = plt.subplots()  # 16:9 like every chart, for slides
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
    for city in cities.itertuples(index=False):
        ax.plot(city.longitude, city.latitude, marker="s", markersize=5, color=CITY_COLOUR,
                zorder=3)
        ax.annotate(city.name, (city.longitude, city.latitude), xytext=(5, -12),
                    textcoords="offset points", fontsize=13, color=CITY_COLOUR, zorder=3)
    located = by_site.dropna(subset=["latitude", "longitude"])
    largest = max(1, located["attacks"].max()) if len(located) else 1
    ax.scatter(located["longitude"], located["latitude"], s=200 + 2800 * located["attacks"] /
               largest, color=ATTACKS_COLOUR, alpha=0.55, edgecolor="black", linewidth=0.8,
               zorder=4)
    # Sites around Baghdad sit too close to label in place: list them in a column to the east
    # of the city with leader lines; label the others beside their circle.
    near_baghdad = ((located["latitude"] - BAGHDAD[0]).abs() < 0.8) & (
        (located["longitude"] - BAGHDAD[1]).abs() < 0.8)
    for site in located[~near_baghdad].itertuples(index=False):
        ax.annotate(f"{site.label} ({site.attacks})", (site.longitude, site.latitude),
                    xytext=(14, 6), textcoords="offset points", fontsize=15,
                    fontweight="bold", zorder=5)
    cluster = located[near_baghdad].sort_values("latitude", ascending=False)
    for i, site in enumerate(cluster.itertuples(index=False)):
        y = BAGHDAD[0] + 0.9 - 0.45 * i
        ax.annotate(f"{site.label} ({site.attacks})", (site.longitude, site.latitude),
                    xytext=(BAGHDAD[1] + 1.6, y), textcoords="data", fontsize=15,
                    fontweight="bold", va="center", zorder=5,
                    arrowprops={"arrowstyle": "-", "color": "#444444", "linewidth": 1})
    ax.set_xlim(38.5, 48.8)
    ax.set_ylim(29.0, 37.6)
    ax.set_aspect(1 / 0.83)  # about 1/cos(latitude) near 33 N
    ax.set_xlabel("longitude (degrees east)")
    ax.set_ylabel("latitude (degrees north)")
    ax.grid(alpha=0.15)
    missing = by_site[by_site["latitude"].isna()]
    note = ""
    if len(missing):
        note = ("Not on the map (no coordinates in the sources): " + ", ".join(
            f"{s.label} ({s.attacks})" for s in missing.itertuples(index=False)) + ".")
    return _finish(fig, title, textwrap.fill(note, 110) + "\n" + source if note else source)


def cumulative_chart(cumulative: pd.DataFrame, press: pd.DataFrame, title: str, source: str,
                     milestones: pd.DataFrame | None = None):
    """Our running total of attacks against the running counts the press reported."""
    fig, ax = plt.subplots()
    ax.step(cumulative["date"], cumulative["cumulative"], where="post", color=ATTACKS_COLOUR,
            linewidth=3, label="attacks in this dataset (running total)")
    if len(press):
        ax.scatter(pd.to_datetime(press["report_date"]), press["press_count"], color=PRESS_COLOUR,
                   s=110, zorder=3, label="running count reported by the press")
    ax.set_ylabel("attacks since the start of the window")
    ax.set_ylim(0, max(1, cumulative["cumulative"].max(),
                       press["press_count"].max() if len(press) else 0) * 1.5)
    _date_axis(ax)
    if milestones is not None:
        _mark_milestones(ax, milestones)
    ax.legend(loc="upper left")
    return _finish(fig, title, source)


GROUP_COLOURS = {"us_military": OKABE_ITO["blue"], "us_contractor": OKABE_ITO["sky_blue"],
                 "coalition": OKABE_ITO["green"], "iraqi_forces": OKABE_ITO["purple"],
                 "civilian": OKABE_ITO["orange"]}


def cumulative_casualties_chart(cumulative: pd.DataFrame, labels: dict[str, str], title: str,
                                source: str, milestones: pd.DataFrame | None = None):
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
        axis.set_ylim(0, max(1, axis.get_ylim()[1]) * 1.6)
        axis.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=14)
        if milestones is not None:
            _mark_milestones(axis, milestones if axis is top else milestones.iloc[0:0])
    _date_axis(bottom)
    return _finish(fig, title, source)


def revision_chart(series: pd.DataFrame, title: str, source: str):
    """How reported figures changed: one step line per group and measure against the date of
    the report; ``series`` from casualties.revision_series."""
    fig, ax = plt.subplots()
    palette = [OKABE_ITO[k] for k in ("blue", "vermillion", "green", "purple", "orange",
                                      "sky_blue", "black")]
    for number, (label, rows) in enumerate(series.groupby("series", sort=False)):
        colour = palette[number % len(palette)]
        rows = rows.groupby("report_date", as_index=False)["figure"].max()
        ax.step(rows["report_date"], rows["figure"], where="post", linewidth=3, color=colour,
                marker="o", markersize=9, label=label)
        last = rows.iloc[-1]
        ax.annotate(f" {last['figure']}", (last["report_date"], last["figure"]), fontsize=15,
                    color=colour, va="center")
    ax.set_ylabel("figure reported")
    ax.set_xlabel("date of the report")
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b\n%Y"))
    ax.legend(loc="upper left")
    ax.set_ylim(0, max(1, series["figure"].max()) * 1.25)
    return _finish(fig, title, source)


def lethality_chart(lethality: pd.DataFrame, period_name: str, title: str, source: str):
    """Share of attacks that caused casualties (bars) and people killed or wounded per attack
    (line, right axis), per period."""
    fig, ax = plt.subplots()
    width = 5 if period_name == "week" else 25
    ax.bar(lethality["period_start"], 100 * lethality["share_with_casualties"].fillna(0),
           width=width, align="edge", color=OUTCOME_COLOURS["wounded"],
           label="attacks that killed or wounded someone (%)")
    ax.set_ylabel("share of attacks (%)")
    ax.set_ylim(0, 110)
    right = ax.twinx()
    right.plot(lethality["period_start"] + pd.Timedelta(days=width / 2),
               lethality["casualties_per_attack"], color=OUTCOME_COLOURS["killed"], marker="o",
               linewidth=3, label="people killed or wounded per attack")
    right.set_ylabel("casualties per attack")
    right.grid(False)
    right.spines["right"].set_visible(True)
    _date_axis(ax)
    handles = ax.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
    ax.legend(handles, [h.get_label() for h in handles], loc="upper left")
    return _finish(fig, title, source)


def tempo_chart(gaps: pd.DataFrame, title: str, source: str,
                milestones: pd.DataFrame | None = None):
    """Days since the previous attack, for every attack (dots), with the rolling median."""
    fig, ax = plt.subplots()
    # one dot per attack while that stays legible; past that, the longest gap of each day
    dots = gaps if len(gaps) <= 5000 else gaps.groupby("date", as_index=False)[
        "days_since_previous"].max()
    ax.scatter(dots["date"], dots["days_since_previous"], s=45, color=ATTACKS_COLOUR, alpha=0.6,
               label="days since the previous attack")
    ax.plot(gaps["date"], gaps["rolling_median"], color=TREND_COLOUR, linewidth=3,
            label="rolling median (5 attacks)")
    ax.set_ylabel("days between attacks")
    ax.set_ylim(0, max(1, gaps["days_since_previous"].max()) * 1.6)
    return _finish_time_chart(fig, ax, milestones, title, source)


def intensity_chart(intensity: pd.DataFrame, title: str, source: str):
    """Two panels per month: projectiles per attack and people killed or wounded per attack."""
    fig, (top, bottom) = plt.subplots(2, 1, sharex=True)
    top.bar(intensity["period_start"], intensity["projectiles_per_attack"].fillna(0), width=25,
            align="edge", color=ATTACKS_COLOUR)
    top.set_ylabel("projectiles\nper attack", fontsize=15)
    bottom.bar(intensity["period_start"], intensity["casualties_per_attack"].fillna(0),
               width=25, align="edge", color=OUTCOME_COLOURS["killed"])
    bottom.set_ylabel("killed or wounded\nper attack", fontsize=15)
    _date_axis(bottom)
    return _finish(fig, title, source)


def rate_ratio_chart(rates: pd.DataFrame, window_days: int, title: str, source: str):
    """Forest plot: the rate ratio after/before each milestone with its 95% interval, on a
    log scale; the dashed line at 1 means no change."""
    import numpy as np

    fig, ax = plt.subplots()
    shown = rates.iloc[::-1].reset_index(drop=True)
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
    ax.set_yticks(range(len(shown)),
                  [f"{r.milestone} ({r.date:%d %b %Y})" for r in shown.itertuples()])
    ax.set_xlabel(f"rate in the {window_days} days after / rate in the {window_days} days "
                  "before (log scale)")
    ax.grid(axis="y", visible=False)
    note = ("Bars: exact 95% interval (red where it excludes 1, a change unlikely to be chance); "
            "no dot where no attack fell before.")
    return _finish(fig, title, note + "\n" + source)


def phases_chart(counts: pd.DataFrame, phases: pd.DataFrame, title: str, source: str,
                 milestones: pd.DataFrame | None = None):
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
        ax.annotate(f"{phase.weekly_rate:.1f}/wk", (phase.start, phase.weekly_rate),
                    xytext=(3, 6), textcoords="offset points", fontsize=14, color=TREND_COLOUR)
    ax.set_ylabel("attacks per week")
    ax.set_ylim(0, max(1, counts["attacks"].max()) * 1.9)
    return _finish_time_chart(fig, ax, milestones, title, source)


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
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right")
    return _finish(fig, title, source)
