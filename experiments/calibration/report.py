"""A finished calibration in words, tables and figures: ``report.md`` and ``figures/`` in its folder, and the
generated part of docs/calibration.md (between its markers) with the figures copied under docs/figures/."""

from __future__ import annotations

import math
import os
import re
import shutil
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from experiments.analysis.plots import save_figure  # noqa: E402
from experiments.analysis.units import metric_info, number  # noqa: E402
from experiments.calibration.posterior import weighted_quantile  # noqa: E402
from experiments.calibration.spec import Spec, Target  # noqa: E402
from experiments.infra.files import atomic_write_text  # noqa: E402
from model.parameters import LEAVES  # noqa: E402

REPORT = "report.md"
FIGURES = "figures"
BEGIN, END = "<!-- calibration:begin -->", "<!-- calibration:end -->"


def default_of(name: str) -> Any:
    """A parameter's default in the code as it stands."""
    return LEAVES[name][1].default


def show_target(t: Target, x: float) -> str:
    """A target-scale value for reading: shares in %, counts with separators."""
    info = metric_info(t.metric)
    if not (isinstance(x, float | int) and math.isfinite(x)):
        return "n/a"
    if info.factor == 100.0:
        return f"{x * 100:.1f}%"
    return number(x, 0) if abs(x) >= 100 else f"{x:.2f}"


def show_param(x: float) -> str:
    return f"{x:.3g}" if abs(x) < 1e4 else f"{x:,.0f}"


def priors_table(spec: Spec, before: dict[str, float] | None = None) -> list[str]:
    """The priors, with each parameter's default when the calibration began (``before``, from its manifest)."""
    before = before or {}
    rows = ["| parameter | prior | default before | why this prior |", "| --- | --- | --- | --- |"]
    for p in spec.priors:
        rows.append(f"| `{p.name}` | {p.describe()} | {show_param(before.get(p.name, default_of(p.name)))} | {p.why} |")
    return rows


def targets_table(spec: Spec) -> list[str]:
    rows = ["| target (CALIBRATION.md row) | published | range used | how the range was set | model statistic |",
            "| --- | --- | --- | --- | --- |"]
    for t in spec.targets:
        stat = f"`{t.metric}`" + (f" x {spec.national_factor:.1f} (national)" if t.national else "")
        rows.append(f"| {t.row or t.key} | {show_target(t, t.value)} | {show_target(t, t.low)} - "
                    f"{show_target(t, t.high)} | {t.range} | {stat} |")
    return rows


def generations_table(gens: list[dict[str, Any]]) -> list[str]:
    rows = ["| generation | epsilon (scaled distance) | accepted | simulations used | acceptance rate | "
            "effective sample size |", "| --- | --- | --- | --- | --- | --- |"]
    for g in gens:
        rows.append(f"| {g['t']} | {g['epsilon']:.3g} | {g['particles']} | {g['simulations']} | "
                    f"{g['acceptance_rate']:.0%} | {g.get('effective_sample_size', float('nan')):.0f} |")
    return rows


def posterior_table(spec: Spec, summary: dict[str, dict[str, float]], before: dict[str, float] | None = None) -> list[str]:
    before = before or {}
    rows = ["| parameter | prior | default before | posterior median | 95% credible interval | interval / prior width |",
            "| --- | --- | --- | --- | --- | --- |"]
    for p in spec.priors:
        s = summary[p.name]
        width = (s["high"] - s["low"]) / (p.high - p.low)
        was = show_param(before.get(p.name, default_of(p.name)))
        rows.append(f"| `{p.name}` | {p.describe()} | {was} | **{show_param(s['median'])}** "
                    f"| {show_param(s['low'])} - {show_param(s['high'])} | {width:.0%} |")
    return rows


def fit_rows(spec: Spec, weights: np.ndarray, stats: list[dict[str, float]]) -> list[dict[str, Any]]:
    """Per target: the posterior predictive (each particle's own simulation, weighted) median and 95% interval."""
    out = []
    for t in spec.targets:
        x = np.array([s.get(t.key, math.nan) for s in stats], dtype=float)
        ok = np.isfinite(x)
        if not ok.any():
            out.append({"target": t, "median": math.nan, "low": math.nan, "high": math.nan})
            continue
        w = weights[ok]
        out.append({"target": t, "median": weighted_quantile(x[ok], w, 0.5), "low": weighted_quantile(x[ok], w, 0.025),
                    "high": weighted_quantile(x[ok], w, 0.975)})
    return out


