"""Tables as shown in reports: one look everywhere, and stable HTML (fixed ids) so that two
renders of the same data give the same page."""

from __future__ import annotations

import html
import re

import pandas as pd


# How a column is shown, by its name (after "_" became " "): shares as percentages, p values to
# two significant figures, ratios without "inf".
def percent(value) -> str:
    """A share (0..1) as a percentage: 0.033 -> "3.3%"; empty when unknown."""
    if value is None or pd.isna(value):
        return ""
    return f"{value:.0%}" if value in (0, 1) else f"{value:.1%}"


def p_value(value) -> str:
    """A p value to two significant figures, "< 0.001" below that; empty when unknown."""
    if value is None or pd.isna(value):
        return ""
    if value < 0.001:
        return "< 0.001"
    return f"{float(f'{value:.2g}'):g}" if value < 1 else "1"


NO_ATTACK_BEFORE = "no attack before"


def ratio(value, digits: int = 2) -> str:
    """A rate ratio: infinite when there was no attack before the milestone, said in words."""
    if value is None or pd.isna(value):
        return ""
    if value == float("inf"):
        return NO_ATTACK_BEFORE
    return f"{value:.{digits}f}"


_RATIO_WITH_INTERVAL = re.compile(r"^\s*inf\s*\[([0-9.]+)-inf\]\s*$")


def _no_inf(text: str) -> str:
    """Interval strings built by the metrics ("2.20 [0.70-8.08]") may hold inf."""
    match = _RATIO_WITH_INTERVAL.match(text)
    if match:
        return f"{NO_ATTACK_BEFORE} (at least {match.group(1)})"
    return re.sub(r"-inf\]", "-no upper bound]", text)


def code_label(column: str, code) -> str:
    """The reader's name for a code of the data ("truce_or_statement" -> "Truce, threat or
    public statement"): the one place tables look labels up."""
    from . import schema

    if code is None or (not isinstance(code, str) and pd.isna(code)) or code == "":
        return ""
    code = str(code)
    # short labels, once the schema has them
    labels = getattr(schema, "CODE_LABELS", {}).get(column)
    if labels and code in labels:
        return labels[code]
    if code in schema.GROUP_LABELS:
        return schema.GROUP_LABELS[code]
    for table in schema.TABLES.values() if isinstance(schema.TABLES, dict) else schema.TABLES:
        for field in table.fields:
            if field.name == column and field.allowed and code in field.allowed:
                text = field.allowed[code]
                return text[:1].upper() + text[1:]
    return code.replace("_", " ")


# Columns holding codes of the data's vocabulary, shown as labels.
CODE_COLUMNS = ("kind", "group", "weapon", "outcome", "target_type", "confidence", "measure",
                "perpetrator_type", "precision", "status")


def _format_for(column: str):
    name = column.replace("_", " ").lower()
    if "share" in name or name.endswith(" pct") or name == "percent":
        return percent
    if name in ("p value", "p", "p adjusted") or name.startswith("p value"):
        return p_value
    if "ratio" in name or name in ("ci low", "ci high"):
        return ratio
    return None


