"""Figures and text for the browser view (app.py), matplotlib only.

Kept apart from the Solara page so they can be timed and tested without a browser. Each model
keeps its view state (positions, the offender sample, its figures) in ``model._view_state``, so
figures are updated week to week rather than rebuilt. Nothing here draws on the model's random
streams: the offender sample has its own generator, so watching a run never changes it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import matplotlib
import matplotlib.dates as mdates
import numpy as np
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator
from PIL import Image as PILImage

from agents.states import PoliceRole, State
from model.allocation import supervised_mask

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
    figures: dict[str, Figure] = field(default_factory=dict)


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
    radius = max(10.0, 1.35 * n) if n > 1 else 0.0  # neighbours' staff rings (radius <= 3.2) do not touch
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


# ---- a figure that redraws only what changed ---------------------------------------------------
class BlitFigure(Figure):
    """A matplotlib Figure whose PNG ``savefig`` redraws only its dynamic artists.

    Axes, ticks, labels, legends and anything else static are drawn once into a cached
    background, redrawn only when ``static_key`` changes; each save then restores the background,
    draws the artists in ``dynamic`` on it and encodes the pixels. Text is most of matplotlib's
    drawing time, so this keeps a weekly redraw cheap. Any other savefig call is the ordinary one.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        FigureCanvasAgg(self)
        self.dynamic: list = []
        self.static_key: object = None
        self._background = None
        self._background_key: object = None

    def add_dynamic(self, artist):
        artist.set_animated(True)
        self.dynamic.append(artist)
        return artist

    def render_rgba(self) -> np.ndarray:
        canvas = self.canvas
        if self._background is None or self._background_key != self.static_key:
            canvas.draw()  # animated (dynamic) artists are left out of an ordinary draw
            self._background = canvas.copy_from_bbox(self.bbox)
            self._background_key = self.static_key
        else:
            canvas.restore_region(self._background)
        for artist in sorted(self.dynamic, key=lambda a: a.get_zorder()):
            if artist.get_visible():
                artist.axes.draw_artist(artist) if artist.axes is not None else artist.draw(canvas.get_renderer())
        return np.asarray(canvas.buffer_rgba())

    def savefig(self, fname, *args, **kwargs):
        fmt = kwargs.get("format", "png")
        if args or set(kwargs) - {"format"} or fmt != "png" or not hasattr(fname, "write"):
            return super().savefig(fname, *args, **kwargs)
        PILImage.fromarray(self.render_rgba(), mode="RGBA").save(fname, format="png", compress_level=1)
        return None


# ---- the network ----------------------------------------------------------------------------
def network_figure(model, size: int = SAMPLE_SIZE) -> BlitFigure:
    """Organisations (large), staff (small), a sample of people on their officers' caseloads.

    Built once per model; each call moves staff to their current employer, recolours ties by
    their current trust and redraws the sample.
    """
    state = view_state(model)
    fig = state.figures.get("network")
    if fig is None:
        fig = state.figures["network"] = _new_network_figure(model, state)
    art = fig._artists
    staff = model.staff
    spos = staff_positions(model, state)
    live = staff.funded
    emp = [(spos[r], state.org_pos[staff.employer[r]]) for r in np.flatnonzero(live)]
    emp += [(state.police_pos[k], state.org_pos[p.force.index]) for k, p in enumerate(model.police_officers)]
    art["employment"].set_segments(emp)
    ties = model.ties
    a, b, _ = ties.arrays()
    act = np.flatnonzero(ties.active) if ties.trust.size else np.zeros(0, dtype=np.int64)
    art["ties"].set_segments([(state.org_pos[a[t]], state.org_pos[b[t]]) for t in act])
    art["ties"].set_color(TRUST_CMAP(TRUST_NORM(ties.trust[act])) if act.size else "none")
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
    art["iom"].set_segments(iom_segs)
    art["iom"].set_color(TRUST_CMAP(TRUST_NORM(np.array(iom_trust))) if iom_segs else "none")

    rows = update_sample(model, state, size)
    xy = np.zeros((rows.size, 2))
    if rows.size:
        off = model.pop.officer[rows]
        here = _ring(state.sample_ids % 9973, 0.35, 0.35)
        for i, (o, pid) in enumerate(zip(off, state.sample_ids)):
            if o >= 0:
                state.case_pos[int(pid)] = (spos[o, 0] + here[i, 0], spos[o, 1] + here[i, 1])
            xy[i] = state.case_pos.get(int(pid), (here[i, 0] * 3, here[i, 1] * 3))
        art["sample"].set_facecolor([CASE_COLOURS[c] for c in case_category(model, rows)])
    art["sample"].set_offsets(xy)
    art["staff"].set_offsets(spos[live])
    art["staff_iom"].set_offsets(spos[live & staff.iom])
    active = tuple(bool(o.active) for o in model.orgs)
    if active != fig.static_key:
        face = [matplotlib.colors.to_rgba(ORG_COLOURS.get(type(o).__name__, "#888888"), 1.0 if on else 0.2)
                for o, on in zip(model.orgs, active)]
        art["orgs"].set_facecolor(face)
        art["orgs"].set_edgecolor(["black" if on else "#bbbbbb" for on in active])
        for text, on in zip(art["labels"], active):
            text.set_color("black" if on else "#aaaaaa")
        fig.static_key = active
    art["title"].set_text(f"Organisations, staff and {rows.size} sampled people - {model.date:%d %b %Y}")
    return fig


