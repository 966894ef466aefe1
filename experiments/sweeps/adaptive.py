"""Adaptive replications: add replications until each paired interval is as narrow as asked (with a cap).

The criterion, for every METRIC=VALUE asked: the 95% half-width of every arm's paired difference against the
baseline arm is at most VALUE (with one arm only: the half-width of its mean). VALUE is in the metric's
stored unit (a share as 0-1) or, for a share, in percentage points with a ``pp`` suffix. After each round
the next number of replications is where the t interval would reach the target at the standard deviation
seen so far (at most four times as many, at most the cap); the runs already made are kept. The rounds are
recorded in ``adaptive.json`` in the sweep folder.
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.analysis.statistics import t_halfwidth
from experiments.analysis.units import SHARE, metric_info
from experiments.simulate import atomic_write_text, clean_json
from experiments.sweeps import grow as sweep_extend
from experiments.sweeps import sweep
from experiments.sweeps.experiment_file import Experiment
from model.parameters import ParameterError

MIN_REPLICATIONS = 3
ADAPTIVE_FILE = "adaptive.json"


def parse_targets(items: list[str], exp: Experiment) -> dict[str, float]:
    """``["reoffending_rate=0.5pp", "recalls_per_year=20"]`` -> {metric: half-width in stored units}."""
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name:
            raise ParameterError(f"--until-halfwidth {item!r}: expected METRIC=VALUE, e.g. reoffending_rate=0.5pp")
        if name not in exp.all_metrics():
            raise ParameterError(f"--until-halfwidth: {name!r} is not a metric this sweep keeps")
        scale = 1.0
        if value.endswith("pp"):
            if metric_info(name).kind != SHARE:
                raise ParameterError(f"--until-halfwidth {name}: 'pp' applies to shares and rates only")
            value, scale = value[:-2].strip(), 0.01
        try:
            target = float(value) * scale
        except ValueError:
            raise ParameterError(f"--until-halfwidth {item!r}: {value!r} is not a number") from None
        if not target > 0:
            raise ParameterError(f"--until-halfwidth {item!r}: the half-width must be positive")
        out[name] = target
    return out


def _arms(exp: Experiment) -> list[tuple[str, int]]:
    return [(s, i) for s in exp.scenarios for i in range(len(exp.points))]


def halfwidths(exp: Experiment, runs: pd.DataFrame, metrics: list[str]) -> dict[str, tuple[float, float, int]]:
    """Per metric: (widest 95% half-width, its standard deviation, its n) over the paired comparisons."""
    ok = runs[runs["status"] == "ok"]
    arms = _arms(exp)
    base = (exp.baseline, exp.baseline_point)
    out = {}
    for m in metrics:
        wide = ok.pivot_table(index="replication", columns=["scenario", "point"], values=m, aggfunc="first")
        if len(arms) == 1:
            diffs = [wide[arms[0]]] if arms[0] in wide else []
        else:
            diffs = [wide[a] - wide[base] for a in arms if a != base and a in wide and base in wide]
        worst = (math.inf, math.nan, 0)
        for d in diffs:
            d = d.to_numpy(dtype=float)
            d = d[np.isfinite(d)]
            sd = float(d.std(ddof=1)) if d.size >= 2 else math.nan
            hw = float(t_halfwidth(sd, d.size)) if d.size >= 2 else math.inf
            if worst[0] == math.inf or hw > worst[0]:
                worst = (hw, sd, int(d.size))
        out[m] = worst
    return out


def next_replications(n: int, sd: float, target: float, cap: int) -> int:
    """The smallest m > n whose t interval at this sd is within target (at most 4n and the cap)."""
    top = min(cap, 4 * n)
    if not math.isfinite(sd):
        return min(top, 2 * n)
    for m in range(n + 1, top + 1):
        if t_halfwidth(sd, m) <= target:
            return m
    return top


@dataclasses.dataclass
class AdaptiveOutcome:
    """How an adaptive sweep ended: the last round's outcome, the replications reached and why it stopped."""

    outcome: sweep.SweepOutcome
    replications: int
    reached: bool
    rounds: list[dict[str, Any]]


def run_until(exp: Experiment, out: Path, targets: dict[str, float], cap: int, **run_kwargs) -> AdaptiveOutcome:
    """Run rounds of the sweep, each with more replications, until every target is met or the cap is reached."""
    n = max(exp.replications, MIN_REPLICATIONS)
    if cap < n:
        raise ParameterError(f"--max-replications {cap} is below the starting {n} replications")
    rounds = []
    while True:
        current = dataclasses.replace(exp, replications=n)
        message = sweep_extend.prepare(current, out)
        if message:
            sweep.log(message)
        outcome = sweep.run_sweep(current, out, **run_kwargs)
        if outcome.interrupted:
            return AdaptiveOutcome(outcome, n, False, rounds)
        widths = halfwidths(current, pd.read_parquet(out / "runs.parquet"), list(targets))
        reached = all(widths[m][0] <= t for m, t in targets.items())
        rounds.append({"replications": n, "halfwidths": {m: w[0] for m, w in widths.items()}, "reached": reached})
        _record(out, targets, cap, rounds)
        shown = ", ".join(f"{m} {widths[m][0]:.4g} (target {t:.4g})" for m, t in targets.items())
        sweep.log(f"  after {n} replications: 95% half-widths {shown}")
        if reached or n >= cap:
            if not reached:
                sweep.log(f"  stopped at the cap of {cap} replications before reaching every target")
            return AdaptiveOutcome(outcome, n, reached, rounds)
        n = max(next_replications(n, widths[m][1], t, cap) for m, t in targets.items() if widths[m][0] > t)


def _record(out: Path, targets: dict[str, float], cap: int, rounds: list[dict[str, Any]]) -> None:
    data = {"criterion": "95% half-width of every arm's paired difference against the baseline arm",
            "targets": targets, "max_replications": cap, "rounds": rounds,
            "stopped": "reached" if rounds[-1]["reached"] else ("cap" if rounds[-1]["replications"] >= cap else "running")}
    atomic_write_text(out / ADAPTIVE_FILE, json.dumps(clean_json(data), indent=2) + "\n")
