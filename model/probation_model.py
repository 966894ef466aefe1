"""ProbationModel: the probation system of England and Wales as a Mesa model."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import mesa
import numpy as np

from agents import (
    CommunityRehabilitationCompany,
    NationalProbationService,
    PoliceForce,
    PoliceOfficer,
    ProbationOfficer,
    ProbationTrust,
    VoluntaryProvider,
)
from agents.states import ACCOMMODATION, EMPLOYMENT, Agency, Grade, OwnerType, PoliceRole, SentenceKind, State, need_bit
from model import geography, policy
from model.allocation import allocation, is_supervised, select_iom_cohort
from model.calendar import Calendar
from model.custody import custody
from model.enforcement import enforcement
from model.finance import finance
from model.information import information
from model.initial_population import populate
from model.jit import add_counts, kernel, rows_due, rows_where
from model.metrics import Recorder, record_week
from model.needs import needs
from model.network import POLICE_PROBATION, PROVIDER_VCS, Ties, build_graph
from model.offending import COHORT_WEEKS, Hazard, ageing, offending
from model.parameters import Parameters, validate
from model.population import Population
from model.relationships import relationships
from model.risk import risk
from model.sentencing import sentencing
from model.staff import Staff
from model.streams import Streams
from model.supervision import supervision
from model.workforce import workforce

NATIONAL_OM_STAFF = 9_660  # CALIBRATION.md: offender-management staff, 9,660 FTE (Mar 2014)
PO_SHARE = 0.45  # assumption: PO share of offender-management staff
NEIGHBOURHOOD_PER_FORCE = 2  # assumption: representative neighbourhood officers per force
BASE_ENFORCEMENT_WEEKS = 2  # assumption: weeks from a breach decision to its outcome


class ProbationModel(mesa.Model):
    """Weekly model of probation, police and providers from 2011, through TR, to reunification.

    Args:
        params: the parameter tree (defaults if None); validated here.
        rng: seed overriding ``params.run.seed``.
    """

    def __init__(self, params: Parameters | None = None, rng: int | None = None) -> None:
        params = validate(params or Parameters())
        seed = int(params.run.seed if rng is None else rng)
        params.run.seed = seed
        super().__init__(rng=seed)
        self.params = params
        self.streams = Streams(seed)
        self.cal = Calendar(params.start_date, params.end_date)
        self.week = 0
        self.regime = "trusts"
        self.ora_in_force = False
        self.ttg_in_force = False
        self.pbr_start_week = -1
        self.counts: defaultdict[str, float] = defaultdict(float)
        self.ledger = {"government": 0.0, "external": 0.0}
        self.last_government = 0.0
        self.recorder = Recorder(self.cal.n_weeks)
        self.hazard = Hazard(params, self.cal.n_weeks)
        self._build_geography()
        self._build_organisations()
        self._build_staff()
        self._build_police()
        self._build_ties()
        self.pbr_tally = np.zeros((len(self.orgs), self.cal.n_weeks // 13 + 2, 3), dtype=np.int64)
        self.pbr_quarter_active = np.zeros(self.pbr_tally.shape[:2], dtype=bool)
        self.pbr_baseline = (params.finance.pbr_baseline_binary, params.finance.pbr_baseline_frequency)
        self.pop = Population(capacity=1024)
        self.refresh_org_arrays()
        populate(self, self.streams.get("initial"))
        self.events = policy.timeline(self)
        for event in self.events:
            event.model = self
            week = self.cal.week_of(event.date)
            if week <= 0:
                event.fire()
            elif week < self.cal.n_weeks:
                self.schedule_event(event.fire, at=week + 0.5)
        self.datacollector = mesa.DataCollector(model_reporters={
            "Under supervision": lambda m: m.latest("under_supervision"),
            "Caseload trust": lambda m: m.latest("caseload_trust"),
            "Caseload NPS": lambda m: m.latest("caseload_nps"),
            "Caseload CRC": lambda m: m.latest("caseload_crc"),
            "Police-probation trust": lambda m: m.latest("police_probation_trust"),
            "Recalls": lambda m: m.latest("recalls"),
            "Offences": lambda m: m.latest("offences"),
            "CRC income (GBP)": lambda m: m.latest("crc_income_gbp"),
        })
        self.running = True

    # ---- the weekly timetable -------------------------------------------------------
    def step(self) -> None:
        """One week: the phases in order."""
        self.counts.clear()
        ageing(self)
        sentencing(self)
        custody(self)
        allocation(self)
        supervision(self)
        relationships(self)
        needs(self)
        information(self)
        offending(self)
        enforcement(self)
        risk(self)
        finance(self)
        workforce(self)
        record_week(self)
        self.datacollector.collect(self)
        self.week += 1
        if self.week >= self.cal.n_weeks:
            self.running = False

    def run(self) -> None:
        """Run to the end date."""
        while self.running:
            self.step()

    @property
    def date(self) -> dt.date:
        """First day of the week about to be simulated."""
        return self.cal.date_of(self.week)

    def latest(self, name: str) -> float:
        w = self.recorder.recorded - 1
        return float(self.recorder.series[name][w]) if w >= 0 else float("nan")

    # ---- construction ---------------------------------------------------------------
    def _build_geography(self) -> None:
        p = self.params
        self.cpas, self.fraction = geography.select(p.run.scale, p.population.national_supervised)
        total = sum(c.weight for c in geography.CPAS)
        self.cpa_national_share = np.array([c.weight / total for c in self.cpas]) * self.fraction

    def _register(self, org) -> None:
        org.index = len(self.orgs)
        self.orgs.append(org)

    def _build_organisations(self) -> None:
        s = self.params.supervision
        self.orgs: list = []
        self.trusts_of_cpa: list[np.ndarray] = []
        trusts: list[ProbationTrust] = []
        for c, cpa in enumerate(self.cpas):
            ids = []
            for name in cpa.trusts:
                t = ProbationTrust(self, f"{name} Probation Trust", [c], s.caseload_cap_trust, s.remote_share_trust)
                self._register(t)
                ids.append(len(trusts))
                trusts.append(t)
            self.trusts_of_cpa.append(np.array(ids))
        self.trust_org = np.array([t.index for t in trusts])
        divisions: dict[str, NationalProbationService] = {}
        self.nps_org_of_cpa = np.zeros(len(self.cpas), dtype=np.int64)
        self.crc_org_of_cpa = np.zeros(len(self.cpas), dtype=np.int64)
        for c, cpa in enumerate(self.cpas):
            if cpa.division not in divisions:
                d = NationalProbationService(self, f"NPS {cpa.division}", [], s.caseload_cap_nps, s.remote_share_trust)
                d.active = False
                self._register(d)
                divisions[cpa.division] = d
            divisions[cpa.division].cpas.append(c)
            self.nps_org_of_cpa[c] = divisions[cpa.division].index
            crc = CommunityRehabilitationCompany(self, f"{cpa.name} CRC", [c], s.caseload_cap_crc, s.remote_share_crc)
            crc.active = False
            self._register(crc)
            self.crc_org_of_cpa[c] = crc.index
        self.forces_of_cpa: list[list[int]] = []
        self.police_forces: list[PoliceForce] = []
        for c, cpa in enumerate(self.cpas):
            ids = []
            for name in cpa.forces:
                f = PoliceForce(self, f"{name} Police", [c])
                self._register(f)
                self.police_forces.append(f)
                ids.append(f.index)
            self.forces_of_cpa.append(ids)
        self.vcs: list[VoluntaryProvider] = []
        cost = self.params.finance.vcs_contract_gbp / (1 - self.params.voluntary.grant_share)
        for c, cpa in enumerate(self.cpas):
            for k in range(self.params.voluntary.providers_per_cpa):
                x = VoluntaryProvider(self, f"{cpa.name} provider {k + 1}", [c], cost)
                self._register(x)
                x.funder = trusts[self.trusts_of_cpa[c][k % len(self.trusts_of_cpa[c])]]
                self.vcs.append(x)
        self.providers = [o for o in self.orgs if o.agency != Agency.NONE]
        self.vcs_initial_per_cpa = np.bincount([x.cpas[0] for x in self.vcs], minlength=len(self.cpas))

    def _build_staff(self) -> None:
        rng = self.streams.get("staff")
        p = self.params
        total_w = sum(c.weight for c in geography.CPAS)
        per_cpa = [max(4, int(round(NATIONAL_OM_STAFF * c.weight / total_w * self.fraction
                                    * p.population.national_supervised / 235_000))) for c in self.cpas]
        self.staff = Staff(sum(per_cpa))
        st = self.staff
        row = 0
        for c, n in enumerate(per_cpa):
            trusts = self.trust_org[self.trusts_of_cpa[c]]
            rows = np.arange(row, row + n)
            st.cpa[rows] = c
            st.employer[rows] = trusts[np.arange(n) % len(trusts)]
            st.grade[rows] = np.where(rng.random(n) < PO_SHARE, Grade.PO, Grade.PSO)
            supervised = p.population.national_supervised * self.cpa_national_share[c]
            n_iom = int(np.ceil(p.iom.capacity_per_1000 / 1000 * supervised * 0.82 / p.iom.cases_per_probation_officer))
            po = rows[st.grade[rows] == Grade.PO]
            st.iom[po[:n_iom]] = True
            row += n
        st.skill[:] = np.clip(rng.normal(p.workforce.skill_ceiling_public - 0.1, 0.08, st.n), 0.3, 1.0)
        st.week_joined[:] = -rng.integers(0, 520, st.n)
        self.officers = [ProbationOfficer(self, r) for r in range(st.n)]

    def _build_police(self) -> None:
        p = self.params
        self.police_officers: list[PoliceOfficer] = []
        for force in self.police_forces:
            c = force.cpas[0]
            share = self.cpa_national_share[c] / len(self.forces_of_cpa[c])
            iom_places = p.iom.capacity_per_1000 / 1000 * p.population.national_supervised * share
            n_iom = max(1, int(np.ceil(iom_places / p.iom.cases_per_police_officer)))
            for _ in range(n_iom):
                officer = PoliceOfficer(self, force, PoliceRole.IOM)
                force.iom_officers.append(officer)
                self.police_officers.append(officer)
            for _ in range(NEIGHBOURHOOD_PER_FORCE):
                self.police_officers.append(PoliceOfficer(self, force, PoliceRole.NEIGHBOURHOOD))

    def _build_ties(self) -> None:
        i = self.params.information
        self.ties = Ties()
        for c in range(len(self.cpas)):
            for f in self.forces_of_cpa[c]:
                for t in self.trust_org[self.trusts_of_cpa[c]]:
                    self.ties.add(f, int(t), POLICE_PROBATION, i.initial_trust, True)
        for x in self.vcs:
            self.ties.add(x.funder.index, x.index, PROVIDER_VCS, i.initial_trust, False)

    # ---- organisation arrays (mirrored once a week or on change) ----------------------
    def mechanism(self, name: str) -> bool:
        """Whether TR acts on this IOM mechanism (always false before the split)."""
        return bool(getattr(self.params.tr.mechanisms, name))

    def crcs(self) -> list[CommunityRehabilitationCompany]:
        return [o for o in self.orgs if isinstance(o, CommunityRehabilitationCompany)]

    def refresh_org_arrays(self) -> None:
        """Mirror organisations' operating models into arrays the phases index by org."""
        p = self.params
        n = len(self.orgs)
        rel, contact, inter = (self.mechanism(k) for k in ("relationships", "contact", "interagency"))
        self.org_agency = np.array([o.agency for o in self.orgs], dtype=np.int8)
        self.org_cap = np.array([getattr(o, "caseload_cap", 0.0) for o in self.orgs])
        self.org_remote = np.array([getattr(o, "remote_share", 0.0) for o in self.orgs])
        self.org_parks = np.zeros(n, dtype=bool)
        self.org_profit_perception = np.zeros(n)
        self.org_breach_prob = np.full(n, p.enforcement.breach_prob_public)
        self.org_recall_push = np.zeros(n)
        self.org_confidential = np.zeros(n)
        self.org_extra_turnover = np.zeros(n)
        self.org_skill_ceiling = np.full(n, p.workforce.skill_ceiling_public)
        for o in self.crcs():
            k = o.index
            sold = o.owner != OwnerType.PUBLIC
            if not contact:
                self.org_cap[k], self.org_remote[k] = p.supervision.caseload_cap_trust, p.supervision.remote_share_trust
            elif not sold:
                self.org_remote[k] = p.supervision.remote_share_trust
            self.org_parks[k] = o.parks_hard_cases() and contact
            if rel and sold:
                self.org_profit_perception[k] = 1.0 if o.for_profit else 0.3
                self.org_skill_ceiling[k] = p.workforce.skill_ceiling_crc
            self.org_breach_prob[k] = o.breach_probability(p.enforcement.breach_prob_public)
            self.org_recall_push[k] = o.recall_push
            if inter and o.for_profit and not p.policy.data_sharing_mandated:
                self.org_confidential[k] = 1.0
            self.org_extra_turnover[k] = p.workforce.crc_uncertainty
        if not hasattr(self, "org_turnover"):
            self.org_turnover = np.full(n, p.workforce.turnover_base)
            self.org_turnover_week = np.zeros(n)
        self.transfer_keep = p.relationships.transfer_keep if rel else p.relationships.officer_change_keep
        self.iom_protected = p.policy.iom_in_contract or not contact
        withdraw = (self.regime == "split" and contact and not p.policy.iom_in_contract
                    and any(o.pbr_active for o in self.crcs()))
        self.iom_support = np.full(len(self.cpas), 1.0 - (p.iom.crc_withdrawal if withdraw else 0.0))
        it = p.information.it_access_penalty if (inter and not p.policy.data_sharing_mandated) else 0.0
        self.org_access = np.where(self.org_agency == Agency.CRC, 1.0 - it, 1.0)
        a, b, kind = self.ties.arrays()
        self.tie_a, self.tie_b, self.tie_kind = a.astype(np.int64), b.astype(np.int64), kind
        self.vcs_capacity_share = np.zeros(len(self.cpas))
        for x in self.vcs:
            if x.active:
                self.vcs_capacity_share[x.cpas[0]] += 1.0 if x.funder is not None else p.voluntary.grant_share
        self.vcs_capacity_share /= np.maximum(self.vcs_initial_per_cpa, 1)
        self.refresh_information()

    def refresh_information(self) -> None:
        """info[force, org]: information flowing on IOM cases, from trust and IT access."""
        n = len(self.orgs)
        info = np.zeros((n, n))
        ties = self.ties
        if ties.trust.size:
            act = ties.active & (self.tie_kind == POLICE_PROBATION)
            a, b = self.tie_a[act], self.tie_b[act]
            t = ties.trust[act]
            info[a, b] = t * self.org_access[b]
            info[b, a] = t * self.org_access[a]
        self.info = np.clip(info / self.params.information.initial_trust, 0.0, 1.2)

    def org_caseload_now(self) -> np.ndarray:
        pop = self.pop
        v = pop.view()
        return _cases_by_org(pop.state[v], pop.sentence_kind[v], pop.recalled[v], pop.ora[v], pop.org[v], len(self.orgs))

    @property
    def org_caseload(self) -> np.ndarray:
        return self.org_caseload_now()

    def info_of_rows(self, rows) -> np.ndarray:
        """Information flow (0-1.2, 1 = pre-reform level) on each row's case."""
        from model.allocation import required_provider

        pop = self.pop
        org = pop.org[rows]
        if isinstance(rows, slice):
            idx = np.arange(rows.start or 0, rows.stop)
        else:
            idx = np.asarray(rows)
        missing = org < 0
        if missing.any():
            org = org.copy()
            org[missing] = required_provider(self, idx[missing])
        return self.info[pop.force[rows], org]

    def mean_tie_trust(self, kind: int) -> float:
        sel = self.ties.active & (self.tie_kind == kind) if self.ties.trust.size else np.zeros(0, bool)
        return float(self.ties.trust[sel].mean()) if sel.any() else float("nan")

    def nps_crc_trust_of_rows(self, rows: np.ndarray) -> np.ndarray:
        pop = self.pop
        cpa = pop.cpa[rows]
        out = np.full(rows.size, self.params.information.initial_trust)
        for c in np.unique(cpa):
            tie = self.ties.find(int(self.nps_org_of_cpa[c]), int(self.crc_org_of_cpa[c]))
            if tie >= 0 and self.ties.active[tie]:
                out[cpa == c] = self.ties.trust[tie]
        return out

    def _delay(self, rows: np.ndarray, base: float) -> np.ndarray:
        crc = self.pop.agency[rows] == Agency.CRC
        if not self.mechanism("interagency") or not crc.any():
            return np.full(rows.size, int(round(base)), dtype=np.int32)
        norm = self.nps_crc_trust_of_rows(rows) / self.params.information.initial_trust
        slow = base / np.maximum(norm, 0.2)
        return np.ceil(np.where(crc, slow, base)).astype(np.int32)

    def enforcement_delay(self, rows: np.ndarray) -> np.ndarray:
        """Weeks from a breach decision to its outcome; CRC cases go through the NPS."""
        return self._delay(rows, BASE_ENFORCEMENT_WEEKS)

    def transfer_delay(self, rows: np.ndarray) -> np.ndarray:
        """Weeks for an escalated CRC case to reach the NPS."""
        return np.maximum(self._delay(rows, self.params.risk.transfer_delay_weeks), 1)

    # ---- people ----------------------------------------------------------------------
    def select_iom_cohort(self, sup: np.ndarray) -> None:
        select_iom_cohort(self, sup)

    def open_cohorts(self, rows: np.ndarray, kind) -> None:
        """Start a proven-reoffending cohort for rows with none open (one per person per year)."""
        pop = self.pop
        kind = np.broadcast_to(np.asarray(kind, dtype=np.int8), rows.shape)
        keep = pop.cohort_start[rows] < 0
        rows, kind = rows[keep], kind[keep]
        pop.cohort_start[rows] = self.week
        pop.cohort_kind[rows] = kind
        pop.cohort_crc[rows] = pop.rosh[rows] < self.params.tr.nps_case_share_rosh
        pop.cohort_org[rows] = np.where(pop.org[rows] >= 0, pop.org[rows], -1)
        pop.cohort_proven[rows] = 0

    def close_cohorts(self) -> None:
        """Tally cohorts whose 12 months have passed (their proven offences are known)."""
        pop, w = self.pop, self.week
        v = pop.view()
        done = rows_due(pop.cohort_start[v], w - COHORT_WEEKS)  # started, and 12 months ago or more
        if done.size == 0:
            return
        self.recorder.tally_cohorts(pop.cohort_start[done], pop.cohort_kind[done].astype(np.int64),
                                    pop.cohort_crc[done], pop.cohort_proven[done])
        org = pop.cohort_org[done]
        crc = (org >= 0) & (self.org_agency[np.maximum(org, 0)] == Agency.CRC)
        if crc.any():
            rows = done[crc]
            q = pop.cohort_start[rows] // 13
            ok = q < self.pbr_tally.shape[1]
            o, q, proven = org[crc][ok], q[ok], pop.cohort_proven[rows][ok].astype(np.int64)
            add_counts(self.pbr_tally[..., 0], (o, q))
            add_counts(self.pbr_tally[..., 1], (o, q), (proven > 0).astype(np.int64))
            add_counts(self.pbr_tally[..., 2], (o, q), proven)
            if self.pbr_start_week >= 0:
                self.pbr_quarter_active[o, q] = q * 13 >= self.pbr_start_week
        pop.cohort_start[done] = -1

    def measured_pbr_baseline(self) -> tuple[float, float]:
        """The 2011-style baseline from the run's own first-year CRC-eligible cohorts, if any."""
        coh = self.recorder.cohort[:52, :, 1, :].sum(axis=(0, 1))
        n, re, proven = coh
        if self.week >= 104 and n >= 30 and re > 0:
            return re / n, proven / re
        return (self.params.finance.pbr_baseline_binary, self.params.finance.pbr_baseline_frequency)

    def unassign(self, rows: np.ndarray) -> None:
        """Take rows off their officers' caseloads."""
        off = self.pop.officer[rows]
        held = off >= 0
        if held.any():
            self.staff.caseload -= np.bincount(off[held], minlength=self.staff.n).astype(self.staff.caseload.dtype)
        self.pop.officer[rows] = -1

    def terminate(self, rows: np.ndarray, completed: bool) -> None:
        """End supervision: count the termination and its outcomes; leave the caseload."""
        if rows.size == 0:
            return
        pop, c = self.pop, self.counts
        c["terminations"] += rows.size
        if completed:
            c["completions"] += rows.size
        unmet = pop.need[rows] & ~pop.need_met[rows]
        c["term_accommodation_ok"] += int((unmet & need_bit(ACCOMMODATION) == 0).sum())
        c["term_employment_ok"] += int((unmet & need_bit(EMPLOYMENT) == 0).sum())
        pop.state[rows] = State.FREE
        pop.week_free[rows] = self.week
        self.unassign(rows)
        pop.agency[rows], pop.org[rows] = Agency.NONE, -1
        pop.parked[rows] = False
        pop.week_transfer[rows] = -1
        pop.week_breach[rows] = -1

    def recall(self, rows: np.ndarray) -> None:
        """Recall licence cases to custody; they stay on the caseload."""
        if rows.size == 0:
            return
        pop, w = self.pop, self.week
        rng = self.streams.get("recall", w)
        weeks = np.maximum(1, np.ceil(rng.exponential(self.params.enforcement.recall_custody_weeks, rows.size)))
        pop.state[rows] = State.CUSTODY
        pop.recalled[rows] = True
        pop.week_release[rows] = w + weeks.astype(np.int32)
        pop.week_breach[rows] = -1
        self.counts["recalls"] += rows.size
        self.counts["recalls_short"] += int((pop.sentence_kind[rows] == SentenceKind.SHORT_CUSTODY).sum())

    # ---- staff -----------------------------------------------------------------------
    def release_cases(self, posts: np.ndarray) -> None:
        """Cases of posts just vacated or cut wait for a new officer."""
        pop = self.pop
        v = pop.view()
        lost = rows_where(_cases_of_posts(pop.officer[v], posts))
        pop.officer[lost] = -1
        pop.relationship[lost] *= self.params.relationships.officer_change_keep
        self.staff.caseload[posts] = 0
        self.counts["officer_changed"] += lost.size

    def cut_posts(self, org, share: float, rng: np.random.Generator) -> None:
        """Abolish a share of an organisation's funded posts (redundancy)."""
        st = self.staff
        posts = np.flatnonzero((st.employer == org.index) & st.funded)
        n = int(round(share * posts.size))
        if n == 0:
            return
        cut = rng.choice(posts, size=n, replace=False)
        mask = np.zeros(st.n, dtype=bool)
        mask[cut] = True
        st.funded[mask] = False
        st.filled[mask] = False
        self.release_cases(mask)
        self.counts["posts_cut"] += n

    def subcontract_cost(self, org) -> float:
        share = 1 - self.params.voluntary.grant_share
        return sum(x.yearly_cost * share / 52.0 for x in self.vcs if x.active and x.funder is org)

    def drop_subcontract(self, org) -> None:
        funded = [x for x in self.vcs if x.active and x.funder is org]
        if funded:
            x = funded[-1]
            x.funder = None
            self.retire_tie_with(x)

    def retire_tie_with(self, org) -> None:
        """Deactivate every tie of an organisation (a provider leaving, a CRC closing)."""
        for row, (a, b) in enumerate(zip(self.ties.a, self.ties.b)):
            if org.index in (a, b):
                self.ties.active[row] = False

    def network(self):
        """The organisation/staff network with current trust on its ties (networkx)."""
        return build_graph(self)


@kernel
def _cases_by_org(state, sentence_kind, recalled, ora, org, n_orgs):
    """Supervised cases held by each organisation."""
    out = np.zeros(n_orgs, dtype=np.int64)
    for i in range(state.shape[0]):
        out[max(org[i], 0)] += is_supervised(state[i], sentence_kind[i], recalled[i], ora[i]) & (org[i] >= 0)
    return out


@kernel
def _cases_of_posts(officer, posts):
    """Mask of rows whose officer holds one of the flagged posts."""
    out = np.empty(officer.shape[0], dtype=np.bool_)
    for i in range(officer.shape[0]):
        out[i] = (officer[i] >= 0) & posts[max(officer[i], 0)]
    return out
