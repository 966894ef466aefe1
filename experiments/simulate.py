"""One run: scenario + overrides + seed -> summary, weekly series, manifest and plots."""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments import scenarios
from experiments.infra import provenance
from experiments.infra.errors import UsageError
from experiments.infra.files import atomic_write_text, check_output_folder, shown, staged_folder
from model import parameters
from model.channels.base import check_rules
from model.parameters import Parameters
from model.probation_model import ProbationModel
from model.recording.metrics import summary


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
    """Defaults, then the scenario's parameters, then overrides, then the explicit options; validated.
    A run setting given both as an override and as an option is refused: each is set once."""
    merged = dict(scenarios.load(scenario)["parameters"])
    merged.update(overrides or {})
    for name, value in (("run.scale", scale), ("run.seed", seed), ("run.start", start), ("run.end", end)):
        if value is not None:
            if name in (overrides or {}) and str(overrides[name]) != str(value):
                option = "--" + name.split(".")[1]
                raise parameters.ParameterError(f"parameter {name} is given twice: {overrides[name]!r} as a parameter "
                                                f"and {value!r} by {option}; give it once")
            merged[name] = value
    params = parameters.build(merged)
    check_rules(params)  # a channel class a scenario names must load before anything runs
    return params


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
        "model_version": provenance.project_version(),
        "seed": params.run.seed,
        "parameters": params.flat(),
        "policy_events": [{"date": d, "event": n} for d, n in events],
        "versions": provenance.versions(),
        "git_commit": provenance.git_commit(),
        "code_digest": provenance.code_digest(),
        "command": provenance.command_line(),
        "started_utc": started,
        "wall_time_s": round(time.perf_counter() - t0, 3),
        "weeks": weeks,
    }
    return RunResult(scenario, params, out, frame, manifest, events)


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


RUN_FILES = ("summary.json", "timeseries.csv", "manifest.json")


def is_run_file(name: str) -> bool:
    return name in RUN_FILES or (name.startswith("plot_") and name.endswith(".png"))


def check_out_dir(out: Path, what: str = "--out") -> None:
    """Before a run: ``out`` can be written, and if it exists it is empty or holds only an earlier run's
    files (which the new run replaces whole). UsageError otherwise; writes nothing."""
    check_output_folder(out, what)
    if out.is_dir():
        try:
            others = sorted(p.name for p in out.iterdir() if not is_run_file(p.name))
        except OSError as exc:
            raise UsageError(f"{what} {shown(out)} cannot be read ({exc.strerror})") from None
        if others:
            raise UsageError(f"{what} {shown(out)} already holds files that are not a run's results "
                             f"({', '.join(others[:3])}{', ...' if len(others) > 3 else ''}); choose a new folder")


def write_outputs(result: RunResult, out: Path, plots: bool = True) -> list[Path]:
    """Write summary.json, timeseries.csv, manifest.json and PNG plots as the folder ``out``, complete or
    not at all: they are written into a staging folder that replaces ``out`` in one rename. A failure
    (a full disk, say) leaves ``out`` as it was and raises a UsageError saying so."""
    names = []
    with staged_folder(out, "the results") as stage:
        for name, text in (("summary.json", summary_json(result)), ("timeseries.csv", timeseries_csv(result)),
                           ("manifest.json", json.dumps(clean_json(result.manifest), indent=2) + "\n")):
            atomic_write_text(stage / name, text)
            names.append(name)
        if plots:
            from experiments.analysis.plots import plot_run

            names += [p.name for p in plot_run(result.timeseries, result.events, stage, title=result.scenario)]
    return [out / n for n in names]


def default_out_dir(scenario: str, seed: int) -> Path:
    """A new folder under output/ named by scenario, seed and time (never an existing one)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    base = provenance.ROOT / "output" / f"{scenario}-seed{seed}-{stamp}"
    out, k = base, 1
    while out.exists():
        k += 1
        out = base.with_name(f"{base.name}-{k}")
    return out
