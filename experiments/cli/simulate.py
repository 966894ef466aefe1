"""`run.py simulate`: one scenario, one seed, outputs into a folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from experiments.infra.errors import printable
from model.parameters import ParameterError


def parse_sets(items: list[str]) -> dict[str, str]:
    """``name=value`` pairs from --set; ParameterError for a malformed one or a name given twice."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ParameterError(f"--set {item!r}: expected dotted.name=value")
        if name in out and out[name] != value.strip():
            raise ParameterError(f"--set {name} is given twice ({out[name]!r} and {value.strip()!r}); give it once")
        out[name] = value.strip()
    return out


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("simulate", help="run one scenario and write summary, series, manifest and plots",
                       description="Run one scenario with one seed; write summary.json, timeseries.csv, "
                                   "manifest.json and plot_*.png into --out (all of them, or none if the run fails).")
    p.add_argument("--scenario", default="tr_reunified", help="scenario name (see `run.py scenarios`)")
    p.add_argument("--scale", choices=("small", "regional", "national"), help="population scale (default small)")
    p.add_argument("--seed", type=int, help="root random seed (default 1)")
    p.add_argument("--start", help="first week, YYYY-MM-DD (default 2011-01-01)")
    p.add_argument("--end", help="last week, YYYY-MM-DD (default 2021-12-31)")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="NAME=VALUE",
                   help="override a parameter, e.g. --set tr.mechanisms.contact=false (repeatable)")
    p.add_argument("--out", type=Path, help="output folder: new, empty, or an earlier run's folder, which is "
                                            "replaced (default: a new folder under output/)")
    p.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    p.set_defaults(handler=main)


def main(args: argparse.Namespace) -> int:
    from experiments import simulate

    params = simulate.build_parameters(args.scenario, parse_sets(args.sets), scale=args.scale,
                                       seed=args.seed, start=args.start, end=args.end)
    out = args.out or simulate.default_out_dir(args.scenario, params.run.seed)
    simulate.check_out_dir(out)  # before the run: a folder we cannot write is found now, not after it
    result = simulate.run(args.scenario, params)
    simulate.write_outputs(result, out, plots=not args.no_plots)
    s = result.summary
    print(f"{args.scenario} seed {params.run.seed} ({params.run.scale}): "
          f"{result.manifest['weeks']} weeks in {result.manifest['wall_time_s']:.1f} s -> {printable(str(out))}")
    if params.metrics.window_start > params.run.end:
        print(f"  note: the summary window starts {params.metrics.window_start}, after the run ends; "
              "set --set metrics.window_start=YYYY-MM-DD to summarise earlier years (the *_by_year keys cover them)")
    for key in ("reoffending_rate", "reoffending_rate_short_custody", "reoffences_per_reoffender",
                "police_probation_trust", "relationship_continuity", "iom_contacts_per_case_week"):
        value = s.get(key)
        print(f"  {key:34s} {'n/a' if value is None else f'{value:.4g}'}")
    return 0
