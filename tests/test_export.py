"""The page exporter (export.ReportExporter) skips nbconvert's BeautifulSoup pass and adds
its attributes by pattern: the pages must be the same documents as nbconvert's own."""

from __future__ import annotations

import nbformat
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter

from iraq_attacks import export
from iraq_attacks.paths import PROJECT_ROOT

PIXEL = "iVBORw0KGgo="  # the start of a PNG: what an image holds does not matter here
PROVENANCE = {"title": "A report", "description": "what it shows", "parameters": {},
              "version": "0", "generated": "2020-12-31 00:00 UTC", "fingerprint": "f",
              "data_dir": "data/"}


def notebook() -> nbformat.NotebookNode:
    """Every kind of output the reports hold: headings, images with and without alt text,
    tables with attributes, text and results, a cell whose input is shown as an output."""
    v4 = nbformat.v4
    cells = [
        v4.new_markdown_cell("# Title\n\n## A section & more\n\nText with <b>bold</b>, "
                             "a > sign and ![](data:image/png;base64," + PIXEL + ")"),
        v4.new_code_cell("x", outputs=[v4.new_output(
            "display_data", data={"image/png": PIXEL, "text/plain": "<Figure>"})]),
        v4.new_code_cell("y", outputs=[v4.new_output("display_data", data={
            "text/html": '<figure><img src="data:image/png;base64,' + PIXEL + '" '
                         'alt="A chart: 3 > 2"><figcaption>cap</figcaption></figure>'})]),
        v4.new_code_cell("z", outputs=[v4.new_output("execute_result", execution_count=1, data={
            "text/html": '<div class="table-wrap" tabindex="-1"><table class="report">'
                         '<tr><td data-sort="1">a &amp; b</td><td class="empty"></td></tr>'
                         "</table></div>", "text/plain": "table"})]),
        v4.new_code_cell("print(1)", outputs=[v4.new_output("stream", name="stdout",
                                                            text="1\n")]),
        v4.new_markdown_cell("## Second section\n\n<img src=\"data:image/png;base64,"
                             + PIXEL + "\"/> and a line<br>break"),
    ]
    return v4.new_notebook(cells=cells, metadata={"language_info": {"name": "python"}})


def nbconvert_page(nb) -> str:
    class Plain(export.ReportExporter):  # the same configuration, nbconvert's own last pass
        from_notebook_node = HTMLExporter.from_notebook_node

    exporter = export.make_exporter()
    exporter.__class__ = Plain
    return export.export_html(nb, PROVENANCE, exporter, name="frequency")[0]


def test_the_page_is_the_document_nbconvert_makes():
    nb = notebook()
    ours = export.export_html(nb, PROVENANCE, export.make_exporter(), name="frequency")[0]
    theirs = nbconvert_page(nb)
    assert ours != theirs  # not serialised by BeautifulSoup: the check below is not trivial
    assert BeautifulSoup(ours, "html.parser") == BeautifulSoup(theirs, "html.parser")
    page = BeautifulSoup(ours, "html.parser")
    images = page.find_all("img")
    assert len(images) == 4 and all(img.has_attr("alt") for img in images)
    # the one written without alt (markdown writes an empty one for the other)
    assert [img["alt"] for img in images].count(export.NO_ALT) == 1
    outputs = page.select("div.jp-OutputArea-output")
    assert outputs and all(div.get("tabindex") == "0" for div in outputs)
    # a tabindex an output's own HTML sets is its own
    assert page.select_one("div.table-wrap")["tabindex"] == "-1"


def test_the_committed_pages_have_every_image_described_and_outputs_focusable():
    for name in ("overview", "frequency", "escalation", "casualties"):
        page = BeautifulSoup((PROJECT_ROOT / "reports" / f"{name}.html").read_text(
            encoding="utf-8"), "html.parser")
        assert all(img.get("alt") for img in page.find_all("img")), name
        outputs = page.select("div.jp-OutputArea-output")
        assert outputs and all(div.get("tabindex") == "0" for div in outputs), name
