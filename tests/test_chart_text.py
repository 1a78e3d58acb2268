"""Every figure the notebooks publish, from the fixture data and from the real data, passes
the text geometry check (tests/chart_geometry.py)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import matplotlib.text
import pandas as pd
import pytest
from chart_geometry import published_figures, text_problems
from conftest import FIXTURE_DATA

from iraq_attacks.paths import DATA_DIR, PROJECT_ROOT

DATASETS = {"fixture": FIXTURE_DATA, "real": DATA_DIR}
# the provinces whose capital the map may anchor an attack at
ANCHORS = set(pd.read_csv(PROJECT_ROOT / "data" / "geo" / "provinces.csv")["province"])


@pytest.fixture(scope="module", params=sorted(DATASETS))
def figures(request):
    drawn = published_figures(DATASETS[request.param])
    yield request.param, drawn
    for fig in drawn.values():
        plt.close(fig)


def test_every_published_figure_has_clean_text(figures):
    dataset, drawn = figures
    assert len(drawn) >= 20, f"{dataset}: only {len(drawn)} figures published"
    problems = {name: text_problems(fig) for name, fig in drawn.items()}
    problems = {name: found for name, found in problems.items() if found}
    assert not problems, "\n".join(f"{dataset} {name}: " + "; ".join(found)
                                   for name, found in problems.items())


def test_every_chart_that_hatches_months_says_what_the_hatching_means(figures):
    """Hatched months (rated incomplete by the coverage table) need a key: a line under the
    chart or a hatched entry in its legend. The per-series panels had hatched with neither."""
    dataset, drawn = figures
    hatched_charts, unexplained = [], []
    for name, fig in drawn.items():
        if not any(p.get_hatch() for ax in fig.axes for p in ax.patches):
            continue
        hatched_charts.append(name)
        words = " ".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))
        legend_hatch = any(h.get_hatch() for ax in fig.axes if ax.get_legend()
                           for h in ax.get_legend().get_patches())
        if "Hatched" not in words and not legend_hatch:
            unexplained.append(name)
    if dataset == "real":  # the real coverage table rates months incomplete in both series
        assert {"escalation-tempo", "overview-attacks-per-week"} <= set(hatched_charts)
    assert not unexplained, f"{dataset}: hatched months without a key in {unexplained}"


def test_every_code_has_a_label_and_a_colour():
    """A weapon, target, outcome or casualty group added to the schema without its label and
    colour fails here, not in a render."""
    from iraq_attacks.schema import ATTACKS, CASUALTY_GROUPS, VOCABULARY

    coded = {field.name: set(field.allowed) for field in ATTACKS.fields
             if field.name in ("weapon", "target_type", "outcome")}
    coded["casualty_group"] = set(CASUALTY_GROUPS)
    for column, codes in coded.items():
        assert set(VOCABULARY[column]) == codes, column
        for code, (label, colour) in VOCABULARY[column].items():
            assert label.strip(), (column, code)
            assert len(colour) == 7 and colour.startswith("#"), (column, code, colour)
        known = [c for code, (_, c) in VOCABULARY[column].items() if code != "unknown"]
        assert len(set(known)) == len(known), f"{column}: two codes share a colour"


def test_every_narrow_drawing_has_clean_legible_text(figures):
    """The drawing a phone is served (webcharts.redraw at phone width) passes the same text
    check, and its smallest type is 13 pt: about 12 CSS px at the 370 px it is shown at."""
    from iraq_attacks import webcharts

    dataset, drawn = figures
    if dataset != "real":
        pytest.skip("the real data's figures are enough: a redraw costs time")
    problems = {}
    for name, fig in drawn.items():
        phone = webcharts.redraw(fig)
        assert phone is not None, f"{name} was not drawn by a recorded chart function"
        assert phone.get_figwidth() == webcharts.NARROW_FIGSIZE[0]
        found = text_problems(phone)
        smallest = webcharts.smallest_text_points(phone)
        if smallest < 13:
            found.append(f"smallest text {smallest} pt")
        gap = notes_gap_inches(phone)
        if gap > 0.55:  # the notes' height was estimated long: 0.5 to 0.8 in of blank canvas
            found.append(f"{gap:.2f} in of empty canvas between the chart and its notes")
        if found:
            problems[name] = found
        plt.close(phone)
    assert not problems, "\n".join(f"{name}: " + "; ".join(found)
                                   for name, found in problems.items())


def notes_gap_inches(fig) -> float:
    """Inches between the lowest thing the plots draw (tick labels, axis labels, keys) and
    the top of the notes under the chart."""
    renderer = fig.canvas.get_renderer()
    notes = [t for t in fig.texts if t.get_text().strip() and t.get_va() == "bottom"
             and t.get_position()[1] <= 0.02]
    if not notes:
        return 0.0
    top_of_notes = max(t.get_window_extent(renderer).y1 for t in notes)
    lowest = min([ax.get_tightbbox(renderer).y0 for ax in fig.axes]
                 + [legend.get_window_extent(renderer).y0 for legend in fig.legends])
    return (lowest - top_of_notes) / fig.dpi


def test_deck_charts_drawn_for_the_slide_are_legible_and_untitled(figures):
    """The slide version of every deck chart (slides.slide_figure): no text under 18 pt at
    the size the slide shows it, none of the chart's own title, clean text geometry."""
    from chart_geometry import _texts

    from iraq_attacks import slides

    dataset, drawn = figures
    shown = [name for name in slides.DEFAULT_DECK_CHARTS if name in drawn]
    assert len(shown) >= 6
    problems = []
    for name in shown:
        fig = drawn[name]
        title = (fig.get_suptitle() or fig.axes[0].get_title(loc="left")).strip()
        fig, _ = slides.slide_figure(fig)
        drawn[name] = fig
        assert tuple(fig.get_size_inches()) == slides.PICTURE_SIZE
        found = text_problems(fig)
        texts = _texts(fig)
        ticks = [box for kind, _, box in texts if kind == "tick label"]
        for kind, artist, box in texts:
            # a label over the data half an em clear of every tick label: closer, it
            # reads as one with it (slide 7: the busiest phase label against the tick "15")
            clear = artist.get_fontsize() / 2 * fig.dpi / 72 if kind == "annotation" else 0
            if clear and any(box.expanded(1, 1).padded(clear).overlaps(t) for t in ticks):
                found.append(f"annotation {artist.get_text()!r} touches a tick label")
        for kind, artist, _box in texts:
            text = artist.get_text() if hasattr(artist, "get_text") else ""
            if title and text.strip() == title:
                found.append(f"{kind} repeats the chart's title {title!r}")
            sizes = ([t.get_fontsize() for t in artist.get_texts()] if kind == "legend"
                     else [artist.get_fontsize()])
            if min(sizes) < slides.MIN_FONT:
                found.append(f"{kind} {text!r} at {min(sizes)} pt")
        problems += [f"{dataset} {name}: {p}" for p in found]
    assert not problems, "\n".join(problems)


