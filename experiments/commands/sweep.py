"""`run.py sweep`: run an experiment file's scenarios x design x replications, resumably."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sweep", help="run an experiment file (scenarios x design x replications), resumably",
                       description="Run every run of an experiment file and save each one as it finishes. "
                                   "Running the same command again resumes: finished runs are kept.")
    p.add_argument("experiment", type=Path, help="experiment file, e.g. experiments/tr_vs_pre_tr.toml")
    p.add_argument("--workers", type=int, help="parallel runs (default: all cores; 1 = in this process)")
    p.add_argument("--scheduler", metavar="ADDRESS|local",
                   help="run on dask distributed: a scheduler address (tcp://host:8786) or 'local' for a LocalCluster")
    p.add_argument("--out", type=Path, help="sweep folder (default: output/sweeps/<experiment>-<scale>-r<N>)")
    p.add_argument("--replications", type=int, help="override the file's replications")
    p.add_argument("--scale", choices=("small", "regional", "national"), help="override the file's scale")
    p.add_argument("--end", help="override the file's end date, YYYY-MM-DD")
    p.add_argument("--retry-failed", action="store_true", help="re-run runs that raised in an earlier invocation")
    p.add_argument("--csv", action="store_true", help="also write runs.csv")
    p.add_argument("--no-progress", action="store_true", help="no progress bar (log lines only)")
    p.set_defaults(handler=main)


def main(args: argparse.Namespace) -> int:
    from experiments import experiment_file, sweep
    from model.parameters import ParameterError

    if args.workers is not None and args.workers < 1:
        raise ParameterError(f"--workers must be at least 1, got {args.workers}")
    exp = experiment_file.load(args.experiment, replications=args.replications, scale=args.scale, end=args.end)
    out = args.out or sweep.default_out_dir(exp, end_overridden=args.end is not None)
    outcome = sweep.run_sweep(exp, out, workers=args.workers, scheduler=args.scheduler,
                              retry_failed=args.retry_failed, csv=args.csv, progress=not args.no_progress)
    if outcome.interrupted:
        return 130
    print(f"{outcome.ok} of {outcome.total} runs finished, {outcome.failed} failed; ran {outcome.ran} "
          f"in {outcome.wall_s:.1f} s -> {out}")
    if outcome.failed:
        print(f"  failed runs are recorded in {out}/runs/*.error.json; re-run them with --retry-failed")
    print(f"  next: python run.py compare {out}")
    return 1 if outcome.failed else 0
