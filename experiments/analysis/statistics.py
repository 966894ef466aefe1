"""Replication statistics: means with t intervals, paired differences and their tests, the minimum detectable
effect, Holm's correction, two-level factorial effects."""

from __future__ import annotations

import itertools
import math

import numpy as np
from scipy import stats


def mean_ci(values, level: float = 0.95) -> tuple[float, float, float, int]:
    """(mean, low, high, n) with a Student t interval over the finite values; NaN bounds if n < 2."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = int(x.size)
    if n == 0:
        return math.nan, math.nan, math.nan, 0
    mean = float(x.mean())
    if n < 2:
        return mean, math.nan, math.nan, n
    half = float(stats.t.ppf(0.5 + level / 2, n - 1) * x.std(ddof=1) / math.sqrt(n))
    return mean, mean - half, mean + half, n


def t_halfwidth(sd, n, level: float = 0.95):
    """Half-width of the Student t interval of a mean of n values with standard deviation sd (NaN if n < 2)."""
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        q = stats.t.ppf(0.5 + level / 2, np.where(n >= 2, n - 1, np.nan))
        return q * np.asarray(sd, dtype=float) / np.sqrt(n)


def estimate(values, level: float = 0.95) -> dict[str, float]:
    """Mean, t interval, n, standard deviation and the two-sided p-value of a zero mean, over the finite values."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    mean, low, high, n = mean_ci(x, level)
    sd = float(x.std(ddof=1)) if n >= 2 else math.nan
    if n < 2:
        p = math.nan
    elif sd == 0:
        p = 1.0 if mean == 0 else 0.0
    else:
        p = float(2 * stats.t.sf(abs(mean) / (sd / math.sqrt(n)), n - 1))
    return {"mean": mean, "low": low, "high": high, "n": n, "sd": sd, "p": p}


def min_detectable(sd: float, n: int, alpha: float = 0.05, power: float = 0.8) -> float:
    """Smallest true mean difference a paired t test over n replications detects with this power (two-sided)."""
    if n < 2 or not math.isfinite(sd):
        return math.nan
    return float((stats.t.ppf(1 - alpha / 2, n - 1) + stats.t.ppf(power, n - 1)) * sd / math.sqrt(n))


def holm(pvalues, alpha: float = 0.05) -> np.ndarray:
    """Which hypotheses Holm's step-down procedure rejects at family-wise level alpha (NaN p-values: never)."""
    p = np.asarray(pvalues, dtype=float)
    reject = np.zeros(p.size, dtype=bool)
    ok = np.flatnonzero(np.isfinite(p))
    m = ok.size
    for rank, i in enumerate(ok[np.argsort(p[ok], kind="stable")]):
        if p[i] > alpha / (m - rank):
            break
        reject[i] = True
    return reject


def paired_diff(treated: dict[int, float], baseline: dict[int, float]) -> tuple[float, float, float, int]:
    """Mean and interval of treated - baseline over the replications both have (same seeds)."""
    common = sorted(set(treated) & set(baseline))
    return mean_ci([treated[k] - baseline[k] for k in common])


def effect_names(factors: list[str]) -> list[tuple[str, ...]]:
    """Main effects first, then two-way, three-way ... interactions."""
    return [combo for r in range(1, len(factors) + 1) for combo in itertools.combinations(factors, r)]


def factorial_effects(y: dict[tuple[int, ...], float], factors: list[str]) -> dict[tuple[str, ...], float]:
    """Effects of a full two-level factorial from one replication's outcomes keyed by level (0 low, 1 high).

    effect(S) = mean(y where the product of +/-1 codes over S is +1) - mean(where it is -1); a main effect
    is mean(y | factor high) - mean(y | factor low).
    """
    m = len(factors)
    out = {}
    for combo in effect_names(factors):
        idx = [factors.index(f) for f in combo]
        total = sum(math.prod(2 * levels[i] - 1 for i in idx) * value for levels, value in y.items())
        out[combo] = total / 2 ** (m - 1)
    return out


def variance_components(groups: list[list[float]]) -> dict[str, float]:
    """One-way random-effects analysis of variance of runs grouped by posterior draw (each group: the finite
    values of the runs that share a draw). The runs' variance splits into the variance of the draws' true means
    (``param_var``: parameter uncertainty) and the variance of runs around their draw's mean (``chance_var``:
    the random numbers), estimated without bias from the mean squares between and within draws (negative
    between-draw estimates are set to 0). ``param_share``: the parameter part of one run's variance;
    ``param_share_of_mean``: of the variance of the mean over draws (the one an interval's width shows), where
    chance is averaged over the runs of each draw. NaN where there are too few draws or repeats."""
    groups = [np.asarray(g, dtype=float)[np.isfinite(np.asarray(g, dtype=float))] for g in groups]
    groups = [g for g in groups if g.size]
    m = len(groups)
    n = int(sum(g.size for g in groups))
    out = {"draws": float(m), "runs": float(n), "param_var": math.nan, "chance_var": math.nan,
           "param_share": math.nan, "param_share_of_mean": math.nan}
    if m < 2 or n - m < 1:
        return out
    grand = float(np.concatenate(groups).mean())
    ssb = float(sum(g.size * (g.mean() - grand) ** 2 for g in groups))
    ssw = float(sum(((g - g.mean()) ** 2).sum() for g in groups))
    msb, msw = ssb / (m - 1), ssw / (n - m)
    n0 = (n - sum(g.size ** 2 for g in groups) / n) / (m - 1)
    param, chance = max(0.0, (msb - msw) / n0), msw
    total = param + chance
    out.update(param_var=param, chance_var=chance)
    if total > 0:
        per_draw = n / m
        out.update(param_share=param / total, param_share_of_mean=param / (param + chance / per_draw))
    return out
