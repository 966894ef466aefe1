"""Figures and text for the browser view (app.py): pure functions of a model, matplotlib only.

Kept apart from the Solara page so they can be timed and tested without a browser. Nothing here
draws on the model's random streams: the offender sample has its own generator, so watching a
run never changes it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib import colormaps  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
from matplotlib.colors import Normalize  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from model.allocation import supervised_mask  # noqa: E402
from model.states import PoliceRole, State  # noqa: E402

SAMPLE_SIZE = 150  # offenders drawn on the network
TRUST_CMAP = colormaps["RdYlGn"]
TRUST_NORM = Normalize(vmin=0.0, vmax=1.0)
IOM_COLOUR = "#7b2cbf"
ORG_COLOURS = {
    "ProbationTrust": "#1f77b4",
    "NationalProbationService": "#17becf",
    "CommunityRehabilitationCompany": "#ff7f0e",
    "PoliceForce": "#08306b",
    "VoluntaryProvider": "#2ca02c",
}
ORG_LABELS = {
    "ProbationTrust": "probation trust",
    "NationalProbationService": "NPS",
    "CommunityRehabilitationCompany": "CRC",
    "PoliceForce": "police force",
    "VoluntaryProvider": "voluntary provider",
}
CASE_COLOURS = {
    "custody": "#d62728",
    "licence": "#ff9896",
    "community order": "#9467bd",
    "IOM": IOM_COLOUR,
    "unsupervised": "#bbbbbb",
}

# Time-series panels: title, [(series, label, colour)], rolling mean in weeks, y scale.
PANELS: dict[str, tuple[str, list[tuple[str, str, str]], int, float]] = {
    "reoffending": ("Offences and proven offences per week", [
        ("offences", "offences", "#d62728"), ("proven", "proven", "#7f7f7f")], 4, 1.0),
    "recalls": ("Recalls to custody per week", [
        ("recalls", "all recalls", "#9467bd"), ("recalls_short", "short-sentence", "#c5b0d5")], 4, 1.0),
    "caseload": ("Caseload per officer", [
        ("caseload_trust", "trust", ORG_COLOURS["ProbationTrust"]),
        ("caseload_nps", "NPS", ORG_COLOURS["NationalProbationService"]),
        ("caseload_crc", "CRC", ORG_COLOURS["CommunityRehabilitationCompany"])], 1, 1.0),
    "trust": ("Inter-agency trust (0-1)", [
        ("police_probation_trust", "police-probation", ORG_COLOURS["PoliceForce"]),
        ("nps_crc_trust", "NPS-CRC", ORG_COLOURS["CommunityRehabilitationCompany"])], 1, 1.0),
    "income": ("CRC income and cost per week (GBP thousand)", [
        ("crc_income_gbp", "income", "#2ca02c"), ("crc_cost_gbp", "cost", "#8c564b")], 4, 1e-3),
}


# ---- shared per-model state (positions, the offender sample, dates) --------------------------
@dataclass
class ViewState:
    """What the view keeps between redraws of one model: positions and the tracked sample."""

    org_pos: np.ndarray
    staff_offset: np.ndarray
    police_pos: np.ndarray
    x_dates: np.ndarray
    rng: np.random.Generator
    sample_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    sample_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    case_pos: dict[int, tuple[float, float]] = field(default_factory=dict)


def _ring(index: np.ndarray, inner: float, width: float) -> np.ndarray:
    """Deterministic scattered offsets on an annulus: golden-angle turns, radii by a fixed sequence."""
    index = np.asarray(index, dtype=np.float64)
    angle = index * 2.399963229728653  # golden angle: neighbours never line up
    radius = inner + width * ((index * 0.6180339887) % 1.0)
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])


def view_state(model) -> ViewState:
    """The model's view state, built once: organisations on a circle, staff around their employer."""
    state = getattr(model, "_view_state", None)
    if state is not None:
        return state
    n = len(model.orgs)
    angle = np.pi / 2 - 2 * np.pi * np.arange(n) / max(n, 1)
    radius = 10.0 if n > 1 else 0.0
    org_pos = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    staff_offset = _ring(np.arange(model.staff.n), 1.2, 2.0)
    police = model.police_officers
    police_pos = np.zeros((len(police), 2))
    count: defaultdict[int, int] = defaultdict(int)
    for k, officer in enumerate(police):
        f = officer.force.index
        police_pos[k] = org_pos[f] + _ring(np.array([count[f]]), 1.2, 1.0)[0]
        count[f] += 1
    dates = [model.cal.date_of(w) for w in range(model.cal.n_weeks)]
    state = ViewState(org_pos, staff_offset, police_pos, mdates.date2num(dates),
                      np.random.default_rng([int(model.params.run.seed), 4242]))
    model._view_state = state
    return state


