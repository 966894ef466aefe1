"""Figures of a sweep for a paper: weekly series with t bands, a forest plot of effects, Morris mu*-sigma and
Sobol plots with the dummy's noise floor, and outcome-against-parameter plots; labelled axes with units,
legends off the data."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from experiments.analysis import comparisons as analysis  # noqa: E402
from experiments.analysis.plots import DEFAULT_DPI, mark_events, save_figure  # noqa: E402
from experiments.analysis.statistics import t_halfwidth  # noqa: E402
from experiments.analysis.units import metric_info, series_info, with_unit  # noqa: E402
from experiments.sweeps.designs import DUMMY  # noqa: E402

matplotlib.rcParams.update({"font.size": 8, "axes.titlesize": 9, "axes.labelsize": 8, "legend.fontsize": 7,
                            "xtick.labelsize": 7, "ytick.labelsize": 7, "svg.hashsalt": "probation-tr-abm"})
ROLLING_WEEKS = 13
MAX_BANDS = 4
WIDTH = 7.0  # inches: a full page width


class FigureSet:
    """Where figures go, in which formats and resolution; remembers what was written."""

    def __init__(self, folder: Path, formats: tuple[str, ...] = ("png",), dpi: int = DEFAULT_DPI) -> None:
        self.folder, self.formats, self.dpi = Path(folder), formats, dpi
        self.folder.mkdir(parents=True, exist_ok=True)
        self.written: list[Path] = []

    def save(self, fig, stem: str) -> str:
        """Save and return the Markdown that shows it (an image if PNG was asked for, else links)."""
        paths = save_figure(fig, self.folder, stem, self.formats, self.dpi)
        self.written += paths
        rel = f"{self.folder.name}/{stem}"
        if "png" in self.formats:
            return f"![{stem}]({rel}.png)"
        return "Figure: " + ", ".join(f"[{stem}.{f}]({rel}.{f})" for f in self.formats)


def _legend_below(fig, ax, ncol: int | None = None) -> None:
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="outside lower center", ncol=ncol or min(4, len(labels)), frameon=False)


def _dates(frame: pd.DataFrame) -> np.ndarray:
    first = frame["run_id"].iloc[0]
    return pd.to_datetime(frame.loc[frame["run_id"] == first, "date"]).to_numpy()


def _wide(sel: pd.DataFrame, name: str) -> np.ndarray:
    """weeks x runs of a series, each run's 13-week rolling mean."""
    return sel.pivot(index="week", columns="run_id", values=name).rolling(ROLLING_WEEKS, min_periods=1).mean().to_numpy()


def series_figure(data, name: str, figs: FigureSet) -> str:
    """Mean and 95% t band over replications by arm (median and 2.5-97.5% envelope for sampled designs)."""
    exp, series = data.exp, data.series
    label, unit, factor = series_info(name)
    sampled = exp.design.kind in ("lhs", "sobol", "morris")
    groups = [(s, None) for s in exp.scenarios] if sampled else analysis.arms(exp, data.ok)
    base = (exp.baseline, exp.baseline_point)
    banded = set(groups) if len(groups) <= MAX_BANDS else {base, groups[-1]}
    dates = _dates(series)
    fig, ax = plt.subplots(figsize=(WIDTH, 3.4), layout="constrained")
    for s, i in groups:
        sel = series[(series["scenario"] == s) & ((series["point"] == i) if i is not None else True)]
        wide = _wide(sel, name) * factor
        if sampled:
            mid, lo, hi = (np.nanpercentile(wide, q, axis=1) for q in (50, 2.5, 97.5))
            text = s
        else:
            mid = np.nanmean(wide, axis=1)
            n = np.isfinite(wide).sum(axis=1)
            half = t_halfwidth(np.nanstd(wide, axis=1, ddof=1), n) if wide.shape[1] > 1 else None
            lo, hi = (mid - half, mid + half) if half is not None else (None, None)
            text = analysis.arm_label(exp, s, i)
        (line,) = ax.plot(dates[: len(mid)], mid, lw=1.2, label=text)
        if lo is not None and (s, i) in banded:
            ax.fill_between(dates[: len(mid)], lo, hi, color=line.get_color(), alpha=0.18, lw=0)
    lo_date, hi_date = pd.Timestamp(dates[0]), pd.Timestamp(dates[-1])
    mark_events(ax, [(e["date"], e["event"]) for evs in data.manifest.get("policy_events", {}).values() for e in evs
                     if lo_date <= pd.Timestamp(e["date"]) <= hi_date])
    ax.set_xlim(lo_date, hi_date)
    if np.nanmin(series[name].to_numpy(float), initial=0.0) >= 0:
        ax.set_ylim(bottom=0)
    ax.set_title(f"{label}, {ROLLING_WEEKS}-week rolling mean")
    ax.set_ylabel(f"{label} ({unit})")
    ax.set_xlabel("year")
    ax.xaxis.set_major_locator(mdates.YearLocator(1 if len(dates) < 52 * 6 else 2))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.grid(alpha=0.3)
    _legend_below(fig, ax)
    return figs.save(fig, f"series_{name}")


