"""A calibration's specification (TOML): the world simulated, the free parameters with their priors, and the
targets with their published ranges; validated before anything runs.

The default specification is ``experiments/data/calibration.toml``; docs/calibration.md explains its choices.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from experiments import scenarios, simulate
from experiments.calibration.statistics import KNOWN_METRICS
from experiments.infra.files import parse_toml_table, read_text_file
from experiments.infra.paths import DATA
from model.engine.calendar import Calendar
from model.parameters import LEAVES, ParameterError
from model.week.cases import COHORT_WEEKS
from model.world import geography

DEFAULT_SPEC = DATA / "calibration.toml"
TOP_KEYS = {"description", "scenario", "scale", "start", "end", "window_start", "window_end", "budget",
            "population", "quantile", "prior_share", "root_seed", "fixed", "priors", "targets"}
PRIOR_KEYS = {"low", "high", "kind", "why"}
TARGET_KEYS = {"metric", "value", "low", "high", "national", "row", "range", "source"}
PRIOR_KINDS = ("uniform", "loguniform")
MAX_BUDGET = 1_000_000
COHORT_METRICS = ("reoffending_rate", "reoffences_per_reoffender")  # need 52 weeks after the window to close
MISSING_Z = 100.0  # the scaled distance of a statistic the run could not compute (no cohort, say)


@dataclass(frozen=True)
class Prior:
    """A free parameter's prior: uniform (or log-uniform) between ``low`` and ``high``; why, in words."""

    name: str
    low: float
    high: float
    kind: str = "uniform"
    why: str = ""

    def describe(self) -> str:
        return f"{'log-' if self.kind == 'loguniform' else ''}uniform({self.low:g}, {self.high:g})"


@dataclass(frozen=True)
class Target:
    """A published figure the model should reproduce: its value and range, and the metric that expresses it
    (``national``: a count at the simulated scale, multiplied by the scale's national factor)."""

    key: str
    metric: str
    value: float
    low: float
    high: float
    national: bool = False
    row: str = ""
    range: str = ""
    source: str = ""

    def z(self, x: float | None) -> float:
        """How far ``x`` is from the value, in units of the published range on the side it falls (so that the
        range's ends are at -1 and +1); MISSING_Z if the run could not compute it."""
        if x is None or not math.isfinite(x):
            return MISSING_Z
        return (x - self.value) / ((self.high - self.value) if x >= self.value else (self.value - self.low))


