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
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from .errors import DataValidationError  # noqa: F401  (re-exported)
from .schema import TABLES, URL_SEPARATOR, Field, Table

FORMULA_PREFIXES = ("=", "+", "-", "@")
_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
_INTEGER = re.compile(r"\d+")
_URL = re.compile(r"https?://[^\s<>\"']+")


@dataclass(frozen=True, order=True)
class Problem:
    """One broken rule. ``row`` is the spreadsheet row (header = 1); None for file-level."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    rule: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" row {self.row}"
        if self.column is not None:
            where += f", column {self.column}"
        if self.value is None:
            return f"{where}: {self.rule}"
        shown = self.value if len(self.value) <= 80 else self.value[:77] + "..."
        return f"{where}: {shown!r} {self.rule}"


@dataclass
class ValidationReport:
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    raw: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def __str__(self) -> str:
        lines = [str(p) for p in sorted(self.problems, key=_problem_order)]
        lines += [f"note: {n}" for n in self.notices]
        return "\n".join(lines)


def _problem_order(p: Problem):
    return (p.file, p.row if p.row is not None else 0, p.column or "", p.rule)


# --------------------------------------------------------------------------- reading


def read_raw(path: Path, table: Table, report: ValidationReport) -> pd.DataFrame | None:
    """Read a CSV as text cells. Structural problems (encoding, ragged rows, missing columns)
    go into ``report``; returns None when the file cannot be read as a table at all."""
    name = path.name
    if not path.exists():
        report.problems.append(Problem(name, None, None, None, f"file not found: {path}"))
        return None
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        report.notices.append(f"{name}: starts with a UTF-8 byte-order mark; accepted")
        data = data[3:]
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
    return frame[table.columns].astype(object)


# --------------------------------------------------------------------------- column rules


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return value.strip().lower() not in {"nan", "inf", "-inf", "infinity"}


def _optional(predicate):
    """Column rules apply to non-empty cells; emptiness is the ``required`` rule's business."""
    return lambda value: value == "" or predicate(value)


def _checks(spec: Field) -> list[pa.Check]:
    checks: list[pa.Check] = []

    def add(predicate, rule: str):
        checks.append(pa.Check(_optional(predicate), element_wise=True, error=rule))

    if spec.required:
        checks.append(pa.Check(lambda v: v.strip() != "", element_wise=True,
                               error="is empty, but a value is required"))
    if spec.kind == "date":
        add(_is_date, "is not a date (YYYY-MM-DD)")
        if spec.earliest and spec.latest:
            lo, hi = spec.earliest.isoformat(), spec.latest.isoformat()
            add(lambda v: not _is_date(v) or lo <= v <= hi,
                f"is outside the window {lo} to {hi}")
    elif spec.kind == "time":
        add(lambda v: bool(_TIME.fullmatch(v)), "is not a time (HH:MM, 24 h)")
    elif spec.kind == "integer":
        add(lambda v: bool(_INTEGER.fullmatch(v)), "is not a whole number >= 0")
        if spec.maximum is not None:
            top = int(spec.maximum)
            add(lambda v: not _INTEGER.fullmatch(v) or int(v) <= top,
                f"is larger than {top:,}, which cannot be right")
    elif spec.kind == "number":
        add(_is_number, "is not a number")
        if spec.minimum is not None and spec.maximum is not None:
            lo, hi = spec.minimum, spec.maximum
            add(lambda v: not _is_number(v) or lo <= float(v) <= hi,
                f"is outside {lo} to {hi} (inside Iraq)")
    elif spec.kind == "enum":
        allowed = list(spec.allowed or {})
        add(lambda v: v in allowed, "is not one of: " + ", ".join(allowed))
    elif spec.kind == "boolean":
        add(lambda v: v in ("true", "false"), "is not true or false")
    elif spec.kind == "url":
        add(lambda v: bool(_URL.fullmatch(v)), "is not an http(s) URL")
    elif spec.kind == "urls":
        add(lambda v: all(_URL.fullmatch(u) for u in v.split()),
            f"is not a list of http(s) URLs separated by {URL_SEPARATOR!r}")
    elif spec.kind == "text":
        add(lambda v: not v.startswith(FORMULA_PREFIXES),
            "starts like a spreadsheet formula (=, +, -, @); reword it")
    if spec.pattern:
        pattern = re.compile(spec.pattern)
        add(lambda v: bool(pattern.fullmatch(v)), f"does not match the pattern {spec.pattern}")
    return checks


def pandera_schema(table: Table) -> pa.DataFrameSchema:
    """The pandera schema for a table's raw text cells, generated from its definition."""
    return pa.DataFrameSchema(
        {spec.name: pa.Column(object, checks=_checks(spec), unique=spec.unique, nullable=False)
         for spec in table.fields},
        name=table.filename,
        strict=False,
    )


def _column_problems(frame: pd.DataFrame, table: Table) -> list[Problem]:
    try:
        pandera_schema(table).validate(frame, lazy=True)
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


def _parsed(value: str):
    if _INTEGER.fullmatch(value):
        return int(value)
    if _is_date(value):
        return value  # ISO dates compare correctly as text
    return None


def _range_problems(frame: pd.DataFrame, table: Table) -> list[Problem]:
    problems = []
    for low_col, high_col in table.ranges:
        for row, low, high in zip(frame.index, frame[low_col], frame[high_col]):
            lo, hi = _parsed(low), _parsed(high)
            if lo is not None and hi is not None and lo > hi:
                problems.append(Problem(table.filename, row, low_col, low,
                                        f"is larger than {high_col} ({high})"))
    return problems


def _attack_rules(frame: pd.DataFrame) -> list[Problem]:
    problems = []
    for row, r in frame.iterrows():
        landed, fired = _parsed(r["projectiles_landed_low"]), _parsed(r["projectiles_fired_high"])
        if isinstance(landed, int) and isinstance(fired, int) and landed > fired:
            problems.append(Problem("attacks.csv", row, "projectiles_landed_low",
                                    r["projectiles_landed_low"],
                                    f"is larger than projectiles_fired_high ({fired})"))
        if r["sources_disagree"] == "true" and not r["notes"].strip():
            problems.append(Problem("attacks.csv", row, "notes", "",
                                    "is empty, but sources_disagree is true: say what differs"))
        if r["confidence"] == "low" and not r["notes"].strip():
            problems.append(Problem("attacks.csv", row, "notes", "",
                                    "is empty, but confidence is low: say why"))
    return problems


def _foreign_key_problems(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    problems = []
    for table in TABLES.values():
        frame = frames.get(table.name)
        for column, other, other_column in table.foreign_keys:
            target = frames.get(other)
            if frame is None or target is None:
                continue
            known = set(target[other_column])
            for row, value in zip(frame.index, frame[column]):
                if value and value not in known:
                    problems.append(Problem(table.filename, row, column, value,
                                            f"is not a {other_column} in {TABLES[other].filename}"))
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
    report.problems += _foreign_key_problems(report.raw)
    report.problems = sorted(set(report.problems), key=_problem_order)
    return report
