"""The browser view's figures, runs, exports and followed person, without a page."""

from __future__ import annotations

import io
import json
import zipfile

import matplotlib.colors as mcolors
import numpy as np
import pytest
from PIL import Image

from agents.states import State
from experiments import simulate
from experiments.viz import export as viz_export
from experiments.viz import figures as viz_figures
from experiments.viz import series as viz_series
from experiments.viz.controls import Choice
from experiments.viz.person import PersonPath
from experiments.viz.run import ViewedRun


@pytest.fixture(scope="module")
def run30():
    run = ViewedRun(Choice(seed=2))
    run.advance(30)
    return run


def _relative_luminance(colour: str) -> float:
    rgb = np.array(mcolors.to_rgb(colour))
    lin = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(lin @ [0.2126, 0.7152, 0.0722])


# ---- the run the page steps ---------------------------------------------------------------------
def test_advance_never_steps_past_the_last_week():
    run = ViewedRun(Choice(), end="2011-03-31")
    n = run.n_weeks
    assert run.advance(n - 2) == n - 2 and not run.finished
    assert run.advance(100) == 2 and run.finished and run.weeks_done == n
    assert run.advance(100) == 0 and run.model.week == n  # nothing raised, nothing stepped
    assert np.isfinite(run.page_series["iom_information_flow"][:n]).all()


def test_timeseries_download_is_what_simulate_writes():
    choice = Choice("tr").with_value("pbr_share", 0.2).with_seed(5)
    run = ViewedRun(choice, end="2011-06-30")
    run.advance(1000)
    expected = simulate.timeseries_csv(simulate.run("tr", choice.parameters(end="2011-06-30")))
    assert viz_export.timeseries_csv(run) == expected
    manifest = json.loads(viz_export.manifest_json(run))
    assert manifest["scenario"] == "tr" and manifest["seed"] == 5
    assert manifest["overrides"] == {"finance.pbr_share": 0.2}
    assert manifest["parameters"]["finance.pbr_share"] == 0.2 and manifest["weeks"] == run.n_weeks


def test_partial_run_exports_the_weeks_so_far(run30):
    lines = viz_export.timeseries_csv(run30).splitlines()
    assert len(lines) == 31 and lines[0].startswith("date,under_supervision,")
    assert lines[1].startswith("2011-01-01,") and lines[-1].startswith("2011-07-23,")
    z = zipfile.ZipFile(io.BytesIO(viz_export.figures_zip(run30)))
    names = sorted(z.namelist())
    assert len(names) == 1 + len(viz_series.PANELS)
    assert all(n.startswith("tr_reunified-seed2-week30/") and n.endswith(".png") for n in names)
    picture = Image.open(io.BytesIO(z.read("tr_reunified-seed2-week30/offences.png"))).convert("RGB")
    assert picture.size == (840, 412)  # 5.6 x 2.75 in at 150 dpi
    pixels = np.asarray(picture).reshape(-1, 3)
    vermillion = np.array([0xD5, 0x5E, 0x00])
    assert (np.abs(pixels.astype(int) - vermillion).sum(axis=1) < 30).sum() > 50  # the data lines are drawn


# ---- time series ------------------------------------------------------------------------------
def test_blit_figure_matches_an_ordinary_draw():
    run = ViewedRun(Choice(seed=2))
    run.advance(30)
    fig = viz_series.series_figure(run, viz_series.PANELS["caseload"])
    first = fig.render_rgba().copy()
    run.advance(5)
    fig = viz_series.series_figure(run, viz_series.PANELS["caseload"])
    fast = fig.render_rgba().copy()
    fig._background = None  # force a full draw
    full = fig.render_rgba().copy()
    assert not np.array_equal(first, fast)
    assert np.array_equal(fast, full)
    assert fig.png().startswith(b"\x89PNG")


def test_bounded_quantities_keep_fixed_axes(run30):
    for key, bounds in (("trust", (0.0, 1.0)), ("continuity", (0.0, 1.0)), ("information", (0.0, 1.2))):
        ax = viz_series.series_figure(run30, viz_series.PANELS[key]).axes[0]
        assert ax.get_ylim() == bounds
    assert viz_series.nice_limits(np.zeros(10)) == (0.0, 1.0)  # money before CRCs exist: not -0.5..0.5
    assert viz_series.nice_limits(np.full(5, np.nan)) == (0.0, 1.0)
    assert viz_series.nice_limits(np.array([180.0, 240.0])) == (0.0, 250.0)
    ax = viz_series.series_figure(run30, viz_series.PANELS["money"]).axes[0]
    assert ax.get_ylim()[0] == 0.0


def test_line_colours_are_readable_on_white():
    for panel in viz_series.PANELS.values():
        for line in panel.lines:
            contrast = 1.05 / (_relative_luminance(line.colour) + 0.05)
            assert contrast >= 3.0, (panel.key, line.label, line.colour, round(contrast, 2))


