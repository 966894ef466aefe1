"""Weekly phase - workforce: workload drives stress, sickness and leaving; vacancies are filled
after a delay by less skilled hires; skill grows toward the employer's training ceiling."""

from __future__ import annotations

import numpy as np

from agents.officer import stress_target, weekly_quit_probability
from model.engine.calendar import YEAR_WEEKS
from model.week.cases import release_cases


def workforce(model) -> None:
    """Stress, sickness, leavers, hires and learning for every post."""
    p, staff, w = model.params, model.staff, model.week
    k = p.workforce
    rng = model.streams.get("workforce", w)
    n = staff.n
    u_sick, u_quit, u_hire = rng.random(n), rng.random(n), rng.random(n)
    capacity = np.maximum(np.where(staff.filled & staff.funded, p.supervision.contact_hours_per_fte, 0.0), 1e-9)
    workload = np.where(staff.filled & staff.funded, staff.demand / capacity, 0.0)
    target = stress_target(workload, k.stress_onset, k.stress_full)
    staff.stress += (k.stress_rate * (target - staff.stress)).astype(np.float32)
    staff.sick = staff.filled & staff.funded & (u_sick < k.sickness_stress * staff.stress)
    extra = model.ops.extra_turnover[staff.employer]
    p_quit = weekly_quit_probability(staff.stress, k.turnover_base, k.turnover_stress, extra)
    leave = staff.filled & staff.funded & (u_quit < p_quit)
    if leave.any():
        staff.filled[leave] = False
        staff.leavers[leave] += 1
        staff.week_hire[leave] = w + 1 + np.floor(-np.log(np.maximum(u_hire[leave], 1e-12)) * k.hire_delay_weeks).astype(np.int32)
        release_cases(model, leave)
        model.counts["leavers"] += int(leave.sum())
    hire = ~staff.filled & staff.funded & (staff.week_hire >= 0) & (staff.week_hire <= w)
    staff.filled[hire] = True
    staff.skill[hire] = k.new_hire_skill
    staff.stress[hire] = 0.0
    staff.week_joined[hire] = w
    staff.week_hire[hire] = -1
    ceiling = model.ops.skill_ceiling[staff.employer]
    staff.skill += (k.learning_rate * (ceiling - staff.skill) * staff.filled).astype(np.float32)
    leavers_rate = np.bincount(staff.employer[leave], minlength=len(model.orgs)) * YEAR_WEEKS
    posts = np.maximum(np.bincount(staff.employer[staff.funded], minlength=len(model.orgs)), 1)
    model.ops.turnover_week[:] = leavers_rate / posts
    a = k.turnover_smoothing
    model.ops.turnover = (1 - a) * model.ops.turnover + a * model.ops.turnover_week


def fund_reserved_posts(model, org) -> int:
    """Fund an organisation's reserved posts (built unfunded for a later expansion), vacant until filled after
    the usual hiring delay; return how many."""
    staff = model.staff
    rows = np.flatnonzero((staff.employer == org.index) & staff.reserved)
    staff.reserved[rows] = False
    staff.funded[rows] = True
    staff.filled[rows] = False
    staff.week_hire[rows] = model.week + 1 + int(round(model.params.workforce.hire_delay_weeks))
    model.counts["posts_added"] += rows.size
    return int(rows.size)


def restore_posts(model, org, n: int) -> int:
    """Fund again up to ``n`` of an organisation's cut posts (vacant until filled); return how many."""
    staff = model.staff
    cut = np.flatnonzero((staff.employer == org.index) & ~staff.funded & ~staff.reserved)[:n]
    staff.funded[cut] = True
    staff.filled[cut] = False
    staff.week_hire[cut] = model.week + 1 + int(round(model.params.workforce.hire_delay_weeks))
    model.counts["posts_restored"] += cut.size
    return int(cut.size)


def cut_posts(model, org, share: float, rng: np.random.Generator) -> int:
    """Abolish a share of an organisation's funded posts, chosen at random (redundancy); their cases wait
    for a new officer."""
    staff = model.staff
    posts = np.flatnonzero((staff.employer == org.index) & staff.funded)
    n = int(round(share * posts.size))
    if n == 0:
        return 0
    cut = rng.choice(posts, size=n, replace=False)
    mask = np.zeros(staff.n, dtype=bool)
    mask[cut] = True
    staff.funded[mask] = False
    staff.filled[mask] = False
    release_cases(model, mask)
    model.counts["posts_cut"] += n
    return n
