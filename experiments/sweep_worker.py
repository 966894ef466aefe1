"""The function a sweep executor runs: one RunSpec in, its results (or its traceback) out."""

from __future__ import annotations

import time
import traceback
from typing import Any

from experiments import simulate
from experiments.experiment_file import RunSpec


def execute_run(spec: RunSpec) -> dict[str, Any]:
    """Simulate one run; never raises, so that one failure cannot stop a sweep."""
    t0 = time.perf_counter()
    try:
        params = simulate.build_parameters(spec.scenario, spec.overrides, scale=spec.scale, seed=spec.seed,
                                           start=spec.start, end=spec.end)
        result = simulate.run(spec.scenario, params)
    except Exception as exc:  # noqa: BLE001 - recorded with its traceback, the sweep goes on
        return {"run_id": spec.run_id, "ok": False, "error": f"{type(exc).__name__}: {exc}",
                "traceback": traceback.format_exc(), "wall_s": time.perf_counter() - t0}
    frame = result.timeseries[["date", *spec.series]]
    return {"run_id": spec.run_id, "ok": True, "summary": result.summary, "events": result.events,
            "series": {col: frame[col].tolist() for col in frame.columns},
            "versions": result.manifest["versions"], "wall_s": time.perf_counter() - t0}
