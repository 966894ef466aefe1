"""Python API for notebooks and scripts: one run or a whole sweep, returned as pandas tables.

    from experiments import api

    run = api.simulate("tr", end="2016-12-31", seed=3, parameters={"tr.mechanisms.contact": False})
    run.summary["reoffending_rate"]            # the window metrics (docs/metrics.md)
    run.series["police_probation_trust"]       # weekly series, indexed by date
    run.by_year                                # metric, year, value

    sw = api.sweep({"scenarios": ["pre_tr", "tr"], "replications": 5, "end": "2016-12-31"})
    sw.runs, sw.series, sw.by_year             # the sweep's tables
    sw.differences()                           # paired differences against the baseline arm
    sw.report(formats=("png", "pdf"))          # report.md and figures in the sweep folder
    sw.discover("reoffending_rate", above=0.45)

A sweep spec is a dict with the keys of an experiment file (see experiments/*.toml), plus an optional
``name``, or the path of a file. Nothing is printed unless ``verbose=True``.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from experiments import simulate as simulate_mod
from experiments.analysis import comparisons as analysis
from experiments.analysis.plots import DEFAULT_DPI
from experiments.sweeps import adaptive, custom_metrics, experiment_file
from experiments.sweeps import data as sweep_data
from experiments.sweeps import grow as sweep_extend
from experiments.sweeps import sweep as sweep_mod
from model.parameters import ParameterError, Parameters

BY_YEAR = "_by_year"


@dataclass
class Simulation:
    """One run: its window summary, weekly series (indexed by date), metrics by year and policy events."""

    scenario: str
    params: Parameters
    summary: dict[str, Any]
    series: pd.DataFrame
    by_year: pd.DataFrame
    events: pd.DataFrame
    manifest: dict[str, Any] = field(repr=False)
    result: simulate_mod.RunResult = field(repr=False)

    def save(self, out: Path | str, plots: bool = True) -> list[Path]:
        """Write summary.json, timeseries.csv, manifest.json (and plots) as `run.py simulate` does."""
        return simulate_mod.write_outputs(self.result, Path(out), plots=plots)


def _by_year_table(summary: dict[str, Any]) -> pd.DataFrame:
    rows = [{"metric": k[: -len(BY_YEAR)], "year": int(y), "value": v}
            for k, years in summary.items() if k.endswith(BY_YEAR) for y, v in years.items()]
    return pd.DataFrame(rows, columns=["metric", "year", "value"]).astype({"value": "float64"})


def simulate(scenario: str = "tr_reunified", *, scale: str | None = None, seed: int | None = None,
             start: str | None = None, end: str | None = None, parameters: dict[str, Any] | None = None,
             custom: dict[str, dict[str, Any]] | None = None) -> Simulation:
    """Run one scenario. ``parameters``: dotted overrides ({"finance.pbr_share": 0.2}); ``custom``: metrics of
    your own, as the [custom_metrics] tables of an experiment file ({"recalls_per_breach": {"ratio":
    ["recalls", "breaches"]}}). ParameterError for a bad name or value."""
    defs = custom_metrics.parse(custom or {})
    params = simulate_mod.build_parameters(scenario, parameters or {}, scale=scale, seed=seed, start=start, end=end)
    result = simulate_mod.run(scenario, params)
    summary = dict(result.summary)
    if defs:
        window = (params.metrics.window_start, params.metrics.window_end or None)
        summary.update(custom_metrics.compute(result.timeseries, defs, window))
        summary.update({k + BY_YEAR: v for k, v in custom_metrics.by_year(result.timeseries, defs).items()})
    series = result.timeseries.copy()
    series.index = pd.DatetimeIndex(pd.to_datetime(series.pop("date")), name="date")
    events = pd.DataFrame(result.events, columns=["date", "event"])
    return Simulation(scenario, params, {k: v for k, v in summary.items() if not k.endswith(BY_YEAR)}, series,
                      _by_year_table(summary), events, result.manifest, result)


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v) if math.isfinite(v) else ("nan" if math.isnan(v) else ("inf" if v > 0 else "-inf"))
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{json.dumps(str(k))} = {_toml_value(x)}" for k, x in v.items()) + " }"
    raise ParameterError(f"experiment spec: cannot write {v!r} ({type(v).__name__}) to TOML")


def to_toml(spec: dict[str, Any]) -> str:
    """A spec dict as experiment-file TOML: top-level values, then one [table] per nested dict (two levels),
    deeper dicts inline (a factor's { low, high })."""
    lines = [f"{k} = {_toml_value(v)}" for k, v in spec.items() if not isinstance(v, dict)]

    def table(path: list[str], d: dict[str, Any]) -> None:
        lines.append("")
        lines.append("[" + ".".join(json.dumps(p) for p in path) + "]")
        inline = {k: v for k, v in d.items() if not (isinstance(v, dict) and len(path) == 1 and _is_table(v))}
        lines.extend(f"{json.dumps(str(k))} = {_toml_value(v)}" for k, v in inline.items())
        for k, v in d.items():
            if k not in inline:
                table(path + [k], v)

    for k, v in spec.items():
        if isinstance(v, dict):
            table([k], v)
    return "\n".join(lines) + "\n"


def _is_table(d: dict[str, Any]) -> bool:
    """A nested dict that reads better as its own [table]: design.factors, custom_metrics.<name>."""
    return any(isinstance(v, (dict, list)) for v in d.values()) or len(d) > 2


def load_spec(spec: dict[str, Any] | str | Path, **overrides) -> experiment_file.Experiment:
    """An Experiment from a dict (keys of an experiment file, plus ``name``) or a file path, validated."""
    if isinstance(spec, dict):
        spec = dict(spec)
        name = str(spec.pop("name", "api_sweep"))
        return experiment_file.load(Path(f"{name}.toml"), text=to_toml(spec), **overrides)
    return experiment_file.load(Path(spec), **overrides)


class Sweep:
    """A sweep folder with its tables and analyses; ``report`` and ``discover`` write into the folder."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)
        self._data: sweep_data.SweepData | None = None
        self.outcome: sweep_mod.SweepOutcome | None = None
        self.adaptive: adaptive.AdaptiveOutcome | None = None

    def __repr__(self) -> str:
        return f"Sweep({str(self.folder)!r})"

    @property
    def data(self) -> sweep_data.SweepData:
        if self._data is None:
            self._data = sweep_data.load(self.folder)
        return self._data

    @property
    def experiment(self) -> experiment_file.Experiment:
        return self.data.exp

    @property
    def runs(self) -> pd.DataFrame:
        """One row per run: ids, seed, design values, status, every metric over the window (stored units)."""
        return self.data.runs

    @property
    def series(self) -> pd.DataFrame:
        """One row per run and week, with the design values."""
        return self.data.series

    @property
    def by_year(self) -> pd.DataFrame:
        """One row per run, metric and calendar year."""
        return self.data.by_year

    def outcomes(self, metrics: list[str] | None = None) -> pd.DataFrame:
        """Mean and 95% t interval of each metric in each arm."""
        return analysis.outcomes(self.data.exp, self.data.ok, metrics)

    def uncertainty(self, metrics: list[str] | None = None) -> pd.DataFrame:
        """A posterior sweep's split of each outcome's and paired difference's variance into parameter
        uncertainty and chance (empty without a posterior)."""
        return analysis.uncertainty(self.data.exp, self.data.ok, metrics)

    def differences(self, metrics: list[str] | None = None) -> pd.DataFrame:
        """Each arm minus the baseline arm, paired by replication (default: the key metrics)."""
        return analysis.differences(self.data.exp, self.data.ok, metrics)

    def effects(self, metrics: list[str] | None = None) -> pd.DataFrame:
        """Total, main effects, interactions and shares of a two-level factorial (empty for other designs)."""
        return analysis.factorial(self.data.exp, self.data.ok, metrics)

    def report(self, formats: tuple[str, ...] = ("png",), dpi: int = DEFAULT_DPI, csv: bool = False) -> Path:
        """Write report.md and figures (``compare``); the report's path."""
        from experiments.analysis.report import write_report

        return write_report(self.folder, formats=tuple(formats), dpi=dpi, csv=csv)

    def figures(self) -> list[Path]:
        """The figure files in the sweep folder (written by ``report`` and ``discover``)."""
        return sorted((self.folder / "figures").glob("*")) if (self.folder / "figures").is_dir() else []

    def discover(self, metric: str, *, above: float | None = None, below: float | None = None, **kwargs):
        """PRIM boxes and feature scores for METRIC above (or below) a value in stored units: (path, boxes,
        scores); see ``experiments.discovery.discover`` for the options."""
        from experiments.analysis.discovery import discover

        if (above is None) == (below is None):
            raise ParameterError("discover: give exactly one of above= or below=")
        return discover(self.folder, metric, above if above is not None else below, above=above is not None, **kwargs)


def open_sweep(folder: Path | str) -> Sweep:
    """A finished sweep folder, for its tables, report and discovery."""
    sweep_data.read_manifest(Path(folder))
    return Sweep(folder)


def sweep(spec: dict[str, Any] | str | Path, *, out: Path | str | None = None, workers: int | None = 1,
          replications: int | None = None, scale: str | None = None, end: str | None = None,
          samples: int | None = None, until_halfwidth: dict[str, float] | None = None, max_replications: int = 100,
          retry_failed: bool = False, verbose: bool = False, posterior: Path | str | None = None,
          posterior_repeats: int | None = None) -> Sweep:
    """Run (or resume, or grow) a sweep and return it. ``until_halfwidth``: {metric: half-width in stored
    units} to add replications until every paired interval is that narrow (capped by ``max_replications``).
    ``workers=None`` uses every core. ``posterior``: a calibration's folder; each replication then runs with a
    posterior draw (``posterior_repeats`` replications per draw, default 2)."""
    from experiments.calibration import posterior as posterior_file

    post = posterior_file.load(posterior) if posterior is not None else None
    exp = load_spec(spec, replications=replications, scale=scale, end=end, samples=samples, posterior=post,
                    posterior_repeats=posterior_repeats)
    if out is None:
        base = sweep_mod.default_out_dir(exp, end_overridden=end is not None)
        if post is not None:
            base = base.with_name(base.name + "-posterior")
        out = base.with_name(base.name.replace(f"-r{exp.replications}", "-adaptive", 1)) if until_halfwidth else base
    out = Path(out)
    kwargs = dict(workers=workers, retry_failed=retry_failed, progress=verbose)
    sink = contextlib.nullcontext() if verbose else contextlib.redirect_stdout(io.StringIO())
    result = Sweep(out)
    with sink:
        if until_halfwidth:
            result.adaptive = adaptive.run_until(exp, out, dict(until_halfwidth), max_replications, **kwargs)
            result.outcome = result.adaptive.outcome
        else:
            message = sweep_extend.prepare(exp, out)
            if message:
                sweep_mod.log(message)
            result.outcome = sweep_mod.run_sweep(exp, out, **kwargs)
    return result
