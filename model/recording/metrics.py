"""Weekly series (preallocated arrays) and the run summary, with analysis windows.

Every summary metric is defined in docs/metrics.md; ``summarise`` computes all of them over
any range of weeks, so the summary and each ``<key>_by_year`` share one definition.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from agents.states import Agency, Regime, Rosh, SentenceKind, State
from model.engine.calendar import WEEKS_PER_YEAR, YEAR_WEEKS
from model.engine.kernels import add_counts, count_by, kernel, rows_where
from model.week.cases import COHORT_WEEKS, group_of, is_supervised

FREE, CUSTODY, COMMUNITY, LICENCE = int(State.FREE), int(State.CUSTODY), int(State.COMMUNITY), int(State.LICENCE)
SHORT_CUSTODY = int(SentenceKind.SHORT_CUSTODY)
HIGH = int(Rosh.HIGH)

SERIES = (
    "under_supervision", "in_custody", "community", "licence", "free", "iom_cohort",
    "short_custody_on_licence", "caseload_trust", "caseload_nps", "caseload_crc", "unallocated",
    "officers_trust", "officers_nps", "officers_crc", "offences", "proven", "victims",
    "recalls", "recalls_short", "breaches", "transfers_crc_to_nps", "police_probation_trust",
    "nps_crc_trust", "relationship", "officer_continuity", "iom_contact_hours", "iom_case_weeks",
    "crc_income_gbp", "crc_cost_gbp", "crc_net_gbp", "pbr_paid_gbp", "public_cost_gbp",
    "vcs_active_share", "staff_filled", "leavers", "stress", "terminations", "completions",
    "term_accommodation_ok", "term_employment_ok", "releases_short", "releases_short_supervised",
    "parked", "remote_share_crc", "licence_caseload", "pss_caseload", "court_orders_started", "custody_starts",
    "custody_starts_short", "releases", "re_releases", "recalls_fixed_term", "pss_breaches_to_court", "disposals",
    "disposals_community_orders", "disposals_suspended_orders", "disposals_custody_under_12m",
    "disposals_custody_12m_to_4y", "disposals_custody_over_4y", "newcomers", "reconvictions", "high_rosh_share",
    "ogrs_mean_community",
)
COHORT_KINDS = 3  # SentenceKind: community, short custody, long custody
GROUPS = ("male_white", "male_minority", "female_white", "female_minority")  # model/week/cases.py::group_of
GROUP_SETS = {"male": [0, 1], "female": [2, 3], "white": [0, 2], "minority_ethnic": [1, 3]}  # the groups reported


class Recorder:
    """Preallocated weekly arrays plus proven-reoffending cohort tallies by start week."""

    def __init__(self, n_weeks: int) -> None:
        self.n_weeks = n_weeks
        self.series = {name: np.full(n_weeks, np.nan) for name in SERIES}
        # cohort[start_week, kind, crc_eligible, group] -> (people, reoffenders, proven reoffences)
        self.cohort = np.zeros((n_weeks, COHORT_KINDS, 2, len(GROUPS), 3), dtype=np.int64)
        # by_group[week, group] -> (allocated cases at liberty, their relationships summed, their contact hours)
        self.by_group = np.zeros((n_weeks, len(GROUPS), 3))
        self.recorded = 0

    def tally_cohorts(self, start: np.ndarray, kind: np.ndarray, crc: np.ndarray, group: np.ndarray,
                      proven: np.ndarray) -> None:
        ok = (start >= 0) & (start < self.n_weeks)
        idx = (start[ok], kind[ok], crc[ok].astype(np.int64), group[ok])
        add_counts(self.cohort[..., 0], idx)
        add_counts(self.cohort[..., 1], idx, (proven[ok] > 0).astype(np.int64))
        add_counts(self.cohort[..., 2], idx, proven[ok].astype(np.int64))


CENSUS = ("under_supervision", "in_custody", "community", "licence", "free", "iom_cohort",
          "short_custody_on_licence", "unallocated", "parked", "licence_caseload", "pss_caseload")
WEEKLY_COUNTS = ("offences", "proven", "recalls", "recalls_short", "breaches", "transfers_crc_to_nps",
                 "iom_contact_hours", "iom_case_weeks", "leavers", "terminations", "completions",
                 "term_accommodation_ok", "term_employment_ok", "releases_short", "releases_short_supervised",
                 "court_orders_started", "custody_starts", "custody_starts_short", "releases", "re_releases",
                 "recalls_fixed_term", "pss_breaches_to_court", "disposals", "disposals_community_orders",
                 "disposals_suspended_orders", "disposals_custody_under_12m", "disposals_custody_12m_to_4y",
                 "disposals_custody_over_4y", "newcomers", "reconvictions")


@kernel
def _census(w, state, sentence_kind, recalled, ora, officer, iom, parked, week_licence_end, rosh, ogrs):
    """Head counts (CENSUS order, then the number allocated), and masks of the allocated and of the
    allocated at liberty (whose relationships are averaged); vectorisable, counters in registers.
    The licence caseload is people on licence in the community; the PSS caseload those past their licence."""
    n = state.shape[0]
    c0 = c1 = c2 = c3 = c4 = c5 = c6 = c7 = c8 = c9 = c10 = c11 = c12 = c13 = 0
    has_officer = np.empty(n, dtype=np.bool_)
    at_liberty = np.empty(n, dtype=np.bool_)
    for i in range(n):
        s = state[i]
        sup = is_supervised(s, sentence_kind[i], recalled[i], ora[i])
        h = sup & (officer[i] >= 0)
        c0 += sup
        c1 += s == CUSTODY
        c2 += s == COMMUNITY
        c3 += s == LICENCE
        c4 += s == FREE
        c5 += iom[i]
        c6 += (s == LICENCE) & (sentence_kind[i] == SHORT_CUSTODY)
        c7 += sup & (officer[i] < 0)
        c8 += parked[i]
        c9 += (s == LICENCE) & (week_licence_end[i] > w)
        c10 += (s == LICENCE) & (week_licence_end[i] <= w)
        c11 += sup & (rosh[i] >= HIGH)
        c12 += ogrs[i] if s == COMMUNITY else 0
        c13 += h
        has_officer[i] = h
        at_liberty[i] = h & (s != CUSTODY)
    return np.array([c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13]), has_officer, at_liberty


def record_week(model) -> None:
    """Write this week's values into the series."""
    pop, staff, w, c = model.pop, model.staff, model.week, model.counts
    s = model.recorder.series
    v = pop.view()
    counts, has_officer, at_liberty = _census(w, pop.state[v], pop.sentence_kind[v], pop.recalled[v], pop.ora[v],
                                              pop.officer[v], pop.iom[v], pop.parked[v], pop.week_licence_end[v],
                                              pop.rosh[v], pop.ogrs[v])
    cases = count_by(pop.officer, rows_where(has_officer), staff.n)
    allocated = rows_where(at_liberty)
    for k, name in enumerate(CENSUS):
        s[name][w] = counts[k]
    s["high_rosh_share"][w] = counts[11] / counts[0] if counts[0] else np.nan
    s["ogrs_mean_community"][w] = counts[12] / counts[2] if counts[2] else np.nan
    working = staff.filled & staff.funded
    agency_of_post = model.ops.agency[staff.employer]
    for name, agency in (("trust", Agency.TRUST), ("nps", Agency.NPS), ("crc", Agency.CRC)):
        posts = working & (agency_of_post == agency)
        n_posts = int(posts.sum())
        s[f"officers_{name}"][w] = n_posts
        s[f"caseload_{name}"][w] = cases[posts].sum() / n_posts if n_posts else np.nan
    s["relationship"][w] = pop.relationship[allocated].mean() if allocated.size else np.nan
    group = group_of(pop, allocated)
    n_groups = len(GROUPS)
    model.recorder.by_group[w] = np.column_stack([
        np.bincount(group, minlength=n_groups),
        np.bincount(group, weights=pop.relationship[allocated].astype(np.float64), minlength=n_groups),
        np.bincount(group, weights=pop.contact[allocated].astype(np.float64), minlength=n_groups)])
    n_alloc = int(counts[-1]) + int(c["officer_changed"])
    s["officer_continuity"][w] = (1.0 - c["officer_changed"] / n_alloc) ** YEAR_WEEKS if n_alloc else np.nan
    for key in WEEKLY_COUNTS:
        s[key][w] = c[key]
    s["victims"][w] = c["offences"] * model.params.offending.victims_per_offence
    s["police_probation_trust"][w] = c["police_probation_trust"]
    s["nps_crc_trust"][w] = model.interagency.mean_trust(1)
    s["crc_income_gbp"][w] = c["crc_income"]
    s["crc_cost_gbp"][w] = c["crc_cost"]
    s["crc_net_gbp"][w] = c["crc_income"] - c["crc_cost"] if model.regime == Regime.SPLIT else np.nan
    s["pbr_paid_gbp"][w] = c["pbr_paid"]
    s["public_cost_gbp"][w] = model.ledger["government"] - model.last_government
    model.last_government = model.ledger["government"]
    s["vcs_active_share"][w] = np.mean([x.active for x in model.voluntary_providers()]) if model.voluntary_providers() else np.nan
    s["staff_filled"][w] = working.sum()
    s["stress"][w] = staff.stress[working].mean() if working.any() else np.nan
    crcs = [o.index for o in model.providers() if o.agency == Agency.CRC and o.active]
    s["remote_share_crc"][w] = model.ops.remote[crcs].mean() if crcs else np.nan  # the share in use
    model.recorder.recorded = w + 1


