"""`run.py calibrate`: ABC-SMC (pyabc) over a spec's free parameters against its published targets, one
generation at a time, resumable, within a budget of simulations.

Each generation is run by a fresh pyabc ABCSMC object loaded from the database in the output folder, so an
uninterrupted calibration and one stopped and resumed take exactly the same path: a generation is either in
the database whole or run again from its seeds. Generation 0 samples the prior (epsilon = infinity); each
later one accepts particles closer than the ``quantile`` of the previous generation's distances. The budget
counts the simulations each generation used (up to its n-th acceptance); before a generation starts, its
size is cut to what the rest of the budget is expected to buy at the last acceptance rate, and the
calibration stops when that is under a third of the population.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from experiments.calibration.posterior import MANIFEST_FILE, POSTERIOR_FILE, posterior_csv, weighted_quantile
from experiments.calibration.spec import Spec
from experiments.infra import executors, provenance
from experiments.infra.errors import UsageError
from experiments.infra.files import atomic_write_text, check_output_folder, read_text_file, shown
from experiments.infra.folder_lock import LOCK_NAME, FolderLock

DB_FILE = "abc.db"
SPEC_FILE = "calibration.toml"
PARTICLES_FILE = "particles.csv"
KIND = "calibration"
MIN_SHARE = 1 / 3  # stop when the budget left buys less than this share of a full generation
SAFETY = 0.8  # of the acceptance rate last seen: the next generation's rate is usually lower


@dataclass
class Outcome:
    """How a calibrate invocation ended."""

    generations: int
    used: int
    ran: int
    stopped_because: str
    interrupted: bool
    wall_s: float
    out: Path


def log(message: str) -> None:
    tqdm.write(message, file=sys.stdout)
    sys.stdout.flush()


def now_utc() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def quiet_pyabc() -> None:
    """pyabc logs every generation at INFO; this command says what matters itself."""
    import pyabc  # noqa: F401 - its import sets up its loggers

    for name in ("ABC", "ABC.History", "ABC.Sampler", "ABC.Distance", "ABC.Epsilon", "ABC.Adaptation"):
        logging.getLogger(name).setLevel(logging.WARNING)


def load_average() -> str:
    """The machine's 1-, 5- and 15-minute load averages, and its cores (a shared machine runs slower)."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f} on {os.cpu_count()} cores"


def load_manifest(out: Path) -> dict[str, Any] | None:
    """The calibration manifest in ``out``; None if there is none; UsageError if damaged or not a calibration's."""
    path = out / MANIFEST_FILE
    if not path.is_file():
        return None
    try:
        manifest = json.loads(read_text_file(path, "calibration manifest"))
    except json.JSONDecodeError as exc:
        raise UsageError(f"{shown(path)} is damaged (not JSON: {exc.msg}); restore it, or give another --out") from None
    if not isinstance(manifest, dict) or manifest.get("kind") != KIND or not isinstance(manifest.get("sessions"), list):
        raise UsageError(f"{shown(out)} holds something other than a calibration; give another --out")
    return manifest


def stored_settings(out: Path) -> dict[str, Any]:
    """What a calibration folder was run with: its spec as used, scale, population and last budget (empty if the
    folder holds no calibration), so that ``--resume`` needs only ``--out``."""
    manifest = load_manifest(out) if out.is_dir() else None
    if manifest is None:
        return {}
    settings, sessions = manifest.get("settings", {}), manifest.get("sessions", [])
    stored = {"scale": settings.get("scale"), "population": settings.get("population"),
              "budget": next((s["budget"] for s in reversed(sessions) if s.get("budget")), None)}
    if (out / SPEC_FILE).is_file():
        stored["spec"] = out / SPEC_FILE
    return {k: v for k, v in stored.items() if v is not None}


def check_folder(out: Path, spec: Spec, resume: bool) -> dict[str, Any] | None:
    """Before any work: the folder's calibration manifest if resuming, None for a new calibration. UsageError if
    the folder cannot be used this way. Writes nothing."""
    check_output_folder(out, "--out")
    manifest = load_manifest(out) if out.is_dir() else None
    if manifest is None:
        if resume:
            raise UsageError(f"--resume: {shown(out)} holds no calibration to resume")
        if out.is_dir() and any(p.name != LOCK_NAME for p in out.iterdir()):
            raise UsageError(f"--out {shown(out)} is not empty and holds no calibration; give a new or empty folder")
        return None
    if not resume:
        raise UsageError(f"--out {shown(out)} already holds a calibration; add --resume to continue it, or give "
                         "another --out")
    if manifest.get("spec_digest") != spec.digest():
        old = manifest.get("settings", {})
        diffs = [k for k, v in spec.settings().items() if old.get(k) != json.loads(json.dumps(v, default=str))]
        raise UsageError(f"--resume: {shown(out)} holds a calibration with other settings "
                         f"({', '.join(diffs) or 'spec'}); give the same spec, scale and population, or another --out")
    if not (out / DB_FILE).is_file() and manifest.get("generations"):
        raise UsageError(f"--resume: {shown(out / DB_FILE)} is missing; the calibration cannot continue")
    return manifest


