"""`run.py sweep`: run an experiment file's scenarios x design x replications, resumably; grow a finished sweep."""

from __future__ import annotations

import argparse
from pathlib import Path

from experiments.infra.errors import printable


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sweep", help="run an experiment file (scenarios x design x replications), resumably",
                       description="Run every run of an experiment file and save each one as it finishes. "
                                   "Running the same command again resumes: finished runs are kept. Give a sweep "
                                   "folder instead of a file (or --out a finished sweep) with more --replications, "
                                   "--samples or grid values to grow it: its runs are kept and only new ones run.")
    p.add_argument("experiment", type=Path,
                   help="experiment file, e.g. experiments/data/tr_vs_pre_tr.toml, or a sweep folder to grow or resume")
    p.add_argument("--workers", type=int, help="parallel runs (default: all cores; 1 = in this process)")
    p.add_argument("--scheduler", metavar="ADDRESS|local",
                   help="run on dask distributed: a scheduler address (tcp://host:8786) or 'local' for a LocalCluster")
    p.add_argument("--out", type=Path, help="sweep folder (default: output/sweeps/<experiment>-<scale>-r<N>)")
    p.add_argument("--replications", type=int, help="override the file's replications (more than a finished "
                                                     "sweep's adds replications to it)")
    p.add_argument("--samples", type=int, help="override the design's samples (LHS, Sobol, Morris)")
    p.add_argument("--scale", choices=("small", "regional", "national"), help="override the file's scale")
    p.add_argument("--end", help="override the file's end date, YYYY-MM-DD")
    p.add_argument("--until-halfwidth", action="append", default=[], metavar="METRIC=VALUE",
                   help="add replications until every paired difference's 95%% half-width for METRIC is at most "
                        "VALUE (stored units; 'pp' suffix for shares, e.g. reoffending_rate=0.5pp); repeatable")
    p.add_argument("--max-replications", type=int, default=100,
                   help="cap for --until-halfwidth (default 100)")
    p.add_argument("--posterior", type=Path, metavar="DIR",
                   help="a calibration's folder (posterior.csv): each replication runs with a posterior draw, the same "
                        "draw in every arm, so the intervals carry parameter uncertainty as well as chance")
    p.add_argument("--posterior-repeats", type=int, default=None, metavar="R",
                   help="replications per posterior draw (default 2): with 2 or more, compare tells parameter "
                        "uncertainty from chance")
    p.add_argument("--retry-failed", action="store_true", help="re-run runs that raised in an earlier invocation")
    p.add_argument("--csv", action="store_true", help="also write runs.csv, series.csv and by_year.csv")
    p.add_argument("--no-progress", action="store_true", help="no progress bar (log lines only)")
    p.set_defaults(handler=main)


def load_target(args: argparse.Namespace):
    """(experiment, sweep folder) from a file plus overrides, or from a sweep folder's own settings."""
    from experiments.calibration import posterior as posterior_file
    from experiments.infra.provenance import ROOT
    from experiments.sweeps import experiment_file, sweep
    from experiments.sweeps.data import folder_experiment
    from model.parameters import ParameterError

    if args.posterior_repeats is not None and args.posterior is None:
        raise ParameterError("--posterior-repeats needs --posterior")
    if args.experiment.is_dir():
        if args.posterior is not None:
            raise ParameterError("--posterior: a sweep folder keeps the posterior it started with; give the "
                                 "experiment file to start a new sweep")
        exp = folder_experiment(args.experiment, replications=args.replications, scale=args.scale, end=args.end,
                                samples=args.samples)
        return exp, args.out or args.experiment
    post = posterior_file.load(args.posterior) if args.posterior is not None else None
    exp = experiment_file.load(args.experiment, replications=args.replications, scale=args.scale, end=args.end,
                               samples=args.samples, posterior=post,
                               posterior_repeats=args.posterior_repeats)
    if args.out:
        return exp, args.out
    if not args.until_halfwidth and args.samples is None and exp.posterior is None:
        return exp, sweep.default_out_dir(exp, end_overridden=args.end is not None)
    name = (f"{exp.name}-{exp.scale}-" + ("adaptive" if args.until_halfwidth else f"r{exp.replications}")
            + ("-posterior" if exp.posterior is not None else "")
            + (f"-s{exp.design.samples}" if args.samples is not None else "") + (f"-to{exp.end}" if args.end else ""))
    return exp, ROOT / "output" / "sweeps" / name


def main(args: argparse.Namespace) -> int:
    from experiments.infra import executors
    from experiments.infra.folder_lock import FolderLock
    from experiments.sweeps import adaptive, sweep
    from experiments.sweeps import grow as sweep_extend
    from model.parameters import ParameterError

    if args.workers is not None and not 1 <= args.workers <= executors.MAX_WORKERS:
        raise ParameterError(f"--workers must be at least 1 and at most {executors.MAX_WORKERS}, got {args.workers}")
    if args.scheduler:
        executors.check_scheduler(args.scheduler)
    exp, out = load_target(args)
    run_kwargs = dict(workers=args.workers, scheduler=args.scheduler, retry_failed=args.retry_failed, csv=args.csv,
                      progress=not args.no_progress)
    if args.until_halfwidth:
        targets = adaptive.parse_targets(args.until_halfwidth, exp)
        result = adaptive.run_until(exp, out, targets, args.max_replications, **run_kwargs)
        outcome = result.outcome
        if not outcome.interrupted:
            print(f"replications: {result.replications} "
                  + ("(every target reached)" if result.reached else "(the cap; not every target reached)"))
    else:
        if sweep.load_manifest(out) is not None:
            with FolderLock(out, "sweep"):  # the folder is grown only while no other invocation uses it
                message = sweep_extend.prepare(exp, out)
            if message:
                sweep.log(message)
        outcome = sweep.run_sweep(exp, out, **run_kwargs)
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