def _mean(x: np.ndarray) -> float | None:
    x = x[~np.isnan(x)]
    return float(x.mean()) if x.size else None


def _sum(x: np.ndarray) -> float:
    return float(np.nansum(x))


def _ratio(a: float, b: float) -> float | None:
    return float(a / b) if b > 0 else None


def summarise(model, w0: int, w1: int) -> dict[str, float | None]:
    """Every summary metric over weeks [w0, w1) (cohorts: those starting in the range and
    closed by the end of the run)."""
    s = {k: v[w0:w1] for k, v in model.recorder.series.items()}
    years = (w1 - w0) / WEEKS_PER_YEAR
    closed_until = min(w1, model.recorder.recorded - COHORT_WEEKS)
    coh = model.recorder.cohort[w0:max(closed_until, w0)]
    all_k = coh.sum(axis=(0, 2, 3))  # by kind -> (n, re, proven)
    tot = all_k.sum(axis=0)
    crc_elig = coh[:, :, 1].sum(axis=(0, 1, 2))
    by_group = coh.sum(axis=(0, 1, 2))  # group -> (n, re, proven)
    weekly_group = model.recorder.by_group[w0:w1].sum(axis=0)  # group -> (case-weeks, relationship, contact)
    recalls = _sum(s["recalls"])
    terms = _sum(s["terminations"])
    split_weeks = ~np.isnan(s["crc_net_gbp"])

    def per_year(x: np.ndarray) -> float | None:
        return _sum(x) / years if years > 0 else None

    filled = _mean(s["staff_filled"])
    out = {
        "reoffending_rate": _ratio(tot[1], tot[0]),
        "reoffending_rate_short_custody": _ratio(all_k[1, 1], all_k[1, 0]),
        "reoffending_rate_long_custody": _ratio(all_k[2, 1], all_k[2, 0]),
        "reoffending_rate_community": _ratio(all_k[0, 1], all_k[0, 0]),
        "reoffending_rate_crc_cohort": _ratio(crc_elig[1], crc_elig[0]),
        "reoffences_per_reoffender": _ratio(tot[2], tot[1]),
        "reoffences_per_reoffender_crc_cohort": _ratio(crc_elig[2], crc_elig[1]),
        "cohort_size": float(tot[0]),
        "recalls_per_year": recalls / years if years > 0 else None,
        "recall_share_short_custody": _ratio(_sum(s["recalls_short"]), recalls),
        "caseload_per_officer_nps": _mean(s["caseload_nps"]),
        "caseload_per_officer_crc": _mean(s["caseload_crc"]),
        "caseload_per_officer_trust": _mean(s["caseload_trust"]),
        "crc_net_income_gbp_m": _sum(s["crc_net_gbp"]) / 1e6 if split_weeks.any() else None,
        "pbr_paid_gbp_m": _sum(s["pbr_paid_gbp"]) / 1e6 if split_weeks.any() else None,
        "public_cost_gbp_m": _sum(s["public_cost_gbp"]) / 1e6,
        "vcs_active_share": _mean(s["vcs_active_share"]),
        "police_probation_trust": _mean(s["police_probation_trust"]),
        "nps_crc_trust": _mean(s["nps_crc_trust"]),
        "iom_contacts_per_case_week": _ratio(_sum(s["iom_contact_hours"]), _sum(s["iom_case_weeks"])),
        "iom_cohort_mean": _mean(s["iom_cohort"]),
        "relationship_continuity": _mean(s["relationship"]),
        "officer_continuity": _mean(s["officer_continuity"]),
        "offences_total": _sum(s["offences"]),
        "victims_total": _sum(s["victims"]),
        "proven_offences_total": _sum(s["proven"]),
        "transfers_crc_to_nps": _sum(s["transfers_crc_to_nps"]) if split_weeks.any() else None,
        "breaches_per_year": _sum(s["breaches"]) / years if years > 0 else None,
        "accommodation_at_termination": _ratio(_sum(s["term_accommodation_ok"]), terms),
        "employment_at_termination": _ratio(_sum(s["term_employment_ok"]), terms),
        "orders_completed_rate": _ratio(_sum(s["completions"]), terms),
        "under_supervision_mean": _mean(s["under_supervision"]),
        "short_custody_supervised_share": _ratio(_sum(s["releases_short_supervised"]), _sum(s["releases_short"])),
        "parked_cases_mean": _mean(s["parked"]),
        "staff_turnover_rate": (_sum(s["leavers"]) / years / filled) if filled and years > 0 else None,
        "court_orders_started_per_year": per_year(s["court_orders_started"]),
        "custody_starts_short_per_year": per_year(s["custody_starts_short"]),
        "custody_starts_per_year": per_year(s["custody_starts"]),
        "releases_per_year": per_year(s["releases"]),
        "disposals_per_year": per_year(s["disposals"]),
        "licence_caseload_mean": _mean(s["licence_caseload"]),
        "pss_caseload_mean": _mean(s["pss_caseload"]),
        "pss_breaches_to_court_per_year": per_year(s["pss_breaches_to_court"]),
        "recalls_fixed_term_share": _ratio(_sum(s["recalls_fixed_term"]), recalls),
        "high_rosh_share": _mean(s["high_rosh_share"]),
        "ogrs_mean_community": _mean(s["ogrs_mean_community"]),
        **{f"reoffending_rate_{name}": _ratio(by_group[g, 1].sum(), by_group[g, 0].sum()) for name, g in GROUP_SETS.items()},
        **{f"relationship_continuity_{name}": _ratio(weekly_group[g, 1].sum(), weekly_group[g, 0].sum())
           for name, g in GROUP_SETS.items()},
        **{f"contact_hours_per_case_week_{name}": _ratio(weekly_group[g, 2].sum(), weekly_group[g, 0].sum())
           for name, g in GROUP_SETS.items()},
    }
    return {k: (None if v is None or (isinstance(v, float) and math.isnan(v)) else v) for k, v in out.items()}


