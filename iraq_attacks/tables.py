"""Tables as shown in reports: one look everywhere, and stable HTML (fixed ids) so that two
renders of the same data give the same page."""

from __future__ import annotations

import html
import re

import pandas as pd


def styled(frame: pd.DataFrame, table_id: str):
    """A pandas Styler: no index, text left-aligned, empty for missing values, dates as dates,
    readable column names, and a fixed id."""
    shown = frame.copy()
    for column in shown.columns:
        if pd.api.types.is_datetime64_any_dtype(shown[column]):
            shown[column] = shown[column].dt.strftime("%Y-%m-%d").fillna("")
    shown.columns = [str(c).replace("_", " ") for c in shown.columns]
    text_columns = [c for c in shown.columns if not pd.api.types.is_numeric_dtype(shown[c])]
    # escape: cells may hold text from the CSV, which must never be read as HTML
    styler = (shown.style.hide(axis="index").format(na_rep="", precision=1, escape="html")
              .set_uuid(re.sub(r"\W", "-", table_id)))
    if text_columns:
        styler = styler.set_properties(subset=text_columns, **{"text-align": "left"})
    return styler


def _link(url: str) -> str:
    """A safe link for a source URL: only http(s), escaped, opening in a new tab; the link
    text is the site's host name."""
    url = url.strip()
    if not re.fullmatch(r"https?://[^\s<>\"']+", url):
        return ""
    host = re.sub(r"^https?://(www\.)?", "", url).split("/", 1)[0].split(":", 1)[0]
    return (f'<a href="{html.escape(url, quote=True)}" target="_blank" '
            f'rel="noopener noreferrer nofollow">{html.escape(host)}</a>')


# The register links this many sources per attack and counts the rest (all are in the CSV).
LINKED_SOURCES = 4
# The register embeds at most this many attacks (the most recent), so that a report's size
# does not grow with the data; the CSV holds them all.
REGISTER_LIMIT = 2000


def _source_links(cell: str) -> str:
    links = [link for link in (_link(u) for u in cell.split()) if link]
    shown = " · ".join(links[:LINKED_SOURCES])
    more = len(links) - LINKED_SOURCES
    return shown + (f" (+{more} more in attacks.csv)" if more > 0 else "")


def register_note(attacks: pd.DataFrame, limit: int = REGISTER_LIMIT) -> str:
    """What the register shows, said plainly."""
    if len(attacks) <= limit:
        return f"All {len(attacks):,} attacks of the selection."
    return (f"The {limit:,} most recent of the {len(attacks):,} attacks of the selection; the "
            "others are in data/attacks.csv (a page this size stays quick to open).")


def attack_register(attacks: pd.DataFrame, limit: int = REGISTER_LIMIT) -> pd.DataFrame:
    """Every attack (the ``limit`` most recent when there are more) as one line for the
    register: text escaped for HTML, sources as links. Casualty columns are sums over the
    groups of the figures reported; empty when none is."""
    from .casualties import CASUALTY_COLUMNS

    if len(attacks) > limit:
        # the rows on or after the date of the limit-th most recent attack, before sorting:
        # sorting a million rows to keep two thousand costs seconds
        cutoff = attacks["date"].nlargest(limit).min()
        attacks = attacks[attacks["date"] >= cutoff]
    attacks = attacks.sort_values(["date", "attack_id"]).tail(limit)

    killed = [c for c in CASUALTY_COLUMNS if c.startswith("killed")]
    wounded = [c for c in CASUALTY_COLUMNS if c.startswith("wounded")]

    def total(columns):
        values = attacks[columns]
        return values.sum(axis=1, min_count=1).astype("Int64")

    def text(column):
        return attacks[column].fillna("").astype(str).map(html.escape)

    register = pd.DataFrame({
        "id": text("attack_id"),
        "date": attacks["date"].dt.strftime("%Y-%m-%d"),
        "site": text("site_label"),
        "weapon": text("weapon").str.replace("_", " "),
        "fired": attacks["projectiles_fired_low"].astype("string").fillna("")
        .where(attacks["projectiles_fired_low"] == attacks["projectiles_fired_high"],
               attacks["projectiles_fired_low"].astype("string") + "-"
               + attacks["projectiles_fired_high"].astype("string")).fillna(""),
        "outcome": text("outcome"),
        "killed": total(killed),
        "wounded": total(wounded),
        "confidence": text("confidence"),
        "sources": attacks["source_urls"].fillna("").map(_source_links),
    })
    return register.reset_index(drop=True)


def interactive_table(frame: pd.DataFrame, table_id: str, page_length: int = 25) -> str:
    """A sortable, searchable table (DataTables through itables, scripts embedded: nothing is
    fetched). ``frame`` must already be HTML-safe (see attack_register): its cells are inserted
    as HTML so that the source links work."""
    from itables import to_html_datatable

    return to_html_datatable(frame, table_id=re.sub(r"\W", "_", table_id), connected=False,
                             allow_html=True, pageLength=page_length, showIndex=False,
                             classes="display compact", maxBytes=0,
                             # not itables' default layout, which drops the search box when
                             # the table fits on one page: readers search the register anyway
                             layout={"topStart": "info", "topEnd": "search",
                                     "bottomStart": "pageLength", "bottomEnd": "paging"})


def enable_interactive_tables() -> None:
    """Embed the DataTables library in the notebook once (offline mode: inline script)."""
    from itables import init_notebook_mode

    init_notebook_mode(all_interactive=False, connected=False)


def deadliest_table(ranked: pd.DataFrame) -> pd.DataFrame:
    """casualties.deadliest_attacks as an HTML-safe table with source links."""
    from .casualties import CASUALTY_COLUMNS
    from .schema import GROUP_LABELS

    def who(row, outcome):
        parts = [f"{GROUP_LABELS[c.split('_', 1)[1]]} {int(row[c])}" for c in CASUALTY_COLUMNS
                 if c.startswith(outcome) and pd.notna(row[c]) and row[c] > 0]
        return html.escape(", ".join(parts))

    return pd.DataFrame({
        "rank": range(1, len(ranked) + 1),
        "date": ranked["date"].dt.strftime("%Y-%m-%d"),
        "site": ranked["site_label"].map(html.escape),
        "weapon": ranked["weapon"].str.replace("_", " ").map(html.escape),
        "killed": ranked["killed"],
        "wounded": ranked["wounded"],
        "who": [f"killed: {who(r, 'killed') or 'none'}; wounded: {who(r, 'wounded') or 'n/a'}"
                for _, r in ranked.iterrows()],
        "sources": ranked["source_urls"].map(_source_links),
    })


def key_figures_html(figures: dict[str, str]) -> str:
    """The key figures as a row of cards (escaped; inline styles, nothing external)."""
    cards = "".join(
        f'<div style="flex:1 1 30%;min-width:200px;border-left:4px solid #0072B2;'
        f'padding:.3rem .8rem;margin:.3rem 0"><div style="color:#555;font-size:.9rem">'
        f'{html.escape(label)}</div><div style="font-size:1.6rem;font-weight:700">'
        f'{html.escape(value)}</div></div>' for label, value in figures.items())
    return f'<div class="key-figures" style="display:flex;flex-wrap:wrap;gap:.6rem">{cards}</div>'
