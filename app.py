"""Browser view of the model (Solara, matplotlib figures only), served by ``python run.py viz``.

Every browser session builds its own small-scale run when its page opens (nothing is built at
import). The sidebar holds the run controls (Reset, Play, Step), the model controls (applied
on Reset), a baseline scenario to compare with and the downloads; the main area a one-line
status, the run's provenance and tabs of figures. The page is Solara used directly, in the
layout of Mesa's SolaraViz: its controller steps a whole render interval per Step and runs
past the end of a model, and its grid cannot size a figure to its cell (docs/visualisation.md).
"""

from __future__ import annotations

import math
import threading
import time
import traceback
from dataclasses import dataclass
from html import escape

import solara
import solara.lab

from experiments import scenarios
from experiments.viz.controls import CONTROLS, SEED_MAX, Choice
from experiments.viz.export import figures_zip, manifest_json, timeseries_csv
from experiments.viz.figures import CASE_COLOURS, case_category, network_figure, update_sample, view_state
from experiments.viz.person import figure_png, path_figure
from experiments.viz.run import ViewedRun
from experiments.viz.series import PANELS, any_series_panel, series_figure
from experiments.viz.text import events_html, provenance_html, reset_hint, status_html

TITLE = "Probation, Transforming Rehabilitation and IOM"
NO_BASELINE = "none"
STEP_SIZES = {"1 week": 1, "4 weeks": 4, "13 weeks": 13, "52 weeks": 52}
SPEEDS = {"2 weeks a second": 2, "4 weeks a second": 4, "13 weeks a second": 13, "26 weeks a second": 26,
          "52 weeks a second": 52}
DEFAULT_SPEED = "13 weeks a second"
MAX_WEEKS_PER_FRAME = 52
BASELINE_CHUNK = 26  # weeks of the baseline run simulated between checks for a newer request
TABS = {
    "System": ("offences", "recalls", "caseload", "waiting", "population"),
    "IOM mechanisms": ("iom_cohort", "iom_contact", "continuity", "trust", "information"),
    "Money and staff": ("money", "net", "public_cost", "officers", "stress"),
}

CSS = """
.pv-root { display: flex; flex-direction: row; align-items: flex-start; gap: 16px; padding: 12px 16px;
           box-sizing: border-box; width: 100%; }
.pv-side { flex: 0 0 300px; width: 300px; display: flex; flex-direction: column; gap: 12px; }
.pv-main { flex: 1 1 auto; min-width: 0; }
.pv-side .v-card { margin: 0 !important; }
.pv-title { font-size: 20px; font-weight: 600; margin: 0 0 6px 0; }
.pv-status { font-size: 15px; padding: 6px 10px; background: #eef3f8; border-radius: 4px; }
.pv-status .pv-part { display: inline-block; margin-right: 6px; }
.pv-provenance, .pv-events { font-size: 13px; padding: 4px 10px 0 10px; color: #333; }
.pv-events .coming { color: #666; }
.pv-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 440px), 1fr)); gap: 12px;
           margin-top: 10px; }
.pv-card { background: white; border: 1px solid #e0e0e0; border-radius: 4px; padding: 4px; min-width: 0; }
.pv-wide { grid-column: 1 / -1; }
@media (min-width: 1700px) { .pv-wide { grid-column: span 2; grid-row: span 2; } }
.pv-card img.solara-image, .pv-card .solara-image img { width: 100%; height: auto; display: block; }
.pv-hint { font-size: 13px; }
.pv-side .v-input__slider .v-input__slot { flex-wrap: wrap; }
.pv-side .v-input__slider .v-label { width: 100%; margin-bottom: 30px; white-space: normal; }
.pv-side .v-input__slider .v-slider { flex: 1 1 100%; margin: 0 8px; }
.pv-side .v-input--checkbox { margin-top: 0; padding-top: 0; }
.pv-side .v-input--checkbox .v-messages { display: none; }
.pv-side .v-input--checkbox .v-input__slot { margin-bottom: 2px; }
.pv-side .v-select { margin-top: 6px; }
.pv-side .v-input__slider { margin-top: 12px; }
.pv-buttons { margin-bottom: 10px; flex-wrap: wrap; row-gap: 6px; }
.pv-buttons .v-btn { min-width: 0 !important; padding: 0 12px !important; }
.pv-side .v-card__title { word-break: normal; }
.pv-events-list { font-size: 13px; max-height: 320px; overflow-y: auto; margin-top: 6px; }
.pv-events-list td { padding: 1px 8px 1px 0; vertical-align: top; }
@media (max-width: 1100px) { .pv-side { flex-basis: 250px; width: 250px; } .pv-root { gap: 10px; padding: 8px; } }
@media (max-width: 760px) {
  .pv-root { flex-direction: column; }
  .pv-side { flex: none; width: 100%; display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); }
}
"""


