"""`run.py validate`: the pre-reform world beside the published figures, its steadiness with inputs held, and its
post-reform outcomes as predictions - from fresh replications, each with its own posterior draw - written as
docs/validation.md.

Three groups of runs, replication k with the same seed and posterior draw k in each:
- **targets**: the calibration's own setting (its spec: scenario, period, window), every target statistic and a
  few published figures that are inputs or checks rather than targets;
- **steady**: ``pre_tr`` with the inputs held at 2011 (``inputs.volumes = held``), 2011-2021 year by year;
- **predictions**: ``tr_reunified`` with the observed inputs, 2015-2021 year by year: nothing after 2014 is a
  target, so these are what the model predicts, as they come.
Each run is saved as it finishes (``runs/<id>.json``); the same command again resumes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import sys
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from experiments import scenarios
from experiments.calibration.posterior import Posterior
from experiments.calibration.spec import Spec
from experiments.infra import executors, provenance
from experiments.infra.errors import UsageError
from experiments.infra.files import atomic_write_text, check_output_folder, read_text_file, shown
from experiments.infra.folder_lock import LOCK_NAME, FolderLock
from experiments.sweeps.experiment_file import replication_seeds

ROOT_SEED = 2014
STEADY_END, PREDICTION_END = "2022-12-31", "2022-12-31"  # a year after the last year shown: its cohorts close
STEADY_YEARS = range(2011, 2022)
PREDICTION_YEARS = range(2015, 2022)
RUNS = "runs"
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class Job:
    """One validation run."""

    job_id: str
    group: str
    scenario: str
    replication: int
    seed: int
    particle: int | None
    overrides: dict[str, Any]
    scale: str
    start: str
    end: str


def plan(spec: Spec, posterior: Posterior | None, replications: int, scale: str) -> list[Job]:
    """Every run: the three groups for each replication (replication-major, so early results cover all three)."""
    seeds = replication_seeds(ROOT_SEED, replications)
    groups = [("targets", spec.scenario, spec.start, spec.end,
               {**spec.fixed, "metrics.window_start": spec.window_start, "metrics.window_end": spec.window_end}),
              ("steady", "pre_tr", "2011-01-01", STEADY_END, {"inputs.volumes": "held"}),
              ("predictions", "tr_reunified", "2011-01-01", PREDICTION_END, {})]
    jobs = []
    for k, seed in enumerate(seeds):
        particle = posterior.particle(k, ROOT_SEED) if posterior is not None else None
        drawn = posterior.values_of(particle) if posterior is not None else {}
        for group, scenario, start, end, fixed in groups:
            own = set(scenarios.load(scenario)["parameters"])
            values = {n: v for n, v in drawn.items() if n not in own}
            jobs.append(Job(f"{group}-r{k:03d}", group, scenario, k, seed, particle, {**values, **fixed}, scale,
                            start, end))
    return jobs


def run_job(job: Job) -> dict[str, Any]:
    """In a worker: one run's statistics (the summary with its by-year figures, and the derived ones); never
    raises, so that one failure cannot stop the others."""
    from experiments import simulate
    from experiments.calibration.statistics import statistics
    from model.probation_model import ProbationModel

    t0 = time.perf_counter()
    try:
        params = simulate.build_parameters(job.scenario, job.overrides, scale=job.scale, seed=job.seed,
                                           start=job.start, end=job.end)
        model = ProbationModel(params)
        model.run()
        stats = statistics(model)
    except Exception as exc:  # noqa: BLE001 - recorded; the validation reports it
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()}
    return {"ok": True, "stats": stats, "wall_s": time.perf_counter() - t0}


def settings(spec: Spec, posterior: Posterior | None, replications: int, scale: str) -> dict[str, Any]:
    return {"spec": spec.settings(), "posterior": posterior.digest() if posterior is not None else None,
            "replications": replications, "scale": scale, "root_seed": ROOT_SEED,
            "groups": {"steady_end": STEADY_END, "prediction_end": PREDICTION_END}}


def digest(s: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(s, sort_keys=True, default=str).encode()).hexdigest()[:16]


def check_folder(out: Path, s: dict[str, Any]) -> dict[str, Any] | None:
    """The folder's manifest if it holds this validation (to resume), None if new; UsageError otherwise."""
    check_output_folder(out, "--out")
    path = out / "manifest.json"
    if not path.is_file():
        if out.is_dir() and any(p.name != LOCK_NAME for p in out.iterdir()):
            raise UsageError(f"--out {shown(out)} is not empty and holds no validation; give a new or empty folder")
        return None
    try:
        manifest = json.loads(read_text_file(path, "validation manifest"))
    except json.JSONDecodeError as exc:
        raise UsageError(f"{shown(path)} is damaged (not JSON: {exc.msg}); give another --out") from None
    if not isinstance(manifest, dict) or manifest.get("kind") != "validation":
        raise UsageError(f"--out {shown(out)} holds something other than a validation; give another --out")
    if manifest.get("digest") != digest(s):
        raise UsageError(f"--out {shown(out)} holds a validation with other settings (posterior, replications, scale "
                         "or spec); give another --out")
    return manifest


