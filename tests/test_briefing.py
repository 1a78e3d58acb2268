"""The briefing pack: the deck opened with python-pptx, the presentation figures, and no stale
files after a render."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import FIXTURE_DATA
from PIL import Image
from pptx import Presentation
from pptx.util import Inches

from iraq_attacks.briefing import DEFAULT_DECK_CHARTS, build_deck, deck_key_figures
from iraq_attacks.data import load_dataset
from iraq_attacks.render import render

pytestmark = pytest.mark.render


def chart_slides(deck):
    return [s for s in deck.slides if any(sh.shape_type == 13 for sh in s.shapes)]


def test_deck_has_title_key_figures_charts_and_closing(rendered):
    deck = Presentation(str(rendered / "briefing.pptx"))
    available = {p.stem for p in (rendered / "figures").glob("*.png")}
    expected_charts = [c for c in DEFAULT_DECK_CHARTS if c in available]
    assert len(expected_charts) >= 6
    assert len(deck.slides) == 3 + len(expected_charts)
    slides = list(deck.slides)
    as_of = load_dataset(FIXTURE_DATA).as_of
    assert f"data as of {as_of:%d %B %Y}" in " ".join(
        sh.text_frame.text for sh in slides[0].shapes if sh.has_text_frame)
    assert slides[1].shapes[0].text_frame.text == "Bottom line"
    assert slides[-1].shapes[0].text_frame.text.startswith("Sources: ")
    for slide, name in zip(chart_slides(deck), expected_charts):
        pictures = [sh for sh in slide.shapes if sh.shape_type == 13]
        assert len(pictures) == 1
        # the chart drawn for the slide (figures/slides/), not the page's picture
        blob = pictures[0].image.blob
        assert blob == (rendered / "figures" / "slides" / f"{name}.png").read_bytes()
        notes = slide.notes_slide.notes_text_frame.text
        assert "Source: Iraq attacks dataset" in notes and f"figures/{name}.png" in notes


def test_key_figures_on_the_slide_equal_the_data(rendered):
    deck = Presentation(str(rendered / "briefing.pptx"))
    texts = [sh.text_frame.text for sh in list(deck.slides)[1].shapes if sh.has_text_frame]
    figures = deck_key_figures(load_dataset(FIXTURE_DATA))
    dataset = load_dataset(FIXTURE_DATA)
    assert figures["Attacks"] == str(len(dataset.attacks))
    killed = int(dataset.attacks.filter(like="killed_").sum().sum())
    assert figures["Killed"] == str(killed)
    for label, value in figures.items():
        position = texts.index(label)
        assert texts[position + 1] == value


def test_every_presentation_figure_is_large_with_a_sidecar(rendered):
    pngs = sorted((rendered / "figures").glob("*.png"))
    assert len(pngs) >= 20
    for png in pngs:
        assert Image.open(png).size == (1920, 1080), png.name
        assert png.with_suffix(".svg").stat().st_size > 1000
        sidecar = json.loads(png.with_suffix(".json").read_text())
        assert sidecar["name"] == png.stem and sidecar["title"] and sidecar["takeaway"]


def test_an_unknown_deck_chart_is_an_error_naming_the_available_ones(rendered, tmp_path):
    with pytest.raises(ValueError, match="deck charts not rendered: no-such-chart; available"):
        build_deck(load_dataset(FIXTURE_DATA), rendered / "figures", tmp_path / "d.pptx",
                   ["no-such-chart"])


def test_a_render_leaves_no_stale_figures(rendered, tmp_path):
    out = tmp_path / "reports"
    shutil.copytree(rendered, out)
    (out / "figures" / "frequency-a-chart-from-an-old-version.png").write_bytes(b"old")
    (out / "figures" / "overview-removed-chart.svg").write_bytes(b"old")
    render(notebooks=["frequency"], data_dir=FIXTURE_DATA, out_dir=out, force=True)
    names = {p.name for p in (out / "figures").iterdir()}
    assert "frequency-a-chart-from-an-old-version.png" not in names
    # only the re-rendered report's figures are replaced: the overview's stay as they were
    assert "overview-removed-chart.svg" in names
    assert {p.name for p in (rendered / "figures").glob("overview-*")} <= names


@pytest.mark.parametrize("where", ["fixture", "committed"])
def test_chart_slide_titles_never_touch_the_picture_and_every_slide_is_numbered(
        rendered, where):
    from iraq_attacks.briefing import title_lines
    from iraq_attacks.paths import REPORTS_DIR

    folder = rendered if where == "fixture" else REPORTS_DIR
    deck = Presentation(str(folder / "briefing.pptx"))
    total = len(deck.slides)
    for number, slide in enumerate(deck.slides, start=1):
        texts = [sh for sh in slide.shapes if sh.has_text_frame]
        assert any(sh.text_frame.text.startswith(f"{number} / {total} · data as of ")
                   for sh in texts), f"slide {number} has no number and as-of date"
        pictures = [sh for sh in slide.shapes if sh.shape_type == 13]
        if not pictures:
            continue
        title, picture = texts[0], pictures[0]
        size = title.text_frame.paragraphs[0].font.size.pt
        lines = title_lines(title.text_frame.text, size, title.width)
        assert lines <= 2, f"slide {number}: title takes {lines} lines"
        # the lines the title takes end inside its box, and the box ends above the picture
        assert size * 1.2 * lines * 12700 <= title.height
        assert title.top + title.height <= picture.top, f"slide {number}: title over picture"
        assert picture.top + picture.height <= deck.slide_height


def _text_height_points(text: str, size: float, width_points: float, bold: bool = False,
                        space_before: float = 0) -> float:
    """The height a text takes wrapped at spaces in a box ``width_points`` wide, measured
    with matplotlib's Agg text engine in DejaVu Sans (wider than the deck's Calibri, and
    what LibreOffice shows without it)."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    renderer = RendererAgg(10, 10, 72)  # at 72 dpi a pixel is a point
    font = FontProperties(family="DejaVu Sans", size=size,
                          weight="bold" if bold else "normal")

    def length(line: str) -> float:
        return renderer.get_text_width_height_descent(line, font, ismath=False)[0]

    lines = 0
    for paragraph in text.split("\n"):
        line, lines = "", lines + 1
        for word in paragraph.split():
            if line and length(f"{line} {word}") > width_points:
                line, lines = word, lines + 1
            else:
                line = f"{line} {word}" if line else word
    return lines * size * 1.2 + text.count("\n") * space_before


