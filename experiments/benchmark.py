"""Benchmark: build and run time, throughput, peak memory and time per phase, by scale,
with Mesa's BoltzmannWealth example as a peer reference.

Each scale runs in a fresh subprocess so its peak resident memory is its own.
Offender-weeks are the sum over weeks of the people in the system at the end of the week
(supervised, in custody, or at liberty in follow-up), from the model's weekly census.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time

import numpy as np

from experiments.infra.paths import ROOT
from model.week import WEEK

PHASES = (*(phase.__name__ for phase in WEEK), "record_week")  # the week's phases in order, then its record


def measure_scale(scale: str, years: float, scenario: str = "tr_reunified", seed: int = 1) -> dict:
    """Build and run one scale in this process, timing each phase."""
    import datetime as dt

    import model.probation_model as pm
    from experiments.simulate import build_parameters

    timings = dict.fromkeys(PHASES, 0.0)
    originals = {"WEEK": pm.WEEK, "record_week": pm.record_week}

    def timed(name, fn):
        def wrapper(model):
            t = time.perf_counter()
            fn(model)
            timings[name] += time.perf_counter() - t
        return wrapper

    start = dt.date(2011, 1, 1)
    t = time.perf_counter()  # compile (or load from the cache) every pass first, so that it is not timed
    warm = pm.ProbationModel(build_parameters(scenario, {"run.burn_in_years": 0.1, "run.settle_weeks": 1},
                                              scale="regional", seed=seed, end="2011-01-31"))
    warm.run()
    compile_s = time.perf_counter() - t
    pm.WEEK = tuple(timed(phase.__name__, phase) for phase in originals["WEEK"])
    pm.record_week = timed("record_week", originals["record_week"])
    try:
        end = start + dt.timedelta(days=int(round(years * 365.25)) - 1)
        t0 = time.perf_counter()
        model = pm.ProbationModel(build_parameters(scenario, scale=scale, seed=seed, end=end.isoformat()))
        build_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        while model.running:
            model.step()
        run_s = time.perf_counter() - t1
        # people in the system at the end of each week, from the weekly census (not counted inside the timing)
        series = model.recorder.series
        offender_weeks = int(sum(np.nansum(series[k][: model.week]) for k in ("free", "in_custody", "community", "licence")))
    finally:
        for name, fn in originals.items():
            setattr(pm, name, fn)
    weeks = model.week
    return {
        "years": years, "weeks": weeks, "compile_s": round(compile_s, 3),
        "steady_start_s": round(model.steady_start_seconds, 3), "build_s": round(build_s, 3), "run_s": round(run_s, 3),
        "wall_s": round(build_s + run_s, 3), "weeks_per_s": round(weeks / run_s, 2),
        "offender_weeks_per_s": round(offender_weeks / run_s, 1), "offender_weeks": offender_weeks,
        "staff": int(model.staff.n), "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "phases_s": {k: round(v, 3) for k, v in timings.items()},
    }


def measure_peer(agent_steps: int = 200_000) -> dict:
    """Mesa's BoltzmannWealth stepped for a fixed number of agent-steps."""
    from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannScenario, BoltzmannWealth

    n = 1_000
    model = BoltzmannWealth(BoltzmannScenario(n=n, width=30, height=30, rng=42))
    steps = max(1, agent_steps // n)
    t = time.perf_counter()
    for _ in range(steps):
        model.step()
    elapsed = time.perf_counter() - t
    return {"model": "BoltzmannWealth", "agents": n, "steps": steps, "agent_steps_per_s": round(n * steps / elapsed, 1)}


def run_benchmark(scales: list[str], years: float, peer_agent_steps: int = 200_000) -> dict:
    """Every scale in its own subprocess; the peer in this one before and after each scale (this
    machine's speed drifts by 10-20% over minutes, so the ratio uses the median of those samples)."""
    out: dict = {"scales": {}}
    first = measure_peer(peer_agent_steps)
    samples = [first["agent_steps_per_s"]]
    for scale in scales:
        proc = subprocess.run([sys.executable, "-c",
                               "import json,sys; sys.path.insert(0, sys.argv[3]); "
                               "from experiments.benchmark import measure_scale; "
                               "print(json.dumps(measure_scale(sys.argv[1], float(sys.argv[2]))))",
                               scale, str(years), str(ROOT)], capture_output=True, text=True, cwd=ROOT)
        if proc.returncode != 0:
            raise RuntimeError(f"benchmark of scale {scale} failed:\n{proc.stderr}")
        out["scales"][scale] = json.loads(proc.stdout.strip().splitlines()[-1])
        samples.append(measure_peer(peer_agent_steps)["agent_steps_per_s"])
    peer = float(np.median(samples))
    out["peer"] = {**first, "agent_steps_per_s": peer, "samples": samples}
    out["ratio_vs_peer"] = {s: float(f"{v['offender_weeks_per_s'] / peer:.3g}") for s, v in out["scales"].items()}
    out["targets"] = check_targets(out)
    return out


TARGETS = (  # national scale, 10 simulated years, one core (the project's performance targets)
    ("national wall s (build included)", "<=", 30.0),
    ("national peak RSS MB", "<=", 1500.0),
    ("national x BoltzmannWealth", ">=", 30.0),
    ("national / regional cost per offender-week", "<=", 1.5),
    ("national steady start / 10-year run", "<=", 0.2),
)


def check_targets(result: dict) -> list[dict]:
    """Each target with its measured value and whether it is met; a target whose scales were not
    run for 10 years is left out."""
    scales = result["scales"]
    national = scales.get("national")
    if national is None or national["years"] != 10:
        return []
    values = {
        "national wall s (build included)": national["wall_s"],
        "national peak RSS MB": national["peak_rss_mb"],
        "national x BoltzmannWealth": result["ratio_vs_peer"]["national"],
        "national steady start / 10-year run": round(national["steady_start_s"] / national["run_s"], 3),
    }
    regional = scales.get("regional")
    if regional is not None and regional["years"] == 10:
        values["national / regional cost per offender-week"] = round(
            regional["offender_weeks_per_s"] / national["offender_weeks_per_s"], 3)
    out = []
    for name, op, limit in TARGETS:
        if name in values:
            value = values[name]
            out.append({"target": name, "limit": f"{op} {limit:g}", "value": value,
                        "met": bool(value <= limit if op == "<=" else value >= limit)})
    return out


def table(result: dict) -> str:
    """A readable table of the benchmark."""
    lines = [f"{'scale':10s} {'years':>5s} {'steady s':>8s} {'build s':>8s} {'run s':>8s} {'wall s':>8s} {'weeks/s':>8s} "
             f"{'off-wk/s':>12s} {'peak MB':>8s} {'x peer':>7s}"]
    for scale, r in result["scales"].items():
        lines.append(f"{scale:10s} {r['years']:5g} {r['steady_start_s']:8.2f} {r['build_s']:8.2f} {r['run_s']:8.2f} "
                     f"{r['wall_s']:8.2f} "
                     f"{r['weeks_per_s']:8.1f} {r['offender_weeks_per_s']:12,.0f} {r['peak_rss_mb']:8.0f} "
                     f"{result['ratio_vs_peer'][scale]:7.2f}")
    peer = result["peer"]
    lines.append(f"peer: Mesa {peer['model']} {peer['agent_steps_per_s']:,.0f} agent-steps/s (median of "
                 + ", ".join(f"{x:,.0f}" for x in peer.get("samples", [])) + ")")
    for scale, r in result["scales"].items():
        total = sum(r["phases_s"].values()) or 1.0
        parts = sorted(r["phases_s"].items(), key=lambda kv: -kv[1])
        lines.append(f"{scale} phases: " + ", ".join(f"{k} {v:.2f}s ({v / total:.0%})" for k, v in parts))
    for t in result.get("targets", []):
        lines.append(f"target {t['target']} {t['limit']}: {t['value']:g} {'met' if t['met'] else 'NOT MET'}")
    return "\n".join(lines)
