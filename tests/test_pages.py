"""The report pages as a reader uses them, in a real headless Chromium, over a fixture render
and over the committed reports (reports/ as a reader downloads it): sorting by the header,
navigation that resolves, a phone-width page that does not scroll sideways and whose chart text
is legible, every chart with its finding and its numbers, a register that prints complete, an
escalation page that prints short, and pages that stay light."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

import pytest

from iraq_attacks.paths import REPORTS_DIR
from iraq_attacks.render import NOTEBOOKS
from tests import test_browser
from tests.test_browser import open_offline

browser = test_browser.browser  # the same Chromium fixture

pytestmark = pytest.mark.browser
PAGES = ("index",) + NOTEBOOKS + ("methods",)


@pytest.fixture(params=["fixture", "committed"])
def site(request):
    """The folder of pages under test: a render of the fixture data, or reports/."""
    if request.param == "committed":
        return REPORTS_DIR
    return request.getfixturevalue("rendered")


def rows_used(folder, name):
    """The attacks a report used, as its render recorded them."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return manifest[name]["rows_used"]


def column_values(page, table, column):
    """The cells of one column, in the order shown, of every row the table holds."""
    return page.evaluate(
        """([table, column]) => {
            const t = document.getElementById(table);
            const heads = [...t.tHead.rows[0].cells]
                .map(h => h.textContent.replace(/[↕▲▼]/g, '').trim());
            const i = heads.indexOf(column);
            return [...t.tBodies[0].rows].map(r => r.cells[i].classList.contains('empty')
                ? null : r.cells[i].getAttribute('data-sort'));
        }""", [table, column])


@pytest.mark.parametrize("page_name, table, column", [
    ("frequency", "attack-register", "wounded"), ("frequency", "attack-register", "fired"),
    ("frequency", "attack-register", "killed"), ("casualties", "deadliest-attacks", "wounded")])
def test_header_click_twice_puts_largest_first_and_empty_last(browser, site, page_name,
                                                               table, column):
    context, page, outside, errors = open_offline(browser, site / f"{page_name}.html")
    try:
        header = page.locator(f"#{table} thead th button", has_text=column).first
        header.click()
        ascending = column_values(page, table, column)
        header.click()
        descending = column_values(page, table, column)
        for values, largest_first in ((ascending, False), (descending, True)):
            known = [float(v) for v in values if v is not None]
            assert known, f"{column} has no figure in the fixture"
            assert known == sorted(known, reverse=largest_first)
            # every empty cell after every figure, whichever the direction
            assert values[:len(known)] == [v for v in values if v is not None]
        assert page.locator(f"#{table} th[aria-sort=descending]").count() == 1
        # keyboard: the header is a button, Enter sorts again
        header.focus()
        page.keyboard.press("Enter")
        assert page.locator(f"#{table} th[aria-sort=ascending]").count() == 1
        assert outside == [] and errors == []
    finally:
        context.close()


def test_register_has_no_placeholder_and_csv_holds_the_matching_rows(browser, site):
    context, page, outside, errors = open_offline(browser, site / "frequency.html")
    try:
        text = page.locator("#attack-register").inner_text()
        assert "<NA>" not in text and "nan" not in text.split()
        page.locator("input[type=search]").first.fill("K1")
        link = page.locator(".table-csv").first
        href = link.get_attribute("href")
        assert href.startswith("data:text/csv")
        lines = unquote(href.split(",", 1)[1]).strip().split("\n")
        shown = page.locator("#attack-register tbody tr:not(.filtered-out)").count()
        assert len(lines) == shown + 1 and shown >= 1
        assert all("K1" in line for line in lines[1:])
        page.locator(".table-controls select").first.select_option("0")
        assert page.locator("#attack-register tbody tr.paged-out").count() == 0
    finally:
        context.close()


