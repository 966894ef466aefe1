"""`compare`: a Markdown report with PNG figures from a finished sweep folder."""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from experiments import experiment_file, sensitivity  # noqa: E402
from experiments.plots import mark_events  # noqa: E402
from experiments.statistics import effect_names, factorial_effects, mean_ci, paired_diff  # noqa: E402
from model.parameters import ParameterError  # noqa: E402

MAX_BAND_ARMS = 8


def fmt(x: float) -> str:
    if x is None or not math.isfinite(x):
        return "n/a"
    return f"{x:.4g}" if abs(x) < 1e5 else f"{x:,.0f}"


def fmt_ci(mean: float, lo: float, hi: float) -> str:
    return fmt(mean) + ("" if not math.isfinite(lo) else f" [{fmt(lo)}, {fmt(hi)}]")


def load_sweep(folder: Path) -> tuple[dict[str, Any], experiment_file.Experiment, pd.DataFrame, pd.DataFrame]:
    """The manifest, the experiment as it was run, and the two tables; ParameterError if incomplete."""
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        raise ParameterError(f"{folder} is not a sweep folder (no manifest.json); run `run.py sweep` first")
    manifest = json.loads(manifest_path.read_text())
    if not (folder / "runs.parquet").is_file():
        raise ParameterError(f"{folder}: the sweep has not finished (no runs.parquet); run the same sweep again")
    s = manifest["settings"]
    exp = experiment_file.load(folder / "experiment.toml", replications=s["replications"], scale=s["scale"],
                               end=s["end"])
    exp.name = manifest["experiment"]
    return manifest, exp, pd.read_parquet(folder / "runs.parquet"), pd.read_parquet(folder / "series.parquet")


def arm_label(exp: experiment_file.Experiment, scenario: str, point: int) -> str:
    if len(exp.points) == 1:
        return scenario
    values = ", ".join(f"{k.split('.')[-1]}={_short(v)}" for k, v in exp.points[point].items())
    return f"{scenario} · {values}"


def _short(v: Any) -> str:
    if isinstance(v, bool):
        return "on" if v else "off"
    return f"{v:.3g}" if isinstance(v, float) else str(v)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(r) + " |" for r in rows]


def _arms(exp, ok: pd.DataFrame) -> list[tuple[str, int]]:
    present = set(zip(ok["scenario"], ok["point"]))
    return [(s, i) for s in exp.scenarios for i in range(len(exp.points)) if (s, i) in present]


def _by_rep(ok: pd.DataFrame, scenario: str, point: int, metric: str) -> dict[int, float]:
    sel = ok[(ok["scenario"] == scenario) & (ok["point"] == point)]
    return {int(k): float(v) for k, v in zip(sel["replication"], sel[metric]) if v is not None and np.isfinite(v)}


def section_outcomes(exp, ok: pd.DataFrame) -> list[str]:
    arms = _arms(exp, ok)
    out = ["## Outcomes by arm", "",
           "Mean over replications with its 95% confidence interval (Student t) in brackets.", ""]
    rows = []
    for metric in exp.metrics:
        row = [metric]
        for s, i in arms:
            m, lo, hi, _ = mean_ci(list(_by_rep(ok, s, i, metric).values()))
            row.append(fmt_ci(m, lo, hi))
        rows.append(row)
    if len(arms) <= 8:
        return out + _table(["metric"] + [arm_label(exp, s, i) for s, i in arms], rows) + [""]
    # many arms: one row per arm instead, key metrics only
    rows = [[arm_label(exp, s, i)] + [fmt_ci(*mean_ci(list(_by_rep(ok, s, i, m).values()))[:3]) for m in exp.key_metrics]
            for s, i in arms]
    return out + _table(["arm"] + exp.key_metrics, rows) + [""]


def section_differences(exp, ok: pd.DataFrame) -> list[str]:
    base = (exp.baseline, exp.baseline_point)
    others = [a for a in _arms(exp, ok) if a != base]
    if not others or base not in _arms(exp, ok):
        return []
    out = [f"## Paired differences against {arm_label(exp, *base)}", "",
           "Arm minus baseline, paired by replication (both use the same seed), mean and 95% interval; "
           "relative change in parentheses.", ""]
    rows = []
    for metric in exp.key_metrics:
        b = _by_rep(ok, *base, metric)
        for arm in others:
            m, lo, hi, n = paired_diff(_by_rep(ok, *arm, metric), b)
            bm = np.mean(list(b.values())) if b else math.nan
            rel = f" ({100 * m / bm:+.1f}%)" if math.isfinite(m) and bm else ""
            rows.append([metric, arm_label(exp, *arm), fmt_ci(m, lo, hi) + rel, str(n)])
    return out + _table(["metric", "arm", "difference [95% CI]", "pairs"], rows) + [""]


def attribution_factors(exp) -> list[str]:
    """The design's factors if it is a full two-level factorial of at least two factors, else []."""
    if exp.design.kind != "grid" or len(exp.design.factors) < 2:
        return []
    return exp.design.names() if all(len(v) == 2 for v in exp.design.factors.values()) else []