@dataclass
class Spec:
    """A validated calibration specification."""

    path: Path
    text: str
    description: str
    scenario: str
    scale: str
    start: str
    end: str
    window_start: str
    window_end: str
    budget: int
    population: int
    quantile: float
    prior_share: float
    root_seed: int
    fixed: dict[str, Any]
    priors: list[Prior]
    targets: list[Target]
    national_factor: float = field(default=1.0)

    def names(self) -> list[str]:
        return [p.name for p in self.priors]

    def settings(self) -> dict[str, Any]:
        """What decides every generation's results (the budget only decides when to stop)."""
        return {"scenario": self.scenario, "scale": self.scale, "start": self.start, "end": self.end,
                "window_start": self.window_start, "window_end": self.window_end, "population": self.population,
                "quantile": self.quantile, "prior_share": self.prior_share, "root_seed": self.root_seed,
                "fixed": self.fixed,
                "priors": [asdict(p) for p in self.priors], "targets": [asdict(t) for t in self.targets],
                "scenario_parameters": scenarios.load(self.scenario)["parameters"]}

    def digest(self) -> str:
        blob = json.dumps(self.settings(), sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()[:16]

    def parameters(self, values: dict[str, float], seed: int):
        """The run's parameter tree for these free-parameter values and seed."""
        overrides = {**self.fixed, **values, "metrics.window_start": self.window_start,
                     "metrics.window_end": self.window_end}
        return simulate.build_parameters(self.scenario, overrides, scale=self.scale, seed=seed, start=self.start,
                                         end=self.end)


def _fail(path: Path, message: str):
    raise ParameterError(f"calibration spec {path.name}: {message}")


def _number(path: Path, where: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        _fail(path, f"{where} must be a finite number, got {value!r}")
    return float(value)


def _int(path: Path, where: str, value: Any, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        _fail(path, f"{where} must be an integer in [{lo}, {hi}], got {value!r}")
    return value


def _date(path: Path, where: str, value: Any) -> str:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        _fail(path, f"{where} must be a date YYYY-MM-DD, got {value!r}")


def _text(path: Path, where: str, value: Any) -> str:
    if not isinstance(value, str):
        _fail(path, f"{where} must be text, got {value!r}")
    return value


def _parameter_name(path: Path, where: str, name: str) -> None:
    if name not in LEAVES:
        close = difflib.get_close_matches(name, list(LEAVES), n=1, cutoff=0.5)
        _fail(path, f"{where}: unknown parameter {name!r}" + (f"; did you mean {close[0]}?" if close else ""))
    if name.startswith("run.") and name not in ("run.burn_in_years", "run.settle_weeks"):
        _fail(path, f"{where}: {name} is set by the spec's scale, start, end and seeds, not as a parameter")


def _prior(path: Path, name: str, table: Any) -> Prior:
    where = f"priors.{name!r}"
    if not isinstance(table, dict) or set(table) - PRIOR_KEYS or not {"low", "high"} <= set(table):
        _fail(path, f"{where} must be a table with low and high (and optionally kind, why)")
    _parameter_name(path, where, name)
    kind_of = LEAVES[name][0]
    if kind_of is not float:
        _fail(path, f"{where}: {name} is not a real-valued parameter ({kind_of.__name__}); only those can be calibrated")
    low, high = _number(path, f"{where}.low", table["low"]), _number(path, f"{where}.high", table["high"])
    kind = table.get("kind", "uniform")
    if kind not in PRIOR_KINDS:
        _fail(path, f"{where}.kind must be one of {', '.join(PRIOR_KINDS)}, got {kind!r}")
    if not low < high:
        _fail(path, f"{where}: low {low:g} must be below high {high:g}")
    if kind == "loguniform" and low <= 0:
        _fail(path, f"{where}: a log-uniform prior needs low > 0, got {low:g}")
    meta = LEAVES[name][1].metadata
    if (meta["lo"] is not None and low < meta["lo"]) or (meta["hi"] is not None and high > meta["hi"]):
        _fail(path, f"{where}: [{low:g}, {high:g}] reaches outside the parameter's bounds [{meta['lo']}, {meta['hi']}]")
    return Prior(name, low, high, kind, _text(path, f"{where}.why", table.get("why", "")))


def _target(path: Path, key: str, table: Any) -> Target:
    where = f"targets.{key}"
    if not isinstance(table, dict) or set(table) - TARGET_KEYS or not {"value", "low", "high"} <= set(table):
        _fail(path, f"{where} must be a table with value, low and high (and optionally metric, national, row, "
                    "range, source)")
    metric = _text(path, f"{where}.metric", table.get("metric", key))
    if metric not in KNOWN_METRICS:
        close = difflib.get_close_matches(metric, list(KNOWN_METRICS), n=1)
        _fail(path, f"{where}: unknown metric {metric!r}" + (f"; did you mean {close[0]}?" if close else ""))
    value, low, high = (_number(path, f"{where}.{k}", table[k]) for k in ("value", "low", "high"))
    if not low < value < high:
        _fail(path, f"{where}: expected low < value < high, got {low:g}, {value:g}, {high:g}")
    national = table.get("national", False)
    if not isinstance(national, bool):
        _fail(path, f"{where}.national must be true or false")
    texts = {k: _text(path, f"{where}.{k}", table.get(k, "")) for k in ("row", "range", "source")}
    return Target(key, metric, value, low, high, national, **texts)


def load(path: Path | str = DEFAULT_SPEC, *, scale: str | None = None, budget: int | None = None,
         population: int | None = None, text: str | None = None) -> Spec:
    """Read and validate a specification (options override the file); ParameterError on any problem. Every
    corner of the prior box is built as a parameter tree, so a rule across parameters that some prior values
    would break is found now, not in a worker."""
    path = Path(path)
    text = read_text_file(path, "calibration spec") if text is None else text
    data = parse_toml_table(text, path, "calibration spec", TOP_KEYS)
    scenario = _text(path, "scenario", data.get("scenario", "pre_tr"))
    try:
        scenarios.load(scenario)
    except ParameterError as exc:
        _fail(path, str(exc))
    scale = scale or _text(path, "scale", data.get("scale", "regional"))
    if scale not in geography.SCALES:
        _fail(path, f"scale {scale!r} is not one of {', '.join(geography.SCALES)}")
    dates = {k: _date(path, k, data.get(k, d)) for k, d in (("start", "2011-01-01"), ("end", "2012-12-31"),
                                                           ("window_start", "2011-01-01"),
                                                           ("window_end", "2012-01-01"))}
    budget = _int(path, "budget", budget if budget is not None else data.get("budget", 2000), 1, MAX_BUDGET)
    population = _int(path, "population", population if population is not None else data.get("population", 150),
                      2, MAX_BUDGET)
    quantile = _number(path, "quantile", data.get("quantile", 0.5))
    if not 0 < quantile < 1:
        _fail(path, f"quantile must be between 0 and 1, got {quantile:g}")
    prior_share = _number(path, "prior_share", data.get("prior_share", 0.2))
    if not 0 <= prior_share < 1:
        _fail(path, f"prior_share must be at least 0 and below 1, got {prior_share:g}")
    root_seed = _int(path, "root_seed", data.get("root_seed", 1), 0, 2**63 - 1)
    fixed = data.get("fixed", {})
    if not isinstance(fixed, dict):
        _fail(path, "[fixed] must be a table of dotted parameter names")
    fixed = scenarios.flatten(fixed, f"calibration spec {path.name}: [fixed]")
    for name in fixed:
        _parameter_name(path, "[fixed]", name)
    fixed = scenarios.check_overrides(fixed, f"calibration spec {path.name}: [fixed]")
    priors_table = data.get("priors", {})
    if not isinstance(priors_table, dict) or not priors_table:
        _fail(path, "needs a [priors] table with at least one free parameter")
    priors = [_prior(path, name, table) for name, table in priors_table.items()]
    both = sorted(set(fixed) & {p.name for p in priors})
    if both:
        _fail(path, f"{both[0]} is both fixed and free; keep one")
    targets_table = data.get("targets", {})
    if not isinstance(targets_table, dict) or not targets_table:
        _fail(path, "needs a [targets] table with at least one target")
    targets = [_target(path, key, table) for key, table in targets_table.items()]
    spec = Spec(path=path, text=text, description=_text(path, "description", data.get("description", "")),
                scenario=scenario, scale=scale, budget=budget, population=population, quantile=quantile,
                prior_share=prior_share,
                root_seed=root_seed, fixed=fixed, priors=priors, targets=targets, **dates)
    _check_runs(spec)
    from experiments.sweeps.data import national_factor

    spec.national_factor = national_factor(spec.scale, spec.parameters({}, 0).population.national_supervised)[0]
    return spec


def _check_runs(spec: Spec) -> None:
    """Build the parameters at the prior box's centre and at its two extreme corners, and check the window."""
    corners = {"lowest": {p.name: p.low for p in spec.priors}, "highest": {p.name: p.high for p in spec.priors},
               "centre": {p.name: (p.low + p.high) / 2 for p in spec.priors}}
    for label, values in corners.items():
        try:
            params = spec.parameters(values, 0)
        except ParameterError as exc:
            _fail(spec.path, f"with every free parameter at its {label} prior value: {exc}")
    day_after = (dt.date.fromisoformat(spec.end) + dt.timedelta(days=1)).isoformat()
    if not spec.start <= spec.window_start < spec.window_end <= day_after:
        _fail(spec.path, f"expected start <= window_start < window_end <= the day after end, got {spec.start}, "
                         f"{spec.window_start}, {spec.window_end}, {spec.end}")
    if not any(t.metric.startswith(COHORT_METRICS) for t in spec.targets):
        return
    cal = Calendar(params.start_date, params.end_date)
    closed_by = cal.n_weeks - COHORT_WEEKS  # cohorts starting before this week have closed by the end
    if cal.week_of(dt.date.fromisoformat(spec.window_end)) > closed_by:
        _fail(spec.path, f"end {spec.end} is too early: reoffending cohorts starting before window_end "
                         f"{spec.window_end} close 52 weeks later, so end on or after "
                         f"{cal.date_of(cal.week_of(dt.date.fromisoformat(spec.window_end)) + COHORT_WEEKS - 1)}")