@pytest.mark.parametrize("name", PAGES)
def test_navigation_links_resolve_to_pages_and_anchors(browser, site, name):
    context, page, outside, errors = open_offline(browser, site / f"{name}.html")
    try:
        links = page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))")
        internal = [h for h in links if not h.startswith(("http://", "https://", "data:"))]
        if name != "index":
            nav = page.eval_on_selector_all(".site-nav a",
                                            "as => as.map(a => a.getAttribute('href'))")
            assert nav == ["index.html"] + [f"{n}.html" for n in NOTEBOOKS] + ["methods.html"]
            current = page.locator(".site-nav a[aria-current=page]")
            assert current.get_attribute("href") == f"{name}.html"
            assert page.locator(".toc a").count() >= 2
            assert page.locator(".page-turn a").count() == 2
        for href in internal:
            target, _, anchor = href.partition("#")
            target = target or f"{name}.html"
            if target == "methods.html" and not (site / target).exists():
                pytest.fail("methods.html is linked but was not rendered")
            if target.endswith("/"):
                assert (site / target).is_dir(), href
                continue
            assert (site / target).exists(), href
            if anchor:
                other = (site / target).read_text(encoding="utf-8")
                assert f'id="{anchor}"' in other, f"{href} has no anchor in {target}"
        assert outside == [] and errors == []
    finally:
        context.close()


@pytest.mark.parametrize("name", PAGES)
def test_phone_width_page_does_not_scroll_sideways(browser, site, name):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto((site / f"{name}.html").as_uri(), wait_until="load")
        assert page.evaluate("document.documentElement.scrollWidth") == 390
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 1440])
def test_register_shows_every_column_on_a_desktop_in_rows_of_few_lines(browser, site, width):
    """On a desktop screen the register's ten columns all show without scrolling its frame
    (its sources column once hid behind the scroll bar, squeezed so narrow that every row
    stood five lines tall), the frame stays inside the window, the page does not scroll
    sideways, and a typical row is at most three lines of text tall."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto((site / "frequency.html").as_uri(), wait_until="load")
        page.wait_for_selector("#attack-register tbody tr")
        found = page.evaluate("""() => {
          // the height of one line of text: an id cell's (ids never wrap)
          const lineOf = cell => { const range = document.createRange();
            range.selectNodeContents(cell); return range.getBoundingClientRect().height; };
          const table = document.querySelector('#attack-register');
          const frame = table.closest('.table-frame');
          const box = frame.getBoundingClientRect();
          const last = table.querySelector('thead th:last-child').getBoundingClientRect();
          const cell = getComputedStyle(table.querySelector('tbody td'));
          const padding = parseFloat(cell.paddingTop) + parseFloat(cell.paddingBottom);
          const rows = [...table.querySelectorAll('tbody tr:not(.paged-out)')]
            .map(r => r.getBoundingClientRect().height - padding).sort((a, b) => a - b);
          return {scroll: frame.scrollWidth, client: frame.clientWidth, left: box.left,
                  right: box.right, lastRight: last.right,
                  line: lineOf(table.querySelector('tbody td')),
                  median: rows[Math.floor(rows.length / 2)],
                  page: document.documentElement.scrollWidth};
        }""")
        assert found["scroll"] <= found["client"] + 1, found
        assert found["lastRight"] <= found["right"] + 1, found
        assert 0 <= found["left"] and found["right"] <= width, found
        assert found["page"] == width, found
        assert found["median"] <= 3.2 * found["line"], found  # three lines at most
    finally:
        context.close()


@pytest.mark.parametrize("scripts", [True, False])
def test_register_prints_every_row_without_pager(browser, site, scripts):
    expected = rows_used(site, "frequency")
    context = browser.new_context(java_script_enabled=scripts)
    page = context.new_page()
    try:
        page.goto((site / "frequency.html").as_uri(), wait_until="load")
        page.emulate_media(media="print")
        visible = page.evaluate("""() => [...document.querySelectorAll('#attack-register tbody tr')]
            .filter(r => getComputedStyle(r).display !== 'none').length""")
        assert visible == expected
        pagers = page.evaluate("""() => [...document.querySelectorAll(
                '.table-pager, .table-controls')]
            .filter(e => getComputedStyle(e).display !== 'none').length""")
        assert pagers == 0
        assert "Loading" not in page.locator("#attack-register").inner_text()
    finally:
        context.close()


@pytest.mark.parametrize("name", PAGES)
def test_page_weight_at_most_3_mib(site, name):
    assert (site / f"{name}.html").stat().st_size <= 3 * 1024 * 1024


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_phone_chart_text_at_least_9_css_px(browser, site, name):
    """At 390 px each chart's smallest text, its size in the drawing shown (the narrow one
    where the page offers it) times the scale the image is displayed at, is 9 CSS px or more;
    and the page does not scroll sideways."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    try:
        page.goto((site / f"{name}.html").as_uri(), wait_until="load")
        shown = page.evaluate("""() => [...document.querySelectorAll('figure.chart img')]
            .map(img => {
                const source = img.parentElement.querySelector('source');
                const drawing = source && img.currentSrc === source.srcset ? source : img;
                return [img.closest('figure').id, parseFloat(drawing.dataset.textPx),
                        img.getBoundingClientRect().width, img.naturalWidth];
            })""")
        assert shown, f"{name}.html has no chart"
        small = {chart: round(px * width / natural, 1) for chart, px, width, natural in shown
                 if not px * width / natural >= 9}
        assert not small, f"chart text below 9 CSS px at 390 px: {small}"
        assert page.evaluate("document.documentElement.scrollWidth") == 390
    finally:
        context.close()


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_chart_states_its_finding_and_offers_its_numbers(browser, site, name):
    """Alternative text begins with the chart's title (its finding, as in figures/*.json),
    and the chart's CSV link (a data: URL) holds the same numbers as figures/<chart>.csv."""
    context, page, outside, errors = open_offline(browser, site / f"{name}.html")
    try:
        charts = page.eval_on_selector_all("figure.chart", """fs => fs.map(f => [
            f.id, f.querySelector('img').alt,
            (f.querySelector('a.chart-csv') || {}).href || ''])""")
        assert charts
        for anchor, alt, href in charts:
            chart = anchor.removeprefix("chart-")
            sidecar = json.loads((site / "figures" / f"{chart}.json").read_text(encoding="utf-8"))
            assert alt.startswith(sidecar["title"]) and not alt.startswith("Chart"), alt
            assert href.startswith("data:text/csv"), f"{chart} has no CSV of its numbers"
            text = unquote(href.split(",", 1)[1])
            assert text == (site / "figures" / f"{chart}.csv").read_text(encoding="utf-8")
            assert len(text.strip().split("\n")) >= 2, f"{chart}: CSV without rows"
        assert outside == [] and errors == []
    finally:
        context.close()