def test_source_lines_name_outlets_not_domains(figures):
    """The source line under every chart names the outlets (data/sources.csv) its rows
    cite most, not their web domains."""
    import csv

    dataset, drawn = figures
    with (DATASETS[dataset] / "sources.csv").open(encoding="utf-8") as handle:
        graded = list(csv.DictReader(handle))
    for name, fig in drawn.items():
        source = next(part for part in getattr(fig, "_house_key", [""])[::-1]
                      if part.startswith("Source:")) if hasattr(fig, "_house_key") else None
        if source is None:  # a chart that prints its source line itself
            source = next(t.get_text() for t in fig.texts if "Source:" in t.get_text())
        source = " ".join(source.split())  # as printed, wrapped
        assert "compiled from reports by" in source, (dataset, name, source)
        assert any(f"{row['outlet']} (" in source for row in graded), (dataset, name, source)
        assert not any(f"{row['domain']} (" in source and row["domain"] != row["outlet"]
                       for row in graded), (dataset, name, source)


def test_the_map_marks_every_place_of_the_selection(figures):
    """One circle per place (site or province group of roads) of the selection's attacks on
    the country map; a place left off is counted in the note under the map, and with the
    shipped anchors no attack of these datasets is left off."""
    import re

    from iraq_attacks.context import build_context
    from iraq_attacks.data import load_dataset

    dataset, drawn = figures
    used = build_context(load_dataset(DATASETS[dataset]), {}).selection.used
    places = used["site_id"].nunique()
    for name in ("overview-map", "frequency-map"):
        fig = drawn[name]
        circles = sum(len(c.get_offsets()) for c in fig.axes[0].collections
                      if c.get_gid() == "sites")
        # the key as printed under the chart (or kept for the slide's text box, when the
        # slide test above turned this figure into its slide version)
        printed = " ".join(" ".join(getattr(fig, "_house_key", None)
                                    or [t.get_text() for t in fig.texts]).split())
        note = printed.split("Not on the map", 1)[1].split("Source:")[0] if (
            "Not on the map" in printed) else ""
        unplaced = len(re.findall(r"\(\d+\)", note))
        assert circles + unplaced == places, (dataset, name, circles, unplaced, places)
        # left off: only a place without coordinates whose province the sources do not give
        sites = load_dataset(DATASETS[dataset]).sites[["site_id", "latitude", "province"]]
        shown = used[["site_id"]].drop_duplicates().merge(sites, on="site_id")
        located = shown["latitude"].notna()
        anchored = shown["province"].map(lambda p: all(
            part.strip() in ANCHORS
            for part in str(p).removesuffix(" (not reported)").split(" or ")))
        assert unplaced == int((~located & ~anchored).sum()), (dataset, name, note)
        hollow = [c for c in fig.axes[0].collections if c.get_gid() == "sites"
                  and c.get_facecolor()[0][:3].tolist() == [1.0, 1.0, 1.0]]
        assert sum(len(c.get_offsets()) for c in hollow) == int((~located & anchored).sum())


