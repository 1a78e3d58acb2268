"""Load the validated dataset as typed, tidy DataFrames.

Data files are read, never written: everything downstream works on the frames returned here.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from .arrowtext import arrow_cells, integers, lookup, release_memory, reordered, stripped
from .errors import DataValidationError
from .fingerprints import data_files_state, data_fingerprint
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
    groups: pd.DataFrame
    sources: pd.DataFrame
    data_dir: Path
    fingerprint: str
    notices: tuple[str, ...] = ()

    @property
    def as_of(self) -> pd.Timestamp | None:
        """Date of the latest attack in the data."""
        return self.attacks["date"].max() if len(self.attacks) else None

    @property
    def window(self) -> tuple[pd.Timestamp, pd.Timestamp] | None:
        """The dataset's window: first and last day of its sourced months (coverage.csv);
        None when no month has been sourced."""
        return sourced_window(self.coverage)


def sourced_months(coverage: pd.DataFrame) -> list[str]:
    """The months (YYYY-MM) coverage.csv says have been searched: any assessment but
    not_started, in order. Works on the raw text cells as on the loaded table."""
    months = coverage["month"].astype(str).str.strip()
    sourced = coverage["assessment"].astype(str).str.strip() != "not_started"
    return sorted(months[sourced & months.str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])")])


def sourced_window(coverage: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """First and last day of the sourced months; None when there are none."""
    months = sourced_months(coverage)
    if not months:
        return None
    first, last = pd.Period(months[0], freq="M"), pd.Period(months[-1], freq="M")
    return first.start_time.normalize(), last.end_time.normalize()


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
    # Column by column, each dropped from the unordered frame once moved: at most one column
    # exists twice at a time, not the whole table.
    ordered = {}
    for column in list(attacks.columns):
        ordered[column] = reordered(attacks.pop(column), order)
        release_memory()
    return pd.DataFrame(ordered)


def save_snapshot(dataset: Dataset, path: Path) -> Path:
    """Keep a validated dataset for the notebooks of one render, so that each kernel does not
    read and validate the CSV files again. The attacks table goes to an Arrow IPC file next to
    ``path`` (written column batch by column batch, and memory-mapped by the kernels: a
    kernel's memory then holds only the columns it reads); the small tables, and the size and
    modification time of each data file, go to ``path`` itself."""
    import pyarrow as arrow

    table = arrow.Table.from_pandas(dataset.attacks, preserve_index=False)
    with arrow.OSFile(str(_attacks_file(path)), "wb") as sink:
        with arrow.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
    del table
    rest = replace(dataset, attacks=dataset.attacks.iloc[:0])
    with open(path, "wb") as handle:
        pickle.dump((data_files_state(dataset.data_dir), rest), handle,
                    protocol=pickle.HIGHEST_PROTOCOL)
    return path


def _attacks_file(snapshot: str | Path) -> Path:
    return Path(f"{snapshot}.attacks.arrow")


def load_snapshot(path: str | Path) -> tuple[tuple, Dataset]:
    """A snapshot written by save_snapshot, with the data files' state it was made from."""
    import pyarrow as arrow

    with open(path, "rb") as handle:
        state, dataset = pickle.load(handle)  # written by this package's render, for this run
    with arrow.memory_map(str(_attacks_file(path))) as source:
        attacks = arrow.ipc.open_file(source).read_all().to_pandas()
    return state, replace(dataset, attacks=attacks)


def _snapshot(path: str | Path | None, folder: Path) -> Dataset | None:
    """The render's validated copy, if given and made from these data files as they are now
    (same size and modification time: hashing a million rows again in every kernel would
    cost more than loading them)."""
    if not path or not Path(path).exists():
        return None
    state, dataset = load_snapshot(path)
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
    notices = tuple(report.notices)
    del report  # the raw text frames: the typed ones share what they still need of them
    release_memory()
    attacks = frames.pop("attacks")
    sites = frames["sites"]
    for column, site_column in (("site_name", "name"), ("site_label", "label"),
                                ("province", "province")):
        attacks[column] = lookup(attacks["site_id"], sites["site_id"], sites[site_column])
    attacks = _chronological(attacks)
    return Dataset(
        attacks=attacks,
        sites=frames["sites"],
        milestones=frames["milestones"].sort_values("date").reset_index(drop=True),
        casualty_reports=frames["casualty_reports"],
        press_counts=frames["press_counts"].sort_values("report_date").reset_index(drop=True),
        coverage=frames["coverage"],
        groups=frames["groups"],
        sources=frames["sources"],
        data_dir=folder,
        fingerprint=data_fingerprint(folder),
        notices=notices,
    )


def source_urls(cell: str) -> list[str]:
    """The URLs of a ``source_urls`` cell."""
    return cell.split()
