"""Growing a sweep in place: more replications, design points or scenarios, every run already made kept.

A run is identified by its scenario, design point index and replication, and replication k's seed does not
depend on how many there are; so a larger sweep whose runs include the folder's runs unchanged (same
scenario, same point values at the same index, same seed) can reuse them. What may grow:
- ``replications``;
- the design's points: a grid's value lists (old points keep their indices, new ones come after), a Sobol or
  Morris design's ``samples`` (SALib's samples for N are the first rows of those for 2N). A Latin hypercube
  cannot grow: a larger one is a different set of points;
- ``scenarios`` (the baseline stays).
Everything else must match. ``prepare`` rewrites the folder's manifest (and its copy of the experiment file)
for the larger sweep; the sweep runner then finds the old runs finished and runs only the new ones.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from experiments.simulate import atomic_write_text, clean_json
from experiments.sweeps.experiment_file import Experiment
from experiments.sweeps.sweep import load_manifest, now_utc

FIXED = ("baseline", "scale", "start", "end", "root_seed", "metrics", "series", "parameters")
DESIGN_FIXED = ("kind", "levels", "second_order")


def _norm(value: Any) -> Any:
    """JSON round trip, as the manifest stores it (tuples to lists, numpy scalars to Python)."""
    return json.loads(json.dumps(clean_json(value), default=str))


def align_points(exp: Experiment, old_points: list[dict[str, Any]]) -> bool:
    """Reorder ``exp.points`` so each of ``old_points`` keeps its index (a grid's new points follow); False if
    ``exp`` does not contain them all where its design kind allows. Sampled designs are never reordered."""
    new = [_norm(p) for p in exp.points]
    old = [_norm(p) for p in old_points]
    if new[: len(old)] == old:
        return True
    if exp.design.kind != "grid" or any(p not in new for p in old):
        return False
    order = [new.index(p) for p in old] + [i for i, p in enumerate(new) if p not in old]
    exp.points = [exp.points[i] for i in order]
    return True


def _design_grows(old: dict[str, Any], new: dict[str, Any]) -> bool:
    if any(old.get(k) != new.get(k) for k in DESIGN_FIXED) or old.get("dummy", False) != new.get("dummy", False):
        return False
    if list(old["factors"]) != list(new["factors"]):
        return False
    if new["kind"] == "grid":
        return all(all(v in new["factors"][f] for v in values) for f, values in old["factors"].items())
    if old["factors"] != new["factors"]:
        return False
    return new["samples"] == old["samples"] or (new["kind"] in ("sobol", "morris") and new["samples"] > old["samples"])


def extends(exp: Experiment, settings: dict[str, Any]) -> bool:
    """Whether ``exp`` is the sweep described by ``settings`` grown (points of ``exp`` aligned as a side effect)."""
    new = _norm(exp.settings())
    old = _norm(settings)
    if any(old.get(k) != new.get(k) for k in FIXED):
        return False
    if new["replications"] < old["replications"] or any(s not in new["scenarios"] for s in old["scenarios"]):
        return False
    if not _design_grows(old["design"], new["design"]):
        return False
    return align_points(exp, old["points"])


def prepare(exp: Experiment, out: Path) -> str | None:
    """If ``out`` holds a smaller sweep that ``exp`` grows, make the folder ``exp``'s sweep and say what was
    added; None if there is nothing to do (a new folder, the same sweep, or one that ``exp`` does not grow:
    the runner then reports the difference)."""
    manifest = load_manifest(out)
    if manifest is None or "settings" not in manifest:
        return None
    old = manifest["settings"]
    if not extends(exp, old) or manifest.get("digest") == exp.digest():
        return None
    runs_before = manifest.get("runs_total")
    change = {"utc": now_utc(), "replications": [old["replications"], exp.replications],
              "points": [len(old["points"]), len(exp.points)], "scenarios": [old["scenarios"], exp.scenarios],
              "runs": [runs_before, len(exp.plan())]}
    manifest.update(settings=exp.settings(), digest=exp.digest(), runs_total=len(exp.plan()),
                    description=exp.description)
    manifest.setdefault("extensions", []).append(change)
    atomic_write_text(out / "experiment.toml", exp.text)
    atomic_write_text(out / "manifest.json", json.dumps(clean_json(manifest), indent=2, default=str) + "\n")
    parts = [f"{k} {change[k][0]} -> {change[k][1]}" for k in ("replications", "points") if change[k][0] != change[k][1]]
    if old["scenarios"] != exp.scenarios:
        parts.append(f"scenarios + {', '.join(s for s in exp.scenarios if s not in old['scenarios'])}")
    return f"extending the sweep in {out}: {'; '.join(parts)} ({runs_before} -> {len(exp.plan())} runs; finished runs kept)"
