"""docs/TRACE.md's generated parts: where the parameters come from, the tests, the calibration and validation as
they stand, and the sensitivity analysis (from a finished sweep of experiments/data/sensitivity.toml)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from experiments.analysis.units import metric_info, number
from experiments.docgen import evidence as doc_evidence
from experiments.docgen import sources as doc_sources
from model.parameters import Parameters, walk

SENSITIVITY_DIR = Path("output/sweeps/sensitivity-small-r1")  # the default folder of experiments/data/sensitivity.toml


def data_markdown() -> str:
    """How many parameters rest on which kind of source (the first citation of each)."""
    known = doc_sources.keys()
    groups: dict[str, list[str]] = {}
    for name, _, f in walk(Parameters()):
        first = doc_sources.citations(f.metadata["source"])[0]
        if first.startswith(doc_sources.ASSUMPTION):
            kind = "an assumption with a reason"
        else:
            kind = next((k for k in known if first == k or first.startswith(k)), "a seed document")
            kind = "a seed document" if kind.startswith("seed") or first.startswith("seeds") else kind
        groups.setdefault(kind, []).append(name)
    sized = [n for n, _, f in walk(Parameters()) if "assumed" in f.metadata["source"]
             and not f.metadata["source"].startswith(doc_sources.ASSUMPTION)]
    calibrated = [n for n, _, f in walk(Parameters()) if "calibrat" in f.metadata["source"]]
    total = sum(len(v) for v in groups.values())
    lines = [f"{total} parameters, by the source their first citation names:", "",
             "| source | parameters |", "| --- | --- |"]
    lines += [f"| {k} | {len(v)} |" for k, v in sorted(groups.items(), key=lambda kv: -len(kv[1]))]
    lines += ["", f"Of those citing a document, {len(sized)} take only a direction or a fact from it and say "
              "\"size assumed\" (or \"rate\", \"depth\", \"share\" ... \"assumed\") for the number. "
              f"{len(calibrated)} sources mention calibration: "
              + (", ".join(f"`{n}`" for n in calibrated) if calibrated else "none") + "."]
    return "\n".join(lines) + "\n"


def calibration_markdown() -> str:
    """The fit of the pre-reform targets as the docs now report it."""
    text = doc_evidence.read("calibration.md")
    head = ("docs/calibration.md is missing.\n" if text is None else
            "Method, targets, ranges, priors and posterior: [calibration.md](calibration.md).\n")
    return head + "\n" + doc_evidence.fit_markdown()


def sensitivity_markdown(folder: Path) -> str:
    """Morris screening results from a finished, compared sweep folder (``compare --csv`` writes tables/indices.csv)."""
    manifest = json.loads((folder / "manifest.json").read_text())
    table = folder / "tables" / "indices.csv"
    if not table.exists():
        raise FileNotFoundError(f"{table} is missing: run python run.py compare {folder} --csv first")
    idx = pd.read_csv(table)
    s = manifest["settings"]
    design = s["design"]
    session = manifest["sessions"][-1] if manifest.get("sessions") else {}
    factors = list(design["factors"])
    lines = [f"Morris screening (`{manifest.get('experiment_file', 'experiments/data/sensitivity.toml')}`): "
             f"{len(factors)} factors and a dummy, {design['samples']} trajectories, {design['levels']} levels - "
             f"{manifest.get('runs_ok', '?')} runs of `{', '.join(s['scenarios'])}` at the {s['scale']} scale to "
             f"{s['end']}, {s['replications']} replication(s) a point; code at commit "
             f"{str(session.get('git_commit', 'unknown'))[:12]}, with the parameter defaults of that commit. mu* is the "
             "mean absolute change in the outcome when one factor moves across its range (95% bootstrap interval); the "
             "dummy factor moves nothing but the random numbers, so its mu* is the noise floor, and a factor is "
             "*above* it when its interval's lower end is.", "",
             "| outcome | noise floor (dummy mu*) | factors above the floor | largest three mu* [95% interval] |",
             "| --- | --- | --- | --- |"]
    for scenario in s["scenarios"]:
        for metric, rows in idx[idx["scenario"] == scenario].groupby("metric", sort=False):
            info = metric_info(metric)
            unit = info.diff_unit

            def show(x: float, info=info) -> str:
                return number(x * info.factor) if math.isfinite(x) else "n/a"

            dummy = rows[rows["parameter"] == "dummy"]
            floor = float(dummy["mu_star"].iloc[0]) if len(dummy) else math.nan
            real = rows[rows["parameter"] != "dummy"].sort_values("mu_star", ascending=False)
            above = real[real["mu_star"] - real["mu_star_conf"] > floor]["parameter"].tolist()
            top = "; ".join(f"`{r.parameter}` {show(r.mu_star)} [{show(max(r.mu_star - r.mu_star_conf, 0.0))}, "
                            f"{show(r.mu_star + r.mu_star_conf)}]" for r in real.head(3).itertuples())
            lines.append(f"| {info.label} ({unit}) | {show(floor)} | "
                         f"{', '.join(f'`{a}`' for a in above) if above else 'none'} | {top} |")
    lines += ["", "Regenerate: `python run.py sweep experiments/data/sensitivity.toml`, `python run.py compare SWEEP --csv`, "
              "`python run.py docs --sensitivity SWEEP`."]
    return "\n".join(lines) + "\n"