def test_every_city_square_on_the_map_carries_its_name(figures):
    """A city's name is hidden where it would run into the data; its square then goes too
    (the squares of Baghdad, Mosul, Erbil, Karbala and Najaf stood on the real data's map
    unnamed, marks nobody could read). Checked on the page's drawing and on the phone's."""
    from matplotlib.text import Text

    from iraq_attacks import webcharts

    dataset, drawn = figures
    for name in ("overview-map", "frequency-map"):
        for fig in (drawn[name], webcharts.redraw(drawn[name])):
            fig.canvas.draw()
            for ax in fig.axes:
                named = {(round(t.xy[0], 4), round(t.xy[1], 4)) for t in ax.texts
                         if isinstance(t, Text) and hasattr(t, "xy") and t.get_visible()}
                squares = [line for line in ax.get_lines() if line.get_gid() == "city"]
                assert squares or ax is not fig.axes[0], (dataset, name)
                unnamed = [tuple(line.get_xydata()[0]) for line in squares
                           if line.get_visible() and (round(line.get_xydata()[0][0], 4),
                                                      round(line.get_xydata()[0][1], 4))
                           not in named]
                assert not unnamed, (dataset, name, fig.get_figwidth(), unnamed)


def test_month_ticks_name_the_year_at_january_and_the_first_month_only():
    from iraq_attacks import charts

    counts = pd.DataFrame({"period_start": pd.date_range("2019-10-14", periods=30, freq="W-MON"),
                           "attacks": 1})
    fig = charts.attacks_per_period_chart(counts, pd.DataFrame(columns=["date", "title"]),
                                          "week", title="30 attacks in 30 weeks", source="s")
    fig.canvas.draw()
    ax = fig.axes[0]
    left, right = ax.get_xlim()
    shown = [t.get_text() for t in ax.xaxis.get_ticklabels()
             if left <= t.get_position()[0] <= right and t.get_text()]
    assert shown[0] == "Nov\n2019"  # the axis starts mid-October: November is the first
    assert "Jan\n2020" in shown
    assert [label for label in shown if "\n" in label] == ["Nov\n2019", "Jan\n2020"]
    plt.close(fig)


