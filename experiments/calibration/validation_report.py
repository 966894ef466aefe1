"""docs/validation.md from a validation's runs: each pre-reform target beside the model, the held-inputs steady
state, and the post-reform years as predictions."""

from __future__ import annotations

import datetime as dt
import math
import os
from pathlib import Path
from typing import Any

import numpy as np

from experiments.analysis.units import metric_info, number
from experiments.calibration import validation
from experiments.calibration.posterior import Posterior
from experiments.calibration.report import plot_ranges, show_target
from experiments.calibration.spec import Spec, Target
from experiments.calibration.validation import failures, interval, values
from experiments.infra import provenance
from experiments.infra.files import atomic_write_text

# Published pre-reform figures that are inputs to the model or checks on them, not calibration targets.
CHECKS = [
    Target("releases", "releases_per_year", 70000.0, 66500.0, 73500.0, True,
           "releases from custody a year", "~70,000: +/- 5%",
           "CALIBRATION.md: ~70,000 a year, 2011-2015 (approximate); follows the custody disposals input"),
    Target("releases_short_share", "releases_short_share", 0.6, 0.5, 0.7, False,
           "share of releases that end terms under 12 months", "'a majority': 50-70% (a judgement)",
           "CALIBRATION.md: a majority served < 12 months; follows the input's mix of terms"),
    Target("high_rosh_share", "high_rosh_share", 0.30, 0.28, 0.32, False,
           "share of the caseload high / very high risk of serious harm", "~30%: +/- 2 points",
           "CALIBRATION.md: ~30% at the split (June 2014); set by risk.rosh_high_share and the risk-change rates"),
    Target("iom_cohort", "iom_cohort_mean", 14000.0, 10000.0, 50000.0, True,
           "people in the PPO/IOM cohort", "PPO ~10,000 to IOM 4-5x that",
           "CALIBRATION.md: PPO ~10,000 (2007), IOM up to 4-5x (2013); set by iom.capacity_per_1000"),
]
# Why a target is likely missed, where that is known (shown only when it is missed).
REASONS: dict[str, str] = {
    "reoffences_per_reoffender_crc_cohort": "the model's low/medium-risk cohort reoffends about as often as everyone "
                                            "else; the published 4.2 (against 2.9 for all) needs the most prolific "
                                            "short-sentence offenders in that cohort, a tail the model lacks",
    "reoffences_per_reoffender": "too few very prolific people: frequency among reoffenders rises only as the share "
                                 "who reoffend falls",
    "reoffending_rate_custody": "people released from custody are mostly reconvicted people whom the courts jailed "
                                "because they reoffend; the model's selection into custody makes them reoffend more "
                                "than the published cohort",
    "reoffending_rate_short_custody": "as for all custody: selection into short custody of those who reoffend",
}
STEADY_COUNTS = ("under_supervision_mean", "licence_caseload_mean", "recalls_per_year", "breaches_per_year",
                 "releases_per_year", "custody_starts_per_year", "iom_cohort_mean")
STEADY_RATES = ("reoffending_rate", "reoffending_rate_community", "reoffending_rate_short_custody",
                "orders_completed_rate", "high_rosh_share", "police_probation_trust")
COUNT_TOL, COUNT_TREND, RATE_TOL, RATE_TREND = 0.10, 0.07, 0.03, 0.025  # as tests/integration/test_steady_world.py
PREDICTIONS = ("reoffending_rate", "reoffending_rate_short_custody", "reoffending_rate_community",
               "reoffences_per_reoffender", "under_supervision_mean", "licence_caseload_mean", "pss_caseload_mean",
               "recalls_per_year", "custody_starts_per_year", "orders_completed_rate")


def verdict(t: Target, mean: float, low: float, high: float) -> str:
    if not math.isfinite(mean):
        return "**missed**: no value"
    if t.low <= mean <= t.high:
        return "inside"
    if low <= t.high and high >= t.low:
        return "overlaps (the mean is outside the range)"
    return "**missed**" + (f": {REASONS[t.key]}" if t.key in REASONS else "")


