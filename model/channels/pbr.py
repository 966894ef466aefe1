"""Payment by Results (DOMAIN.md, "The law and the contracts"): each CRC's tally of proven reoffending by
quarterly cohort, each area's 2011 baseline, and the payment for a cohort quarter once its lag has passed.

A person counts in the cohort of the organisation that holds their case by the allocation rule when
their cohort starts (a CRC for cases below high risk of harm after the split), by the quarter it started.
The baseline is the same measure on the CRC-eligible cohorts that started in the run's own first
calendar year (2011: the steady pre-reform world, same seed), in the CRC's area."""

from __future__ import annotations

import numpy as np

from model.engine.calendar import QUARTER_WEEKS
from model.engine.kernels import add_counts

MIN_BASELINE_COHORT = 30  # fewer people than this: the published baseline is used


class PaymentByResults:
    """``tally[org, quarter] = (people, reoffenders, proven reoffences)`` of closed cohorts by start quarter;
    ``baseline_tally[area]`` the same for the first year's CRC-eligible cohorts."""

    def __init__(self, n_orgs: int, n_areas: int, n_weeks: int, params) -> None:
        self.params = params
        self.tally = np.zeros((n_orgs, n_weeks // QUARTER_WEEKS + 2, 3), dtype=np.int64)
        self.quarter_active = np.zeros(self.tally.shape[:2], dtype=bool)
        self.baseline_tally = np.zeros((n_areas, 3), dtype=np.int64)
        self.start_week = -1  # the sale: cohorts starting from its quarter on are paid for

    def tally_cohorts(self, org: np.ndarray, start: np.ndarray, proven: np.ndarray) -> None:
        """Add closed cohorts of CRC cases to their organisation's quarter."""
        q = start // QUARTER_WEEKS
        ok = (q >= 0) & (q < self.tally.shape[1])
        o, q, proven = org[ok], q[ok], proven[ok].astype(np.int64)
        add_counts(self.tally[..., 0], (o, q))
        add_counts(self.tally[..., 1], (o, q), (proven > 0).astype(np.int64))
        add_counts(self.tally[..., 2], (o, q), proven)
        if self.start_week >= 0:
            self.quarter_active[o, q] = q * QUARTER_WEEKS >= (self.start_week // QUARTER_WEEKS) * QUARTER_WEEKS

    def tally_baseline(self, area: np.ndarray, proven: np.ndarray) -> None:
        """Add closed first-year CRC-eligible cohorts to their area's baseline."""
        proven = proven.astype(np.int64)
        add_counts(self.baseline_tally[:, 0], (area,))
        add_counts(self.baseline_tally[:, 1], (area,), (proven > 0).astype(np.int64))
        add_counts(self.baseline_tally[:, 2], (area,), proven)

    def baseline_of(self, area: int) -> tuple[float, float]:
        """(reoffending rate, reoffences per reoffender) of the area's 2011 cohort; the published baseline
        (``finance.pbr_baseline_*``) if the run has too few people in it."""
        n, re, proven = self.baseline_tally[area]
        if n >= MIN_BASELINE_COHORT and re > 0:
            return re / n, proven / re
        f = self.params.finance
        return f.pbr_baseline_binary, f.pbr_baseline_frequency

    def payment(self, org: int, pot: float, baseline: tuple[float, float], week: int) -> float:
        """Payment for the cohort quarter whose follow-up and lag end at this quarter end: the pot, split
        between a binary measure (the fall in the reoffending rate beyond the hurdle) and a frequency measure
        (the fall in reoffences per reoffender), each a share of ``finance.pbr_target_reduction`` of its
        baseline, within [0, 2]; nothing when the quarter is not under contract."""
        f = self.params.finance
        q = (week + 1) // QUARTER_WEEKS - 1 - f.pbr_lag_weeks // QUARTER_WEEKS
        if q < 0 or q >= self.tally.shape[1] or pot <= 0:
            return 0.0
        n, re, proven = self.tally[org, q]
        if n == 0 or not self.quarter_active[org, q]:
            return 0.0
        rate = re / n
        freq = proven / re if re else 0.0
        base_b, base_f = baseline
        score_b = np.clip((base_b - f.pbr_hurdle - rate) / (base_b * f.pbr_target_reduction), 0.0, 2.0)
        score_f = np.clip((base_f - freq) / (base_f * f.pbr_target_reduction), 0.0, 2.0)
        return float(pot * (f.pbr_binary_weight * score_b + (1 - f.pbr_binary_weight) * score_f))
