"""Weekly phase - sentencing: the courts' disposals this week, as the inputs give them.

People already in the model whose court date has come are sentenced first, by their risk and history,
within the places of each kind the input leaves this week; newcomers then make up each area's disposals
of each kind to the input (``model/world/inputs.py``): returning people + newcomers = the input, with any week's
surplus or shortfall carried to the next.
"""

from __future__ import annotations

import numpy as np

from agents.states import Rosh
from model.engine.kernels import rows_where
from model.engine.keyed_draws import uniforms_at
from model.week.sentences import KIND_OF, start_sentences
from model.world.inputs import CUSTODY, Disposal
from model.world.newcomers import describe_newcomers

CUSTODY_OR_NOT, WHICH_CUSTODY, WHICH_ORDER = 0, 1, 2  # parts of the week's keyed draws for the reconvicted


def custody_chance(p, ogrs: np.ndarray, prior_custody: np.ndarray) -> np.ndarray:
    """Chance a reconvicted person is given custody: ``sentencing.custody_share_on_reconviction`` at OGRS 50
    with no previous custody, on the logit scale + ``custody_ogrs_slope`` per 10 OGRS points, times the odds
    ``prior_custody_odds`` after a previous custodial term."""
    s = p.sentencing
    base = np.log(s.custody_share_on_reconviction / (1 - s.custody_share_on_reconviction))
    x = base + s.custody_ogrs_slope * (ogrs.astype(np.float64) - 50.0) / 10.0 + np.log(s.prior_custody_odds) * (prior_custody > 0)
    return 1.0 / (1.0 + np.exp(-x))


def preferred_disposals(model, rows: np.ndarray, chance: np.ndarray) -> np.ndarray:
    """Each reconvicted person's disposal as the court would choose it alone: custody with ``chance``; the
    term by the year's mix of terms, longer terms ``sentencing.serious_tilt`` times likelier at high risk of
    harm; an order a community order or an SSO in the year's proportions."""
    p, pop, w = model.params, model.pop, model.week
    key = model.streams.key
    mix = model.inputs.national_per_year(model.input_year())
    custody = uniforms_at(key("sentencing", w, CUSTODY_OR_NOT), rows) < chance
    weights = np.tile(mix[list(CUSTODY)], (rows.size, 1))
    weights[:, 1:] *= np.where(pop.rosh[rows] >= Rosh.HIGH, p.sentencing.serious_tilt, 1.0)[:, None]
    cum = np.cumsum(weights, axis=1)
    u = uniforms_at(key("sentencing", w, WHICH_CUSTODY), rows) * cum[:, -1]
    term = CUSTODY[0] + (u[:, None] >= cum).sum(axis=1)
    sso = uniforms_at(key("sentencing", w, WHICH_ORDER), rows) < mix[Disposal.SUSPENDED_ORDER] / mix[:2].sum()
    order = np.where(sso, Disposal.SUSPENDED_ORDER, Disposal.COMMUNITY_ORDER)
    return np.where(custody, term, order).astype(np.int64)


def within_places(disposal: np.ndarray, area: np.ndarray, chance: np.ndarray, places: np.ndarray) -> np.ndarray:
    """Disposals held to the places the input leaves this week: from the most severe kind down, where more
    people would get a kind than its places in their area, those least likely to be jailed get the next kind
    down (a community order takes everyone left)."""
    out = disposal.copy()
    for kind in range(places.shape[1] - 1, 0, -1):
        mine = np.flatnonzero(out == kind)
        if mine.size == 0:
            continue
        order = mine[np.lexsort((-chance[mine], area[mine]))]  # by area, likeliest to be jailed first
        first = np.searchsorted(area[order], np.arange(places.shape[0]))
        rank = np.arange(order.size) - first[area[order]]
        out[order[rank >= places[area[order], kind]]] = kind - 1
    return out


def sentencing(model) -> None:
    """Sentence those whose court date has come; newcomers make up the week's disposals to the input."""
    pop, w = model.pop, model.week
    rng = model.streams.get("sentencing", w)
    v = pop.view()
    n_areas, n_kinds = model.court_balance.shape
    due = rows_where(pop.week_court[v] == w)
    returning = np.zeros((n_areas, n_kinds))
    model.court_balance += model.inputs.weekly(model.input_year(), model.areas.share)
    if due.size:
        chance = custody_chance(model.params, pop.ogrs[due], pop.prior_custody[due])
        places = np.floor(np.maximum(model.court_balance, 0.0)).astype(np.int64)
        disposal = within_places(preferred_disposals(model, due, chance), pop.cpa[due].astype(np.int64), chance, places)
        pop.week_court[due] = -1
        pop.pending[due] = 0
        start_sentences(model, due, disposal, rng)
        np.add.at(returning, (pop.cpa[due], disposal), 1.0)
        model.counts["reconvictions"] += due.size
    model.court_balance -= returning
    counts = np.floor(np.maximum(model.court_balance, 0.0) + rng.random(model.court_balance.shape)).astype(np.int64)
    model.court_balance -= counts
    if counts.sum():
        disposal = np.repeat(np.tile(np.arange(n_kinds), n_areas), counts.ravel())
        area = np.repeat(np.repeat(np.arange(n_areas), n_kinds), counts.ravel()).astype(np.int16)
        rows = pop.add(disposal.size)
        describe_newcomers(model, rows, KIND_OF[disposal], area, rng)
        pop.week_offence[rows] = w - rng.geometric(1.0 / model.params.sentencing.court_lag_weeks, rows.size)
        start_sentences(model, rows, disposal, rng)
        model.counts["newcomers"] += rows.size
    model.counts["disposals"] += due.size + int(counts.sum())
    c = model.params.court
    model.court_hours = ((returning.sum(axis=1) + counts.sum(axis=1)) * c.report_hours_per_disposal
                         + model.enforcement_actions * c.enforcement_hours_per_action)
    model.enforcement_actions[:] = 0.0
    for k, name in enumerate(("community_orders", "suspended_orders", "custody_under_12m", "custody_12m_to_4y",
                              "custody_over_4y")):
        model.counts[f"disposals_{name}"] += float(returning[:, k].sum()) + int(counts[:, k].sum())
