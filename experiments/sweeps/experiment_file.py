"""Experiment files (TOML): scenarios x design points x replications, validated before anything runs."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from experiments import scenarios, simulate
from experiments.calibration.posterior import Posterior
from experiments.infra.files import parse_toml_table, read_text_file
from experiments.sweeps import custom_metrics, designs
from model.parameters import LEAVES, ParameterError
from model.recording.metrics import SERIES, SUMMARY_METRICS
from model.world import geography

TOP_KEYS = {"description", "scenarios", "baseline", "replications", "scale", "start", "end", "root_seed",
            "metrics", "series", "parameters", "design", "report", "custom_metrics"}
REPORT_KEYS = {"key_metrics", "series", "baseline_point"}
SCALES = tuple(geography.SCALES)
MAX_POINTS = 100_000  # design points: more would take longer to check than anyone would wait
MAX_RUNS = 1_000_000  # runs in one sweep (a million small runs is weeks of one core)
SET_BY_KEY = {"run.seed": "root_seed and the replication", "run.scale": "scale", "run.start": "start", "run.end": "end"}


@dataclass(frozen=True)
class RunSpec:
    """One run of a sweep: an arm (scenario, design point) and a replication with its seed."""

    run_id: str
    scenario: str
    point: int
    replication: int
    seed: int
    overrides: dict[str, Any]
    scale: str
    start: str | None
    end: str | None
    series: tuple[str, ...]
    draw: int | None = None  # with a posterior: the draw this replication uses (the same in every arm)
    particle: int | None = None  # ... and the posterior's particle that draw picked


@dataclass
class Experiment:
    """A validated experiment file with any command-line overrides applied."""

    name: str
    path: Path
    text: str
    description: str
    scenarios: list[str]
    baseline: str
    replications: int
    scale: str
    start: str | None
    end: str | None
    root_seed: int
    metrics: list[str]
    series: list[str]
    parameters: dict[str, Any]
    design: designs.Design
    key_metrics: list[str]
    report_series: list[str]
    baseline_point: int = 0
    points: list[dict[str, Any]] = field(default_factory=list)
    custom: dict[str, custom_metrics.CustomMetric] = field(default_factory=dict)
    posterior: Posterior | None = None  # a calibration's posterior: one draw per replication
    posterior_repeats: int = 1  # replications that share a draw (k // repeats), so chance can be told apart

    def all_metrics(self) -> list[str]:
        """The model metrics kept, then the file's own (custom) metrics."""
        return self.metrics + list(self.custom)

    def seeds(self) -> list[int]:
        """Replication k's seed, the same in every arm (common random numbers)."""
        return replication_seeds(self.root_seed, self.replications)

    def plan(self) -> list[RunSpec]:
        """Every run, replication-major so that early results already cover every arm. With a dummy factor
        the run's seed also depends on the dummy's value (it stands for the random numbers). With a posterior,
        replication k's runs take draw k // posterior_repeats's parameter values, under the scenario's, the
        file's [parameters] and the design point's own (which decide where they set the same parameter)."""
        out = []
        dummy = self.design.frame(self.points)[designs.DUMMY].tolist() if self.design.dummy else None
        fixed_by = {s: set(scenarios.load(s)["parameters"]) for s in self.scenarios} if self.posterior else {}
        for k, seed in enumerate(self.seeds()):
            draw = particle = None
            drawn: dict[str, Any] = {}
            if self.posterior is not None:
                draw = k // self.posterior_repeats
                particle = self.posterior.particle(draw, self.root_seed)
                drawn = self.posterior.values_of(particle)
            for scenario in self.scenarios:
                base = {n: v for n, v in drawn.items() if n not in fixed_by.get(scenario, ())}
                for i, point in enumerate(self.points):
                    run_seed = seed if dummy is None else dummy_seed(seed, dummy[i])
                    out.append(RunSpec(run_id=f"{scenario}-p{i:03d}-r{k:03d}", scenario=scenario, point=i,
                                       replication=k, seed=run_seed, overrides={**base, **self.parameters, **point},
                                       scale=self.scale, start=self.start, end=self.end, series=tuple(self.series),
                                       draw=draw, particle=particle))
        return out

    def settings(self) -> dict[str, Any]:
        """Everything that decides the runs' results (stored in the manifest, hashed for resume)."""
        out = {"scenarios": self.scenarios, "baseline": self.baseline, "replications": self.replications,
               "scale": self.scale, "start": self.start, "end": self.end, "root_seed": self.root_seed,
               "metrics": self.metrics, "series": self.series, "parameters": self.parameters,
               "design": self.design.describe(), "points": self.points}
        if self.posterior is not None:
            out["posterior"] = {"digest": self.posterior.digest(), "parameters": self.posterior.names,
                                "particles": len(self.posterior.weights), "repeats": self.posterior_repeats}
        return out

    def digest(self) -> str:
        blob = json.dumps(self.settings(), sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()[:16]


def replication_seeds(root_seed: int, n: int) -> list[int]:
    """n run seeds spawned from one root SeedSequence; seed k does not depend on n."""
    children = np.random.SeedSequence(root_seed).spawn(n)
    return [int(c.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1)) for c in children]


