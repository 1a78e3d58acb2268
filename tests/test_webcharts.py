"""What a chart carries onto a page: its finding as alternative text, the numbers it plots, a
narrow drawing, and embedded pictures whose background is the page's white."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from PIL import Image  # noqa: E402

from iraq_attacks import charts, webcharts  # noqa: E402


def test_alt_text_is_the_finding_not_a_label():
    assert webcharts.alt_text("131 attacks; the busiest week had 13", None) == (
        "131 attacks; the busiest week had 13.")
    text = webcharts.alt_text("Where the 131 attacks struck", "US embassy was hit most: 28")
    assert text == "Where the 131 attacks struck. US embassy was hit most: 28."
    # a takeaway that repeats the title is not said twice
    assert webcharts.alt_text("13 killed", "13 killed") == "13 killed."


def test_a_chart_of_two_frames_gives_both_in_one_tidy_csv():
    by_time = pd.DataFrame({"local_time": ["00-03", "03-06"], "attacks": [2, 0]})
    by_day = pd.DataFrame({"day": ["Monday"], "attacks": [1]})
    fig = charts.time_pattern_chart(by_time, 5, by_day, title="t", source="s")
    frame = webcharts.plotted_frame(fig)
    assert list(frame["table"]) == ["by_time", "by_time", "by_day"]
    assert frame["attacks"].tolist() == [2, 0, 1]
    plt.close(fig)


def test_csv_dates_are_dates_and_unknown_is_empty():
    frame = pd.DataFrame({"period_start": pd.to_datetime(["2020-01-06"]),
                          "share": pd.array([None], dtype="Float64")})
    assert webcharts.csv_text(frame) == "period_start,share\n2020-01-06,\n"


def test_narrow_drawing_is_phone_wide_with_larger_type_than_the_slide():
    counts = pd.DataFrame({"period_start": pd.date_range("2020-01-06", periods=8, freq="W-MON"),
                           "attacks": [1, 0, 2, 3, 0, 1, 4, 2]})
    milestones = pd.DataFrame({"date": pd.to_datetime(["2020-01-20"]), "title": ["A"],
                               "on_charts": [True]})
    fig = charts.attacks_per_period_chart(counts, milestones, "week", title="t " * 30,
                                          source="Source: s")
    phone = webcharts.redraw(fig)
    assert phone.get_figwidth() == webcharts.NARROW_FIGSIZE[0]

    def css_px_at_370(figure):  # the smallest text, shown 370 CSS px wide
        charts._draw(figure)  # tick labels exist once drawn
        return webcharts.smallest_text_points(figure) / 72 * 370 / figure.get_figwidth()

    assert css_px_at_370(phone) >= 9 > css_px_at_370(fig)
    assert "\n" in phone.get_suptitle()  # the long title wraps to the phone's width
    plt.close(fig)
    plt.close(phone)


def test_embedded_picture_background_is_pure_white():
    fig, ax = plt.subplots()
    ax.plot([1, 2], [1, 3])
    charts._finish(fig, "t", "s")
    image = Image.open(io.BytesIO(charts._png(charts._draw(fig), 80, small=True)))
    assert image.mode == "P"  # the page's copy uses a palette: lighter pages
    assert image.convert("RGB").getpixel((2, 2)) == (255, 255, 255)
    plt.close(fig)
