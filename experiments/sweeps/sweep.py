"""Run an experiment's plan on an executor, saving each run atomically as it finishes; resumable.

Nothing is lost: a run that raised is saved as a model failure with its traceback; a run lost to
the infrastructure (a worker killed, a pool broken, a dask worker gone) is never recorded as a
failure but run again, up to MAX_ATTEMPTS times, and otherwise left for the next invocation. One
invocation at a time holds the folder (a lock file), and a killed invocation leaves no process.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, CancelledError, Future, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm import tqdm

from experiments import scenarios
from experiments.calibration.posterior import MANIFEST_FILE, POSTERIOR_FILE, Posterior
from experiments.infra import executors, provenance
from experiments.infra.errors import UsageError
from experiments.infra.files import atomic_write_text, check_output_folder, read_text_file, shown
from experiments.infra.folder_lock import LOCK_NAME, FolderLock
from experiments.simulate import clean_json
from experiments.sweeps.experiment_file import Experiment, RunSpec
from experiments.sweeps.files import RUNS, atomic_write_parquet, run_paths
from experiments.sweeps.tables import write_tables
from experiments.sweeps.worker import execute_run
from model.parameters import ParameterError

POSTERIOR_DIR = "posterior"  # a posterior sweep's copy of the calibration's posterior
MAX_ATTEMPTS = 3  # infrastructure failures of one run before it is left for the next invocation


@dataclass
class SweepOutcome:
    """How a sweep invocation ended."""

    total: int
    ok: int
    failed: int
    ran: int
    interrupted: bool
    wall_s: float
    lost: int = 0
    lost_reason: str = ""


def log(message: str) -> None:
    """A line above the progress bar, flushed at once (logs may be redirected to a file)."""
    tqdm.write(message, file=sys.stdout)
    sys.stdout.flush()


def now_utc() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def default_out_dir(exp: Experiment, end_overridden: bool) -> Path:
    """A folder named by what decides the results, so the same command finds it again to resume."""
    name = f"{exp.name}-{exp.scale}-r{exp.replications}" + (f"-to{exp.end}" if end_overridden else "")
    return provenance.ROOT / "output" / "sweeps" / name


MANIFEST_FIELDS = {"experiment": str, "digest": str, "settings": dict, "sessions": list, "runs_total": int}
SETTINGS_FIELDS = {"replications": int, "scale": str, "scenarios": list}


def load_manifest(out: Path) -> dict[str, Any] | None:
    """The sweep folder's manifest, None if it has none; UsageError if it is damaged."""
    path = out / "manifest.json"
    if not path.exists():
        return None
    text = read_text_file(path, "sweep manifest")
    try:
        manifest = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{shown(path)} is damaged (not JSON: {exc.msg} at line {exc.lineno}); restore it, "
                         "or give another --out") from None
    problem = _manifest_problem(manifest)
    if problem:
        raise UsageError(f"{shown(path)} is damaged ({problem}); restore it, or give another --out")
    return manifest


def _manifest_problem(manifest: Any) -> str:
    if not isinstance(manifest, dict):
        return "not a JSON object"
    for fields, where in ((MANIFEST_FIELDS, manifest), (SETTINGS_FIELDS, manifest.get("settings"))):
        for key, kind in fields.items():
            if not isinstance(where, dict) or not isinstance(where.get(key), kind) or isinstance(where.get(key), bool):
                return f"{key!r} missing or not {kind.__name__}"
    if not all(isinstance(s, dict) for s in manifest["sessions"]):
        return "'sessions' holds something other than objects"
    return ""


def _check_folder(exp: Experiment, out: Path) -> dict[str, Any] | None:
    """The folder's manifest (None for a new folder); refuse one that holds a different sweep. Writes nothing."""
    manifest = load_manifest(out)
    if manifest is not None and manifest.get("digest") != exp.digest():
        old = manifest.get("settings", {})
        diffs = [k for k, v in exp.settings().items() if old.get(k) != json.loads(json.dumps(v, default=str))]
        raise ParameterError(f"{out} holds a sweep with different settings ({', '.join(diffs) or 'experiment'}); "
                             "use another --out or remove the folder")
    if manifest is not None:
        recorded = manifest.get("scenario_definitions", {})
        now = scenario_definitions(exp)
        changed = [n for n in now if n in recorded and recorded[n] != json.loads(json.dumps(now[n], default=str))]
        if changed:
            raise UsageError(f"scenario {changed[0]} has changed since the sweep in {shown(out)} started; its runs would "
                             "mix two versions of it: restore the scenario file, or give another --out")
    if manifest is None and out.exists() and any(p.name != LOCK_NAME for p in out.iterdir()):
        raise ParameterError(f"{out} is not empty and holds no sweep manifest; use another --out")
    return manifest