def run_validation(spec: Spec, posterior: Posterior | None, out: Path, *, replications: int, scale: str,
                   workers: int | None = None, scheduler: str | None = None, progress: bool = True) -> dict[str, Any]:
    """Run what is not yet in ``out``; return {job_id: result} for every finished job."""
    s = settings(spec, posterior, replications, scale)
    check_folder(out, s)
    jobs = plan(spec, posterior, replications, scale)
    with FolderLock(out, "validate") as lock:
        manifest = check_folder(out, s) or {"kind": "validation", "digest": digest(s), "settings": s, "sessions": []}
        todo = [j for j in jobs if not (out / RUNS / f"{j.job_id}.json").is_file()]
        try:
            executor = executors.make_executor(workers, scheduler) if todo else None
        except BaseException:
            lock.discard()
            raise
        try:
            (out / RUNS).mkdir(parents=True, exist_ok=True)
            session = {"started_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                       "command": provenance.command_line(), "git_commit": provenance.git_commit(),
                       "code_digest": provenance.code_digest(), "versions": provenance.versions(), "to_run": len(todo)}
            manifest["sessions"].append(session)
            _save(out, manifest)
            if todo:
                _drive(out, todo, executor, len(jobs), progress)
            session["ended_utc"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            _save(out, manifest)
        finally:
            if executor is not None:
                executor.shutdown(wait=False)
    results = {}
    for j in jobs:
        path = out / RUNS / f"{j.job_id}.json"
        if path.is_file():
            results[j.job_id] = json.loads(path.read_text())
    return results


def _save(out: Path, manifest: dict[str, Any]) -> None:
    from experiments.simulate import clean_json

    atomic_write_text(out / "manifest.json", json.dumps(clean_json(manifest), indent=2, default=str) + "\n")


def _drive(out: Path, todo: list[Job], executor, total: int, progress: bool) -> None:
    from experiments.simulate import clean_json

    queue = list(todo)
    pending: dict[Future, Job] = {}
    attempts: dict[str, int] = {}
    bar = tqdm(total=total, initial=total - len(todo), unit="run", disable=not progress, file=sys.stderr)
    try:
        while queue or pending:
            while queue and len(pending) < executor.window:
                job = queue.pop(0)
                pending[executor.submit(run_job, job)] = job
            done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            for future in done:
                job = pending.pop(future)
                try:
                    result = future.result()
                except Exception as exc:  # noqa: BLE001 - the infrastructure's: try again
                    attempts[job.job_id] = attempts.get(job.job_id, 0) + 1
                    if attempts[job.job_id] >= MAX_ATTEMPTS:
                        raise UsageError(f"run {job.job_id} was lost {MAX_ATTEMPTS} times ({type(exc).__name__}); "
                                         "run the same command again") from None
                    queue.append(job)
                    executor.restart()
                    continue
                record = {"job": asdict(job), **result}
                atomic_write_text(out / RUNS / f"{job.job_id}.json", json.dumps(clean_json(record)) + "\n")
                bar.update(1)
    except KeyboardInterrupt:
        executor.shutdown(wait=False)
        raise
    finally:
        bar.close()


# ---- reading the results -----------------------------------------------------------------------------------
def values(results: dict[str, Any], group: str, key: str, year: int | None = None, factor: float = 1.0) -> np.ndarray:
    """One statistic over a group's finished replications (window value, or a year's), NaN where missing."""
    out = []
    for r in results.values():
        if r["job"]["group"] != group or not r.get("ok"):
            continue
        stats = r["stats"]
        x = stats.get(key) if year is None else (stats.get(f"{key}_by_year") or {}).get(str(year))
        out.append(math.nan if x is None else float(x) * factor)
    return np.array(out, dtype=float)


def interval(x: np.ndarray) -> tuple[float, float, float, int]:
    """(mean, 2.5th and 97.5th percentiles, n) over the finite values: where 95% of single runs fall."""
    x = x[np.isfinite(x)]
    if x.size == 0:
        return math.nan, math.nan, math.nan, 0
    return float(x.mean()), float(np.percentile(x, 2.5)), float(np.percentile(x, 97.5)), int(x.size)


def failures(results: dict[str, Any]) -> list[str]:
    return [f"{k}: {r.get('error')}" for k, r in results.items() if not r.get("ok")]
