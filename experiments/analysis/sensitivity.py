"""Global sensitivity of a sampled sweep: the spread of outcomes, rank correlations, SALib Morris or Sobol
indices with intervals, small-sample warnings and the dummy factor's noise floor; figures."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from experiments.analysis import comparisons as analysis
from experiments.analysis.figures import FigureSet, morris_figure, scatter_figure, sobol_figure
from experiments.analysis.units import number, with_unit
from experiments.sweeps.designs import DUMMY


def point_means(exp, ok: pd.DataFrame, scenario: str, metric: str) -> np.ndarray:
    """The metric at each design point, averaged over replications (NaN where a point has no finished run)."""
    sel = ok[ok["scenario"] == scenario].groupby("point")[metric].mean()
    return sel.reindex(range(len(exp.points))).to_numpy(dtype=float)


def point_frame(exp, ok: pd.DataFrame, scenario: str, metrics: list[str]) -> pd.DataFrame:
    """Design columns (parameters, dummy) and each metric's mean over replications, one row per point."""
    frame = exp.design.frame(exp.points)
    for m in metrics:
        frame[m] = point_means(exp, ok, scenario, m)
    return frame


def indices(exp, y: np.ndarray) -> dict[str, np.ndarray]:
    """SALib analysis of one outcome vector in design order (columns: parameters, then the dummy)."""
    problem = exp.design.problem()
    seed = exp.root_seed % 2**32
    if exp.design.kind == "morris":
        from SALib.analyze import morris

        r = morris.analyze(problem, exp.design.matrix[: len(y)], y, conf_level=0.95, num_levels=exp.design.levels,
                           seed=seed)
        return {"mu_star": np.asarray(r["mu_star"]), "mu_star_conf": np.asarray(r["mu_star_conf"]),
                "sigma": np.asarray(r["sigma"])}
    from SALib.analyze import sobol

    r = sobol.analyze(problem, y, calc_second_order=exp.design.second_order, conf_level=0.95, seed=seed)
    return {k: np.asarray(r[k]) for k in ("S1", "S1_conf", "ST", "ST_conf")}


def _f(x: float) -> str:
    return "n/a" if not math.isfinite(x) else f"{x:.2f}"


def rank_correlations(frame: pd.DataFrame, factors: list[str], metric: str) -> dict[str, float]:
    """Spearman's rho between each design column and the outcome over the points."""
    y = frame[metric].to_numpy(float)
    ok = np.isfinite(y)
    out = {}
    for f in factors:
        x = frame[f].to_numpy(float)
        out[f] = float(stats.spearmanr(x[ok], y[ok]).statistic) if ok.sum() > 2 and np.ptp(x[ok]) > 0 else math.nan
    return out


def section_uncertainty(data, figs: FigureSet) -> tuple[list[str], dict[str, pd.DataFrame]]:
    """Spread of each key outcome over the sampled space, rank correlations and outcome-against-parameter plots."""
    exp, ok = data.exp, data.ok
    factors = exp.design.analysis_names()
    out = ["## Outcomes over the sampled parameter space", "",
           "Median and 2.5-97.5% range of each outcome over every sampled point and replication.", "",
           "| scenario | outcome | median | 2.5% | 97.5% | runs |", "|---|---|---|---|---|---|"]
    spread, corr = [], []
    for s in exp.scenarios:
        for m in exp.key_metrics:
            info = data.info(m)
            v = ok.loc[ok["scenario"] == s, m].dropna().to_numpy(dtype=float)
            q = np.percentile(v, [50, 2.5, 97.5]) if v.size else [math.nan] * 3
            spread.append({"scenario": s, "metric": m, "median": q[0], "p2_5": q[1], "p97_5": q[2], "runs": v.size})
            out.append(f"| {s} | {with_unit(info)} | " + " | ".join(info.show(x) for x in q) + f" | {v.size} |")
    out += ["", "Spearman rank correlation of each outcome (mean over replications at each point) with each "
            "parameter; " + ("the dummy factor, which no parameter reads but which picks the runs' random numbers, "
                             "shows how large a correlation chance alone gives here." if exp.design.dummy else
                             "values near zero mean no monotone relation."), ""]
    head = ["scenario", "outcome"] + [analysis.short(f) for f in factors]
    out += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for s in exp.scenarios:
        frame = point_frame(exp, ok, s, exp.key_metrics)
        for m in exp.key_metrics:
            rho = rank_correlations(frame, factors, m)
            corr += [{"scenario": s, "metric": m, "parameter": f, "spearman_rho": r} for f, r in rho.items()]
            out.append(f"| {s} | {data.info(m).label} | " + " | ".join(_f(rho[f]) for f in factors) + " |")
        out.append("")
        for m in exp.key_metrics:
            if np.isfinite(frame[m]).sum() > 2:
                out += [scatter_figure(frame, factors, m, f"scatter_{s}_{m}", figs, data.info), ""]
    return out + [""], {"spread": pd.DataFrame(spread), "rank_correlations": pd.DataFrame(corr)}