def staff_positions(model, state: ViewState) -> np.ndarray:
    """Each post sits at a fixed offset from its current employer (it moves only if the employer does)."""
    return state.org_pos[model.staff.employer.astype(np.int64)] + state.staff_offset


def update_sample(model, state: ViewState, size: int = SAMPLE_SIZE) -> np.ndarray:
    """Follow the same people week to week; top up from those allocated to an officer."""
    pop = model.pop
    rows, ids = state.sample_rows, state.sample_ids
    if rows.size:
        keep = (rows < pop.high_water) & (pop.person_id[rows] == ids) & (pop.state[rows] != State.EMPTY)
        rows, ids = rows[keep], ids[keep]
    if rows.size < size:
        v = pop.view()
        pool = np.flatnonzero(pop.officer[v] >= 0)
        pool = pool[~np.isin(pool, rows)]
        if pool.size:
            extra = state.rng.choice(pool, size=min(size - rows.size, pool.size), replace=False)
            rows = np.concatenate([rows, np.sort(extra)])
            ids = pop.person_id[rows]
    state.sample_rows, state.sample_ids = rows.astype(np.int64), ids.astype(np.int64)
    alive = set(state.sample_ids.tolist())
    for pid in [p for p in state.case_pos if p not in alive]:
        del state.case_pos[pid]
    return state.sample_rows


def case_category(model, rows: np.ndarray) -> np.ndarray:
    """Category name of each row: IOM, custody, licence, community order or unsupervised."""
    pop = model.pop
    out = np.full(rows.size, "unsupervised", dtype=object)
    st = pop.state[rows]
    supervised = supervised_mask(model, rows) if rows.size else np.zeros(0, dtype=bool)
    out[supervised & (st == State.COMMUNITY)] = "community order"
    out[supervised & (st == State.LICENCE)] = "licence"
    out[st == State.CUSTODY] = "custody"
    out[supervised & pop.iom[rows]] = "IOM"
    return out


