"""Where the project's folders are: the repository root, the docs, and the data beside the code."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
DATA = ROOT / "experiments" / "data"  # experiment files, scenarios, the calibration spec and the calibrated posterior
SCENARIOS = DATA / "scenarios"
