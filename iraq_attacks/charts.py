"""Every chart of the project: tidy frame in, matplotlib Figure out, in one house style.

The style is set here only: a colour-blind-safe palette (Okabe & Ito) in which a colour means the
same thing on every chart, type large enough to project, a title that states the finding and a
source line under each chart.
"""

from __future__ import annotations

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
    fig.text(0.01, 0.01, source, fontsize=13, color="#444444", ha="left", va="bottom")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig


def _mark_milestones(ax, milestones: pd.DataFrame) -> None:
    """The charted milestones (milestones.on_charts) as labelled dashed lines, drawn the same
    way on every time chart; labels run down from the top so close dates do not collide."""
    charted = milestones[milestones["on_charts"]] if "on_charts" in milestones else milestones
    for m in charted.itertuples(index=False):
        ax.axvline(m.date, color=MILESTONE_COLOUR, linestyle="--", linewidth=1.3, alpha=0.7,
                   zorder=1)
        ax.annotate(m.title, xy=(m.date, 1), xycoords=("data", "axes fraction"),
                    xytext=(-2, -4), textcoords="offset points", rotation=90, fontsize=13,
                    va="top", ha="right", color=MILESTONE_COLOUR)


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
    sizes = 60 + 12 * timeline["projectiles"].fillna(1).astype(float)
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


def save_figure(fig, name: str, figures_dir: str | Path | None) -> list[Path]:
    """Save a chart as PNG (1920 x 1080) and SVG under a stable name; nothing when
    ``figures_dir`` is empty. Metadata that changes between runs is left out."""
    if not figures_dir:
        return []
    folder = Path(figures_dir)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{name}.png", folder / f"{name}.svg"]
    fig.savefig(paths[0], dpi=PNG_DPI, metadata={"Software": None})
    fig.savefig(paths[1], metadata={"Date": None, "Creator": None})
    return paths


def publish(fig, name: str, figures_dir: str | Path | None) -> None:
    """Show a chart in the notebook (once, with its title as alternative text) and save it for
    slides when ``figures_dir`` is set."""
    import base64
    import io

    from IPython.display import display

    save_figure(fig, name, figures_dir)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=SCREEN_DPI, metadata={"Software": None})
    title = fig.axes[0].get_title(loc="left") or fig.axes[0].get_title() if fig.axes else ""
    alt = "Chart: " + (title or name)
    display({"image/png": base64.b64encode(buffer.getvalue()).decode("ascii"),
             "text/plain": alt}, metadata={"image/png": {"alt": alt}}, raw=True)
    plt.close(fig)  # the inline backend would otherwise show it a second time
