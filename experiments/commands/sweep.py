"""`run.py sweep`: run an experiment file's scenarios x design x replications, resumably."""

from __future__ import annotations

import argparse
from pathlib import Path

from experiments.errors import printable


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
    from experiments import executors, experiment_file, sweep
    from model.parameters import ParameterError

    if args.workers is not None and not 1 <= args.workers <= executors.MAX_WORKERS:
        raise ParameterError(f"--workers must be at least 1 and at most {executors.MAX_WORKERS}, got {args.workers}")
    if args.scheduler:
        executors.check_scheduler(args.scheduler)
    exp = experiment_file.load(args.experiment, replications=args.replications, scale=args.scale, end=args.end)
    out = args.out or sweep.default_out_dir(exp, end_overridden=args.end is not None)
    outcome = sweep.run_sweep(exp, out, workers=args.workers, scheduler=args.scheduler,
                              retry_failed=args.retry_failed, csv=args.csv, progress=not args.no_progress)
    shown = printable(str(out))
    if outcome.interrupted:
        return 130
    print(f"{outcome.ok} of {outcome.total} runs finished, {outcome.failed} failed; ran {outcome.ran} "
          f"in {outcome.wall_s:.1f} s -> {shown}")
    if outcome.failed:
        print(f"  failed runs are recorded in {shown}/runs/*.error.json; re-run them with --retry-failed")
    if outcome.lost:
        print(f"  {outcome.lost} run(s) were lost to worker failures ({printable(outcome.lost_reason)}), not to the "
              "model; they are not recorded: run the same command again to run them")
    print(f"  next: python run.py compare {shown}")
    return 1 if outcome.failed or outcome.lost else 0
