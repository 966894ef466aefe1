"""Downloads of the browser view: the run's timeseries.csv and manifest.json, the figures as PNG.

``timeseries.csv`` has the format ``run.py simulate`` writes (the weeks simulated so far), so
the same scripts read both. The manifest records what ``run.py simulate`` records plus the
overrides made on the page, how far the run has got and the baseline compared with, if any.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from types import SimpleNamespace

import pandas as pd

from experiments import simulate
from experiments.infra import provenance
from experiments.viz.figures import network_figure
from experiments.viz.series import PANELS, series_figure

EXPORT_DPI = 150


def timeseries_frame(run) -> pd.DataFrame:
    """Date and every recorded series for the weeks simulated so far (as ``simulate.run`` builds it)."""
    model = run.model
    weeks = model.recorder.recorded
    frame = pd.DataFrame({"date": [model.cal.date_of(w).isoformat() for w in range(weeks)]})
    for name, values in model.recorder.series.items():
        frame[name] = values[:weeks]
    return frame


def timeseries_csv(run) -> str:
    with run.lock:
        frame = timeseries_frame(run)
    return simulate.timeseries_csv(SimpleNamespace(timeseries=frame))


def manifest(run, baseline=None) -> dict:
    model = run.model
    with run.lock:
        weeks = model.recorder.recorded
        events = [{"date": e.date.isoformat(), "event": e.name, "applied": bool(e.applied)} for e in model.events]
    out = {
        "scenario": run.scenario,
        "model_version": provenance.project_version(),
        "seed": run.seed,
        "overrides": dict(run.overrides),
        "parameters": run.params.flat(),
        "policy_events": events,
        "weeks": weeks,
        "weeks_in_run": run.n_weeks,
        "last_week_simulated": model.cal.date_of(weeks - 1).isoformat() if weeks else None,
        "source": "browser view (app.py)",
        "run_created_utc": run.created_utc,
        "exported_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "versions": provenance.versions(),
        "git_commit": provenance.git_commit(),
    }
    if baseline is not None:
        out["baseline"] = {"scenario": baseline.scenario, "seed": baseline.seed, "overrides": dict(baseline.overrides),
                           "weeks": baseline.weeks_done}
    return out


def manifest_json(run, baseline=None) -> str:
    return json.dumps(simulate.clean_json(manifest(run, baseline)), indent=2) + "\n"


def figures_zip(run, baseline=None, followed: int | None = None) -> bytes:
    """Every figure at the current week, full resolution, one PNG each in a zip."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as z, run.lock, run.draw_lock:
        stem = f"{run.scenario}-seed{run.seed}-week{run.model.week}"
        z.writestr(f"{stem}/network.png", network_figure(run.model, followed).export_png(EXPORT_DPI))
        for key, panel in PANELS.items():
            z.writestr(f"{stem}/{key}.png", series_figure(run, panel, baseline).export_png(EXPORT_DPI))
    return buf.getvalue()