def styled(frame: pd.DataFrame, table_id: str):
    """A pandas Styler: no index, text left and numbers right, empty for missing values,
    dates as dates, shares as percentages, p values to two figures, codes as labels, readable
    column names, and a fixed id."""
    shown = frame.copy()
    formats = {}
    for column in list(shown.columns):
        series = shown[column]
        if pd.api.types.is_datetime64_any_dtype(series):
            shown[column] = series.dt.strftime("%Y-%m-%d").fillna("")
        elif str(column) in CODE_COLUMNS and not pd.api.types.is_numeric_dtype(series):
            shown[column] = series.map(lambda v, c=str(column): code_label(c, v))
        elif series.dtype == object or pd.api.types.is_string_dtype(series):
            shown[column] = series.map(lambda v: _no_inf(v) if isinstance(v, str) else v)
        fmt = _format_for(str(column))
        if fmt is not None and pd.api.types.is_numeric_dtype(series):
            # Styler does not escape what a formatter returns ("< 0.001")
            formats[str(column).replace("_", " ")] = lambda v, f=fmt: html.escape(f(v))
    shown.columns = [str(c).replace("_", " ") for c in shown.columns]
    numeric = [c for c in shown.columns if pd.api.types.is_numeric_dtype(shown[c])]
    text_columns = [c for c in shown.columns if c not in numeric]
    # escape: cells may hold text from the CSV, which must never be read as HTML
    styler = (shown.style.hide(axis="index").format(na_rep="", precision=1, escape="html")
              .set_uuid(re.sub(r"\W", "-", table_id))
              .set_table_attributes('class="report-table"'))
    if formats:
        styler = styler.format(formats, na_rep="", escape="html")
    if text_columns:
        styler = styler.set_properties(subset=text_columns, **{"text-align": "left"})
    if numeric:
        styler = styler.set_properties(subset=numeric, **{"text-align": "right"})
    # long text may wrap (between words); short cells (ids, dates, labels) never do
    long_text = [c for c in text_columns if shown[c].astype(str).str.len().max() > 40]
    if long_text:
        styler = styler.set_properties(subset=long_text, **{"white-space": "normal",
                                                            "min-width": "16rem"})
    return styler


def appendix(content, summary: str):
    """A long log (e.g. every milestone) folded away: collapsed on screen, only its summary
    line in print. ``content`` is a Styler or HTML."""
    from IPython.display import HTML

    body = content.to_html() if hasattr(content, "to_html") else str(content)
    return HTML(f'<details class="appendix"><summary>{html.escape(summary)}</summary>'
                f'<div class="table-frame">{body}</div></details>')


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
    # the page cannot link the data file; the register's note says where the others are,
    # and the count says so again on hover (the long sentence in every cell made rows tall)
    return shown + (f' <span class="more-sources" title="{more} more in the dataset\'s '
                    f'attacks.csv">+{more} more</span>' if more > 0 else "")


def register_note(attacks: pd.DataFrame, limit: int = REGISTER_LIMIT) -> str:
    """What the register shows, said plainly."""
    links = (f" Each row links up to {LINKED_SOURCES} of its sources and counts the others; "
             "data/attacks.csv lists them all.")
    if len(attacks) <= limit:
        return f"All {len(attacks):,} attacks of the selection." + links
    return (f"The {limit:,} most recent of the {len(attacks):,} attacks of the selection; the "
            "others are in data/attacks.csv (a page this size stays quick to open)." + links)


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
        "weapon": attacks["weapon"].map(lambda v: html.escape(code_label("weapon", v))),
        "fired": attacks["projectiles_fired_low"].astype("string").fillna("")
        .where(attacks["projectiles_fired_low"] == attacks["projectiles_fired_high"],
               attacks["projectiles_fired_low"].astype("string") + "-"
               + attacks["projectiles_fired_high"].astype("string")).fillna(""),
        "outcome": attacks["outcome"].map(lambda v: html.escape(code_label("outcome", v))),
        "killed": total(killed),
        "wounded": total(wounded),
        "confidence": text("confidence"),
        "sources": attacks["source_urls"].fillna("").map(_source_links),
    })
    return register.reset_index(drop=True)


NOT_REPORTED = "not reported"


