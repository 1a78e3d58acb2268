"""The deck's chart pictures: each chart drawn again for the slide, at the size the slide shows
it, so that a point in the drawing is a point on the slide.

The slide version keeps the chart's house style (charts.py) and changes only what a slide
needs: no title in the picture (the slide's title states the finding), the chart's notes and
source line taken out for a text box under the picture, and no text smaller than
``MIN_FONT`` points. The geometry of a chart slide lives here, beside the size the pictures
are drawn at, so that the deck and the drawing cannot disagree.
"""

from __future__ import annotations

import json
from pathlib import Path

# The charts in the deck unless the render command is told otherwise (--deck-charts).
DEFAULT_DECK_CHARTS = (
    "overview-attacks-per-week", "overview-map", "overview-timeline", "overview-casualties",
    "escalation-phases", "escalation-rate-ratios", "frequency-attacks-per-month-by-target",
    "casualties-revisions-atk-0014",
)

# Slide geometry, in inches (a 16:9 slide). The title takes at most two lines above the
# picture (briefing.title_fit); the key and source sit in a text box under it, the slide
# number and as-of date in the footer.
SLIDE_SIZE = (13.333, 7.5)
MARGIN = 0.5
TITLE_TOP = 0.15
PICTURE_TOP = 1.35
KEY_HEIGHT = 0.9
FOOTER_HEIGHT = 0.45
# what is left between the margins, the title and the key, in whole pixels at DPI
PICTURE_SIZE = (12.32, 4.8)  # 1848 x 720 pixels
assert PICTURE_SIZE[0] <= SLIDE_SIZE[0] - 2 * MARGIN
assert PICTURE_SIZE[1] <= SLIDE_SIZE[1] - PICTURE_TOP - KEY_HEIGHT - FOOTER_HEIGHT
MIN_FONT = 18  # points on the slide: legible from the back of a briefing room
DPI = 150  # 1850 pixels across a 12.3-inch picture: sharp on a 1920-pixel projector

FOLDER = "slides"  # under the figures folder: figures/slides/<chart>.png
# Written by the render into the figures folder before the notebooks run: the charts the
# deck will show, so that only those are drawn twice.
REQUEST = ".deck-charts.json"


def requested(figures_dir: str | Path) -> tuple[str, ...]:
    """The charts to draw for slides: those the render asked for, else the default deck."""
    path = Path(figures_dir) / REQUEST
    if path.exists():
        return tuple(json.loads(path.read_text(encoding="utf-8")))
    return DEFAULT_DECK_CHARTS


def request(figures_dir: str | Path, charts) -> None:
    (Path(figures_dir) / REQUEST).write_text(json.dumps(list(charts)), encoding="utf-8")


def _main_title(fig):
    """The text artist of the chart's own title (the figure's or the first axes')."""
    if fig._suptitle is not None and fig._suptitle.get_text().strip():
        return [fig._suptitle]
    if not fig.axes:
        return []
    ax = fig.axes[0]
    return [t for t in (ax.title, ax._left_title, ax._right_title) if t.get_text().strip()]


def slide_figure(fig):
    """The slide version of a published chart (already saved): ``fig`` changed in place, or
    the chart's own slide drawing where it has one (``fig._house_slide``: a chart with more
    rows than fit at MIN_FONT folds some). Returns the figure and the text printed under the
    chart (key, notes, source line) for the slide's text box."""
    from matplotlib.text import Text

    redraw = getattr(fig, "_house_slide", None)
    if redraw is not None:
        import matplotlib.pyplot as plt

        plt.close(fig)
        fig = redraw()
    for title in _main_title(fig):
        title.set_text("")
    footer = [t for t in fig.texts if t is not fig._suptitle and t.get_text().strip()]
    printed = [" ".join(t.get_text().split("\n")) for t in footer]
    for t in footer:
        t.remove()
    fig.set_size_inches(*PICTURE_SIZE)
    fig.set_dpi(DPI)  # laid out at the resolution it is drawn at (see webcharts.redraw)
    for ax in fig.axes:
        for axis in ("x", "y"):
            ticks = getattr(ax, f"{axis}axis").get_major_ticks()
            size = ticks[0].label1.get_fontsize() if ticks else MIN_FONT
            ax.tick_params(axis=axis, which="both", labelsize=max(MIN_FONT, size))
    for t in fig.findobj(Text):
        if t.get_text().strip():
            t.set_fontsize(max(MIN_FONT, t.get_fontsize()))
    # measured on the page's layout scaled to the slide (a layout costs about a drawing)
    _fit_axis_labels(fig)
    _thin_month_ticks(fig)
    fig.tight_layout(pad=0.4)
    if _thin_crowded_ticks(fig):
        fig.tight_layout(pad=0.4)
    # charts whose layout depends on the size drawn (labels that make way for others) redo it
    for relayout in getattr(fig, "_house_relayout", []):
        relayout()
    _clear_legends(fig)
    left_out = _clear_annotations(fig)
    if left_out and getattr(fig, "_house_key", None):
        fig._house_key = [*fig._house_key[:-1],
                          "Left out of the chart at this size (see the report): "
                          + "; ".join(left_out) + ".", fig._house_key[-1]]
    # one line per part of the chart's footer (charts._finish keeps them; a relayout may
    # have added one), else as printed
    return fig, "\n".join(getattr(fig, "_house_key", None) or printed)


