"""`run.py discover`: scenario discovery (PRIM) and feature scores over a finished sweep's design."""

from __future__ import annotations

import argparse
from pathlib import Path

from experiments.cli.compare import add_figure_options, figure_options


def parse_threshold(text: str, metric: str) -> float:
    """A number in the metric's stored units; "45%" or "45pp" for a share is read as 0.45."""
    from experiments.analysis.units import SHARE, metric_info
    from model.parameters import ParameterError

    value, scale = text.strip(), 1.0
    for suffix in ("pp", "%"):
        if value.endswith(suffix):
            if metric_info(metric).kind != SHARE:
                raise ParameterError(f"threshold {text!r}: '{suffix}' applies to shares and rates only")
            value, scale = value[: -len(suffix)].strip(), 0.01
    try:
        return float(value) * scale
    except ValueError:
        raise ParameterError(f"threshold {text!r} is not a number") from None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("discover", help="scenario discovery: where in the design an outcome is above/below a value",
                       description="PRIM (EMA Workbench) over a finished sweep's design: the boxes of parameter "
                                   "space where METRIC is above (or below) X, with coverage, density and limits, "
                                   "and extra-trees feature scores with a noise floor. Writes "
                                   "SWEEP_DIR/discover_<metric>-<above|below>-<X>.md and figures.")
    p.add_argument("sweep_dir", type=Path, help="a folder written by `run.py sweep` (best: an lhs or sobol design)")
    p.add_argument("--metric", required=True, help="summary metric, e.g. reoffending_rate")
    side = p.add_mutually_exclusive_group(required=True)
    side.add_argument("--above", metavar="X", help="cases of interest: METRIC > X (stored units; '45%%' for a share)")
    side.add_argument("--below", metavar="X", help="cases of interest: METRIC < X")
    p.add_argument("--scenario", help="which scenario's runs (default: the baseline)")
    p.add_argument("--runs", action="store_true", help="one case per run (default: per design point, replications "
                                                       "averaged)")
    p.add_argument("--boxes", type=int, default=2, help="boxes to look for (default 2)")
    p.add_argument("--min-coverage", type=float, default=0.5,
                   help="choose on each peeling trajectory the densest box with at least this coverage (default 0.5)")
    add_figure_options(p)
    p.set_defaults(handler=main)


def main(args: argparse.Namespace) -> int:
    from experiments.analysis.discovery import discover
    from model.parameters import ParameterError

    formats, dpi = figure_options(args)
    if args.boxes < 1 or not 0 < args.min_coverage <= 1:
        raise ParameterError("--boxes must be at least 1 and --min-coverage in (0, 1]")
    above = args.above is not None
    threshold = parse_threshold(args.above if above else args.below, args.metric)
    path, boxes, scores = discover(args.sweep_dir, args.metric, threshold, above=above, scenario=args.scenario,
                                   per_run=args.runs, max_boxes=args.boxes, min_coverage=args.min_coverage,
                                   formats=formats, dpi=dpi, csv=args.csv)
    for box in boxes:
        limits = "; ".join(f"{d} {v}" for d, v in box.limit_texts.items()) or "no restriction"
        print(f"box {box.number}: coverage {box.coverage:.0%}, density {box.density:.0%}: {limits}")
    if not boxes:
        print("no box denser than the whole space")
    print(f"most informative: {', '.join(scores.index[:3])}")
    print(f"report: {path}")
    return 0
