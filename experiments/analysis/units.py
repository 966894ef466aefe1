"""Labels and units of summary metrics and weekly series, from their names, and numbers formatted for reading.

Metric names follow conventions (docs/metrics.md): ``*_rate`` and ``*_share`` are shares, ``*_gbp_m`` are GBP
millions over the window, ``*_per_year`` are counts a year, ``*_total`` are counts over the window, ``*_mean``
are mean head counts. A small table gives the exact wording for the keys whose names say less; a key the
table does not know (a new per-group key such as ``reoffending_rate_female``) takes the wording of its longest
known prefix plus its suffix as a qualifier, and failing that its name and no unit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

SHARE, MONEY, PER_YEAR, TOTAL, LEVEL, INDEX, OTHER = "share", "money", "per_year", "total", "level", "index", "other"


@dataclass(frozen=True)
class MetricInfo:
    """How to show one summary metric: a label, its kind, unit and the display factor."""

    key: str
    label: str
    kind: str
    unit: str  # of a level, as shown: "%", "GBP m", "a year", "people" ...
    diff_unit: str  # of a difference, as shown: "pp", "GBP m" ...
    factor: float = 1.0  # shown value = stored value x factor (100 for shares)
    scales: bool = False  # a count or money: multiply by the national factor for a national equivalent

    def show(self, value: float, digits: int | None = None) -> str:
        """A level in display units, without the unit."""
        return number(value * self.factor if _finite(value) else value, digits)

    def show_diff(self, value: float, digits: int | None = None) -> str:
        return number(value * self.factor if _finite(value) else value, digits, signed=True)


# key: (label, kind, unit of a level). Wording for keys whose names say less than the conventions need.
METRICS: dict[str, tuple[str, str, str]] = {
    "reoffending_rate": ("proven reoffending rate", SHARE, "%"),
    "reoffences_per_reoffender": ("proven reoffences per reoffender", LEVEL, "offences"),
    "cohort_size": ("people in the reoffending cohorts", LEVEL, "people"),
    "recalls_per_year": ("recalls to custody", PER_YEAR, "a year"),
    "recall_share_short_custody": ("share of recalls from sentences under 12 months", SHARE, "%"),
    "caseload_per_officer": ("cases per officer", LEVEL, "cases"),
    "crc_net_income_gbp_m": ("CRC net income", MONEY, "GBP m"),
    "pbr_paid_gbp_m": ("Payment by Results paid to CRCs", MONEY, "GBP m"),
    "public_cost_gbp_m": ("public cost of probation", MONEY, "GBP m"),
    "vcs_active_share": ("voluntary providers still operating", SHARE, "%"),
    "police_probation_trust": ("police-probation trust", INDEX, "0-1"),
    "nps_crc_trust": ("NPS-CRC trust", INDEX, "0-1"),
    "iom_contacts_per_case_week": ("IOM contact per case", LEVEL, "hours a week"),
    "iom_cohort_mean": ("people in the IOM cohort", LEVEL, "people"),
    "relationship_continuity": ("offender-staff relationship", INDEX, "0-1"),
    "officer_continuity": ("cases keeping their officer over a year", SHARE, "%"),
    "offences_total": ("offences", TOTAL, "a year"),
    "victims_total": ("victims", TOTAL, "a year"),
    "proven_offences_total": ("proven offences", TOTAL, "a year"),
    "transfers_crc_to_nps": ("CRC cases moved to the NPS", TOTAL, "a year"),
    "breaches_per_year": ("breaches actioned", PER_YEAR, "a year"),
    "accommodation_at_termination": ("accommodation met at termination", SHARE, "%"),
    "employment_at_termination": ("employment need met at termination", SHARE, "%"),
    "orders_completed_rate": ("orders and licences completed", SHARE, "%"),
    "under_supervision_mean": ("people under supervision", LEVEL, "people"),
    "short_custody_supervised_share": ("short-sentence releases supervised", SHARE, "%"),
    "parked_cases_mean": ("parked cases", LEVEL, "cases"),
    "staff_turnover_rate": ("staff turnover a year", SHARE, "%"),
}
WORDS = {"nps": "NPS", "crc": "CRC", "iom": "IOM", "vcs": "VCS", "pbr": "PbR", "gbp": "GBP", "bame": "BAME"}
SCALING = {MONEY, PER_YEAR, TOTAL}
COUNT_UNITS = {"people", "cases"}


def _finite(x) -> bool:
    return x is not None and isinstance(x, (int, float)) and math.isfinite(x)


def words(name: str) -> str:
    """snake_case to words, keeping acronyms: "crc_cohort" -> "CRC cohort"."""
    return " ".join(WORDS.get(w, w) for w in name.split("_") if w)


def _by_convention(key: str) -> tuple[str, str, str] | None:
    if key.endswith("_gbp_m"):
        return words(key[:-6]), MONEY, "GBP m"
    if key.endswith("_per_year"):
        return words(key[:-9]), PER_YEAR, "a year"
    if key.endswith("_total"):
        return words(key[:-6]), TOTAL, "a year"
    if key.endswith(("_rate", "_share")) or "_share_" in key or key.startswith("share_"):
        return words(key), SHARE, "%"
    if key.endswith("_mean"):
        return words(key[:-5]), LEVEL, "people"
    return None


def metric_info(key: str, custom: dict | None = None, window_years: float | None = None) -> MetricInfo:
    """Label, unit and display factor of a summary metric (or of a user-defined one, from its definition).
    A window total is shown a year when the window's length is given, else as the window's total."""
    if custom and key in custom:
        d = custom[key]
        return MetricInfo(key, d.label or words(key), OTHER, d.unit, d.unit)
    if key in METRICS:
        label, kind, unit = METRICS[key]
    else:
        prefix = max((k for k in METRICS if key.startswith(k + "_")), key=len, default=None)
        found = _by_convention(key)
        if prefix is not None and (found is None or found[1] == METRICS[prefix][1]):
            label, kind, unit = METRICS[prefix]
            label = f"{label}, {words(key[len(prefix) + 1:])}"
        elif found is not None:
            label, kind, unit = found
        else:
            return MetricInfo(key, words(key), OTHER, "", "")
    if kind == SHARE:
        return MetricInfo(key, label, kind, "%", "pp", 100.0)
    if kind == INDEX:
        return MetricInfo(key, label, kind, "index 0-1", "index points")
    if kind == TOTAL:
        if window_years and window_years > 0:
            return MetricInfo(key, label, kind, "a year", "a year", 1.0 / window_years, True)
        return MetricInfo(key, label, kind, "in the window", "in the window", 1.0, True)
    return MetricInfo(key, label, kind, unit, unit, 1.0, kind in SCALING or unit in COUNT_UNITS)


def with_unit(info: MetricInfo, diff: bool = False) -> str:
    """"proven reoffending rate (%)"."""
    unit = info.diff_unit if diff else info.unit
    return f"{info.label} ({unit})" if unit else info.label


# weekly series: (label, unit, display factor)
SERIES_UNITS = {
    "relationship": ("offender-staff relationship", "index 0-1", 1.0),
    "officer_continuity": ("cases keeping their officer over a year", "%", 100.0),
    "police_probation_trust": ("police-probation trust", "index 0-1", 1.0),
    "nps_crc_trust": ("NPS-CRC trust", "index 0-1", 1.0),
    "stress": ("staff stress", "index 0-1", 1.0),
    "vcs_active_share": ("voluntary providers operating", "%", 100.0),
    "remote_share_crc": ("CRC contact given remotely", "%", 100.0),
    "iom_contact_hours": ("IOM contact", "hours a week", 1.0),
    "iom_case_weeks": ("IOM cases in the community", "cases", 1.0),
    "staff_filled": ("offender-management staff in post", "people", 1.0),
    "unallocated": ("supervised cases without an officer", "cases", 1.0),
    "parked": ("parked cases", "cases", 1.0),
}
FLOWS = {"offences", "proven", "victims", "recalls", "recalls_short", "breaches", "transfers_crc_to_nps", "leavers",
         "terminations", "completions", "term_accommodation_ok", "term_employment_ok", "releases_short",
         "releases_short_supervised"}


def series_info(name: str) -> tuple[str, str, float]:
    """(label, unit, display factor) of a weekly series."""
    if name in SERIES_UNITS:
        return SERIES_UNITS[name]
    if name.startswith("caseload_"):
        return f"cases per officer, {words(name[9:])}", "cases", 1.0
    if name.startswith("officers_"):
        return f"officers in post, {words(name[9:])}", "people", 1.0
    if name.endswith("_gbp"):
        return words(name[:-4]), "GBP thousand a week", 1e-3
    if name in FLOWS:
        return words(name), "a week", 1.0
    if name.endswith(("_share", "_rate")):
        return words(name), "%", 100.0
    return words(name), "people", 1.0


def decimals(halfwidth: float | None, value: float | None = None) -> int:
    """Decimals that show two significant figures of an interval's half-width (or three of a bare value, when
    the half-width is unknown or nil next to the value)."""
    tiny = _finite(value) and _finite(halfwidth) and halfwidth <= 1e-9 * abs(value)
    ref, keep = (halfwidth, 2) if _finite(halfwidth) and halfwidth > 0 and not tiny else (value, 3)
    if not _finite(ref) or ref == 0:
        return 2
    return int(min(5, max(0, keep - 1 - math.floor(math.log10(abs(ref))))))


def number(x: float | None, digits: int | None = None, signed: bool = False) -> str:
    """A number for reading: thousands separators, no scientific notation."""
    if not _finite(x):
        return "n/a"
    d = decimals(None, x) if digits is None else digits
    if abs(x) >= 1000:
        d = min(d, 0)
    text = f"{x:+,.{d}f}" if signed else f"{x:,.{d}f}"
    if not text.lstrip("+-").strip("0.,"):  # rounds to zero: no sign
        text = f"{0:.{d}f}"
    return text


def rounded(x: float, sig: int = 3) -> str:
    """x to ``sig`` significant figures, for reading: 1,122,438 -> "1,120,000"."""
    if not _finite(x) or x == 0:
        return number(x)
    places = sig - 1 - math.floor(math.log10(abs(x)))
    return number(round(x, places), max(0, places))


def interval(mean: float, low: float, high: float, factor: float = 1.0, signed: bool = False) -> str:
    """"45.3 [44.1, 46.5]" with decimals from the half-width."""
    if not _finite(mean):
        return "n/a"
    m = mean * factor
    if not (_finite(low) and _finite(high)):
        return number(m, signed=signed)
    lo, hi = low * factor, high * factor
    d = decimals((hi - lo) / 2, m)
    return f"{number(m, d, signed)} [{number(lo, d, signed)}, {number(hi, d, signed)}]"


def plus_minus(mean: float, low: float, high: float, factor: float = 1.0) -> str:
    """"45.3 ± 1.2" (the 95% half-width), for compact tables."""
    if not _finite(mean):
        return "n/a"
    m = mean * factor
    if not (_finite(low) and _finite(high)):
        return number(m)
    half = (high - low) * factor / 2
    d = decimals(half, m)
    return f"{number(m, d)} ± {number(half, d)}"