# ---- the network ----------------------------------------------------------------------------
def network_figure(model, size: int = SAMPLE_SIZE) -> Figure:
    """Organisations (large), staff (small), a sample of people on their officers' caseloads."""
    state = view_state(model)
    staff = model.staff
    spos = staff_positions(model, state)
    fig = Figure(figsize=(6.4, 5.6), dpi=90)
    ax = fig.add_axes((0.0, 0.0, 0.86, 0.93))
    cax = fig.add_axes((0.88, 0.2, 0.025, 0.6))

    # employment edges (grey), inter-organisation ties and IOM team links (coloured by trust)
    live = staff.funded
    emp = [(spos[r], state.org_pos[staff.employer[r]]) for r in np.flatnonzero(live)]
    emp += [(state.police_pos[k], state.org_pos[p.force.index]) for k, p in enumerate(model.police_officers)]
    ax.add_collection(LineCollection(emp, colors="#cccccc", linewidths=0.4, zorder=1))
    ties = model.ties
    a, b, _ = ties.arrays()
    act = np.flatnonzero(ties.active) if ties.trust.size else np.zeros(0, dtype=np.int64)
    if act.size:
        segs = [(state.org_pos[a[t]], state.org_pos[b[t]]) for t in act]
        ax.add_collection(LineCollection(segs, colors=TRUST_CMAP(TRUST_NORM(ties.trust[act])),
                                         linewidths=2.5, zorder=2))
    iom_rows = np.flatnonzero(staff.iom & staff.funded)
    iom_segs, iom_trust = [], []
    for k, police in enumerate(model.police_officers):
        if police.role != PoliceRole.IOM:
            continue
        for r in iom_rows:
            if staff.cpa[r] in police.force.cpas:
                tie = ties.find(int(staff.employer[r]), police.force.index)
                iom_segs.append((spos[r], state.police_pos[k]))
                iom_trust.append(ties.trust[tie] if tie >= 0 and ties.active[tie] else 0.0)
    if iom_segs:
        ax.add_collection(LineCollection(iom_segs, colors=TRUST_CMAP(TRUST_NORM(np.array(iom_trust))),
                                         linewidths=0.9, linestyles="--", alpha=0.8, zorder=2))

    # people: a fixed sample, each drawn next to their officer (or where last seen)
    rows = update_sample(model, state, size)
    if rows.size:
        off = model.pop.officer[rows]
        pids = state.sample_ids
        here = _ring(pids % 9973, 0.35, 0.35)
        xy = np.empty((rows.size, 2))
        for i, (o, pid) in enumerate(zip(off, pids)):
            if o >= 0:
                p = (spos[o, 0] + here[i, 0], spos[o, 1] + here[i, 1])
                state.case_pos[int(pid)] = p
            else:
                p = state.case_pos.get(int(pid), (0.0 + here[i, 0] * 3, 0.0 + here[i, 1] * 3))
            xy[i] = p
        cats = case_category(model, rows)
        ax.scatter(xy[:, 0], xy[:, 1], s=7, c=[CASE_COLOURS[c] for c in cats], linewidths=0, zorder=3)

    # staff and police officers: small; IOM ones ringed
    ax.scatter(spos[live, 0], spos[live, 1], s=14, c="#444444", linewidths=0, zorder=4)
    iom = live & staff.iom
    ax.scatter(spos[iom, 0], spos[iom, 1], s=30, facecolors="none", edgecolors=IOM_COLOUR, linewidths=1.2, zorder=5)
    piom = np.array([p.role == PoliceRole.IOM for p in model.police_officers], dtype=bool)
    if piom.size:
        ax.scatter(state.police_pos[:, 0], state.police_pos[:, 1], s=14, c=ORG_COLOURS["PoliceForce"], marker="s",
                   linewidths=0, zorder=4)
        ax.scatter(state.police_pos[piom, 0], state.police_pos[piom, 1], s=34, marker="s", facecolors="none",
                   edgecolors=IOM_COLOUR, linewidths=1.2, zorder=5)

    # organisations: large, faded when not operating
    kinds = [type(o).__name__ for o in model.orgs]
    active = np.array([bool(o.active) for o in model.orgs])
    colours = [ORG_COLOURS.get(k, "#888888") for k in kinds]
    ax.scatter(state.org_pos[active, 0], state.org_pos[active, 1], s=420,
               c=[c for c, a_ in zip(colours, active) if a_], edgecolors="black", linewidths=0.8, zorder=6)
    if (~active).any():
        ax.scatter(state.org_pos[~active, 0], state.org_pos[~active, 1], s=420,
                   c=[c for c, a_ in zip(colours, active) if not a_], alpha=0.2, edgecolors="grey",
                   linewidths=0.8, zorder=6)
    if len(model.orgs) <= 40:
        for o, (x, y) in zip(model.orgs, state.org_pos):
            ax.annotate(_short(o.name), (x, y), xytext=(0, -16), textcoords="offset points", ha="center",
                        va="top", fontsize=6, color="black" if o.active else "grey", zorder=7)

    handles = [Line2D([], [], ls="", marker="o", ms=8, mfc=ORG_COLOURS[k], mec="black", label=ORG_LABELS[k])
               for k in ORG_COLOURS if k in kinds]
    handles += [Line2D([], [], ls="", marker="o", ms=4, mfc="#444444", mec="none", label="probation officer"),
                Line2D([], [], ls="", marker="o", ms=6, mfc="none", mec=IOM_COLOUR, label="IOM staff")]
    handles += [Line2D([], [], ls="", marker="o", ms=4, mfc=c, mec="none", label=k) for k, c in CASE_COLOURS.items()]
    ax.legend(handles=handles, loc="lower left", fontsize=6, ncol=2, frameon=True, framealpha=0.8)
    cb = fig.colorbar(matplotlib.cm.ScalarMappable(norm=TRUST_NORM, cmap=TRUST_CMAP), cax=cax)
    cb.set_label("trust on tie", fontsize=7)
    cb.ax.tick_params(labelsize=6)
    ax.set_title(f"Organisations, staff and {rows.size} sampled people - {model.date:%d %b %Y}", fontsize=9)
    ax.set_aspect("equal")
    ax.autoscale_view()
    ax.margins(0.05)
    ax.axis("off")
    return fig


def _short(name: str) -> str:
    return (name.replace(" Probation Trust", " PT").replace("Community Rehabilitation Company", "CRC")
            .replace(" provider ", " VCS "))


# ---- time series ----------------------------------------------------------------------------
def policy_marks(model) -> list[tuple[dt.date, str, bool]]:
    """(date, label, applied) per distinct date: events on the same day share one label."""
    by_date: dict[dt.date, list] = {}
    for e in model.events:
        by_date.setdefault(e.date, []).append(e)
    return [(d, " + ".join(e.name for e in evs), all(e.applied for e in evs)) for d, evs in sorted(by_date.items())]