def _sort_key(value) -> str:
    """What a sortable table sorts a cell by: a number as a number ("3-5" by its low figure),
    empty for a missing value (sorted last in either direction by the page's script)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(float(value))
    match = re.fullmatch(r"\s*(-?[0-9][0-9,]*(?:\.[0-9]+)?)(?:\s*[-–]\s*[0-9.,]+)?\s*", str(value))
    return match.group(1).replace(",", "") if match else ""


# Text columns whose longest cell is longer than this may wrap between words (at a minimum
# width set by the page's style) when the table would not fit; "Rockets (e.g. 107 mm
# Katyusha)" (30) must, or the register does not fit a 1280-pixel screen.
WRAP_AFTER = 24


def interactive_table(frame: pd.DataFrame, table_id: str, page_length: int = 25,
                      wide: bool = False) -> str:
    """A sortable, searchable table as plain HTML: every row is in the page, so it prints and
    reads complete without scripts; the page's own script (report template) adds sorting by
    the header, search, a choice of rows per page and a CSV download. ``frame`` must already
    be HTML-safe (see attack_register): its cells are inserted as HTML so that links work.
    ``wide``: on a wide screen the frame may be wider than the text column (the register's
    ten columns would otherwise hide its last behind a scroll bar)."""
    def missing(value) -> bool:
        if isinstance(value, str):
            return value.strip() == ""
        return value is None or bool(pd.isna(value))

    def is_numeric(column) -> bool:
        values = [v for v in frame[column] if not missing(v)]
        return bool(values) and all(_sort_key(v) != "" for v in values)

    numeric = {c for c in frame.columns if is_numeric(c)}
    # long text (sources, outcomes) may wrap between words; ids, dates and figures never do
    wrapping = {c for c in frame.columns if c not in numeric
                and frame[c].astype(str).str.replace(r"<[^>]+>", "", regex=True).str.len().max()
                > WRAP_AFTER}
    head = "".join(
        f'<th scope="col" class="{"num" if c in numeric else "text"}" '
        f'data-column="{html.escape(str(c))}">'
        f"{html.escape(str(c).replace('_', ' '))}</th>" for c in frame.columns)
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, record):
            empty = missing(value)
            kind = "num" if column in numeric else ("text wrap" if column in wrapping else "text")
            if empty:
                cells.append(f'<td class="{kind} empty" data-sort="" title="{NOT_REPORTED}">'
                             f'<span aria-label="{NOT_REPORTED}">–</span></td>')
                continue
            if isinstance(value, str):
                shown = value
            elif float(value).is_integer():
                shown = f"{int(value):,}"
            else:
                shown = f"{value:,.1f}"
            key = _sort_key(value) if column in numeric else ""
            cells.append(f'<td class="{kind}" data-sort="{html.escape(key)}">{shown}</td>'
                         if column in numeric else f'<td class="{kind}">{shown}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    safe_id = re.sub(r"\W", "-", table_id)
    frame_class = "table-frame wide" if wide else "table-frame"
    return (f'<div class="{frame_class}" tabindex="0" role="region" '
            f'aria-label="{html.escape(table_id)} table">'
            f'<table class="report-table sortable" id="{safe_id}" data-page-length="{page_length}" '
            f'data-file="{safe_id}.csv"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def deadliest_table(ranked: pd.DataFrame) -> pd.DataFrame:
    """casualties.deadliest_attacks as an HTML-safe table with source links."""
    from .casualties import CASUALTY_COLUMNS
    from .schema import GROUP_LABELS

    def who(row, outcome):
        # a figure per group; "none" only where a source gives 0, "not reported" where no
        # source gives any figure (unknown is not zero)
        cells = [c for c in CASUALTY_COLUMNS if c.startswith(outcome) and pd.notna(row[c])]
        parts = [f"{GROUP_LABELS[c.split('_', 1)[1]]} {int(row[c])}" for c in cells
                 if row[c] > 0]
        if parts:
            return html.escape(", ".join(parts))
        return "none" if cells else "not reported"

    return pd.DataFrame({
        "rank": range(1, len(ranked) + 1),
        "date": ranked["date"].dt.strftime("%Y-%m-%d"),
        "site": ranked["site_label"].map(html.escape),
        "weapon": ranked["weapon"].map(lambda v: html.escape(code_label("weapon", v))),
        "killed": ranked["killed"],
        "wounded": ranked["wounded"],
        "who": [f"killed: {who(r, 'killed')}; wounded: {who(r, 'wounded')}"
                for _, r in ranked.iterrows()],
        "sources": ranked["source_urls"].map(_source_links),
    })

