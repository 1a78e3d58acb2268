"""nbconvert export of an executed notebook into one self-contained HTML page.

Code is hidden, images are embedded, the parameters cells and every stderr stream are removed,
and nothing in the page refers to a network address.
"""

from __future__ import annotations

import re
from typing import Any

import nbformat
from nbconvert import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor
from traitlets.config import Config

from .headlines import HEADLINE_MIME
from .navigation import insert_table_of_contents, site
from .paths import TEMPLATES_DIR
from .provenance import SCOPE_MIME

_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


class DropMachineryPreprocessor(Preprocessor):
    """Remove stderr output (warnings, progress bars) and take the scope and headline payloads
    that the notebook published (provenance.publish_scope, headlines.publish) out of the page
    into resources."""

    def preprocess(self, nb, resources):
        resources.setdefault("scope", None)
        resources.setdefault("headline", None)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            kept = []
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream" and output.get("name") == "stderr":
                    continue
                data = output.get("data", {})
                if SCOPE_MIME in data:
                    resources["scope"] = data[SCOPE_MIME]
                    continue
                if HEADLINE_MIME in data:
                    resources["headline"] = data[HEADLINE_MIME]
                    continue
                kept.append(output)
            cell.outputs = kept
        return nb, resources


_DIV = re.compile(r"<div\b[^>]*>")
_IMG = re.compile(r"<img\b[^>]*>")
_CLASS = re.compile(r'\sclass="([^"]*)"')
_FOCUSABLE = {"jp-Cell-inputWrapper", "jp-OutputArea-output"}
NO_ALT = "No description has been provided for this image"


def _focusable(tag: re.Match) -> str:
    text = tag.group(0)
    classes = _CLASS.search(text)
    if not classes or not _FOCUSABLE & set(classes.group(1).split()) or " tabindex=" in text:
        return text
    return text[:-1] + ' tabindex="0">'


def _described(tag: re.Match) -> str:
    text = tag.group(0)
    if re.search(r"\salt=", text):
        return text
    end = -2 if text.endswith("/>") else -1
    return f'{text[:end]} alt="{NO_ALT}"{text[end:]}'


class ReportExporter(HTMLExporter):
    """nbconvert's HTML exporter without its final pass, which parses the finished page with
    BeautifulSoup's pure-Python parser only to add two attributes: an alt text to images
    without one and tabindex to cell wrappers and outputs. On a page with a table of 2,000
    attacks that pass took 4.2 s of a 4.6 s export; here the same attributes are added to the
    tags the template writes, by pattern (tests/test_export.py compares the two pages)."""

    def from_notebook_node(self, nb, resources=None, **kw):
        # HTMLExporter.from_notebook_node (nbconvert 7.17) up to its BeautifulSoup pass
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        highlight_code = self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
        resources = self._init_resources(resources)
        filter_data_type = WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources)
        self.register_filter("highlight_code", highlight_code)
        self.register_filter("filter_data_type", filter_data_type)
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return _IMG.sub(_described, _DIV.sub(_focusable, html)), resources


def make_exporter() -> HTMLExporter:
    config = Config()
    # The page header (template) replaces the notebook's own title cell, tagged report-header.
    config.TagRemovePreprocessor.remove_cell_tags = {"parameters", "injected-parameters",
                                                     "report-header"}
    config.TagRemovePreprocessor.enabled = True
    exporter = ReportExporter(
        config=config,
        template_name="report",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    exporter.register_preprocessor(TagRemovePreprocessor(config=config), enabled=True)
    exporter.register_preprocessor(DropMachineryPreprocessor(), enabled=True)
    return exporter


def strip_css_comments(html: str) -> str:
    """nbconvert inlines stylesheets whose comments carry URLs; comments are not needed."""
    return re.sub(r"(<style[^>]*>)(.*?)(</style>)",
                  lambda m: m.group(1) + _CSS_COMMENT.sub("", m.group(2)) + m.group(3),
                  html, flags=re.DOTALL)


def export_html(nb: nbformat.NotebookNode, provenance: dict[str, Any],
                exporter: HTMLExporter | None = None,
                name: str | None = None) -> tuple[str, dict | None]:
    """Export an executed notebook; returns the page and the scope payload it published.

    ``name`` (the report's, e.g. "frequency") links the page to the others (navigation.site).
    ``provenance`` fills the header; the scope the notebook published (rows used, window,
    exclusions) is merged into it, since only the notebook knows which rows it used.
    """
    exporter = exporter or make_exporter()
    nb = nbformat.from_dict(nb)
    # First pass: take the scope out of the notebook so that the header can show it.
    nb, resources = DropMachineryPreprocessor().preprocess(nb, {})
    scope = resources.get("scope") or {}
    if resources.get("headline"):  # the page's finding and key figures, for the index too
        scope = {**scope, "headline": resources["headline"]}
    header = {**provenance, **scope}
    resources = {"provenance": header, "metadata": {"name": header["title"]},
                 "navigation": site(name) if name else None}
    html, _ = exporter.from_notebook_node(nb, resources=resources)
    return strip_css_comments(insert_table_of_contents(html)), scope or None
