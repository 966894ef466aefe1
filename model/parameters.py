"""The typed parameter tree: every default with its unit, bounds and source.

Parameters are grouped in dataclasses; a parameter's dotted name is its path in the
tree (``supervision.caseload_cap_crc``). ``apply_overrides`` and ``validate`` turn
user input into a checked tree or raise ``ParameterError`` with one clear line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
from dataclasses import dataclass, field
from typing import Any

from model.channels.registry import CHANNELS

CAL = "CALIBRATION.md"
CALIBRATED = "docs/calibration.md: posterior median of the 2026-11-25 ABC-SMC calibration in experiments/data/calibrated"
OWN_RULE = "assumption: the model's own rule for this channel unless a scenario names another class (docs/extending.md)"


class ParameterError(ValueError):
    """A bad parameter value, name or scenario: one line naming what and why."""


def p(default: Any, unit: str = "", lo: float | None = None, hi: float | None = None,
      source: str = "", doc: str = "", choices: tuple[str, ...] | None = None) -> Any:
    """Declare a parameter with its metadata."""
    if not source:
        raise ValueError("every parameter needs a source")
    meta = {"unit": unit, "lo": lo, "hi": hi, "source": source, "doc": doc, "choices": choices}
    return field(default=default, metadata=meta)


@dataclass
class Run:
    """What to simulate: where, when, how big."""

    scale: str = p("small", choices=("small", "regional", "national"),
                   source="assumption: small is the default for the browser and tests",
                   doc="small = 1 CPA (~2,000 supervised); regional ~12,000; national = 21 CPAs")
    start: str = p("2011-01-01", "date", source="assumption: the reported calendar starts three years before TR",
                   doc="first reported week (the steady start runs before it, unreported)")
    end: str = p("2023-12-31", "date",
                 source="assumption: two and a half years after reunification, so that its cohorts close",
                 doc="last simulated week")
    seed: int = p(1, "integer", 0, 2**63 - 1, source="assumption: any integer; the root of every random number in a run",
                  doc="root random seed")
    burn_in_years: float = p(10.0, "years", 0.0, 40.0,
                             source="assumption: long enough for people's histories and the longest terms to settle",
                             doc="years a one-area profile world runs, unreported, before its people seed the run")
    settle_weeks: int = p(26, "weeks", 0, 520,
                          source="assumption: staff caseloads, allocation and ties settle within months",
                          doc="weeks the full world then runs, unreported, before the first reported week")


@dataclass
class Inputs:
    """What drives the model: court disposals by year (model/data/disposals.csv)."""

    volumes: str = p("observed", choices=("observed", "held"),
                     source="CALIBRATION.md, Inputs: disposals by year 2010-2023 (model/data/README.md)",
                     doc="observed = each year's disposals; held = the start year's disposals for ever")


@dataclass
class Policy:
    """Which reforms happen, and when (policy events)."""

    share_out_date: str = p("2014-06-01", "date", source="seed 003 (1 June 2014 go-live)",
                            doc="NPS/CRC share-out of staff and cases")
    crc_sale_date: str = p("2015-02-01", "date",
                           source="DOMAIN.md, The law and the contracts: price and forecast fixed at the sale, Feb 2015 (1 Feb "
                                  "assumed)",
                           doc="CRCs pass to new owners; PbR starts")
    pbr: bool = p(True, source="seeds 001, 003: CRCs paid partly by results",
                  doc="CRC contracts include Payment by Results (false: fee for service only)")
    ora_date: str = p("2015-02-01", "date",
                      source="ORA 2014: in force 1 Feb 2015 for offences from that date (DOMAIN.md, The law and the contracts)",
                      doc="post-sentence supervision starts")
    contract_variation: bool = p(True, source=f"{CAL}, Inputs: from 1 Aug 2017 MoJ covers CRCs' fixed costs (NAO HC 676)",
                                 doc="the 2017 contract variation happens")
    variation_date: str = p("2017-08-01", "date", source=f"{CAL}, Inputs: 2017 contract variation from 1 Aug 2017",
                            doc="from this date the MoJ pays CRCs' fixed costs")
    early_termination: bool = p(True, source="DOMAIN.md: contracts ended early (announced 27 Jul 2018)",
                                doc="the early end of the contracts is announced")
    termination_announced_date: str = p("2018-07-27", "date", source="DOMAIN.md: announced 27 Jul 2018",
                                        doc="from this date CRCs know their contracts end early and stop re-hiring")
    ttg_enhanced_date: str = p("2019-04-01", "date",
                               source=f"{CAL}, Inputs: Through the Gate enhanced from 2019 (start of the financial year assumed)",
                               doc="from this date Through the Gate is paid separately and enhanced")
    reunify: bool = p(False, source="DOMAIN.md: reunification (Wales 2019, England 2021)",
                      doc="CRC cases and staff return to the NPS at reunification_date")
    reunification_date: str = p("2021-06-26", "date", source="DOMAIN.md, The law and the contracts: reunification 26 Jun 2021",
                                doc="reunification of NPS and CRCs")
    iom_in_contract: bool = p(False, source="seed 001: IOM as a contract condition (asked)",
                              doc="CRC contracts require IOM contact standards (no parking of IOM cases)")
    data_sharing_mandated: bool = p(False, source="seed 001: data sharing in contracts (suggested)",
                                    doc="no commercial-confidentiality or IT-access penalty on CRC ties")
    crc_owner: str = p("as_sold", choices=("as_sold", "private", "mutual", "voluntary"),
                       source="MoJ Dec 2014: all private-led but Durham Tees Valley (staff mutual-led)",
                       doc="CRC owner type at the sale; as_sold uses the real owners")
    keep_colocation: bool = p(False, source="seed 001: unclear whether co-location continues",
                              doc="IOM teams stay co-located with CRC staff after the split")
    ttg_weeks: int = p(12, "weeks", 0, 52,
                       source="seed 003, section 1.1: providers work with prisoners three months before release; "
                              "CALIBRATION.md, Inputs: resettlement prison 12 weeks before release",
                       doc="weeks before release in which the supervising organisation (the CRC after the split) works with a "
                           "prisoner (Through the Gate)")


def _switches(group: str, doc: str) -> type:
    """The switches of one group of channels (``model/channels/registry.py``), each on by default."""
    fields = [(c.name, bool, p(True, source=c.source, doc=c.doc)) for c in CHANNELS if c.group == group]
    cls = dataclasses.make_dataclass(group.capitalize(), fields)
    cls.__doc__ = doc
    return cls


Mechanisms = _switches("mechanisms", "TR's effect on each IOM mechanism (seed 000); false = TR leaves it as before.")
Channels = _switches("channels", 'TR\'s other channels (docs/ODD.md, "TR as channels"); false = TR does not act through it.')
Rules = dataclasses.make_dataclass("Rules", [(c.name, str, p("", source=OWN_RULE, doc=f"{c.name.replace('_', ' ')} "
                                                              f"{'channel' if c.group == 'channels' else 'mechanism'} class"))
                                             for c in CHANNELS])
Rules.__doc__ = "Which class carries each channel (``module:Class``; empty = the model's own). docs/extending.md."


@dataclass
class TR:
    """Transforming Rehabilitation switches."""

    channels: Channels = field(default_factory=Channels)
    mechanisms: Mechanisms = field(default_factory=Mechanisms)
    rules: Rules = field(default_factory=Rules)
    nps_case_share_rosh: int = p(2, "RoSH level", 0, 3,
                                 source="seeds 000, 003: NPS takes high/very high RoSH (~30%)",
                                 doc="lowest RoSH level (0 low .. 3 very high) allocated to the NPS")
    nps_staff_share: float = p(0.503, "share", 0.0, 1.0,
                               source=f"{CAL}, Inputs: OM staff after the split, NPS 4,860 / (4,860 + CRC 4,810) FTE",
                               doc="share of offender-management staff going to the NPS")
    share_out_po_weight: float = p(0.2, "rank points", 0.0, 1.0,
                                   source="assumption: POs more often went to the NPS (its high-risk work needs POs)",
                                   doc="share-out ranking: extra weight for a PO on top of the post's high-RoSH case share")
    share_out_iom_weight: float = p(1.0, "rank points", 0.0, 2.0,
                                    source="assumption: designated IOM officers stayed with the local (CRC) IOM teams",
                                    doc="share-out ranking: weight against sending a designated IOM officer to the NPS")


@dataclass
class Population:
    """Size and make-up of the population."""

    national_supervised: int = p(235_000, "people", 1_000, 1_000_000,
                                 source=f"{CAL}: people under probation supervision ~235,000 (2011)",
                                 doc="reference national caseload: sets the sampling fraction of a scale and staff numbers")
    female_share: float = p(0.15, "share", 0.0, 1.0,
                            source="assumption: ~15% of the probation caseload is female (MoJ OMS, approximate)",
                            doc="share of women")
    minority_share: float = p(0.17, "share", 0.0, 1.0,
                              source="assumption: about one in six people supervised were from a minority ethnic group (MoJ "
                                     "OMS, 2011, approximate)",
                              doc="share of newcomers from a minority ethnic group (seed 002: at risk of being side-lined)")
    caseload_share_at_liberty: float = p(0.82, "share", 0.01, 1.0,
                                         source="assumption: MoJ OMS Dec 2011, ~154k on court orders + ~44k on licence of ~241k",
                                         doc="share of the caseload in the community (sets how many IOM officers are designated)")
    age_mean_at_entry: float = p(30.0, "years", 19.0, 60.0,
                                 source="assumption: people starting probation are mostly in their 20s and 30s (MoJ OMS, "
                                        "approximate)",
                                 doc="mean age of newcomers (18 + a gamma with shape 2)")
    leave_after_weeks: int = p(52, "weeks", 1, 520,
                               source="assumption: after a year at liberty with nothing pending a person is no longer followed",
                               doc="weeks at liberty, with no court case or open cohort, after which a person leaves the model")


@dataclass
class Sentencing:
    """Court inflow and sentences."""

    community_weeks_min: float = p(12.0, "weeks", 1, 52,
                                   source="assumption: the shortest orders (curfews, small unpaid work hours) last ~3 months",
                                   doc="shortest community order (length = min + exponential)")
    community_weeks_mean: float = p(47.5, "weeks", 13, 156,
                                    source=f"{CALIBRATED}, 95% interval 23.8-59.7",
                                    doc="mean community order length (supervision period)")
    sso_weeks_min: float = p(26.0, "weeks", 1, 104, source="assumption: SSO supervision requirements run 6-24 months",
                             doc="shortest SSO supervision period")
    sso_weeks_mean: float = p(52.0, "weeks", 27, 104, source="assumption: a typical SSO supervises for about a year",
                              doc="mean SSO supervision period")
    short_sentence_weeks_mean: float = p(16.0, "weeks", 2, 51,
                                         source="assumption: most short sentences are 1-6 months",
                                         doc="mean custodial term under 12 months")
    medium_sentence_weeks_median: float = p(104.0, "weeks", 52, 207,
                                            source="model/data/README.md: terms of 12 months-4 years average ~24 months",
                                            doc="median term of 12 months to 4 years (lognormal, within 52-207 weeks)")
    medium_sentence_sigma: float = p(0.35, "log weeks", 0.01, 2.0, source="assumption: terms spread over 1-4 years",
                                     doc="spread of terms of 12 months to 4 years (lognormal sigma)")
    long_sentence_weeks_mean: float = p(364.0, "weeks", 209, 1040,
                                        source="model/data/README.md: terms over 4 years average ~84 months",
                                        doc="mean term over 4 years (208 weeks + exponential); indeterminate terms not modelled")
    custody_share_on_reconviction: float = p(0.35, "share", 0.01, 0.99,
                                             source="assumption: about a third of reconvicted adults on probation are jailed",
                                             doc="chance of custody for a reconvicted person at OGRS 50 with no previous custody")
    custody_ogrs_slope: float = p(0.198, "logit per 10 OGRS", -2.0, 2.0,
                                  source=f"{CALIBRATED}, 95% interval 0.00357-0.47",
                                  doc="rise in the log-odds of custody per 10 OGRS points")
    prior_custody_odds: float = p(1.66, "odds ratio", 0.1, 20.0,
                                  source=f"{CALIBRATED}, 95% interval 1.03-3.65",
                                  doc="odds of custody after a previous custodial term, relative to none")
    previous_custody_share: float = p(0.15, "share", 0.0, 1.0,
                                      source="assumption: one in seven earlier convictions of people on probation were jailed",
                                      doc="share of a newcomer's previous convictions that led to custody")
    serious_tilt: float = p(3.0, "ratio", 0.1, 20.0, source="assumption: high risk of harm goes with longer terms",
                            doc="how much likelier terms of 12 months or more are for a high-RoSH reconvicted person")
    court_lag_weeks: float = p(12.0, "weeks", 1, 40,
                               source="CALIBRATION.md, definition of proven reoffending: proof within a further 6 months (mean "
                                      "lag of 12 weeks assumed)",
                               doc="mean weeks from detection to sentence")


@dataclass
class Risk:
    """Static risk (OGRS-like) and risk of serious harm."""

    ogrs_mean_community: float = p(37.6, "score", 1, 99,
                                   source=f"{CALIBRATED}, 95% interval 25.6-48.1",
                                   doc="mean OGRS for community sentences (scores are beta draws: the mean stays inside 1-99)")
    ogrs_mean_short_custody: float = p(59.7, "score", 1, 99,
                                       source=f"{CALIBRATED}, 95% interval 45.8-74.4",
                                       doc="mean OGRS for custody sentences under 12 months (1-99, as above)")
    ogrs_mean_long_custody: float = p(33.3, "score", 1, 99,
                                      source=f"{CALIBRATED}, 95% interval 21.4-51.8",
                                      doc="mean OGRS for custody sentences of 12 months or more (1-99, as above)")
    rosh_high_share: float = p(0.30, "share", 0.0, 1.0,
                               source=f"{CAL}: ~30% of caseload high/very high RoSH (to the NPS)",
                               doc="share of new cases assessed high or very high risk of harm")
    rosh_very_high_share: float = p(0.03, "share", 0.0, 1.0, source="assumption: a small share is very high",
                                    doc="share of new cases very high RoSH")
    rosh_medium_share: float = p(0.55, "share", 0.0, 1.0, source="assumption: most of the rest are medium RoSH",
                                 doc="share of new cases below high RoSH that are medium (the rest low)")
    ogrs_concentration: float = p(4.0, "concentration", 0.5, 100.0, source="assumption: OGRS spreads widely within a disposal",
                                  doc="concentration of newcomers' OGRS (beta distribution around its mean)")
    ogrs_acquisitive_bonus: float = p(6.0, "points", 0.0, 30.0, source="OGRS3: acquisitive offences score higher (size assumed)",
                                      doc="OGRS points added for robbery, burglary and other acquisitive offences")
    ogrs_female_offset: float = p(6.0, "points", 0.0, 30.0, source="OGRS3: women score lower (size assumed)",
                                  doc="OGRS points taken off for women")
    previous_convictions_at_ogrs_100: float = p(12.0, "convictions", 0.0, 100.0,
                                                source="assumption: prolific offenders have many previous convictions",
                                                doc="mean previous convictions of a newcomer at OGRS 100 (proportional below)")
    ogrs_age_coef: float = p(-0.3, "logit per 10 years", -3.0, 0.0, source="OGRS3: risk falls with age (size assumed)",
                             doc="change in OGRS log-odds per 10 years of age over 30, at reassessment")
    ogrs_copas_coef: float = p(1.25, "logit", 0.0, 5.0,
                               source="OGRS3 (Howard et al. 2009): weight of the Copas rate (order of magnitude assumed)",
                               doc="weight of ln((convictions + 1) / (years since the first + 10)) at reassessment")
    escalation_per_week: float = p(0.0015, "prob/week", 0.0, 0.05, source="seed 002: risk is dynamic (rate assumed)",
                                   doc="weekly chance that a low/medium case rises to high RoSH at OGRS 50 (the chance is this "
                                       "x OGRS/50)")
    deescalation_per_week: float = p(0.005, "prob/week", 0.0, 0.05,
                                     source="seed 002: risk is dynamic; CALIBRATION.md, share high / very high RoSH ~30% at the "
                                            "split (June 2014): the rate that keeps it there in the steady state",
                                     doc="weekly chance a high case falls to medium")
    transfer_delay_weeks: float = p(3.0, "weeks", 0, 26,
                                    source="assumption: referral and review take weeks when trust is good",
                                    doc="CRC->NPS transfer delay at full inter-agency trust")


@dataclass
class IOM:
    """Integrated Offender Management cohort."""

    ogrs_threshold: float = p(75.0, "score", 0, 100, source=f"{CAL}: London IOM rule OGRS >= 75",
                              doc="OGRS at or above which a person enters IOM")
    ogrs_profile_threshold: float = p(50.0, "score", 0, 100,
                                      source=f"{CAL}: 50-74 with a robbery/burglary profile",
                                      doc="lower OGRS for acquisitive (robbery/burglary) profiles")
    capacity_per_1000: float = p(60.0, "places/1000 supervised", 0, 500,
                                 source="CALIBRATION.md, PPO cohort size ~10,000 and IOM cohort 4-5x possible rows: ~1.4x PPO "
                                        "assumed (~14,000 nationally)",
                                 doc="IOM cohort places per 1,000 supervised in the community")
    contact_hours: float = p(1.5, "hours/week", 0, 20, source="seed 000: intensive supervision (hours assumed)",
                             doc="contact standard for an IOM case")
    offending_effect: float = p(0.24, "share", 0.0, 0.9,
                                source=f"{CAL}: PPO offending -24% over 12 months",
                                doc="hazard reduction from police monitoring + information at full trust")
    detection_uplift: float = p(0.6, "ratio", 0.0, 3.0,
                                source="assumption: closer police monitoring catches more of an IOM case's offences; "
                                       f"{CAL}'s PPO figures (convictions -43% over 17 months, offending -24% over 12) "
                                       "do not identify it (different periods and measures)",
                                doc="relative rise in detection for IOM cases with full information flow")
    crc_withdrawal: float = p(0.3, "share", 0.0, 1.0,
                              source="seed 000: 'IOM will die ... no statutory responsibility' (size assumed)",
                              doc="cut in IOM places a CRC under PbR supports when IOM is not in its contract")
    cases_per_probation_officer: float = p(14.0, "cases", 1, 100,
                                           source="assumption: intensive IOM caseloads of about 14 (a third of a usual caseload)",
                                           doc="IOM cases per designated IOM probation officer")
    cases_per_police_officer: float = p(12.0, "cases", 1, 100, source="assumption: IOM police caseloads of about a dozen",
                                        doc="IOM places per IOM police officer: how many IOM police officers the network view "
                                            "shows (network view only: the IOM effect comes from information flow)")
    neighbourhood_officers_per_force: int = p(2, "officers", 0, 50,
                                              source="assumption: a few representative officers for the network view",
                                              doc="neighbourhood police officers drawn per force (network view only)")
    swift_breach_weeks: int = p(1, "weeks", 0, 26, source="seed 000: IOM's agreed swift response to breach",
                                doc="weeks from a breach decision to its outcome for an IOM case with good information")
    swift_information_threshold: float = p(0.5, "0-1.2", 0.0, 1.2,
                                           source="assumption: swift action needs at least half the pre-reform information flow",
                                           doc="information flow above which an IOM case's breach is dealt with swiftly")
    recent_release_weeks: int = p(26, "weeks", 0, 104,
                                  source="assumption: non-statutory IOM covers recent short-sentence leavers",
                                  doc="weeks after release from a short sentence during which a person may join IOM")


@dataclass
class Supervision:
    """Contact standards and operating models."""

    contact_hours_per_fte: float = p(22.0, "hours/week", 5, 37,
                                     source="assumption: ~60% of a 37h week on case contact and related work",
                                     doc="contact hours an officer can give each week")
    standard_low: float = p(0.5, "hours/week", 0, 10, source="assumption: an hour every fortnight",
                            doc="contact standard, low RoSH")
    standard_medium: float = p(0.9, "hours/week", 0, 10,
                               source="assumption: a little under an hour a week, between the low and high standards",
                               doc="contact standard, medium RoSH")
    standard_high: float = p(1.5, "hours/week", 0, 10, source="assumption: about an hour and a half a week for high risk of harm",
                             doc="contact standard, high RoSH")
    standard_custody: float = p(0.1, "hours/week", 0, 5, source="assumption: sentence planning in custody",
                                doc="contact for a case in custody")
    standard_ttg: float = p(0.9, "hours/week", 0, 10,
                            source="assumption: resettlement work in custody's last weeks (Through the Gate) at about the "
                                   "medium-risk community standard",
                            doc="contact for a case in custody's last policy.ttg_weeks while Through the Gate is in force")
    effect_max: float = p(0.25, "share", 0.0, 0.9,
                          source="assumption: supervision reduces reoffending by up to ~25% (what-works range)",
                          doc="hazard reduction at full dose, quality and relationship")
    caseload_cap_trust: float = p(60.0, "cases", 5, 300, source="assumption: trusts kept caseloads near 40-60",
                                  doc="cases per officer before a trust stops allocating")
    caseload_cap_nps: float = p(60.0, "cases", 5, 300, source="assumption: the NPS kept the trusts' caseload aim",
                                doc="NPS caseload cap")
    caseload_cap_crc: float = p(80.0, "cases", 5, 300, source="assumption: CRC caseloads reported higher",
                                doc="CRC caseload cap (raised when losses bite)")
    remote_share_trust: float = p(0.05, "share", 0.0, 1.0, source="assumption: contact was face to face",
                                  doc="share of contact that is remote (phone, kiosk) in trusts/NPS")
    remote_share_crc: float = p(0.25, "share", 0.0, 1.0,
                                source="assumption: CRC operating models used phone contact",
                                doc="initial CRC share of remote contact")
    remote_quality: float = p(0.4, "ratio", 0.0, 1.0, source="assumption: remote contact is weaker",
                              doc="quality of remote contact relative to face to face")
    parking_depth: float = p(0.5, "share", 0.0, 1.0,
                             source="seed 000: hard cases as 'collateral damage' (depth assumed)",
                             doc="cut in contact for parked cases under PbR")
    parking_ogrs: float = p(70.0, "score", 0, 100, source="seed 000: prolific cases offer 'no easy wins' (threshold assumed)",
                            doc="OGRS at or above which a CRC under PbR may park a case (and push a licence case for recall)")
    unpaid_work_share: float = p(0.3, "share", 0.0, 1.0,
                                 source="assumption: many orders are mostly unpaid work",
                                 doc="share of community orders needing little officer contact")
    remote_share_max: float = p(0.8, "share", 0.0, 1.0,
                                source="assumption: some contact stays face to face whatever the operating model",
                                doc="highest share of remote contact a CRC's loss responses can reach")


@dataclass
class Court:
    """Court work: the staff time that courts and enforcement take (the trusts', then the NPS's)."""

    report_hours_per_disposal: float = p(2.0, "hours", 0.0, 20.0,
                                         source="assumption: a mix of full pre-sentence reports (~6 h) and oral or "
                                                "fast-delivery reports (~1 h), with the assessment and allocation that follow",
                                         doc="offender-management hours per court disposal (reports, assessment, allocation)")
    enforcement_hours_per_action: float = p(3.0, "hours", 0.0, 40.0,
                                            source="assumption: breach reports, hearings and recall papers take a few hours",
                                            doc="offender-management hours per breach actioned")


@dataclass
class Relationships:
    """Offender-staff relationships (mechanism 1)."""

    build_rate: float = p(0.06, "per week", 0.0, 1.0,
                          source="DOMAIN.md, mechanism 1: relationships are built over time (rate assumed)",
                          doc="weekly growth toward 1 at full contact and quality")
    decay_rate: float = p(0.02, "per week", 0.0, 1.0,
                          source="assumption: without contact a relationship halves in about 35 weeks",
                          doc="weekly decay without contact")
    transfer_keep: float = p(0.2, "share", 0.0, 1.0, source="seed 000: 'to-ing and fro-ing'",
                             doc="share of a relationship kept when a case moves between agencies")
    officer_change_keep: float = p(0.3, "share", 0.0, 1.0,
                                   source="assumption: a new officer in the same organisation inherits the case's record and "
                                          "keeps more than a move between organisations",
                                   doc="share kept when the officer changes within an agency")
    ceiling_pull: float = p(0.1, "per week", 0.0, 1.0,
                            source="assumption: a relationship above its ceiling settles to it within months",
                            doc="weekly share of a relationship's excess over its ceiling that is lost")
    profit_discount: float = p(0.15, "share", 0.0, 1.0,
                               source="seed 000: 'they can suss people out' (size assumed)",
                               doc="relationship ceiling cut where the owner is seen as profit-driven")
    mutual_profit_perception: float = p(0.3, "0-1", 0.0, 1.0,
                                        source="assumption: a staff mutual is seen as less profit-driven than a private owner",
                                        doc="how far a mutual or voluntary-led CRC is seen as profit-driven (private = 1)")


@dataclass
class Needs:
    """Criminogenic needs and voluntary/partner services (seeds 001, 004)."""

    custody_factor: float = p(1.2, "ratio", 0.5, 3.0, source="assumption: custody cases carry more needs",
                              doc="prevalence of each need among people given custody, relative to orders")
    prevalence_accommodation: float = p(0.154, "share", 0.0, 1.0,
                                        source=f"{CALIBRATED}, 95% interval 0.0545-0.339",
                                        doc="share with an accommodation need")
    prevalence_employment: float = p(0.683, "share", 0.0, 1.0,
                                     source=f"{CALIBRATED}, 95% interval 0.413-0.881",
                                     doc="employment need")
    prevalence_substance: float = p(0.45, "share", 0.0, 1.0,
                                    source="assumption: a little under half have a substance misuse need (size assumed)",
                                    doc="substance misuse need")
    prevalence_mental_health: float = p(0.30, "share", 0.0, 1.0,
                                        source="assumption: about three in ten have a mental health need (size assumed)",
                                        doc="mental health need")
    prevalence_attitudes: float = p(0.40, "share", 0.0, 1.0,
                                    source="assumption: about two in five have a pro-criminal attitudes need (size assumed)",
                                    doc="attitudes need")
    homeless_on_release: float = p(0.2, "share", 0.0, 1.0,
                                   source="seed 004, readers' comments: released homeless, 'steals ... to get a roof over her "
                                          "head' (share assumed)",
                                   doc="chance a custody leaver has no accommodation without TTG help")
    ttg_housing_help: float = p(0.3, "share", 0.0, 1.0,
                                source="seed 003, section 2.1: 'through the gate services'; seed 004: Through the Gate "
                                       "accommodation work (size assumed)",
                                doc="cut in homelessness on release with resettlement work")
    hazard_weight: float = p(0.18, "ratio", 0.0, 2.0, source="assumption: each unmet need raises the hazard",
                             doc="relative hazard increase per unmet need")
    housing_weight: float = p(0.35, "ratio", 0.0, 3.0,
                              source="seed 004, readers' comments (HMI Probation bulletin): housing 'undermines the potential "
                                     "for any person to turn their life around' (size assumed)",
                              doc="extra relative hazard of unmet accommodation need")
    vcs_places_per_1000: float = p(9.0, "starts/week/1000 supervised", 0, 100,
                                   source="assumption: limited capacity and waiting lists",
                                   doc="mean weekly intervention starts (a Poisson number) per 1,000 allocated cases in the "
                                       "community at full VCS funding")
    success_prob: float = p(0.45, "prob", 0.0, 1.0,
                            source="assumption: a little under half of interventions meet the need they address",
                            doc="chance an intervention meets the need")
    relapse_per_week: float = p(0.005, "prob/week", 0.0, 0.2, source="assumption: a met need lasts about four years on average",
                                doc="weekly chance a met need returns")
    officer_work_rate: float = p(0.02, "prob/week", 0.0, 1.0,
                                 source="assumption: an officer's own work meets an attitudes or employment need within ~1 year",
                                 doc="weekly chance good supervision (dose 1, quality 1) meets an attitudes or employment need")


@dataclass
class Offending:
    """Weekly offending hazard, detection and conviction."""

    base_rate: float = p(0.0611, "offences/week", 0.0, 1.0,
                         source=f"{CALIBRATED}, 95% interval 0.0319-0.0962",
                         doc="weekly offence rate at OGRS 50 with no needs and no supervision")
    ogrs_exponent: float = p(2.0, "exponent", 0.0, 5.0, source="assumption: rate rises steeply with OGRS",
                             doc="rate scales as (OGRS/50)^exponent")
    detection_prob: float = p(0.228, "prob", 0.0, 1.0,
                              source=f"{CALIBRATED}, 95% interval 0.125-0.386",
                              doc="chance an offence is detected and proven")
    frailty_shape: float = p(0.414, "gamma shape", 0.1, 20.0,
                             source=f"{CALIBRATED}, 95% interval 0.204-1.47",
                             doc="shape of the individual rate multiplier (mean 1); lower = more unequal")
    career_decline_per_year: float = p(0.15, "share/yr", 0.0, 1.0,
                                       source="assumption: criminal careers fade with age (~5-10 year careers)",
                                       doc="yearly fall in each person's rate multiplier (ageing out of crime)")
    release_spike: float = p(0.909, "ratio", 0.0, 5.0,
                             source=f"{CALIBRATED}, 95% interval 0.0583-1.96",
                             doc="extra relative hazard in the weeks after release")
    release_spike_weeks: float = p(12.0, "weeks", 1, 52,
                                   source="assumption: the raised risk after release fades over about three months",
                                   doc="decay time of the release spike")
    female_factor: float = p(0.7, "ratio", 0.0, 2.0, source="assumption: women reoffend less at equal OGRS",
                             doc="relative hazard for women")
    desistance_per_year: float = p(0.10, "share/yr", 0.0, 1.0, source="assumption: desistance with age/time",
                                   doc="yearly fall in hazard while free of convictions")
    victims_per_offence: float = p(0.8, "victims", 0.0, 5.0, source="assumption: some offences are victimless",
                                   doc="victims per offence")


@dataclass
class Enforcement:
    """Compliance, breach and recall."""

    miss_prob: float = p(0.0595, "prob/week", 0.0, 1.0,
                         source=f"{CALIBRATED}, 95% interval 0.015-0.0794",
                         doc="weekly chance of an unacceptable absence")
    warnings_before_breach: int = p(2, "warnings", 0, 10,
                                    source="assumption: breach action after two warnings, the model's reading of National "
                                           "Standards",
                                    doc="absences tolerated before breach action is due")
    breach_prob_public: float = p(0.914, "prob", 0.0, 1.0, source=f"{CAL}: enforcement 91.4% (Haringey 2013/14)",
                                  doc="chance a due breach is actioned by a trust or the NPS")
    crc_underbreach: float = p(0.3, "share", 0.0, 1.0,
                               source="seed 000: 'what is the incentive ... to breach anybody?' (size assumed)",
                               doc="cut in breach action by a CRC under PbR")
    crc_recall_push: float = p(0.5, "ratio", 0.0, 5.0,
                               source="seed 003, section 2.2: CRCs 'highly likely to seek recall of offending or problematic "
                                      "clients' (size assumed)",
                               doc="recall requests a CRC under PbR pushes for a licence case with OGRS >= "
                                   "supervision.parking_ogrs: a weekly chance of this x enforcement.miss_prob")
    fixed_term_recall_share: float = p(0.5, "share", 0.0, 1.0,
                                       source="assumption: about half of recalls were fixed-term (MoJ OMS, approximate)",
                                       doc="share of recalls that are fixed-term (14 or 28 days); the rest standard")
    standard_recall_weeks: float = p(26.0, "weeks", 1, 260,
                                     source="assumption: standard recalls are mostly re-released within a year",
                                     doc="mean weeks to re-release on a standard recall (at most to the sentence end)")
    pss_committal_prob: float = p(0.3, "prob", 0.0, 1.0,
                                  source="DOMAIN.md: PSS breach to the magistrates' court (share committed assumed)",
                                  doc="chance a PSS breach ends in up to 14 days' custody (else a fine or unpaid work)")
    sso_activation_prob: float = p(0.5, "prob", 0.0, 1.0, source="assumption: suspended terms are often activated on breach",
                                   doc="chance a breached SSO is activated (custody)")
    breach_custody_prob: float = p(0.3, "prob", 0.0, 1.0,
                                   source="assumption: about three in ten breached orders are revoked to custody, the rest "
                                          "continued or amended",
                                   doc="chance a breached order ends in custody")
    offence_recall_prob: float = p(0.5, "prob", 0.0, 1.0,
                                   source="assumption: about half of those charged on licence are recalled at once, the rest "
                                          "left to the breach process",
                                   doc="chance a charged offence on licence leads to recall")
    decision_weeks: float = p(2.0, "weeks", 0, 26, source="assumption: a breach hearing or recall decision takes weeks",
                              doc="weeks from a breach decision to its outcome at full NPS-CRC trust")
    revoked_custody_weeks: float = p(6.0, "weeks", 1, 52,
                                     source="assumption: a revoked order is resentenced to a short term, released halfway",
                                     doc="mean weeks served in custody after a community order is revoked")
    recall_acceptance_base: float = p(0.5, "prob", 0.0, 1.0,
                                      source="seed 003, section 2.2: 'acceptance or refusal of recall submissions' (acceptance "
                                             "assumed)",
                                      doc="chance the NPS accepts a CRC's recall request at zero NPS-CRC trust (1 at full trust)")


@dataclass
class Information:
    """Inter-agency trust and information (mechanism 3)."""

    initial_trust: float = p(0.75, "0-1", 0.05, 1.0, source="seeds 000, 001: trust built over years",
                             doc="police-probation trust at the start (from 0.05: information flow is "
                                 "measured relative to it)")
    growth_rate: float = p(0.01, "per week", 0.0, 1.0, source="seed 000: 'takes a long time' (rate assumed)",
                           doc="weekly trust growth toward 1 from successful exchanges")
    colocation_boost: float = p(1.0, "ratio", 0.0, 5.0, source="seeds 001, 003: co-location helps",
                                doc="extra growth when co-located")
    decay_rate: float = p(0.004, "per week", 0.0, 1.0, source="assumption: without exchanges trust halves in about three years",
                          doc="weekly decay")
    reorganisation_shock: float = p(0.25, "share", 0.0, 1.0, source="seeds 001, 003 (size assumed)",
                                    doc="share of trust lost on ties to a newly created organisation")
    confidentiality_penalty: float = p(0.25, "share", 0.0, 1.0,
                                       source="seed 001: commercial confidentiality (size assumed)",
                                       doc="cut in growth and information on ties to a for-profit CRC")
    it_access_penalty: float = p(0.3, "share", 0.0, 1.0, source="seed 001: nDelius/PNC/IDIOM access (size assumed)",
                                 doc="cut in information flow on CRC cases without mandated data sharing")
    turnover_decay: float = p(2.0, "ratio", 0.0, 20.0,
                              source="assumption: trust between organisations rests on people who know each other, so staff "
                                     "turnover erodes it (size assumed)",
                              doc="extra decay per unit of annual staff turnover")
    reunification_trust_keep: float = p(0.8, "share", 0.0, 1.0,
                                        source="assumption: providers' ties to the NPS start a little below the old level",
                                        doc="trust on a provider's new NPS tie at reunification, over the reference trust "
                                            "(network view only: no rule reads provider ties' trust)")


@dataclass
class Finance:
    """Budgets, fees and Payment by Results (seeds 001, 003)."""

    officer_cost_gbp: float = p(40_000.0, "GBP/FTE/yr", 10_000, 200_000,
                                source="assumption: salary and on-costs of a probation officer or PSO, about GBP 40,000 a year",
                                doc="yearly cost of one officer")
    overhead_share: float = p(0.35, "share", 0.0, 2.0,
                              source="assumption: management, estates and support add about a third to front-line staff costs",
                              doc="overhead on staff costs")
    vcs_contract_gbp: float = p(120_000.0, "GBP/yr", 0, 5e6,
                                source="assumption: a small local provider's yearly subcontract (a few staff)",
                                doc="yearly subcontract value per voluntary provider")
    pbr_share: float = p(0.10, "share", 0.0, 1.0, source=f"{CAL}, Inputs: PbR 'only around 10%' of payments (NAO 2016)",
                         doc="share of the CRC contract's expected payments paid by results")
    pbr_hurdle: float = p(0.01, "share", 0.0, 0.2,
                          source="DOMAIN.md: a binary measure with a hurdle (size assumed: one percentage point)",
                          doc="fall below the baseline reoffending rate the binary measure must beat before it pays")
    pbr_binary_weight: float = p(0.5, "share", 0.0, 1.0, source="seed 001: hybrid binary + frequency",
                                 doc="weight of the binary measure in the PbR payment")
    pbr_target_reduction: float = p(0.10, "share", 0.01, 1.0,
                                    source="assumption: full payment for a 10% fall against baseline",
                                    doc="relative reduction against baseline earning the full PbR pot")
    pbr_lag_weeks: int = p(78, "weeks", 52, 260,
                           source="DOMAIN.md: paid after a 12-month follow-up and a 6-month lag",
                           doc="weeks from the end of a cohort quarter to its payment")
    pbr_baseline_binary: float = p(0.475, "share", 0.01, 1.0, source="CALIBRATION.md: PbR baseline 47.5%",
                                   doc="binary baseline where the CRC area's first-year CRC-eligible cohorts hold fewer than 30 "
                                       "people when the CRC is sold (a sale before they have closed)")
    pbr_baseline_frequency: float = p(4.2, "offences", 1.0, 20.0, source="CALIBRATION.md: 4.2 reoffences per reoffender",
                                      doc="frequency baseline where the CRC area's first-year CRC-eligible cohorts hold fewer "
                                          "than 30 people when the CRC is sold (as for the binary baseline)")
    contract_value_gbp_m: float = p(450.0, "GBP m/yr", 1.0, 5_000.0,
                                    source=f"{CAL}, Inputs: CRC contract value at bid ~GBP 450 m a year",
                                    doc="national yearly value of the CRC contracts at the forecast volume (fees + expected PbR)")
    modelled_share: float = p(0.58, "share", 0.05, 1.0,
                              source="CALIBRATION.md, Inputs and staff at the split: CRC offender-management staff 4,810 of "
                                     "8,331 FTE (the model represents offender management, and the rest of the contract pays "
                                     "for the rest)",
                              doc="share of the contract value (and of fixed costs) that pays for what the model represents")
    forecast_caseload: float = p(212_500.0, "cases", 10_000, 1e6,
                                 source=f"{CAL}, Inputs: caseload planned for CRCs at the sale ~200,000-225,000",
                                 doc="national CRC caseload the price was set on (fixed at the sale)")
    volume_band: float = p(0.1, "share", 0.0, 1.0, source="DOMAIN.md: a band around the forecast (width assumed +-10%)",
                           doc="volumes within this share of the forecast are paid at the forecast; beyond it, reconciled")
    weight_order: float = p(1.0, "weight", 0.0, 5.0, source="DOMAIN.md: fees weighted by sentence type (weights assumed)",
                            doc="fee weight of a community order or SSO case-week")
    weight_licence: float = p(1.0, "weight", 0.0, 5.0, source="assumption: a licence needs about an order's work",
                              doc="fee weight of a licence case-week")
    weight_pss: float = p(0.5, "weight", 0.0, 5.0, source="assumption: post-sentence supervision is lighter",
                          doc="fee weight of a PSS case-week")
    weight_custody: float = p(0.2, "weight", 0.0, 5.0, source="assumption: sentence planning before release is light",
                              doc="fee weight of a case-week in custody")
    fixed_costs_gbp_m: float = p(88.0, "GBP m/yr", 0.0, 1_000.0,
                                 source=f"{CAL}, Inputs: the 2017 variation covered fixed costs, up to GBP 342 m over the "
                                        "contracts (~3.9 years left: ~88 a year)",
                                 doc="CRCs' national yearly fixed costs (estates, IT, management), times modelled_share")
    ttg_payment_gbp_m: float = p(22.0, "GBP m/yr", 0.0, 500.0, source=f"{CAL}, Inputs: TTG enhanced from 2019, +GBP 22 m a year",
                                 doc="national yearly payment for enhanced Through the Gate work")
    ttg_staff: float = p(500.0, "FTE", 0.0, 5_000.0, source=f"{CAL}, Inputs: ~500 CRC staff for enhanced TTG",
                         doc="national posts CRCs add for enhanced Through the Gate")
    gain_quarters_to_hire: int = p(2, "quarters", 1, 20,
                                   source="assumption: a firm re-hires after two quarters in surplus",
                                   doc="quarters in surplus after which a CRC restores posts it cut (and funds a provider)")
    loss_response_cut: float = p(0.05, "share", 0.0, 0.5,
                                 source="assumption: a CRC in loss cuts posts (size assumed); seed 004 reports heavy caseloads "
                                        "and staff 'leaving in droves'",
                                 doc="share of staff cut at each quarterly review in loss (and restored, as many, in surplus)")
    loss_response_cap_rise: float = p(0.05, "share", 0.0, 0.5,
                                      source="seed 004: staff 'struggling with heavy caseloads' (size assumed)",
                                      doc="rise in a CRC's caseload cap at each quarterly review in loss")
    loss_response_remote_step: float = p(0.05, "share", 0.0, 0.5,
                                         source="assumption: a CRC in loss moves more contact to the telephone (the sources "
                                                "here do not describe it; size assumed)",
                                         doc="rise in a CRC's remote-contact share at each quarterly review in loss")


@dataclass
class Voluntary:
    """Voluntary and community providers (seeds 002, 004)."""

    providers_per_cpa: int = p(5, "providers", 1, 50, source="assumption: several per CPA",
                               doc="voluntary providers per CPA (at full scale)")
    grant_share: float = p(0.4, "share", 0.0, 0.95, source="assumption: grants and other funders",
                           doc="share of provider costs covered by other funders (below 1: a provider's cost "
                               "is its contract / (1 - share))")
    exit_quarters: int = p(2, "quarters", 1, 20, source="seed 004: many withdrew (patience assumed)",
                           doc="quarters of under-funding before a provider withdraws")
    crc_subcontract_share: float = p(0.6, "share", 0.0, 1.0,
                                     source="seed 004: CRCs behaved like monopolies (share assumed)",
                                     doc="share of trust-era subcontracts a CRC keeps")


@dataclass
class Workforce:
    """Workload, stress, turnover and skill."""

    stress_rate: float = p(0.05, "per week", 0.0, 1.0, source="assumption: stress follows workload over about 20 weeks",
                           doc="weekly stress response to workload")
    turnover_base: float = p(0.10, "share/yr", 0.0, 1.0, source="assumption: ~10% annual turnover in trusts",
                             doc="yearly leaving rate at no stress")
    turnover_stress: float = p(0.25, "share/yr", 0.0, 2.0, source="DOMAIN.md: turnover rises under TR (size assumed)",
                               doc="extra yearly leaving rate at full stress")
    crc_uncertainty: float = p(0.08, "share/yr", 0.0, 1.0, source="seed 002: uncertainty and anxiety",
                               doc="extra yearly leaving in CRCs (new owners, restructuring)")
    hire_delay_weeks: float = p(12.0, "weeks", 0, 104, source="assumption: recruitment and vetting take about three months",
                                doc="mean weeks to fill a vacancy")
    new_hire_skill: float = p(0.45, "0-1", 0.0, 1.0,
                              source="assumption: a new hire, often not yet qualified, starts well below the trained level",
                              doc="skill of a new hire")
    skill_ceiling_public: float = p(0.9, "0-1", 0.0, 1.0, source="seed 002: PQF training",
                                    doc="skill reached with trust/NPS training")
    skill_ceiling_crc: float = p(0.75, "0-1", 0.0, 1.0, source="seed 002: CRCs not required to use the PQF",
                                 doc="skill reached with CRC training")
    learning_rate: float = p(0.01, "per week", 0.0, 1.0,
                             source="assumption: skill closes half its gap to the training ceiling in about 70 weeks",
                             doc="weekly skill growth")
    sickness_stress: float = p(0.02, "prob/week", 0.0, 0.5,
                               source="assumption: at full stress an officer is off sick about one week in fifty",
                               doc="weekly sickness chance at full stress")
    om_staff_national: float = p(9_660.0, "FTE", 1_000, 50_000,
                                 source=f"{CAL}: offender-management staff 9,660 FTE (trusts, Mar 2014)",
                                 doc="offender-management posts nationally at 235,000 under supervision (scaled)")
    po_share: float = p(0.45, "share", 0.0, 1.0, source="assumption: PO share of offender-management staff",
                        doc="share of posts held by probation officers (the rest PSOs)")
    initial_skill_gap: float = p(0.1, "0-1", 0.0, 0.5, source="assumption: staff in post are near the PQF ceiling",
                                 doc="mean distance of starting skill below the public-sector ceiling")
    initial_skill_sd: float = p(0.08, "0-1", 0.0, 0.5, source="assumption: staff in post differ modestly in skill",
                                doc="spread of starting skill")
    skill_floor: float = p(0.3, "0-1", 0.0, 1.0, source="assumption: nobody in post is unskilled",
                           doc="lowest starting skill")
    initial_tenure_max_years: float = p(10.0, "years", 0.1, 40.0, source="assumption: tenure spread over a decade",
                                        doc="starting staff joined up to this long ago (uniform); state only: no rule reads "
                                            "tenure")
    stress_onset: float = p(0.9, "workload", 0.0, 5.0, source="assumption: stress starts just below full capacity",
                            doc="workload (demand / capacity) at which stress starts")
    stress_full: float = p(1.5, "workload", 0.1, 10.0, source="assumption: half again over capacity is full stress",
                           doc="workload at which stress is full")
    stress_quality_loss: float = p(0.5, "share", 0.0, 1.0, source="assumption: a stressed officer's contact does less good",
                                   doc="share of contact quality lost at full stress")
    turnover_smoothing: float = p(0.05, "per week", 0.001, 1.0,
                                  source="assumption: partners feel turnover over months (~20-week memory)",
                                  doc="weekly weight of this week's leaving rate in an organisation's smoothed turnover")


@dataclass
class Metrics:
    """Analysis window for the summary."""

    window_start: str = p("2015-02-01", "date", source="assumption: from CRC go-live and ORA commencement",
                          doc="start of the summary window (cohorts, rates, means)")
    window_end: str = p("", "date", source="assumption: empty means the end of the run",
                        doc="end of the summary window")


@dataclass
class Parameters:
    """The whole tree."""

    run: Run = field(default_factory=Run)
    inputs: Inputs = field(default_factory=Inputs)
    policy: Policy = field(default_factory=Policy)
    tr: TR = field(default_factory=TR)
    population: Population = field(default_factory=Population)
    sentencing: Sentencing = field(default_factory=Sentencing)
    risk: Risk = field(default_factory=Risk)
    iom: IOM = field(default_factory=IOM)
    supervision: Supervision = field(default_factory=Supervision)
    court: Court = field(default_factory=Court)
    relationships: Relationships = field(default_factory=Relationships)
    needs: Needs = field(default_factory=Needs)
    offending: Offending = field(default_factory=Offending)
    enforcement: Enforcement = field(default_factory=Enforcement)
    information: Information = field(default_factory=Information)
    finance: Finance = field(default_factory=Finance)
    voluntary: Voluntary = field(default_factory=Voluntary)
    workforce: Workforce = field(default_factory=Workforce)
    metrics: Metrics = field(default_factory=Metrics)

    def flat(self) -> dict[str, Any]:
        """Dotted name -> value."""
        return {name: value for name, value, _ in walk(self)}

    @property
    def start_date(self) -> dt.date:
        return dt.date.fromisoformat(self.run.start)

    @property
    def end_date(self) -> dt.date:
        return dt.date.fromisoformat(self.run.end)


def walk(node: Any, prefix: str = ""):
    """Yield (dotted name, value, field) for every leaf parameter."""
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        name = f"{prefix}{f.name}"
        if dataclasses.is_dataclass(value):
            yield from walk(value, name + ".")
        else:
            yield name, value, f


def _leaf_types(node: Any, prefix: str = "") -> dict[str, tuple[type, dataclasses.Field]]:
    import typing

    hints = typing.get_type_hints(type(node))
    out = {}
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        if dataclasses.is_dataclass(value):
            out.update(_leaf_types(value, f"{prefix}{f.name}."))
        else:
            out[f"{prefix}{f.name}"] = (hints[f.name], f)
    return out


LEAVES = _leaf_types(Parameters())
NAMES = tuple(LEAVES)


def _coerce(name: str, value: Any, kind: type) -> Any:
    """Turn a CLI string or TOML value into the parameter's type, or raise."""
    def bad(allowed: str) -> ParameterError:
        return ParameterError(f"parameter {name}: got {value!r}, expected {allowed}")

    if kind is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false", "1", "0", "yes", "no", "on", "off"):
            return value.lower() in ("true", "1", "yes", "on")
        raise bad("true or false")
    if kind is int:
        if isinstance(value, bool):
            raise bad("an integer")
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        try:
            return int(str(value).replace("_", ""))
        except ValueError:
            raise bad("an integer") from None
    if kind is float:
        if isinstance(value, bool):
            raise bad("a number")
        try:
            out = float(str(value).replace("_", "")) if isinstance(value, str) else float(value)
        except (TypeError, ValueError):
            raise bad("a number") from None
        if out != out or out in (float("inf"), float("-inf")):
            raise bad("a finite number")
        return out
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        raise bad("text")
    return value


