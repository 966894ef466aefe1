"""Global sensitivity of a sampled sweep: SALib Sobol or Morris indices with intervals, and a plot."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402


def point_means(exp, ok: pd.DataFrame, scenario: str, metric: str) -> np.ndarray:
    """The metric at each design point, averaged over replications (NaN where a point has no finished run)."""
    sel = ok[ok["scenario"] == scenario].groupby("point")[metric].mean()
    return sel.reindex(range(len(exp.points))).to_numpy(dtype=float)


def indices(exp, y: np.ndarray) -> dict[str, np.ndarray]:
    """SALib analysis of one outcome vector in design order."""
    problem = exp.design.problem()
    seed = exp.root_seed % 2**32
    if exp.design.kind == "morris":
        from SALib.analyze import morris

        r = morris.analyze(problem, exp.design.matrix, y, conf_level=0.95, num_levels=exp.design.levels, seed=seed)
        return {"mu_star": np.asarray(r["mu_star"]), "mu_star_conf": np.asarray(r["mu_star_conf"]),
                "sigma": np.asarray(r["sigma"])}
    from SALib.analyze import sobol

    r = sobol.analyze(problem, y, calc_second_order=exp.design.second_order, conf_level=0.95, seed=seed)
    return {k: np.asarray(r[k]) for k in ("S1", "S1_conf", "ST", "ST_conf")}


def _f(x: float) -> str:
    return "n/a" if not math.isfinite(x) else f"{x:.3g}"


def section_uncertainty(exp, ok: pd.DataFrame) -> list[str]:
    """Spread of each key outcome over the sampled parameter space."""
    out = ["## Outcomes over the sampled parameter space", "",
           "Median and 2.5-97.5% range of each outcome over every sampled point and replication.", "",
           "| scenario | metric | median | 2.5% | 97.5% | runs |", "|---|---|---|---|---|---|"]
    for s in exp.scenarios:
        for m in exp.key_metrics:
            v = ok.loc[ok["scenario"] == s, m].dropna().to_numpy(dtype=float)
            q = np.percentile(v, [50, 2.5, 97.5]) if v.size else [math.nan] * 3
            out.append(f"| {s} | {m} | {_f(q[0])} | {_f(q[1])} | {_f(q[2])} | {v.size} |")
    return out + [""]


def section_indices(exp, ok: pd.DataFrame, figdir: Path) -> list[str]:
    """Indices table and a bar plot per scenario and key metric."""
    names = exp.design.names()
    morris = exp.design.kind == "morris"
    out = ["## Global sensitivity (" + ("Morris elementary effects" if morris else "Sobol indices") + ")", "",
           ("mu* is the mean absolute elementary effect (in the outcome's units, over each factor's range), "
            "with its 95% bootstrap interval; sigma large relative to mu* signals non-linearity or interactions."
            if morris else
            "S1 is the first-order index (share of variance from the factor alone), ST the total index "
            "(including its interactions), each with its 95% bootstrap interval."),
           "Replications at each point are averaged before the analysis.", ""]
    for s in exp.scenarios:
        metrics = [m for m in exp.key_metrics if np.isfinite(point_means(exp, ok, s, m)).all()]
        skipped = [m for m in exp.key_metrics if m not in metrics]
        if skipped:
            out += [f"Not analysed (a point without a value): {', '.join(skipped)}.", ""]
        if not metrics:
            continue
        results = {m: indices(exp, point_means(exp, ok, s, m)) for m in metrics}
        head = ["metric", "parameter"] + (["mu* [95% CI]", "sigma"] if morris else ["S1 [95% CI]", "ST [95% CI]"])
        out += [f"### {s}", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for m, r in results.items():
            order = np.argsort(-(r["mu_star"] if morris else r["ST"]))
            for j in order:
                if morris:
                    cells = [f"{_f(r['mu_star'][j])} ± {_f(r['mu_star_conf'][j])}", _f(r["sigma"][j])]
                else:
                    cells = [f"{_f(r['S1'][j])} ± {_f(r['S1_conf'][j])}", f"{_f(r['ST'][j])} ± {_f(r['ST_conf'][j])}"]
                out.append(f"| {m} | {names[j]} | " + " | ".join(cells) + " |")
        fig_name = f"sensitivity_{s}.png"
        _plot(results, names, morris, figdir / fig_name, s)
        out += ["", f"![sensitivity {s}](figures/{fig_name})", ""]
    return out


def _plot(results: dict[str, dict[str, np.ndarray]], names: list[str], morris: bool, path: Path, title: str) -> None:
    n = len(results)
    cols = min(n, 3)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 0.28 * len(names) * rows + 1.2 * rows), dpi=100,
                             squeeze=False)
    y = np.arange(len(names))
    short = [nm.split(".", 1)[-1] for nm in names]
    for ax, (metric, r) in zip(axes.flat, results.items()):
        if morris:
            ax.barh(y, r["mu_star"], xerr=r["mu_star_conf"], color="tab:blue", alpha=0.8)
            ax.set_xlabel("mu*", fontsize=7)
        else:
            ax.barh(y - 0.2, r["ST"], 0.4, xerr=r["ST_conf"], label="ST", color="tab:blue", alpha=0.8)
            ax.barh(y + 0.2, r["S1"], 0.4, xerr=r["S1_conf"], label="S1", color="tab:orange", alpha=0.8)
            ax.legend(fontsize=6)
        ax.set_yticks(y, short, fontsize=6)
        ax.invert_yaxis()
        ax.set_title(metric, fontsize=8)
        ax.tick_params(axis="x", labelsize=6)
        ax.grid(alpha=0.3, axis="x")
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    fig.suptitle(f"sensitivity: {title}", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)
