"""The links between pages: every report (in render order, with its title from the notebook's
metadata), the index and the methods page; and the table of contents of one page, taken from
its section headings after export."""

from __future__ import annotations

import html as html_lib
import json
import re

from .paths import NOTEBOOKS_DIR

INDEX = {"name": "index", "file": "index.html", "title": "All reports", "short": "Index"}
METHODS = {"name": "methods", "file": "methods.html", "title": "Methods and data",
           "short": "Methods"}


def reports() -> list[dict]:
    """Each report as {name, file, title}, in the order of the index."""
    from .render import NOTEBOOKS

    pages = []
    for name in NOTEBOOKS:
        path = NOTEBOOKS_DIR / f"{name}.ipynb"
        title = name.title()
        if path.exists():
            title = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get(
                "title", title)
        pages.append({"name": name, "file": f"{name}.html", "title": title,
                      "short": title.split(":", 1)[0]})
    return pages


def site(current: str | None) -> dict:
    """What the template needs to link a page to the others: the bar and previous/next."""
    pages = reports()
    names = [p["name"] for p in pages]
    position = names.index(current) if current in names else None
    previous = pages[position - 1] if position is not None and position > 0 else None
    following = (pages[position + 1] if position is not None and position + 1 < len(pages)
                 else None)
    return {"current": current, "index": INDEX, "methods": METHODS, "reports": pages,
            "previous": previous, "next": following}


_H2 = re.compile(r'<h2 id="([^"]+)"[^>]*>(.*?)</h2>', re.DOTALL)
TOC_MARK = "<!--table-of-contents-->"


def table_of_contents(page: str) -> list[tuple[str, str]]:
    """(anchor, text) of every section heading (h2) of an exported page."""
    entries = []
    for anchor, inner in _H2.findall(page):
        text = re.sub(r"<a class=\"anchor-link\".*?</a>", "", inner, flags=re.DOTALL)
        text = html_lib.unescape(re.sub(r"<[^>]+>", "", text)).strip()
        if text:
            entries.append((anchor, text))
    return entries


def insert_table_of_contents(page: str) -> str:
    """Fill the template's mark with links to the page's sections (built here, not by a
    script, so that it is there in print and without scripts)."""
    entries = table_of_contents(page)
    if not entries:
        return page.replace(TOC_MARK, "")
    items = "".join(f'<li><a href="#{html_lib.escape(a, quote=True)}">{html_lib.escape(t)}</a></li>'
                    for a, t in entries)
    toc = (f'<nav class="toc" aria-label="On this page"><h2 class="toc-title">On this page</h2>'
           f"<ol>{items}</ol></nav>")
    return page.replace(TOC_MARK, toc, 1)
