"""Re-run a past simulation, sweep or single sweep run from its manifest, and say whether the bytes match.

- a simulation's ``manifest.json``: the run is rebuilt from the parameters the manifest records (all of
  them, so a scenario file edited since does not matter), and its summary.json and timeseries.csv are
  compared with the originals beside the manifest;
- a sweep's ``manifest.json``: the whole sweep is run again into a new folder and its two tables, and
  each run's weekly series, are compared;
- one sweep run's record (``SWEEP/runs/<run_id>.json``): that run alone, its summary and series compared.

When the bytes differ, the differences between what the manifest recorded (code, package versions,
machine) and what runs now are listed as likely causes.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from experiments import simulate
from experiments.infra import provenance
from experiments.infra.errors import UsageError
from experiments.infra.files import read_text_file, shown
from experiments.sweeps import experiment_file, sweep
from experiments.sweeps import files as sweep_files
from model import parameters


@dataclass
class Comparison:
    """What was re-run and, file by file, whether it matched."""

    kind: str
    out: Path
    files: dict[str, str] = field(default_factory=dict)  # name -> "identical" / "differs ..." / "missing ..."
    causes: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return bool(self.files) and all(v == "identical" for v in self.files.values())


def read_manifest(path: Path) -> tuple[str, dict[str, Any]]:
    """(kind, manifest) of a simulation, sweep or sweep-run record; UsageError if it is none of them."""
    path = Path(path)
    if path.is_dir():
        path = path / "manifest.json"
    text = read_text_file(path, "manifest")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"manifest {shown(path)} is not JSON ({exc.msg} at line {exc.lineno})") from None
    if isinstance(data, dict) and isinstance(data.get("parameters"), dict) and "scenario" in data:
        return "simulation", data
    if isinstance(data, dict) and "settings" in data and "digest" in data:
        return "sweep", data
    if isinstance(data, dict) and "run_id" in data and isinstance(data.get("overrides"), dict):
        return "sweep run", data
    raise UsageError(f"{shown(path)} is not a manifest this program wrote (a simulation's or a sweep's manifest.json, "
                     "or a sweep's runs/<id>.json)")


def default_out(path: Path) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    name = (path if path.is_dir() else path.parent).name if path.name == "manifest.json" or path.is_dir() else path.stem
    return provenance.ROOT / "output" / f"rerun-{name}-{stamp}"


def likely_causes(recorded_versions: dict[str, str], recorded_code: str | None, recorded_git: str | None) -> list[str]:
    """Differences between what produced the original and what runs now."""
    now = provenance.versions()
    out = [f"{k}: {recorded_versions.get(k)} then, {now.get(k)} now" for k in sorted(set(recorded_versions) | set(now))
           if k in recorded_versions and recorded_versions.get(k) != now.get(k)]
    if recorded_code and recorded_code != provenance.code_digest():
        out.append(f"code: {recorded_code} then, {provenance.code_digest()} now")
    elif recorded_git and recorded_git.split("-")[0] != provenance.git_commit().split("-")[0]:
        out.append(f"git commit: {recorded_git} then, {provenance.git_commit()} now")
    return out


def _compare_bytes(original: Path, new: Path) -> str:
    if not original.is_file():
        return "missing in the original folder"
    if not new.is_file():
        return "missing in the re-run"
    a, b = original.read_bytes(), new.read_bytes()
    if a == b:
        return "identical"
    at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    line = a[:at].count(b"\n") + 1
    return f"differs (first at byte {at}, line {line}; {len(a)} bytes then, {len(b)} now)"


def check(path: Path, out: Path | None) -> tuple[str, dict[str, Any], Path]:
    """Everything the re-run needs, checked before it starts; writes nothing."""
    kind, manifest = read_manifest(path)
    out = out or default_out(Path(path))
    if kind == "simulation":
        simulate.check_out_dir(out)
        _simulation_parameters(manifest)
    else:
        from experiments.infra.files import check_output_folder

        check_output_folder(out, "--out")
        if out.exists() and any(out.iterdir()):
            raise UsageError(f"--out {shown(out)} is not empty; give a new folder for the re-run")
    return kind, manifest, out


def _simulation_parameters(manifest: dict[str, Any]) -> parameters.Parameters:
    recorded = manifest["parameters"]
    unknown = [n for n in recorded if n not in parameters.LEAVES]
    if unknown:
        raise UsageError(f"the manifest sets parameter {unknown[0]!r}, which this code does not have: it was made by "
                         f"other code ({manifest.get('git_commit', 'unknown commit')})")
    try:
        return parameters.build(recorded)
    except parameters.ParameterError as exc:
        raise UsageError(f"the manifest's parameters do not pass this code's checks ({exc})") from None


def rerun_simulation(path: Path, manifest: dict[str, Any], out: Path) -> Comparison:
    params = _simulation_parameters(manifest)
    result = simulate.run(str(manifest["scenario"]), params)
    result.manifest["rerun_of"] = str(path)
    simulate.write_outputs(result, out, plots=False)
    folder = Path(path).parent if Path(path).name == "manifest.json" else Path(path)
    comparison = Comparison("simulation", out)
    for name in ("summary.json", "timeseries.csv"):
        comparison.files[name] = _compare_bytes(folder / name, out / name)
    comparison.causes = likely_causes(manifest.get("versions", {}), manifest.get("code_digest"), manifest.get("git_commit"))
    return comparison


def _sweep_experiment(folder: Path, manifest: dict[str, Any]) -> experiment_file.Experiment:
    settings = manifest["settings"]
    posterior, repeats = sweep.folder_posterior(folder, settings)
    exp = experiment_file.load(folder / "experiment.toml", replications=settings["replications"],
                               scale=settings["scale"], end=settings.get("end"), posterior=posterior,
                               posterior_repeats=repeats)
    exp.name = manifest["experiment"]
    if exp.digest() != manifest["digest"]:
        raise UsageError(f"{shown(folder / 'experiment.toml')} no longer gives the sweep its manifest records "
                         "(the experiment file or the code reading it has changed)")
    return exp


def _changed_scenarios(exp: experiment_file.Experiment, manifest: dict[str, Any]) -> list[str]:
    recorded = manifest.get("scenario_definitions", {})
    now = sweep.scenario_definitions(exp)
    return [f"scenario {n} has changed since" for n in now
            if n in recorded and recorded[n] != json.loads(json.dumps(now[n], default=str))]


def rerun_sweep(path: Path, manifest: dict[str, Any], out: Path, workers: int | None) -> Comparison:
    folder = Path(path).parent if Path(path).name == "manifest.json" else Path(path)
    exp = _sweep_experiment(folder, manifest)
    sweep.run_sweep(exp, out, workers=workers, progress=False)
    comparison = Comparison("sweep", out)
    for name in ("runs.parquet", "series.parquet"):
        comparison.files[name] = _compare_bytes(folder / name, out / name)
    def series_of(where: Path, run_id: str) -> Path:
        return sweep_files.run_paths(where, run_id)[1]

    differing = [s.run_id for s in exp.plan() if series_of(folder, s.run_id).is_file()
                 and _compare_bytes(series_of(folder, s.run_id), series_of(out, s.run_id)) != "identical"]
    if differing:
        comparison.files["runs/*.series.parquet"] = f"{len(differing)} differ (first {differing[0]})"
    last = manifest["sessions"][-1] if manifest.get("sessions") else {}
    comparison.causes = _changed_scenarios(exp, manifest) + likely_causes(
        last.get("versions", {}), last.get("code_digest"), last.get("git_commit"))
    return comparison


def rerun_sweep_run(path: Path, record: dict[str, Any], out: Path) -> Comparison:
    from experiments.sweeps.worker import execute_run

    folder = Path(path).parent.parent
    manifest = sweep.load_manifest(folder)
    if manifest is None:
        raise UsageError(f"{shown(path)} is not inside a sweep folder (no manifest.json in {shown(folder)})")
    exp = _sweep_experiment(folder, manifest)
    spec = next((s for s in exp.plan() if s.run_id == record["run_id"]), None)
    if spec is None or spec.seed != record.get("seed") or spec.overrides != record["overrides"]:
        raise UsageError(f"run {record['run_id']!r} is not a run of the sweep in {shown(folder)}")
    payload = execute_run(spec)
    if not payload["ok"]:
        raise UsageError(f"the re-run of {spec.run_id} raised {payload['error']}")
    (out / sweep_files.RUNS).mkdir(parents=True, exist_ok=True)
    sweep.save_result(out, spec, payload)
    new = json.loads(sweep_files.run_paths(out, spec.run_id)[0].read_text())
    comparison = Comparison("sweep run", out)
    canonical = json.dumps(record.get("summary"), sort_keys=True) == json.dumps(new["summary"], sort_keys=True)
    comparison.files[f"{spec.run_id} summary"] = "identical" if canonical else "differs"
    comparison.files[f"{spec.run_id}.series.parquet"] = _compare_bytes(
        sweep_files.run_paths(folder, spec.run_id)[1], sweep_files.run_paths(out, spec.run_id)[1])
    comparison.causes = _changed_scenarios(exp, manifest) + likely_causes(record.get("versions", {}), record.get("code"), None)
    return comparison
