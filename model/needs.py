"""Phase f - needs and referrals: voluntary providers' limited places, officers' own work,
and needs coming back."""

from __future__ import annotations

import numpy as np

from model.states import ATTITUDES, EMPLOYMENT, NEEDS, State

OFFICER_WORK_RATE = 0.02  # assumption: weekly chance good supervision meets an attitudes/employment need
_ONES = np.ones(len(NEEDS), dtype=np.uint8)


def count_true(flags: np.ndarray) -> np.ndarray:
    """Row counts of a contiguous (rows x needs) boolean matrix (a fast row sum)."""
    return np.ascontiguousarray(flags).view(np.uint8) @ _ONES


def needs(model) -> None:
    """Refer unmet needs to providers with room; officers work on attitudes and employment."""
    p, pop, w = model.params, model.pop, model.week
    rng = model.streams.get("needs", w)
    v = pop.view()
    unmet = pop.need[v] & ~pop.need_met[v]
    in_community = np.isin(pop.state[v], (State.COMMUNITY, State.LICENCE)) & (pop.officer[v] >= 0)
    waiting = np.flatnonzero(in_community & (count_true(unmet) > 0))
    if waiting.size:
        n_cpa = len(model.cpas)
        cpa = pop.cpa[waiting]
        n_sup = np.bincount(pop.cpa[v][in_community], minlength=n_cpa)
        places = rng.poisson(p.needs.vcs_places_per_1000 / 1000.0 * n_sup * model.vcs_capacity_share)
        order = np.argsort(cpa + rng.random(waiting.size), kind="stable")  # by area, random within it
        waiting, cpa = waiting[order], cpa[order]
        start = np.searchsorted(cpa, np.arange(n_cpa))
        rank = np.arange(waiting.size) - start[cpa]
        served = waiting[rank < places[cpa]]
        # One unmet need per person served, chosen at random among theirs.
        choices = unmet[served]
        keys = np.where(choices, rng.random(choices.shape), -1.0)
        need = keys.argmax(axis=1)
        ok = rng.random(served.size) < p.needs.success_prob
        pop.need_met[served[ok], need[ok]] = True
        model.counts["vcs_starts"] += served.size
    # Officers' own work on attitudes and employment, by dose and quality.
    worked = np.flatnonzero(pop.dose[v] > 0)
    work = OFFICER_WORK_RATE * np.minimum(pop.dose[worked], 1.0) * pop.quality[worked]
    for k in (ATTITUDES, EMPLOYMENT):
        hit = worked[unmet[worked, k] & (rng.random(worked.size) < work)]
        pop.need_met[hit, k] = True
    # Met needs can come back (draws only for needs currently met).
    flat = pop.need_met[v].reshape(-1)
    met = np.flatnonzero(flat)
    flat[met[rng.random(met.size) < p.needs.relapse_per_week]] = False
