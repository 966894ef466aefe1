"""Weekly phase - needs and referrals: voluntary providers' limited places, officers' own work,
and needs coming back."""

from __future__ import annotations

import numpy as np

from agents.states import ATTITUDES, EMPLOYMENT, N_NEEDS, State
from model.engine.kernels import group_by_small_int, kernel, rows_where, smallest_k_by_group
from model.engine.keyed_draws import uniform, uniforms_at

COMMUNITY, LICENCE = int(State.COMMUNITY), int(State.LICENCE)

QUEUE, RELAPSE, WORK = 0, 1, 2  # parts of the week's keyed draws (WORK + need for officers' work)


def needs(model) -> None:
    """Refer unmet needs to providers with room; officers work on attitudes and employment."""
    p, pop, w = model.params, model.pop, model.week
    rng = model.streams.get("needs", w)
    v = pop.view()
    n_cpa = model.areas.n
    waiting, n_sup = _waiting_list(pop.state[v], pop.officer[v], pop.need[v], pop.need_met[v], pop.cpa[v], n_cpa)
    waiting = rows_where(waiting)
    if waiting.size:
        places = rng.poisson(p.needs.vcs_places_per_1000 / 1000.0 * n_sup * model.ops.vcs_capacity_share)
        queue = uniforms_at(model.streams.key("needs", w, QUEUE), waiting)
        served = first_in_line(waiting, pop.cpa[waiting], queue, places)
        # One unmet need per person served, chosen at random among theirs.
        unmet = pop.need[served] & ~pop.need_met[served]
        choices = (unmet[:, None] >> np.arange(N_NEEDS, dtype=np.uint8)) & 1
        keys = np.where(choices, rng.random(choices.shape), -1.0)
        need = keys.argmax(axis=1)
        ok = rng.random(served.size) < p.needs.success_prob
        pop.need_met[served[ok]] |= (1 << need[ok]).astype(np.uint8)
        model.counts["vcs_starts"] += served.size
    # Officers' own work on attitudes and employment, by dose and quality (a need met by a provider
    # this week may be "met" again: no change).
    for k in (ATTITUDES, EMPLOYMENT):
        _officer_work(model.streams.key("needs", w, WORK + k), k, pop.dose[v], pop.quality[v], pop.need[v],
                      pop.need_met[v], p.needs.officer_work_rate)
    # Met needs can come back: a draw for each (row, need), counter row * 5 + need, read where it is met.
    _relapse(model.streams.key("needs", w, RELAPSE), pop.need_met[v], p.needs.relapse_per_week)


def first_in_line(waiting: np.ndarray, cpa: np.ndarray, u: np.ndarray, places: np.ndarray) -> np.ndarray:
    """The rows served: in each area, the ``places`` people with the smallest queue draws ``u``
    (a random queue; ties, which uniform draws all but never give, go to the earlier row)."""
    by_area, bounds = group_by_small_int(cpa, places.size)
    return waiting[smallest_k_by_group(u, by_area, bounds, places.astype(np.int64))]


@kernel
def _waiting_list(state, officer, need, need_met, cpa, n_cpa):
    """Mask of allocated people in the community with an unmet need, and the allocated count by area."""
    n = state.shape[0]
    n_sup = np.zeros(n_cpa, dtype=np.int64)
    waiting = np.empty(n, dtype=np.bool_)
    for i in range(n):
        s = state[i]
        allocated = ((s == COMMUNITY) | (s == LICENCE)) & (officer[i] >= 0)
        n_sup[cpa[i]] += allocated
        waiting[i] = allocated & ((need[i] & ~need_met[i]) != 0)
    return waiting, n_sup


@kernel
def _officer_work(key, k, dose, quality, need, need_met, rate):
    """Need k met with chance rate x min(dose, 1) x quality (zero without contact); a draw per row."""
    bit = np.uint8(1 << k)
    for i in range(dose.shape[0]):
        work = rate * min(dose[i], 1.0) * quality[i]
        need_met[i] |= (need[i] & bit) if uniform(key, i) < work else np.uint8(0)


@kernel
def _relapse(key, need_met, rate):
    """Each met need comes back with chance ``rate`` (counter row * needs + need)."""
    for i in range(need_met.shape[0]):
        kept = np.uint8(0)
        for k in range(N_NEEDS):
            kept |= np.uint8(1 << k) if uniform(key, i * N_NEEDS + k) >= rate else np.uint8(0)
        need_met[i] &= kept
