"""Officers' responses to their work: contact quality, stress, leaving."""

from __future__ import annotations

import numpy as np
import pytest

from agents import (
    officer,
)


def test_officer_rules():
    assert list(officer.stress_target(np.array([0.5, 0.9, 1.2, 1.5, 3.0]), 0.9, 1.5)) == pytest.approx(
        [0.0, 0.0, 0.5, 1.0, 1.0])
    p = officer.weekly_quit_probability(np.array([0.0, 1.0]), 0.1, 0.25, np.array([0.0, 0.08]))
    assert list(p) == pytest.approx([1 - np.exp(-0.1 / 52), 1 - np.exp(-0.43 / 52)])
    assert officer.contact_quality(0.8, 0.5, 0.5) == pytest.approx(0.6)