@dataclass
class Session:
    """The reactive values of one browser session (made by ``Page``; passed down to components)."""

    run: solara.Reactive
    choice: solara.Reactive
    frame: solara.Reactive
    playing: solara.Reactive
    step_size: solara.Reactive
    speed: solara.Reactive
    baseline_name: solara.Reactive
    baseline: solara.Reactive
    baseline_status: solara.Reactive
    followed: solara.Reactive
    error: solara.Reactive
    closed: threading.Event  # set when the session's page goes away: background work stops

    def redraw(self) -> None:
        """A new frame: every component watching frames renders again."""
        self.frame.value = self.frame.value + 1

    def watch_frames(self) -> int:
        """Render the calling component again with every frame (reading a reactive subscribes to it)."""
        return self.frame.value


def weeks_per_frame(speed: float, frame_seconds: float) -> int:
    """Weeks to simulate before the next redraw, so Play keeps ``speed`` weeks a second."""
    return max(1, min(MAX_WEEKS_PER_FRAME, math.ceil(speed * frame_seconds)))


def _draw_png(run: ViewedRun, draw) -> bytes:
    """PNG bytes from ``draw()``, with the model still (not mid-step in another thread) and matplotlib
    to ourselves."""
    with run.lock, run.draw_lock:
        return draw()


# ---- sidebar ------------------------------------------------------------------------------
@solara.component
def RunControls(s: Session):
    """Reset, Play/Pause and Step; the step size and the play speed; the end of the run."""
    s.watch_frames()  # the week and the end of the run change with every frame
    run: ViewedRun = s.run.value
    playing = s.playing.value
    finished = run.finished

    def do_step():
        if s.playing.value:
            return
        try:
            run.advance(s.step_size.value)
        except Exception as exc:  # shown on the page, never as a traceback
            traceback.print_exc()
            s.error.value = f"The model stopped with an error: {exc}"
        s.redraw()

    def do_play_pause():
        s.playing.value = not s.playing.value and not s.run.value.finished

    def do_reset():
        s.playing.value = False
        old = s.run.value
        with old.lock:
            old.close()
        s.error.value = None
        s.followed.value = None
        s.run.value = ViewedRun(s.choice.value)
        s.redraw()

    def play(cancel: threading.Event):
        if not playing or finished:
            return
        weeks = 1
        try:
            while (s.playing.value and not cancel.is_set() and not s.closed.is_set() and s.run.value is run
                   and not run.finished):
                t0 = time.perf_counter()
                done = run.advance(weeks, should_stop=lambda: cancel.is_set() or not s.playing.value)
                s.redraw()  # renders the page now, in this thread
                spent = time.perf_counter() - t0
                speed = s.speed.value
                cancel.wait(max(0.0, done / speed - spent))  # no faster than the chosen speed
                weeks = weeks_per_frame(speed, spent)
        except Exception as exc:
            traceback.print_exc()
            s.error.value = f"The model stopped with an error: {exc}"
            s.playing.value = False
        if run.finished and s.run.value is run:
            s.playing.value = False

    solara.use_thread(play, dependencies=[playing, run], intrusive_cancel=False)

    with solara.Card("Run"):
        with solara.Row(justify="space-between", classes=["pv-buttons"]):
            solara.Button("Reset", color="primary", on_click=do_reset)
            solara.Button("\u275a\u275a Pause" if playing else "\u25b6 Play", color="primary",
                          on_click=do_play_pause, disabled=finished)
            solara.Button("Step", color="primary", on_click=do_step, disabled=playing or finished)
        labels = {v: k for k, v in STEP_SIZES.items()}
        solara.Select("Step moves", values=list(STEP_SIZES), value=labels[s.step_size.value],
                      on_value=lambda v: s.step_size.set(STEP_SIZES[v]))
        labels = {v: k for k, v in SPEEDS.items()}
        solara.Select("Play speed", values=list(SPEEDS), value=labels[s.speed.value],
                      on_value=lambda v: s.speed.set(SPEEDS[v]))
        solara.HTML(tag="div", classes=["pv-hint"], unsafe_innerHTML=(
            "Step and Play stop at the last week. Play redraws as often as the page keeps up and "
            "simulates the weeks in between."))
        if finished:
            solara.Info(f"Run complete: all {run.n_weeks} weeks simulated. Reset to start again.", dense=True)
        if s.error.value:
            solara.Error(s.error.value, dense=True)


