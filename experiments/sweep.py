"""Run an experiment's plan on an executor, saving each run atomically as it finishes; resumable."""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm import tqdm

from experiments import executors, provenance
from experiments.experiment_file import Experiment, RunSpec
from experiments.simulate import atomic_write_text, clean_json
from experiments.sweep_worker import execute_run
from model.parameters import ParameterError

RUNS = "runs"


@dataclass
class SweepOutcome:
    """How a sweep invocation ended."""

    total: int
    ok: int
    failed: int
    ran: int
    interrupted: bool
    wall_s: float


def log(message: str) -> None:
    """A line above the progress bar, flushed at once (logs may be redirected to a file)."""
    tqdm.write(message, file=sys.stdout)
    sys.stdout.flush()


def now_utc() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def atomic_write_parquet(path: Path, frame: pd.DataFrame) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    frame.to_parquet(tmp, index=False)
    tmp.replace(path)


def default_out_dir(exp: Experiment, end_overridden: bool) -> Path:
    """A folder named by what decides the results, so the same command finds it again to resume."""
    name = f"{exp.name}-{exp.scale}-r{exp.replications}" + (f"-to{exp.end}" if end_overridden else "")
    return provenance.ROOT / "output" / "sweeps" / name


def run_paths(out: Path, run_id: str) -> tuple[Path, Path, Path]:
    """(result json, series parquet, error json) of one run."""
    d = out / RUNS
    return d / f"{run_id}.json", d / f"{run_id}.series.parquet", d / f"{run_id}.error.json"


def load_manifest(out: Path) -> dict[str, Any] | None:
    path = out / "manifest.json"
    return json.loads(path.read_text()) if path.is_file() else None


def _check_folder(exp: Experiment, out: Path) -> dict[str, Any] | None:
    """The folder's manifest (None for a new folder); refuse one that holds a different sweep. Writes nothing."""
    manifest = load_manifest(out)
    if manifest is not None and manifest.get("digest") != exp.digest():
        old = manifest.get("settings", {})
        diffs = [k for k, v in exp.settings().items() if old.get(k) != json.loads(json.dumps(v, default=str))]
        raise ParameterError(f"{out} holds a sweep with different settings ({', '.join(diffs) or 'experiment'}); "
                             "use another --out or remove the folder")
    if manifest is None and out.exists() and any(out.iterdir()):
        raise ParameterError(f"{out} is not empty and holds no sweep manifest; use another --out")
    return manifest


def _open_folder(exp: Experiment, out: Path, manifest: dict[str, Any] | None) -> dict[str, Any]:
    """Create the sweep folder (or reuse a checked one); its manifest."""
    (out / RUNS).mkdir(parents=True, exist_ok=True)
    if manifest is None:
        manifest = {"experiment": exp.name, "experiment_file": str(exp.path), "description": exp.description,
                    "digest": exp.digest(), "root_seed": exp.root_seed, "settings": exp.settings(),
                    "runs_total": len(exp.plan()), "sessions": []}
        atomic_write_text(out / "experiment.toml", exp.text)
    return manifest


def _save_manifest(out: Path, manifest: dict[str, Any]) -> None:
    atomic_write_text(out / "manifest.json", json.dumps(clean_json(manifest), indent=2, default=str) + "\n")


def save_result(out: Path, spec: RunSpec, payload: dict[str, Any]) -> None:
    """Series first, then the result json (its presence marks the run finished); both atomic."""
    result_path, series_path, error_path = run_paths(out, spec.run_id)
    record = {"run_id": spec.run_id, "scenario": spec.scenario, "point": spec.point,
              "replication": spec.replication, "seed": spec.seed, "overrides": spec.overrides}
    if payload.get("ok"):
        atomic_write_parquet(series_path, pd.DataFrame(payload["series"]))
        record.update(summary=payload["summary"], events=payload["events"], versions=payload["versions"],
                      wall_s=round(payload["wall_s"], 3))
        atomic_write_text(result_path, json.dumps(clean_json(record), indent=1) + "\n")
        error_path.unlink(missing_ok=True)
    else:
        record.update(error=payload["error"], traceback=payload["traceback"], wall_s=round(payload["wall_s"], 3),
                      failed_utc=now_utc())
        atomic_write_text(error_path, json.dumps(clean_json(record), indent=1) + "\n")


