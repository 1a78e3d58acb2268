"""Fingerprints of everything a report is made from, using only the standard library so that
a render with nothing to do answers before pandas, papermill or nbconvert are even imported.

A report's input key is the sha256 of: the data files, the notebook, the package's code and
templates, and the effective parameter values. The render stores it in reports/manifest.json
and skips a report whose key and output are unchanged (``--force`` renders anyway).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .schema import TABLES

PACKAGE_DIR = Path(__file__).resolve().parent


def data_files_state(data_dir: Path) -> tuple:
    """Name, size and modification time (ns) of each data file; None for a missing file."""
    state = []
    for table in TABLES.values():
        path = Path(data_dir) / table.filename
        try:
            info = path.stat()
        except FileNotFoundError:
            state.append((table.filename, None))
            continue
        state.append((table.filename, info.st_size, info.st_mtime_ns, info.st_ino))
    return (str(Path(data_dir).resolve()), *state)


_FINGERPRINTS: dict[tuple, str] = {}


def data_fingerprint(data_dir: Path) -> str:
    """sha256 over the dataset's files (name and bytes, in a fixed order). Remembered for the
    life of the process while no file changes size or modification time, so that one render
    reads the files once to hash them, not once per caller."""
    state = data_files_state(data_dir)
    if state in _FINGERPRINTS:
        return _FINGERPRINTS[state]
    digest = hashlib.sha256()
    for table in TABLES.values():
        path = Path(data_dir) / table.filename
        digest.update(table.filename.encode() + b"\0")
        if path.exists():
            with open(path, "rb") as handle:
                while block := handle.read(2**20):
                    digest.update(block)
        digest.update(b"\0")
    _FINGERPRINTS.clear()  # one dataset at a time is enough
    _FINGERPRINTS[state] = digest.hexdigest()
    return _FINGERPRINTS[state]


# Files of the package that shape a report: code, templates and their stylesheet and script.
CODE_SUFFIXES = (".py", ".j2", ".json", ".css", ".js")


def code_fingerprint() -> str:
    """sha256 over the package's Python files, templates and reference geography, and the
    pinned environment (requirements.txt): a change in any of them can change every report
    (another matplotlib draws the charts differently)."""
    digest = hashlib.sha256()
    files = sorted(p for p in PACKAGE_DIR.rglob("*")
                   if p.is_file() and p.suffix in CODE_SUFFIXES
                   and "__pycache__" not in p.parts)
    geo = PACKAGE_DIR.parent / "data" / "geo"
    files += sorted(p for p in geo.glob("*") if p.is_file()) if geo.exists() else []
    requirements = PACKAGE_DIR.parent / "requirements.txt"
    files += [requirements] if requirements.exists() else []
    for path in files:
        digest.update(str(path.relative_to(PACKAGE_DIR.parent)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def input_key(data: str, code: str, notebook: Path, parameters: dict, extra: object = None
              ) -> str:
    digest = hashlib.sha256()
    for part in (data, code, Path(notebook).read_bytes(),
                 json.dumps(parameters, sort_keys=True, default=str),
                 json.dumps(extra, sort_keys=True, default=str)):
        digest.update(part if isinstance(part, bytes) else part.encode())
        digest.update(b"\0")
    return digest.hexdigest()
