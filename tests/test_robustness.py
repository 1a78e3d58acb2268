"""A render that is killed loses nothing; two renders of the same inputs are byte-identical;
hostile text in the data runs nothing in a browser."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import EPOCH, FIXTURE_DATA, edit_cell, read_rows, write_rows

from iraq_attacks.paths import PROJECT_ROOT
from iraq_attacks.render import render

pytestmark = pytest.mark.render


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_two_renders_of_the_same_inputs_are_byte_identical(rendered, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    render(data_dir=FIXTURE_DATA, out_dir=tmp_path / "again")
    first, second = files(rendered), files(tmp_path / "again")
    assert sorted(first) == sorted(second)
    assert any(name.endswith(".svg") for name in first) and "briefing.pptx" in first
    different = [name for name in first if first[name] != second[name]]
    assert different == []


def render_process(out: Path, data: Path) -> subprocess.Popen:
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    return subprocess.Popen([sys.executable, "-m", "iraq_attacks", "render", "--data", str(data),
                             "--out", str(out)], cwd=PROJECT_ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def kill_when(process: subprocess.Popen, condition, timeout: float = 120) -> bool:
    """SIGKILL the render (and its kernels) as soon as ``condition()`` holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if condition():
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.005)
    return False


def test_a_killed_render_leaves_every_file_old_or_new(rendered, tmp_path):
    """The previous reports are the fixture render; the new inputs differ in one attack, so
    every file changes. The render is killed twice: while notebooks run, and at the first
    sign of it writing into the output folder. Each time, each file must be the previous
    complete version or the new complete one; the new complete version is what the next
    render writes there (it must clean up what the killed one left behind), and both
    recoveries must write the same files."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    edit_cell(data, "attacks.csv", 0, "notes", "An edited note, so the data fingerprint changes.")
    old_files, left, recovered = files(rendered), {}, {}

    for moment in ("executing", "publishing"):
        out = tmp_path / moment
        shutil.copytree(rendered, out)
        before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
        started = time.monotonic()
        process = render_process(out, data)
        if moment == "executing":
            killed = kill_when(process, lambda started=started: time.monotonic() - started > 3)
        else:
            killed = kill_when(process, lambda before=before: any(
                p.exists() and p.stat().st_mtime_ns != t for p, t in before.items()))
        assert killed, f"the render finished before it could be killed ({moment})"
        # a staging folder or temporary file of the killed render is not a report
        left[moment] = {name: data_bytes for name, data_bytes in files(out).items()
                        if "/." not in f"/{name}"}
        assert render_process(out, data).wait(timeout=300) == 0
        recovered[moment] = files(out)

    new_files = recovered["executing"]
    assert recovered["publishing"] == new_files
    assert new_files != old_files
    for moment, found in left.items():
        for name, data_bytes in found.items():
            assert data_bytes in (old_files.get(name), new_files.get(name)), \
                f"{moment}: {name} is neither the old nor the new version"


HOSTILE = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=1\">"


@pytest.fixture(scope="module")
def hostile_reports(tmp_path_factory) -> Path:
    """Reports rendered from data whose text fields carry script payloads that pass
    validation (site names, labels, notes, outlets, milestone titles and descriptions)."""
    folder = tmp_path_factory.mktemp("hostile")
    data = folder / "data"
    shutil.copytree(FIXTURE_DATA, data)
    columns, rows = read_rows(data / "sites.csv")
    for row in rows:
        row["name"] = f"{row['name']} {HOSTILE}"
        row["label"] = "<script>p=1</script>"[:20] if row["site_id"] == "k1" else row["label"]
    write_rows(data / "sites.csv", columns, rows)
    edit_cell(data, "attacks.csv", 0, "notes", HOSTILE)
    edit_cell(data, "milestones.csv", 0, "title", "<img src=x onerror=p=1>")
    edit_cell(data, "milestones.csv", 0, "description", HOSTILE)
    edit_cell(data, "press_counts.csv", 0, "outlet", HOSTILE)
    render(data_dir=data, out_dir=folder / "reports")
    return folder / "reports"


def test_hostile_text_is_escaped_in_the_pages(hostile_reports):
    for page in hostile_reports.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>window.__pwned" not in html, page.name
        assert "<script>p=1" not in html, page.name
        assert "<img src=x onerror" not in html, page.name  # escaped: &lt;img ...


def test_hostile_text_runs_nothing_in_chromium(hostile_reports):
    from playwright.sync_api import sync_playwright
    from test_browser import CHROMIUM, open_offline  # noqa: F401  (same browser set-up)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"])
        try:
            for page_path in sorted(hostile_reports.glob("*.html")):
                context, page, outside, errors = open_offline(browser, page_path)
                try:
                    page.wait_for_timeout(500)
                    assert page.evaluate("window.__pwned === undefined && "
                                         "typeof p === 'undefined'"), page_path.name
                    assert outside == [], f"{page_path.name} requested {outside}"
                    text = page.evaluate("document.body.innerText")
                    if page_path.name == "escalation.html":
                        assert "<img src=x onerror=p=1>" in text  # shown as text
                finally:
                    context.close()
        finally:
            browser.close()