def set_value(params: Parameters, name: str, value: Any) -> None:
    """Set one dotted parameter, coercing and checking it; raise ParameterError."""
    if name not in LEAVES:
        close = difflib.get_close_matches(name, NAMES, n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]}?" if close else "; see docs/parameters.md"
        raise ParameterError(f"unknown parameter {name!r}{hint}")
    kind, f = LEAVES[name]
    coerced = _coerce(name, value, kind)
    check_value(name, coerced)
    node = params
    *path, leaf = name.split(".")
    for part in path:
        node = getattr(node, part)
    setattr(node, leaf, coerced)


def check_value(name: str, value: Any) -> None:
    """Bounds, choices and date format of one parameter."""
    kind, f = LEAVES[name]
    meta = f.metadata
    if meta["choices"] and value not in meta["choices"]:
        raise ParameterError(f"parameter {name}: got {value!r}, expected one of {', '.join(meta['choices'])}")
    if meta["unit"] == "date" and not (name == "metrics.window_end" and value == ""):
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise ParameterError(f"parameter {name}: got {value!r}, expected a date YYYY-MM-DD") from None
    lo, hi = meta["lo"], meta["hi"]
    if kind in (int, float) and ((lo is not None and value < lo) or (hi is not None and value > hi)):
        raise ParameterError(f"parameter {name}: got {value!r}, expected a value in [{lo}, {hi}]")


