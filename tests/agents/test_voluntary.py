"""A voluntary provider's decision to stay or go."""

from __future__ import annotations

from agents import (
    VoluntaryProvider,
)
from tests.helpers import model_for


def book(org, income: float, spend: float) -> None:
    org.quarter_income, org.quarter_spend = income, spend


def test_provider_withdraws_after_its_patience_runs_out():
    m = model_for(**{"voluntary.exit_quarters": 2})
    x = m.of_type(VoluntaryProvider)[0]
    quarter_cost = x.yearly_cost * 13 / 52
    book(x, quarter_cost, 0.0)
    assert x.review_quarter() is False and x.underfunded_quarters == 0
    book(x, quarter_cost * 0.9, 0.0)
    assert x.review_quarter() is False and x.underfunded_quarters == 1
    book(x, quarter_cost * 0.9, 0.0)
    assert x.review_quarter() is True and not x.active and x.funder is None
    assert x.review_quarter() is False  # gone: nothing more to decide
