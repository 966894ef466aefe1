"""The sweep's two tables, assembled from its per-run files in plan order: runs and weekly series."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.experiment_file import Experiment
from experiments.simulate import atomic_write_text
from experiments.sweep import atomic_write_parquet, run_paths

ID_COLUMNS = ["run_id", "scenario", "point", "replication", "seed"]


def write_tables(exp: Experiment, out: Path, csv: bool = False) -> dict[str, list[dict[str, str]]]:
    """Write runs.parquet (one row per run: ids, design values, status, metrics) and series.parquet
    (one row per run and week); return the policy events of each scenario."""
    rows, series, events = [], [], {}
    factors = exp.design.names()
    for spec in exp.plan():
        result_path, series_path, error_path = run_paths(out, spec.run_id)
        row: dict[str, Any] = {"run_id": spec.run_id, "scenario": spec.scenario, "point": spec.point,
                               "replication": spec.replication, "seed": spec.seed}
        row.update({name: spec.overrides[name] for name in factors})
        if result_path.is_file():
            record = json.loads(result_path.read_text())
            row["status"] = "ok"
            row.update({m: record["summary"].get(m) for m in exp.metrics})
            frame = pd.read_parquet(series_path)
            frame.insert(0, "week", range(len(frame)))
            for i, col in enumerate(ID_COLUMNS[:4]):
                frame.insert(i, col, row[col])
            series.append(frame)
            events.setdefault(spec.scenario, [{"date": d, "event": n} for d, n in record["events"]])
        elif error_path.is_file():
            row["status"] = "failed"
            row.update({m: None for m in exp.metrics})
        else:
            continue
        rows.append(row)
    runs = pd.DataFrame(rows)
    for m in exp.metrics:
        if m in runs:
            runs[m] = runs[m].astype("float64")
    atomic_write_parquet(out / "runs.parquet", runs)
    if csv:
        atomic_write_text(out / "runs.csv", runs.to_csv(index=False, float_format="%.10g", lineterminator="\n"))
    table = pd.concat(series, ignore_index=True) if series else pd.DataFrame(columns=ID_COLUMNS[:4] + ["week"])
    atomic_write_parquet(out / "series.parquet", table)
    return events
