"""The browser view's components, rendered with Solara's testing API (no browser, no server)."""

from __future__ import annotations

import io

import ipyvuetify as v
import ipywidgets as widgets
import numpy as np
import pytest
import solara

import app
from experiments import viz_figures
from experiments.simulate import build_parameters
from model.probation_model import ProbationModel


@solara.component
def _Page(model):
    with solara.AppLayout():  # SolaraViz puts its controls in the app layout's sidebar
        app.make_page(model)


@pytest.fixture
def page():
    model = solara.reactive(app.VizModel())
    box, rc = solara.render(_Page(model), handle_error=False)
    rc.box = box
    return model, rc


def _one(rc, cls, **kwargs):
    finder = rc.find(cls, **kwargs)
    finder.assert_single()
    return finder.widget


def _button(rc, label):
    return _one(rc, v.Btn, children=[label])


def _widgets(root):
    """Every widget under root, including grid items (rc.find stops at the first match on a path)."""
    stack, seen = [root], set()
    while stack:
        w = stack.pop()
        if id(w) in seen:
            continue
        seen.add(id(w))
        yield w
        for attr in ("children", "items"):
            value = getattr(w, attr, None)
            if isinstance(value, (list, tuple)):
                stack.extend(x for x in value if isinstance(x, widgets.Widget))


def _status(rc) -> str:
    texts = [w.unsafe_innerHTML for w in _widgets(rc.box) if isinstance(getattr(w, "unsafe_innerHTML", None), str)
             and "Simulated date" in w.unsafe_innerHTML]
    assert len(texts) == 1
    return texts[0]


def _images(rc) -> list[bytes]:
    return [bytes(w.value) for w in rc.find(widgets.Image).widgets]


def test_page_shows_controls_status_and_six_figures(page):
    model, rc = page
    assert model.value.params.run.scale == "small"
    assert model.value.scenario_name == "tr_reunified"
    select = _one(rc, v.Select, label="Scenario")
    assert select.v_model == "tr_reunified" and "pre_tr" in select.items
    labels = {w.label for w in rc.find(v.Slider).widgets} | {w.label for w in rc.find(v.Checkbox).widgets}
    for label in ("Random seed", "CRC caseload cap (cases per officer)", "PbR share of CRC income", "IOM OGRS threshold",
                  "Keep police-probation co-location after the split", "Data sharing mandated in contracts",
                  "TR acts on relationships", "TR acts on contact", "TR acts on inter-agency working"):
        assert label in labels
    status = _status(rc)
    assert "1 January 2011 (week 0 of" in status
    assert "Next policy event:</strong> 1 June 2014: NPS/CRC share-out" in status
    images = _images(rc)
    assert len(images) == 6 and all(i.startswith(b"\x89PNG") for i in images)


def test_step_advances_week_date_and_figures(page):
    model, rc = page
    first = model.value
    before_status, before_images = _status(rc), _images(rc)
    for _ in range(3):
        _button(rc, "Step").click()
    assert model.value is first and first.week == 3
    after = _status(rc)
    assert after != before_status and "22 January 2011 (week 3 of" in after
    changed = [a != b for a, b in zip(before_images, _images(rc))]
    assert sum(changed) >= 5  # the network and the series all redraw


def test_scenario_and_controls_rebuild_the_model_on_reset(page):
    model, rc = page
    _button(rc, "Step").click()
    first = model.value
    _one(rc, v.Select, label="Scenario").v_model = "pre_tr"
    _one(rc, v.Checkbox, label="Data sharing mandated in contracts").v_model = True
    _one(rc, v.Checkbox, label="TR acts on contact").v_model = False
    _one(rc, v.Slider, label="PbR share of CRC income").v_model = 0.25
    _one(rc, v.Slider, label="Random seed").v_model = 7
    assert model.value is first  # controls take effect on Reset
    _button(rc, "Reset").click()
    new = model.value
    assert new is not first and new.week == 0
    assert new.scenario_name == "pre_tr"
    p = new.params
    assert p.policy.split is False and first.params.policy.split is True
    assert p.policy.data_sharing_mandated is True and p.tr.mechanisms.contact is False
    assert p.finance.pbr_share == pytest.approx(0.25) and p.run.seed == 7 and p.run.scale == "small"
    assert new.events == [] and "none left" in _status(rc) and "Scenario:</strong> pre_tr" in _status(rc)
    _button(rc, "Step").click()
    assert new.week == 1


