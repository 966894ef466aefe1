"""Tiny experiment files for sweep tests: small scale, a few months, seconds per sweep."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

TINY = """
description = "tiny"
scenarios = ["pre_tr", "tr"]
replications = {reps}
scale = "small"
end = "{end}"
root_seed = 11
series = ["under_supervision", "caseload_trust", "recalls", "police_probation_trust"]
[parameters]
"metrics.window_start" = "2011-01-01"
"policy.share_out_date" = "2011-03-01"
"policy.crc_sale_date" = "2011-04-01"
"policy.ora_date" = "2011-04-01"
"""


def write_experiment(folder: Path, text: str = "", *, reps: int = 2, end: str = "2011-06-30", name: str = "tiny") -> Path:
    path = folder / f"{name}.toml"
    path.write_text(text or TINY.format(reps=reps, end=end))
    return path


def tables(out: Path) -> tuple[bytes, bytes]:
    return (out / "runs.parquet").read_bytes(), (out / "series.parquet").read_bytes()


def runs(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out / "runs.parquet")