def test_weekly_chart_numbers_and_table_show_every_week(site):
    """The weekly table lists the weeks without an attack too, as the chart does: the same
    weeks and counts as the chart's CSV, which adds up to the attacks the report used."""
    import csv
    from html.parser import HTMLParser

    with (site / "figures" / "frequency-attacks-per-week.csv").open(encoding="utf-8") as f:
        weeks = list(csv.DictReader(f))
    assert sum(int(w["attacks"]) for w in weeks) == rows_used(site, "frequency")
    assert any(w["attacks"] == "0" for w in weeks)

    class Rows(HTMLParser):
        inside, rows, cell = False, [], None

        def handle_starttag(self, tag, attrs):
            if tag == "table" and dict(attrs).get("id") == "T_attacks-per-period":
                self.inside = True
            elif self.inside and tag == "tr":
                self.rows.append([])
            elif self.inside and tag in ("td", "th"):
                self.cell = ""

        def handle_endtag(self, tag):
            if tag == "table":
                self.inside = False
            elif self.inside and tag in ("td", "th") and self.cell is not None:
                self.rows[-1].append(self.cell.strip())
                self.cell = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell += data

    parser = Rows()
    parser.feed((site / "frequency.html").read_text(encoding="utf-8"))
    header, *body = parser.rows
    assert header[:3] == ["period start", "period end", "attacks"]
    assert [r[0] for r in body] == [w["period_start"] for w in weeks]
    for row, week in zip(body, weeks):
        # the same count; or empty, never 0, for a week of a month nobody searched
        assert row[2] == week["attacks"] or (row[2] == "" and week["attacks"] == "0"), row


CARDS = "ds => ds.map(d => [d.querySelector('dt').innerText, d.querySelector('dd').innerText])"