@pytest.mark.parametrize("where", ["fixture", "committed"])
def test_every_text_on_every_slide_fits_its_box_above_the_footer(rendered, where):
    """Every text box of the deck (titles, key-figure cards, findings, the keys under the
    charts, notes), wrapped as shown, ends inside its box, and its box ends above the slide
    number: nothing runs into the next box or the footer, whatever the data make the texts
    say (on slides 4 and 7 the key ran into the footer)."""
    from iraq_attacks.paths import REPORTS_DIR

    folder = rendered if where == "fixture" else REPORTS_DIR
    deck = Presentation(str(folder / "briefing.pptx"))
    checked = 0
    for number, slide in enumerate(deck.slides, start=1):
        texts = [sh for sh in slide.shapes if sh.has_text_frame and sh.text_frame.text]
        footer = next(sh for sh in texts if sh.text_frame.text.startswith(f"{number} / "))
        for box in texts:
            if box is footer:
                continue
            checked += 1
            paragraphs = box.text_frame.paragraphs
            size = paragraphs[0].font.size.pt
            bold = bool(paragraphs[0].font.bold)
            spacing = paragraphs[-1].space_before.pt if paragraphs[-1].space_before else 0
            inner_width = (box.width - Inches(0.2)) / 12700
            needed = _text_height_points(box.text_frame.text, size, inner_width, bold, spacing)
            room = (box.height - Inches(0.1)) / 12700
            assert needed <= room + 1, (f"slide {number}: {box.text_frame.text[:40]!r} needs "
                                        f"{needed:.0f} pt, its box holds {room:.0f} pt")
            assert box.top + box.height <= footer.top, (
                f"slide {number}: {box.text_frame.text[:40]!r} reaches the footer")
            if box.text_frame.text.startswith("Sources: "):
                continue
            # the outlets are named once, on the sources slide, not under every chart
            assert "compiled from reports by" not in box.text_frame.text, f"slide {number}"
    assert checked >= 20


def _inches(emu) -> float:
    return emu / 914400


