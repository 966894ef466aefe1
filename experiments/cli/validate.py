"""`run.py validate`: docs/validation.md - the pre-reform targets beside the model, the steady state with inputs
held, and the post-reform years as predictions - from fresh replications with posterior draws."""

from __future__ import annotations

import argparse
from pathlib import Path

from experiments.infra.errors import printable
from experiments.infra.paths import ROOT

CALIBRATED = ROOT / "experiments" / "data" / "calibrated"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="write docs/validation.md: targets, steady state, predictions",
                       description="Run each replication three times (the calibration's pre-reform setting; pre_tr "
                                   "with inputs held, 2011-2021; tr_reunified, 2015-2021), each with its own seed and "
                                   "posterior draw, and write docs/validation.md with a figure under "
                                   "docs/figures/validation/. Runs are saved in --out as they finish; the same "
                                   "command again resumes.")
    p.add_argument("--out", type=Path, help="folder for the runs (default: output/validation-<scale>-r<N>)")
    p.add_argument("--posterior", type=Path, metavar="DIR",
                   help="a calibration's folder (default: experiments/data/calibrated, the calibration the defaults "
                        "come from); 'none' for the defaults alone")
    p.add_argument("--replications", type=int, default=20, help="replications (default 20)")
    p.add_argument("--scale", choices=("small", "regional", "national"), default="regional",
                   help="population scale (default regional)")
    p.add_argument("--spec", type=Path, help="calibration spec whose setting and targets to check "
                                              "(default experiments/data/calibration.toml)")
    p.add_argument("--docs", type=Path, help="where to write the report (default: docs/validation.md for the "
                                              "standard check - regional, 20 or more replications, the calibrated "
                                              "posterior and spec - otherwise validation.md in the runs' folder)")
    p.add_argument("--workers", type=int, help="parallel runs (default: all cores; 1 = in this process)")
    p.add_argument("--scheduler", metavar="ADDRESS|local", help="run on dask distributed")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(handler=main)


def main(args: argparse.Namespace) -> int:
    from experiments.calibration import posterior, validation, validation_report
    from experiments.calibration import spec as calibration_spec
    from experiments.infra import executors
    from experiments.infra.errors import UsageError
    from experiments.infra.files import check_output_file
    from model.parameters import ParameterError

    if not 2 <= args.replications <= 10_000:
        raise ParameterError(f"--replications must be between 2 and 10000, got {args.replications}")
    if args.workers is not None and not 1 <= args.workers <= executors.MAX_WORKERS:
        raise ParameterError(f"--workers must be at least 1 and at most {executors.MAX_WORKERS}, got {args.workers}")
    if args.workers is not None and args.scheduler:
        raise ParameterError("give --workers or --scheduler, not both")
    if args.scheduler:
        executors.check_scheduler(args.scheduler)
    spec = calibration_spec.load(args.spec or calibration_spec.DEFAULT_SPEC, scale=args.scale)
    post = None
    if str(args.posterior) != "none":
        post = posterior.load(args.posterior or CALIBRATED)
    out = args.out or ROOT / "output" / f"validation-{args.scale}-r{args.replications}"
    standard = (args.scale == "regional" and args.replications >= 20 and args.spec is None
                and args.posterior is None)
    docs = args.docs or (ROOT / "docs" / "validation.md" if standard else out / "validation.md")
    check_output_file(docs, "--docs")
    figures = docs.parent / "figures" / "validation"
    results = validation.run_validation(spec, post, out, replications=args.replications, scale=args.scale,
                                        workers=args.workers, scheduler=args.scheduler, progress=not args.no_progress)
    expected = 3 * args.replications
    if len(results) < expected:
        print(f"{len(results)} of {expected} runs are finished in {printable(str(out))}; run the same command again")
        return 1
    try:
        path = validation_report.write(results, spec, post, replications=args.replications, scale=args.scale,
                                       docs=docs, figures=figures)
    except OSError as exc:
        raise UsageError(f"could not write {docs}: {exc.strerror}") from None
    failed = validation.failures(results)
    print(f"wrote {printable(str(path))} from {expected} runs in {printable(str(out))}"
          + (f"; {len(failed)} failed (listed in the report)" if failed else ""))
    return 1 if failed else 0