def test_event_marks_sit_behind_the_data_and_above_the_axes(run30):
    fig = viz_series.series_figure(run30, viz_series.PANELS["offences"])
    data_z = min(line.get_zorder() for line in fig._lines)
    n_dates = len({e.date for e in run30.model.events})
    assert n_dates == len(run30.model.events) - 1  # the sale and ORA share 1 Feb 2015
    assert len(fig._event_marks) == n_dates  # one mark a date
    for vline, number in fig._event_marks:
        assert vline.get_zorder() < data_z
        assert number.xycoords == ("data", "axes fraction") and number.xy[1] == 1.0 and number.get_va() == "bottom"
    assert [n.get_text() for _, n in fig._event_marks] == [str(k) for k in range(1, n_dates + 1)]


def test_week_zero_says_what_to_do():
    run = ViewedRun(Choice())
    fig = viz_series.series_figure(run, viz_series.PANELS["recalls"])
    assert fig._empty_note.get_visible() and "press Step" in fig._empty_note.get_text()
    run.advance(1)
    assert not viz_series.series_figure(run, viz_series.PANELS["recalls"])._empty_note.get_visible()


def test_ratio_lines_divide_rolling_sums():
    class Source:
        def __init__(self, **series):
            self.data = {k: np.asarray(v, dtype=float) for k, v in series.items()}

        def series(self, name):
            return self.data.get(name)

    src = Source(hours=[2, 4, 6, 8], cases=[1, 1, 2, 0])
    line = viz_series.Line("hours", "h", viz_series.BLUE, per="cases")
    got = viz_series.line_values(src, line, 2, 4)
    np.testing.assert_allclose(got, [2.0, 3.0, 10 / 3, 14 / 2])
    mean = viz_series.line_values(src, viz_series.Line("hours", "h", viz_series.BLUE), 3, 4)
    np.testing.assert_allclose(mean, [2.0, 3.0, 4.0, 6.0])
    assert np.isnan(viz_series.line_values(src, viz_series.Line("missing", "m", viz_series.BLUE), 1, 4)).all()


def test_baseline_lines_are_the_baseline_runs_series(run30):
    base = ViewedRun(Choice("pre_tr", seed=2), end="2012-12-31")
    base.advance(1000)
    panel = viz_series.PANELS["recalls"]
    fig = viz_series.series_figure(run30, panel, base)
    faded = [ln for ln in fig.axes[0].get_lines() if ln not in fig._lines and ln.get_alpha() == viz_series.BASELINE_ALPHA]
    assert len(faded) == len(panel.lines)
    for artist, line in zip(faded, panel.lines):
        np.testing.assert_array_equal(artist.get_ydata(), viz_series.line_values(base, line, panel.window, base.weeks_done))
    assert any("faded: pre_tr" in t.get_text() for t in fig.legends[0].get_texts())


def test_policy_events_on_one_date_share_a_label(run30):
    marks = viz_series.policy_marks(run30.model)
    dates = [d for d, _, _ in marks]
    assert len(dates) == len(set(dates)) == len({e.date for e in run30.model.events})
    assert any("CRCs to their owners" in label and "ORA commencement" in label for _, label, _ in marks)


# ---- the network ------------------------------------------------------------------------------
def test_network_positions_are_stable_and_the_sample_is_followed():
    run = ViewedRun(Choice())
    run.advance(5)
    viz_figures.network_figure(run.model)
    state = viz_figures.view_state(run.model)
    pos, ids = viz_figures.staff_positions(run.model, state).copy(), set(state.sample_ids.tolist())
    assert len(ids) == viz_figures.SAMPLE_SIZE
    run.advance(1)
    viz_figures.network_figure(run.model)
    assert np.array_equal(pos, viz_figures.staff_positions(run.model, state))  # no employer changed: nothing moved
    assert len(ids & set(state.sample_ids.tolist())) >= 0.8 * len(ids)  # the same people, mostly


def test_people_sit_outside_the_staff_rings_and_on_top(run30):
    model = run30.model
    fig = viz_figures.network_figure(model)
    art = fig._artists
    assert art["sample"].get_zorder() > art["staff"].get_zorder()
    state = viz_figures.view_state(model)
    rows = state.sample_rows
    with_officer = rows[model.pop.officer[rows] >= 0]
    xy = viz_figures.people_positions(model, state, with_officer, viz_figures.staff_positions(model, state))
    centre = state.org_pos[model.staff.employer[model.pop.officer[with_officer]]]
    distance = np.hypot(*(xy - centre).T)
    assert with_officer.size > 50
    assert (distance >= viz_figures.PEOPLE_RING - 1e-9).all()
    assert (distance <= viz_figures.PEOPLE_RING + viz_figures.PEOPLE_RING_WIDTH + 1e-9).all()


