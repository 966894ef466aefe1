"""Payment by Results: each CRC's tally of proven reoffending by quarterly cohort, the baseline,
and the payment for a cohort quarter once its lag has passed."""

from __future__ import annotations

import numpy as np

from model.jit import add_counts

QUARTER_WEEKS = 13


class PaymentByResults:
    """``tally[org, quarter] = (people, reoffenders, proven reoffences)`` of closed cohorts by start quarter."""

    def __init__(self, n_orgs: int, n_weeks: int, params) -> None:
        self.params = params
        self.tally = np.zeros((n_orgs, n_weeks // QUARTER_WEEKS + 2, 3), dtype=np.int64)
        self.quarter_active = np.zeros(self.tally.shape[:2], dtype=bool)
        self.baseline = (params.finance.pbr_baseline_binary, params.finance.pbr_baseline_frequency)
        self.start_week = -1  # the sale: cohorts starting from its quarter on are paid for

    def tally_cohorts(self, org: np.ndarray, start: np.ndarray, proven: np.ndarray) -> None:
        """Add closed cohorts of CRC cases to their organisation's quarter."""
        q = start // QUARTER_WEEKS
        ok = q < self.tally.shape[1]
        o, q, proven = org[ok], q[ok], proven[ok].astype(np.int64)
        add_counts(self.tally[..., 0], (o, q))
        add_counts(self.tally[..., 1], (o, q), (proven > 0).astype(np.int64))
        add_counts(self.tally[..., 2], (o, q), proven)
        if self.start_week >= 0:
            self.quarter_active[o, q] = q * QUARTER_WEEKS >= self.start_week

    def measured_baseline(self, recorder, week: int) -> tuple[float, float]:
        """The 2011-style baseline from the run's own first-year CRC-eligible cohorts, if any."""
        coh = recorder.cohort[:52, :, 1, :].sum(axis=(0, 1))
        n, re, proven = coh
        if week >= 104 and n >= 30 and re > 0:
            return re / n, proven / re
        return self.baseline

    def payment(self, crc, week: int) -> float:
        """Payment for the cohort quarter whose lag ends now: binary and frequency measures against the
        baseline; the full pot at the target reduction, nothing at or above baseline (scores in [0, 2])."""
        f = self.params.finance
        q = (week + 1) // QUARTER_WEEKS - 1 - f.pbr_lag_weeks // QUARTER_WEEKS
        if q < 0 or crc.pbr_pot_per_person <= 0:
            return 0.0
        n, re, proven = self.tally[crc.index, q]
        if n == 0 or not self.quarter_active[crc.index, q]:
            return 0.0
        rate = re / n
        freq = proven / re if re else 0.0
        base_b, base_f = self.baseline
        score_b = np.clip((base_b - rate) / (base_b * f.pbr_target_reduction), 0.0, 2.0)
        score_f = np.clip((base_f - freq) / (base_f * f.pbr_target_reduction), 0.0, 2.0)
        score = f.pbr_binary_weight * score_b + (1 - f.pbr_binary_weight) * score_f
        return float(crc.pbr_pot_per_person * n * score)