def validate(params: Parameters) -> Parameters:
    """Check cross-parameter rules; return the tree or raise ParameterError."""
    for name, value, _ in walk(params):
        check_value(name, value)
    if params.end_date <= params.start_date:
        raise ParameterError(f"parameter run.end: got {params.run.end}, expected a date after run.start {params.run.start}")
    if params.start_date.year < 2000 or params.end_date.year > 2040:
        raise ParameterError(f"parameter run.start/run.end: got {params.run.start}..{params.run.end}, "
                             "expected dates between 2000 and 2040")
    if params.risk.rosh_very_high_share > params.risk.rosh_high_share:
        raise ParameterError(f"parameter risk.rosh_very_high_share: got {params.risk.rosh_very_high_share}, "
                             f"expected at most risk.rosh_high_share ({params.risk.rosh_high_share})")
    if params.iom.ogrs_profile_threshold > params.iom.ogrs_threshold:
        raise ParameterError(f"parameter iom.ogrs_profile_threshold: got {params.iom.ogrs_profile_threshold}, "
                             f"expected at most iom.ogrs_threshold ({params.iom.ogrs_threshold})")
    s = params.sentencing
    for low, mean in (("community_weeks_min", "community_weeks_mean"), ("sso_weeks_min", "sso_weeks_mean")):
        if getattr(s, low) >= getattr(s, mean):
            raise ParameterError(f"parameter sentencing.{low}: got {getattr(s, low)}, expected less than "
                                 f"sentencing.{mean} ({getattr(s, mean)})")
    if params.workforce.stress_onset >= params.workforce.stress_full:
        raise ParameterError(f"parameter workforce.stress_onset: got {params.workforce.stress_onset}, expected less "
                             f"than workforce.stress_full ({params.workforce.stress_full})")
    _check_dates_in_order(params)
    return params


