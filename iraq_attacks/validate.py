"""Validation of the data files against ``schema.py``.

Every problem is collected (nothing stops at the first one) and reported with the file, the row
number as a spreadsheet shows it (the header is row 1), the column, the value and the rule.
Column-level rules run through a pandera schema generated from the table definition; rules that
span columns or files are the named checks further down.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from .arrowtext import (
    arrow_cells,
    as_mask,
    at_most,
    contains_control,
    digits,
    filled,
    fullmatch,
    isin,
    whole_numbers,
)
from .data import sourced_months, sourced_window
from .errors import DataValidationError, Problem, ValidationReport, problem_order  # noqa: F401
from .schema import (
    REPORTED,
    REPORTS_LAG_MONTHS,
    SOURCED,
    TABLES,
    URL_SEPARATOR,
    WINDOWS,
    Field,
    Table,
    url_domain,
)

FORMULA_PREFIXES = ("=", "+", "-", "@")
# A spreadsheet skips leading spaces and tabs before it reads a formula.
_FORMULA = r"^[ \t]*[=+\-@]"
# Control characters hide text from a reader and break exports; notes may hold tabs and line
# breaks (a paragraph of explanation), other cells none.
_NOTES_MAY_HOLD = frozenset("\t\n\r")
_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
_INTEGER = re.compile(r"\d+")
_URL = re.compile(r"https?://[^\s<>\"']+")


# --------------------------------------------------------------------------- reading


_SCAN_BLOCK = 16 * 2**20


def _line_breaks(path: Path) -> tuple[int, bool]:
    """How many line feeds the file holds, and whether its last byte is one."""
    count, last = 0, b""
    with open(path, "rb") as handle:
        while block := handle.read(_SCAN_BLOCK):
            count += block.count(b"\n")
            last = block[-1:]
    return count, last == b"\n"


def _read_well_formed(path: Path, table: Table, report: ValidationReport,
                      name: str) -> pd.DataFrame | None:
    """The fast path for an ordinary file, read by Arrow's CSV reader straight from disk on
    both cores (it refuses any row whose field count differs from the header's, and any
    bytes that are not UTF-8): every column present once, no blank line, no quoted line
    break (either would make a row's line number differ from its record number). Returns
    None for anything else, which the careful path then reads and reports row by row. Text
    stays in Arrow's buffers: the frame's columns wrap them, no copy."""
    import pyarrow as arrow
    from pyarrow import csv as arrow_csv

    with open(path, "rb") as handle:
        start = handle.read(65536)
    try:
        header = next(csv.reader(io.StringIO(
            start.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace"))))
    except StopIteration:
        return None
    if (sorted(set(header)) != sorted(header) or not set(table.columns) <= set(header)
            or any(c != c.strip() for c in header)):
        return None
    try:
        arrow_table = arrow_csv.read_csv(
            path,
            parse_options=arrow_csv.ParseOptions(newlines_in_values=False),
            convert_options=arrow_csv.ConvertOptions(
                column_types={c: arrow.large_string() for c in header},
                include_columns=table.columns,
                strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (arrow.ArrowInvalid, UnicodeDecodeError):
        return None
    # Arrow skips blank lines, which would shift its row numbers away from the spreadsheet's:
    # a file with one has more line feeds than header and rows, and takes the careful path.
    breaks, ends_with_break = _line_breaks(path)
    if breaks != arrow_table.num_rows + (1 if ends_with_break else 0):
        return None
    frame = arrow_table.to_pandas(
        types_mapper={arrow.large_string(): pd.StringDtype("pyarrow")}.get)
    extra = [c for c in header if c not in table.columns]
    if extra:
        report.notices.append(f"{name}: extra column(s) {', '.join(extra)} ignored")
    if not len(frame):
        report.notices.append(f"{name}: header only, no rows")
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="row")
    return frame[table.columns]


def read_raw(path: Path, table: Table, report: ValidationReport) -> pd.DataFrame | None:
    """Read a CSV as text cells. Structural problems (encoding, ragged rows, missing columns)
    go into ``report``; returns None when the file cannot be read as a table at all."""
    name = path.name
    if not path.exists():
        report.problems.append(Problem(name, None, None, None, f"file not found: {path}"))
        return None
    with open(path, "rb") as handle:
        if handle.read(3) == b"\xef\xbb\xbf":
            report.notices.append(f"{name}: starts with a UTF-8 byte-order mark; accepted")
    fast = _read_well_formed(path, table, report, name)
    if fast is not None:
        return fast
    data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        report.problems.append(Problem(
            name, line, None, None,
            f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8"))
        return None
    if not text.strip():
        report.problems.append(Problem(name, None, None, None, "is empty (no header row)"))
        return None
    # The careful path: row by row, so that every structural problem names its row.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        records = list(reader)
    except csv.Error as exc:
        report.problems.append(Problem(name, reader.line_num, None, None,
                                       f"is not valid CSV ({exc}); is a row cut off?"))
        return None
    header, rows = records[0], records[1:]
    header = [h.strip() for h in header]
    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        report.problems.append(Problem(
            name, 1, None, header[0],
            "is one column; the file must be comma-separated (found ';' or tab)"))
        return None
    missing = [c for c in table.columns if c not in header]
    for column in missing:
        report.problems.append(Problem(name, 1, column, None, "column is missing from the header"))
    extra = [c for c in header if c not in table.columns]
    if extra:
        report.notices.append(f"{name}: extra column(s) {', '.join(extra)} ignored")
    duplicated = sorted({c for c in header if header.count(c) > 1})
    for column in duplicated:
        report.problems.append(Problem(name, 1, column, None, "column appears more than once"))
    good_rows = []
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue  # a blank line is not a record
        if len(row) != len(header):
            last = number == len(rows) + 1
            report.problems.append(Problem(
                name, number, None, None,
                f"has {len(row)} fields but the header has {len(header)}"
                + ("; the file seems cut off in this last row" if last else "")))
            continue
        good_rows.append((number, row))
    if missing or duplicated:
        return None
    frame = pd.DataFrame([r for _, r in good_rows], columns=header, dtype=object)
    frame.index = pd.Index([n for n, _ in good_rows], name="row")
    if not len(frame):
        report.notices.append(f"{name}: header only, no rows")
    # Arrow-backed text: the vectorised rules below then run in C++, not cell by cell
    return frame[table.columns].astype("string[pyarrow]")


# --------------------------------------------------------------------------- column rules


# Column rules are vectorised (Series in, boolean Series out) and run on the Arrow data behind
# the text columns: element-wise Python checks cost about 1 s per 10,000 rows; pandas' own
# string methods and to_numeric go through Python objects for some operations and cost
# seconds per million rows; Arrow's compute kernels cost hundredths.
_URL_TEXT = r"https?://[^\s<>\"']+"
_URL_LIST = re.compile(rf"\s*{_URL_TEXT}(?:\s+{_URL_TEXT})*\s*")
def _dates_ok(s: pd.Series) -> pd.Series:
    shaped = fullmatch(s, r"\d{4}-\d{2}-\d{2}")
    parsed = pd.to_datetime(s.where(shaped), format="%Y-%m-%d", errors="coerce")
    return shaped & parsed.notna()


def _numbers(s: pd.Series) -> pd.Series:
    special = s.str.strip().str.lower().isin(["nan", "inf", "-inf", "+inf", "infinity"])
    return pd.to_numeric(s.where(~special), errors="coerce")


def contains(s: pd.Series, pattern: str) -> pd.Series:
    """Cells in which ``pattern`` (RE2 syntax) is found."""
    import pyarrow.compute as compute

    return as_mask(compute.match_substring_regex(arrow_cells(s), pattern), s)


def _checks(spec: Field) -> list[pa.Check]:
    checks: list[pa.Check] = []

    def add(predicate, rule: str):
        """A rule on the non-empty cells; emptiness is the ``required`` rule's business."""
        checks.append(pa.Check(lambda s: (s == "") | predicate(s), error=rule))

    if spec.required:
        checks.append(pa.Check(filled, error="is empty, but a value is required"))
    if spec.kind == "date":
        add(_dates_ok, "is not a date (YYYY-MM-DD)")  # its window: _window_problems
    elif spec.kind == "time":
        add(lambda s: fullmatch(s, _TIME.pattern), "is not a time (HH:MM, 24 h)")
    elif spec.kind == "integer":
        add(digits, "is not a whole number >= 0")
        if spec.maximum is not None:
            top = int(spec.maximum)
            add(lambda s: at_most(s, top),
                f"is larger than {top:,}, which cannot be right")
    elif spec.kind == "number":
        add(lambda s: _numbers(s).notna(), "is not a number")
        if spec.minimum is not None and spec.maximum is not None:
            lo, hi = spec.minimum, spec.maximum
            add(lambda s: _numbers(s).isna() | _numbers(s).between(lo, hi),
                f"is outside {lo} to {hi} (inside Iraq)")
    elif spec.kind == "enum":
        allowed = list(spec.allowed or {})
        add(lambda s: s.isin(allowed), "is not one of: " + ", ".join(allowed))
    elif spec.kind == "enums":
        allowed = list(spec.allowed or {})
        codes = "|".join(re.escape(a) for a in allowed)
        add(lambda s: fullmatch(s, rf"({codes})( ({codes}))*"),
            "is not a list of codes separated by one space, each one of: " + ", ".join(allowed))
    elif spec.kind == "ids":
        add(lambda s: fullmatch(s, r"[a-z0-9_]+( [a-z0-9_]+)*"),
            "is not a list of ids (a-z, 0-9, _) separated by one space")
    elif spec.kind == "boolean":
        add(lambda s: s.isin(["true", "false"]), "is not true or false")
    elif spec.kind == "url":
        add(lambda s: fullmatch(s, _URL.pattern), "is not an http(s) URL")
    elif spec.kind == "urls":
        add(lambda s: fullmatch(s, _URL_LIST.pattern),
            f"is not a list of http(s) URLs separated by {URL_SEPARATOR!r}")
    elif spec.kind == "text":
        add(lambda s: ~contains(s, _FORMULA),
            "starts like a spreadsheet formula (=, +, -, @); reword it")
    harmless = _NOTES_MAY_HOLD if spec.name == "notes" else frozenset()
    besides = "other than tab and line break " if spec.name == "notes" else ""
    checks.append(pa.Check(lambda s: ~contains_control(s, harmless),
                           error=f"holds a control character {besides}(such as NUL); "
                                 "remove it"))
    if spec.pattern:
        pattern = spec.pattern
        add(lambda s: fullmatch(s, pattern), f"does not match the pattern {spec.pattern}")
    return checks


def pandera_schema(table: Table) -> pa.DataFrameSchema:
    """The pandera schema for a table's raw text cells, generated from its definition."""
    return pa.DataFrameSchema(
        {spec.name: pa.Column(checks=_checks(spec), unique=spec.unique, nullable=False)
         for spec in table.fields},
        name=table.filename,
        strict=False,
    )


# Past this many rows the column rules run in two threads: they are Arrow kernels, which
# release the GIL, so the second core (idle while one thread checks) halves their time.
PARALLEL_ROWS = 50_000
# relative cost of a column's rules, measured on a million rows: regular expressions over
# long cells (URL lists, dates, free text) cost several times a short code's checks
_RULE_COST = {"urls": 6, "date": 4, "text": 2}


def _column_problems(frame: pd.DataFrame, table: Table) -> list[Problem]:
    schema = pandera_schema(table)
    if len(frame) < PARALLEL_ROWS:
        return _schema_problems(schema, frame, table)
    from concurrent.futures import ThreadPoolExecutor

    halves: list[list[str]] = [[], []]
    loads = [0, 0]
    for spec in sorted(table.fields, key=lambda f: -_RULE_COST.get(f.kind, 1)):
        lighter = loads.index(min(loads))
        halves[lighter].append(spec.name)
        loads[lighter] += _RULE_COST.get(spec.kind, 1)
    parts = [pa.DataFrameSchema({c: schema.columns[c] for c in half}, name=schema.name,
                                strict=False) for half in halves]
    with ThreadPoolExecutor(max_workers=2) as pool:
        found = pool.map(lambda part: _schema_problems(part, frame, table), parts)
        return [problem for problems in found for problem in problems]


def _schema_problems(schema: pa.DataFrameSchema, frame: pd.DataFrame,
                     table: Table) -> list[Problem]:
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        problems = []
        for case in errors.failure_cases.itertuples(index=False):
            rule = str(case.check)
            if rule == "field_uniqueness":
                rule = "appears more than once; ids must be unique"
            row = None if pd.isna(case.index) else int(case.index)
            problems.append(Problem(table.filename, row, case.column, str(case.failure_case),
                                    rule))
        return problems
    return []


# --------------------------------------------------------------------------- row and file rules


def _comparable(frame: pd.DataFrame, column: str, table: Table) -> pd.Series:
    """Values of a column that can be compared: numbers for integer columns, ISO text for
    date columns; missing where the cell is empty or malformed (other rules report those)."""
    cells = frame[column]
    if table.field(column).kind == "integer":
        return whole_numbers(cells)
    return cells.where(_dates_ok(cells))


def _rows(frame: pd.DataFrame, mask: pd.Series):
    """The index labels where a (possibly nullable) boolean mask is true."""
    return frame.index[mask.fillna(False).to_numpy(dtype=bool)]


def _range_problems(frame: pd.DataFrame, table: Table) -> list[Problem]:
    problems = []
    for low_col, high_col in table.ranges:
        low, high = _comparable(frame, low_col, table), _comparable(frame, high_col, table)
        wrong = low.notna() & high.notna() & (low > high)
        for row in _rows(frame, wrong):
            problems.append(Problem(table.filename, row, low_col, frame.at[row, low_col],
                                    f"is larger than {high_col} ({frame.at[row, high_col]})"))
    return problems


def _attack_rules(frame: pd.DataFrame) -> list[Problem]:
    problems = []
    landed = whole_numbers(frame["projectiles_landed_low"])
    fired = whole_numbers(frame["projectiles_fired_high"])
    for row in _rows(frame, landed > fired):
        problems.append(Problem("attacks.csv", row, "projectiles_landed_low",
                                frame.at[row, "projectiles_landed_low"],
                                f"is larger than projectiles_fired_high ({int(fired[row])})"))
    no_notes = frame["notes"].str.strip() == ""
    for row in _rows(frame, (frame["sources_disagree"] == "true") & no_notes):
        problems.append(Problem("attacks.csv", row, "notes", "",
                                "is empty, but sources_disagree is true: say what differs"))
    for row in _rows(frame, (frame["confidence"] == "low") & no_notes):
        problems.append(Problem("attacks.csv", row, "notes", "",
                                "is empty, but confidence is low: say why"))
    return problems


_COVERAGE_ORDER = ("not_started", "incomplete", "mostly_complete", "complete")


def _coverage_rules(frame: pd.DataFrame) -> list[Problem]:
    """A month is only as complete as the weaker of its two series."""
    problems = []
    rank = {level: i for i, level in enumerate(_COVERAGE_ORDER)}
    for row in frame.index:
        parts = [frame.at[row, "sites_assessment"], frame.at[row, "convoys_assessment"]]
        if any(p not in rank for p in parts) or frame.at[row, "assessment"] not in rank:
            continue  # the enum rule reports it
        weaker = min(parts, key=rank.get)
        if frame.at[row, "assessment"] != weaker:
            problems.append(Problem("coverage.csv", row, "assessment", frame.at[row, "assessment"],
                                    f"should be {weaker}, the weaker of sites_assessment and "
                                    "convoys_assessment"))
    return problems


def _foreign_key_problems(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    problems = []
    for table in TABLES.values():
        frame = frames.get(table.name)
        for column, other, other_column in table.foreign_keys:
            target = frames.get(other)
            if frame is None or target is None:
                continue
            if table.field(column).kind == "ids":
                known = set(target[other_column].astype(str))
                problems += _list_problems(
                    frame, table.filename, column, known.__contains__, str,
                    f"is not a {other_column} in {TABLES[other].filename}", negate=True)
                continue
            unknown = (frame[column] != "") & ~isin(frame[column], target[other_column])
            for row in _rows(frame, unknown):
                problems.append(Problem(table.filename, row, column, frame.at[row, column],
                                        f"is not a {other_column} in {TABLES[other].filename}"))
    return problems


def _list_problems(frame: pd.DataFrame, filename: str, column: str, bad, shown,
                   rule: str, negate: bool = False) -> list[Problem]:
    """Problems of the items of space-separated list cells. Each distinct cell is split once
    (a million rows repeat a few thousand cells), then the rows holding a bad cell are found
    at once."""
    cells = frame[column].astype(str)
    bad_items = {}
    for cell in pd.unique(cells[cells != ""]):
        items = [shown(item) for item in cell.split() if bad(item) != negate]
        if items:
            bad_items[cell] = list(dict.fromkeys(items))
    if not bad_items:
        return []
    return [Problem(filename, row, column, item, rule)
            for row in _rows(frame, cells.isin(list(bad_items)))
            for item in bad_items[cells[row]]]


# Outlets that a party to the conflict owns or aligns with: on their own they make a row low.
ALIGNED_SOURCE_KINDS = ("state_affiliated", "partisan")


def _confidence_by_source_problems(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    """A row resting only on state-affiliated or partisan outlets is at most low (README,
    Confidence)."""
    attacks, sources = frames.get("attacks"), frames.get("sources")
    if attacks is None or sources is None:
        return []
    kind_of = dict(zip(sources["domain"].astype(str), sources["kind"].astype(str)))
    cells = attacks["source_urls"].astype(str)
    aligned_only = {}
    for cell in pd.unique(cells[cells != ""]):
        kinds = {kind_of.get(url_domain(url)) for url in cell.split()}
        aligned_only[cell] = bool(kinds) and kinds <= set(ALIGNED_SOURCE_KINDS)
    flagged = cells.isin([cell for cell, only in aligned_only.items() if only])
    return [Problem("attacks.csv", row, "confidence", attacks.at[row, "confidence"],
                    "is not low, but every source URL is on a state-affiliated or partisan "
                    "outlet (sources.csv): make it low, or add an independent source")
            for row in _rows(attacks, flagged & (attacks["confidence"] != "low"))]


def _source_domain_problems(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    """Every URL's domain must be graded in sources.csv (outlet and kind), so that the
    confidence rules and the reports can say what kind of source a row rests on."""
    sources = frames.get("sources")
    if sources is None:
        return []
    known = set(sources["domain"].astype(str))
    problems = []
    for table in TABLES.values():
        frame = frames.get(table.name)
        if frame is None or table.name == "sources":
            continue
        for spec in table.fields:
            if spec.kind in ("url", "urls"):
                problems += _list_problems(
                    frame, table.filename, spec.name,
                    lambda url: bool(url_domain(url)) and url_domain(url) not in known,
                    url_domain, "is a domain not listed in sources.csv; add it with its "
                                "outlet and kind")
    return problems


def _window_problems(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    """A dataset covers the months coverage.csv lists as sourced (its window): an attack in
    any other month would be counted next to months nobody searched, so it is an error until
    the month is; so are milestones and the start of a press count outside the window, and
    reports published before it or long after it. A month inside the window that is missing
    or not sourced would be counted as a month without attacks: an error too."""
    attacks, coverage = frames.get("attacks"), frames.get("coverage")
    if coverage is None:
        return []
    months = sourced_months(coverage)
    if not months:
        return []
    problems = _gap_problems(coverage, months)
    first, last = sourced_window(coverage)
    bounds = {SOURCED: (first, last),
              REPORTED: (first, (last + pd.offsets.MonthEnd(REPORTS_LAG_MONTHS)).normalize())}
    for table in TABLES.values():
        frame = frames.get(table.name)
        for spec in table.fields if frame is not None else ():
            if spec.window is None:
                continue
            lo, hi = (d.date().isoformat() for d in bounds[spec.window])
            cells = frame[spec.name].str.strip()
            outside = _dates_ok(cells) & ((cells < lo) | (cells > hi))
            for row in _rows(frame, outside):
                problems.append(Problem(table.filename, row, spec.name, cells[row],
                                        f"is outside {lo} to {hi}, "
                                        f"{WINDOWS[spec.window]}: a date typed wrong, or a "
                                        "month to add to coverage.csv"))
    if attacks is None:
        return problems
    dates = attacks["date"].str.strip()
    well_formed = dates.str.fullmatch(r"\d{4}-\d{2}-\d{2}")
    attack_months = dates.str[:7]
    listed = set(coverage["month"].str.strip())
    for row in _rows(attacks, well_formed & ~attack_months.isin(months)):
        month = attack_months[row]
        state = "marked not_started" if month in listed else "not listed"
        problems.append(Problem("attacks.csv", row, "date", attacks.at[row, "date"],
                                f"is in {month}, {state} in coverage.csv; add the month to "
                                "coverage.csv with its assessment once it has been sourced"))
    return problems


def _gap_problems(coverage: pd.DataFrame, months: list[str]) -> list[Problem]:
    """Every month from the first to the last sourced one must be listed and sourced: the
    reports count each month and week of the window, so a hole would show as zero attacks."""
    row_of = {m: row for row, m in zip(coverage.index, coverage["month"].str.strip())}
    problems = []
    for period in pd.period_range(months[0], months[-1], freq="M"):
        month = str(period)
        if month in months:
            continue
        before = max(m for m in months if m < month)
        after = min(m for m in months if m > month)
        between = (f"between the sourced months {before} and {after}; the reports would "
                   "count it as a month without attacks")
        if month not in row_of:
            problems.append(Problem("coverage.csv", None, "month", month,
                                    f"is missing, {between}: add a row for it with its "
                                    "assessment (incomplete if it was searched only in part)"))
        else:
            row = row_of[month]
            problems.append(Problem("coverage.csv", row, "assessment",
                                    coverage.at[row, "assessment"],
                                    f"marks {month} as not sourced, {between}: source it "
                                    "(incomplete if only in part), or mark the months after "
                                    "it not_started too"))
    return problems


def _site_label_problems(sites: pd.DataFrame) -> list[Problem]:
    """Two sites with one label would be merged in every chart and table by label."""
    problems = []
    labels = sites["label"].str.strip()
    first_row = {}
    for row, label in zip(range(2, len(labels) + 2), labels):
        if label and label in first_row:
            problems.append(Problem("sites.csv", row, "label", label,
                                    f"is also the label of row {first_row[label]}; give each "
                                    "site its own label"))
        first_row.setdefault(label, row)
    return problems


def validate_dataset(data_dir: Path) -> ValidationReport:
    """Check every file of the dataset in ``data_dir``; collect all problems."""
    report = ValidationReport()
    for table in TABLES.values():
        frame = read_raw(Path(data_dir) / table.filename, table, report)
        if frame is None:
            continue
        report.raw[table.name] = frame
        report.problems += _column_problems(frame, table)
        report.problems += _range_problems(frame, table)
        if table.name == "attacks":
            report.problems += _attack_rules(frame)
        if table.name == "coverage":
            report.problems += _coverage_rules(frame)
        if table.name == "sites" and "label" in frame:
            report.problems += _site_label_problems(frame)
    report.problems += _foreign_key_problems(report.raw)
    report.problems += _window_problems(report.raw)
    report.problems += _source_domain_problems(report.raw)
    report.problems += _confidence_by_source_problems(report.raw)
    report.problems = sorted(set(report.problems), key=problem_order)
    return report