def target_rows(results: dict[str, Any], targets: list[Target], factor: float) -> list[dict[str, Any]]:
    rows = []
    for t in targets:
        mean, low, high, n = interval(values(results, "targets", t.metric, factor=factor if t.national else 1.0))
        rows.append({"target": t, "mean": mean, "low": low, "high": high, "n": n, "verdict": verdict(t, mean, low, high)})
    return rows


def target_table(rows: list[dict[str, Any]], with_source: bool = False) -> list[str]:
    head = "| figure | published | range used | model mean | model 95% interval | |"
    lines = [head + (" what sets it |" if with_source else ""), "|---" * (6 + with_source) + "|"]
    for r in rows:
        t = r["target"]
        lines.append(f"| {t.row} | {show_target(t, t.value)} | {show_target(t, t.low)} - {show_target(t, t.high)} | "
                     f"{show_target(t, r['mean'])} | {show_target(t, r['low'])} - {show_target(t, r['high'])} | "
                     f"{r['verdict']} |" + (f" {t.source} |" if with_source else ""))
    return lines


def steady_lines(results: dict[str, Any]) -> list[str]:
    lines = ["| metric | yearly means, lowest - highest | decade mean | largest yearly deviation | trend a decade | "
             "within the tolerance |", "|---|---|---|---|---|---|"]
    years = list(validation.STEADY_YEARS)
    for key in STEADY_COUNTS + STEADY_RATES:
        by_year = np.array([interval(values(results, "steady", key, y))[0] for y in years])
        ok = np.isfinite(by_year)
        if ok.sum() < 2:
            continue
        mean = float(np.nanmean(by_year))
        trend = float(np.polyfit(np.array(years)[ok], by_year[ok], 1)[0] * 10)
        info = metric_info(key)
        if key in STEADY_COUNTS:
            dev, tr = float(np.nanmax(np.abs(by_year / mean - 1))), trend / mean
            fine = dev < COUNT_TOL and abs(tr) < COUNT_TREND
            shown = (f"{number(np.nanmin(by_year), 0)} - {number(np.nanmax(by_year), 0)}", number(mean, 0),
                     f"{dev:.1%}", f"{tr:+.1%}")
        else:
            dev, tr = float(np.nanmax(np.abs(by_year - mean))), trend
            fine = dev < RATE_TOL and abs(tr) < RATE_TREND
            f = info.factor
            unit = "pp" if f == 100 else ""
            shown = (f"{np.nanmin(by_year) * f:.3g} - {np.nanmax(by_year) * f:.3g}", f"{mean * f:.3g}",
                     f"{dev * f:.2g} {unit}".strip(), f"{tr * f:+.2g} {unit}".strip())
        lines.append(f"| {info.label} (`{key}`) | " + " | ".join(shown) + f" | {'yes' if fine else '**no**'} |")
    return lines


def prediction_lines(results: dict[str, Any], factor: float) -> list[str]:
    years = list(validation.PREDICTION_YEARS)
    lines = ["| metric | " + " | ".join(str(y) for y in years) + " |", "|---" * (len(years) + 1) + "|"]
    for key in PREDICTIONS:
        info = metric_info(key)
        f = factor if info.scales else 1.0
        cells = []
        for y in years:
            mean, low, high, n = interval(values(results, "predictions", key, y, factor=f))
            if not math.isfinite(mean):
                cells.append("n/a")
            elif info.factor == 100:
                cells.append(f"{mean * 100:.1f} ({low * 100:.1f}-{high * 100:.1f})")
            else:
                d = 0 if abs(mean) >= 100 else 2
                cells.append(f"{number(mean, d)} ({number(low, d)}-{number(high, d)})")
        unit = "%" if info.factor == 100 else (f"{info.unit}, national" if info.scales else info.unit)
        lines.append(f"| {info.label} ({unit}) | " + " | ".join(cells) + " |")
    return lines