def forest_figure(rows: pd.DataFrame, label_col: str, title: str, stem: str, figs: FigureSet,
                  info_of=metric_info) -> str:
    """One panel per metric: each row's estimate with its 95% interval, in display units, a line at zero."""
    metrics = list(dict.fromkeys(rows["metric"]))
    ncols = 2 if len(metrics) > 1 else 1
    nrows = math.ceil(len(metrics) / ncols)
    per = max(len(rows[rows["metric"] == m]) for m in metrics)
    same_rows = len({tuple(rows.loc[rows["metric"] == m, label_col]) for m in metrics}) == 1
    fig, axes = plt.subplots(nrows, ncols, figsize=(WIDTH, nrows * (0.5 + 0.22 * per) + 0.4), layout="constrained",
                             squeeze=False)
    for j, (ax, m) in enumerate(zip(axes.flat, metrics)):
        info = info_of(m)
        sel = rows[rows["metric"] == m]
        y = np.arange(len(sel))[::-1]
        mean = sel["mean"].to_numpy(float) * info.factor
        lo, hi = sel["low"].to_numpy(float) * info.factor, sel["high"].to_numpy(float) * info.factor
        clear = (lo > 0) | (hi < 0)
        ax.errorbar(mean, y, xerr=[mean - lo, hi - mean], fmt="none", ecolor="grey", elinewidth=1, capsize=2)
        ax.scatter(mean, y, s=18, zorder=3, c=np.where(clear, "tab:blue", "white"), edgecolors="tab:blue")
        ax.axvline(0, color="black", lw=0.7)
        ax.set_yticks(y, sel[label_col] if not (same_rows and j % ncols) else [])  # row names once per row
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.set_title(info.label)
        ax.set_xlabel(f"difference ({info.diff_unit})" if info.diff_unit else "difference")
        ax.grid(alpha=0.3, axis="x")
    for ax in list(axes.flat)[len(metrics):]:
        ax.set_visible(False)
    fig.suptitle(title + " (filled: the 95% interval excludes zero)", fontsize=9)
    return figs.save(fig, stem)


def _bars(ax, names: list[str], value: np.ndarray, conf: np.ndarray, order: np.ndarray, color: str, offset=0.0,
          width=0.8, label=None) -> None:
    """Horizontal bars in ``order`` with error bars that stop at zero (an index cannot be negative)."""
    v, c = value[order], conf[order]
    lower = np.minimum(c, np.maximum(v, 0))
    y = np.arange(len(order)) + offset
    ax.barh(y, v, width, xerr=[lower, c], color=[("lightgrey" if names[j] == DUMMY else color) for j in order],
            error_kw={"elinewidth": 0.8, "capsize": 1.5}, label=label)


