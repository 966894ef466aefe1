"""pyabc's sampler on the sweeps' executors (in-process, local processes, dask), deterministic given a seed.

Each job of a generation has an id (0, 1, 2, ...) and numpy's global generator in its worker is seeded from
(root seed, generation, id), so a job's particle (the parameter pyabc proposes, the run's seed, its
statistics and whether it is accepted) depends on that alone. A generation is the jobs 0..j, where j is the
job whose acceptance is the n-th counting by id - as pyabc's own futures sampler chooses - however the jobs
were spread over workers and whenever they finished. Jobs past j that were already running are discarded.
"""

from __future__ import annotations

import hashlib
import random
import traceback
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, CancelledError, Future, wait
from dataclasses import dataclass
from typing import Any

import cloudpickle
import numpy as np
from pyabc.sampler import Sampler

MAX_ATTEMPTS = 3  # infrastructure failures of one job before the calibration stops
_cache: dict[bytes, Callable] = {}


@dataclass(frozen=True)
class JobFailure:
    """A simulation that raised: the model failed at the parameters it was given (not the machine)."""

    error: str
    traceback: str


def job_seed(root_seed: int, generation: int, job: int) -> np.ndarray:
    """The words that seed numpy's global generator for one job."""
    return np.random.SeedSequence([root_seed, generation, job]).generate_state(4)


def run_job(payload: bytes, seed: np.ndarray) -> Any:
    """In a worker: pyabc's ``simulate_one`` (pickled) under the job's seed; a JobFailure if the model raised."""
    key = hashlib.sha256(payload).digest()
    if key not in _cache:
        _cache.clear()
        _cache[key] = cloudpickle.loads(payload)
    np.random.seed(seed)
    random.seed(int(seed[0]))
    try:
        return _cache[key]()
    except Exception as exc:  # noqa: BLE001 - sent back whole: the calibration stops and says why
        return JobFailure(f"{type(exc).__name__}: {exc}", traceback.format_exc())


class ModelFailure(RuntimeError):
    """A simulation raised inside the prior's range: the calibration stops (a model problem to fix)."""


class ExecutorSampler(Sampler):
    """Samples a generation on a SweepExecutor (``experiments.executors``), at most ``max_jobs`` simulations;
    if they bring fewer than n acceptances the sample is marked not ok (pyabc then stops)."""

    def __init__(self, executor, root_seed: int, max_jobs: float = np.inf,
                 progress: Callable[[int], None] | None = None) -> None:
        super().__init__()
        self.executor = executor
        self.root_seed = int(root_seed)
        self.max_jobs = max_jobs
        self.progress = progress or (lambda k: None)
        self.simulations_run = 0  # every simulation that ran, those discarded past the n-th acceptance included
        self.failed = 0  # simulations whose model raised (rejected, their statistics missing)
        self.capped = False

    def sample_until_n_accepted(self, n, simulate_one, t, *, max_eval=np.inf, all_accepted=False, ana_vars=None):
        payload = cloudpickle.dumps(simulate_one)
        cap = min(self.max_jobs, max_eval)
        results: dict[int, Any] = {}
        pending: dict[Future, int] = {}
        attempts: dict[int, int] = {}
        queue: list[int] = []
        next_id, accepted, last = 0, 0, None

        def submit(job: int) -> None:
            pending[self.executor.submit(run_job, payload, job_seed(self.root_seed, t, job))] = job

        try:
            while last is None:
                while len(pending) < self.executor.window and (queue or (accepted < n and next_id < cap)):
                    if queue:
                        submit(queue.pop(0))
                    else:
                        submit(next_id)
                        next_id += 1
                if not pending:
                    break  # the cap is reached with fewer than n acceptances
                done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
                broken = None
                for future in done:
                    job = pending.pop(future)
                    try:
                        particle = future.result()
                    except (CancelledError, Exception) as exc:  # noqa: BLE001 - the infrastructure's, not the model's
                        attempts[job] = attempts.get(job, 0) + 1
                        if attempts[job] >= MAX_ATTEMPTS:
                            raise RuntimeError(f"simulation {t}/{job} was lost {MAX_ATTEMPTS} times "
                                               f"({type(exc).__name__}: {exc})") from exc
                        queue.append(job)
                        broken = broken or (exc if isinstance(exc, BrokenExecutor) else None)
                        continue
                    if isinstance(particle, JobFailure):
                        raise ModelFailure(f"sampling a particle raised {particle.error}\n{particle.traceback}")
                    results[job] = particle
                    self.failed += int(particle.sum_stat.get("_failed", 0) > 0)
                    accepted += bool(particle.accepted)
                    self.simulations_run += 1
                    self.progress(1)
                if broken is not None:
                    for future, job in list(pending.items()):
                        future.cancel()
                        queue.append(job)
                    pending.clear()
                    self.executor.restart()
                last = _nth_accepted(results, n)
        finally:
            for future in pending:
                if not future.cancel():
                    self.simulations_run += 1  # running: it will finish, unused
        sample = self._create_empty_sample()
        if last is None:
            self.capped = True
            sample.ok = False
            self.nr_evaluations_ = len(results)
            return sample
        for job in range(last + 1):
            sample.append(results[job])
        self.nr_evaluations_ = last + 1
        return sample


def _nth_accepted(results: dict[int, Any], n: int) -> int | None:
    """The id of the job whose acceptance is the n-th counting by id, once every job before it has finished."""
    count, job = 0, 0
    while job in results:
        count += bool(results[job].accepted)
        if count == n:
            return job
        job += 1
    return None