def _new_network_figure(model, state: ViewState) -> BlitFigure:
    fig = BlitFigure(figsize=(6.4, 5.6), dpi=90)
    ax = fig.add_axes((0.0, 0.0, 0.86, 0.93))
    cax = fig.add_axes((0.88, 0.2, 0.025, 0.6))
    art: dict = {}
    art["employment"] = fig.add_dynamic(ax.add_collection(
        LineCollection([], colors="#cccccc", linewidths=0.4, zorder=1), autolim=False))
    art["ties"] = fig.add_dynamic(ax.add_collection(LineCollection([], linewidths=2.5, zorder=2), autolim=False))
    art["iom"] = fig.add_dynamic(ax.add_collection(
        LineCollection([], linewidths=0.9, linestyles="--", alpha=0.8, zorder=2), autolim=False))
    empty = np.zeros((0, 2))
    art["sample"] = fig.add_dynamic(ax.scatter(empty[:, 0], empty[:, 1], s=7, linewidths=0, zorder=3))
    art["staff"] = fig.add_dynamic(ax.scatter(empty[:, 0], empty[:, 1], s=14, c="#444444", linewidths=0, zorder=4))
    art["staff_iom"] = fig.add_dynamic(ax.scatter(empty[:, 0], empty[:, 1], s=30, facecolors="none",
                                                  edgecolors=IOM_COLOUR, linewidths=1.2, zorder=5))
    piom = np.array([p.role == PoliceRole.IOM for p in model.police_officers], dtype=bool)
    if piom.size:  # nodes are dynamic too, so that they stay above the (dynamic) edges
        fig.add_dynamic(ax.scatter(state.police_pos[:, 0], state.police_pos[:, 1], s=14, c=ORG_COLOURS["PoliceForce"],
                                   marker="s", linewidths=0, zorder=4))
        fig.add_dynamic(ax.scatter(state.police_pos[piom, 0], state.police_pos[piom, 1], s=34, marker="s",
                                   facecolors="none", edgecolors=IOM_COLOUR, linewidths=1.2, zorder=5))
    kinds = [type(o).__name__ for o in model.orgs]
    art["orgs"] = fig.add_dynamic(ax.scatter(state.org_pos[:, 0], state.org_pos[:, 1], s=420,
                                             c=[ORG_COLOURS.get(k, "#888888") for k in kinds],
                                             edgecolors="black", linewidths=0.8, zorder=6))
    art["labels"] = []
    if len(model.orgs) <= 40:
        for o, (x, y) in zip(model.orgs, state.org_pos):
            r = float(np.hypot(x, y)) or 1.0
            ux, uy = x / r, y / r  # labels outside the circle, beyond the staff ring
            ha = "left" if ux > 0.3 else "right" if ux < -0.3 else "center"
            art["labels"].append(ax.annotate(_short(o), (x + 3.4 * ux, y + 3.4 * uy), ha=ha, va="center",
                                             fontsize=6, zorder=7))
    handles = [Line2D([], [], ls="", marker="o", ms=8, mfc=ORG_COLOURS[k], mec="black", label=ORG_LABELS[k])
               for k in ORG_COLOURS if k in kinds]
    handles += [Line2D([], [], ls="", marker="o", ms=4, mfc="#444444", mec="none", label="probation officer"),
                Line2D([], [], ls="", marker="s", ms=4, mfc=ORG_COLOURS["PoliceForce"], mec="none", label="police officer"),
                Line2D([], [], ls="", marker="o", ms=6, mfc="none", mec=IOM_COLOUR, label="IOM team member"),
                Line2D([], [], ls="--", color="grey", label="IOM link (colour: trust)")]
    handles += [Line2D([], [], ls="", marker="o", ms=4, mfc=c, mec="none", label=k) for k, c in CASE_COLOURS.items()]
    ax.legend(handles=handles, loc="lower left", fontsize=6, ncol=2, frameon=True, framealpha=0.8)
    cb = fig.colorbar(matplotlib.cm.ScalarMappable(norm=TRUST_NORM, cmap=TRUST_CMAP), cax=cax)
    cb.set_label("trust on tie", fontsize=7)
    cb.ax.tick_params(labelsize=6)
    art["title"] = fig.add_dynamic(ax.set_title("", fontsize=9))
    extent = np.abs(state.org_pos).max() + 4.0 if len(model.orgs) else 5.0
    ax.set_xlim(-extent - 6.0, extent + 6.0)  # room for the labels
    ax.set_ylim(-extent - 9.0, extent)  # and below for the legend
    ax.set_aspect("equal")
    ax.axis("off")
    fig._artists = art
    return fig


