"""ProbationModel: the probation system of England and Wales as a Mesa model."""

from __future__ import annotations

import copy
import datetime as dt
import time
from collections import defaultdict

import mesa
import numpy as np

from agents import CommunityRehabilitationCompany, VoluntaryProvider
from agents.states import Regime
from model.channels import policy
from model.channels.base import Channels
from model.channels.pbr import PaymentByResults
from model.engine.calendar import Calendar
from model.engine.streams import Streams
from model.parameters import Parameters, validate
from model.recording.metrics import Recorder, record_week
from model.week import WEEK
from model.week.cases import cases_by_org
from model.week.information import InterAgency, share_information
from model.week.offending import Hazard
from model.week.sentences import NEVER
from model.world.build import build_organisations, build_staff, build_ties, providers
from model.world.inputs import Disposal, Inputs
from model.world.network import build_graph, police_officers
from model.world.operating_model import OperatingModel
from model.world.population import Population
from model.world.steady_start import burn_in, burn_in_weeks, seed_from_profile, start_calendar


class ProbationModel(mesa.Model):
    """Weekly model of probation, police and providers from 2011, through TR, to reunification.

    Args:
        params: the parameter tree (defaults if None); validated here.
        rng: seed overriding ``params.run.seed``.
        world_only: build the organisations, staff and ties but no people, events or steady start (the
            steady start's profile world).
    """

    def __init__(self, params: Parameters | None = None, rng: int | None = None, *, world_only: bool = False) -> None:
        params = validate(params or Parameters())
        seed = int(params.run.seed if rng is None else rng)
        params.run.seed = seed
        super().__init__(rng=seed)
        self.params = params
        self.streams = Streams(seed)
        self.cal = Calendar(params.start_date, params.end_date)
        self.week = 0
        self.regime = Regime.TRUSTS
        self.ora_in_force = False
        self.ttg_in_force = False
        self.ora_week = NEVER  # ORA covers offences from this week (set by the ORA channel at commencement)
        self.reporting = False  # weeks are recorded (not during the steady start)
        self.burning_in = False
        self.counts: defaultdict[str, float] = defaultdict(float)  # this week's events, for the record
        self.ledger = {"government": 0.0, "external": 0.0}  # money in from government, out of the system
        self.last_government = 0.0
        self.recorder = Recorder(self.cal.n_weeks)
        self.first_year_weeks = self.cal.week_of(dt.date(params.start_date.year + 1, 1, 1))  # the PbR baseline year
        self.hazard = Hazard(params, self.cal.n_weeks)
        self.channels = Channels(params)
        self.new_ties: list[int] = []  # ties the last reorganisation made
        self.orgs: list = []
        self.areas = build_organisations(self)
        self.staff = build_staff(self, self.areas, self.streams.get("staff"))
        self.police_officers = police_officers(self)  # the network view's
        self.interagency = InterAgency(build_ties(self, self.areas), len(self.orgs), params)
        self.ops = OperatingModel(self.orgs, self.areas.n, params)
        self.channels.setup(self, self.ops)
        self.pbr = PaymentByResults(len(self.orgs), self.areas.n, self.cal.n_weeks, params)
        self.inputs = Inputs(params)
        self.court_balance = np.zeros((self.areas.n, len(Disposal)))  # disposals owed to the input, by area and kind
        self.court_hours = np.zeros(self.areas.n)  # this week's court work by area (reports, enforcement)
        self.enforcement_actions = np.zeros(self.areas.n)  # breaches actioned this week, by area
        self.pop = Population(capacity=1024)
        self.refresh()
        self.events: list = []
        self.running = True
        if world_only:
            return
        self.steady_start()
        self.events = policy.schedule(self)

    # ---- the steady start (model/world/steady_start.py) --------------------------------
    def steady_start(self) -> None:
        """Bring the freshly built world to the state the pre-reform rules keep it in, then start the
        calendar: a small world is burnt in itself; a larger one is seeded from a burnt-in profile world
        (the small scale's one area, the same parameters) and settles."""
        t0 = time.perf_counter()
        streams = self.streams
        if self.params.run.scale == "small" or burn_in_weeks(self.params) == 0:
            burn_in(self)
        else:
            seed_from_profile(self, self.profile_world(self.params))
        self.streams = streams
        start_calendar(self)
        self.steady_start_seconds = time.perf_counter() - t0

    @classmethod
    def profile_world(cls, params: Parameters) -> ProbationModel:
        """The steady start's profile world: the small scale's one area with these parameters, burnt in."""
        profile_params = copy.deepcopy(params)
        profile_params.run.scale = "small"
        profile = cls(profile_params, world_only=True)
        burn_in(profile)
        return profile

    # ---- the weekly timetable -------------------------------------------------------
    def step(self) -> None:
        """One reported week (policy events fall between weeks)."""
        self.simulate_week()
        self.week += 1
        if self.week >= self.cal.n_weeks:
            self.running = False

    def simulate_week(self) -> None:
        """The weekly timetable (``model.week.WEEK``), then the week's record when reporting."""
        self.counts.clear()
        for phase in WEEK:
            phase(self)
        if self.reporting:
            record_week(self)

    def run(self) -> None:
        """Run to the end date."""
        while self.running:
            self.step()

    @property
    def date(self) -> dt.date:
        """First day of the week about to be simulated."""
        return self.cal.date_of(self.week)

    def input_year(self) -> int:
        """The year whose disposals drive this week (the start year during the steady start)."""
        return self.params.start_date.year if self.burning_in else self.date.year

    def latest(self, name: str) -> float:
        """The last recorded value of a weekly series (NaN before the first week)."""
        w = self.recorder.recorded - 1
        return float(self.recorder.series[name][w]) if w >= 0 else float("nan")

    # ---- the organisations ------------------------------------------------------------
    def of_type(self, kind: type) -> list:
        """The model's agents of a kind, in the order they were built."""
        agents = self.agents_by_type.get(kind)
        return list(agents) if agents is not None else []

    def crcs(self) -> list[CommunityRehabilitationCompany]:
        return self.of_type(CommunityRehabilitationCompany)

    def voluntary_providers(self) -> list[VoluntaryProvider]:
        return self.of_type(VoluntaryProvider)

    def providers(self) -> list:
        """Organisations that supervise cases: trusts, NPS divisions and CRCs."""
        return providers(self)

    def refresh(self) -> None:
        """After a change to organisations or ties: mirror operating models into arrays; police forces
        share information on the ties as they now stand."""
        self.interagency.refresh_arrays()
        self.ops.refresh(self)
        share_information(self)

    def network(self):
        """The organisation/staff network with current trust on its ties (networkx)."""
        return build_graph(self)

    @property
    def ties(self):
        """The inter-organisation ties (``model.interagency.ties``)."""
        return self.interagency.ties

    def org_caseload(self) -> np.ndarray:
        """Supervised cases held by each organisation now."""
        return cases_by_org(self)
