"""`run.py bench`: speed and memory by scale, against Mesa's BoltzmannWealth."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from experiments.infra.errors import UsageError, printable
from model.parameters import ParameterError
from model.world import geography

SCALES = tuple(geography.SCALES)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bench", help="benchmark build/run time, throughput and memory by scale",
                       description="Benchmark the model (scenario tr_reunified, seed 1) at each scale, each in a fresh "
                                   "process, plus Mesa's BoltzmannWealth as a peer reference.")
    p.add_argument("--scales", default="small,regional,national", help="comma-separated scales")
    p.add_argument("--years", type=float, default=10.0, help="simulated years from 2011-01-01 (default 10)")
    p.add_argument("--json", type=Path, help="also write the result as JSON to this file")
    p.set_defaults(handler=main)


def main(args: argparse.Namespace) -> int:
    from experiments.benchmark import run_benchmark, table
    from experiments.infra.files import atomic_write_text, check_output_file

    scales = [s.strip() for s in args.scales.split(",") if s.strip()]
    bad = [s for s in scales if s not in SCALES]
    if bad or not scales or len(set(scales)) != len(scales):
        raise ParameterError(f"--scales: got {args.scales!r}, expected a comma-separated subset of {', '.join(SCALES)}, "
                             "each once")
    if not 0.02 <= args.years <= 11:
        raise ParameterError(f"--years: got {args.years}, expected a value in [0.02, 11]")
    if args.json:
        check_output_file(args.json, "--json")  # now, not after the benchmark has run
    try:
        result = run_benchmark(scales, args.years)
    except RuntimeError as exc:  # a scale's subprocess failed: its first and last lines say why
        lines = [ln for ln in str(exc).splitlines() if ln.strip()]
        raise UsageError(" ".join(dict.fromkeys([lines[0], lines[-1]])) if lines else "the benchmark failed") from None
    print(table(result))
    if args.json:
        try:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(args.json, json.dumps(result, indent=2) + "\n")
        except OSError as exc:
            raise UsageError(f"could not write --json {args.json}: {exc.strerror}; the table above is the result") from None
        print(f"wrote {printable(str(args.json))}")
    return 0
