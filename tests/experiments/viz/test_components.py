"""The browser view's page, rendered with Solara's testing API (no browser, no server)."""

from __future__ import annotations

import importlib
import time

import ipyvuetify as v
import ipywidgets as widgets
import pytest
import solara

import app
from experiments.viz import controls as viz_controls
from model.engine.calendar import Calendar
from model.parameters import Parameters
from model.probation_model import ProbationModel

N_WEEKS = Calendar(Parameters().start_date, Parameters().end_date).n_weeks  # the default run
LAST_DAY = Calendar(Parameters().start_date, Parameters().end_date).date_of(N_WEEKS - 1).strftime("%-d %b %Y")

WAIT_S = 120  # generous: the machine is shared; never a timing assertion


@pytest.fixture
def page():
    box, rc = solara.render(app.Page(), handle_error=False)
    rc.box = box
    yield rc
    rc.close()  # the page goes away: its background work stops


def _widgets(root):
    """Every widget under root (rc.find stops at the first match on a path)."""
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


def _html(rc, cls: str) -> list[str]:
    return [w.unsafe_innerHTML for w in _widgets(rc.box) if isinstance(getattr(w, "unsafe_innerHTML", None), str)
            and cls in ((getattr(w, "attributes", None) or {}).get("class") or "").split()]


def _status(rc) -> str:
    texts = _html(rc, "pv-status")
    assert len(texts) == 1
    return texts[0]


def _button(rc, text):
    buttons = [w for w in rc.find(v.Btn).widgets if any(text in str(c) for c in w.children)]
    assert len(buttons) == 1, [b.children for b in rc.find(v.Btn).widgets]
    return buttons[0]


def _playing(rc) -> bool:
    labels = [str(w.children) for w in rc.find(v.Btn).widgets]
    return any("Pause" in t for t in labels)


def _select(rc, label):
    return rc.find(v.Select, label=label).widget


def _images(rc) -> list[bytes]:
    return [bytes(w.value) for w in rc.find(widgets.Image).widgets]


def _tab(rc, name: str) -> None:
    tabs = rc.find(v.Tabs).widget
    names = [str(t.children) for t in rc.find(v.Tab).widgets]
    tabs.v_model = next(k for k, n in enumerate(names) if name in n)


