"""Generated documentation: the data dictionary in data/README.md, the Table Schema descriptor
data/datapackage.json and the monthly coverage table, all from ``schema.py`` and the data.

``python -m iraq_attacks docs`` rewrites the generated parts; a test fails when they are stale.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .coverage import monthly_coverage, press_count_comparison
from .data import Dataset
from .schema import TABLES, WINDOWS, Table

DICTIONARY_BEGIN = "<!-- BEGIN GENERATED DICTIONARY: python -m iraq_attacks docs -->"
DICTIONARY_END = "<!-- END GENERATED DICTIONARY -->"
COVERAGE_BEGIN = "<!-- BEGIN GENERATED COVERAGE: python -m iraq_attacks docs -->"
COVERAGE_END = "<!-- END GENERATED COVERAGE -->"
COMPARISON_BEGIN = "<!-- BEGIN GENERATED PRESS COMPARISON: python -m iraq_attacks docs -->"
COMPARISON_END = "<!-- END GENERATED PRESS COMPARISON -->"

_KIND_NAMES = {
    "id": "identifier", "text": "text", "date": "date (YYYY-MM-DD)", "time": "time (HH:MM)",
    "integer": "whole number >= 0", "number": "decimal number", "enum": "one of a list",
    "boolean": "true / false", "url": "URL", "urls": "URLs separated by a space",
    "ids": "ids separated by a space", "enums": "codes separated by a space",
}

# Table Schema types (https://specs.frictionlessdata.io/table-schema/) for our kinds.
_TABLE_SCHEMA_TYPES = {
    "id": "string", "text": "string", "date": "date", "time": "string", "integer": "integer",
    "number": "number", "enum": "string", "boolean": "boolean", "url": "string",
    "urls": "string", "ids": "string", "enums": "string",
}


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def table_dictionary(table: Table) -> str:
    lines = [f"### `{table.filename}`: {table.title}", "", table.description, "",
             "| field | description | type | required | allowed values | example |",
             "|---|---|---|---|---|---|"]
    for spec in table.fields:
        allowed = ""
        if spec.allowed:
            allowed = "; ".join(f"`{k}`: {v}" for k, v in spec.allowed.items())
        elif spec.minimum is not None and spec.kind in ("integer", "number"):
            allowed = f"{spec.minimum:g} to {spec.maximum:,g}"
        elif spec.window:
            allowed = WINDOWS[spec.window]
        elif spec.pattern:
            allowed = f"pattern `{spec.pattern}`"
        lines.append(
            f"| `{spec.name}` | {_cell(spec.description)} | {_KIND_NAMES[spec.kind]} | "
            f"{'yes' if spec.required else 'no'} | {_cell(allowed)} | "
            f"{'`' + _cell(spec.example) + '`' if spec.example else ''} |")
    extra = []
    if table.foreign_keys:
        extra += [f"`{c}` must be a `{oc}` of `{TABLES[o].filename}`."
                  for c, o, oc in table.foreign_keys
                if table.field(c).kind != "ids"]  # lists of ids are checked by validate
    if table.ranges:
        extra += [f"`{lo}` is not larger than `{hi}`." for lo, hi in table.ranges]
    extra += [rule[0].upper() + rule[1:] + "." for rule in table.rules]
    if extra:
        lines += ["", "Row rules: " + " ".join(extra)]
    return "\n".join(lines)


def data_dictionary() -> str:
    return "\n\n".join(table_dictionary(t) for t in TABLES.values())


def datapackage(dataset: Dataset | None = None) -> dict:
    """A Frictionless Data Package descriptor for the dataset, generated from the schema; its
    name and title state the dataset's window (the project's data when none is given)."""
    resources = []
    for table in TABLES.values():
        fields = []
        for spec in table.fields:
            constraints: dict = {}
            if spec.required:
                constraints["required"] = True
            if spec.unique:
                constraints["unique"] = True
            if spec.allowed and spec.kind == "enums":
                # a list in one cell: Table Schema has no list-of-enum type, so a pattern
                codes = "|".join(spec.allowed)
                constraints["pattern"] = f"({codes})( ({codes}))*"
            elif spec.allowed:
                constraints["enum"] = list(spec.allowed)
            if spec.minimum is not None:
                constraints["minimum"] = spec.minimum
            if spec.maximum is not None:
                constraints["maximum"] = spec.maximum
            if spec.pattern:
                constraints["pattern"] = spec.pattern
            item = {"name": spec.name, "type": _TABLE_SCHEMA_TYPES[spec.kind],
                    "description": spec.description}
            if constraints:
                item["constraints"] = constraints
            fields.append(item)
        schema = {"fields": fields, "primaryKey": [table.primary_key], "missingValues": [""]}
        if table.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": [c], "reference": {"resource": o, "fields": [oc]}}
                for c, o, oc in table.foreign_keys]
        resources.append({"name": table.name, "path": table.filename, "profile":
                          "tabular-data-resource", "title": table.title,
                          "description": table.description, "format": "csv",
                          "encoding": "utf-8", "schema": schema})
    from .render import months_between

    if dataset is None:
        from .data import load_dataset

        dataset = load_dataset()
    first, last = dataset.window
    years = f"{first.year}" if first.year == last.year else f"{first.year}-{last.year}"
    return {"name": f"iraq-attacks-{years}", "title":
            f"Attacks on US and coalition sites in Iraq, {months_between(first, last)}",
            "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}],
            "resources": resources}


def replace_between(text: str, begin: str, end: str, body: str) -> str:
    if begin not in text or end not in text:
        raise ValueError(f"markers {begin!r} / {end!r} not found")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{begin}\n{body}\n{end}{tail}"


def render_readme(text: str, dataset: Dataset) -> str:
    """data/README.md with its generated sections brought up to date."""
    text = replace_between(text, DICTIONARY_BEGIN, DICTIONARY_END, data_dictionary())
    coverage = monthly_coverage(dataset)
    text = replace_between(text, COVERAGE_BEGIN, COVERAGE_END, markdown_table(coverage))
    comparison = press_count_comparison(dataset).drop(columns=["press_count"]).rename(
        columns={"dataset": "ours", "dataset_all": "ours incl. low confidence",
                 "difference": "ours minus press"})
    for column in ("checked", "consistent"):
        comparison[column] = comparison[column].map({True: "yes", False: "no"})
    return replace_between(text, COMPARISON_BEGIN, COMPARISON_END, markdown_table(comparison))


def markdown_table(frame: pd.DataFrame) -> str:
    header = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "---|" * len(frame.columns)
    rows = ["| " + " | ".join(_cell("" if pd.isna(v) else v) for v in row) + " |"
            for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *rows])


def write_docs(dataset: Dataset) -> list[Path]:
    """Regenerate data/datapackage.json and the generated sections of data/README.md."""
    data_dir = dataset.data_dir
    readme = Path(data_dir) / "README.md"
    text = render_readme(readme.read_text(encoding="utf-8"), dataset)
    readme.write_text(text, encoding="utf-8")
    package = Path(data_dir) / "datapackage.json"
    package.write_text(json.dumps(datapackage(dataset), indent=2) + "\n", encoding="utf-8")
    return [readme, package]


def _slug(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def methods_page(readme: Path | None = None, period: str = "") -> str:
    """reports/methods.html: data/README.md (the one description of the data: what counts as
    an attack, sourcing and confidence rules, coverage, the dictionary) as a page linked from
    every report, with how to cite the work and its licence."""
    import html as html_lib
    import re

    import jinja2
    import mistune

    from . import __version__
    from .navigation import site
    from .paths import DATA_DIR, TEMPLATES_DIR

    readme = readme or DATA_DIR / "README.md"
    text = readme.read_text(encoding="utf-8")
    # the page has its own title; the README's first heading is the file's
    text = re.sub(r"\A#\s+[^\n]*\n", "", text)
    body = mistune.html(text)
    # files of the dataset are named, not linked: the page cannot reach them
    body = re.sub(r'<a href="(?!https?:|#)[^"]*">(.*?)</a>', r"\1", body, flags=re.DOTALL)
    # wide tables scroll inside their frame, not the page
    body = body.replace("<table>", '<div class="table-frame"><table>').replace(
        "</table>", "</table></div>")
    sections, used = [], set()

    def anchor(match):
        level, inner = match.group(1), match.group(2)
        plain = html_lib.unescape(re.sub(r"<[^>]+>", "", inner))
        slug = _slug(plain)
        while slug in used:
            slug += "-2"
        used.add(slug)
        if level == "2":
            sections.append((slug, plain))
        return f'<h{level} id="{slug}">{inner}</h{level}>'

    body = re.sub(r"<h([234])>(.*?)</h\1>", anchor, body, flags=re.DOTALL)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(
        [TEMPLATES_DIR, TEMPLATES_DIR / "report"]), autoescape=True)
    return env.get_template("methods.html.j2").render(
        body=body, sections=sections, nav=site("methods"), version=__version__, period=period)