def fit_verdict(t: Target, r: dict[str, Any]) -> str:
    """"inside" when the median is in the published range, "overlaps" when only the interval reaches it, else
    "**missed**" (the words docs/validation.md uses for the mean)."""
    if not math.isfinite(r["median"]):
        return "**missed**"
    if t.low <= r["median"] <= t.high:
        return "inside"
    return "overlaps" if r["low"] <= t.high and r["high"] >= t.low else "**missed**"


def fit_table(rows: list[dict[str, Any]]) -> list[str]:
    lines = ["| target | published range | posterior predictive median [95%] | scaled distance of the median | |",
             "| --- | --- | --- | --- | --- |"]
    for r in rows:
        t = r["target"]
        z = t.z(r["median"])
        lines.append(f"| {t.row or t.key} | {show_target(t, t.low)} - {show_target(t, t.high)} | "
                     f"{show_target(t, r['median'])} [{show_target(t, r['low'])}, {show_target(t, r['high'])}] | "
                     f"{z:+.1f} | {fit_verdict(t, r)} |")
    return lines


def plot_posteriors(spec: Spec, names: list[str], values: np.ndarray, weights: np.ndarray, folder: Path,
                    before: dict[str, float] | None = None) -> Path:
    before = before or {}
    n = len(spec.priors)
    cols = 3
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(9, 2.3 * rows), dpi=100, squeeze=False)
    for ax, p in zip(axes.flat, spec.priors):
        v = values[:, names.index(p.name)]
        ax.hist(v, bins=20, range=(p.low, p.high), weights=weights, density=True, color="tab:blue", alpha=0.7,
                label="posterior")
        if p.kind == "loguniform":
            grid = np.linspace(p.low, p.high, 200)
            ax.plot(grid, 1.0 / (grid * np.log(p.high / p.low)), color="grey", ls=":", lw=1, label="prior")
        else:
            ax.axhline(1.0 / (p.high - p.low), color="grey", ls=":", lw=1, label="prior")
        ax.axvline(before.get(p.name, default_of(p.name)), color="tab:red", lw=1, label="default before")
        ax.axvline(weighted_quantile(v, weights, 0.5), color="black", lw=1.2, label="posterior median")
        ax.set_title(p.name, fontsize=8)
        ax.tick_params(labelsize=7)
        ax.set_yticks([])
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=4, fontsize=7, frameon=False)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return save_figure(fig, folder, "posteriors", ("png",), 110)[0]


def plot_ranges(rows: list[dict[str, Any]], centre: str, folder: Path, name: str, title: str) -> Path:
    """Each target's published range (a green band) and the model's interval with its ``centre`` (mean or median),
    both in units of the range (the scaled distance), so that targets of any unit share one axis."""
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(rows) + 1.2), dpi=100)
    for i, r in enumerate(rows):
        t = r["target"]
        ax.fill_betweenx([i - 0.3, i + 0.3], -1, 1, color="tab:green", alpha=0.2, lw=0)
        if math.isfinite(r[centre]):
            lo, hi = max(t.z(r["low"]), -6), min(t.z(r["high"]), 6)
            ax.plot([lo, hi], [i, i], color="tab:blue", lw=2)
            ax.plot([max(min(t.z(r[centre]), 6), -6)], [i], "o", color="tab:blue")
    ax.axvline(0, color="tab:green", lw=1)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([r["target"].key.replace("_", " ") for r in rows], fontsize=7)
    ax.set_xlim(-6, 6)
    ax.set_xlabel("scaled distance from the published value (-1 and +1: the ends of the published range; clipped at 6)",
                  fontsize=7)
    ax.set_title(title, fontsize=8)
    ax.invert_yaxis()
    fig.tight_layout()
    return save_figure(fig, folder, name, ("png",), 110)[0]


def plot_fit(rows: list[dict[str, Any]], folder: Path) -> Path:
    """The posterior predictive median and 95% interval against each published range."""
    return plot_ranges(rows, "median", folder, "fit",
                       "published ranges (green) and the posterior predictive median and 95% interval (blue)")