def _rolling(y: np.ndarray, k: int) -> np.ndarray:
    if k <= 1 or y.size == 0:
        return y
    filled = np.nan_to_num(y)
    have = (~np.isnan(y)).astype(float)
    c, n = np.cumsum(filled), np.cumsum(have)
    c[k:], n[k:] = c[k:] - c[:-k].copy(), n[k:] - n[:-k].copy()
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, c / np.maximum(n, 1), np.nan)


def series_figure(model, panel: str) -> Figure:
    """One time-series panel over the whole run period, policy dates marked."""
    title, lines, window, scale = PANELS[panel]
    state = view_state(model)
    w = model.recorder.recorded
    x = state.x_dates[:w]
    fig = Figure(figsize=(6.0, 2.9), dpi=90)
    ax = fig.add_axes((0.1, 0.14, 0.87, 0.74))
    for name, label, colour in lines:
        y = _rolling(model.recorder.series[name][:w], window) * scale
        ax.plot(x, y, lw=1.3, color=colour, label=label)
    for d, label, applied in policy_marks(model):
        xv = mdates.date2num(d)
        ax.axvline(xv, color="dimgrey" if applied else "#bbbbbb", lw=0.8, ls="-" if applied else "--")
        ax.annotate(label, (xv, 0.98), xycoords=("data", "axes fraction"), rotation=90, fontsize=6, va="top",
                    ha="right", color="dimgrey" if applied else "#aaaaaa")
    ax.set_xlim(state.x_dates[0], state.x_dates[-1])
    ax.xaxis.set_major_locator(mdates.YearLocator(2))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.tick_params(labelsize=7)
    ax.grid(alpha=0.3)
    if w:
        ax.legend(fontsize=6, loc="upper left")
    suffix = f" ({window}-week mean)" if window > 1 else ""
    ax.set_title(f"{title}{suffix}", fontsize=9)
    return fig


# ---- status text ----------------------------------------------------------------------------
def status_markdown(model, scenario: str = "") -> str:
    """Calendar date, week, regime and the last and next policy events, as Markdown."""
    marks = policy_marks(model)
    last = [m for m in marks if m[2]]
    upcoming = [m for m in marks if not m[2]]
    fmt = "%d %B %Y"
    last_text = f"{last[-1][0]:{fmt}}: {last[-1][1]}" if last else "none yet"
    next_text = f"{upcoming[0][0]:{fmt}}: {upcoming[0][1]}" if upcoming else "none left"
    head = f"**Scenario:** {scenario}  \n" if scenario else ""
    return (f"{head}**Simulated date:** {model.date:{fmt}} (week {model.week} of {model.cal.n_weeks})  \n"
            f"**Regime:** {model.regime}  \n"
            f"**Last policy event:** {last_text}  \n"
            f"**Next policy event:** {next_text}")


# ---- timing ---------------------------------------------------------------------------------
def _png(fig: Figure) -> bytes:
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def measure_redraw(scenario: str = "tr_reunified", weeks: int = 20, warmup: int = 170) -> list[str]:
    """Time one model step plus building and rendering (PNG) every figure, at small scale.

    Runs ``warmup`` weeks first (past the 2014 split, so NPS, CRC and IOM ties are all drawn),
    then reports the median and worst of ``weeks`` step+redraw cycles.
    """
    import time

    from experiments.simulate import build_parameters
    from model.probation_model import ProbationModel

    model = ProbationModel(build_parameters(scenario, {}, scale="small", seed=1))
    for _ in range(warmup):
        model.step()
    parts: dict[str, list[float]] = defaultdict(list)
    for _ in range(weeks):
        t0 = time.perf_counter()
        model.step()
        parts["step"].append(time.perf_counter() - t0)
        t = time.perf_counter()
        status_markdown(model, scenario)
        parts["status"].append(time.perf_counter() - t)
        t = time.perf_counter()
        _png(network_figure(model))
        parts["network"].append(time.perf_counter() - t)
        for panel in PANELS:
            t = time.perf_counter()
            _png(series_figure(model, panel))
            parts[panel].append(time.perf_counter() - t)
        parts["total"].append(time.perf_counter() - t0)
    lines = [f"{scenario}, small scale, seed 1, weeks {warmup}-{warmup + weeks} ({model.date:%Y-%m-%d}): "
             "median / max seconds"]
    for name, values in parts.items():
        lines.append(f"  {name:12s} {np.median(values):.4f} / {max(values):.4f}")
    return lines