@solara.component
def ModelControls(s: Session):
    """Scenario, seed and the parameter controls (from the control table); applied on Reset."""
    choice: Choice = s.choice.value
    values = choice.values()

    def set_seed(value):
        try:
            s.choice.value = s.choice.value.with_seed(value)
        except (TypeError, ValueError):
            pass

    with solara.Card("Model (applied on Reset)"):
        solara.Select("Scenario", values=scenarios.names(), value=choice.scenario,
                      on_value=lambda v: s.choice.set(s.choice.value.with_scenario(v)))
        solara.InputInt(f"Random seed (0-{SEED_MAX})", value=choice.seed, on_value=set_seed, continuous_update=True)
        for control in CONTROLS:
            def on_value(value, key=control.key):
                s.choice.value = s.choice.value.with_value(key, value)

            if control.kind == "bool":
                solara.Checkbox(label=control.label, value=bool(values[control.key]), on_value=on_value)
            elif control.kind == "int":
                solara.SliderInt(control.label, value=int(values[control.key]), min=int(control.low),
                                 max=int(control.high), step=int(control.step), on_value=on_value, thumb_label="always")
            else:
                solara.SliderFloat(control.label, value=float(values[control.key]), min=control.low,
                                   max=control.high, step=control.step, on_value=on_value, thumb_label="always")
        hint = reset_hint(choice, s.run.value.choice)
        if hint:
            solara.Warning(hint, dense=True, classes=["pv-reset-hint"])


@solara.component
def CompareControls(s: Session):
    """A baseline scenario (same seed, same overrides), simulated in the background and drawn faded."""
    run: ViewedRun = s.run.value
    name = s.baseline_name.value

    def compute(cancel: threading.Event):
        s.baseline.value = None
        if name == NO_BASELINE:
            s.baseline_status.value = ""
            return
        try:
            base = ViewedRun(run.choice.with_scenario(name))
            while not base.finished:
                if cancel.is_set() or s.closed.is_set() or s.run.value is not run or s.baseline_name.value != name:
                    return
                base.advance(BASELINE_CHUNK)
                s.baseline_status.value = f"simulating {name}: week {base.weeks_done} of {base.n_weeks}"
                time.sleep(0.01)  # let the page's own work through
        except Exception as exc:
            traceback.print_exc()
            s.baseline_status.value = f"baseline failed: {exc}"
            return
        if s.run.value is run and s.baseline_name.value == name:
            s.baseline.value = base
            s.baseline_status.value = f"baseline ready: {name}, seed {base.seed}, drawn faded"

    solara.use_thread(compute, dependencies=[name, run], intrusive_cancel=False)

    with solara.Card("Compare"):
        solara.Select("Baseline scenario (same seed and overrides)", values=[NO_BASELINE, *scenarios.names()],
                      value=name, on_value=s.baseline_name.set)
        status = s.baseline_status.value
        if status:
            solara.HTML(tag="div", classes=["pv-hint", "pv-baseline-status"], unsafe_innerHTML=status)