def _history(out: Path):
    import pyabc

    return pyabc.History(f"sqlite:///{out / DB_FILE}")


def _abc(spec: Spec, executor, t: int, population: int, max_jobs: float, progress):
    import pyabc

    from experiments.calibration.sampler import ExecutorSampler
    from experiments.calibration.simulator import ScaledDistance, Setting, TargetModel
    from experiments.calibration.transition import DefensiveTransition

    priors = pyabc.Distribution(**{p.name: (pyabc.RV("uniform", p.low, p.high - p.low) if p.kind == "uniform" else
                                            pyabc.RV("loguniform", p.low, p.high)) for p in spec.priors})
    sampler = ExecutorSampler(executor, spec.root_seed, max_jobs=max_jobs, progress=progress)
    abc = pyabc.ABCSMC(TargetModel(Setting(spec)), priors, ScaledDistance(spec.targets),
                       population_size=population, sampler=sampler,
                       transitions=DefensiveTransition(spec.priors, spec.prior_share),
                       eps=pyabc.QuantileEpsilon(initial_epsilon=math.inf if t == 0 else "from_sample",
                                                 alpha=spec.quantile))
    return abc, sampler


def generations(out: Path) -> list[dict[str, Any]]:
    """The database's generations: t, epsilon, particles, simulations used, acceptance rate."""
    if not (out / DB_FILE).is_file():
        return []
    h = _history(out)
    if h.id is None or h.n_populations == 0:
        return []
    frame = h.get_all_populations()
    rows = []
    for _, r in frame[frame["t"] >= 0].iterrows():
        w = h.get_weighted_distances(t=int(r["t"]))["w"].to_numpy(dtype=float)
        rows.append({"t": int(r["t"]), "epsilon": float(r["epsilon"]), "particles": int(r["particles"]),
                     "simulations": int(r["samples"]), "acceptance_rate": float(r["particles"]) / float(r["samples"]),
                     "effective_sample_size": float(w.sum() ** 2 / (w ** 2).sum())})
    return rows


def next_population(spec: Spec, budget: int, done: list[dict[str, Any]]) -> tuple[int, str]:
    """The next generation's size (0 to stop) and, if it stops, why."""
    used = sum(g["simulations"] for g in done)
    left = budget - used
    if not done:
        return (spec.population, "") if left >= spec.population else (0, f"the budget ({budget}) is below the "
                                                                          f"population ({spec.population})")
    affordable = math.floor(left * done[-1]["acceptance_rate"] * SAFETY)
    size = min(spec.population, affordable)
    if size < max(2, math.ceil(spec.population * MIN_SHARE)):
        return 0, f"the budget is spent ({used} of {budget} simulations used; the next generation would need more)"
    return size, ""


def run_calibration(spec: Spec, out: Path, *, workers: int | None = None, scheduler: str | None = None,
                    resume: bool = False, progress: bool = True) -> Outcome:
    """Run generations until the budget is spent; write the posterior, the report and the manifest."""
    t0 = time.perf_counter()
    check_folder(out, spec, resume)
    if scheduler:
        executors.check_scheduler(scheduler)
    quiet_pyabc()
    with FolderLock(out, "calibrate") as lock:
        manifest = check_folder(out, spec, resume)
        try:
            executor = executors.make_executor(workers, scheduler)
        except BaseException:
            lock.discard()
            raise
        try:
            return _run_locked(spec, out, manifest, executor, progress, t0)
        finally:
            executor.shutdown(wait=False)


def _new_manifest(spec: Spec) -> dict[str, Any]:
    from experiments.calibration.report import default_of

    return {"kind": KIND, "label": f"ABC-SMC calibration of {spec.scenario} ({spec.scale})",
            "spec_file": str(spec.path), "spec_digest": spec.digest(), "settings": spec.settings(),
            "national_factor": spec.national_factor, "created_utc": now_utc(), "sessions": [],
            "defaults_before": {prior.name: default_of(prior.name) for prior in spec.priors}}


def _save(out: Path, manifest: dict[str, Any]) -> None:
    from experiments.simulate import clean_json

    try:
        atomic_write_text(out / MANIFEST_FILE, json.dumps(clean_json(manifest), indent=2, default=str) + "\n")
    except OSError as exc:
        raise UsageError(f"could not write {shown(out / MANIFEST_FILE)}: {exc.strerror}") from None