def section_attribution(exp, ok: pd.DataFrame) -> list[str]:
    factors = attribution_factors(exp)
    if not factors:
        return []
    levels = [tuple(exp.design.factors[f].index(p[f]) for f in factors) for p in exp.points]
    names = [f.split(".")[-1] for f in factors]
    ranges = ", ".join(f"{n} {_short(v[0])} -> {_short(v[1])}" for n, v in zip(names, exp.design.factors.values()))
    out = ["## Attribution to factors (two-level factorial)", "", f"Factors, low -> high: {ranges}.",
           "A main effect is the mean change in the outcome when that factor goes from low to high, averaged over "
           "the other factors; an interaction is how much an effect depends on the other factor(s). Effects are "
           "computed within each replication (common seeds) and given with 95% intervals over replications. "
           "'total' is all factors high minus all low; it equals the sum of the main effects and the odd-order "
           "interactions.", ""]
    for scenario in exp.scenarios:
        rows = []
        for metric in exp.key_metrics:
            per_point = [_by_rep(ok, scenario, i, metric) for i in range(len(exp.points))]
            reps = sorted(set.intersection(*(set(d) for d in per_point)))
            if not reps:
                continue
            draws = [factorial_effects({levels[i]: per_point[i][k] for i in range(len(levels))}, factors) for k in reps]
            hi_i, lo_i = levels.index((1,) * len(factors)), levels.index((0,) * len(factors))
            total = mean_ci([per_point[hi_i][k] - per_point[lo_i][k] for k in reps])
            cells = [fmt_ci(*mean_ci([d[e] for d in draws])[:3]) for e in effect_names(factors)]
            rows.append([metric, fmt_ci(*total[:3])] + cells + [str(len(reps))])
        header = ["metric", "total"] + [" x ".join(f.split(".")[-1] for f in e) for e in effect_names(factors)] + ["reps"]
        out += [f"### {scenario}", ""] + _table(header, rows) + [""]
    return out


def plot_series(exp, ok: pd.DataFrame, series: pd.DataFrame, events: dict[str, list], figdir: Path) -> list[str]:
    """One PNG per report series: mean and 95% band by arm (or the 2.5-97.5% envelope for sampled designs)."""
    if series.empty:
        return []
    arms = _arms(exp, ok)
    sampled = exp.design.kind in ("lhs", "sobol", "morris")
    dates = pd.to_datetime(series.loc[series["run_id"] == series["run_id"].iloc[0], "date"]).to_numpy()
    lines = ["## Weekly series", "",
             ("Median and 2.5-97.5% envelope over all sampled points and replications, by scenario. " if sampled else
              "Mean over replications with a 95% band (13-week rolling mean), by arm. ")
             + "Dashed lines mark the policy events.", ""]
    marks = [(e["date"], e["event"]) for evs in events.values() for e in evs]
    groups = [(s, None) for s in exp.scenarios] if sampled else arms
    for name in exp.report_series:
        fig, ax = plt.subplots(figsize=(8, 3.8), dpi=100)
        for s, i in groups:
            sel = series[(series["scenario"] == s) & ((series["point"] == i) if i is not None else True)]
            wide = sel.pivot(index="week", columns="run_id", values=name).rolling(13, min_periods=1).mean().to_numpy()
            if sampled:
                mid, lo, hi = (np.nanpercentile(wide, q, axis=1) for q in (50, 2.5, 97.5))
                label = s
            else:
                mid = np.nanmean(wide, axis=1)
                n = np.isfinite(wide).sum(axis=1)
                half = 1.96 * np.nanstd(wide, axis=1, ddof=1) / np.sqrt(np.maximum(n, 1)) if wide.shape[1] > 1 else None
                lo, hi = (mid - half, mid + half) if half is not None else (None, None)
                label = arm_label(exp, s, i)
            (line,) = ax.plot(dates[: len(mid)], mid, lw=1.2, label=label)
            if lo is not None and len(groups) <= MAX_BAND_ARMS:
                ax.fill_between(dates[: len(mid)], lo, hi, color=line.get_color(), alpha=0.2, lw=0)
        mark_events(ax, marks)
        ax.set_title(f"{name} (13-week mean)", fontsize=9)
        ax.xaxis.set_major_locator(mdates.YearLocator(2))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ax.legend(fontsize=6, loc="best")
        ax.grid(alpha=0.3)
        fig.tight_layout()
        fig.savefig(figdir / f"series_{name}.png", metadata={"Software": None})
        plt.close(fig)
        lines += [f"![{name}](figures/series_{name}.png)", ""]
    return lines


def write_report(folder: Path) -> Path:
    """Write report.md and figures/*.png into the sweep folder; return the report's path."""
    manifest, exp, runs, series = load_sweep(folder)
    ok = runs[runs["status"] == "ok"]
    if ok.empty:
        raise ParameterError(f"{folder}: no finished runs to compare")
    figdir = folder / "figures"
    figdir.mkdir(exist_ok=True)
    sessions = manifest.get("sessions", [])
    lines = [f"# Sweep report: {exp.name}", "", exp.description, "",
             f"- runs: {len(ok)} finished, {int((runs['status'] == 'failed').sum())} failed, of {manifest['runs_total']}",
             f"- scenarios: {', '.join(exp.scenarios)} (baseline {exp.baseline}); design: {exp.design.kind} "
             f"with {len(exp.points)} point(s); replications: {exp.replications} (common seeds across arms)",
             f"- scale: {exp.scale}; period: {exp.start or 'default start'} to {exp.end or 'default end'}; "
             f"root seed: {exp.root_seed}",
             f"- code: {sessions[-1]['git_commit'] if sessions else 'unknown'}; "
             f"mesa {sessions[-1]['versions'].get('mesa') if sessions else '?'}", ""]
    sampled = exp.design.kind in ("lhs", "sobol", "morris")
    if not sampled:
        lines += section_outcomes(exp, ok) + section_differences(exp, ok) + section_attribution(exp, ok)
    else:
        lines += sensitivity.section_uncertainty(exp, ok)
    if exp.design.kind in ("sobol", "morris"):
        lines += sensitivity.section_indices(exp, ok, figdir)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # weeks where a series is undefined (e.g. CRC before 2014)
        lines += plot_series(exp, ok, series, manifest.get("policy_events", {}), figdir)
    path = folder / "report.md"
    path.write_text("\n".join(lines) + "\n")
    return path
