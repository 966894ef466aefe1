"""The browser view's network figure and what all its figures share, matplotlib only.

Kept apart from the Solara page so they can be timed and tested without a browser. Each model
keeps its view state (positions, the offender sample, its figures) in ``model._view_state``, so
figures are updated week to week rather than rebuilt. Nothing here draws on the model's random
streams: the offender sample has its own generator, so watching a run never changes it.
"""

from __future__ import annotations

import io
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
from PIL import Image as PILImage

from agents.states import PoliceRole, State
from model.week.cases import supervised_mask

SAMPLE_SIZE = 150  # offenders drawn on the network
PEOPLE_RING, PEOPLE_RING_WIDTH = 3.5, 0.8  # people sit beyond their officers (staff ring: radius 1.2-3.2)
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
    "IOM": IOM_COLOUR,
    "licence": "#E69F00",
    "community order": "#0072B2",
    "custody": "#D55E00",
    "unsupervised": "#a0a0a0",
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

    def png(self) -> bytes:
        """The current picture as PNG bytes (the fast path)."""
        buf = io.BytesIO()
        PILImage.fromarray(self.render_rgba(), mode="RGBA").save(buf, format="png", compress_level=1)
        return buf.getvalue()

    def export_png(self, dpi: int = 150) -> bytes:
        """A full, ordinary draw at ``dpi`` with every artist (for downloads)."""
        buf = io.BytesIO()
        for artist in self.dynamic:
            artist.set_animated(False)
        try:
            Figure.savefig(self, buf, format="png", dpi=dpi)
        finally:
            for artist in self.dynamic:
                artist.set_animated(True)
            self._background = None  # the canvas was resized and redrawn
        return buf.getvalue()

    def savefig(self, fname, *args, **kwargs):
        fmt = kwargs.get("format", "png")
        if args or set(kwargs) - {"format"} or fmt != "png" or not hasattr(fname, "write"):
            return super().savefig(fname, *args, **kwargs)
        PILImage.fromarray(self.render_rgba(), mode="RGBA").save(fname, format="png", compress_level=1)
        return None