BY_YEAR_EXCLUDE = {"cohort_size"}
SUMMARY_METRICS = (
    "reoffending_rate", "reoffending_rate_short_custody", "reoffending_rate_long_custody",
    "reoffending_rate_community", "reoffending_rate_crc_cohort", "reoffences_per_reoffender",
    "reoffences_per_reoffender_crc_cohort", "cohort_size", "recalls_per_year", "recall_share_short_custody",
    "caseload_per_officer_nps", "caseload_per_officer_crc", "caseload_per_officer_trust", "crc_net_income_gbp_m",
    "pbr_paid_gbp_m", "public_cost_gbp_m", "vcs_active_share", "police_probation_trust", "nps_crc_trust",
    "iom_contacts_per_case_week", "iom_cohort_mean", "relationship_continuity", "officer_continuity",
    "offences_total", "victims_total", "proven_offences_total", "transfers_crc_to_nps", "breaches_per_year",
    "accommodation_at_termination", "employment_at_termination", "orders_completed_rate",
    "under_supervision_mean", "short_custody_supervised_share", "parked_cases_mean", "staff_turnover_rate",
    "court_orders_started_per_year", "custody_starts_short_per_year", "custody_starts_per_year", "releases_per_year",
    "disposals_per_year", "licence_caseload_mean", "pss_caseload_mean", "pss_breaches_to_court_per_year",
    "recalls_fixed_term_share", "high_rosh_share", "ogrs_mean_community",
    *(f"{key}_{name}" for key in ("reoffending_rate", "relationship_continuity", "contact_hours_per_case_week")
      for name in GROUP_SETS),
)
"""The window metrics ``summarise`` returns, in order (experiment files choose from these)."""


def summary(model) -> dict:
    """The flat summary: window metrics plus ``<key>_by_year`` objects over the whole run."""
    p, cal = model.params, model.cal
    w_end = model.recorder.recorded
    w0 = max(0, cal.week_of(dt.date.fromisoformat(p.metrics.window_start)))
    w1 = w_end if not p.metrics.window_end else min(w_end, cal.week_of(dt.date.fromisoformat(p.metrics.window_end)))
    out: dict = dict(summarise(model, w0, max(w1, w0)))
    per_year: dict[str, dict[str, float | None]] = {k: {} for k in out if k not in BY_YEAR_EXCLUDE}
    for year in cal.years():
        a = max(0, cal.week_of(dt.date(year, 1, 1)))
        b = min(w_end, cal.week_of(dt.date(year + 1, 1, 1)))
        if b <= a:
            continue
        values = summarise(model, a, b)
        for k in per_year:
            per_year[k][str(year)] = values[k]
    for k, v in per_year.items():
        out[f"{k}_by_year"] = v
    return out
