"""The files of a sweep folder: where each run's results go, written atomically."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from experiments.infra.files import atomic_write_with

RUNS = "runs"  # each run's files, in SWEEP_DIR/runs/


def run_paths(out: Path, run_id: str) -> tuple[Path, Path, Path]:
    """(result json, series parquet, error json) of one run."""
    d = out / RUNS
    return d / f"{run_id}.json", d / f"{run_id}.series.parquet", d / f"{run_id}.error.json"


def atomic_write_parquet(path: Path, frame: pd.DataFrame) -> None:
    atomic_write_with(path, lambda tmp: frame.to_parquet(tmp, index=False))