def sobol_warnings(r: dict[str, np.ndarray], names: list[str]) -> list[str]:
    """Signs that the sample is too small for Sobol indices: S1 < 0, ST > 1, S1 > ST, intervals wider than
    the index."""
    w = []
    for j, n in enumerate(names):
        s1, st, c1, ct = r["S1"][j], r["ST"][j], r["S1_conf"][j], r["ST_conf"][j]
        if s1 < 0:
            w.append(f"{analysis.short(n)}: S1 = {s1:.2f} < 0")
        if st > 1:
            w.append(f"{analysis.short(n)}: ST = {st:.2f} > 1")
        if s1 > st + max(c1, ct):
            w.append(f"{analysis.short(n)}: S1 {s1:.2f} > ST {st:.2f}")
        if ct > abs(st) and st > 0.05:
            w.append(f"{analysis.short(n)}: ST interval ±{ct:.2f} wider than ST {st:.2f}")
    return w


def section_indices(data, figs: FigureSet) -> tuple[list[str], dict[str, pd.DataFrame]]:
    """Indices table, warnings and figures per scenario and key metric."""
    exp, ok = data.exp, data.ok
    names = exp.design.analysis_names()
    morris = exp.design.kind == "morris"
    out = ["## Global sensitivity (" + ("Morris elementary effects" if morris else "Sobol indices") + ")", "",
           ("mu* is the mean absolute elementary effect: how much the outcome moves, in its own units, when the "
            "parameter moves across its range, with a 95% bootstrap interval; sigma large relative to mu* signals "
            "non-linearity or interactions (or noise between replications)."
            if morris else
            "S1 is the first-order index (share of the outcome's variance from the parameter alone), ST the "
            "total index (including its interactions), each with a 95% bootstrap interval."),
           "Replications at each point are averaged before the analysis. "
           + ("The dummy factor is sampled like a parameter; no parameter reads it, but its value picks the runs' "
              "random numbers, so its index is what a change of random numbers alone does: the noise floor. The "
              "other parameters' effects are paired (the same random numbers on each side), so a parameter whose "
              "index is not clearly above the dummy's moves the outcome no more than a new seed does."
              if exp.design.dummy else
              "Add `dummy = true` to [design] for a noise floor: a factor that no parameter reads but that picks "
              "the runs' random numbers."), ""]
    rows = []
    for s in exp.scenarios:
        metrics = [m for m in exp.key_metrics if np.isfinite(point_means(exp, ok, s, m)).all()]
        skipped = [m for m in exp.key_metrics if m not in metrics]
        if skipped:
            out += [f"Not analysed (a point without a value): {', '.join(skipped)}.", ""]
        if not metrics:
            continue
        results = {m: indices(exp, point_means(exp, ok, s, m)) for m in metrics}
        head = ["outcome", "parameter"] + (["mu* [95% CI]", "sigma", "above noise"] if morris else
                                           ["S1 ± 95%", "ST ± 95%", "above noise"])
        out += [f"### {s}", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        warnings = []
        for m, r in results.items():
            info = data.info(m)
            key = r["mu_star"] if morris else r["ST"]
            conf = r["mu_star_conf"] if morris else r["ST_conf"]
            floor = key[names.index(DUMMY)] if exp.design.dummy else math.nan
            for j in np.argsort(-key, kind="stable"):
                above = "" if not exp.design.dummy or names[j] == DUMMY else (
                    "yes" if key[j] - conf[j] > floor else "no")
                if morris:
                    mu, lo = key[j] * info.factor, max(0.0, key[j] - conf[j]) * info.factor
                    cells = [f"{number(mu)} [{number(lo)}, {number((key[j] + conf[j]) * info.factor)}] {info.diff_unit}",
                             number(r["sigma"][j] * info.factor)]
                else:
                    cells = [f"{_f(r['S1'][j])} ± {_f(r['S1_conf'][j])}", f"{_f(r['ST'][j])} ± {_f(r['ST_conf'][j])}"]
                out.append(f"| {info.label} | {names[j]} | " + " | ".join(cells + [above]) + " |")
                rows.append({"scenario": s, "metric": m, "parameter": names[j],
                             **{k: float(v[j]) for k, v in r.items()}, "above_noise_floor": above})
            if not morris:
                warnings += [f"{info.label}: {w}" for w in sobol_warnings(r, names)]
        out.append("")
        if warnings:
            out += ["**Small-sample warning.** Sobol estimates outside their possible range or with intervals "
                    "wider than the index mean the sample is too small for these indices (raise `samples`, e.g. "
                    "`--samples`, or replications): " + "; ".join(warnings) + ".", ""]
        if morris:
            for m, r in results.items():
                out += [morris_figure(r, names, m, f"morris_{s}_{m}", figs, data.info), ""]
        else:
            out += [sobol_figure(results, names, f"sobol_{s}", figs, f"Sobol indices: {s}", data.info), ""]
    return out, {"indices": pd.DataFrame(rows)}