# ---- the network ----------------------------------------------------------------------------
def network_figure(model, followed: int | None = None, size: int = SAMPLE_SIZE) -> BlitFigure:
    """Organisations (large), staff (small), a sample of people around their officers' employers.

    Built once per model; each call moves staff to their current employer, recolours ties by
    their current trust and redraws the sample. ``followed``: a row to mark (the followed person).
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
    iom_segs, iom_trust = iom_links(model, spos, state)
    art["iom"].set_segments(iom_segs)
    art["iom"].set_color(TRUST_CMAP(TRUST_NORM(np.array(iom_trust))) if iom_segs else "none")

    rows = update_sample(model, state, size)
    xy = people_positions(model, state, rows, spos)
    if rows.size:
        art["sample"].set_facecolor([CASE_COLOURS[c] for c in case_category(model, rows)])
    art["sample"].set_offsets(xy if rows.size else np.zeros((0, 2)))
    art["staff"].set_offsets(spos[live])
    art["staff_iom"].set_offsets(spos[live & staff.iom])
    mark = np.zeros((0, 2))
    if followed is not None:
        where = np.flatnonzero(rows == followed)
        if where.size:
            mark = xy[where[:1]]
        else:
            mark = people_positions(model, state, np.array([followed]), spos)
    art["followed"].set_offsets(mark)
    active = tuple(bool(o.active) for o in model.orgs)
    if active != fig.static_key:
        face = [matplotlib.colors.to_rgba(ORG_COLOURS.get(type(o).__name__, "#888888"), 1.0 if on else 0.2)
                for o, on in zip(model.orgs, active)]
        art["orgs"].set_facecolor(face)
        art["orgs"].set_edgecolor(["black" if on else "#bbbbbb" for on in active])
        for text, on in zip(art["labels"], active):
            text.set_color("black" if on else "#aaaaaa")
        fig.static_key = active
    n = model.cal.n_weeks
    when = f"{model.date:%d %b %Y}" if model.week < n else f"end of run ({model.cal.date_of(n - 1):%d %b %Y})"
    who = f"{rows.size} sampled people" if rows.size else "no one allocated to an officer yet"
    art["title"].set_text(f"Organisations, staff and {who}, {when}")
    return fig


def iom_links(model, spos: np.ndarray, state: ViewState) -> tuple[list, list]:
    """One link per IOM probation officer, to an IOM police officer of a force in its area (in turn)."""
    staff, ties = model.staff, model.ties
    police_by_cpa: defaultdict[int, list[int]] = defaultdict(list)
    for k, police in enumerate(model.police_officers):
        if police.role == PoliceRole.IOM:
            for c in police.force.cpas:
                police_by_cpa[c].append(k)
    segs, trust = [], []
    turn: defaultdict[int, int] = defaultdict(int)
    for r in np.flatnonzero(staff.iom & staff.funded):
        partners = police_by_cpa.get(int(staff.cpa[r]))
        if not partners:
            continue
        c = int(staff.cpa[r])
        k = partners[turn[c] % len(partners)]
        turn[c] += 1
        tie = ties.find(int(staff.employer[r]), model.police_officers[k].force.index)
        segs.append((spos[r], state.police_pos[k]))
        trust.append(ties.trust[tie] if tie >= 0 and ties.active[tie] else 0.0)
    return segs, trust


def people_positions(model, state: ViewState, rows: np.ndarray, spos: np.ndarray) -> np.ndarray:
    """People on an outer ring around their officer's employer, at their officer's bearing.

    People with no officer stay where they were last drawn (or near the centre if never drawn).
    """
    xy = np.zeros((rows.size, 2))
    if rows.size == 0:
        return xy
    ids = model.pop.person_id[rows]
    off = model.pop.officer[rows]
    spread = (ids % 9973) * 0.6180339887 % 1.0
    centre = _ring(ids % 9973, 0.5, 2.5)  # never drawn with an officer: near the middle
    for i, (o, pid) in enumerate(zip(off, ids)):
        if o >= 0:
            org = state.org_pos[model.staff.employer[o]]
            d = spos[o] - org
            u = d / (np.hypot(*d) or 1.0)
            state.case_pos[int(pid)] = tuple(org + u * (PEOPLE_RING + PEOPLE_RING_WIDTH * spread[i]))
        xy[i] = state.case_pos.get(int(pid), centre[i])
    return xy


def _new_network_figure(model, state: ViewState) -> BlitFigure:
    fig = BlitFigure(figsize=(11.2, 5.5), dpi=100)
    ax = fig.add_axes((0.0, 0.0, 0.54, 0.93))
    cax = fig.add_axes((0.93, 0.12, 0.012, 0.6))
    art: dict = {}
    art["employment"] = fig.add_dynamic(ax.add_collection(
        LineCollection([], colors="#dddddd", linewidths=0.4, zorder=1), autolim=False))
    art["ties"] = fig.add_dynamic(ax.add_collection(LineCollection([], linewidths=2.5, zorder=2), autolim=False))
    art["iom"] = fig.add_dynamic(ax.add_collection(
        LineCollection([], linewidths=0.7, alpha=0.55, zorder=2), autolim=False))
    empty = np.zeros((0, 2))
    art["staff"] = fig.add_dynamic(ax.scatter(empty[:, 0], empty[:, 1], s=9, c="#444444", linewidths=0, zorder=3))
    art["staff_iom"] = fig.add_dynamic(ax.scatter(empty[:, 0], empty[:, 1], s=26, facecolors="none",
                                                  edgecolors=IOM_COLOUR, linewidths=1.0, zorder=4))
    art["sample"] = fig.add_dynamic(ax.scatter(empty[:, 0], empty[:, 1], s=22, edgecolors="white", linewidths=0.4,
                                               zorder=5))
    art["followed"] = fig.add_dynamic(ax.scatter(empty[:, 0], empty[:, 1], s=150, facecolors="none",
                                                 edgecolors="black", linewidths=1.8, zorder=8))
    piom = np.array([p.role == PoliceRole.IOM for p in model.police_officers], dtype=bool)
    if piom.size:  # nodes are dynamic too, so that they stay above the (dynamic) edges
        fig.add_dynamic(ax.scatter(state.police_pos[:, 0], state.police_pos[:, 1], s=12, c=ORG_COLOURS["PoliceForce"],
                                   marker="s", linewidths=0, zorder=4))
        fig.add_dynamic(ax.scatter(state.police_pos[piom, 0], state.police_pos[piom, 1], s=30, marker="s",
                                   facecolors="none", edgecolors=IOM_COLOUR, linewidths=1.0, zorder=5))
    kinds = [type(o).__name__ for o in model.orgs]
    art["orgs"] = fig.add_dynamic(ax.scatter(state.org_pos[:, 0], state.org_pos[:, 1], s=420,
                                             c=[ORG_COLOURS.get(k, "#888888") for k in kinds],
                                             edgecolors="black", linewidths=0.8, zorder=6))
    art["labels"] = []
    if len(model.orgs) <= 40:
        for o, (x, y) in zip(model.orgs, state.org_pos):
            r = float(np.hypot(x, y)) or 1.0
            ux, uy = x / r, y / r  # labels outside the circle, beyond the people's ring
            ha = "left" if ux > 0.3 else "right" if ux < -0.3 else "center"
            reach = PEOPLE_RING + PEOPLE_RING_WIDTH + 0.6
            art["labels"].append(ax.annotate(_short(o), (x + reach * ux, y + reach * uy), ha=ha, va="center",
                                             fontsize=8, zorder=7))
    handles = [Line2D([], [], ls="", marker="o", ms=9, mfc=ORG_COLOURS[k], mec="black", label=ORG_LABELS[k])
               for k in ORG_COLOURS if k in kinds]
    handles += [Line2D([], [], ls="", marker="o", ms=4, mfc="#444444", mec="none", label="probation officer"),
                Line2D([], [], ls="", marker="s", ms=4, mfc=ORG_COLOURS["PoliceForce"], mec="none", label="police officer"),
                Line2D([], [], ls="", marker="o", ms=7, mfc="none", mec=IOM_COLOUR, label="IOM team member"),
                Line2D([], [], color="grey", lw=0.8, label="IOM link (colour: trust)"),
                Line2D([], [], ls="", marker="o", ms=10, mfc="none", mec="black", mew=1.8, label="followed person")]
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.55, 0.86), fontsize=8.5, frameon=False,
               title="organisations and staff", title_fontsize=8.5, alignment="left")
    people = [Line2D([], [], ls="", marker="o", ms=6, mfc=c, mec="white", label=k) for k, c in CASE_COLOURS.items()]
    fig.legend(handles=people, loc="upper left", bbox_to_anchor=(0.76, 0.86), fontsize=8.5, frameon=False,
               title="sampled people", title_fontsize=8.5, alignment="left")
    cb = fig.colorbar(matplotlib.cm.ScalarMappable(norm=TRUST_NORM, cmap=TRUST_CMAP), cax=cax)
    cb.set_label("trust on tie (0-1)", fontsize=8)
    cb.ax.tick_params(labelsize=7.5)
    art["title"] = fig.add_dynamic(fig.text(0.015, 0.975, "", fontsize=10, fontweight="bold", va="top"))
    extent = np.abs(state.org_pos).max() + PEOPLE_RING + PEOPLE_RING_WIDTH + 0.5 if len(model.orgs) else 5.0
    ax.set_xlim(-extent - 5.0, extent + 5.0)  # room for the labels
    ax.set_ylim(-extent - 0.8, extent + 0.8)
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