def dummy_seed(seed: int, value: float) -> int:
    """The seed of a run whose dummy factor has this value: the same value gives the same seed (so the other
    factors' effects are still paired), another value an independent one (so the dummy's effect is what a
    change of random numbers alone does: the noise floor)."""
    child = np.random.SeedSequence([seed, int(round(float(value) * 2**52))])
    return int(child.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


def _fail(path: Path, message: str) -> None:
    raise ParameterError(f"experiment {path.name}: {message}")


def _check_names(path: Path, what: str, given: list, known: tuple | list) -> list[str]:
    if not isinstance(given, list) or not all(isinstance(x, str) for x in given):
        _fail(path, f"{what} must be a list of names")
    for name in given:
        if name not in known:
            close = difflib.get_close_matches(name, list(known), n=1)
            _fail(path, f"{what}: unknown {name!r}" + (f"; did you mean {close[0]}?" if close else ""))
    return list(given)


def _int(path: Path, key: str, value: Any, lo: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < lo:
        _fail(path, f"{key} must be an integer >= {lo}, got {value!r}")
    return value


def load(path: Path | str, *, replications: int | None = None, scale: str | None = None,
         end: str | None = None, samples: int | None = None, text: str | None = None,
         posterior: Posterior | None = None, posterior_repeats: int | None = None) -> Experiment:
    """Read, apply overrides and validate an experiment file (or ``text`` under that name); ParameterError on
    any problem. ``samples`` overrides [design] samples of a sampled design; ``posterior`` carries a
    calibration's parameter uncertainty into the runs (one draw per ``posterior_repeats`` replications; by
    default 2, or 1 with a single replication)."""
    path = Path(path)
    if text is None:
        text = read_text_file(path, "experiment file")
    data = parse_toml_table(text, path, "experiment", TOP_KEYS)
    if not isinstance(data.get("description", ""), str):
        _fail(path, "description must be text")
    for key in ("start", "end"):
        if key in data and not isinstance(data[key], (str, dt.date)) or isinstance(data.get(key), dt.datetime):
            _fail(path, f"{key} must be a date YYYY-MM-DD, got {data[key]!r}")
    if "scenarios" not in data:
        _fail(path, "needs scenarios = [...]")
    names = _check_names(path, "scenarios", data["scenarios"], scenarios.names())
    if not names or len(set(names)) != len(names):
        _fail(path, "scenarios must be a non-empty list without repeats")
    baseline = data.get("baseline", names[0])
    if baseline not in names:
        _fail(path, f"baseline {baseline!r} is not one of the scenarios {names}")
    reps = _int(path, "replications", replications if replications is not None else data.get("replications", 1), 1)
    scale = scale or data.get("scale", "small")
    if scale not in SCALES:
        _fail(path, f"scale {scale!r} is not one of {', '.join(SCALES)}")
    root_seed = _int(path, "root_seed", data.get("root_seed", 1), 0)
    metrics = _check_names(path, "metrics", data.get("metrics", list(SUMMARY_METRICS)), SUMMARY_METRICS)
    series = _check_names(path, "series", data.get("series", list(SERIES)), SERIES)
    fixed = data.get("parameters", {})
    if not isinstance(fixed, dict):
        _fail(path, "[parameters] must be a table of dotted names")
    fixed = scenarios.flatten(fixed, f"experiment {path.name}: [parameters]")
    report = data.get("report", {})
    if not isinstance(report, dict) or set(report) - REPORT_KEYS:
        _fail(path, f"[report] may hold only {', '.join(sorted(REPORT_KEYS))}")
    try:
        custom = custom_metrics.parse(data.get("custom_metrics", {}))
    except ParameterError as exc:
        _fail(path, str(exc))
    series += [s for s in custom_metrics.series_needed(custom) if s not in series]
    key_metrics = _check_names(path, "report.key_metrics", report.get("key_metrics", metrics[:8]),
                               metrics + list(custom))
    report_series = _check_names(path, "report.series", report.get("series", series[:6]), series)
    design_table = data.get("design", {})
    if samples is not None:
        if not isinstance(design_table, dict) or design_table.get("kind") not in designs.SAMPLED:
            _fail(path, f"--samples applies to a sampled design ({', '.join(designs.SAMPLED)}), not this one")
        design_table = {**design_table, "samples": samples}
    try:
        design = designs.parse(design_table)
    except ParameterError as exc:
        _fail(path, str(exc))
    _check_size(path, design, len(names), reps)
    try:
        points = design.points(root_seed)
    except ParameterError as exc:
        _fail(path, str(exc))
    baseline_point = _int(path, "report.baseline_point", report.get("baseline_point", 0), 0)
    if baseline_point >= len(points):
        _fail(path, f"report.baseline_point {baseline_point} but the design has {len(points)} point(s)")
    start = _date_text(data.get("start"))
    end = end or _date_text(data.get("end"))
    if posterior_repeats is None:
        posterior_repeats = min(2, reps)
    exp = Experiment(name=path.stem, path=path, text=text, description=data.get("description", ""),
                     scenarios=names, baseline=baseline, replications=reps, scale=scale,
                     start=start, end=end, root_seed=root_seed, metrics=metrics,
                     series=series, parameters=fixed, design=design, key_metrics=key_metrics,
                     report_series=report_series, baseline_point=baseline_point, points=points, custom=custom,
                     posterior=posterior, posterior_repeats=posterior_repeats)
    if posterior is not None and (isinstance(posterior_repeats, bool) or not isinstance(posterior_repeats, int)
                                  or not 1 <= posterior_repeats <= reps):
        _fail(path, f"--posterior-repeats must be an integer from 1 to the replications ({reps}), got {posterior_repeats!r}")
    _validate_runs(exp)
    return exp


def _date_text(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else value


def _check_size(path: Path, design: designs.Design, n_scenarios: int, reps: int) -> None:
    """Refuse a plan too big to hold or check before making it (a typo of a few zeros, say)."""
    points = design.count()
    if points > MAX_POINTS:
        _fail(path, f"the design has {points:,} points; at most {MAX_POINTS:,} are allowed")
    runs = n_scenarios * points * reps
    if runs > MAX_RUNS:
        _fail(path, f"the plan has {runs:,} runs ({n_scenarios} scenario(s) x {points:,} point(s) x {reps:,} "
                    f"replication(s)); at most {MAX_RUNS:,} are allowed in one sweep")


def _validate_runs(exp: Experiment) -> None:
    """Build every arm's parameters once, so a bad value stops the sweep before any run."""
    for name in list(exp.parameters) + exp.design.names():
        if name not in LEAVES:
            close = difflib.get_close_matches(name, list(LEAVES), n=1, cutoff=0.5)
            _fail(exp.path, f"unknown parameter {name!r}" + (f"; did you mean {close[0]}?" if close else ""))
        if name.startswith("run."):
            where = "[parameters]" if name in exp.parameters else "the design"
            _fail(exp.path, f"{name} in {where} would be replaced by the experiment's "
                            f"{SET_BY_KEY.get(name, 'settings')}; set it there")
    if exp.design.kind in designs.SAMPLED:
        for name, bounds in exp.design.factors.items():
            lo, hi = LEAVES[name][1].metadata["lo"], LEAVES[name][1].metadata["hi"]
            if (lo is not None and bounds["low"] < lo) or (hi is not None and bounds["high"] > hi):
                _fail(exp.path, f"design factor {name}: low={bounds['low']!r} high={bounds['high']!r} reach outside "
                                f"the parameter's bounds [{lo}, {hi}]")
    both = sorted(set(exp.parameters) & set(exp.design.names()))
    if both:
        _fail(exp.path, f"{both[0]} is both in [parameters] and a design factor; keep one")
    for scenario in exp.scenarios:
        for i, point in enumerate(exp.points):
            try:
                params = simulate.build_parameters(scenario, {**exp.parameters, **point}, scale=exp.scale, seed=0,
                                                   start=exp.start, end=exp.end)
            except ParameterError as exc:
                where = f"scenario {scenario}" + (f", design point {i} {point}" if point else "")
                _fail(exp.path, f"{where}: {exc}")
            if exp.metrics and params.metrics.window_start > params.run.end:
                _fail(exp.path, f"metrics.window_start {params.metrics.window_start} is after the runs end "
                                f"({params.run.end}), so every summary metric would be empty; set an earlier "
                                "\"metrics.window_start\" in [parameters]")
    if exp.posterior is not None:
        seen = set()
        for spec in exp.plan():
            if (spec.scenario, spec.point, spec.particle) in seen:
                continue
            seen.add((spec.scenario, spec.point, spec.particle))
            try:
                simulate.build_parameters(spec.scenario, spec.overrides, scale=exp.scale, seed=0, start=exp.start,
                                          end=exp.end)
            except ParameterError as exc:
                _fail(exp.path, f"scenario {spec.scenario} with posterior draw {spec.draw} (particle {spec.particle}): "
                                f"{exc}")
