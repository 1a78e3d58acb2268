"""Every path the project uses, derived from the package location.

No other module spells a path: notebooks and the command line resolve their folders here, so they
work from any working directory.
"""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = PROJECT_ROOT / "data"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REPORTS_DIR = PROJECT_ROOT / "reports"
SEEDS_DIR = PROJECT_ROOT / "seeds"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def resolve_project_path(value: str | Path | None, default: Path) -> Path:
    """Resolve a user-supplied folder: empty means ``default``; relative paths are taken from the
    project root (not from wherever Jupyter or papermill was started)."""
    if value is None or str(value).strip() == "":
        return default
    path = Path(value).expanduser()
    return path if path.is_absolute() else (PROJECT_ROOT / path).resolve()
