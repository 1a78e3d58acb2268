"""Load the validated dataset as typed, tidy DataFrames.

Data files are read, never written: everything downstream works on the frames returned here.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .arrowtext import arrow_cells, integers, stripped
from .errors import DataValidationError
from .inputs import data_files_state, data_fingerprint
from .paths import DATA_DIR, resolve_project_path
from .schema import CASUALTY_GROUPS, TABLES, Table

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
    typed = {}
    for spec in table.fields:
        if spec.kind == "integer":
            typed[spec.name] = integers(frame[spec.name])
            continue
        column = stripped(frame[spec.name])
        blank = column == ""
        if spec.kind == "number":
            typed[spec.name] = pd.to_numeric(column.mask(blank)).astype("Float64")
        elif spec.kind == "date":
            typed[spec.name] = pd.to_datetime(column.mask(blank), format="%Y-%m-%d")
        elif spec.kind == "boolean":
            typed[spec.name] = column.eq("true")
        else:
            typed[spec.name] = column
    return pd.DataFrame(typed, index=frame.index).reset_index(drop=True)


def _chronological(attacks: pd.DataFrame) -> pd.DataFrame:
    """Attacks by date, local time and id. The order is found by Arrow on the three key
    columns only; rows are moved (a copy of every column) only when they are out of order."""
    import numpy as np
    import pyarrow as arrow
    import pyarrow.compute as compute

    keys = arrow.table({
        "date": arrow.array(attacks["date"].to_numpy("datetime64[us]")),
        "time": arrow_cells(attacks["time_local"]),
        "id": arrow_cells(attacks["attack_id"]),
    })
    order = compute.sort_indices(keys, sort_keys=[("date", "ascending"), ("time", "ascending"),
                                                  ("id", "ascending")]).to_numpy()
    if np.array_equal(order, np.arange(len(order))):
        return attacks
    return attacks.take(order).reset_index(drop=True)


def save_snapshot(dataset: Dataset, path: Path) -> Path:
    """Keep a validated dataset for the notebooks of one render, so that each kernel does not
    read and validate the CSV files again. It is stored with the size and modification time
    of each data file it was made from."""
    with open(path, "wb") as handle:
        pickle.dump((data_files_state(dataset.data_dir), dataset), handle,
                    protocol=pickle.HIGHEST_PROTOCOL)
    return path


def _snapshot(path: str | Path | None, folder: Path) -> Dataset | None:
    """The render's validated copy, if given and made from these data files as they are now
    (same size and modification time: hashing a million rows again in every kernel would
    cost more than loading them)."""
    if not path or not Path(path).exists():
        return None
    with open(path, "rb") as handle:
        state, dataset = pickle.load(handle)  # written by this package's render, for this run
    return dataset if state == data_files_state(folder) else None


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
    if report is None:
        from .validate import validate_dataset  # not imported when a snapshot is used

        report = validate_dataset(folder)
    if not report.ok:
        raise DataValidationError(report)
    frames = {name: _typed(report.raw[name], table) for name, table in TABLES.items()}
    attacks = frames["attacks"].merge(
        frames["sites"][["site_id", "name", "label", "province"]].rename(
            columns={"name": "site_name", "label": "site_label"}),
        on="site_id", how="left", validate="many_to_one",
    )
    attacks = _chronological(attacks)
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