def _check_dates_in_order(params: Parameters) -> None:
    """The reform's events in their order (each only if it happens) and a summary window that is not empty."""
    pol, d = params.policy, dt.date.fromisoformat
    split, market = params.tr.channels.split, params.tr.channels.split and params.tr.channels.market
    steps = [("policy.share_out_date", pol.share_out_date, split),
             ("policy.crc_sale_date", pol.crc_sale_date, split),
             ("policy.variation_date", pol.variation_date, market and pol.contract_variation),
             ("policy.termination_announced_date", pol.termination_announced_date, market and pol.early_termination),
             ("policy.reunification_date", pol.reunification_date, split and pol.reunify)]
    happening = [(name, value) for name, value, on in steps if on]
    for (first, a), (then, b) in zip(happening, happening[1:]):
        if d(b) < d(a):
            raise ParameterError(f"parameter {then}: got {b}, expected a date on or after {first} ({a})")
    m = params.metrics
    if m.window_end and d(m.window_end) < d(m.window_start):
        raise ParameterError(f"parameter metrics.window_end: got {m.window_end}, expected a date on or after "
                             f"metrics.window_start ({m.window_start})")
    if m.window_end and d(m.window_end) < params.start_date:
        raise ParameterError(f"parameter metrics.window_end: got {m.window_end}, expected a date on or after "
                             f"run.start ({params.run.start})")


