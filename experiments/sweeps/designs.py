"""Designs over named parameters: none, full factorial grid, Latin hypercube, Sobol and Morris (SALib)."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from model.parameters import LEAVES, ParameterError

KINDS = ("none", "grid", "knockout", "lhs", "sobol", "morris")
SAMPLED = ("lhs", "sobol", "morris")
DESIGN_KEYS = {"kind", "factors", "samples", "levels", "second_order", "dummy"}
DUMMY = "dummy"


@dataclass
class Design:
    """A design kind, its factors and, for sampled designs, the raw sample matrix."""

    kind: str = "none"
    factors: dict[str, Any] = field(default_factory=dict)
    samples: int = 0
    levels: int = 4
    second_order: bool = False
    dummy: bool = False  # sample a factor that no parameter reads but that picks the runs' random numbers
    matrix: np.ndarray | None = None

    def names(self) -> list[str]:
        """The parameters the design sets."""
        return list(self.factors)

    def analysis_names(self) -> list[str]:
        """The sampled columns in matrix order: the parameters, then the dummy if there is one."""
        return self.names() + ([DUMMY] if self.dummy else [])

    def problem(self) -> dict[str, Any]:
        """The SALib problem dictionary (sampled designs), with the dummy factor on [0, 1] if asked for."""
        bounds = [[float(b["low"]), float(b["high"])] for b in self.factors.values()] + ([[0.0, 1.0]] if self.dummy else [])
        return {"num_vars": len(bounds), "names": self.analysis_names(), "bounds": bounds}

    def describe(self) -> dict[str, Any]:
        out = {"kind": self.kind, "factors": self.factors, "samples": self.samples, "levels": self.levels,
               "second_order": self.second_order}
        return out | ({"dummy": True} if self.dummy else {})

    def count(self) -> int:
        """How many points ``points`` gives, computed without making them."""
        d = len(self.analysis_names())
        if self.kind == "none":
            return 1
        if self.kind == "grid":
            return math.prod(len(v) for v in self.factors.values())
        if self.kind == "knockout":
            return len(self.factors) + 2
        if self.kind == "lhs":
            return self.samples
        if self.kind == "sobol":
            return self.samples * (2 * d + 2 if self.second_order else d + 2)
        return self.samples * (d + 1)

    def points(self, seed: int) -> list[dict[str, Any]]:
        """The parameter overrides of every design point, in a fixed order."""
        if self.kind == "none":
            return [{}]
        if self.kind == "grid":
            names = self.names()
            return [dict(zip(names, combo)) for combo in itertools.product(*self.factors.values())]
        if self.kind == "knockout":  # every factor at its second value; every one at its first; each one knocked out
            on = {f: v[1] for f, v in self.factors.items()}
            return [on, {f: v[0] for f, v in self.factors.items()}] + [{**on, f: v[0]} for f, v in self.factors.items()]
        self.matrix = self._sample(seed % 2**32)
        return [{name: _cast(name, x) for name, x in zip(self.names(), row)} for row in self.matrix]

    def frame(self, points: list[dict[str, Any]]):
        """The design's columns by point (parameters, and the dummy's sampled values) as a DataFrame."""
        import pandas as pd

        out = pd.DataFrame(points, columns=self.names())
        if self.dummy and self.matrix is not None:
            out[DUMMY] = self.matrix[: len(points), -1]
        return out

    def _sample(self, seed: int) -> np.ndarray:
        problem = self.problem()
        if self.kind == "lhs":
            from SALib.sample import latin

            return latin.sample(problem, self.samples, seed=seed)
        if self.kind == "sobol":
            from SALib.sample import sobol

            return sobol.sample(problem, self.samples, calc_second_order=self.second_order, seed=seed)
        from SALib.sample import morris

        return morris.sample(problem, self.samples, num_levels=self.levels, seed=seed)


def _cast(name: str, x: float) -> Any:
    return int(round(float(x))) if LEAVES[name][0] is int else float(x)


def parse(table: Any) -> Design:
    """A Design from the experiment file's [design] table; ParameterError on a bad one."""
    if not isinstance(table, dict):
        raise ParameterError("[design] must be a table")
    unknown = set(table) - DESIGN_KEYS
    if unknown:
        raise ParameterError(f"[design]: unknown key(s) {', '.join(sorted(unknown))} "
                             f"(allowed: {', '.join(sorted(DESIGN_KEYS))})")
    kind = table.get("kind", "grid" if table.get("factors") else "none")
    if kind not in KINDS:
        raise ParameterError(f"design.kind {kind!r} is not one of {', '.join(KINDS)}")
    factors = table.get("factors", {})
    if not isinstance(factors, dict):
        raise ParameterError("[design.factors] must be a table of parameter names")
    if kind == "none":
        if factors:
            raise ParameterError("design.kind 'none' takes no factors")
        return Design()
    if not factors:
        raise ParameterError(f"design.kind {kind!r} needs at least one factor in [design.factors]")
    for name, spec in factors.items():
        if name not in LEAVES:
            raise ParameterError(f"design factor {name!r} is not a parameter (see docs/parameters.md)")
        (_check_levels if kind in ("grid", "knockout") else _check_bounds)(name, spec)
        if kind == "knockout" and len(spec) != 2:
            raise ParameterError(f"design factor {name}: a knock-out design takes two values [off, on], got {spec!r}")
    samples = table.get("samples", 0)
    if kind in SAMPLED and (isinstance(samples, bool) or not isinstance(samples, int) or samples < 2):
        raise ParameterError(f"design.samples must be an integer >= 2 for a {kind} design, got {samples!r}")
    if kind == "sobol" and samples & (samples - 1):
        raise ParameterError(f"design.samples must be a power of two for a Sobol design, got {samples}")
    levels = table.get("levels", 4)
    if kind == "morris" and (isinstance(levels, bool) or not isinstance(levels, int) or levels < 2 or levels % 2):
        raise ParameterError(f"design.levels must be an even integer >= 2, got {levels!r}")
    if kind == "morris" and len(factors) + bool(table.get("dummy")) < 2:
        raise ParameterError("a Morris design needs at least two factors")
    dummy = table.get("dummy", False)
    if not isinstance(dummy, bool) or (dummy and kind not in SAMPLED):
        raise ParameterError(f"design.dummy is true or false, and only for a sampled design ({', '.join(SAMPLED)})")
    second_order = table.get("second_order", False)
    if not isinstance(second_order, bool):
        raise ParameterError(f"design.second_order must be true or false, got {second_order!r}")
    return Design(kind=kind, factors=dict(factors), samples=samples if kind in SAMPLED else 0, levels=levels,
                  second_order=second_order, dummy=dummy)


def _check_levels(name: str, values: Any) -> None:
    if not isinstance(values, list) or not values:
        raise ParameterError(f"grid factor {name}: give a non-empty list of values, e.g. [0.0, 0.1]")
    if len(set(map(repr, values))) != len(values):
        raise ParameterError(f"grid factor {name}: repeated values {values}")


def _check_bounds(name: str, spec: Any) -> None:
    if not isinstance(spec, dict) or set(spec) != {"low", "high"}:
        raise ParameterError(f"factor {name}: give bounds as {{ low = ..., high = ... }}")
    kind = LEAVES[name][0]
    if kind not in (int, float):
        raise ParameterError(f"factor {name}: only numeric parameters can be sampled, not {kind.__name__}")
    low, high = spec["low"], spec["high"]
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (low, high)) or not low < high:
        raise ParameterError(f"factor {name}: need numbers with low < high, got low={low!r} high={high!r}")
