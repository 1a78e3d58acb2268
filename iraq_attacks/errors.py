"""Errors that the command line reports, and the validation report they carry, kept apart
from the heavy modules that raise them so that catching them costs no import (and so that
validate.py depends on this module, not the other way round)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


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
        lines = [str(p) for p in sorted(self.problems, key=problem_order)]
        lines += [f"note: {n}" for n in self.notices]
        return "\n".join(lines)


def problem_order(p: Problem):
    return (p.file, p.row if p.row is not None else 0, p.column or "", p.rule)


class DataValidationError(ValueError):
    """Raised when data files break the schema; carries the full report."""

    def __init__(self, report: ValidationReport):
        self.report = report
        count = len(report.problems)
        super().__init__(f"{count} problem{'s' * (count != 1)} in the data:\n{report}")
