"""A sweep's comparisons as tables (raw stored units): outcomes by arm, paired differences against the
baseline arm, and two-level factorial effects with each factor's share of the total.

The report renders these with units; the Python API returns them; ``compare --csv`` writes them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from experiments.analysis.statistics import effect_names, estimate, factorial_effects, min_detectable, variance_components

TOTAL = "total"


def short(name: str) -> str:
    """A parameter's last dotted part: "tr.mechanisms.contact" -> "contact"."""
    return name.split(".")[-1]


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "on" if v else "off"
    return f"{v:.3g}" if isinstance(v, float) else str(v)


def switch_factors(exp) -> list[str]:
    """The design's factors if every one is an off/on switch of a full grid, else []."""
    if exp.design.kind != "grid" or not exp.design.factors:
        return []
    ok = all(sorted(map(repr, v)) == ["False", "True"] for v in exp.design.factors.values())
    return exp.design.names() if ok else []


def arm_label(exp, scenario: str, point: int) -> str:
    """A short readable name for an arm: the scenario, and what the design point switches or sets."""
    values = exp.points[point]
    prefix = scenario if len(exp.scenarios) > 1 or not values else ""
    if not values:
        return scenario
    switches = switch_factors(exp)
    if switches:
        on = [short(f) for f in switches if values[f]]
        what = "all on" if len(on) == len(switches) > 1 else ("all off" if not on else " + ".join(on))
    else:
        what = ", ".join(f"{short(k)}={_value(v)}" for k, v in values.items())
    return f"{prefix}: {what}" if prefix else what


def arms(exp, ok: pd.DataFrame) -> list[tuple[str, int]]:
    present = set(zip(ok["scenario"], ok["point"]))
    return [(s, i) for s in exp.scenarios for i in range(len(exp.points)) if (s, i) in present]


def by_rep(ok: pd.DataFrame, scenario: str, point: int, metric: str) -> dict[int, float]:
    """Replication -> value of one arm (finite values only). In a sweep with a posterior, the unit is the
    posterior draw: draw -> the mean over its replications, so that replications sharing a draw (and so
    correlated) count once and the intervals stay honest."""
    sel = ok[(ok["scenario"] == scenario) & (ok["point"] == point)]
    values = pd.to_numeric(sel[metric], errors="coerce").astype(float)
    keep = np.isfinite(values.to_numpy())
    if "draw" in sel.columns and sel["draw"].notna().any():
        means = values[keep].groupby(sel["draw"][keep].astype(int)).mean()
        return {int(k): float(v) for k, v in means.items()}
    return {int(k): float(v) for k, v in zip(sel["replication"][keep], values[keep])}


def outcomes(exp, ok: pd.DataFrame, metrics: list[str] | None = None) -> pd.DataFrame:
    """Mean and 95% t interval of each metric in each arm."""
    rows = []
    for s, i in arms(exp, ok):
        for m in metrics or exp.all_metrics():
            e = estimate(list(by_rep(ok, s, i, m).values()))
            rows.append({"scenario": s, "point": i, "arm": arm_label(exp, s, i), "metric": m,
                         **{k: e[k] for k in ("mean", "low", "high", "n", "sd")}})
    return pd.DataFrame(rows)


def differences(exp, ok: pd.DataFrame, metrics: list[str] | None = None) -> pd.DataFrame:
    """Each arm minus the baseline arm, paired by replication: mean, interval, p-value, minimum detectable."""
    base = (exp.baseline, exp.baseline_point)
    present = arms(exp, ok)
    rows = []
    if base not in present:
        return pd.DataFrame(rows)
    for m in metrics or exp.key_metrics:
        b = by_rep(ok, *base, m)
        bmean = float(np.mean(list(b.values()))) if b else math.nan
        for arm in present:
            if arm == base:
                continue
            t = by_rep(ok, *arm, m)
            common = sorted(set(t) & set(b))
            e = estimate([t[k] - b[k] for k in common])
            rows.append({"metric": m, "scenario": arm[0], "point": arm[1], "arm": arm_label(exp, *arm),
                         "baseline": arm_label(exp, *base), "baseline_mean": bmean, **e,
                         "relative": e["mean"] / bmean if bmean else math.nan,
                         "min_detectable": min_detectable(e["sd"], e["n"])})
    return pd.DataFrame(rows)


def two_level_factors(exp) -> list[str]:
    """The design's factors if it is a full two-level factorial of at least two factors, else []."""
    if exp.design.kind != "grid" or len(exp.design.factors) < 2:
        return []
    return exp.design.names() if all(len(v) == 2 for v in exp.design.factors.values()) else []


def effect_label(effect: tuple[str, ...]) -> str:
    return " x ".join(short(f) for f in effect)


def paired_by_point(exp, ok: pd.DataFrame, metrics: list[str] | None = None):
    """For each scenario and metric with replications finished at every design point: (scenario, metric,
    replication -> value at each point, the replications they share)."""
    for scenario in exp.scenarios:
        for m in metrics or exp.key_metrics:
            per_point = [by_rep(ok, scenario, i, m) for i in range(len(exp.points))]
            reps = sorted(set.intersection(*(set(d) for d in per_point)))
            if reps:
                yield scenario, m, per_point, reps