def folder_posterior(out: Path, settings: dict[str, Any]) -> tuple[Posterior | None, int]:
    """A sweep folder's posterior and replications per draw (None, 1 for a sweep without one); UsageError if
    the folder's copy is missing or is not the one its runs drew from."""
    from experiments.calibration import posterior

    recorded = settings.get("posterior")
    if not recorded:
        return None, 1
    post = posterior.load(out / POSTERIOR_DIR)
    if post.digest() != recorded.get("digest"):
        raise UsageError(f"{shown(out / POSTERIOR_DIR / POSTERIOR_FILE)} is not the posterior this sweep drew from "
                         "(its digest differs); restore it")
    return post, int(recorded.get("repeats", 1))


def scenario_definitions(exp: Experiment) -> dict[str, dict[str, Any]]:
    """Each scenario's parameters as its file gives them now (recorded, so that a later change is noticed)."""
    return {name: scenarios.load(name)["parameters"] for name in exp.scenarios}


def _new_manifest(exp: Experiment) -> dict[str, Any]:
    return {"experiment": exp.name, "experiment_file": str(exp.path), "description": exp.description,
            "digest": exp.digest(), "root_seed": exp.root_seed, "settings": exp.settings(),
            "scenario_definitions": scenario_definitions(exp), "runs_total": len(exp.plan()), "sessions": []}


def _save_manifest(out: Path, manifest: dict[str, Any]) -> None:
    atomic_write_text(out / "manifest.json", json.dumps(clean_json(manifest), indent=2, default=str) + "\n")


def save_result(out: Path, spec: RunSpec, payload: dict[str, Any]) -> None:
    """Series first, then the result json (its presence marks the run finished); both atomic."""
    result_path, series_path, error_path = run_paths(out, spec.run_id)
    record = {"run_id": spec.run_id, "scenario": spec.scenario, "point": spec.point,
              "replication": spec.replication, "seed": spec.seed, "overrides": spec.overrides}
    if spec.draw is not None:
        record.update(posterior_draw=spec.draw, posterior_particle=spec.particle)
    if payload.get("ok"):
        atomic_write_parquet(series_path, pd.DataFrame(payload["series"]))
        record.update(summary=payload["summary"], events=payload["events"], versions=payload["versions"],
                      code=payload.get("code"), wall_s=round(payload["wall_s"], 3))
        atomic_write_text(result_path, json.dumps(clean_json(record), indent=1) + "\n")
        error_path.unlink(missing_ok=True)
    else:
        record.update(error=payload["error"], traceback=payload["traceback"], wall_s=round(payload["wall_s"], 3),
                      failed_utc=now_utc())
        atomic_write_text(error_path, json.dumps(clean_json(record), indent=1) + "\n")


def _finished(result_path: Path, series_path: Path) -> bool:
    """A run is finished when its result json reads back whole and its series file is there."""
    if not (result_path.is_file() and series_path.is_file()):
        return False
    try:
        record = json.loads(result_path.read_text())
        return isinstance(record, dict) and isinstance(record.get("summary"), dict)
    except (OSError, ValueError):
        log(f"  note: {result_path.name} is damaged; that run will be done again")
        return False


def status_of(out: Path, plan: list[RunSpec]) -> tuple[set[str], set[str]]:
    """(finished, failed) run ids found in the folder."""
    done = {s.run_id for s in plan if _finished(*run_paths(out, s.run_id)[:2])}
    failed = {s.run_id for s in plan if s.run_id not in done and run_paths(out, s.run_id)[2].is_file()}
    return done, failed


