"""The report pages as a reader uses them, in a real headless Chromium over a fixture render:
sorting by the header, navigation that resolves, a phone-width page that does not scroll
sideways, a register that prints complete, and pages that stay light."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from iraq_attacks.render import NOTEBOOKS
from tests import test_browser
from tests.test_browser import open_offline

browser = test_browser.browser  # the same Chromium fixture

pytestmark = pytest.mark.browser
PAGES = ("index",) + NOTEBOOKS + ("methods",)


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
def test_header_click_twice_puts_largest_first_and_empty_last(browser, rendered, page_name,
                                                               table, column):
    context, page, outside, errors = open_offline(browser, rendered / f"{page_name}.html")
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


def test_register_has_no_placeholder_and_csv_holds_the_matching_rows(browser, rendered):
    context, page, outside, errors = open_offline(browser, rendered / "frequency.html")
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
def test_navigation_links_resolve_to_pages_and_anchors(browser, rendered, name):
    context, page, outside, errors = open_offline(browser, rendered / f"{name}.html")
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
            if target == "methods.html" and not (rendered / target).exists():
                pytest.fail("methods.html is linked but was not rendered")
            if target.endswith("/"):
                assert (rendered / target).is_dir(), href
                continue
            assert (rendered / target).exists(), href
            if anchor:
                other = (rendered / target).read_text(encoding="utf-8")
                assert f'id="{anchor}"' in other, f"{href} has no anchor in {target}"
        assert outside == [] and errors == []
    finally:
        context.close()


@pytest.mark.parametrize("name", PAGES)
def test_phone_width_page_does_not_scroll_sideways(browser, rendered, name):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto((rendered / f"{name}.html").as_uri(), wait_until="load")
        assert page.evaluate("document.documentElement.scrollWidth") == 390
    finally:
        context.close()


@pytest.mark.parametrize("scripts", [True, False])
def test_register_prints_every_row_without_pager(browser, rendered, scripts):
    from iraq_attacks.data import load_dataset
    from tests.conftest import FIXTURE_DATA

    expected = len(load_dataset(FIXTURE_DATA).attacks)
    context = browser.new_context(java_script_enabled=scripts)
    page = context.new_page()
    try:
        page.goto((rendered / "frequency.html").as_uri(), wait_until="load")
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
def test_page_weight_at_most_3_mib(rendered, name):
    assert (rendered / f"{name}.html").stat().st_size <= 3 * 1024 * 1024