def factorial(exp, ok: pd.DataFrame, metrics: list[str] | None = None) -> pd.DataFrame:
    """Total (all high minus all low), main effects and interactions, computed within each replication
    (common seeds), with 95% intervals over replications; a main effect's ``share`` of the total."""
    factors = two_level_factors(exp)
    if not factors:
        return pd.DataFrame()
    levels = [tuple(exp.design.factors[f].index(p[f]) for f in factors) for p in exp.points]
    hi_i, lo_i = levels.index((1,) * len(factors)), levels.index((0,) * len(factors))
    rows = []
    for scenario, m, per_point, reps in paired_by_point(exp, ok, metrics):
        draws = [factorial_effects({levels[i]: per_point[i][k] for i in range(len(levels))}, factors) for k in reps]
        total = estimate([per_point[hi_i][k] - per_point[lo_i][k] for k in reps])
        low_mean = float(np.mean([per_point[lo_i][k] for k in reps]))
        common = {"scenario": scenario, "metric": m, "all_low_mean": low_mean}
        rows.append({**common, "effect": TOTAL, "order": 0, **total,
                     "min_detectable": min_detectable(total["sd"], total["n"]), "share": 1.0})
        for eff in effect_names(factors):
            e = estimate([d[eff] for d in draws])
            share = e["mean"] / total["mean"] if len(eff) == 1 and total["mean"] else math.nan
            rows.append({**common, "effect": effect_label(eff), "order": len(eff), **e,
                         "min_detectable": min_detectable(e["sd"], e["n"]), "share": share})
    return pd.DataFrame(rows)


def knockout(exp, ok: pd.DataFrame, metrics: list[str] | None = None) -> pd.DataFrame:
    """A knock-out design's attribution, within each replication (common seeds), with 95% intervals over
    replications: **total** = every factor on minus every factor off; each factor's effect = every factor on
    minus every factor on but that one (what knocking it out loses); **interactions** = the total less the sum
    of those, so that effects plus interactions add up to the total exactly. ``share`` = effect / total."""
    if exp.design.kind != "knockout":
        return pd.DataFrame()
    factors = exp.design.names()
    rows = []
    for scenario, m, per_point, reps in paired_by_point(exp, ok, metrics):
        on, off = per_point[0], per_point[1]
        total_draws = [on[k] - off[k] for k in reps]
        effect_draws = {f: [on[k] - per_point[2 + i][k] for k in reps] for i, f in enumerate(factors)}
        inter_draws = [t - sum(effect_draws[f][j] for f in factors) for j, t in enumerate(total_draws)]
        total = estimate(total_draws)
        common = {"scenario": scenario, "metric": m, "all_low_mean": float(np.mean([off[k] for k in reps]))}
        rows.append({**common, "effect": TOTAL, "order": 0, **total,
                     "min_detectable": min_detectable(total["sd"], total["n"]), "share": 1.0})
        for f in factors:
            e = estimate(effect_draws[f])
            rows.append({**common, "effect": effect_label((f,)), "order": 1, **e,
                         "min_detectable": min_detectable(e["sd"], e["n"]),
                         "share": e["mean"] / total["mean"] if total["mean"] else math.nan})
        e = estimate(inter_draws)
        rows.append({**common, "effect": "interactions", "order": 2, **e,
                     "min_detectable": min_detectable(e["sd"], e["n"]),
                     "share": e["mean"] / total["mean"] if total["mean"] else math.nan})
    return pd.DataFrame(rows)


def attribution_factors(exp) -> list[str]:
    """The factors a report attributes a total to: a two-level factorial's or a knock-out design's."""
    return exp.design.names() if exp.design.kind == "knockout" else two_level_factors(exp)


def interaction_share(effects: pd.DataFrame, scenario: str, metric: str) -> float:
    """The part of the total not carried by the main effects (odd-order interactions), as a share."""
    sel = effects[(effects["scenario"] == scenario) & (effects["metric"] == metric)]
    return 1.0 - float(sel.loc[sel["order"] == 1, "share"].sum())


def clear(row) -> bool:
    """Whether a row's 95% interval excludes zero."""
    return bool(np.isfinite(row["low"]) and (row["low"] > 0 or row["high"] < 0))


def _draw_groups(sel: pd.DataFrame, values: pd.Series) -> list[list[float]]:
    keep = np.isfinite(values.to_numpy(dtype=float))
    return [list(g) for _, g in values[keep].groupby(sel["draw"][keep].astype(int))]


def uncertainty(exp, ok: pd.DataFrame, metrics: list[str] | None = None) -> pd.DataFrame:
    """For a sweep with a posterior: how much of each key outcome's spread (every arm) and of each paired
    difference against the baseline arm comes from parameter uncertainty and how much from chance
    (``statistics.variance_components`` over the runs grouped by posterior draw). Empty without a posterior."""
    if exp.posterior is None or "draw" not in ok.columns:
        return pd.DataFrame()
    rows = []
    base = (exp.baseline, exp.baseline_point)
    present = arms(exp, ok)
    for m in metrics or exp.key_metrics:
        for arm in present:
            sel = ok[(ok["scenario"] == arm[0]) & (ok["point"] == arm[1])]
            v = variance_components(_draw_groups(sel, pd.to_numeric(sel[m], errors="coerce").astype(float)))
            rows.append({"metric": m, "kind": "outcome", "scenario": arm[0], "point": arm[1],
                         "arm": arm_label(exp, *arm), **v})
        if base not in present:
            continue
        b = ok[(ok["scenario"] == base[0]) & (ok["point"] == base[1])].set_index("replication")
        for arm in present:
            if arm == base:
                continue
            t = ok[(ok["scenario"] == arm[0]) & (ok["point"] == arm[1])].set_index("replication")
            common = t.index.intersection(b.index)
            diff = (pd.to_numeric(t.loc[common, m], errors="coerce").astype(float)
                    - pd.to_numeric(b.loc[common, m], errors="coerce").astype(float))
            v = variance_components(_draw_groups(t.loc[common], diff))
            rows.append({"metric": m, "kind": "difference", "scenario": arm[0], "point": arm[1],
                         "arm": f"{arm_label(exp, *arm)} - {arm_label(exp, *base)}", **v})
    return pd.DataFrame(rows)
