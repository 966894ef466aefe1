"""`run.py rerun`: run a past simulation, sweep or sweep run again from its manifest; do the bytes match?"""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("rerun", help="re-run a past simulation or sweep from its manifest and compare the bytes",
                       description="Re-run what MANIFEST records - a simulation's or a sweep's manifest.json, or one "
                                   "sweep run's runs/<id>.json - into --out, and report whether each output is "
                                   "byte-identical to the original. Exit code 0 if all match, 1 if any differs.")
    p.add_argument("manifest", type=Path, help="manifest.json of a simulation or sweep folder, or SWEEP/runs/<id>.json")
    p.add_argument("--out", type=Path, help="folder for the re-run (default: a new folder under output/)")
    p.add_argument("--workers", type=int, help="parallel runs when re-running a sweep (default: all cores)")
    p.set_defaults(handler=main)


def main(args: argparse.Namespace) -> int:
    from experiments import rerun
    from experiments.infra import executors
    from experiments.infra.errors import printable
    from model.parameters import ParameterError

    if args.workers is not None and not 1 <= args.workers <= executors.MAX_WORKERS:
        raise ParameterError(f"--workers must be at least 1 and at most {executors.MAX_WORKERS}, got {args.workers}")
    kind, manifest, out = rerun.check(args.manifest, args.out)
    if kind == "simulation":
        result = rerun.rerun_simulation(args.manifest, manifest, out)
    elif kind == "sweep":
        result = rerun.rerun_sweep(args.manifest, manifest, out, args.workers)
    else:
        result = rerun.rerun_sweep_run(args.manifest, manifest, out)
    print(f"re-ran the {kind} of {printable(str(args.manifest))} -> {printable(str(out))}")
    for name, verdict in result.files.items():
        print(f"  {name:32s} {verdict}")
    if result.identical:
        print("  the bytes match")
        return 0
    print("  the bytes differ" + ("; what differs from when the original was made:" if result.causes else
                                  " although the code, packages and machine recorded are the same as now"))
    for cause in result.causes:
        print(f"    {printable(cause)}")
    return 1
