"""Scenario discovery over a sweep's design with the EMA Workbench: PRIM boxes (where in the parameter space
an outcome is above or below a threshold: coverage, density, limits) and extra-trees feature scores with a
noise floor (the design's dummy factor, or a seeded random column)."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.analysis import comparisons as analysis
from experiments.analysis.figures import WIDTH, FigureSet
from experiments.analysis.units import number, with_unit
from experiments.simulate import atomic_write_text
from experiments.sweeps import data as sweep_data
from experiments.sweeps.designs import DUMMY
from model.parameters import ParameterError

NOISE = "noise (random column)"


def workbench():
    """The EMA Workbench's PRIM and feature-scoring modules (its import warns that ipyparallel is absent,
    which only matters for its own cluster evaluator: silenced)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*ipyparallel.*")
        from ema_workbench.analysis import feature_scoring, prim
        from ema_workbench.analysis import scenario_discovery_util as sdutil
    return prim, feature_scoring, sdutil


@dataclass
class Box:
    """One PRIM box as chosen on its peeling trajectory."""

    number: int
    coverage: float  # share of all cases of interest that fall in the box
    density: float  # share of the cases in the box that are of interest
    mass: float  # share of all cases in the box
    cases: int
    limits: dict[str, Any]  # restricted dimension -> (low, high), or the set of levels kept
    quasi_p: dict[str, float]  # restricted dimension -> the workbench's quasi p-value of the restriction
    trajectory: pd.DataFrame = field(repr=False)
    chosen: int = -1
    limit_texts: dict[str, str] = field(default_factory=dict)


def find_boxes(x: pd.DataFrame, y: np.ndarray, *, max_boxes: int = 2, min_coverage: float = 0.5,
               mass_min: float = 0.05, peel_alpha: float = 0.05) -> list[Box]:
    """PRIM boxes of ``y`` (booleans) over ``x``: on each peeling trajectory the densest box that still covers
    ``min_coverage`` of the cases of interest (left to find), the next box after removing its cases."""
    prim, _, sdutil = workbench()
    y = np.asarray(y, dtype=bool)
    if y.all() or not y.any():
        raise ParameterError(f"every case is {'of interest' if y.all() else 'not of interest'}: PRIM needs both")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*inplace keyword.*")  # the workbench's own pandas call
        p = prim.Prim(x.reset_index(drop=True), y, mass_min=mass_min, peel_alpha=peel_alpha)
    boxes = []
    taken = np.zeros(len(y), dtype=bool)
    for k in range(max_boxes):
        if not y[~taken].any():
            break
        box = p.find_box()
        if box is None:
            break
        traj = box.peeling_trajectory.reset_index(drop=True)
        eligible = traj[traj["coverage"] >= min_coverage]
        i = int(eligible.sort_values(["density", "coverage"], ascending=False, kind="stable").index[0]
                if not eligible.empty else 0)
        box.select(i)
        taken[box.yi] = True
        lims = box.box_lims[i]
        dims = list(sdutil._determine_restricted_dims(lims, p.box_init))
        limits, quasi = {}, {}
        for d in dims:
            lo, hi = lims[d].iloc[0], lims[d].iloc[1]
            limits[d] = (lo, hi) if not isinstance(lo, set) else lo
            pv = [v for v in box.p_values[i].get(d, []) if v >= 0] if i < len(box.p_values) else []
            quasi[d] = max(pv) if pv else math.nan
        row = traj.iloc[i]
        if not limits or float(row["density"]) <= y.mean():
            break  # no better than the whole space: nothing more to find
        boxes.append(Box(k + 1, float(row["coverage"]), float(row["density"]), float(row["mass"]), int(row["n"]),
                         limits, quasi, traj, i))
    return boxes


def feature_scores(x: pd.DataFrame, y_class: np.ndarray, y_value: np.ndarray, seed: int) -> pd.DataFrame:
    """Extra-trees feature scores of each column for the threshold (classification) and for the outcome itself
    (regression), highest first."""
    _, fs, _ = workbench()
    x = x.astype({c: int for c in x.columns if x[c].dtype == bool})
    cls, _ = fs.get_ex_feature_scores(x, np.asarray(y_class, dtype=int), mode=fs.RuleInductionType.CLASSIFICATION,
                                      random_state=seed % 2**32)
    reg, _ = fs.get_ex_feature_scores(x, np.asarray(y_value, dtype=float), mode=fs.RuleInductionType.REGRESSION,
                                      random_state=seed % 2**32)
    out = pd.DataFrame({"threshold": cls.iloc[:, 0], "outcome": reg.iloc[:, 0]})
    out.index.name = "parameter"
    return out.sort_values("threshold", ascending=False, kind="stable")


