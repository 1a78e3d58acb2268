"""The rendered reports opened in a real headless Chromium: they show, their charts load, no
script fails, and the page makes no network request at all."""

from __future__ import annotations

import shutil

import pytest

from iraq_attacks.render import NOTEBOOKS

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.fail("chromium is not installed: apt-get install chromium (see .ci/run)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"])
        yield instance
        instance.close()


def open_offline(browser, path):
    """Open a page, recording every request that is not the page's own file or inline data
    (data: and blob: URLs are built in memory by the page itself),
    and every console error or uncaught exception."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    outside, errors = [], []

    def route(request_route):
        url = request_route.request.url
        if url.startswith(("file://", "data:", "blob:")):  # blob: in-memory, never the network
            request_route.continue_()
        else:
            outside.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri(), wait_until="load")
    return context, page, outside, errors


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_report_shows_offline_without_errors(browser, rendered, name):
    context, page, outside, errors = open_offline(browser, rendered / f"{name}.html")
    try:
        assert outside == [], f"{name}.html asked the network for {outside}"
        assert errors == [], f"{name}.html logged errors: {errors}"
        assert page.locator("#provenance h1").is_visible()
        sizes = page.eval_on_selector_all(
            "img", "imgs => imgs.map(i => [i.complete, i.naturalWidth, i.naturalHeight])")
        assert sizes and all(done and w >= 1000 and h >= 500 for done, w, h in sizes), sizes
        assert page.locator("table").count() >= 1 or name == "overview"
        assert page.evaluate("document.body.innerText.length") > 400
    finally:
        context.close()


def test_index_links_open_every_report(browser, rendered):
    context, page, outside, errors = open_offline(browser, rendered / "index.html")
    try:
        links = page.eval_on_selector_all(".report h2 a",
                                          "as => as.map(a => a.href)")[:len(NOTEBOOKS)]
        assert [link.rsplit("/", 1)[1] for link in links] == [f"{n}.html" for n in NOTEBOOKS]
        for link in links:
            response = page.goto(link)
            assert response is None or response.ok
            assert page.locator("#provenance").count() == 1
        assert outside == [] and errors == []
    finally:
        context.close()


def test_attack_register_sorts_and_searches_offline(browser, rendered):
    context, page, outside, errors = open_offline(browser, rendered / "frequency.html")
    try:
        page.wait_for_selector("#attack-register tbody tr", timeout=15000)
        rows = page.locator("#attack-register tbody tr:not(.paged-out):not(.filtered-out)")
        assert rows.count() >= 5
        search = page.locator("input[type=search]")
        search.fill("K1")
        page.wait_for_timeout(300)
        shown = page.eval_on_selector_all(
            "#attack-register tbody tr:not(.paged-out):not(.filtered-out)",
            "rs => rs.map(r => r.innerText)")
        assert shown and all("K1" in r for r in shown)
        links = page.eval_on_selector_all("#attack-register a", "as => as.map(a => a.href)")
        assert links and all(h.startswith(("http://", "https://")) for h in links)
        assert outside == [] and errors == []
    finally:
        context.close()
