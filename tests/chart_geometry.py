"""One check of chart text geometry, shared by every chart test.

The figures are the ones the notebooks publish: each notebook's code cells run in this process
(the notebooks only call the package), with ``charts.publish`` replaced by a collector, so the
check sees exactly what a render would draw, without starting a kernel.
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib.text import Text  # noqa: E402

from iraq_attacks import charts  # noqa: E402
from iraq_attacks.paths import PROJECT_ROOT  # noqa: E402

NOTEBOOKS = ["overview", "frequency", "escalation", "casualties"]

# The label-only titles the charts carried before their titles stated a finding.
LABEL_TITLES = {
    "Attacks by target", "Attacks by weapon", "Attacks by outcome", "Days between attacks",
    "Attacks per week", "Attacks per month", "Projectiles and casualties per attack",
    "Attack rate after each milestone against before", "Action and response, in days",
    "Casualties as the months went by", "How often attacks hurt someone, month by month",
    "The record against the press's running counts", "When attacks happened (local time)",
    "Projectiles fired per week", "Projectiles fired per month",
    "Attacks per month by weapon", "Attacks per month by target",
    "Every attack, by site and severity, with the main milestones",
}


def published_figures(data_dir: Path | str = "", **parameters) -> dict[str, object]:
    """Every figure the four notebooks publish for ``data_dir``, by its published name."""
    import IPython.display

    figures: dict[str, object] = {}
    original_publish, original_display = charts.publish, IPython.display.display

    def collect(fig, name, figures_dir=None, takeaway=None, notes=None):
        figures[name] = fig

    charts.publish = collect
    IPython.display.display = lambda *args, **kwargs: None
    try:
        for name in NOTEBOOKS:
            nb = json.loads((PROJECT_ROOT / "notebooks" / f"{name}.ipynb").read_text())
            namespace: dict = {}
            for cell in nb["cells"]:
                if cell["cell_type"] != "code":
                    continue
                exec("".join(cell["source"]), namespace)
                if "parameters" in cell["metadata"].get("tags", []):
                    namespace.update({"data_dir": str(data_dir), **parameters})
    finally:
        charts.publish, IPython.display.display = original_publish, original_display
    return figures


def _texts(fig):
    """(description, Text) for every text the figure draws, legends as one box each."""
    renderer = fig.canvas.get_renderer()
    items = []
    for text in fig.texts:
        items.append(("suptitle" if text is fig._suptitle else "figure text", text))
    for ax in fig.axes:
        for title in (ax.title, ax._left_title, ax._right_title):
            items.append(("title", title))
        items.append(("x label", ax.xaxis.label))
        items.append(("y label", ax.yaxis.label))
        for axis in (ax.xaxis, ax.yaxis):
            if not axis.get_visible() or not ax.axison:  # a map's axes are switched off
                continue
            for tick in axis._update_ticks():
                for label in (tick.label1, tick.label2):
                    if label.get_visible():
                        items.append(("tick label", label))
        for text in ax.texts:
            items.append(("annotation", text))
        legend = ax.get_legend()
        if legend is not None:
            items.append(("legend", legend))
    shown = []
    for kind, artist in items:
        if not artist.get_visible():
            continue
        if isinstance(artist, Text) and not artist.get_text().strip():
            continue
        # an annotation's own extent includes its leader line: only its text counts here
        box = (Text.get_window_extent(artist, renderer) if isinstance(artist, Text)
               else artist.get_window_extent(renderer))
        shown.append((kind, artist, box))
    return shown


def text_problems(fig) -> list[str]:
    """Overlapping texts, texts off the canvas, raw mathtext in ticks, label-only titles."""
    fig.set_dpi(charts.PNG_DPI)  # the resolution the charts are published at
    fig.canvas.draw()
    shown = _texts(fig)
    canvas = fig.bbox
    problems = []

    def name(kind, artist):
        return f"{kind} {artist.get_text()!r}" if isinstance(artist, Text) else kind

    for kind, artist, box in shown:
        if (box.x0 < canvas.x0 - 1 or box.y0 < canvas.y0 - 1 or box.x1 > canvas.x1 + 1
                or box.y1 > canvas.y1 + 1):
            problems.append(f"{name(kind, artist)} leaves the canvas")
        if kind == "tick label" and ("$" in artist.get_text()
                                     or "mathdefault" in artist.get_text()):
            problems.append(f"{name(kind, artist)} is raw mathtext")
        if kind in ("title", "suptitle") and artist.get_text().strip() in LABEL_TITLES:
            problems.append(f"{name(kind, artist)} is a bare label, not a finding")
    problems += crowded_ticks(fig, shown)
    problems += direct_labels_on_other_lines(fig, shown)
    problems += plot_labels_over_marks(fig, shown)
    problems += lines_through_legends(fig)
    for i, (kind_a, a, box_a) in enumerate(shown):
        for kind_b, b, box_b in shown[i + 1:]:
            # 1 pixel of slack: touching boxes of adjacent tick labels are not an overlap
            if (min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0) > 1
                    and min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0) > 1):
                problems.append(f"{name(kind_a, a)} overlaps {name(kind_b, b)}")
    return problems


def crowded_ticks(fig, shown) -> list[str]:
    """Neighbouring tick labels of one x axis closer than a quarter of their type size: they
    read as one number ("0.050.1" on the rate-ratio slide)."""
    problems = []
    for ax in fig.axes:
        on_x = {id(tick.label1) for tick in ax.xaxis.majorTicks + ax.xaxis.minorTicks}
        labels = sorted(((artist, box) for kind, artist, box in shown
                         if kind == "tick label" and id(artist) in on_x),
                        key=lambda item: item[1].x0)
        for (left, left_box), (right, right_box) in zip(labels, labels[1:]):
            if abs(left_box.y0 - right_box.y0) > left_box.height:  # different rows
                continue
            if left.get_rotation() or right.get_rotation():  # slanted: they stand apart
                continue
            em = left.get_fontsize() * fig.dpi / 72
            if right_box.x0 - left_box.x1 < 0.25 * em:
                problems.append(f"tick labels {left.get_text()!r} and {right.get_text()!r} "
                                "crowd each other")
    return problems


def _series_lines(ax):
    """The data lines of an axes (drawn in data coordinates; an axvline or axhline spans the
    axes and is not a series), each with its colour, its drawn path and its marker points in
    pixels, and its marker radius in pixels."""
    from matplotlib.cbook import pts_to_poststep
    from matplotlib.colors import to_hex
    from matplotlib.path import Path as GeometryPath

    lines = []
    for line in ax.get_lines():
        if line.get_transform() != ax.transData or not line.get_visible():
            continue
        xy = line.get_xydata()
        if len(xy) == 0:
            continue
        drawn = xy
        if line.get_drawstyle() == "steps-post":
            drawn = pts_to_poststep(xy[:, 0], xy[:, 1]).T
        elif line.get_drawstyle() in ("steps-pre", "steps"):
            from matplotlib.cbook import pts_to_prestep
            drawn = pts_to_prestep(xy[:, 0], xy[:, 1]).T
        markers = line.get_marker() not in (None, "None", "", " ")
        radius = line.get_markersize() / 2 * line.figure.dpi / 72 if markers else 0
        lines.append((to_hex(line.get_color()), GeometryPath(ax.transData.transform(drawn)),
                      ax.transData.transform(xy) if markers else [], radius))
    return lines


def direct_labels_on_other_lines(fig, shown) -> list[str]:
    """A direct label (an annotation in the colour of one of the axes' lines) must not sit on
    another line's path or markers: the revision chart's wounded figure "11" once sat on the
    evacuated line's first marker, and read as the evacuated count."""
    from matplotlib.colors import to_hex

    problems = []
    by_axes = {}
    for kind, artist, box in shown:
        if kind != "annotation":
            continue
        ax = artist.axes
        if ax not in by_axes:
            by_axes[ax] = _series_lines(ax)
        lines = by_axes[ax]
        colour = to_hex(artist.get_color())
        if colour not in {line_colour for line_colour, *_ in lines}:
            continue  # not a series' direct label
        for line_colour, path, points, radius in lines:
            if line_colour == colour:
                continue
            grown = box.padded(radius)
            if path.intersects_bbox(box, filled=False) or any(
                    grown.contains(x, y) for x, y in points):
                problems.append(f"direct label {artist.get_text()!r} sits on the {line_colour} "
                                "line")
                break
    return problems


def plot_labels_over_marks(fig, shown) -> list[str]:
    """A label placed in a plot by axes position (a panel's name) must not have a milestone
    line or a hatched month running through its letters: it needs an opaque ground there.
    The series panels' names once sat on the hatching and the milestone lines."""
    from matplotlib.colors import to_rgba

    problems = []
    for kind, artist, box in shown:
        if kind != "annotation" or artist.get_transform() != artist.axes.transAxes:
            continue
        ax = artist.axes
        ground = artist.get_bbox_patch()
        if ground is not None and to_rgba(ground.get_facecolor())[3] >= 0.9:
            continue
        marks = [line.get_window_extent() for line in ax.get_lines()
                 if line.get_visible() and line.get_transform() != ax.transData]
        marks += [patch.get_window_extent() for patch in ax.patches if patch.get_hatch()]
        if any(box.overlaps(mark) for mark in marks):
            problems.append(f"plot label {artist.get_text()!r} has a line or hatching through "
                            "it")
    return problems


def lines_through_legends(fig) -> list[str]:
    """No data line runs through the text of a legend: the phone's casualty panels kept
    their keys inside the plots, and the running totals crossed the names."""
    problems = []
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is None or not legend.get_visible():
            continue
        lines = _series_lines(ax)
        for text in legend.get_texts():
            if not text.get_text().strip():
                continue
            box = text.get_window_extent(renderer)
            for _, path, _, _ in lines:
                if path.intersects_bbox(box, filled=False):
                    problems.append(f"a line runs through the legend entry {text.get_text()!r}")
                    break
    return problems