RULES = (
    "`sentencing.community_weeks_min` < `sentencing.community_weeks_mean`; `sentencing.sso_weeks_min` < "
    "`sentencing.sso_weeks_mean`",
    "`workforce.stress_onset` < `workforce.stress_full`",
    "`risk.rosh_very_high_share` <= `risk.rosh_high_share`",
    "`iom.ogrs_profile_threshold` <= `iom.ogrs_threshold`",
    "`run.start` < `run.end`, both between 2000 and 2040",
    "the reform's dates in order, each where its event happens: `policy.share_out_date` <= `policy.crc_sale_date` "
    "<= `policy.variation_date` <= `policy.termination_announced_date` <= `policy.reunification_date`",
    "`metrics.window_end`, when set, on or after `metrics.window_start` and `run.start`",
)
"""The rules across parameters that ``validate`` checks, as docs/parameters.md lists them."""

STRUCTURAL: dict[str, str] = {
    **{f"tr.rules.{c.name}": "names the class that carries a channel: the model's own by default, and a replacement's "
                             "effect is its own (tests/model/channels/test_extending.py)" for c in CHANNELS},
    "workforce.initial_tenure_max_years": "sets the starting staff's week_joined, which no rule reads; kept because "
                                          "removing it changes the saved whole-run fingerprints, though no output",
}
"""Parameters that change no simulated number, with why; tests/integration/test_parameters_matter.py checks that every other
parameter changes some output."""


