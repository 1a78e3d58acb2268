"""One drawing for a chart that two reports show.

The overview shows four charts that a detailed report shows too (the weekly count, the map,
the timeline, the running casualty totals): the same function called with the same
arguments. The first kernel to publish such a chart keeps what it drew (the 1920 x 1080 PNG,
the SVG, the page's and the phone's images) in the render's figures folder, under a key made
of the drawing function, its arguments and the style; a later publish with the same key, in
the same or another kernel, takes those bytes instead of drawing the chart again.

The folder is made by the render in its staging folder and removed when the render ends, so
nothing outlives one render and no code or data change can meet an old drawing; a notebook
run by hand (no such folder) draws every chart. A key that differs in any
argument (another title, one row more) is another drawing; two kernels that draw the same
chart at the same moment both draw it, and the bytes are the same either way.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from pathlib import Path

FOLDER = ".drawings"  # a dot folder: the render does not publish it


def key(fig) -> str | None:
    """The drawing's key, or None for a figure not drawn by a recorded chart function (or
    with an argument that cannot be fingerprinted)."""
    import matplotlib

    drawing = getattr(fig, "_house_drawing", None)
    if drawing is None:
        return None
    draw, args, kwargs, _ = drawing
    digest = hashlib.sha256(f"{draw.__module__}.{draw.__qualname__}".encode())
    try:
        _fingerprint((args, dict(kwargs)), digest)
    except (TypeError, ValueError, pickle.PicklingError, AttributeError):
        return None  # drawn every time
    style = sorted((name, str(value)) for name, value in matplotlib.rcParams.items())
    digest.update(repr((style, tuple(fig.get_size_inches()), fig.dpi)).encode())
    return digest.hexdigest()[:32]


def _fingerprint(value, digest) -> None:
    """Feed ``value`` to ``digest`` by content: frames by their column names, types and
    values (pickled frames differ with the memory their columns were read into)."""
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        digest.update(repr(("frame", [str(c) for c in value.columns],
                            [str(t) for t in value.dtypes], value.shape)).encode())
        digest.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
    elif isinstance(value, pd.Series):
        digest.update(repr(("series", str(value.name), str(value.dtype))).encode())
        digest.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
    elif isinstance(value, dict):
        digest.update(b"dict")
        for name in sorted(value, key=repr):
            digest.update(repr(name).encode())
            _fingerprint(value[name], digest)
    elif isinstance(value, (list, tuple)):
        digest.update(f"{type(value).__name__}{len(value)}".encode())
        for item in value:
            _fingerprint(item, digest)
    else:
        digest.update(pickle.dumps(value, protocol=5))


def enable(figures_dir) -> None:
    """Share drawings between the notebooks that publish into ``figures_dir`` (the render
    calls this on its staging folder)."""
    (Path(figures_dir) / FOLDER).mkdir(parents=True, exist_ok=True)


def enabled(figures_dir) -> bool:
    return bool(figures_dir) and (Path(figures_dir) / FOLDER).is_dir()


def _folder(figures_dir, drawing_key: str) -> Path:
    return Path(figures_dir) / FOLDER / drawing_key


def load(figures_dir, drawing_key: str | None) -> dict | None:
    """What an earlier publish kept for this key: its files' bytes by name and ``meta``."""
    if not enabled(figures_dir) or drawing_key is None:
        return None
    folder = _folder(figures_dir, drawing_key)
    if not folder.is_dir():
        return None
    kept = {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}
    kept["meta"] = json.loads(kept.pop("meta.json", b"{}"))
    return kept


def store(figures_dir, drawing_key: str | None, files: dict[str, bytes], meta: dict) -> None:
    """Keep a drawing's files for the next publish of the same chart. Written to a temporary
    folder and renamed into place, so another kernel sees the whole drawing or none."""
    if not enabled(figures_dir) or drawing_key is None:
        return
    target = _folder(figures_dir, drawing_key)
    if target.exists():
        return
    staging = Path(tempfile.mkdtemp(prefix=".part-", dir=target.parent))
    for name, data in files.items():
        (staging / name).write_bytes(data)
    (staging / "meta.json").write_text(json.dumps(meta, sort_keys=True), encoding="utf-8")
    try:
        os.rename(staging, target)
    except OSError:  # another kernel kept the same drawing first
        for path in staging.iterdir():
            path.unlink()
        staging.rmdir()