def cases(data, metric: str, scenario: str, per_run: bool) -> pd.DataFrame:
    """Design columns (parameters, dummy) and the metric: one row per design point (replications averaged)
    or per run."""
    exp = data.exp
    if metric not in exp.all_metrics():
        raise ParameterError(f"--metric {metric!r} is not a metric of this sweep")
    if scenario not in exp.scenarios:
        raise ParameterError(f"--scenario {scenario!r} is not one of {', '.join(exp.scenarios)}")
    if not exp.design.names():
        raise ParameterError("discover needs a design with factors (grid, lhs, sobol or morris)")
    frame = exp.design.frame(exp.points)
    ok = data.ok[data.ok["scenario"] == scenario]
    if per_run:
        out = frame.iloc[ok["point"].to_numpy()].reset_index(drop=True)
        out[metric] = ok[metric].to_numpy(float)
    else:
        out = frame.copy()
        out[metric] = ok.groupby("point")[metric].mean().reindex(range(len(frame))).to_numpy(float)
    return out[np.isfinite(out[metric])].reset_index(drop=True)


def limit_text(d: str, lim, frame: pd.DataFrame) -> str:
    """">= 0.065 (sampled 0.031 to 0.079)", or the levels kept."""
    if isinstance(lim, set):
        return ", ".join(sorted(analysis._value(v) for v in lim))
    lo_all, hi_all = frame[d].min(), frame[d].max()
    lo, hi = lim
    parts = []
    if lo > lo_all:
        parts.append(f">= {number(float(lo))}")
    if hi < hi_all:
        parts.append(f"<= {number(float(hi))}")
    return " and ".join(parts) + f" (sampled {number(float(lo_all))} to {number(float(hi_all))})"


def _plot_prim(boxes: list[Box], frame: pd.DataFrame, stem: str, figs: FigureSet, title: str) -> str:
    import matplotlib.pyplot as plt

    fig, (a, b) = plt.subplots(1, 2, figsize=(WIDTH, 3.0), layout="constrained")
    for box in boxes:
        t = box.trajectory
        sc = a.scatter(t["coverage"], t["density"], c=t["res_dim"], cmap="viridis", s=12,
                       label=f"box {box.number} trajectory")
        a.scatter([box.coverage], [box.density], marker="*", s=120, color="red", zorder=3)
        a.annotate(f"box {box.number}", (box.coverage, box.density), fontsize=7, xytext=(4, -10),
                   textcoords="offset points")
    fig.colorbar(sc, ax=a, label="restricted dimensions")
    a.set_xlabel("coverage")
    a.set_ylabel("density")
    a.set_xlim(0, 1.02)
    a.set_ylim(0, 1.02)
    a.grid(alpha=0.3)
    box = boxes[0]
    dims = list(box.limits)
    for j, d in enumerate(dims):
        lim = box.limits[d]
        if isinstance(lim, set):
            b.barh(j, 1, 0.5, color="lightgrey")
            b.text(0.5, j, ", ".join(sorted(analysis._value(v) for v in lim)), ha="center", va="center", fontsize=7)
            continue
        lo_all, hi_all = float(frame[d].min()), float(frame[d].max())
        span = (hi_all - lo_all) or 1.0
        lo, hi = (float(lim[0]) - lo_all) / span, (float(lim[1]) - lo_all) / span
        b.barh(j, 1, 0.5, color="whitesmoke", edgecolor="lightgrey")
        b.barh(j, hi - lo, 0.5, left=lo, color="tab:red", alpha=0.7)
        b.text(lo, j + 0.3, number(float(lim[0])), fontsize=6, ha="left", va="top")
        b.text(hi, j + 0.3, number(float(lim[1])), fontsize=6, ha="right", va="top")
    b.set_yticks(range(len(dims)), [analysis.short(d) for d in dims])
    b.set_ylim(max(len(dims), 1) - 0.3, -0.7)
    b.set_xlim(0, 1)
    b.set_xlabel("share of the sampled range (box 1 in red)")
    fig.suptitle(title, fontsize=9)
    return figs.save(fig, stem)


def _plot_scores(scores: pd.DataFrame, noise: str, stem: str, figs: FigureSet, title: str) -> str:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(WIDTH / 2 + 0.5, 0.6 + 0.25 * len(scores)), layout="constrained")
    y = np.arange(len(scores))
    colors = ["lightgrey" if p == noise else "tab:blue" for p in scores.index]
    ax.barh(y, scores["threshold"], color=colors)
    ax.axvline(scores.loc[noise, "threshold"], ls="--", color="grey", lw=0.8, label="noise floor")
    ax.set_yticks(y, [analysis.short(p) if p != noise else p for p in scores.index])
    ax.invert_yaxis()
    ax.set_xlabel("feature score (extra trees)")
    ax.set_title(title)
    ax.grid(alpha=0.3, axis="x")
    return figs.save(fig, stem)


def slug(metric: str, above: bool, threshold: float) -> str:
    return f"{metric}-{'above' if above else 'below'}-{threshold:g}"


