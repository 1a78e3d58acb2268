"""Errors that the command line reports, kept apart from the heavy modules that raise them so
that catching them costs no import."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .validate import ValidationReport

class DataValidationError(ValueError):
    """Raised when data files break the schema; carries the full report."""

    def __init__(self, report: ValidationReport):
        self.report = report
        count = len(report.problems)
        super().__init__(f"{count} problem{'s' * (count != 1)} in the data:\n{report}")