def test_a_title_longer_than_the_canvas_is_wrapped_inside_it():
    """A million attacks make the timeline's title longer than any title of the real data:
    it wrapped to the plot instead of running off the canvas."""
    from iraq_attacks import charts, escalation
    from iraq_attacks.data import load_dataset

    dataset = load_dataset(DATA_DIR)
    timeline = escalation.attack_timeline(dataset.attacks)
    long_title = ("1,000,000 attacks at 22 sites, 49,637 of them deadly, against "
                  "11 milestones, counted over the whole of the period")
    fig = charts.timeline_chart(timeline, dataset.milestones, title=long_title, source="s")
    try:
        assert text_problems(fig) == []
        heading = fig.axes[0].get_title(loc="left")
        assert "\n" in heading
        assert heading.replace("\n", " ") == long_title
    finally:
        plt.close(fig)


def test_an_end_figure_never_sits_on_the_series_that_begins_where_it_ends():
    """Two series of one attack often meet on one report: the wounded end at 11 on the day the
    evacuated begin at 11 (Ain al-Asad). The wounded figure, printed right of its last point,
    sat on the evacuated line; drawn at page, phone and slide size it must find a free spot."""
    from chart_geometry import _texts, direct_labels_on_other_lines

    from iraq_attacks import charts, slides, webcharts

    day = pd.Timestamp("2020-01-08")
    series = pd.DataFrame({
        "series": ["wounded"] * 2 + ["evacuated"] * 4,
        "report_date": [day, day + pd.Timedelta(days=8), day + pd.Timedelta(days=8),
                        day + pd.Timedelta(days=16), day + pd.Timedelta(days=24),
                        day + pd.Timedelta(days=44)],
        "figure": [0, 11, 11, 18, 21, 35]})
    page = charts.revision_chart(series, "Base: the evacuated went from 11 to 35", "Source: test")
    phone = webcharts.redraw(page)
    slide, _ = slides.slide_figure(charts.revision_chart(series, "Base", "Source: test"))
    for size, fig in (("page", page), ("phone", phone), ("slide", slide)):
        fig.canvas.draw()
        labels = [t for t in fig.axes[0].texts if t.get_text().strip()]
        assert [t.get_text().strip() for t in labels] == ["11", "35"], size
        assert not direct_labels_on_other_lines(fig, _texts(fig)), size
        assert not text_problems(fig), size
        plt.close(fig)


def test_a_revision_chart_dates_its_first_and_last_report_on_a_page_and_a_phone(figures):
    """A revision chart shows at least two dated ticks where the reports fall on two days or
    more, none repeated: on a phone, K1's reports of 28 and 29 Dec 2019 had one tick, so the
    second report had no date."""
    from iraq_attacks import webcharts

    dataset, drawn = figures
    revisions = {name: fig for name, fig in drawn.items() if "-revisions-" in name}
    assert revisions, dataset
    for name, fig in revisions.items():
        days = {round(x) for line in fig.axes[0].get_lines() for x in line.get_xdata(orig=False)
                if line.get_gid() != "city"}
        for drawing in (fig, webcharts.redraw(fig)):
            drawing.canvas.draw()
            ax = drawing.axes[0]
            labels = [t.get_text() for t in ax.get_xticklabels()
                      if t.get_visible() and t.get_text().strip()
                      and ax.get_xlim()[0] <= t.get_position()[0] <= ax.get_xlim()[1]]
            assert len(labels) >= min(2, len(days)), (dataset, name, drawing.get_figwidth(),
                                                      labels)
            assert len(set(labels)) == len(labels), (dataset, name, labels)
