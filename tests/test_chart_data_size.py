"""Past escalation.MAX_MARKERS attacks no chart draws, or carries on its page, one row per
attack: the million-row render had a tempo chart of a million dots (a 146 MB SVG and a 30 MB
page of numbers) after it was split by series and lost its one-dot-per-day rule."""

from __future__ import annotations

import sys

import matplotlib.pyplot as plt
from chart_geometry import published_figures

from iraq_attacks import escalation, webcharts
from iraq_attacks.paths import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "benchmarks"))

from synthetic import generate  # noqa: E402

ATTACKS = escalation.MAX_MARKERS + 1000


def test_no_chart_plots_one_row_per_attack_past_the_marker_limit(tmp_path):
    data = generate(ATTACKS, tmp_path / "data")
    drawn = published_figures(data)
    try:
        sizes = {name: len(frame) for name, fig in drawn.items()
                 if (frame := webcharts.plotted_frame(fig)) is not None}
    finally:
        for fig in drawn.values():
            plt.close(fig)
    assert {"escalation-tempo", "escalation-timeline", "overview-timeline"} <= set(sizes)
    # a chart of gaps has one row fewer per series than attacks: any chart over the limit
    # is one that plots attacks one by one
    over = {name: n for name, n in sizes.items() if n > escalation.MAX_MARKERS}
    assert not over, f"more than {escalation.MAX_MARKERS} rows at {ATTACKS} attacks: {over}"
