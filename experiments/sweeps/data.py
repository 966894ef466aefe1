"""A finished sweep folder read back: its experiment as run, its tables, and the facts a reader needs to
interpret the numbers (simulated period, analysis window, scale and national scaling factor, seeds)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from experiments import simulate
from experiments.analysis.units import MetricInfo, metric_info
from experiments.sweeps import experiment_file
from experiments.sweeps import grow as sweep_extend
from experiments.sweeps.designs import SAMPLED
from model.engine.calendar import WEEKS_PER_YEAR, Calendar
from model.parameters import ParameterError
from model.world import geography

COHORT_WEEKS = 52


@dataclass
class Context:
    """What decides how to read the numbers."""

    run_start: str
    run_end: str
    window_start: str
    window_end: str  # the last day of the window
    window_years: float
    cohort_last_start: str  # reoffending cohorts counted start no later than this (closed by the run's end)
    scale: str
    cpas: list[str]
    national_factor: float  # multiply a count or money at this scale by this for a national equivalent
    seeds: list[int]


@dataclass
class SweepData:
    """A sweep folder's manifest, experiment and tables (``ok``: the finished runs)."""

    folder: Path
    manifest: dict[str, Any]
    exp: experiment_file.Experiment
    runs: pd.DataFrame
    series: pd.DataFrame
    by_year: pd.DataFrame
    context: Context
    adaptive: dict[str, Any] | None = None
    ok: pd.DataFrame = field(init=False)

    def __post_init__(self) -> None:
        self.ok = self.runs[self.runs["status"] == "ok"] if "status" in self.runs else self.runs

    def info(self, metric: str) -> MetricInfo:
        """How to show a metric of this sweep (window totals a year over this sweep's window)."""
        return metric_info(metric, self.exp.custom, self.context.window_years)


def read_manifest(folder: Path) -> dict[str, Any]:
    path = Path(folder) / "manifest.json"
    if not path.is_file():
        raise ParameterError(f"{folder} is not a sweep folder (no manifest.json); run `run.py sweep` first")
    return json.loads(path.read_text())


def folder_experiment(folder: Path, *, replications: int | None = None, scale: str | None = None,
                      end: str | None = None, samples: int | None = None) -> experiment_file.Experiment:
    """The experiment a sweep folder holds, with its recorded settings (or the overrides given), points in the
    folder's order."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    s = manifest["settings"]
    if samples is None and s["design"]["kind"] in SAMPLED:
        samples = s["design"]["samples"]
    from experiments.sweeps.sweep import folder_posterior

    posterior, repeats = folder_posterior(folder, s)
    exp = experiment_file.load(folder / "experiment.toml", replications=replications or s["replications"],
                               scale=scale or s["scale"], end=end or s["end"], samples=samples, posterior=posterior,
                               posterior_repeats=repeats)
    exp.name = manifest["experiment"]
    sweep_extend.align_points(exp, s["points"])
    return exp


def national_factor(scale: str, national_supervised: int) -> tuple[float, list[str]]:
    """(national caseload / this scale's caseload, the CPAs simulated): small is about 118."""
    chosen, fraction = geography.select(scale, national_supervised)
    share = sum(c.weight for c in chosen) / sum(c.weight for c in geography.CPAS)
    return 1.0 / (share * fraction), [c.name for c in chosen]


def context(exp: experiment_file.Experiment) -> Context:
    """The period, window, scale and seeds of an experiment, from its baseline arm's parameters."""
    p = simulate.build_parameters(exp.baseline, {**exp.parameters, **exp.points[exp.baseline_point]},
                                  scale=exp.scale, seed=0, start=exp.start, end=exp.end)
    cal = Calendar(p.start_date, p.end_date)
    w0 = max(0, cal.week_of(dt.date.fromisoformat(p.metrics.window_start)))
    w1 = cal.n_weeks if not p.metrics.window_end else min(cal.n_weeks, cal.week_of(dt.date.fromisoformat(p.metrics.window_end)))
    w1 = max(w0, w1)
    factor, cpas = national_factor(exp.scale, p.population.national_supervised)
    last_day = min(p.end_date, cal.date_of(w1) - dt.timedelta(days=1)) if w1 > w0 else cal.date_of(w0)
    cohort_last = cal.date_of(max(w0, min(w1, cal.n_weeks - COHORT_WEEKS) - 1))
    return Context(run_start=p.start_date.isoformat(), run_end=p.end_date.isoformat(),
                   window_start=cal.date_of(w0).isoformat(), window_end=last_day.isoformat(),
                   window_years=(w1 - w0) / WEEKS_PER_YEAR, cohort_last_start=cohort_last.isoformat(),
                   scale=exp.scale, cpas=cpas, national_factor=factor, seeds=exp.seeds())


def load(folder: Path) -> SweepData:
    """Everything in a finished sweep folder; ParameterError if it is not one or has not finished."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    if not (folder / "runs.parquet").is_file():
        raise ParameterError(f"{folder}: the sweep has not finished (no runs.parquet); run the same sweep again")
    exp = folder_experiment(folder)
    by_year_path = folder / "by_year.parquet"
    by_year = pd.read_parquet(by_year_path) if by_year_path.is_file() else pd.DataFrame(
        columns=["run_id", "scenario", "point", "replication", "metric", "year", "value"])
    adaptive_path = folder / "adaptive.json"
    return SweepData(folder=folder, manifest=manifest, exp=exp, runs=pd.read_parquet(folder / "runs.parquet"),
                     series=pd.read_parquet(folder / "series.parquet"), by_year=by_year, context=context(exp),
                     adaptive=json.loads(adaptive_path.read_text()) if adaptive_path.is_file() else None)
