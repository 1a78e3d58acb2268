"""The render pipeline: validate the data, check parameters, execute the notebooks with papermill
(in parallel), export them with nbconvert in this process, and write the reports atomically.

Nothing is written until every notebook has run: a failed render leaves the previous reports in
place, and each file is replaced by a rename, so a reader never sees a half-written page.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__, drawings
from .fingerprints import code_fingerprint, data_fingerprint, input_key
from .parameters import ParameterError, check_parameters, check_values, notebook_parameters
from .paths import DATA_DIR, NOTEBOOKS_DIR, REPORTS_DIR, TEMPLATES_DIR

# papermill, nbconvert, pandas and python-pptx are imported where they are used, so that a
# render with nothing to do never pays for them.

# Rendered in this order and listed in this order on the index page.
NOTEBOOKS = ("overview", "frequency", "escalation", "casualties")
# Kernels are started longest report first (measured: benchmarks/README.md), so that the short
# ones fill the gaps at the end instead of a long one running alone.
LONGEST_FIRST = ("escalation", "frequency", "overview", "casualties")
MANIFEST = "manifest.json"
FIGURES = "figures"
DECK = "briefing.pptx"


# papermill logs every kernel start and parameter at INFO/WARNING; our own progress says enough.
logging.getLogger("papermill").setLevel(logging.ERROR)
DECK_INPUTS = "briefing.json"


@dataclass
class RenderOutcome:
    rendered: list[str]  # reports executed and written by this render
    skipped: list[str]  # reports whose inputs had not changed
    deck: bool  # whether the briefing deck was rebuilt
    timings: dict[str, float]


class RenderError(RuntimeError):
    """A notebook failed; the message names the notebook, the cell and the exception."""


@dataclass
class Job:
    name: str
    path: Path
    parameters: dict[str, Any]  # effective values: defaults overridden by the user's
    overrides: dict[str, Any]
    title: str = ""
    description: str = ""
    seconds: dict[str, float] = field(default_factory=dict)
    key: str = ""  # input key: data, notebook, code and parameters (fingerprints.input_key)


class Progress:
    """Which notebook is where: one updating line on a terminal, plain lines in a log."""

    def __init__(self, names: list[str], stream=None):
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.state = {name: "waiting" for name in names}
        self.lock = threading.Lock()

    def update(self, name: str, state: str, log: bool = True) -> None:
        with self.lock:
            self.state[name] = state
            if self.tty:
                line = "  ".join(f"{n}: {s}" for n, s in self.state.items())
                self.stream.write("\r\033[K" + line[: shutil.get_terminal_size().columns - 1])
                self.stream.flush()
            elif log:
                self.stream.write(f"render: {name}: {state}\n")
                self.stream.flush()

    def message(self, text: str) -> None:
        with self.lock:
            self.stream.write(("\r\033[K" if self.tty else "") + text + "\n")
            self.stream.flush()


def plan_jobs(names: list[str], overrides: dict[str, Any], data_dir: Path | None,
              notebooks_dir: Path = NOTEBOOKS_DIR) -> list[Job]:
    """Check every notebook's parameters before anything runs. A parameter goes to the
    notebooks that declare it (``window_days`` only to escalation); one that no selected
    notebook declares is an error naming what they accept. ``data_dir`` is the folder that
    ``resolve_data_folder`` chose; every notebook is given it (None: the project's data)."""
    declared_by = {}
    for name in names:
        path = notebooks_dir / f"{name}.ipynb"
        if not path.exists():
            available = ", ".join(sorted(p.stem for p in notebooks_dir.glob("*.ipynb")))
            raise ParameterError(f"no notebook named {name!r}; available: {available}")
        declared_by[name] = notebook_parameters(path)
    accepted = sorted({p for declared in declared_by.values() for p in declared})
    for parameter in overrides:
        if parameter not in accepted:
            raise ParameterError(f"unknown parameter {parameter!r}; the notebooks accept: "
                                 f"{', '.join(accepted)}")
    jobs = []
    for name, declared in declared_by.items():
        path = notebooks_dir / f"{name}.ipynb"
        given = {k: v for k, v in overrides.items() if k in declared}
        if data_dir is not None:
            given["data_dir"] = str(data_dir)
        checked = check_parameters(declared, given, f"{name}.ipynb")
        checked = check_values(checked)
        effective = {p.name: p.default for p in declared.values()} | checked
        nb_meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
        jobs.append(Job(name, path, effective, checked, title=nb_meta.get("title", name),
                        description=nb_meta.get("description", "")))
    return jobs


def resolve_data_folder(data_dir: Path | str | None, overrides: dict[str, Any]) -> Path:
    """``--data`` and ``-p data_dir`` are one thing: the folder that is validated,
    fingerprinted, read by the notebooks and summarised by the deck. Removes ``data_dir``
    from ``overrides``; the two given with different folders is an error."""
    from .paths import resolve_project_path

    given = overrides.pop("data_dir", None)
    folders = {resolve_project_path(v, DATA_DIR) for v in (data_dir, given)
               if v is not None and str(v).strip()}
    if len(folders) > 1:
        raise ParameterError(f"parameter data_dir: {given!r} differs from --data {data_dir}; "
                             "give the data folder once")
    folder = folders.pop() if folders else DATA_DIR
    if not folder.is_dir():
        raise ParameterError(f"parameter data_dir: {str(folder)!r} is not a folder; use a "
                             "folder holding attacks.csv and the other data files")
    return folder


PUBLISH_CALL = re.compile(r"""publish\(\s*\w+\s*,\s*f?["']([^"']+)["']""")


def chart_names(notebooks_dir: Path, names: list[str]) -> list[re.Pattern]:
    """The charts the notebooks can publish, read from their ``charts.publish`` calls: a name
    built from a value (``f"frequency-attacks-per-{period_name}"``) accepts any word there."""
    patterns = []
    for name in names:
        nb = json.loads((notebooks_dir / f"{name}.ipynb").read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            source = "".join(cell["source"])
            for literal in PUBLISH_CALL.findall(source):
                parts = re.split(r"\{[^}]*\}", literal)
                patterns.append(re.compile("[a-z0-9-]+".join(map(re.escape, parts))))
    return patterns


def check_deck_charts(charts: list[str] | None, notebooks_dir: Path, names: list[str]) -> None:
    """Refuse a --deck-charts name that no notebook can produce, before any kernel starts."""
    if not charts:
        return
    patterns = chart_names(notebooks_dir, names)
    unknown = [c for c in charts if not any(p.fullmatch(c) for p in patterns)]
    if unknown:
        shown = ", ".join(sorted({p.pattern.replace("[a-z0-9-]+", "*").replace("\\", "")
                                  for p in patterns}))
        raise ParameterError(f"--deck-charts: {', '.join(unknown)!r} is not a chart the "
                             f"notebooks publish; use names among {shown}")


def _period_name(context) -> list[str]:
    from .frequency import PERIOD_NAMES

    return [PERIOD_NAMES[context.parameters["period"]]]


def _revision_charts(context) -> list[str]:
    """The attacks the casualties report draws a revision chart for: those of the selection
    whose figures were revised, reported on two dates or more."""
    from .casualties import revision_series, revisions_of

    reports = context.dataset.casualty_reports
    changed = revisions_of(reports, context.attacks)
    return [attack_id.lower() for attack_id in changed["attack_id"].unique()
            if revision_series(reports, attack_id)["report_date"].nunique() >= 2]


# What a value in a chart's name (a placeholder of an f-string publish call) stands for, by
# the expression the notebook writes; a placeholder bound by a loop over a literal list needs
# no entry. A notebook with a placeholder missing here fails a test, not a render.
NAME_VALUES = {
    "period_name": _period_name,
    "PERIOD_NAMES[period]": _period_name,
    "attack_id.lower()": _revision_charts,
}


def _has_action_and_response(context) -> bool:
    from .escalation import action_and_response, milestones_in_window

    selection = context.selection
    milestones = milestones_in_window(context.dataset.milestones, selection.start, selection.end)
    return not action_and_response(context.attacks, milestones).empty


# Charts a notebook publishes only when there is something to draw (a publish call under an
# ``if``), with the same condition: a US action in the window for the action-response chart.
# A conditional publish call missing here fails a test.
ONLY_WHEN = {"escalation-action-response": _has_action_and_response}


def published_charts(path: Path, context) -> set[str]:
    """Every chart name the notebook at ``path`` publishes for ``context`` (its checked
    parameters and rows): the names of its ``charts.publish`` calls, with each placeholder
    replaced by the values it takes (NAME_VALUES, or the literal list a loop runs over)."""
    import ast
    import itertools

    names = set()
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse("".join(cell["source"]))
        loops = {}  # a node -> the literal loops around it, outermost first
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                loops[child] = loops.get(node, []) + (
                    [node] if isinstance(node, ast.For) else [])
        for call in ast.walk(tree):
            if not (isinstance(call, ast.Call) and len(call.args) > 1 and (
                    getattr(call.func, "attr", None) == "publish"
                    or getattr(call.func, "id", None) == "publish")):
                continue
            name = call.args[1]
            if isinstance(name, ast.Constant) and isinstance(name.value, str):
                if name.value not in ONLY_WHEN or ONLY_WHEN[name.value](context):
                    names.add(name.value)
                continue
            if not isinstance(name, ast.JoinedStr):
                raise RenderError(f"{path.name}: cannot tell the name of the chart published "
                                  f"by {ast.unparse(call)[:60]!r}; give it as a string")
            bindings = [{}]
            for loop in loops.get(call, []):
                try:
                    values = ast.literal_eval(loop.iter)
                except ValueError:
                    continue  # not a literal list: its placeholder needs a NAME_VALUES entry
                bound = [_bind(loop.target, value) for value in values]
                bindings = [{**a, **b} for a in bindings for b in bound]
            for binding in bindings:
                parts = []
                for part in name.values:
                    if isinstance(part, ast.Constant):
                        parts.append([str(part.value)])
                        continue
                    expression = ast.unparse(part.value)
                    used = {n.id for n in ast.walk(part.value) if isinstance(n, ast.Name)}
                    if used and used <= set(binding):
                        parts.append([str(eval(expression, {}, dict(binding)))])
                    elif expression in NAME_VALUES:
                        parts.append(NAME_VALUES[expression](context))
                    else:
                        raise RenderError(f"{path.name}: cannot tell which values "
                                          f"{{{expression}}} takes in a chart name; add it "
                                          "to render.NAME_VALUES")
                names.update("".join(p) for p in itertools.product(*parts))
    return names


def _bind(target, value) -> dict:
    """The names a loop's target (``label`` or ``column, label``) takes for one value."""
    import ast

    if isinstance(target, ast.Name):
        return {target.id: value}
    if isinstance(target, (ast.Tuple, ast.List)) and len(target.elts) == len(value):
        return {k: v for t, item in zip(target.elts, value) for k, v in _bind(t, item).items()}
    return {}


def check_deck_chart_names(charts: list[str] | None, jobs: list[Job], contexts: dict) -> None:
    """Refuse a --deck-charts name that fits a notebook's pattern but that this render will
    not produce (another period's name, a breakdown the report does not draw, an attack
    without revisions), before any kernel starts."""
    if not charts:
        return
    produced = set()
    for job in jobs:
        produced |= published_charts(job.path, contexts[job.name])
    unknown = [c for c in charts if c not in produced]
    if unknown:
        raise ParameterError(f"--deck-charts: {', '.join(unknown)!r} is not a chart the "
                             f"notebooks publish for these parameters and data; use names "
                             f"among {', '.join(sorted(produced))}")


def _execute(job: Job, figures_dir: Path, snapshot: Path, progress: Progress):
    import papermill
    from jupyter_client import KernelManager

    cells = {"done": 0}
    total = len(json.loads(job.path.read_text(encoding="utf-8"))["cells"]) + 1  # + injected

    def on_cell_complete(**_):
        cells["done"] += 1
        progress.update(job.name, f"cell {cells['done']}/{total}", log=False)

    progress.update(job.name, "executing")
    started = time.perf_counter()
    # ipc transport: no TCP ports to race for between parallel kernels, no encryption warning.
    # Each kernel gets its own socket folder (short: socket paths are limited to ~100 bytes).
    sockets = tempfile.mkdtemp(prefix=f"{SOCKETS_PREFIX}{os.getpid()}-")
    kernel = KernelManager(kernel_name="python3", transport="ipc", ip=f"{sockets}/kernel")
    try:
        nb = papermill.execute_notebook(
            str(job.path), None,
            parameters={**job.overrides, "figures_dir": str(figures_dir),
                        "dataset_snapshot": str(snapshot)},
            kernel_name="python3", progress_bar=False, log_output=False,
            km=kernel, on_cell_complete=on_cell_complete,
        )
    except papermill.PapermillExecutionError as exc:  # noqa: F821 (imported above)
        raise RenderError(_failure_message(job, exc)) from None
    finally:
        if kernel.has_kernel:
            kernel.shutdown_kernel(now=True)
        kernel.cleanup_resources()
        shutil.rmtree(sockets, ignore_errors=True)
    job.seconds["execute"] = time.perf_counter() - started
    progress.update(job.name, f"executed in {job.seconds['execute']:.1f} s")
    return nb


SOCKETS_PREFIX = "iqk-"


def _remove_stale_sockets() -> None:
    """Socket folders of kernels whose render was killed (named iqk-<render pid>-...): removed
    by the next render once that process is gone."""
    for folder in Path(tempfile.gettempdir()).glob(f"{SOCKETS_PREFIX}*-*"):
        try:
            pid = int(folder.name[len(SOCKETS_PREFIX):].split("-", 1)[0])
            os.kill(pid, 0)
        except ValueError:
            continue  # not one of ours
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except PermissionError:
            continue  # another user's live process


def _failure_message(job: Job, exc) -> str:
    """Name the failing cell as the committed notebook numbers it (1-based; papermill counts
    the injected-parameters cell too) and quote its first line."""
    import nbformat

    cells = nbformat.read(str(job.path), as_version=4).cells
    tagged = [i for i, c in enumerate(cells) if "parameters" in c.metadata.get("tags", [])]
    index = exc.cell_index
    if tagged and index > tagged[0]:
        index -= 1  # papermill inserted its injected-parameters cell after the tagged one
    first_line = cells[index].source.strip().splitlines()[0] if 0 <= index < len(cells) else ""
    return (f"notebook {job.name}.ipynb failed in cell {index + 1} of {len(cells)} "
            f"({first_line[:60]!r}): {exc.ename}: {exc.evalue}")


def _remove_leftovers(out_dir: Path) -> None:
    """Staging folders and temporary files left by a render that was killed. Called only
    while holding the folder's lock, so none of them belongs to a running render."""
    for leftover in list(out_dir.glob(".render-*")) + list(out_dir.rglob(".*.tmp")):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes files private; reports are for reading
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


LOCK = ".render.lock"


class OutputLocked(RenderError):
    """Another render holds the output folder."""


def _lock(out_dir: Path, create: bool):
    """Hold the output folder for this render (released when the process ends, even if it is
    killed). Returns the open lock file, or None when the folder does not exist or cannot be
    written and ``create`` is false (a render with nothing to write needs no lock)."""
    try:
        if create:
            out_dir.mkdir(parents=True, exist_ok=True)
        handle = open(out_dir / LOCK, "a")
    except (FileNotFoundError, PermissionError, NotADirectoryError, OSError) as exc:
        if not create:
            return None
        reason = exc.strerror or type(exc).__name__
        raise RenderError(f"cannot write to the output folder {out_dir}: {reason.lower()}; "
                          "choose another with --out") from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise OutputLocked(f"another render is writing to {out_dir}; wait for it to finish "
                           "or use another --out folder") from None
    return handle


def _skip_iri_grammar() -> None:
    """Keep jsonschema from loading rfc3987-syntax in this process. papermill and nbconvert
    import nbformat, which imports jsonschema, which loads that optional IRI checker when it
    is installed (jupyterlab's jupyter-events asks for it), and it builds its grammar on
    import: 1.3 s of the 1.8 s that importing papermill cost, before the first kernel could
    start. nbformat's schema has no IRI format to check. A process that has already loaded
    it keeps it."""
    sys.modules.setdefault("rfc3987_syntax", None)  # None: "import rfc3987_syntax" fails


def render(notebooks: list[str] | None = None, overrides: dict[str, Any] | None = None,
           data_dir: Path | None = None, out_dir: Path | None = None,
           workers: int | None = None, stream=None,
           notebooks_dir: Path = NOTEBOOKS_DIR,
           deck_charts: list[str] | None = None, force: bool = False) -> RenderOutcome:
    """Render the reports whose inputs changed (all of them with ``force``). Raises
    DataValidationError, ParameterError or RenderError, leaving ``out_dir`` untouched.

    Every parameter, the data folder and the deck's charts are checked before any kernel
    starts; one render at a time writes to an output folder."""
    _skip_iri_grammar()
    names = list(notebooks or NOTEBOOKS)
    out_dir = Path(out_dir or REPORTS_DIR).resolve()
    total_started = time.perf_counter()
    timings: dict[str, float] = {}
    progress = Progress(names, stream)

    started = time.perf_counter()
    overrides = dict(overrides or {})
    folder = resolve_data_folder(data_dir, overrides)
    jobs = plan_jobs(names, overrides, folder if folder != DATA_DIR else None, notebooks_dir)
    check_deck_charts(deck_charts, notebooks_dir, names)
    _remove_stale_sockets()
    data_key, code_key = data_fingerprint(folder), code_fingerprint()
    for job in jobs:
        # the folder's content is in data_key; its path is not, so that an identical copy
        # elsewhere renders nothing and an edit anywhere re-renders everything
        job.key = input_key(data_key, code_key, job.path,
                            {k: v for k, v in job.parameters.items() if k != "data_dir"})
    manifest = _read_json(out_dir / MANIFEST)
    todo = [job for job in jobs if force or not _up_to_date(job, manifest, out_dir)]
    todo += _missing_slides(jobs, todo, deck_charts, out_dir)
    with_deck = set(NOTEBOOKS) <= set(names)  # the deck draws on every report's charts
    deck_key = input_key(data_key, code_key, NOTEBOOKS_DIR / "overview.ipynb",
                         {j.name: j.key for j in jobs}, deck_charts) if with_deck else None
    deck_due = with_deck and (bool(todo) or force or not (out_dir / DECK).exists()
                              or _read_json(out_dir / DECK_INPUTS).get("input_key") != deck_key)
    timings["check inputs"] = time.perf_counter() - started
    skipped = [job.name for job in jobs if job not in todo]
    lock = _lock(out_dir, create=bool(todo or deck_due))
    try:
        if lock is not None:
            _remove_leftovers(out_dir)  # of a killed render: the lock says none is running
        if not todo and not deck_due:
            timings["total"] = time.perf_counter() - total_started
            progress.message(f"render: nothing changed since the last render of {out_dir} "
                             f"({timings['total']:.2f} s); --force renders anyway")
            return RenderOutcome([], skipped, False, timings)
        return _render_locked(jobs, todo, skipped, folder, out_dir, workers, progress,
                              deck_due, deck_key, deck_charts, timings, total_started)
    finally:
        if lock is not None:
            lock.close()


def _render_locked(jobs, todo, skipped, folder, out_dir, workers, progress, deck_due,
                   deck_key, deck_charts, timings, total_started) -> RenderOutcome:
    from .context import build_context
    from .data import load_dataset

    started = time.perf_counter()
    dataset = load_dataset(folder)  # raises with every problem before any notebook runs
    # The checks that need the data (dates inside the sourced months, sites of this dataset)
    # run here, before any kernel; the kernels and the deck select the same rows.
    contexts = {job.name: build_context(dataset, job.parameters) for job in jobs}
    if deck_due:
        check_deck_chart_names(deck_charts, jobs, contexts)
    timings["validate"] = time.perf_counter() - started
    for name in skipped:
        progress.update(name, "unchanged, kept")

    staging = Path(tempfile.mkdtemp(prefix=".render-", dir=out_dir))
    entries, pages = [], {}
    try:
        staged_figures = staging / FIGURES
        staged_figures.mkdir()
        from .slides import DEFAULT_DECK_CHARTS, request

        # the notebooks draw a slide version of the deck's charts only (slides.py)
        request(staged_figures, deck_charts or DEFAULT_DECK_CHARTS)
        drawings.enable(staged_figures)  # a chart two reports show is drawn once
        started = time.perf_counter()
        if todo:
            from .arrowtext import release_memory
            from .data import load_snapshot, save_snapshot

            # validated once here; the kernels load this copy instead of the CSV files
            snapshot = save_snapshot(dataset, staging / "dataset.pickle")
            # and so does this process: memory-mapped, its pages are read only by the deck
            del dataset, contexts
            release_memory()
            dataset = load_snapshot(snapshot)[1]
            timings["snapshot"] = time.perf_counter() - started
            entries, pages = _execute_and_export(todo, staged_figures, snapshot, dataset,
                                                 workers, progress, timings)
        else:
            timings["execute (wall)"] = timings["export after the last kernel"] = 0.0

        started = time.perf_counter()
        deck = None
        if deck_due:
            from .briefing import build_deck

            # the overview's rows: the deck's key figures are the overview's
            overview = next(job for job in jobs if job.name == "overview")
            selection = build_context(dataset, overview.parameters).selection
            deck = staging / DECK
            charts = build_deck(dataset, [staged_figures, out_dir / FIGURES], deck, deck_charts,
                                selection=selection)
            (staging / DECK_INPUTS).write_text(json.dumps(
                {"input_key": deck_key, "charts": charts}, indent=1) + "\n")
            progress.message(f"render: briefing deck with {len(charts)} charts")
        timings["deck"] = time.perf_counter() - started

        started = time.perf_counter()
        _publish(out_dir, pages, staged_figures, entries, [j.name for j in todo], deck,
                 dataset)
        timings["write"] = time.perf_counter() - started
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    timings["total"] = time.perf_counter() - total_started
    for job in todo:
        for stage, seconds in job.seconds.items():
            timings[f"{job.name}: {stage}"] = seconds
    written = sorted(pages) + (["briefing.pptx"] if deck_due else [])
    progress.message("render: wrote " + ", ".join(written) + f", index.html to {out_dir} in "
                     f"{timings['total']:.1f} s" + (f"; unchanged: {', '.join(skipped)}"
                                                    if skipped else ""))
    return RenderOutcome([j.name for j in todo], skipped, deck_due, timings)


def _missing_slides(jobs: list[Job], todo: list[Job], deck_charts, out_dir: Path) -> list[Job]:
    """Reports left unchanged whose charts the deck now shows without their slide drawing
    (another --deck-charts than last time): they are rendered again to draw it."""
    from .slides import DEFAULT_DECK_CHARTS, FOLDER

    figures = out_dir / FIGURES
    wanted = [c for c in deck_charts or DEFAULT_DECK_CHARTS
              if (figures / f"{c}.png").exists() and not (figures / FOLDER / f"{c}.png").exists()]
    return [job for job in jobs if job not in todo
            and any(c.split("-", 1)[0] == job.name for c in wanted)]


def _expected_length(job: Job) -> int:
    return LONGEST_FIRST.index(job.name) if job.name in LONGEST_FIRST else len(LONGEST_FIRST)


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _up_to_date(job: Job, manifest: dict, out_dir: Path) -> bool:
    """A report is up to date when its input key is the one it was rendered from and its page
    is still the file the manifest describes."""
    entry = manifest.get(job.name, {})
    page = out_dir / f"{job.name}.html"
    return (entry.get("input_key") == job.key and page.exists()
            and page.stat().st_size == entry.get("bytes"))


def _execute_and_export(todo: list[Job], staged_figures: Path, snapshot: Path, dataset,
                        workers: int | None, progress: Progress, timings: dict):
    """Run the notebooks, ``workers`` at a time (longest first), and export each one to HTML
    here as soon as its kernel is done, while the others still run: the export then costs
    the wall time of the last one only. Returns the manifest entries and pages in ``todo``'s
    order, whatever order the kernels finished in."""
    from concurrent.futures import as_completed

    started = time.perf_counter()
    exported = {}
    workers = workers or min(len(todo), os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(_execute, job, staged_figures, snapshot, progress): job
                   for job in sorted(todo, key=_expected_length)}
        # imported while the kernels start and run, not before they start: nbconvert takes
        # 1.5 s to import, the deck's python-pptx 0.4 s, and this thread only waits here
        from . import briefing  # noqa: F401 (for the deck, after the notebooks)
        from .export import make_exporter
        from .provenance import generation_time

        exporter, generated = make_exporter(), generation_time()
        for future in as_completed(futures):
            job = futures[future]
            notebook = future.result()
            last_done = time.perf_counter()
            exported[job.name] = _export(job, notebook, dataset, exporter, generated, progress)
    timings["execute (wall)"] = last_done - started
    timings["export after the last kernel"] = time.perf_counter() - last_done
    entries = [exported[job.name][0] for job in todo]
    pages = dict(exported[job.name][1] for job in todo)
    return entries, pages


def _export(job: Job, nb, dataset, exporter, generated: str, progress: Progress):
    """One executed notebook as its page and its manifest entry."""
    from .export import export_html

    export_started = time.perf_counter()
    provenance = {"title": job.title, "description": job.description,
                  "parameters": {k: repr(v) for k, v in job.parameters.items()},
                  "version": __version__, "generated": generated,
                  "fingerprint": dataset.fingerprint,
                  "data_dir": dataset.data_dir.name + "/"}
    html, scope = export_html(nb, provenance, exporter, name=job.name)
    if scope is None:
        raise RenderError(f"notebook {job.name}.ipynb did not publish its scope "
                          "(call provenance.publish_scope)")
    job.seconds["export"] = time.perf_counter() - export_started
    page = html.encode("utf-8")
    entry = {"name": job.name, "file": f"{job.name}.html",
             "title": job.title, "description": job.description,
             **{k: v for k, v in scope.items() if k != "excluded"},
             "parameters": job.parameters, "version": __version__,
             "generated": generated, "bytes": len(page), "input_key": job.key}
    progress.update(job.name, f"exported ({len(html) // 1024} KiB)")
    return entry, (f"{job.name}.html", page)


def _publish(out_dir: Path, pages: dict[str, bytes], staged_figures: Path, entries: list[dict],
             rendered: list[str], deck: Path | None, dataset) -> None:
    """Move everything into place: figures, pages, the deck, then the manifest and index."""
    figures_dir = out_dir / FIGURES
    produced = set()
    # figures and their slide drawings (figures/slides/); the render's own request file and
    # shared drawings (dot names) stay behind
    staged = [f for f in sorted(staged_figures.rglob("*")) if f.is_file() and not any(
        part.startswith(".") for part in f.relative_to(staged_figures).parts)]
    for figure in staged:
        relative = figure.relative_to(staged_figures)
        produced.add(relative)
        _write_atomic(figures_dir / relative, figure.read_bytes())
    if figures_dir.exists():
        # A figure of a re-rendered report that this render did not produce is stale.
        for old in [f for f in figures_dir.rglob("*") if f.is_file()]:
            relative = old.relative_to(figures_dir)
            if relative not in produced and old.name.split("-", 1)[0] in rendered:
                old.unlink()
    for name, data in pages.items():
        _write_atomic(out_dir / name, data)
    if deck is not None:
        _write_atomic(out_dir / DECK, deck.read_bytes())
        _write_atomic(out_dir / DECK_INPUTS, (deck.parent / DECK_INPUTS).read_bytes())
    manifest_path = out_dir / MANIFEST
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    for entry in entries:
        manifest[entry["name"]] = entry
    ordered = {n: manifest[n] for n in NOTEBOOKS if n in manifest}
    ordered |= {n: e for n, e in sorted(manifest.items()) if n not in ordered}
    _write_atomic(manifest_path, (json.dumps(ordered, indent=2, default=str) + "\n").encode())
    _write_atomic(out_dir / "index.html", index_page(list(ordered.values())).encode("utf-8"))
    from .docs import methods_page

    # the data folder's own description, when it has one; and its window, not the project's
    readme = dataset.data_dir / "README.md"
    window = dataset.window
    _write_atomic(out_dir / "methods.html", methods_page(
        readme if readme.exists() else None,
        period=months_between(*window) if window else "").encode("utf-8"))


def months_between(start, end) -> str:
    """'October 2019 to December 2020': the period a title names."""
    import pandas as pd

    start, end = pd.Timestamp(start), pd.Timestamp(end)
    return f"{start:%B %Y}" if start.to_period("M") == end.to_period("M") else (
        f"{start:%B %Y} to {end:%B %Y}")


def index_page(entries: list[dict]) -> str:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=True)
    from .navigation import site

    # the period of the reports listed (a render with start_date names a shorter one)
    starts = [e["window_start"] for e in entries if e.get("window_start")]
    ends = [e["window_end"] for e in entries if e.get("window_end")]
    period = months_between(min(starts), max(ends)) if starts and ends else ""
    return env.get_template("index.html.j2").render(reports=entries, nav=site("index"),
                                                    period=period)