def test_one_iom_link_per_iom_probation_officer(run30):
    model = run30.model
    state = viz_figures.view_state(model)
    segs, trust = viz_figures.iom_links(model, viz_figures.staff_positions(model, state), state)
    n_iom = int((model.staff.iom & model.staff.funded).sum())
    assert len(segs) == len(trust) == n_iom > 0
    assert all(0.0 <= t <= 1.0 for t in trust)


def test_followed_person_is_ringed(run30):
    model = run30.model
    state = viz_figures.view_state(model)
    row = int(state.sample_rows[0])
    fig = viz_figures.network_figure(model, followed=row)
    ring = fig._artists["followed"].get_offsets()
    i = int(np.flatnonzero(state.sample_rows == row)[0])
    np.testing.assert_allclose(ring, fig._artists["sample"].get_offsets()[i:i + 1])
    assert len(viz_figures.network_figure(model)._artists["followed"].get_offsets()) == 0


# ---- following one person -----------------------------------------------------------------------
def test_person_path_records_weeks_and_events():
    run = ViewedRun(Choice(seed=3))
    run.advance(60)
    state = viz_figures.view_state(run.model)
    viz_figures.update_sample(run.model, state)
    agents_before = len(run.model.agents)
    rows = state.sample_rows
    serving = rows[run.model.pop.state[rows] != State.FREE]  # under sentence: cannot leave the system in 20 weeks
    path = run.follow(int(serving[0]))
    assert len(run.model.agents) == agents_before + 1  # one Offender view
    run.advance(20)
    assert len(path.weeks) == 21 and [w.week for w in path.weeks] == list(range(60, 81))
    assert path.events[0][0] == 60 and path.events[0][1].startswith("followed from here")
    csv_lines = path.csv_text().splitlines()
    assert len(csv_lines) == 22 and csv_lines[0].startswith("week,state,sentence,agency,organisation,officer")
    run.follow(None)
    assert len(run.model.agents) == agents_before  # the view is removed


def test_person_leaving_the_system_ends_the_path():
    run = ViewedRun(Choice(seed=3))
    run.advance(10)
    pop = run.model.pop
    row = int(np.flatnonzero(pop.state[: pop.high_water] == State.FREE)[0])
    path = PersonPath.start(run.model, row)
    pop.person_id[row] = pop.next_person_id  # the slot is taken by someone new
    path.record(run.model)
    assert not path.active and path.left_week == run.model.week and path.view is None
    assert path.events[-1][1].startswith("left the system")
    path.record(run.model)  # nothing more is recorded
    assert len(path.weeks) == 1


def test_changes_name_what_happened():
    from experiments.viz.person import Week, changes

    base = dict(week=10, state="on licence", sentence="custody under 12 months", agency="CRC", organisation="X CRC",
                officer=4, relationship=0.5, unmet_needs="accommodation", iom=False, parked=False, recalled=False,
                proven_pending=0, sentenced_this_week=False)
    before = Week(**base)
    after = Week(**{**base, "week": 11, "state": "in custody", "recalled": True, "officer": 7, "proven_pending": 2,
                    "unmet_needs": "", "iom": True})
    text = changes(before, after)
    assert text == ["recalled to custody", "new officer (post 7)", "2 offences detected (awaiting court)",
                    "joined the IOM cohort", "need met: accommodation"]
    released = Week(**{**base, "state": "in custody"})
    assert changes(released, before) == ["released on licence"]


def test_the_sample_does_not_depend_on_how_often_the_page_redraws():
    weekly, quarterly = ViewedRun(Choice(seed=4)), ViewedRun(Choice(seed=4))
    for _ in range(40):
        weekly.advance(1)
        viz_figures.network_figure(weekly.model)
    quarterly.advance(27)
    quarterly.advance(13)
    viz_figures.network_figure(quarterly.model)
    a, b = viz_figures.view_state(weekly.model), viz_figures.view_state(quarterly.model)
    assert a.sample_ids.size == viz_figures.SAMPLE_SIZE
    np.testing.assert_array_equal(a.sample_ids, b.sample_ids)


def test_every_panel_reads_series_the_model_or_the_page_records(run30):
    known = set(run30.series_names())
    used = {name for panel in viz_series.PANELS.values() for line in panel.lines for name in (line.series, line.per)
            if name is not None}
    assert used <= known, used - known
    iom = {"iom_contact_hours", "iom_case_weeks", "relationship", "officer_continuity", "iom_information_flow",
           "police_probation_trust"}
    money = {"crc_income_gbp", "crc_cost_gbp", "pbr_paid_gbp"}
    assert iom <= used and money <= used