def test_controls_at_default_keep_the_scenario_values():
    model = app.VizModel(scenario_name="tr_data_sharing", keep_colocation=False, data_sharing=False)
    assert model.params.policy.data_sharing_mandated is True  # from the scenario, not undone
    model = app.VizModel(iom_ogrs_threshold=60)
    assert model.params.iom.ogrs_threshold == 60 and model.params.iom.ogrs_profile_threshold <= 60
    assert app.VizModel(rng="3").params.run.seed == 3


def test_blit_figure_matches_an_ordinary_draw_where_it_matters():
    """The cached-background redraw shows current data: the same pixels as a full redraw of the series."""
    m = ProbationModel(build_parameters("tr_reunified", {}, scale="small", seed=2))
    for _ in range(30):
        m.step()
    fig = viz_figures.series_figure(m, "caseload")
    first = fig.render_rgba().copy()
    for _ in range(5):
        m.step()
    fig = viz_figures.series_figure(m, "caseload")
    fast = fig.render_rgba().copy()
    fig._background = None  # force a full draw
    full = fig.render_rgba().copy()
    assert not np.array_equal(first, fast)
    assert np.array_equal(fast, full)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    assert buf.getvalue().startswith(b"\x89PNG")


def test_network_positions_are_stable_and_sample_is_followed():
    m = ProbationModel(build_parameters("tr_reunified", {}, scale="small", seed=1))
    for _ in range(5):
        m.step()
    viz_figures.network_figure(m)
    state = viz_figures.view_state(m)
    pos, ids = viz_figures.staff_positions(m, state).copy(), set(state.sample_ids.tolist())
    assert 0 < len(ids) <= viz_figures.SAMPLE_SIZE
    m.step()
    viz_figures.network_figure(m)
    assert np.array_equal(pos, viz_figures.staff_positions(m, state))  # no employer changed: nothing moved
    assert len(ids & set(state.sample_ids.tolist())) >= 0.8 * len(ids)  # the same people, mostly


def test_policy_events_on_one_date_share_a_label():
    m = ProbationModel(build_parameters("tr_reunified", {}, scale="small", seed=1))
    marks = viz_figures.policy_marks(m)
    dates = [d for d, _, _ in marks]
    assert len(dates) == len(set(dates))
    assert any("CRCs to new owners" in label and "ORA commencement" in label for _, label, _ in marks)


def test_viz_command_builds_the_solara_command_and_warns_beyond_loopback(monkeypatch, capsys):
    import run
    from experiments.commands import viz

    calls = []

    class FakeServer:
        def __init__(self, cmd, cwd, env):
            calls.append((cmd, cwd, env))

        def wait(self):
            return 0

    monkeypatch.setattr(viz.subprocess, "Popen", FakeServer)
    assert run.main(["viz", "--port", "8123"]) == 0
    out = capsys.readouterr()
    assert "http://127.0.0.1:8123/" in out.out and "warning" not in out.err
    cmd, cwd, env = calls[-1]
    assert cmd[1:4] == ["-m", "solara", "run"] and cmd[4].endswith("app.py")
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1" and cmd[cmd.index("--port") + 1] == "8123"
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False"
    assert run.main(["viz", "--host", "0.0.0.0"]) == 0
    assert "exposed beyond this machine" in capsys.readouterr().err
    assert run.main(["viz", "--port", "70000"]) == 2