def _short(org) -> str:
    """A compact label: providers by number, long names wrapped."""
    import textwrap

    if type(org).__name__ == "VoluntaryProvider":
        return "VCS " + org.name.rsplit(" ", 1)[-1]
    name = org.name.replace(" Probation Trust", " PT")
    return "\n".join(textwrap.wrap(name, 18))


# ---- time series ----------------------------------------------------------------------------
def policy_marks(model) -> list[tuple[dt.date, str, bool]]:
    """(date, label, applied) per distinct date: events on the same day share one label."""
    by_date: dict[dt.date, list] = {}
    for e in model.events:
        by_date.setdefault(e.date, []).append(e)
    return [(d, "\n+ ".join(e.name for e in evs), all(e.applied for e in evs)) for d, evs in sorted(by_date.items())]


def _rolling(y: np.ndarray, k: int) -> np.ndarray:
    if k <= 1 or y.size == 0:
        return y
    filled = np.nan_to_num(y)
    have = (~np.isnan(y)).astype(float)
    c, n = np.cumsum(filled), np.cumsum(have)
    c[k:], n[k:] = c[k:] - c[:-k].copy(), n[k:] - n[:-k].copy()
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, c / np.maximum(n, 1), np.nan)


def nice_limits(values: np.ndarray) -> tuple[float, float]:
    """Y limits on round numbers covering the values (zero included when near), so they change rarely."""
    values = values[np.isfinite(values)]
    if values.size == 0:
        return (0.0, 1.0)
    lo, hi = float(values.min()), float(values.max())
    if lo >= 0 and lo < 0.5 * hi:
        lo = 0.0
    if hi <= lo:
        lo, hi = lo - max(abs(lo) * 0.1, 0.5), hi + max(abs(hi) * 0.1, 0.5)
    ticks = MaxNLocator(5).tick_values(lo, hi)
    return float(ticks[0]), float(ticks[-1])


def series_figure(model, panel: str) -> BlitFigure:
    """One time-series panel over the whole run period, policy dates marked.

    Built once per model and panel; each call updates the lines, and the y range and the
    event marks when they change (which redraws the background).
    """
    state = view_state(model)
    fig = state.figures.get(panel)
    if fig is None:
        fig = state.figures[panel] = _new_series_figure(model, panel)
    _title, lines, window, scale = PANELS[panel]
    ax = fig.axes[0]
    w = model.recorder.recorded
    x = state.x_dates[:w]
    ys = []
    for line, (name, _label, _colour) in zip(fig.dynamic, lines):
        y = _rolling(model.recorder.series[name][:w], window) * scale
        line.set_data(x, y)
        ys.append(y)
    marks = policy_marks(model)
    applied = tuple(m[2] for m in marks)
    ylim = nice_limits(np.concatenate(ys) if ys else np.zeros(0))
    key = (ylim, applied)
    if key != fig.static_key:
        ax.set_ylim(*ylim)
        for (vline, text), on in zip(fig._event_marks, applied):
            colour = "dimgrey" if on else "#b0b0b0"
            vline.set_color(colour)
            vline.set_linestyle("-" if on else "--")
            text.set_color(colour)
        fig.static_key = key
    return fig