@solara.component
def ExportControls(s: Session):
    """Downloads of the run so far: timeseries.csv, manifest.json and every figure as PNG."""
    run: ViewedRun = s.run.value
    csv = solara.use_memo(lambda: (lambda: timeseries_csv(run)), [run])
    manifest = solara.use_memo(lambda: (lambda: manifest_json(run, s.baseline.value)), [run])
    figures = solara.use_memo(lambda: (lambda: figures_zip(run, s.baseline.value, s.followed.value)), [run])
    with solara.Card("Export"):
        with solara.Column(gap="6px"):
            solara.HTML(tag="div", classes=["pv-hint"], unsafe_innerHTML="The weeks simulated so far.")
            solara.FileDownload(csv, filename="timeseries.csv", label="timeseries.csv", mime_type="text/csv")
            solara.FileDownload(manifest, filename="manifest.json", label="manifest.json",
                                mime_type="application/json")
            solara.FileDownload(figures, filename="figures.zip", label="figures (PNG, zip)",
                                mime_type="application/zip")


# ---- main area ----------------------------------------------------------------------------
@solara.component
def Header(s: Session):
    """Status (one line), provenance and the numbered policy events."""
    s.watch_frames()
    run: ViewedRun = s.run.value
    solara.HTML(tag="div", classes=["pv-status"], unsafe_innerHTML=status_html(run))
    solara.HTML(tag="div", classes=["pv-provenance"], unsafe_innerHTML=provenance_html(run))
    solara.HTML(tag="div", classes=["pv-events"], unsafe_innerHTML=events_html(run.model))


@solara.component
def NetworkPanel(s: Session):
    s.watch_frames()
    run: ViewedRun = s.run.value
    followed = s.followed.value
    week = run.model.week
    png = solara.use_memo(lambda: _draw_png(run, lambda: network_figure(run.model, followed).png()), [run, week, followed])
    with solara.Div(classes=["pv-card", "pv-wide", "pv-network"]):
        solara.Image(png, width="100%")


@solara.component
def SeriesPanel(s: Session, key: str):
    s.watch_frames()
    run: ViewedRun = s.run.value
    baseline = s.baseline.value
    panel = PANELS[key] if key in PANELS else any_series_panel(key)
    week = run.model.week
    png = solara.use_memo(lambda: _draw_png(run, lambda: series_figure(run, panel, baseline).png()),
                          [run, week, baseline, key])
    with solara.Div(classes=["pv-card", f"pv-series-{key}"]):
        solara.Image(png, width="100%")


@solara.component
def PersonPanel(s: Session):
    """Choose a sampled person; their path week by week from then on."""
    s.watch_frames()
    run: ViewedRun = s.run.value
    model = run.model
    with run.lock:
        rows = update_sample(model, view_state(model))
        kinds = case_category(model, rows)
        ids = model.pop.person_id[rows]
        ogrs = model.pop.ogrs[rows]
    order = {kind: k for k, kind in enumerate(CASE_COLOURS)}  # IOM first ... unsupervised last
    people = sorted(zip(kinds, ids.tolist(), ogrs.tolist(), rows.tolist()), key=lambda p: (order[p[0]], p[1]))
    options = {f"person {pid}: {kind}, OGRS {score:.0f}": int(row) for kind, pid, score, row in people}
    path = run.person
    current = next((label for label, row in options.items() if path is not None and row == path.row
                    and path.active), None)

    def choose(label):
        if label in options:
            run.follow(options[label])
            s.followed.value = options[label]
            s.redraw()

    def stop():
        run.follow(None)
        s.followed.value = None
        s.redraw()

    with solara.Div(classes=["pv-card"]):
        with solara.Row(style="align-items: center; padding: 4px 8px"):
            solara.Select("Follow a sampled person (ringed on the network)", values=list(options), value=current,
                          on_value=choose, style="max-width: 520px")
            if path is not None:
                solara.Button("Stop following", on_click=stop, outlined=True)
        if path is None:
            solara.HTML(tag="div", classes=["pv-hint"], style="padding: 8px", unsafe_innerHTML=(
                "Choose one of the people sampled on the network: from then on each simulated week records "
                "their state, sentence, supervising organisation and officer, relationship with staff, unmet "
                "needs and detected offences."))
            return
        PathView(run, path, model.week)


