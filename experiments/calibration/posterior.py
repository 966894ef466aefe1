"""A calibration's posterior: weighted parameter sets, their summaries, and the draws that carry parameter
uncertainty into experiments.

A posterior folder holds ``posterior.csv`` (one row per particle: ``weight`` and one column per calibrated
parameter) and ``manifest.json`` (how it was made). Replication k of a sweep or a validation uses draw
k // repeats, and draw j is the particle picked by a uniform that depends only on (root seed, j): the same draw
in every arm, independent of how many replications there are.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from experiments.infra.errors import UsageError
from experiments.infra.files import read_text_file, shown
from model.parameters import LEAVES, check_value

POSTERIOR_FILE = "posterior.csv"
MANIFEST_FILE = "manifest.json"
DRAW_STREAM = 0x706F7374  # "post": keeps the draws' random numbers apart from the runs' seeds


def weighted_quantile(values, weights, q: float) -> float:
    """The q-quantile of a weighted sample (linear between the midpoints of the sorted weights)."""
    x = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    cum = (np.cumsum(w) - 0.5 * w) / w.sum()
    return float(np.interp(q, cum, x))


@dataclass
class Posterior:
    """Particles (rows of ``values``, columns ``names``) with normalised ``weights``."""

    folder: Path
    names: list[str]
    values: np.ndarray
    weights: np.ndarray
    manifest: dict[str, Any]
    text: str

    def digest(self) -> str:
        """A hash of the particles and weights as stored (decides every draw)."""
        return hashlib.sha256(self.text.encode()).hexdigest()[:16]

    def label(self) -> str:
        made = self.manifest.get("finished_utc") or self.manifest.get("created_utc") or "undated"
        return f"{self.manifest.get('label', self.folder.name)} ({str(made)[:10]})"

    def summary(self) -> dict[str, dict[str, float]]:
        """Per parameter: weighted median, mean and 95% credible interval."""
        out = {}
        for j, name in enumerate(self.names):
            v = self.values[:, j]
            out[name] = {"median": weighted_quantile(v, self.weights, 0.5),
                         "mean": float(np.average(v, weights=self.weights)),
                         "low": weighted_quantile(v, self.weights, 0.025),
                         "high": weighted_quantile(v, self.weights, 0.975)}
        return out

    def particle(self, draw: int, root_seed: int) -> int:
        """The particle of draw ``draw``: picked with probability its weight by a uniform of (root seed, draw)."""
        u = np.random.default_rng(np.random.SeedSequence([root_seed, draw, DRAW_STREAM])).random()
        cum = np.cumsum(self.weights)
        return int(min(np.searchsorted(cum, u * cum[-1], side="right"), len(cum) - 1))

    def values_of(self, particle: int) -> dict[str, float]:
        return {name: float(self.values[particle, j]) for j, name in enumerate(self.names)}


def posterior_csv(names: list[str], values: np.ndarray, weights: np.ndarray) -> str:
    """The text of posterior.csv (full precision, so that a draw's values are exactly the particle's)."""
    lines = [",".join(["particle", "weight", *names])]
    for i in range(values.shape[0]):
        lines.append(",".join([str(i), repr(float(weights[i])), *(repr(float(x)) for x in values[i])]))
    return "\n".join(lines) + "\n"


def load(folder: Path | str) -> Posterior:
    """A posterior folder (a calibration's output, or a copy of its two files); UsageError if it is not one."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UsageError(f"--posterior {shown(folder)} is not a folder ({'not found' if not folder.exists() else 'a file'})")
    path = folder / POSTERIOR_FILE
    if not path.is_file():
        raise UsageError(f"--posterior {shown(folder)} holds no {POSTERIOR_FILE}: give a finished calibration's folder")
    text = read_text_file(path, "posterior")
    manifest_path = folder / MANIFEST_FILE
    manifest = {}
    if manifest_path.is_file():
        try:
            manifest = json.loads(read_text_file(manifest_path, "posterior manifest"))
        except json.JSONDecodeError as exc:
            raise UsageError(f"{shown(manifest_path)} is damaged (not JSON: {exc.msg})") from None
    return parse(text, folder, manifest if isinstance(manifest, dict) else {})


def parse(text: str, folder: Path, manifest: dict[str, Any]) -> Posterior:
    """Posterior from the text of posterior.csv; UsageError naming the problem."""
    where = f"posterior {shown(folder / POSTERIOR_FILE)}"
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) < 2:
        raise UsageError(f"{where} holds no particles")
    head = lines[0].split(",")
    if head[:2] != ["particle", "weight"] or len(head) < 3:
        raise UsageError(f"{where}: expected a header 'particle,weight,<parameter>,...', got {lines[0][:80]!r}")
    names = head[2:]
    for name in names:
        if name not in LEAVES or LEAVES[name][0] is not float:
            raise UsageError(f"{where}: {name!r} is not a real-valued parameter of the model")
    if len(set(names)) != len(names):
        raise UsageError(f"{where}: a parameter is given twice")
    rows = []
    for k, line in enumerate(lines[1:], start=2):
        cells = line.split(",")
        try:
            numbers = [float(c) for c in cells]
        except ValueError:
            raise UsageError(f"{where}, line {k}: not numbers") from None
        if len(numbers) != len(head) or not all(math.isfinite(x) for x in numbers):
            raise UsageError(f"{where}, line {k}: expected {len(head)} finite numbers")
        rows.append(numbers)
    table = np.array(rows, dtype=float)
    weights = table[:, 1]
    if (weights < 0).any() or weights.sum() <= 0:
        raise UsageError(f"{where}: weights must be non-negative with a positive sum")
    values = table[:, 2:]
    for j, name in enumerate(names):
        for x in (values[:, j].min(), values[:, j].max()):
            try:
                check_value(name, float(x))
            except Exception as exc:  # noqa: BLE001 - ParameterError: said as a posterior problem
                raise UsageError(f"{where}: {exc}") from None
    return Posterior(folder=folder, names=names, values=values, weights=weights / weights.sum(),
                     manifest=manifest, text=text)