def _new_series_figure(model, panel: str) -> BlitFigure:
    title, lines, window, _scale = PANELS[panel]
    state = view_state(model)
    fig = BlitFigure(figsize=(6.0, 2.9), dpi=90)
    ax = fig.add_axes((0.1, 0.1, 0.87, 0.76))
    for _name, label, colour in lines:
        fig.add_dynamic(ax.plot([], [], lw=1.3, color=colour, label=label)[0])
    marks = []
    for d, label, _applied in policy_marks(model):
        xv = mdates.date2num(d)
        vline = ax.axvline(xv, lw=0.8)
        text = ax.annotate(label, (xv, 0.98), xycoords=("data", "axes fraction"), rotation=90, fontsize=6,
                           va="top", ha="right")
        marks.append((vline, text))
    fig._event_marks = marks
    ax.set_xlim(state.x_dates[0], state.x_dates[-1])
    ax.xaxis.set_major_locator(mdates.YearLocator(2))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.yaxis.set_major_locator(MaxNLocator(5))
    ax.tick_params(labelsize=7)
    ax.grid(alpha=0.3)
    fig.legend(handles=fig.dynamic, loc="upper right", bbox_to_anchor=(0.98, 1.0), ncol=len(lines), fontsize=6,
               frameon=False)  # above the axes, so the lines never cross it
    suffix = f" ({window}-week mean)" if window > 1 else ""
    ax.set_title(f"{title}{suffix}", fontsize=8, loc="left")
    return fig


# ---- status text ----------------------------------------------------------------------------
def status_markdown(model, scenario: str = "") -> str:
    """Calendar date, week, regime and the last and next policy events, as Markdown."""
    marks = policy_marks(model)
    last = [m for m in marks if m[2]]
    upcoming = [m for m in marks if not m[2]]
    last_text = f"{_day(last[-1][0])}: {_one_line(last[-1][1])}" if last else "none yet"
    next_text = f"{_day(upcoming[0][0])}: {_one_line(upcoming[0][1])}" if upcoming else "none left"
    head = f"**Scenario:** {scenario}  \n" if scenario else ""
    return (f"{head}**Simulated date:** {_day(model.date)} (week {model.week} of {model.cal.n_weeks})  \n"
            f"**Regime:** {model.regime}  \n"
            f"**Last policy event:** {last_text}  \n"
            f"**Next policy event:** {next_text}")


def _day(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


def _one_line(label: str) -> str:
    return label.replace("\n+ ", " + ")


# ---- timing ---------------------------------------------------------------------------------
def _png(fig: Figure) -> bytes:
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def measure_redraw(scenario: str = "tr_reunified", weeks: int = 40, warmup: int = 160) -> list[str]:
    """Time one model step plus redrawing every figure to PNG (as the page does), at small scale.

    Runs ``warmup`` weeks, draws every figure once (the first draw, which builds the figure and
    its background, is reported apart), then times ``weeks`` step+redraw cycles spanning the
    2014 split (which forces background redraws: organisations and event marks change).
    """
    import time

    from experiments.simulate import build_parameters
    from model.probation_model import ProbationModel

    model = ProbationModel(build_parameters(scenario, {}, scale="small", seed=1))
    for _ in range(warmup):
        model.step()

    def redraw(parts: dict[str, list[float]]) -> None:
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

    first: dict[str, list[float]] = defaultdict(list)
    t0 = time.perf_counter()
    redraw(first)
    first_total = time.perf_counter() - t0
    parts: dict[str, list[float]] = defaultdict(list)
    for _ in range(weeks):
        t0 = time.perf_counter()
        model.step()
        parts["step"].append(time.perf_counter() - t0)
        redraw(parts)
        parts["step+redraw"].append(time.perf_counter() - t0)
    lines = [f"{scenario}, small scale, seed 1: first draw of all figures {first_total:.3f} s; then weeks "
             f"{warmup}-{warmup + weeks} (to {model.date:%Y-%m-%d}), seconds per week:",
             f"  {'':12s} {'median':>8s} {'mean':>8s} {'max':>8s}"]
    for name, values in parts.items():
        lines.append(f"  {name:12s} {np.median(values):8.4f} {np.mean(values):8.4f} {max(values):8.4f}")
    return lines