def _wait(predicate, what: str, timeout: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _week(rc) -> int:
    import re

    text = _status(rc)
    m = re.search(r"week (\d+) of (\d+)", text)
    if m:
        return int(m.group(1))
    m = re.search(r"all (\d+) weeks simulated", text)
    assert m, text
    return int(m.group(1))


# ---- one model per session, built in the page ---------------------------------------------------
def test_importing_app_builds_no_model(monkeypatch):
    built = []
    original = ProbationModel.__init__

    def counting(self, *args, **kwargs):
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(ProbationModel, "__init__", counting)
    importlib.reload(app)
    assert built == []
    solara.render(app.Page(), handle_error=False)
    assert len(built) == 1


def test_two_sessions_step_their_own_models():
    box1, first = solara.render(app.Page(), handle_error=False)
    box2, second = solara.render(app.Page(), handle_error=False)
    first.box, second.box = box1, box2
    for _ in range(3):
        _button(first, "Step").click()
    assert _week(first) == 3 and _week(second) == 0
    _button(second, "Step").click()
    assert _week(first) == 3 and _week(second) == 1


# ---- what the page shows ----------------------------------------------------------------------
def test_page_shows_status_provenance_controls_and_the_first_tab(page):
    status = _status(page)
    assert "<b>tr_reunified</b>, seed 1" in status
    assert f"1 Jan 2011</b> (week 0 of {N_WEEKS})" in status
    assert "next policy event: 1 Jun 2014: NPS/CRC share-out" in status
    assert "no overrides (the scenario's own values)" in _html(page, "pv-provenance")[0]
    events = _html(page, "pv-events")[0]
    assert "<b>[1]</b> 1 Jun 2014: NPS/CRC share-out" in events and "<b>[6]</b> 26 Jun 2021: Reunification" in events
    assert _select(page, "Scenario").v_model == "tr_reunified"
    labels = {w.label for w in page.find(v.Slider).widgets} | {w.label for w in page.find(v.Checkbox).widgets}
    for control in viz_controls.CONTROLS:
        assert control.label in labels
    images = _images(page)
    assert len(images) == 6 and all(i.startswith(b"\x89PNG") for i in images)  # network + 5 panels


def test_step_moves_the_chosen_weeks_and_redraws(page):
    before = _images(page)
    _button(page, "Step").click()
    assert _week(page) == 1 and "8 Jan 2011" in _status(page)
    assert sum(a != b for a, b in zip(before, _images(page))) == 6
    _select(page, "Step moves").v_model = "13 weeks"
    _button(page, "Step").click()
    assert _week(page) == 14


def test_step_stops_at_the_last_week_whatever_the_step(page):
    _tab(page, "Any series")  # one figure to redraw per click
    _select(page, "Step moves").v_model = "52 weeks"
    clicks = 0
    while not _button(page, "Step").disabled:
        _button(page, "Step").click()
        clicks += 1
        assert clicks <= -(-N_WEEKS // 52)
    assert clicks == -(-N_WEEKS // 52)  # full steps of 52, then what is left
    assert f"run complete</b>: all {N_WEEKS} weeks simulated, to {LAST_DAY}" in _status(page)
    assert _button(page, "Play").disabled
    assert any("Run complete" in str(w.children) for w in page.find(v.Alert).widgets)
    _button(page, "Step").click()  # a click that reaches a disabled button does nothing
    assert _week(page) == N_WEEKS
    assert not any("error" in str(w.children).lower() for w in page.find(v.Alert).widgets)


def test_play_runs_to_the_end_and_stops(page):
    _tab(page, "Any series")
    _select(page, "Step moves").v_model = "52 weeks"
    for _ in range(10):
        _button(page, "Step").click()
    assert _week(page) == 520
    _select(page, "Play speed").v_model = "52 weeks a second"
    _button(page, "Play").click()
    _wait(lambda: "run complete" in _status(page), "Play to reach the end")
    _wait(lambda: not _playing(page), "Play to stop")
    assert _button(page, "Play").disabled and _button(page, "Step").disabled
    assert not any("error" in str(w.children).lower() for w in page.find(v.Alert).widgets)


def test_pause_stops_play(page):
    _select(page, "Play speed").v_model = "4 weeks a second"
    _button(page, "Play").click()
    _wait(lambda: _week(page) >= 2, "Play to move")
    _button(page, "Pause").click()
    _wait(lambda: not _playing(page), "Pause to stop Play")
    time.sleep(0.5)
    week = _week(page)
    time.sleep(1.0)
    assert _week(page) == week and not _button(page, "Step").disabled


# ---- controls, Reset and provenance --------------------------------------------------------------
def test_changed_controls_show_a_hint_until_reset(page):
    _button(page, "Step").click()
    assert not [w for w in page.find(v.Alert).widgets if "Press Reset" in str(w.children)]
    _select(page, "Scenario").v_model = "pre_tr"
    hints = [w for w in page.find(v.Alert).widgets if "Press Reset" in str(w.children)]
    assert len(hints) == 1 and "Changed: scenario." in str(hints[0].children)
    page.find(v.Slider, label="PbR share of CRC income").widget.v_model = 0.25
    page.find(v.Checkbox, label="TR acts on contact").widget.v_model = False
    page.find(v.TextField, label=f"Random seed (0-{viz_controls.SEED_MAX})").widget.v_model = "7"
    assert _week(page) == 1  # nothing applied yet
    _button(page, "Reset").click()
    assert _week(page) == 0
    assert not [w for w in page.find(v.Alert).widgets if "Press Reset" in str(w.children)]
    status, provenance = _status(page), _html(page, "pv-provenance")[0]
    assert "<b>pre_tr</b>, seed 7" in status and "next policy event: none left" in status
    assert "<code>finance.pbr_share = 0.25</code>" in provenance
    assert "<code>tr.mechanisms.contact = false</code>" in provenance and "Seed 7" in provenance


def test_controls_show_the_scenarios_own_values(page):
    _select(page, "Scenario").v_model = "tr_data_sharing"
    box = page.find(v.Checkbox, label="Data sharing mandated in contracts").widget
    assert box.v_model is True  # the scenario's value, not an override
    _button(page, "Reset").click()
    assert "no overrides" in _html(page, "pv-provenance")[0]


def test_choice_overrides_only_what_differs_from_the_scenario():
    choice = viz_controls.Choice("tr_data_sharing").with_value("data_sharing", True).with_value("pbr_share", 0.2)
    assert choice.overrides() == {"finance.pbr_share": 0.2}
    params = choice.parameters()
    assert params.policy.data_sharing_mandated is True and params.finance.pbr_share == pytest.approx(0.2)
    assert params.run.scale == "small" and params.run.seed == 1
    low = viz_controls.Choice().with_value("iom_ogrs_threshold", 45)
    assert low.overrides() == {"iom.ogrs_threshold": 45, "iom.ogrs_profile_threshold": 45.0}
    assert low.with_scenario("pre_tr").overrides()["iom.ogrs_threshold"] == 45
    with pytest.raises(ValueError):
        viz_controls.Choice().with_seed(-1)
    with pytest.raises(KeyError):
        viz_controls.overrides("tr", {"not_a_control": 1})


# ---- comparison, following a person -----------------------------------------------------------
def test_baseline_is_computed_in_the_background_and_drawn(page):
    before = _images(page)
    _select(page, "Baseline scenario (same seed and overrides)").v_model = "pre_tr"
    # the choice returns at once: the page still steps while the baseline is simulated
    _button(page, "Step").click()
    assert _week(page) == 1
    _wait(lambda: any("baseline ready: pre_tr, seed 1" in t for t in _html(page, "pv-baseline-status")),
          "the baseline run")
    after = _images(page)
    assert after[1:] != before[1:]  # the panels now carry the faded baseline
    _select(page, "Baseline scenario (same seed and overrides)").v_model = "none"
    _wait(lambda: not _html(page, "pv-baseline-status"), "the baseline to be dropped")


def test_following_a_sampled_person_records_their_weeks(page):
    _button(page, "Step").click()
    _tab(page, "Follow a person")
    chooser = _select(page, "Follow a sampled person (ringed on the network)")
    assert 100 <= len(chooser.items) <= 150 and all(i.startswith("person ") for i in chooser.items)
    chooser.v_model = chooser.items[0]
    _select(page, "Step moves").v_model = "4 weeks"
    _button(page, "Step").click()
    events = _html(page, "pv-events-list")
    assert len(events) == 1 and "followed from here" in events[0]
    assert events[0].count("<tr>") >= 1
    assert len(_images(page)) == 1  # the person's path
    _button(page, "Stop following").click()
    assert not _html(page, "pv-events-list")


def test_iom_and_money_tabs_show_their_panels(page):
    _button(page, "Step").click()
    _tab(page, "IOM mechanisms")
    assert len(_images(page)) == len(app.TABS["IOM mechanisms"]) == 5
    _tab(page, "Money and staff")
    assert len(_images(page)) == len(app.TABS["Money and staff"]) == 5
    _tab(page, "Any series")
    assert len(_images(page)) == 1
    chooser = _select(page, "Series")
    assert "under_supervision" in chooser.items and "iom_information_flow" in chooser.items