def test_chart_text_is_18_points_on_the_slide_and_each_slide_has_one_title(rendered):
    """The smallest type of each chart picture, times the scale it is placed at (its width
    on the slide over the width it was drawn at, from the PNG's resolution), is 18 pt or
    more; the slide's title is the only title: the picture's own is not drawn; title and
    picture do not intersect; the picture's alternative text is the chart's finding."""
    import io

    folder = rendered
    deck = Presentation(str(folder / "briefing.pptx"))
    slides_seen = 0
    for number, slide in enumerate(deck.slides, start=1):
        pictures = [sh for sh in slide.shapes if sh.shape_type == 13]
        if not pictures:
            continue
        slides_seen += 1
        picture = pictures[0]
        notes = slide.notes_slide.notes_text_frame.text
        name = notes.split("Chart file: figures/")[1].split(".png")[0]
        meta = json.loads((folder / "figures" / f"{name}.json").read_text())
        # alternative text: the chart's own title, which states its finding
        assert picture._element.nvPicPr.cNvPr.get("descr") == meta["title"]
        image = Image.open(io.BytesIO(picture.image.blob))
        drawn_width = image.size[0] / image.info["dpi"][0]  # inches the chart was drawn at
        scale = _inches(picture.width) / drawn_width
        smallest = meta["slide"]["smallest_font"] * scale
        assert smallest >= 18, f"slide {number} ({meta['name']}): chart text {smallest:.1f} pt"
        assert abs(meta["slide"]["width_inches"] - drawn_width) < 0.01
        texts = [sh for sh in slide.shapes if sh.has_text_frame and sh.text_frame.text]
        title = texts[0]
        assert title.text_frame.text == meta["takeaway"]
        above = [sh for sh in texts if sh.top < picture.top]
        assert above == [title], f"slide {number}: more than one title above the chart"
        overlap_x = min(title.left + title.width, picture.left + picture.width) - max(
            title.left, picture.left)
        overlap_y = min(title.top + title.height, picture.top + picture.height) - max(
            title.top, picture.top)
        assert overlap_x <= 0 or overlap_y <= 0, f"slide {number}: title box on the picture"
        assert picture.left >= 0 and picture.left + picture.width <= deck.slide_width
    assert slides_seen >= 6


def test_bottom_line_figures_are_the_overview_pages(rendered):
    """The bottom-line slide (after the title) shows the key figures of the overview page
    as rendered, label by label, and three to five findings."""
    import html
    import re

    page = (rendered / "overview.html").read_text(encoding="utf-8")
    # the key figures in the page's header (a definition list)
    cards = page[page.index('class="key-figures"'):]
    cards = cards[:cards.index("</dl>")]
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", cards)
    overview = {html.unescape(label): html.unescape(value) for label, value in pairs}
    assert len(overview) >= 5
    slide = list(Presentation(str(rendered / "briefing.pptx")).slides)[1]
    texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
    assert texts[0] == "Bottom line"
    shown = {label: texts[texts.index(label) + 1] for label in overview if label in texts}
    assert shown == overview
    findings = [t for t in texts if t.startswith("• ")]
    bullets = findings[0].split("\n") if findings else []
    assert 3 <= len(bullets) <= 5, bullets


def test_sources_slide_counts_attacks_by_kind_of_source(rendered):
    """The closing slide: for each kind of source in sources.csv, the attacks citing one,
    counted here from the fixture's own files, and the outlets by name."""
    import csv
    from urllib.parse import urlsplit

    with (FIXTURE_DATA / "sources.csv").open(encoding="utf-8") as handle:
        graded = {row["domain"]: row for row in csv.DictReader(handle)}
    with (FIXTURE_DATA / "attacks.csv").open(encoding="utf-8") as handle:
        attacks = list(csv.DictReader(handle))
    expected: dict[str, int] = {}
    for row in attacks:
        hosts = {urlsplit(u).hostname.removeprefix("www.") for u in row["source_urls"].split()}
        for kind in {graded[h]["kind"] for h in hosts}:
            expected[kind] = expected.get(kind, 0) + 1
    slide = list(Presentation(str(rendered / "briefing.pptx")).slides)[-1]
    table = next(sh for sh in slide.shapes if sh.has_table).table
    rows = [[table.cell(i, j).text for j in range(3)] for i in range(1, len(table.rows))]
    from iraq_attacks.sourcing import KINDS

    assert {KINDS[k]: str(n) for k, n in expected.items()} == {r[0]: r[1] for r in rows}
    outlets = {row["outlet"] for row in graded.values()}
    for row in rows:
        assert any(f"{outlet} (" in row[2] for outlet in outlets), row
        assert not any(f"{domain} (" in row[2] for domain in graded if domain not in outlets)


def test_a_chart_chosen_for_the_deck_later_is_drawn_for_the_slide(rendered, tmp_path):
    """--deck-charts naming a chart of an unchanged report: that report runs again to draw
    the chart for the slide, and the others stay as they were."""
    out = tmp_path / "reports"
    shutil.copytree(rendered, out)
    assert not (out / "figures" / "slides" / "escalation-tempo.png").exists()
    outcome = render(data_dir=FIXTURE_DATA, out_dir=out, deck_charts=["escalation-tempo"])
    assert outcome.rendered == ["escalation"] and outcome.deck
    slides = chart_slides(Presentation(str(out / "briefing.pptx")))
    assert len(slides) == 1
    picture = next(sh for sh in slides[0].shapes if sh.shape_type == 13)
    assert picture.image.blob == (out / "figures" / "slides" / "escalation-tempo.png"
                                  ).read_bytes()
