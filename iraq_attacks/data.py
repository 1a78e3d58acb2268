"""Load the validated dataset as typed, tidy DataFrames.

Data files are read, never written: everything downstream works on the frames returned here.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .inputs import data_fingerprint  # noqa: F401  (re-exported)
from .paths import DATA_DIR, resolve_project_path
from .schema import CASUALTY_GROUPS, TABLES, Table
from .validate import DataValidationError, validate_dataset

KILLED_COLUMNS = [f"killed_{g}" for g in CASUALTY_GROUPS]
WOUNDED_COLUMNS = [f"wounded_{g}" for g in CASUALTY_GROUPS]


@dataclass(frozen=True)
class Dataset:
    attacks: pd.DataFrame
    sites: pd.DataFrame
    milestones: pd.DataFrame
    casualty_reports: pd.DataFrame
    press_counts: pd.DataFrame
    coverage: pd.DataFrame
    data_dir: Path
    fingerprint: str
    notices: tuple[str, ...] = ()

    @property
    def as_of(self) -> pd.Timestamp | None:
        """Date of the latest attack in the data."""
        return self.attacks["date"].max() if len(self.attacks) else None


def _typed(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    typed = pd.DataFrame(index=frame.index)
    for spec in table.fields:
        column = frame[spec.name].astype(str).str.strip()
        blank = column == ""
        if spec.kind == "integer":
            typed[spec.name] = pd.to_numeric(column.mask(blank), errors="raise").astype("Int64")
        elif spec.kind == "number":
            typed[spec.name] = pd.to_numeric(column.mask(blank)).astype("Float64")
        elif spec.kind == "date":
            typed[spec.name] = pd.to_datetime(column.mask(blank), format="%Y-%m-%d")
        elif spec.kind == "boolean":
            typed[spec.name] = column.eq("true")
        else:
            typed[spec.name] = column
    return typed.reset_index(drop=True)


def save_snapshot(dataset: Dataset, path: Path) -> Path:
    """Keep a validated dataset for the notebooks of one render, so that each kernel does not
    read and validate the CSV files again."""
    with open(path, "wb") as handle:
        pickle.dump(dataset, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def _snapshot(path: str | Path | None, folder: Path) -> Dataset | None:
    """The render's validated copy, if given and made from exactly these data files."""
    if not path or not Path(path).exists():
        return None
    with open(path, "rb") as handle:
        dataset = pickle.load(handle)  # written by this package's render, in its own folder
    return dataset if dataset.fingerprint == data_fingerprint(folder) else None


def load_dataset(data_dir: str | Path | None = None, report=None,
                 snapshot: str | Path | None = None) -> Dataset:
    """Validate and load every file in ``data_dir`` (default: the project's data/ folder).
    Pass the ``report`` of a validation already made to skip a second one, or the render's
    ``snapshot`` (see save_snapshot) to skip reading the files at all.

    Raises DataValidationError, listing every problem, when the data breaks the schema.
    """
    folder = resolve_project_path(data_dir, DATA_DIR)
    kept = _snapshot(snapshot, folder)
    if kept is not None:
        return kept
    report = report if report is not None else validate_dataset(folder)
    if not report.ok:
        raise DataValidationError(report)
    frames = {name: _typed(report.raw[name], table) for name, table in TABLES.items()}
    attacks = frames["attacks"].merge(
        frames["sites"][["site_id", "name", "label", "province"]].rename(
            columns={"name": "site_name", "label": "site_label"}),
        on="site_id", how="left", validate="many_to_one",
    )
    attacks = attacks.sort_values(["date", "time_local", "attack_id"]).reset_index(drop=True)
    return Dataset(
        attacks=attacks,
        sites=frames["sites"],
        milestones=frames["milestones"].sort_values("date").reset_index(drop=True),
        casualty_reports=frames["casualty_reports"],
        press_counts=frames["press_counts"].sort_values("report_date").reset_index(drop=True),
        coverage=frames["coverage"],
        data_dir=folder,
        fingerprint=data_fingerprint(folder),
        notices=tuple(report.notices),
    )


def source_urls(cell: str) -> list[str]:
    """The URLs of a ``source_urls`` cell."""
    return cell.split()
