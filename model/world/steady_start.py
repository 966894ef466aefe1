"""The steady start: on the first reported day the world is in the state the pre-reform rules keep it in.

1. A profile world - the small scale's one area, the run's own parameters, the start year's inputs held,
   no policy events - starts from the sentences a constant inflow leaves running
   (``model/world/initial_population.py``) and runs ``run.burn_in_years`` unreported, so that people's
   histories and propensities, the pool at liberty, pending court cases, open cohorts, relationships,
   needs, staff skill and stress, turnover and the ties' trust reach their steady state.
2. Its people are copied into every area of the run in proportion to the area's size (a small-scale run
   is the profile world itself); the run's staff and ties take the profile's state.
3. The run then settles for ``run.settle_weeks`` unreported, so that caseloads, allocation and IOM places
   fit its own staff. Then the calendar starts: every week count is shifted so that the first reported
   week is 0, and counters, books and tallies start empty.
"""

from __future__ import annotations

import numpy as np

from agents.states import Agency
from model.engine.calendar import WEEKS_PER_YEAR
from model.engine.streams import Streams
from model.recording.metrics import Recorder
from model.world.initial_population import populate
from model.world.network import TIE_KINDS
from model.world.newcomers import pick_in_area
from model.world.population import SCHEMA

AREA_COLUMNS = ("cpa", "force", "home_trust", "org", "agency", "officer", "cohort_org", "person_id")


def burn_in_weeks(params) -> int:
    """Weeks the profile world runs before the run (``run.burn_in_years``)."""
    return int(round(params.run.burn_in_years * WEEKS_PER_YEAR))


def burn_in(world) -> None:
    """Populate a world (its first day: ``model/world/initial_population.py``) and run it
    ``run.burn_in_years`` unreported under the pre-reform rules, on the "profile" epoch's numbers."""
    p = world.params
    world.streams = Streams(p.run.seed, epoch="profile")
    world.reporting, world.burning_in = False, True
    populate(world, world.streams.get("initial"))
    run_unreported(world, burn_in_weeks(p))


def seed_from_profile(model, profile) -> None:
    """People, staff state and trust from a burnt-in profile world into every area of ``model``; then the
    model settles ``run.settle_weeks`` unreported (on the "copy" and "settle" epochs' numbers)."""
    seed = model.params.run.seed
    model.reporting, model.burning_in = False, True
    copy_world(profile, model, Streams(seed, epoch="copy").get("people"))
    model.streams = Streams(seed, epoch="settle")
    run_unreported(model, model.params.run.settle_weeks)


def run_unreported(model, weeks: int) -> None:
    """Run the weekly timetable without recording."""
    for _ in range(weeks):
        model.simulate_week()
        model.week += 1


def copy_world(src, dst, rng: np.random.Generator) -> None:
    """People, staff state and trust from the profile world into every area of ``dst``."""
    live = np.flatnonzero(src.pop.live())
    scale = dst.areas.share / src.areas.share.sum()
    copies = np.floor(scale)[:, None] + (rng.random((dst.areas.n, live.size)) < (scale - np.floor(scale))[:, None])
    copies = copies.astype(np.int64)
    template = np.concatenate([np.repeat(live, copies[c]) for c in range(dst.areas.n)])
    area = np.repeat(np.arange(dst.areas.n), copies.sum(axis=1)).astype(np.int16)
    rows = dst.pop.add(template.size)
    for name in SCHEMA:
        if name not in AREA_COLUMNS:
            getattr(dst.pop, name)[rows] = getattr(src.pop, name)[template]
    dst.pop.cpa[rows] = area
    dst.pop.force[rows] = pick_in_area(dst.areas.forces_of, area, rng.random(rows.size))
    dst.pop.home_trust[rows] = pick_in_area(dst.areas.trusts_of, area, rng.random(rows.size))
    dst.pop.agency[rows] = Agency.NONE
    dst.pop.shift_weeks(dst.week - src.week, rows)
    staff, profile = dst.staff, src.staff
    for grade in np.unique(staff.grade):
        posts = np.flatnonzero(staff.grade == grade)
        pool = np.flatnonzero(profile.grade == grade)
        pool = pool if pool.size else np.arange(profile.n)
        pick = pool[rng.integers(0, pool.size, posts.size)]
        staff.skill[posts] = profile.skill[pick]
        staff.stress[posts] = profile.stress[pick]
        staff.week_joined[posts] = profile.week_joined[pick] + (dst.week - src.week)
    for kind in range(len(TIE_KINDS)):
        theirs = src.ties.active & (src.interagency.kind == kind)
        if theirs.any():
            dst.ties.trust[dst.interagency.kind == kind] = src.ties.trust[theirs].mean()
    dst.ops.turnover[:] = src.ops.turnover[src.ops.agency != Agency.NONE].mean()
    dst.refresh()


def start_calendar(model) -> None:
    """Week 0 is the first reported week: shift week counts; empty the counters, books and tallies."""
    shift = -model.week
    model.pop.shift_weeks(shift)
    staff = model.staff
    staff.week_joined += shift
    staff.week_hire[staff.week_hire >= 0] += shift
    staff.leavers[:] = 0
    model.week = 0
    model.counts.clear()
    model.recorder = Recorder(model.cal.n_weeks)
    model.ledger = {"government": 0.0, "external": 0.0}
    model.last_government = 0.0
    for org in model.orgs:
        org.balance = org.income_total = org.spend_total = org.quarter_income = org.quarter_spend = 0.0
    model.reporting, model.burning_in = True, False
    model.interagency.set_reference(model)
    model.refresh()
