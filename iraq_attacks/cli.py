"""Command line: ``python -m iraq_attacks validate|render|docs``. A thin layer over the API."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from .paths import DATA_DIR
from .render import NOTEBOOKS

# The heavy modules (pandas, pandera, papermill, nbconvert) are imported inside the commands:
# a render with nothing to do answers in a fraction of a second.


def _validate(args) -> int:
    from .arrowtext import distinct_tokens
    from .data import load_dataset
    from .validate import ValidationReport, validate_dataset

    folders = [Path(p) for p in args.paths] or [DATA_DIR]
    status = 0
    for folder in folders:
        report: ValidationReport = validate_dataset(folder)
        for notice in report.notices:
            print(f"note: {notice}")
        if not report.ok:
            for problem in report.problems:
                print(problem, file=sys.stderr)
            print(f"{folder}: {len(report.problems)} problem(s)", file=sys.stderr)
            status = 1
            continue
        dataset = load_dataset(folder, report=report)
        attacks = dataset.attacks
        sources = distinct_tokens(attacks["source_urls"])
        span = (f"{attacks['date'].min().date()} to {attacks['date'].max().date()}"
                if len(attacks) else "no attacks")
        print(f"{folder}: valid: {len(attacks)} attacks ({span}), {len(dataset.sites)} sites, "
              f"{len(dataset.milestones)} milestones, {len(dataset.casualty_reports)} casualty "
              f"reports, {len(dataset.press_counts)} press counts; "
              f"{sources} distinct attack sources")
        print(f"{folder}: next free attack_id: {next_attack_id(attacks['attack_id'])}")
    return status


def next_attack_id(ids) -> str:
    """One past the highest attack id, as wide as the widest id (ATK-0122 -> ATK-0123); ids
    are never reused or renumbered, so gaps stay gaps."""
    numbers = [str(i)[4:] for i in ids]
    width = max([4, *map(len, numbers)])
    return f"ATK-{max([0, *map(int, numbers)]) + 1:0{width}d}"


def _render(args) -> int:
    from .errors import DataValidationError
    from .parameters import ParameterError
    from .render import RenderError, render

    overrides = {}
    for name, value in args.parameter or []:
        overrides[name] = value
    # --data and -p data_dir name one folder; on the command line both are taken from the
    # working directory (render() itself takes relative paths from the project folder).
    if str(overrides.get("data_dir", "")).strip():
        overrides["data_dir"] = str(Path(overrides["data_dir"]).resolve())
    try:
        outcome = render(notebooks=args.notebook or None, overrides=overrides,
               data_dir=Path(args.data).resolve() if args.data else None,
               out_dir=Path(args.out).resolve() if args.out else None, workers=args.jobs,
               deck_charts=[c.strip() for c in args.deck_charts.split(",") if c.strip()]
               if args.deck_charts else None, force=args.force)
        if args.timings:
            import json

            Path(args.timings).write_text(json.dumps(outcome.timings, indent=1) + "\n")
    except DataValidationError as exc:
        print("render stopped: the data is invalid; no notebook was run.", file=sys.stderr)
        print(exc.report, file=sys.stderr)
        return 1
    except ParameterError as exc:
        # refused before any notebook ran: a usage error, like argparse's
        print(f"render refused: {exc}", file=sys.stderr)
        return 2
    except (RenderError, ValueError) as exc:
        print(f"render stopped: {exc}", file=sys.stderr)
        print("The previous reports were left in place.", file=sys.stderr)
        return 1
    return 0


def _docs(args) -> int:
    from .data import load_dataset
    from .docs import write_docs

    for path in write_docs(load_dataset(args.data)):
        print(f"wrote {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m iraq_attacks", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    v = sub.add_parser("validate", help="check data folders against the schema")
    v.add_argument("paths", nargs="*", help="data folders (default: data/)")
    v.set_defaults(func=_validate)

    r = sub.add_parser("render", help="render the reports into reports/")
    r.add_argument("--notebook", action="append", choices=NOTEBOOKS,
                   help="render only this notebook (repeatable)")
    r.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"),
                   help="set a notebook parameter, e.g. -p start_date 2020-01-01")
    r.add_argument("--data", help="data folder to use instead of data/")
    r.add_argument("--out", help="output folder instead of reports/")
    r.add_argument("--jobs", type=int, help="notebooks run at once (default: the cores)")
    r.add_argument("--deck-charts", help="comma-separated chart names (reports/figures/*.png "
                   "stems) for the briefing deck, in order; default: the overview's four "
                   "charts and the main escalation and casualty charts")
    r.add_argument("--timings", help="write the seconds spent in each stage to this JSON file")
    r.add_argument("--force", action="store_true",
                   help="render every report even if its inputs have not changed")
    r.set_defaults(func=_render)

    d = sub.add_parser("docs", help="regenerate the data dictionary and datapackage.json")
    d.add_argument("--data", help="data folder (default: data/)")
    d.set_defaults(func=_docs)

    args = parser.parse_args(argv)
    # A render stopped with SIGTERM unwinds like Ctrl-C: its staging folder and kernels are
    # removed (one killed with SIGKILL is cleaned up by the next render).
    signal.signal(signal.SIGTERM, _terminate)
    return args.func(args)


def _terminate(signum, frame):
    raise SystemExit(128 + signum)
