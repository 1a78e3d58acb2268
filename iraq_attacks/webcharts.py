"""What a chart needs on a web page beyond its picture: the numbers it plots (a CSV for the
reader and beside the PNG), alternative text that states its finding, a narrow drawing for
phones, and the size of its smallest text, so a test can check what a reader sees.

Every chart function of charts.py is wrapped by ``recorded``: the figure remembers how it was
drawn, so ``publish`` can draw it once more at phone width and take its plotted frames.
"""

from __future__ import annotations

import functools
import inspect

import pandas as pd

# Arguments that are context for a chart (milestone marks, city names on a map), not the
# numbers it plots.
CONTEXT_ARGUMENTS = {"milestones", "cities", "countries", "labels", "incomplete"}
# A phone's chart: about 370 CSS px across at a 390 px viewport. At this width the smallest
# type of the charts (11 pt) comes out near 10 CSS px; the height grows with the notes under it.
NARROW_FIGSIZE = (5.6, 6.6)
NARROW_TITLE_SIZE = 17
# slides' tick labels (16 pt) crowd a phone's axis; 14 pt still shows at 12 CSS px
NARROW_TYPE = {"xtick.labelsize": 14, "ytick.labelsize": 14, "axes.labelsize": 15,
               "legend.fontsize": 14}
NARROW_DPI = 130  # about twice the CSS pixels it is shown at: sharp on phone screens
NARROW_MEDIA = "(max-width: 640px)"


def recorded(draw):
    """Remember on the figure the function and arguments that drew it."""
    signature = inspect.signature(draw)

    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        fig = draw(*args, **kwargs)
        bound = signature.bind(*args, **kwargs)
        fig._house_drawing = (draw, args, kwargs, dict(bound.arguments))
        return fig

    return wrapper


def redraw(fig, figsize=NARROW_FIGSIZE):
    """The same chart drawn again at another size (the chart functions adapt ticks, titles,
    legends and notes to the width); None for a figure not drawn by a recorded function."""
    import matplotlib.pyplot as plt

    drawing = getattr(fig, "_house_drawing", None)
    if drawing is None:
        return None
    draw, args, kwargs, _ = drawing
    # laid out at the resolution it is drawn at: the layout's text measurements serve the
    # drawing (matplotlib keeps them per renderer, and a renderer per size and resolution)
    with plt.rc_context({"figure.figsize": figsize, "figure.dpi": NARROW_DPI,
                         "axes.titlesize": NARROW_TITLE_SIZE, **NARROW_TYPE}):
        return draw(*args, **kwargs)


def plotted_frame(fig) -> pd.DataFrame | None:
    """The tidy numbers a chart plots: its frame argument, or, for a chart of several frames,
    their rows one after the other with a column ``table`` naming each."""
    drawing = getattr(fig, "_house_drawing", None)
    if drawing is None:
        return None
    frames = {name: value for name, value in drawing[3].items()
              if isinstance(value, pd.DataFrame) and name not in CONTEXT_ARGUMENTS}
    if not frames:
        return None
    tidy = {}
    for name, frame in frames.items():
        if not isinstance(frame.index, pd.RangeIndex):
            frame = frame.reset_index()
        frame = frame.copy()
        frame.columns = [str(c) for c in frame.columns]
        tidy[name] = frame
    if len(tidy) == 1:
        return next(iter(tidy.values()))
    return pd.concat([f.assign(table=name)[["table", *f.columns]] for name, f in tidy.items()],
                     ignore_index=True)


def csv_text(frame: pd.DataFrame) -> str:
    """CSV with dates as dates (no midnight times), empty for unknown, stable float text."""
    shown = frame.copy()
    for column in shown.columns:
        series = shown[column]
        if pd.api.types.is_datetime64_any_dtype(series):
            shown[column] = series.dt.strftime("%Y-%m-%d")
    return shown.to_csv(index=False, lineterminator="\n", float_format="%.6g")


def smallest_text_points(fig) -> float:
    """The size (points) of the smallest text the figure draws (once drawn: tick labels
    exist only then)."""
    from matplotlib.text import Text

    sizes = [t.get_fontsize() for t in fig.findobj(Text)
             if t.get_visible() and t.get_text().strip() and t.get_figure() is not None]
    return min(sizes) if sizes else 0.0


def alt_text(title: str, takeaway: str | None) -> str:
    """The finding the chart shows, in words: its title, and the slide's takeaway when that
    says more."""
    text = title.strip().rstrip(".")
    extra = (takeaway or "").strip().rstrip(".")
    if extra and extra.lower() not in text.lower():
        text += ". " + extra
    return text + "." if text else "Chart"
