# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # Which IOM mechanism carries Transforming Rehabilitation's effect?
#
# A worked example of the Python API (`experiments.api`). It is a plain script in Jupytext's percent
# format: run it with `python examples/iom_mechanisms_walkthrough.py`, or open it as a notebook
# (`jupytext --to notebook`, or any editor that reads `# %%` cells).
#
# 1. one run of the TR scenario, as tables;
# 2. a two-level factorial sweep that switches TR's effect on each IOM mechanism off or on, with the same
#    seeds in every arm, and the attribution of the change to each mechanism;
# 3. the report and figures for a paper;
# 4. a Latin hypercube over two uncertain assumptions and scenario discovery (PRIM) on it.
#
# Set `EXAMPLE_QUICK=1` for a look in seconds: one simulated year, two replications, and TR brought
# forward to spring 2011 (with the analysis window from January 2011) so that the switches have something
# to act on. Those numbers only show the mechanics. The full settings take a few minutes on two cores.

# %%
import os
import sys
from pathlib import Path

ROOT = next(p for p in (Path.cwd(), *Path.cwd().parents) if (p / "run.py").is_file())  # the repository
sys.path.insert(0, str(ROOT))
from experiments import api  # noqa: E402

QUICK = os.environ.get("EXAMPLE_QUICK") == "1"
OUT = Path(os.environ.get("EXAMPLE_OUT", ROOT / "output" / "examples"))
END = "2011-12-31" if QUICK else "2018-12-31"
REPLICATIONS = 2 if QUICK else 10
QUICK_PARAMETERS = {"metrics.window_start": "2011-01-01", "policy.share_out_date": "2011-03-01",
                    "policy.crc_sale_date": "2011-04-01", "policy.ora_date": "2011-04-01"}
PARAMETERS = QUICK_PARAMETERS if QUICK else {}  # default: TR's real dates, the window from Feb 2015

# %% [markdown]
# ## 1. One run
# `api.simulate` returns the window summary (a dict), the weekly series (a DataFrame indexed by date) and
# every metric by calendar year (a long table). Metrics of your own are defined from the weekly series.

# %%
run = api.simulate("tr", end=END, seed=1, parameters=PARAMETERS,
                   custom={"recalls_per_breach": {"ratio": ["recalls", "breaches"]}})
print(f"proven reoffending rate: {run.summary['reoffending_rate']:.1%}")
print(f"recalls per breach actioned: {run.summary['recalls_per_breach']:.2f}")
print(run.series[["under_supervision", "police_probation_trust"]].resample("YE").mean().round(3))
print(run.by_year[run.by_year["metric"] == "recalls_per_year"].tail(3))

# %% [markdown]
# ## 2. The mechanism factorial
# A sweep spec is a dict with the keys of an experiment file (compare `experiments/data/iom_mechanisms.toml`).
# Replication k has the same seed in all 8 arms, so the effects are computed within each replication.

# %%
spec = {
    "name": "iom_mechanisms_example",
    "description": "TR with its effect on each IOM mechanism switched off or on",
    "scenarios": ["tr"],
    "replications": REPLICATIONS,
    "scale": "small",
    "end": END,
    "root_seed": 2014,
    "series": ["relationship", "police_probation_trust", "recalls", "breaches", "proven"],
    "parameters": PARAMETERS,
    "design": {"kind": "grid", "factors": {
        "tr.mechanisms.relationships": [False, True],
        "tr.mechanisms.contact": [False, True],
        "tr.mechanisms.interagency": [False, True],
    }},
    "report": {"key_metrics": ["reoffending_rate", "recalls_per_year", "police_probation_trust",
                               "relationship_continuity", "recalls_per_breach"],
               "series": ["relationship", "police_probation_trust"]},
    "custom_metrics": {"recalls_per_breach": {"ratio": ["recalls", "breaches"]}},
}
mechanisms = api.sweep(spec, out=OUT / "iom_mechanisms")
print(mechanisms.runs.shape, mechanisms.series.shape, mechanisms.by_year.shape)

# %%
effects = mechanisms.effects()
print(effects[["metric", "effect", "mean", "low", "high", "p", "share"]].round(4).to_string(index=False))

# %% [markdown]
# More replications narrow the intervals; the runs already made are kept (`replications=` larger, same
# `out`), or ask for a precision: `api.sweep(spec, until_halfwidth={"reoffending_rate": 0.005})` adds
# replications until every paired interval's half-width is at most half a percentage point.

# %% [markdown]
# ## 3. Report and figures
# `report()` writes `report.md` (units, window, scale, findings, what the replications can detect) and
# figures in the formats asked for.

# %%
report = mechanisms.report(formats=("png", "pdf"), dpi=150, csv=True)
print(report.read_text().split("## Findings")[1].split("## What")[0])
print([p.name for p in mechanisms.figures()][:6])

# %% [markdown]
# ## 4. Scenario discovery
# Over a Latin hypercube of two assumptions (and a dummy factor, the noise floor), where are recalls high?
# (`workers=None` runs on every core; in a script that needs the `if __name__ == "__main__":` guard.)

# %%
lhs = api.sweep({
    "name": "recall_drivers_example", "scenarios": ["tr"], "replications": 1, "end": END, "root_seed": 7,
    "series": ["recalls"], "parameters": PARAMETERS,
    "design": {"kind": "lhs", "samples": 16 if QUICK else 60, "dummy": True, "factors": {
        "offending.base_rate": {"low": 0.03, "high": 0.08},
        "enforcement.crc_underbreach": {"low": 0.1, "high": 0.5},
    }},
    "report": {"key_metrics": ["recalls_per_year", "offences_total"], "series": ["recalls"]},
}, out=OUT / "recall_drivers")
median = float(lhs.runs["recalls_per_year"].median())
path, boxes, scores = lhs.discover("recalls_per_year", above=median)
print(f"box 1: coverage {boxes[0].coverage:.0%}, density {boxes[0].density:.0%}, limits {boxes[0].limit_texts}")
print(scores.round(3))