def report_text(spec: Spec, manifest: dict[str, Any], rows: list[dict[str, Any]], figures: str) -> str:
    gens = manifest.get("generations", [])
    sessions = manifest.get("sessions", [])
    wall = sum(s.get("wall_s", 0) or 0 for s in sessions)
    ran = sum(s.get("simulations_run", 0) or 0 for s in sessions)
    loads = [s.get("load_average") for s in sessions if s.get("load_average")]
    stopped = next((s["stopped_because"] for s in reversed(sessions) if s.get("stopped_because")), "")
    lines = [f"### {manifest.get('label', 'Calibration')}, {str(manifest.get('finished_utc', ''))[:10]}", "",
             f"ABC-SMC (pyabc) over {len(spec.priors)} free parameters against {len(spec.targets)} targets: scenario "
             f"`{spec.scenario}`, {spec.scale} scale (counts x {spec.national_factor:.1f} for national), simulated "
             f"{spec.start} to {spec.end} after the steady start, statistics over {spec.window_start} to "
             f"{spec.window_end} (exclusive; cohorts starting then). Population {spec.population}, quantile "
             f"{spec.quantile:g}, root seed {spec.root_seed}; {manifest.get('simulations_used', 0)} simulations used "
             f"in {len(gens)} generations ({ran} run in all: the rest were run past a generation's last acceptance"
             + (f", or in a last generation cut short: {stopped}" if stopped else "") + f"), {wall / 60:.1f} minutes"
             + (f" (load average {', '.join(loads)})" if loads else "") + ".", "",
             "#### Free parameters and priors", "", *priors_table(spec, manifest.get("defaults_before")), "",
             "#### Targets", "", *targets_table(spec), "",
             "The distance of a simulation is the root mean square over targets of (statistic - published value) / "
             "(the distance from the value to the end of the range on that side): 1 when every statistic sits at an "
             "end of its range.", "",
             "#### Generations", "", *generations_table(gens), "",
             "#### Posterior", "", *posterior_table(spec, manifest["posterior"], manifest.get("defaults_before")), "",
             f"![posterior marginals]({figures}/posteriors.png)", "",
             "#### Fit", "",
             "The posterior predictive: each particle of the last generation is one simulation at its own "
             "parameters, so these intervals hold both parameter uncertainty and chance. "
             "`python run.py validate` gives 20+ fresh replications.", "",
             *fit_table(rows), "", f"![fit]({figures}/fit.png)", ""]
    return "\n".join(lines)


def write_report(spec: Spec, out: Path, manifest: dict[str, Any], names: list[str], values: np.ndarray,
                 weights: np.ndarray, stats: list[dict[str, float]]) -> Path:
    """report.md and figures/ in the calibration folder."""
    folder = out / FIGURES
    folder.mkdir(exist_ok=True)
    rows = fit_rows(spec, weights, stats)
    plot_posteriors(spec, names, values, weights, folder, manifest.get("defaults_before"))
    plot_fit(rows, folder)
    manifest["fit"] = [{"target": r["target"].key, "median": r["median"], "low": r["low"], "high": r["high"]}
                       for r in rows]
    text = report_text(spec, manifest, rows, FIGURES)
    commands = "; ".join(f"`{s['command']}`" for s in manifest.get("sessions", []) if s.get("command"))
    atomic_write_text(out / REPORT, f"# Calibration report\n\nGenerated by {commands or '`python run.py calibrate`'}."
                                    f"\n\n{text}")
    return out / REPORT


def write_docs(out: Path, docs: Path, figures: Path) -> Path:
    """Put a finished calibration's report between the markers of ``docs`` and its figures in ``figures``."""
    from experiments.infra.errors import UsageError
    from experiments.infra.files import read_text_file

    report = read_text_file(out / REPORT, "calibration report")
    body = report.split("\n\n", 2)[2]
    rel = Path(os.path.relpath(figures, docs.parent)).as_posix()
    body = body.replace(f"]({FIGURES}/", f"]({rel}/")
    text = read_text_file(docs, "docs file")
    if BEGIN not in text or END not in text:
        raise UsageError(f"{docs} has no {BEGIN} ... {END} markers to write the calibration between")
    figures.mkdir(parents=True, exist_ok=True)
    for png in sorted((out / FIGURES).glob("*.png")):
        shutil.copyfile(png, figures / png.name)
    new = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda m: f"{BEGIN}\n{body.rstrip()}\n{END}", text,
                 flags=re.S)
    atomic_write_text(docs, new)
    return docs
