"""`run.py compare`: a report (Markdown + figures) from a sweep folder."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_figure_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", default="png", metavar="png,pdf,svg",
                   help="figure formats, comma-separated (default png; the report shows the PNG)")
    p.add_argument("--dpi", type=int, default=200, help="resolution of raster figures (default 200)")
    p.add_argument("--csv", action="store_true", help="also write every table to tables/*.csv (stored units)")


def figure_options(args: argparse.Namespace) -> tuple[tuple[str, ...], int]:
    from experiments.plots import parse_formats
    from model.parameters import ParameterError

    try:
        formats = parse_formats(args.format)
    except ValueError as exc:
        raise ParameterError(f"--format: {exc}") from None
    if not 20 <= args.dpi <= 2400:
        raise ParameterError(f"--dpi must be between 20 and 2400, got {args.dpi}")
    return formats, args.dpi


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("compare", help="write a report comparing the arms of a finished sweep",
                       description="Write SWEEP_DIR/report.md and SWEEP_DIR/figures/: the set-up (window, scale, "
                                   "national factor, seeds), a plain-language finding per key metric, what the "
                                   "replications can detect, outcomes by arm, paired differences, factorial "
                                   "attribution with shares, sensitivity indices, weekly series with 95%% t bands.")
    p.add_argument("sweep_dir", type=Path, help="a folder written by `run.py sweep`")
    add_figure_options(p)
    p.set_defaults(handler=main)


def main(args: argparse.Namespace) -> int:
    from experiments.report import write_report

    formats, dpi = figure_options(args)
    path = write_report(args.sweep_dir, formats=formats, dpi=dpi, csv=args.csv)
    print(f"report: {path}")
    return 0