def test_each_page_opens_with_its_finding_and_the_index_repeats_it(browser, site):
    """Every report's header states what it found in a sentence and its key figures, and the
    index lists each report with the same sentence and figures."""
    found = {}
    for name in NOTEBOOKS:
        context, page, outside, errors = open_offline(browser, site / f"{name}.html")
        try:
            assert page.locator(".report-header .finding").count() == 1, f"{name}: no finding"
            sentence = page.locator(".report-header .finding").inner_text().strip()
            figures = page.eval_on_selector_all(
                ".report-header .key-figures > div",
                CARDS)
            assert len(sentence) > 40 and len(figures) >= 3, name
            found[name] = (sentence, figures)
        finally:
            context.close()
    assert dict(found["overview"][1])["Attacks"] == f"{rows_used(site, 'overview'):,}"
    context, page, outside, errors = open_offline(browser, site / "index.html")
    try:
        for name, (sentence, figures) in found.items():
            entry = page.locator(".report", has=page.locator(f"h2 a[href='{name}.html']"))
            assert entry.locator(".finding").inner_text().strip() == sentence
            shown = entry.locator(".key-figures > div").evaluate_all(
                CARDS)
            assert shown == figures
    finally:
        context.close()


def test_escalation_prints_within_12_a4_pages(browser, site):
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto((site / "escalation.html").as_uri(), wait_until="load")
        page.emulate_media(media="print")
        pdf = page.pdf(format="A4", print_background=True)
        pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
        assert 1 <= pages <= 12, f"escalation.html prints {pages} A4 pages"
    finally:
        context.close()


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_a_cell_that_shows_nothing_takes_no_room_in_print(browser, site, name):
    """A cell with no code shown and no output (the headline cell at the end of each page)
    has no height on paper: its padding pushed the escalation page onto a blank last page."""
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto((site / f"{name}.html").as_uri(), wait_until="load")
        page.emulate_media(media="print")
        heights = page.eval_on_selector_all(
            ".jp-Cell.jp-mod-noInput.jp-mod-noOutputs",
            "cells => cells.map(c => c.getBoundingClientRect().height)")
        assert heights, f"{name}: no empty cell to check"
        assert all(h == 0 for h in heights), (name, heights)
    finally:
        context.close()


@pytest.mark.parametrize("name", PAGES)
def test_a_printed_page_keeps_no_screen_padding_under_its_content(browser, site, name):
    """On paper the page margins frame the text; the screen's bottom padding (3rem on the
    methods page) printed a blank twentieth page."""
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto((site / f"{name}.html").as_uri(), wait_until="load")
        page.emulate_media(media="print")
        padding = page.evaluate("parseFloat(getComputedStyle(document.body).paddingBottom)")
        assert padding == 0, (name, padding)
    finally:
        context.close()


A4_TEXT_WIDTH = round((210 - 24) / 25.4 * 96)  # CSS px between the print margins (page.css)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_printed_tables_fit_the_page_width(browser, site, name):
    """Printed, no table runs past the right margin (the revisions table once lost its last
    columns): laid out at the A4 text width in print media."""
    context = browser.new_context(viewport={"width": A4_TEXT_WIDTH, "height": 1000})
    page = context.new_page()
    try:
        page.goto((site / f"{name}.html").as_uri(), wait_until="load")
        page.emulate_media(media="print")
        wide = page.evaluate("""(limit) => [...document.querySelectorAll('table')]
            .filter(t => t.offsetParent !== null)
            .map(t => [t.id || t.className, Math.round(t.getBoundingClientRect().right)])
            .filter(([_, right]) => right > limit + 1)""", A4_TEXT_WIDTH)
        assert wide == [], f"{name}.html: tables past the page's right margin: {wide}"
    finally:
        context.close()


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_readings_are_one_list_not_a_list_per_sentence(site, name):
    """Sentences built from the data (the eleven milestone readings, the revisions, the
    responses) show as one list: shown one by one they made eleven one-item lists whose gaps
    stretched the milestone readings over a page and a half."""
    from bs4 import BeautifulSoup

    page = BeautifulSoup((site / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
    outputs = page.select("div.jp-OutputArea-output")

    def one_item_list(output) -> bool:
        children = [c for c in output.children if getattr(c, "name", None)]
        return (len(children) == 1 and children[0].name == "ul"
                and len(children[0].find_all("li", recursive=False)) == 1)

    runs = [i for i in range(len(outputs) - 1)
            if one_item_list(outputs[i]) and one_item_list(outputs[i + 1])]
    assert not runs, [outputs[i].get_text()[:80] for i in runs]
