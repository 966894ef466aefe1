"""One run as the browser view shows it: the model, what the page records beside it, a lock.

Each browser session builds its own ``ViewedRun`` (never at import). ``advance`` is the only
way the page moves the model: it stops at the last week whatever it is asked, so Step and
Play cannot run past the end, and a lock keeps two threads (Play and a click) from stepping
one model at once. After every week it records what the page draws but the model does not
keep: the information flow on IOM cases, the people sampled for the network and, if a person
is followed, their values.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import numpy as np

from agents.states import State
from experiments.viz.controls import Choice
from experiments.viz.figures import update_sample, view_state
from experiments.viz.person import PersonPath
from model.probation_model import ProbationModel


def iom_information_flow(model) -> float:
    """Mean information flow (1 = the pre-reform level) on the cases of the IOM cohort at liberty."""
    pop = model.pop
    v = pop.view()
    rows = np.flatnonzero(pop.iom[v] & (pop.state[v] != State.CUSTODY) & (pop.state[v] != State.EMPTY))
    return float(model.interagency.info_of_rows(model, rows).mean()) if rows.size else float("nan")


# Weekly values the page records itself: name -> how to read it after a week is simulated.
PAGE_SERIES: dict[str, Callable[[ProbationModel], float]] = {
    "iom_information_flow": iom_information_flow,
}


class ViewedRun:
    """A small-scale model built from the page's controls, stepped only through ``advance``."""

    def __init__(self, choice: Choice, end: str | None = None) -> None:
        self.choice = choice
        self.params = choice.parameters(end)
        self.overrides = choice.overrides()
        self.model = ProbationModel(self.params)
        self.created_utc = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self.lock = threading.RLock()  # held while the model steps
        self.draw_lock = threading.RLock()  # held while a figure of this run is drawn (matplotlib is not thread-safe)
        n = self.model.cal.n_weeks
        self.page_series = {name: np.full(n, np.nan) for name in PAGE_SERIES}
        self.person: PersonPath | None = None

    @property
    def scenario(self) -> str:
        return self.choice.scenario

    @property
    def seed(self) -> int:
        return int(self.params.run.seed)

    @property
    def n_weeks(self) -> int:
        return self.model.cal.n_weeks

    @property
    def weeks_done(self) -> int:
        return self.model.recorder.recorded

    @property
    def finished(self) -> bool:
        return not self.model.running or self.model.week >= self.n_weeks

    def advance(self, weeks: int, should_stop: Callable[[], bool] | None = None) -> int:
        """Simulate up to ``weeks`` weeks, never past the last; return how many were simulated."""
        done = 0
        with self.lock:
            while done < weeks and not self.finished:
                if should_stop is not None and should_stop():
                    break
                self.model.step()
                self._record_week()
                done += 1
        return done

    def _record_week(self) -> None:
        w = self.model.recorder.recorded - 1
        for name, read in PAGE_SERIES.items():
            self.page_series[name][w] = read(self.model)
        update_sample(self.model, view_state(self.model))  # every week, so the sample does not depend on redraws
        if self.person is not None:
            self.person.record(self.model)

    def series(self, name: str) -> np.ndarray | None:
        """The weekly values of a recorded or page series (NaN for weeks not yet simulated); None if unknown."""
        values = self.model.recorder.series.get(name)
        if values is None:
            values = self.page_series.get(name)
        return values

    def series_names(self) -> list[str]:
        return sorted(set(self.model.recorder.series) | set(self.page_series))

    def follow(self, row: int | None) -> PersonPath | None:
        """Start following the person in ``row`` (None: stop following)."""
        with self.lock:
            if self.person is not None:
                self.person.stop()
                self.person = None
            if row is not None:
                self.person = PersonPath.start(self.model, int(row))
            return self.person

    def close(self) -> None:
        """Drop the followed person's view (the model may be discarded afterwards)."""
        self.follow(None)