def plot_targets(rows: list[dict[str, Any]], path_folder: Path) -> Path:
    """The model's mean and 95% interval over replications against each published range."""
    return plot_ranges(rows, "mean", path_folder, "targets",
                       "published ranges (green); the model's mean and 95% interval over replications (blue)")


def write(results: dict[str, Any], spec: Spec, posterior: Posterior | None, *, replications: int, scale: str,
          docs: Path, figures: Path) -> Path:
    """docs/validation.md (or ``docs``) and its figure in ``figures``."""
    figures.mkdir(parents=True, exist_ok=True)
    factor = spec.national_factor  # the spec is loaded at the validation's scale
    rows = target_rows(results, spec.targets, factor)
    checks = target_rows(results, CHECKS, factor)
    plot_targets(rows + checks, figures)
    rel = Path(os.path.relpath(figures, docs.parent)).as_posix()
    missed = [r["target"].key for r in rows if r["verdict"].startswith("**missed")]
    failed = failures(results)
    post = (f"a draw from the posterior of {posterior.label()} ({len(posterior.weights)} particles; replication k "
            "uses draw k)" if posterior is not None else "the parameters' defaults (no posterior)")
    lines = [
        "# Validation", "",
        f"Generated by `{provenance.command_line()}` on {dt.date.today().isoformat()} (commit "
        f"{provenance.git_commit()[:12]}); do not edit by hand: run `python run.py validate` again.", "",
        f"{replications} replications at the {scale} scale (counts x {factor:.1f} for national equivalents), each "
        f"with its own seed and {post}. Intervals are the 2.5th-97.5th percentiles of single runs, so they hold "
        "parameter uncertainty and chance together. Nothing after 2014 is a calibration target.", "",
        "## Pre-reform targets (the calibration's)", "",
        f"The calibration's setting (`{spec.path.name}`): scenario `{spec.scenario}` from its steady start, statistics "
        f"over {spec.window_start} to {spec.window_end} (exclusive). A target is **inside** when the model's mean is "
        "in its range, **overlaps** when only the 95% interval reaches the range, and **missed** otherwise.", "",
        *target_table(rows), "",
        f"Missed: {', '.join(missed) if missed else 'none'}.", "",
        "## Other pre-reform figures (inputs and checks, not targets)", "",
        *target_table(checks, with_source=True), "",
        "Offender-management staff (9,660 FTE nationally), enforcement (91.4%) and the split of staff and cases at "
        "the share-out are inputs (`workforce.om_staff_national`, `enforcement.breach_prob_public`, `tr.*`). The "
        "PPO cohort's effect (offending -24% over 12 months) sets `iom.offending_effect`; checking it would need a "
        "counterfactual without IOM for each replication, which is not run here.", "",
        f"![targets]({rel}/targets.png)", "",
        "## Steady state with inputs held", "",
        "`pre_tr` with the courts' disposals held at their 2011 level (`inputs.volumes = held`), 2011-2021: the "
        "yearly means over replications should neither drift nor jump. Tolerances as in "
        "`tests/integration/test_steady_world.py`: "
        f"counts within {COUNT_TOL:.0%} of the decade mean every year with a trend under {COUNT_TREND:.0%} a decade; "
        f"rates within {RATE_TOL * 100:.0f} points with a trend under {RATE_TREND * 100:.1f} points a decade.", "",
        *steady_lines(results), "",
        "## Predictions, 2015-2021 (`tr_reunified`)", "",
        "What the model says happened under the reform as it was (observed inputs), by calendar year: mean (95% "
        "interval of single runs). These are predictions, not fits: no post-2014 figure was used to make them, and "
        "they are listed as they come.", "",
        *prediction_lines(results, factor), "",
    ]
    if failed:
        lines += ["## Runs that failed", "", *[f"- {f}" for f in failed], ""]
    atomic_write_text(docs, "\n".join(lines))
    return docs

