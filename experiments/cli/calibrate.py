"""`run.py calibrate`: ABC-SMC calibration of the pre-reform world against published figures, resumable."""

from __future__ import annotations

import argparse
from pathlib import Path

from experiments.infra.errors import printable
from experiments.infra.paths import DOCS


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("calibrate", help="calibrate free parameters to the pre-reform targets (ABC-SMC, pyabc)",
                       description="Approximate Bayesian computation (ABC-SMC with pyabc) over the free parameters "
                                   "and priors of a calibration spec, against its published pre-reform targets, "
                                   "within a budget of simulations. Writes the pyabc database, posterior.csv, "
                                   "particles.csv, manifest.json, report.md and figures/ into --out; --resume "
                                   "continues a stopped (or finished, with a larger --budget) calibration.")
    p.add_argument("--spec", type=Path, help="calibration spec (default experiments/data/calibration.toml)")
    p.add_argument("--budget", type=int, help="simulations to use at most (default: the spec's, 2000); a few more may run and be "
                        "discarded past a generation's last acceptance")
    p.add_argument("--population", type=int, help="particles per generation (default: the spec's)")
    p.add_argument("--scale", choices=("small", "regional", "national"), help="override the spec's scale")
    p.add_argument("--workers", type=int, help="parallel simulations (default: all cores; 1 = in this process)")
    p.add_argument("--scheduler", metavar="ADDRESS|local",
                   help="run on dask distributed: a scheduler address (tcp://host:8786) or 'local'")
    p.add_argument("--out", type=Path, help="output folder (default: output/calibration-<scale>)")
    p.add_argument("--resume", action="store_true",
                   help="continue the calibration in --out (its spec, scale, population and budget unless given)")
    p.add_argument("--docs", action="store_true",
                   help="when finished, write the report into docs/calibration.md and its figures under "
                        "docs/figures/calibration/")
    p.add_argument("--no-progress", action="store_true", help="no progress bar (log lines only)")
    p.set_defaults(handler=main)


def main(args: argparse.Namespace) -> int:
    from experiments.calibration import smc as calibration
    from experiments.calibration import spec as calibration_spec
    from experiments.calibration.report import write_docs
    from experiments.infra import executors
    from experiments.infra.files import check_output_file
    from experiments.infra.provenance import ROOT
    from model.parameters import ParameterError

    if args.workers is not None and not 1 <= args.workers <= executors.MAX_WORKERS:
        raise ParameterError(f"--workers must be at least 1 and at most {executors.MAX_WORKERS}, got {args.workers}")
    if args.workers is not None and args.scheduler:
        raise ParameterError("give --workers or --scheduler, not both")
    if args.scheduler:
        executors.check_scheduler(args.scheduler)
    stored = calibration.stored_settings(args.out) if args.resume and args.out else {}
    spec = calibration_spec.load(args.spec or stored.get("spec") or calibration_spec.DEFAULT_SPEC,
                                 scale=args.scale or stored.get("scale"),
                                 budget=stored.get("budget") if args.budget is None else args.budget,
                                 population=stored.get("population") if args.population is None else args.population)
    if spec.budget < spec.population:
        raise ParameterError(f"--budget {spec.budget} is below the population {spec.population}: not even the first "
                             "generation would finish")
    out = args.out or ROOT / "output" / f"calibration-{spec.scale}"
    docs = DOCS / "calibration.md"
    if args.docs:
        check_output_file(docs, "docs file")
    outcome = calibration.run_calibration(spec, out, workers=args.workers, scheduler=args.scheduler,
                                          resume=args.resume, progress=not args.no_progress)
    shown = printable(str(out))
    if outcome.interrupted:
        return 130
    print(f"{outcome.generations} generation(s), {outcome.used} simulations used ({outcome.ran} run now) in "
          f"{outcome.wall_s / 60:.1f} min -> {shown}")
    if outcome.stopped_because:
        print(f"  stopped: {outcome.stopped_because}")
    if outcome.generations:
        print(f"  posterior: {shown}/posterior.csv; report: {shown}/report.md")
        if args.docs:
            print(f"  wrote {printable(str(write_docs(out, docs, DOCS / 'figures' / 'calibration')))}")
    return 0