def _fit_axis_labels(fig) -> None:
    """An axis label longer than its axis, at slide size, goes on two lines."""
    import textwrap

    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        box = ax.get_window_extent(renderer)
        for label, along in ((ax.xaxis.label, "width"), (ax.yaxis.label, "height")):
            text = label.get_text()
            length = getattr(label.get_window_extent(renderer), along)
            # with room to spare: the axis shrinks once the layout makes room for the
            # larger tick labels
            if text and "\n" not in text and length > 0.8 * getattr(box, along):
                label.set_text(textwrap.fill(text, len(text) // 2 + 4))


def _thin_month_ticks(fig) -> None:
    """Month ticks every second or third month where every month's label would not fit."""
    import math

    import matplotlib.dates as mdates

    for ax in fig.axes:
        locator = ax.xaxis.get_major_locator()
        if not isinstance(locator, mdates.MonthLocator) or not ax.xaxis.get_visible():
            continue
        left, right = ax.get_xlim()
        months = max(1.0, (right - left) / 30.44)
        width = ax.get_position().width * fig.get_figwidth() * 72  # points
        needed = 4 * 0.62 * MIN_FONT + 12  # "Sep" and "2020" under it, with a gap
        step = math.ceil(needed * months / width)
        if step > 1:  # aligned on January where the step divides the year
            ax.xaxis.set_major_locator(
                mdates.MonthLocator(bymonth=range(1, 13, step)) if 12 % step == 0
                else mdates.MonthLocator(interval=step))


def _thin_crowded_ticks(fig) -> bool:
    """Fixed x ticks whose labels, at slide size, come closer than a quarter of their type
    size ("0.050.1" on a log axis): a log axis keeps its powers of ten, another every other
    tick (1 among them where the axis has it), until they stand apart. Returns whether any
    axis changed."""
    import math

    from matplotlib.ticker import FixedLocator

    renderer = fig.canvas.get_renderer()
    changed = False
    for ax in fig.axes:
        for _ in range(3):
            locator = ax.xaxis.get_major_locator()
            if not isinstance(locator, FixedLocator) or not ax.xaxis.get_visible():
                break
            labels = [t.label1 for t in ax.xaxis._update_ticks()
                      if t.label1.get_visible() and t.label1.get_text().strip()]
            boxes = sorted((label.get_window_extent(renderer) for label in labels),
                           key=lambda box: box.x0)
            em = max((label.get_fontsize() for label in labels), default=0) * fig.dpi / 72
            crowded = any(right.x0 - left.x1 < 0.25 * em
                          for left, right in zip(boxes, boxes[1:]))
            values = list(locator.locs)
            if not crowded or len(values) <= 3:
                break
            decades = [v for v in values if v > 0 and math.log10(v).is_integer()]
            if ax.get_xscale() == "log" and 3 <= len(decades) < len(values):
                kept = decades  # a log axis reads best by its powers of ten
            else:
                kept = values[values.index(1) % 2 if 1 in values else 0::2]
            ax.xaxis.set_major_locator(FixedLocator(kept))
            changed = True
    return changed


def _clear_annotations(fig) -> list[str]:
    """Labels over the data, larger on a slide, may reach the tick labels or each other: one
    that runs past the plot's left edge moves right, one that still runs into another text
    is left out (and named in the key). Returns the texts left out."""
    from matplotlib.text import Annotation, Text

    renderer = fig.canvas.get_renderer()
    left_out = []
    for ax in fig.axes:
        frame = ax.get_window_extent(renderer)
        kept = [Text.get_window_extent(t, renderer) for axis in (ax.xaxis, ax.yaxis)
                if axis.get_visible() and ax.axison
                for t in axis.get_ticklabels() if t.get_visible() and t.get_text()]
        for text in ax.texts:
            if not text.get_visible() or not text.get_text().strip():
                continue
            if isinstance(text, Annotation):
                text.update_positions(renderer)
            box = Text.get_window_extent(text, renderer)
            # a third of an em clear of the plot's left edge: closer, it runs into the y
            # tick labels ("15" and "16 Aug" read as one)
            # (a map has no tick labels: its labels keep their places)
            margin = text.get_fontsize() / 3 * fig.dpi / 72 if ax.axison else 0
            if (isinstance(text, Annotation) and text.anncoords == "offset points"
                    and box.x0 < frame.x0 + margin):
                dx, dy = text.xyann
                text.xyann = (dx + (frame.x0 + margin - box.x0) * 72 / fig.dpi, dy)
                text.update_positions(renderer)
                box = Text.get_window_extent(text, renderer)
            if any(box.overlaps(other) for other in kept):
                text.set_visible(False)
                left_out.append(" ".join(text.get_text().replace("\u2191", "").split()))
            else:
                kept.append(box)
    return left_out


def _clear_legends(fig) -> None:
    """A legend beside the plot moves right of any label that runs into it (the last
    point's value, say), which the larger type can make reach."""
    from matplotlib.text import Text

    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is None:
            continue
        box = legend.get_window_extent(renderer)
        reach = [Text.get_window_extent(t, renderer) for t in ax.texts if t.get_visible()]
        over = [b.x1 - box.x0 for b in reach if b.overlaps(box)]
        if over:
            anchor = legend.get_bbox_to_anchor().transformed(ax.transAxes.inverted())
            shift = (max(over) + 6) / ax.get_window_extent(renderer).width
            legend.set_bbox_to_anchor((anchor.x0 + shift, anchor.y1), transform=ax.transAxes)
            fig.tight_layout(pad=0.4)


def smallest_font(fig) -> float:
    """The smallest type size of any text the figure drew, in points (call it after a draw:
    tick labels are made at drawing time)."""
    from matplotlib.text import Text

    sizes = [t.get_fontsize() for t in fig.findobj(Text)
             if t.get_visible() and t.get_text().strip()]
    return min(sizes) if sizes else float(MIN_FONT)