def _outcome(future: Future, digest: str) -> tuple[dict[str, Any] | None, BaseException | None]:
    """(payload, None) for a run that ended, model failures included; (None, exception) for a run the
    infrastructure lost (execute_run never raises, so any exception is the infrastructure's)."""
    try:
        exc = future.exception()
    except CancelledError as cancelled:
        return None, cancelled
    if exc is not None:
        return None, exc
    payload = future.result()
    if not isinstance(payload, dict) or "ok" not in payload:
        return None, RuntimeError(f"a worker returned {type(payload).__name__}, not a run's results")
    if payload.get("code", digest) != digest:
        return None, RuntimeError(f"a worker ran other code ({payload.get('code')}, here {digest})")
    return payload, None


def _describe(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return text.splitlines()[0][:200] if text else type(exc).__name__


def run_sweep(exp: Experiment, out: Path, *, workers: int | None = None, scheduler: str | None = None,
              retry_failed: bool = False, csv: bool = False, progress: bool = True) -> SweepOutcome:
    """Run what is not yet finished, write tables and the manifest; Ctrl-C stops cleanly."""
    t0 = time.perf_counter()
    check_output_folder(out, "sweep folder")
    _check_folder(exp, out)  # a different sweep, a damaged manifest: refused before anything is written
    if scheduler:
        executors.check_scheduler(scheduler)
    with FolderLock(out, "sweep") as lock:
        manifest = _check_folder(exp, out)  # again, now that no other invocation can change the folder
        plan = exp.plan()
        done, failed = status_of(out, plan)
        todo = [s for s in plan if s.run_id not in done and (retry_failed or s.run_id not in failed)]
        try:  # the executor before any file: if it cannot start (no dask, no scheduler), nothing is written
            executor = executors.make_executor(workers, scheduler) if todo else None
        except BaseException:
            lock.discard()
            raise
        try:
            return _run_locked(exp, out, plan, todo, done, failed, manifest, executor, retry_failed, csv, progress, t0)
        finally:
            if executor is not None:
                executor.shutdown(wait=False)


def _run_locked(exp, out, plan, todo, done, failed, manifest, executor, retry_failed, csv, progress, t0) -> SweepOutcome:

    try:
        (out / RUNS).mkdir(parents=True, exist_ok=True)
        if manifest is None:
            manifest = _new_manifest(exp)
            atomic_write_text(out / "experiment.toml", exp.text)
            if exp.posterior is not None:  # the sweep keeps its own copy: its draws never depend on another folder
                (out / POSTERIOR_DIR).mkdir(exist_ok=True)
                atomic_write_text(out / POSTERIOR_DIR / POSTERIOR_FILE, exp.posterior.text)
                atomic_write_text(out / POSTERIOR_DIR / MANIFEST_FILE,
                                  json.dumps(clean_json(exp.posterior.manifest), indent=2, default=str) + "\n")
    except OSError as exc:
        raise UsageError(f"could not write the sweep folder {shown(out)}: {exc.strerror}") from None
    for old in manifest["sessions"]:
        if old.get("status") == "running":  # the lock was free, so that invocation was killed
            old["status"] = "killed (ended without closing)"
    log(f"sweep {exp.name}: {len(plan)} runs ({len(exp.scenarios)} scenario(s) x {len(exp.points)} point(s) x "
        f"{exp.replications} replication(s), {exp.scale}) -> {out}")
    if done or failed:
        log(f"  resuming: {len(done)} finished earlier are kept, {len(failed)} failed earlier "
            + ("will be retried" if retry_failed else "are skipped (use --retry-failed to re-run them)"))
    session = {"started_utc": now_utc(), "command": provenance.command_line(), "model_version": provenance.project_version(),
               "git_commit": provenance.git_commit(),
               "code_digest": provenance.code_digest(), "versions": provenance.versions(), "to_run": len(todo),
               "status": "running"}
    manifest["sessions"].append(session)
    _save(out, manifest)
    ran, interrupted, lost, stop = 0, False, [], ""
    if todo:
        session["executor"] = executor.description
        log(f"  running {len(todo)} on {executor.description}")
        bar = tqdm(total=len(plan), initial=len(plan) - len(todo), unit="run", disable=not progress,
                   dynamic_ncols=True, file=sys.stderr, smoothing=0.1)
        try:
            ran, lost, stop = _drive(out, todo, executor, bar)
        except KeyboardInterrupt:
            interrupted = True
            executor.shutdown(wait=False)  # the workers are ended now, not after their current run
        finally:
            bar.close()
    done, failed = status_of(out, plan)
    status = "interrupted" if interrupted else ("incomplete" if lost else "complete")
    session.update(ended_utc=now_utc(), ran=ran, status=status, lost=len(lost))
    if stop:
        session["stopped_because"] = stop
    manifest.update(runs_ok=len(done), runs_failed=len(failed), wall_s_last_session=round(time.perf_counter() - t0, 1))
    if not interrupted:
        try:
            manifest["policy_events"] = write_tables(exp, out, csv=csv)
        except OSError as exc:
            _save(out, manifest, quiet=True)
            raise UsageError(f"could not write the tables in {shown(out)}: {exc.strerror}; every finished run is "
                             "saved in runs/: run the same command again to write them") from None
    _save(out, manifest)
    outcome = SweepOutcome(len(plan), len(done), len(failed), ran, interrupted, time.perf_counter() - t0,
                           lost=len(lost), lost_reason=stop)
    if interrupted:
        log(f"interrupted: {len(done)} of {len(plan)} runs are saved in {out}; run the same command again to resume")
    return outcome


def _save(out: Path, manifest: dict[str, Any], quiet: bool = False) -> None:
    try:
        _save_manifest(out, manifest)
    except OSError as exc:
        if not quiet:
            raise UsageError(f"could not update {shown(out / 'manifest.json')}: {exc.strerror}") from None


def _drive(out: Path, todo: list[RunSpec], executor, bar) -> tuple[int, list[str], str]:
    """Keep ``executor.window`` runs in flight until every run has ended or been given up;
    (runs saved, run ids lost to the infrastructure, why the last one was lost)."""
    digest = provenance.code_digest()
    queue: deque[RunSpec] = deque(todo)
    pending: dict[Future, RunSpec] = {}
    attempts: dict[str, int] = {}
    lost: list[str] = []
    ran, reason = 0, ""

    def infrastructure_failure(spec: RunSpec, exc: BaseException) -> None:
        nonlocal reason
        attempts[spec.run_id] = attempts.get(spec.run_id, 0) + 1
        reason = _describe(exc)
        if attempts[spec.run_id] < MAX_ATTEMPTS:
            log(f"  retry   {spec.run_id}  its worker was lost ({reason}); not a model failure")
            queue.append(spec)
        else:
            log(f"  LOST    {spec.run_id}  its worker was lost {MAX_ATTEMPTS} times ({reason}); it is not recorded, "
                "and the next invocation runs it again")
            lost.append(spec.run_id)

    while queue or pending:
        broken = None
        while queue and len(pending) < executor.window and broken is None:
            spec = queue.popleft()
            try:
                pending[executor.submit(execute_run, spec)] = spec
            except KeyboardInterrupt:
                raise
            except Exception as exc:  # noqa: BLE001 - the executor itself has failed (e.g. a broken pool)
                infrastructure_failure(spec, exc)
                broken = exc
        if pending and broken is None:
            finished, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            for future in finished:
                spec = pending.pop(future)
                payload, problem = _outcome(future, digest)
                if problem is not None:
                    infrastructure_failure(spec, problem)
                    if isinstance(problem, BrokenExecutor):
                        broken = problem
                    continue
                try:
                    save_result(out, spec, payload)
                except OSError as exc:
                    raise UsageError(f"could not save run {spec.run_id} in {shown(out)}: {exc.strerror}; the runs "
                                     "finished before it are saved: free the space (or fix the folder) and run the "
                                     "same command again to resume") from None
                ran += 1
                bar.update(1)
                if payload["ok"]:
                    log(f"  done    {spec.run_id}  seed {spec.seed}  {payload['wall_s']:.1f} s")
                else:
                    log(f"  FAILED  {spec.run_id}  {payload['error']}  (traceback in {RUNS}/{spec.run_id}.error.json)")
        if broken is not None:
            for future, spec in list(pending.items()):  # every run in flight went down with the pool
                future.cancel()
                infrastructure_failure(spec, broken)
            pending.clear()
            if queue:
                log(f"  restarting the workers after: {_describe(broken)}")
                try:
                    executor.restart()
                except Exception as exc:  # noqa: BLE001 - cannot get workers back: stop, keeping what is saved
                    reason = f"the workers could not be restarted ({_describe(exc)})"
                    log(f"  stopping: {reason}")
                    lost.extend(s.run_id for s in queue)
                    queue.clear()
    return ran, lost, reason