def morris_figure(result: dict[str, np.ndarray], names: list[str], metric: str, stem: str, figs: FigureSet,
                  info_of=metric_info) -> str:
    """mu* (sorted as the table, intervals clipped at zero) beside the mu*-sigma plane; the dummy in grey."""
    info = info_of(metric)
    mu, conf, sigma = (result[k] * info.factor for k in ("mu_star", "mu_star_conf", "sigma"))
    order = np.argsort(-mu, kind="stable")
    short = [analysis.short(n) for n in names]
    fig, (a, b) = plt.subplots(1, 2, figsize=(WIDTH, 0.9 + 0.2 * len(names)), layout="constrained")
    _bars(a, names, mu, conf, order, "tab:blue")
    a.set_yticks(np.arange(len(order)), [short[j] for j in order])
    a.invert_yaxis()
    a.set_xlabel(f"mu* ({info.diff_unit or 'outcome units'} over the factor's range)")
    a.grid(alpha=0.3, axis="x")
    colors = ["grey" if n == DUMMY else "tab:blue" for n in names]
    b.scatter(mu, sigma, c=colors, s=16)
    for j in order[: min(len(order), 8)]:
        b.annotate(short[j], (mu[j], sigma[j]), fontsize=6, xytext=(3, 2), textcoords="offset points")
    top = max(float(np.nanmax(mu)), float(np.nanmax(sigma)), 1e-12) * 1.1
    b.plot([0, top], [0, top], ls=":", color="grey", lw=0.8, label="sigma = mu*")
    if DUMMY in names:
        floor = mu[names.index(DUMMY)]
        a.axvline(floor, ls="--", color="grey", lw=0.8)
        b.axvline(floor, ls="--", color="grey", lw=0.8, label="dummy's mu* (noise floor)")
    b.set_xlim(0, top)
    b.set_ylim(0, top)
    unit = f" ({info.diff_unit})" if info.diff_unit else ""
    b.set_xlabel(f"mu*{unit}")
    b.set_ylabel(f"sigma{unit}")
    b.grid(alpha=0.3)
    _legend_below(fig, b, ncol=2)
    fig.suptitle(f"Morris screening: {info.label}", fontsize=9)
    return figs.save(fig, stem)


def sobol_figure(results: dict[str, dict[str, np.ndarray]], names: list[str], stem: str, figs: FigureSet,
                 title: str, info_of=metric_info) -> str:
    """ST and S1 bars per metric, sorted by ST, intervals clipped at zero, the dummy's ST as a dashed line."""
    n = len(results)
    cols = min(n, 2)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(WIDTH, rows * (0.7 + 0.22 * len(names)) + 0.5),
                             layout="constrained", squeeze=False)
    short = [analysis.short(x) for x in names]
    for ax, (metric, r) in zip(axes.flat, results.items()):
        order = np.argsort(-r["ST"], kind="stable")
        _bars(ax, names, r["ST"], r["ST_conf"], order, "tab:blue", -0.2, 0.4, "ST (total)")
        _bars(ax, names, r["S1"], r["S1_conf"], order, "tab:orange", 0.2, 0.4, "S1 (first order)")
        if DUMMY in names:
            ax.axvline(r["ST"][names.index(DUMMY)], ls="--", color="grey", lw=0.8)
        ax.set_yticks(np.arange(len(order)), [short[j] for j in order])
        ax.invert_yaxis()
        ax.set_title(info_of(metric).label)
        ax.set_xlabel("share of variance")
        ax.grid(alpha=0.3, axis="x")
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    _legend_below(fig, axes.flat[0], ncol=2)
    fig.suptitle(title, fontsize=9)
    return figs.save(fig, stem)


def scatter_figure(frame: pd.DataFrame, factors: list[str], metric: str, stem: str, figs: FigureSet,
                   info_of=metric_info) -> str:
    """The outcome (mean over replications at each point) against each sampled parameter, with a binned mean."""
    info = info_of(metric)
    cols = min(len(factors), 4)
    rows = math.ceil(len(factors) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(WIDTH, 1.9 * rows + 0.5), layout="constrained", squeeze=False,
                             sharey=True)
    y = frame[metric].to_numpy(float) * info.factor
    for ax, f in zip(axes.flat, factors):
        x = frame[f].to_numpy(float)
        ax.scatter(x, y, s=6, alpha=0.6, color="grey" if f == DUMMY else "tab:blue", lw=0)
        edges = np.unique(np.quantile(x, np.linspace(0, 1, 6)))
        if len(edges) > 2:
            idx = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, len(edges) - 2)
            means = [np.nanmean(y[idx == b]) if (idx == b).any() else np.nan for b in range(len(edges) - 1)]
            ax.plot((edges[:-1] + edges[1:]) / 2, means, color="black", lw=1.2)
        ax.set_xlabel(analysis.short(f))
        ax.grid(alpha=0.3)
    for ax in axes[:, 0]:
        ax.set_ylabel(with_unit(info))
    for ax in list(axes.flat)[len(factors):]:
        ax.set_visible(False)
    fig.suptitle(f"{info.label} against each parameter (dots: design points; line: mean by fifth of the range)",
                 fontsize=9)
    return figs.save(fig, stem)
