"""Phase f - needs and referrals: voluntary providers' limited places, officers' own work,
and needs coming back."""

from __future__ import annotations

import numpy as np

from model.jit import group_by_small_int, kernel, smallest_k_by_group
from model.states import ATTITUDES, EMPLOYMENT, State

COMMUNITY, LICENCE = int(State.COMMUNITY), int(State.LICENCE)

OFFICER_WORK_RATE = 0.02  # assumption: weekly chance good supervision meets an attitudes/employment need
def needs(model) -> None:
    """Refer unmet needs to providers with room; officers work on attitudes and employment."""
    p, pop, w = model.params, model.pop, model.week
    rng = model.streams.get("needs", w)
    v = pop.view()
    n_cpa = len(model.cpas)
    waiting, n_sup = _waiting_list(pop.state[v], pop.officer[v], pop.need[v], pop.need_met[v], pop.cpa[v], n_cpa)
    waiting = np.flatnonzero(waiting)
    if waiting.size:
        places = rng.poisson(p.needs.vcs_places_per_1000 / 1000.0 * n_sup * model.vcs_capacity_share)
        served = first_in_line(waiting, pop.cpa[waiting], rng.random(waiting.size), places)
        # One unmet need per person served, chosen at random among theirs.
        choices = pop.need[served] & ~pop.need_met[served]
        keys = np.where(choices, rng.random(choices.shape), -1.0)
        need = keys.argmax(axis=1)
        ok = rng.random(served.size) < p.needs.success_prob
        pop.need_met[served[ok], need[ok]] = True
        model.counts["vcs_starts"] += served.size
    # Officers' own work on attitudes and employment, by dose and quality (a need met by a provider
    # this week may be "met" again: no change).
    worked = np.flatnonzero(_positive(pop.dose[v]))
    for k in (ATTITUDES, EMPLOYMENT):  # each need its own run of draws, one per worked row
        _officer_work(worked, rng, k, pop.dose, pop.quality, pop.need, pop.need_met, OFFICER_WORK_RATE)
    # Met needs can come back (a draw for each need currently met, in row-major order).
    flat = pop.need_met[v].reshape(-1)
    _relapse(flat, rng, p.needs.relapse_per_week)


def first_in_line(waiting: np.ndarray, cpa: np.ndarray, u: np.ndarray, places: np.ndarray) -> np.ndarray:
    """The rows served: in each area the ``places`` first in a random queue (area + u ascending).

    Same rows in the same order as a stable argsort of ``cpa + u`` over everyone, but only the
    served part of each area's queue is ordered.
    """
    keys = cpa + u
    if (keys >= cpa + 1).any():  # u rounded up into the next area's keys: order everyone (as defined)
        order = np.argsort(keys, kind="stable")
        waiting, cpa = waiting[order], cpa[order]
        start = np.searchsorted(cpa, np.arange(places.size))
        return waiting[np.arange(waiting.size) - start[cpa] < places[cpa]]
    by_area, bounds = group_by_small_int(cpa, places.size)
    return waiting[smallest_k_by_group(keys, by_area, bounds, places.astype(np.int64))]


@kernel
def _waiting_list(state, officer, need, need_met, cpa, n_cpa):
    """Mask of allocated people in the community with an unmet need, and the allocated count by area."""
    n = state.shape[0]
    n_sup = np.zeros(n_cpa, dtype=np.int64)
    waiting = np.empty(n, dtype=np.bool_)
    has, met = need.view(np.uint8), need_met.view(np.uint8)
    for i in range(n):
        s = state[i]
        allocated = ((s == COMMUNITY) | (s == LICENCE)) & (officer[i] >= 0)
        n_sup[cpa[i]] += allocated
        unmet = np.uint8(0)
        for k in range(has.shape[1]):
            unmet |= has[i, k] & ~met[i, k]
        waiting[i] = allocated & (unmet != 0)
    return waiting, n_sup


@kernel
def _officer_work(worked, rng, k, dose, quality, need, need_met, rate):
    f32 = np.float32
    for j in range(worked.shape[0]):
        i = worked[j]
        d = dose[i] if dose[i] < f32(1.0) else f32(1.0)
        work = f32(f32(rate) * d) * quality[i]
        need_met[i, k] |= need[i, k] & (rng.random() < work)


@kernel
def _relapse(flat, rng, rate):
    for i in range(flat.shape[0]):
        if flat[i]:  # one draw per need currently met, in row-major order
            flat[i] = not (rng.random() < rate)


@kernel
def _positive(x):
    out = np.empty(x.shape[0], dtype=np.bool_)
    for i in range(x.shape[0]):
        out[i] = x[i] > 0
    return out