def discover(folder: Path, metric: str, threshold: float, *, above: bool = True, scenario: str | None = None,
             per_run: bool = False, max_boxes: int = 2, min_coverage: float = 0.5, formats=("png",), dpi: int = 200,
             csv: bool = False) -> tuple[Path, list[Box], pd.DataFrame]:
    """Write ``discover_<metric>-<above|below>-<X>.md`` (and figures, tables) into the sweep folder."""
    data = sweep_data.load(folder)
    exp = data.exp
    scenario = scenario or exp.baseline
    frame = cases(data, metric, scenario, per_run)
    info = data.info(metric)
    values = frame[metric].to_numpy(float)
    y = values > threshold if above else values < threshold
    unit = "" if info.kind in ("index", "other") or not info.unit else info.unit
    shown = f"{info.show(threshold)}{'%' if unit == '%' else ' ' + unit if unit else ''}"
    if y.all() or not y.any():
        raise ParameterError(f"{'every' if y.all() else 'no'} case has {metric} {'above' if above else 'below'} "
                             f"{threshold:g} (values {values.min():.4g} to {values.max():.4g}); choose a threshold "
                             "inside that range")
    params = [c for c in frame.columns if c not in (metric, DUMMY)]
    boxes = find_boxes(frame[params], y, max_boxes=max_boxes, min_coverage=min_coverage)
    x_scores = frame[params + ([DUMMY] if DUMMY in frame else [])].copy()
    noise = DUMMY if DUMMY in x_scores else NOISE
    if noise == NOISE:
        x_scores[NOISE] = np.random.default_rng(exp.root_seed).uniform(size=len(x_scores))
    scores = feature_scores(x_scores, y, values, exp.root_seed)
    name = slug(metric, above, threshold)
    figs = FigureSet(Path(folder) / "figures", tuple(formats), dpi)
    what = f"{info.label} {'above' if above else 'below'} {shown}"
    unit_cases = "runs" if per_run else "design points (replications averaged)"
    lines = [f"# Scenario discovery: {what}", "",
             f"Sweep `{exp.name}`, scenario {scenario}: {len(frame)} {unit_cases}, of which {int(y.sum())} "
             f"({100 * y.mean():.0f}%) have {what}. PRIM (EMA Workbench) peels the parameter space to boxes "
             "where such cases are dense. **Coverage**: share of all the cases of interest inside the box; "
             "**density**: share of the box's cases that are of interest (the base rate is "
             f"{100 * y.mean():.0f}%). On each peeling trajectory the box shown is the densest one with coverage "
             f">= {min_coverage:.0%}; the next box is searched after removing the first box's cases. The quasi-p "
             "value of a restriction (the workbench's binomial test of the box with and without it) above about 0.05 "
             "means that restriction may be chance.", ""]
    rows = []
    for box in boxes:
        box.limit_texts = {d: limit_text(d, lim, frame) for d, lim in box.limits.items()}
        lines += [f"## Box {box.number}: coverage {box.coverage:.0%}, density {box.density:.0%} "
                  f"({box.cases} cases, mass {box.mass:.0%})", ""]
        if not box.limits:
            lines += ["No restriction: the whole space.", ""]
        else:
            lines += ["| parameter | box | quasi-p |", "|---|---|---|"]
            for d, lim in box.limits.items():
                q = box.quasi_p.get(d, math.nan)
                lines.append(f"| {d} | {limit_text(d, lim, frame)} | {'n/a' if not math.isfinite(q) else f'{q:.3g}'} |")
                rows.append({"box": box.number, "parameter": d, "limits": limit_text(d, lim, frame), "quasi_p": q,
                             "coverage": box.coverage, "density": box.density, "mass": box.mass})
            lines.append("")
    if boxes:
        lines += [_plot_prim(boxes, frame, f"discover_{name}_prim", figs, f"PRIM: {what}"), ""]
    else:
        lines += ["PRIM found no box of parameter space denser in such cases than the whole space: the outcome does "
                  "not depend on these parameters in a way a box can describe (see the feature scores).", ""]
    floor = scores.loc[noise, "threshold"]
    lines += ["## Feature scores", "",
              "How much each parameter helps to predict the outcome (extra trees, EMA Workbench): for the threshold "
              f"({what}) and for the outcome's value. The {'dummy factor' if noise == DUMMY else 'random column'} "
              "is read by no parameter: a parameter scoring no higher is indistinguishable from noise here.", "",
              "| parameter | score: threshold | score: outcome | above noise |", "|---|---|---|---|"]
    for p, r in scores.iterrows():
        above_noise = "" if p == noise else ("yes" if r["threshold"] > floor else "no")
        lines.append(f"| {p} | {r['threshold']:.3f} | {r['outcome']:.3f} | {above_noise} |")
    lines += ["", _plot_scores(scores, noise, f"discover_{name}_scores", figs, f"Feature scores: {what}"), "",
              f"Outcome: {with_unit(info)}; threshold in stored units: {threshold:g}."]
    path = Path(folder) / f"discover_{name}.md"
    atomic_write_text(path, "\n".join(lines) + "\n")
    if csv:
        tdir = Path(folder) / "tables"
        tdir.mkdir(exist_ok=True)
        for tname, table in (("boxes", pd.DataFrame(rows)), ("scores", scores.reset_index()),
                             ("trajectory", pd.concat([b.trajectory.assign(box=b.number) for b in boxes])
                              if boxes else pd.DataFrame())):
            atomic_write_text(tdir / f"discover_{name}_{tname}.csv",
                              table.to_csv(index=False, float_format="%.10g", lineterminator="\n"))
    return path, boxes, scores