def build(overrides: dict[str, Any] | None = None) -> Parameters:
    """Defaults plus overrides, validated."""
    params = Parameters()
    for name, value in (overrides or {}).items():
        set_value(params, name, value)
    return validate(params)


def parameters_markdown() -> str:
    """docs/parameters.md, generated from the tree."""
    lines = ["# Parameters", "",
             "Generated from `model/parameters.py` by `python run.py docs`; do not edit by hand.",
             "Set any of them with `--set name=value`, in a scenario's `[parameters]` table, or in an",
             "experiment file. Sources: a seed document, a row of `CALIBRATION.md`, or an explicit assumption.", ""]
    group = None
    for name, value, f in walk(Parameters()):
        head = name.rsplit(".", 1)[0]
        if head != group:
            group = head
            lines += ["", f"## `{group}`", "", "| name | default | unit | bounds | meaning | source |",
                      "| --- | --- | --- | --- | --- | --- |"]
        m = f.metadata
        bounds = f"one of {', '.join(m['choices'])}" if m["choices"] else (
            f"[{m['lo']}, {m['hi']}]" if m["lo"] is not None else "")
        lines.append(f"| `{name}` | `{value!r}` | {m['unit']} | {bounds} | {m['doc']} | {m['source']} |")
    lines += ["", "## Rules across parameters", "", "Checked before a run with the bounds above:", ""]
    lines += [f"- {rule}" for rule in RULES]
    lines += ["", "## Parameters that change no simulated number", "",
              "Every other parameter changes some output of a run when moved within its bounds "
              "(tests/integration/test_parameters_matter.py):", ""]
    lines += [f"- `{name}`: {why}" for name, why in STRUCTURAL.items()]
    return "\n".join(lines) + "\n"