def _run_locked(spec: Spec, out: Path, manifest: dict[str, Any] | None, executor, progress: bool, t0: float) -> Outcome:
    if manifest is None:
        manifest = _new_manifest(spec)
        try:
            atomic_write_text(out / SPEC_FILE, spec.text)
        except OSError as exc:
            raise UsageError(f"could not write into {shown(out)}: {exc.strerror}") from None
    for old in manifest["sessions"]:
        if old.get("status") == "running":
            old["status"] = "killed (ended without closing)"
    session = {"started_utc": now_utc(), "command": provenance.command_line(), "git_commit": provenance.git_commit(),
               "code_digest": provenance.code_digest(), "versions": provenance.versions(), "budget": spec.budget,
               "executor": executor.description, "status": "running", "load_average": load_average()}
    manifest["sessions"].append(session)
    _save(out, manifest)
    done = generations(out)
    used = sum(g["simulations"] for g in done)
    log(f"calibrate {spec.scenario} at {spec.scale} scale: {len(spec.priors)} free parameters, {len(spec.targets)} "
        f"targets, population {spec.population}, budget {spec.budget} simulations -> {out}")
    if done:
        log(f"  resuming: {len(done)} generation(s) and {used} simulations are kept")
    log(f"  running on {executor.description}")
    bar = tqdm(total=spec.budget, initial=min(used, spec.budget), unit="sim", disable=not progress,
               dynamic_ncols=True, file=sys.stderr, smoothing=0.05)
    ran, failed, interrupted, stop = 0, 0, False, ""
    try:
        while True:
            size, stop = next_population(spec, spec.budget, done)
            if size == 0:
                break
            t = len(done)
            abc, sampler = _abc(spec, executor, t, size, spec.budget - used, bar.update)
            g0 = time.perf_counter()
            if t == 0 and (out / DB_FILE).is_file():
                (out / DB_FILE).unlink()  # a generation 0 that never finished: start the database again
            if t == 0:
                abc.new(f"sqlite:///{out / DB_FILE}", {tg.key: tg.value for tg in spec.targets})
            else:
                abc.load(f"sqlite:///{out / DB_FILE}", 1)
            abc.run(max_nr_populations=1)
            ran += sampler.simulations_run
            failed += sampler.failed
            if sampler.failed:
                log(f"  warning: {sampler.failed} simulation(s) of generation {t} raised (their particles were "
                    "rejected; the tracebacks are above)")
            if sampler.capped:
                stop = f"the budget ran out within generation {t}, which is discarded"
                break
            done = generations(out)
            used = sum(g["simulations"] for g in done)
            bar.n = min(used, spec.budget)
            bar.refresh()
            g = done[-1]
            log(f"  generation {t}: epsilon {g['epsilon']:.3g}, {g['particles']} accepted of {g['simulations']} "
                f"({g['acceptance_rate']:.0%}) in {time.perf_counter() - g0:.0f} s; {used} of {spec.budget} used")
    except KeyboardInterrupt:
        interrupted = True
        executor.shutdown(wait=False)
    finally:
        bar.close()
    session["load_average"] += f" at the start, {load_average()} at the end"
    session.update(ended_utc=now_utc(), simulations_run=ran, simulations_failed=failed, wall_s=round(time.perf_counter() - t0, 1),
                   status="interrupted" if interrupted else "complete", stopped_because=stop)
    manifest["generations"] = done
    manifest["simulations_used"] = used
    if not interrupted and done:
        write_results(spec, out, manifest)
    _save(out, manifest)
    if interrupted:
        log(f"interrupted: {len(done)} generation(s) are saved in {out}; run the same command with --resume to go on")
    return Outcome(len(done), used, ran, stop, interrupted, time.perf_counter() - t0, out)


def final_population(out: Path) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, list[dict[str, float]]]:
    """The last generation: parameter names, values (particles x parameters), weights, distances and statistics."""
    particles = _history(out).get_population().particles
    names = list(particles[0].parameter)
    values = np.array([[p.parameter[n] for n in names] for p in particles], dtype=float)
    weights = np.array([p.weight for p in particles], dtype=float)
    distances = np.array([p.distance for p in particles], dtype=float)
    return names, values, weights, distances, [dict(p.sum_stat) for p in particles]


def write_results(spec: Spec, out: Path, manifest: dict[str, Any]) -> None:
    """posterior.csv, particles.csv, the posterior summary in the manifest, report.md and figures."""
    from experiments.calibration.report import write_report

    names, values, weights, distances, stats = final_population(out)
    order = [names.index(p.name) for p in spec.priors]
    names, values = [names[i] for i in order], values[:, order]
    weights = weights / weights.sum()
    atomic_write_text(out / POSTERIOR_FILE, posterior_csv(names, values, weights))
    keys = [t.key for t in spec.targets]
    lines = [",".join(["particle", "weight", "distance", *names, *keys, "seed"])]
    for i in range(len(weights)):
        cells = [str(i), repr(float(weights[i])), repr(float(distances[i])), *(repr(float(x)) for x in values[i]),
                 *(repr(float(stats[i].get(k, math.nan))) for k in keys), str(int(stats[i].get("_seed", -1)))]
        lines.append(",".join(cells))
    atomic_write_text(out / PARTICLES_FILE, "\n".join(lines) + "\n")
    manifest["posterior"] = {n: {"median": weighted_quantile(values[:, j], weights, 0.5),
                                 "low": weighted_quantile(values[:, j], weights, 0.025),
                                 "high": weighted_quantile(values[:, j], weights, 0.975)}
                             for j, n in enumerate(names)}
    manifest["finished_utc"] = now_utc()
    write_report(spec, out, manifest, names, values, weights, stats)