def _payload(spec: RunSpec, future: Future) -> dict[str, Any]:
    exc = future.exception()
    if exc is None:
        return future.result()
    tb = "".join(traceback.format_exception(exc))
    return {"run_id": spec.run_id, "ok": False, "error": f"{type(exc).__name__}: {exc}", "traceback": tb, "wall_s": 0.0}


def status_of(out: Path, plan: list[RunSpec]) -> tuple[set[str], set[str]]:
    """(finished, failed) run ids found in the folder."""
    done = {s.run_id for s in plan if run_paths(out, s.run_id)[0].is_file()}
    failed = {s.run_id for s in plan if s.run_id not in done and run_paths(out, s.run_id)[2].is_file()}
    return done, failed


def run_sweep(exp: Experiment, out: Path, *, workers: int | None = None, scheduler: str | None = None,
              retry_failed: bool = False, csv: bool = False, progress: bool = True) -> SweepOutcome:
    """Run what is not yet finished, write tables and the manifest; Ctrl-C stops cleanly."""
    from experiments.sweep_tables import write_tables

    t0 = time.perf_counter()
    manifest = _check_folder(exp, out)
    plan = exp.plan()
    done, failed = status_of(out, plan)
    todo = [s for s in plan if s.run_id not in done and (retry_failed or s.run_id not in failed)]
    # the executor first: if it cannot start (no dask, no scheduler), nothing is written
    executor, window, description = executors.make_executor(workers, scheduler) if todo else (None, 0, "")
    try:
        manifest = _open_folder(exp, out, manifest)
    except BaseException:
        if executor is not None:
            executor.shutdown(wait=False)
        raise
    log(f"sweep {exp.name}: {len(plan)} runs ({len(exp.scenarios)} scenario(s) x {len(exp.points)} point(s) x "
        f"{exp.replications} replication(s), {exp.scale}) -> {out}")
    if done or failed:
        log(f"  resuming: {len(done)} finished earlier are kept, {len(failed)} failed earlier "
            + ("will be retried" if retry_failed else "are skipped (use --retry-failed to re-run them)"))
    session = {"started_utc": now_utc(), "git_commit": provenance.git_commit(), "versions": provenance.versions(),
               "to_run": len(todo), "status": "running"}
    manifest["sessions"].append(session)
    _save_manifest(out, manifest)
    ran, interrupted = 0, False
    if todo:
        session["executor"] = description
        log(f"  running {len(todo)} on {description}")
        bar = tqdm(total=len(plan), initial=len(plan) - len(todo), unit="run", disable=not progress,
                   dynamic_ncols=True, file=sys.stderr, smoothing=0.1)
        queue, pending = list(reversed(todo)), {}
        try:
            while queue or pending:
                while queue and len(pending) < window:
                    spec = queue.pop()
                    pending[executor.submit(execute_run, spec)] = spec
                finished, _ = wait(list(pending), return_when=FIRST_COMPLETED)
                for future in finished:
                    spec = pending.pop(future)
                    payload = _payload(spec, future)
                    save_result(out, spec, payload)
                    ran += 1
                    bar.update(1)
                    if payload["ok"]:
                        log(f"  done    {spec.run_id}  seed {spec.seed}  {payload['wall_s']:.1f} s")
                    else:
                        log(f"  FAILED  {spec.run_id}  {payload['error']}  (traceback in {RUNS}/{spec.run_id}.error.json)")
        except KeyboardInterrupt:
            interrupted = True
        finally:
            bar.close()
            executor.shutdown(wait=not interrupted, cancel_futures=True)
    done, failed = status_of(out, plan)
    session.update(ended_utc=now_utc(), ran=ran, status="interrupted" if interrupted else "complete")
    manifest.update(runs_ok=len(done), runs_failed=len(failed), wall_s_last_session=round(time.perf_counter() - t0, 1))
    if not interrupted:
        manifest["policy_events"] = write_tables(exp, out, csv=csv)
    _save_manifest(out, manifest)
    outcome = SweepOutcome(len(plan), len(done), len(failed), ran, interrupted, time.perf_counter() - t0)
    if interrupted:
        log(f"interrupted: {len(done)} of {len(plan)} runs are saved in {out}; run the same command again to resume")
    return outcome
