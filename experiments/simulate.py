"""One run: scenario + overrides + seed -> summary, weekly series, manifest and plots."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments import provenance, scenarios
from model import parameters
from model.metrics import summary
from model.parameters import Parameters
from model.probation_model import ProbationModel


@dataclass
class RunResult:
    """What one run produced."""

    scenario: str
    params: Parameters
    summary: dict[str, Any]
    timeseries: pd.DataFrame
    manifest: dict[str, Any]
    events: list[tuple[str, str]]


def build_parameters(scenario: str, overrides: dict[str, Any] | None = None, *, scale: str | None = None,
                     seed: int | None = None, start: str | None = None, end: str | None = None) -> Parameters:
    """Defaults, then the scenario's parameters, then overrides, then the explicit options; validated."""
    merged = dict(scenarios.load(scenario)["parameters"])
    merged.update(overrides or {})
    for name, value in (("run.scale", scale), ("run.seed", seed), ("run.start", start), ("run.end", end)):
        if value is not None:
            merged[name] = value
    return parameters.build(merged)


def run(scenario: str, params: Parameters) -> RunResult:
    """Simulate to the end date and collect the results."""
    t0 = time.perf_counter()
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    model = ProbationModel(params)
    model.run()
    out = summary(model)
    weeks = model.recorder.recorded
    frame = pd.DataFrame({"date": [model.cal.date_of(w).isoformat() for w in range(weeks)]})
    for name, values in model.recorder.series.items():
        frame[name] = values[:weeks]
    events = [(e.date.isoformat(), e.name) for e in model.events]
    manifest = {
        "scenario": scenario,
        "seed": params.run.seed,
        "parameters": params.flat(),
        "policy_events": [{"date": d, "event": n} for d, n in events],
        "versions": provenance.versions(),
        "git_commit": provenance.git_commit(),
        "started_utc": started,
        "wall_time_s": round(time.perf_counter() - t0, 3),
        "weeks": weeks,
    }
    return RunResult(scenario, params, out, frame, manifest, events)


def atomic_write_text(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path``, then rename: readers see the old file or the new one."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def clean_json(value: Any) -> Any:
    """numpy scalars to Python, NaN/inf to None (valid JSON), recursively through dicts."""
    if isinstance(value, dict):
        return {k: clean_json(v) for k, v in value.items()}
    if isinstance(value, (np.floating, float)):
        return None if not np.isfinite(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def summary_json(result: RunResult) -> str:
    return json.dumps(clean_json(result.summary), indent=2) + "\n"


def timeseries_csv(result: RunResult) -> str:
    return result.timeseries.to_csv(index=False, float_format="%.10g", lineterminator="\n")


def write_outputs(result: RunResult, out: Path, plots: bool = True) -> list[Path]:
    """Write summary.json, timeseries.csv, manifest.json and PNG plots into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in (("summary.json", summary_json(result)), ("timeseries.csv", timeseries_csv(result)),
                       ("manifest.json", json.dumps(clean_json(result.manifest), indent=2) + "\n")):
        atomic_write_text(out / name, text)
        written.append(out / name)
    if plots:
        from experiments.plots import plot_run

        written += plot_run(result.timeseries, result.events, out, title=result.scenario)
    return written


def default_out_dir(scenario: str, seed: int) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return provenance.ROOT / "output" / f"{scenario}-seed{seed}-{stamp}"