@solara.component
def PathView(run: ViewedRun, path, week: int):
    """The followed person's path: figure, events (newest first) and a CSV of their weeks."""
    model = run.model
    png = solara.use_memo(lambda: _draw_png(run, lambda: figure_png(path_figure(path, model))),
                          [run, path, week, len(path.weeks)])
    solara.Image(png, width="100%")
    rows_html = "".join(f"<tr><td>{model.cal.date_of(w):%d %b %Y}</td><td>week {w}</td><td>{escape(text)}</td></tr>"
                        for w, text in reversed(path.events[-200:]))
    solara.HTML(tag="div", classes=["pv-events-list"], unsafe_innerHTML=f"<table>{rows_html}</table>")
    data = solara.use_memo(lambda: (lambda: path.csv_text()), [path])
    solara.FileDownload(data, filename=f"person-{path.person_id}.csv", label="this person's weeks (CSV)",
                        mime_type="text/csv")


@solara.component
def AnySeriesPanel(s: Session):
    run: ViewedRun = s.run.value
    name, set_name = solara.use_state("under_supervision")
    names = run.series_names()
    with solara.Div(classes=["pv-card"], style="padding: 4px 8px"):
        solara.Select("Series", values=names, value=name if name in names else names[0], on_value=set_name,
                      style="max-width: 420px")
    with solara.Div(classes=["pv-grid"]):
        SeriesPanel(s, name if name in names else names[0])


@solara.component
def Page():
    first = solara.use_memo(lambda: ViewedRun(Choice()), [])
    closed = solara.use_memo(threading.Event, [])
    solara.use_effect(lambda: closed.set, [])  # the effect's clean-up runs when the page goes away
    s = Session(
        run=solara.use_reactive(first),
        choice=solara.use_reactive(first.choice),
        frame=solara.use_reactive(0),
        playing=solara.use_reactive(False),
        step_size=solara.use_reactive(1),
        speed=solara.use_reactive(SPEEDS[DEFAULT_SPEED]),
        baseline_name=solara.use_reactive(NO_BASELINE),
        baseline=solara.use_reactive(None),
        baseline_status=solara.use_reactive(""),
        followed=solara.use_reactive(None),
        error=solara.use_reactive(None),
        closed=closed,
    )
    tab = solara.use_reactive(0)
    solara.Title(TITLE)
    solara.Style(CSS)
    with solara.Div(classes=["pv-root"]):
        with solara.Div(classes=["pv-side"]):
            RunControls(s)
            ModelControls(s)
            CompareControls(s)
            ExportControls(s)
        with solara.Div(classes=["pv-main"]):
            solara.HTML(tag="div", classes=["pv-title"], unsafe_innerHTML=TITLE)
            Header(s)
            with solara.lab.Tabs(value=tab, lazy=True):
                for name, keys in TABS.items():
                    with solara.lab.Tab(name):
                        with solara.Div(classes=["pv-grid"]):
                            if name == "System":
                                NetworkPanel(s)
                            for key in keys:
                                SeriesPanel(s, key)
                with solara.lab.Tab("Follow a person"):
                    PersonPanel(s)
                with solara.lab.Tab("Any series"):
                    AnySeriesPanel(s)
