"""`compare`: a report in a researcher's terms (Markdown) with figures for a paper, from a finished sweep.

Units throughout (percentage points for rates, GBP m, counts a year); the window, scale, national factor,
replications and seeds stated; a plain-language finding per key metric; what the replications can detect;
a note on multiple comparisons. ``csv=True`` also writes every table to ``tables/*.csv`` in stored units.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.analysis import comparisons as analysis
from experiments.analysis import sensitivity
from experiments.analysis.figures import FigureSet, forest_figure, series_figure
from experiments.analysis.plots import DEFAULT_DPI
from experiments.analysis.statistics import holm, t_halfwidth
from experiments.analysis.units import interval, number, plus_minus, rounded, with_unit
from experiments.simulate import atomic_write_text
from experiments.sweeps import data as sweep_data
from experiments.sweeps.designs import SAMPLED
from model.parameters import ParameterError

ALPHA = 0.05
POWER = 0.8
MANY_ARMS = 4


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(r) + " |" for r in rows]


def _diff(info, row) -> str:
    return interval(row["mean"], row["low"], row["high"], info.factor, signed=True)


def _p(p: float) -> str:
    return "n/a" if not math.isfinite(p) else ("p < 0.001" if p < 0.001 else f"p = {p:.3f}")


def _level(info, x: float) -> str:
    """A level with its unit: "45.3%", "9,553 a year", "0.779" (an index)."""
    if info.unit == "%":
        return f"{info.show(x)}%"
    unit = info.unit if info.kind not in ("index", "other") else ""
    return f"{info.show(x)} {unit}".rstrip()


def _share(x: float) -> str:
    """A share of the total in whole per cent, without a sign on zero."""
    return "n/a" if not math.isfinite(x) else f"{round(100 * x) or 0:.0f}%"


def _relative(x: float) -> str:
    """A relative change: "+4.3%", "0.0%"."""
    if not math.isfinite(x):
        return "n/a"
    text = f"{100 * x:+.1f}%"
    return "0.0%" if text in ("+0.0%", "-0.0%") else text


def _du(info) -> str:
    """" pp" after a difference, or nothing if the metric has no unit."""
    return f" {info.diff_unit}" if info.diff_unit else ""


COUNT_WORDS = {2: "both", 3: "all three", 4: "all four", 5: "all five"}


def section_setup(data) -> list[str]:
    exp, ctx, m = data.exp, data.context, data.manifest
    sessions = m.get("sessions", [])
    runs_failed = int((data.runs["status"] == "failed").sum()) if "status" in data.runs else 0
    seeds = ctx.seeds
    seed_text = ", ".join(str(s) for s in seeds[:3]) + (f", ... ({len(seeds)} in all)" if len(seeds) > 3 else "")
    design = {"none": "no design (one point)", "grid": f"full factorial grid, {len(exp.points)} points",
              "knockout": f"knock-out: all on, all off and each factor off alone, {len(exp.points)} points",
              "lhs": f"Latin hypercube, {len(exp.points)} points", "sobol": f"Sobol (Saltelli) sample, {len(exp.points)} points",
              "morris": f"Morris trajectories, {len(exp.points)} points"}[exp.design.kind]
    scale = (f"{ctx.scale}: {', '.join(ctx.cpas)}" if ctx.scale != "national" else "national: all 21 CPAs")
    factor = (f"about 1/{ctx.national_factor:.0f} of national: counts and money are at this scale; multiply by "
              f"{ctx.national_factor:.1f} for a national equivalent" if ctx.national_factor > 1.0001 else
              "the whole of England and Wales")
    lines = ["## Set-up", "",
             f"- **Scenarios**: {', '.join(exp.scenarios)}; "
             + ("outcomes are summarised over the sampled points" if exp.design.kind in SAMPLED else
                f"baseline arm: {analysis.arm_label(exp, exp.baseline, exp.baseline_point)}") + ".",
             f"- **Design**: {design}" + (f" over {', '.join(exp.design.names())}" if exp.design.names() else "")
             + (" plus a dummy factor that picks the runs' random numbers (the noise floor)" if exp.design.dummy
                else "") + ".",
             f"- **Replications**: {exp.replications} per arm, with common random numbers: replication k has the same "
             f"seed in every arm, so differences between arms are paired. Seeds (from root seed {exp.root_seed}): "
             f"{seed_text}." + (" With the dummy factor a run's seed also depends on the dummy's value."
                                if exp.design.dummy else ""),
             f"- **Simulated period**: {ctx.run_start} to {ctx.run_end}.",
             f"- **Analysis window**: {ctx.window_start} to {ctx.window_end} ({ctx.window_years:.1f} years). Every "
             "outcome is over this window; totals are shown a year (window total / window length). Reoffending "
             f"rates count the cohorts that started in the window and closed by the end of the run (started by "
             f"{ctx.cohort_last_start}).",
             f"- **Scale**: {scale}; {factor}.",
             f"- **Runs**: {len(data.ok)} finished, {runs_failed} failed, of {m.get('runs_total', len(data.runs))}.",
             f"- **Code**: commit {sessions[-1]['git_commit'] if sessions else 'unknown'}, mesa "
             f"{sessions[-1]['versions'].get('mesa') if sessions else '?'}."]
    if exp.posterior is not None:
        draws = len({k // exp.posterior_repeats for k in range(exp.replications)})
        lines.append(f"- **Parameter uncertainty**: replication k ran with draw k // {exp.posterior_repeats} from the "
                     f"posterior of {exp.posterior.label()} ({len(exp.posterior.weights)} weighted particles of "
                     f"{', '.join(f'`{n}`' for n in exp.posterior.names)}), the same draw in every arm: {draws} "
                     f"draws, {exp.posterior_repeats} replication(s) each. Every interval in this report is over "
                     "draws (each draw's replications averaged first), so it holds parameter uncertainty as well as "
                     "chance; the section on parameter uncertainty and chance splits the two.")
    if m.get("extensions"):
        grown = "; ".join(f"{e['runs'][0]} -> {e['runs'][1]} runs ({e['utc'][:10]})" for e in m["extensions"])
        lines.append(f"- **Grown in place** (earlier runs kept): {grown}.")
    if data.adaptive:
        a = data.adaptive
        targets = ", ".join(f"{k} {number(v * data.info(k).factor)} {data.info(k).diff_unit}".strip()
                            for k, v in a["targets"].items())
        lines.append(f"- **Adaptive replications**: added until {a['criterion']} was at most {targets} (cap "
                     f"{a['max_replications']}): {' -> '.join(str(r['replications']) for r in a['rounds'])}; "
                     + ("every target reached." if a["stopped"] == "reached" else "stopped at the cap."))
    return lines + [""]


def _units(data) -> tuple[str, int]:
    """What an interval is over: replications, or with a posterior, draws (each the mean of ``per`` runs)."""
    exp = data.exp
    return ("draws", exp.posterior_repeats) if exp.posterior is not None else ("replications", 1)


def _certainty(info, row, data) -> str:
    n = int(row["n"])
    if analysis.clear(row):
        return f"the 95% interval excludes zero ({_p(row['p'])})"
    mde = row.get("min_detectable", math.nan)
    unit = _units(data)[0]
    mde_text = (f"; the smallest difference {n} {unit} would detect (80% power) is about "
                f"{number(mde * info.factor)}{_du(info)}" if math.isfinite(mde) else "")
    return f"not distinguishable from zero with {n} {unit}{mde_text}"


def _national(info, value: float, data) -> str:
    f = data.context.national_factor
    if not info.scales or f <= 1.0001 or not math.isfinite(value):
        return ""
    return f" (about {rounded(value * info.factor * f)}{' ' + info.unit if info.unit else ''} nationally)"


def findings_arms(data, diffs: pd.DataFrame) -> list[str]:
    """A sentence per key metric: each arm (or the largest) against the baseline arm."""
    out = []
    for m in data.exp.key_metrics:
        info = data.info(m)
        sel = diffs[diffs["metric"] == m]
        if sel.empty:
            continue
        if len(sel) == 1:
            r = sel.iloc[0]
            rel = f", {_relative(r['relative'])}" if math.isfinite(r["relative"]) else ""
            out.append(f"- **{info.label}**: {r['arm']} {_level(info, r['baseline_mean'] + r['mean'])} against "
                       f"{r['baseline']} {_level(info, r['baseline_mean'])}{_national(info, r['baseline_mean'], data)}: "
                       f"a difference of {_diff(info, r)}{_du(info)}{rel}; {_certainty(info, r, data)}.")
            continue
        if not np.isfinite(sel["mean"]).any():
            out.append(f"- **{info.label}**: no value in this window (see docs/metrics.md for when it applies).")
            continue
        r = sel.loc[sel["mean"].abs().idxmax()]
        n_clear = sum(analysis.clear(x) for _, x in sel.iterrows())
        out.append(f"- **{info.label}**: the largest difference from {r['baseline']} "
                   f"({_level(info, r['baseline_mean'])}) is {r['arm']}: {_diff(info, r)}{_du(info)}; "
                   f"{_certainty(info, r, data)}. {n_clear} of {len(sel)} arms differ clearly from the baseline.")
    return out


def findings_factorial(data, effects: pd.DataFrame) -> list[str]:
    """A sentence per key metric: the total, each factor's main effect and its share of the total."""
    out = []
    k = len(analysis.attribution_factors(data.exp))
    every = COUNT_WORDS.get(k, f"all {k}")
    what = f"switching {every} on" if analysis.switch_factors(data.exp) else f"moving {every} factors from low to high"
    for (s, m), sel in effects.groupby(["scenario", "metric"], sort=False):
        info = data.info(m)
        total = sel[sel["effect"] == "total"].iloc[0]
        mains = sel[sel["order"] == 1]
        inter = sel[sel["order"] > 1]
        scen = f" ({s})" if len(data.exp.scenarios) > 1 else ""
        main_text = ", ".join(f"{r['effect']} {_diff(info, r)}" for _, r in mains.iterrows())
        line = (f"- **{info.label}**{scen}: {what} changes it by {_diff(info, total)}{_du(info)}, from "
                f"{_level(info, total['all_low_mean'])} to {_level(info, total['all_low_mean'] + total['mean'])}"
                f"{_national(info, total['all_low_mean'], data)}; {_certainty(info, total, data)}. Main effects"
                f"{' (' + info.diff_unit + ')' if info.diff_unit else ''}: {main_text}.")
        clear_inter = [r["effect"] for _, r in inter.iterrows() if analysis.clear(r)]
        if clear_inter:
            line += f" Clear interactions: {', '.join(clear_inter)}."
        if analysis.clear(total):
            shares = [f"{r['effect']} {_share(r['share'])}" for _, r in mains.iterrows()]
            shares.append(f"interactions {_share(analysis.interaction_share(effects, s, m))}")
            odd = any(not -0.05 <= r["share"] <= 1.05 for _, r in mains.iterrows())
            line += (f" Shares of the total: {', '.join(shares)}"
                     + (" (a share outside 0-100% means effects that offset each other)." if odd else "."))
        else:
            best = mains.loc[mains["mean"].abs().fillna(-1).idxmax()]
            line += (f" The total is not distinguishable from zero, so shares of it are not meaningful; the largest "
                     f"main effect is {best['effect']} ({'clear' if analysis.clear(best) else 'not clear either'}).")
        out.append(line)
    return out


def findings_sampled(data, tables: dict[str, pd.DataFrame]) -> list[str]:
    out = []
    spread, idx = tables.get("spread"), tables.get("indices")
    corr = tables.get("rank_correlations")
    for _, r in spread.iterrows():
        info = data.info(r["metric"])
        line = (f"- **{info.label}** ({r['scenario']}): median {_level(info, r['median'])} over the sampled "
                f"space (2.5-97.5%: {_level(info, r['p2_5'])} to {_level(info, r['p97_5'])}).")
        key = "mu_star" if data.exp.design.kind == "morris" else "ST"
        if idx is not None and not idx.empty:
            sel = idx[(idx["scenario"] == r["scenario"]) & (idx["metric"] == r["metric"])]
            if not sel.empty:
                top = sel.loc[sel[key].fillna(-np.inf).idxmax()]
                above = {"yes": ", above the dummy's noise floor", "no": ", not above the dummy's noise floor"}
                line += (f" Most influential: {top['parameter']} ({'mu*' if key == 'mu_star' else 'ST'} "
                         f"{number(top[key] * (info.factor if key == 'mu_star' else 1))}"
                         f"{' ' + info.diff_unit if key == 'mu_star' else ''}{above.get(top['above_noise_floor'], '')}).")
        elif corr is not None and not corr.empty:
            sel = corr[(corr["scenario"] == r["scenario"]) & (corr["metric"] == r["metric"])].dropna()
            if not sel.empty:
                top = sel.loc[sel["spearman_rho"].abs().idxmax()]
                line += f" Strongest rank correlation: {top['parameter']} (rho {top['spearman_rho']:.2f})."
        out.append(line)
    return out


def section_findings(data, lines: list[str], tests: pd.DataFrame) -> list[str]:
    out = ["## Findings", "", "Differences are paired by replication; intervals are 95% Student t intervals over "
           "replications.", ""] + lines + [""]
    if tests is not None and not tests.empty:
        p = tests["p"].to_numpy(float)
        k = int(np.isfinite(p).sum())
        raw = int((p[np.isfinite(p)] < ALPHA).sum())
        kept = int(holm(p, ALPHA).sum())
        out += [f"**Multiple comparisons.** This report tests {k} differences of key outcomes against zero. At 95% "
                f"each, about {k * ALPHA:.1f} would exclude zero by chance alone if nothing differed; {raw} do. After "
                f"Holm's correction for the {k} tests (family-wise error 5%), {kept} remain"
                + (": " + ", ".join(f"{data.info(r['metric']).label} ({r['what']})"
                                    for (_, r), keep in zip(tests.iterrows(), holm(p, ALPHA)) if keep)
                   if 0 < kept <= 12 else "") + ".", ""]
    return out


def section_detectable(data, rows: pd.DataFrame, what: str) -> list[str]:
    """The minimum detectable effect and the replications to halve the interval, per key metric."""
    if rows.empty:
        return []
    unit, per = _units(data)
    n_units = -(-data.exp.replications // per)
    out = [f"## What {n_units} {unit} can detect" + (f" ({data.exp.replications} replications, {per} a draw)"
                                                       if per > 1 else ""), "",
           f"For {what}: the 95% half-width of the paired interval, the smallest true difference a paired t test "
           f"detects with {POWER:.0%} power at 5% (two-sided), and the replications that would halve the half-width "
           "(at the spread seen here). `run.py sweep SWEEP_DIR --replications N` adds replications to this sweep; "
           "`--until-halfwidth METRIC=VALUE` adds them until an interval is as narrow as asked.", ""]
    body = []
    for _, r in rows.iterrows():
        info = data.info(r["metric"])
        half = (r["high"] - r["low"]) / 2 if math.isfinite(r["high"]) else math.nan
        need = next((m for m in range(int(r["n"]) + 1, 100 * int(r["n"]) + 2)
                     if t_halfwidth(r["sd"], m) <= half / 2), math.nan) if math.isfinite(half) and half > 0 else math.nan
        body.append([with_unit(info, diff=True), r["what"], number(half * info.factor),
                     number(r["min_detectable"] * info.factor), str(need * per) if isinstance(need, int) else "n/a"])
    if unit == "draws" and n_units < 10:
        out += [f"**Few draws.** Intervals are t intervals over {n_units} draws ({n_units - 1} degrees of freedom), "
                "so they are wide and the split into parameter uncertainty and chance below is rough: sweep with "
                "10 or more draws (replications = draws x `--posterior-repeats`).", ""]
    return out + _table(["outcome", "comparison", "95% half-width", "smallest detectable", "replications to halve"],
                        body) + [""]


def section_outcomes(data, outcomes: pd.DataFrame) -> list[str]:
    exp = data.exp
    arms = list(dict.fromkeys(outcomes["arm"]))
    out = ["## Key outcomes by arm", "", f"Mean over {_units(data)[0]} ± the half-width of its 95% t interval.", ""]
    keys = [m for m in exp.key_metrics if m in set(outcomes["metric"])]
    cell = {(r["arm"], r["metric"]): r for _, r in outcomes.iterrows()}

    def text(arm, m):
        r, info = cell[(arm, m)], data.info(m)
        return plus_minus(r["mean"], r["low"], r["high"], info.factor)

    if len(arms) <= MANY_ARMS:
        rows = [[with_unit(data.info(m))] + [text(a, m) for a in arms] for m in keys]
        return out + _table(["outcome"] + arms, rows) + [""]
    rows = [[a] + [text(a, m) for m in keys] for a in arms]
    legend = "; ".join(f"({j + 1}) {with_unit(data.info(m))}" for j, m in enumerate(keys))
    return out + _table(["arm"] + [f"({j + 1})" for j in range(len(keys))], rows) + ["", f"Columns: {legend}.", ""]


def section_differences(data, diffs: pd.DataFrame, figs: FigureSet, title: str, figure: bool) -> list[str]:
    if diffs.empty:
        return []
    base = diffs["baseline"].iloc[0]
    out = [f"## {title}", "", f"Arm minus {base}, paired by replication: mean difference [95% interval] and the "
           "relative change.", ""]
    rows = []
    for _, r in diffs.iterrows():
        info = data.info(r["metric"])
        rel = _relative(r["relative"])
        rows.append([with_unit(info, diff=True), r["arm"], _diff(info, r), rel, _p(r["p"]), str(int(r["n"]))])
    out += _table(["outcome", "arm", "difference [95% CI]", "relative", "test", "pairs"], rows) + [""]
    if figure:
        out += [forest_figure(diffs, "arm", f"Differences against {base}", "effects", figs, data.info), ""]
    return out


def section_attribution(data, effects: pd.DataFrame, figs: FigureSet) -> list[str]:
    exp = data.exp
    factors = analysis.attribution_factors(exp)
    ranges = ", ".join(f"{analysis.short(f)} {analysis._value(v[0])} -> {analysis._value(v[1])}"
                       for f, v in exp.design.factors.items())
    if exp.design.kind == "knockout":
        out = ["## Attribution to factors (knock-out)", "", f"Factors, off -> on: {ranges}.",
               "**total** is every factor on minus every factor off. A factor's **effect** is every factor on minus "
               "every factor on but that one: what the total loses when that factor alone is knocked out. "
               "**interactions** is the total less the sum of the effects - the part that needs two or more factors "
               "together (negative where factors overlap, positive where they reinforce) - so effects plus "
               "interactions equal the total exactly, in every replication. Effects are computed within each "
               "replication (common seeds) with 95% intervals over replications; a factor's **share** is its "
               "effect over the total (shown only where the total's interval excludes zero).", ""]
    else:
        out = ["## Attribution to factors (two-level factorial)", "", f"Factors, low -> high: {ranges}.",
               "**total** is every factor high minus every factor low. A **main effect** is the mean change when "
               "that factor goes from low to high, averaged over the settings of the others; an **interaction** is "
               "how much one factor's effect depends on the others. Effects are computed within each replication "
               "(common seeds) with 95% intervals over replications. In a two-level factorial the total equals the "
               "sum of the main effects and the odd-order interactions; a factor's **share** is its main effect "
               "over the total (shown only where the total's interval excludes zero).", ""]
    main_names = [analysis.effect_label((f,)) for f in factors]
    inter_names = [n for n in dict.fromkeys(effects["effect"]) if n != "total" and n not in main_names]
    for s, by_s in effects.groupby("scenario", sort=False):
        if len(exp.scenarios) > 1:
            out += [f"### {s}", ""]
        rows, share_rows, inter_rows = [], [], []
        for m, sel in by_s.groupby("metric", sort=False):
            info = data.info(m)
            get = {r["effect"]: r for _, r in sel.iterrows()}
            rows.append([with_unit(info, diff=True)] + [_diff(info, get[e]) for e in ["total"] + main_names])
            inter_rows.append([with_unit(info, diff=True)] + [_diff(info, get[e]) for e in inter_names])
            if analysis.clear(get["total"]):
                share_rows.append([info.label] + [_share(get[e]["share"]) for e in main_names]
                                  + [_share(analysis.interaction_share(effects, s, m))])
            else:
                share_rows.append([info.label] + ["-"] * len(main_names) + ["-"])
        out += ["Effects [95% CI]:", ""] + _table(["outcome", "total"] + main_names, rows) + [""]
        out += ["Each factor's share of the total:", ""] + _table(["outcome"] + main_names + ["interactions"],
                                                                  share_rows) + [""]
        if inter_names:
            out += ["Interactions [95% CI]:", ""] + _table(["outcome"] + inter_names, inter_rows) + [""]
        several = len(exp.scenarios) > 1
        out += [forest_figure(by_s.rename(columns={"effect": "name"}), "name", f"Effects ({s})" if several else "Effects",
                              f"effects_{s}" if several else "effects", figs, data.info), ""]
    return out


def section_parameter_uncertainty(data, table: pd.DataFrame) -> list[str]:
    """How much of each outcome's and each difference's spread comes from the posterior and how much from chance."""
    exp = data.exp
    out = ["## Parameter uncertainty and chance", "",
           "Each run's outcome differs from the true mean for two reasons: its parameters (a posterior draw: "
           "**parameter uncertainty**) and its random numbers (**chance**). Runs that share a draw differ by chance "
           "alone, so a one-way random-effects analysis of variance over draws splits a run's variance into the "
           "variance between the draws' true means (parameters) and the variance within a draw (chance), estimated "
           "from the mean squares between and within draws (a negative between-draw estimate is shown as 0%). "
           "**Of one run** is the parameter share of a single run's variance; **of the interval** is its share of "
           "the variance of the mean over draws, which sets the 95% intervals above: chance shrinks with more "
           "replications per draw, parameter uncertainty only with more draws. Differences between arms are paired "
           "(same draw, same seed), so much of both cancels in them.", ""]
    if exp.posterior_repeats < 2:
        return out + ["Each draw was run once, so the two cannot be told apart here; sweep with "
                      "`--posterior-repeats 2` (the default) or more.", ""]
    rows = []
    for _, r in table.iterrows():
        info = data.info(r["metric"])
        sd = math.sqrt(r["param_var"] + r["chance_var"]) if math.isfinite(r["param_var"]) else math.nan
        unit = info.diff_unit if r["kind"] == "difference" else info.unit
        rows.append([info.label, r["arm"], f"{number(sd * info.factor)} {unit}".strip() if math.isfinite(sd) else "n/a",
                     _share(r["param_share"]), _share(1 - r["param_share"]) if math.isfinite(r["param_share"]) else "n/a",
                     _share(r["param_share_of_mean"]), f"{int(r['draws'])} x {r['runs'] / max(r['draws'], 1):g}"])
    return out + _table(["outcome", "arm or difference", "SD of one run", "parameters, of one run", "chance, of one run",
                         "parameters, of the interval", "draws x runs"], rows) + [""]


def section_series(data, figs: FigureSet) -> list[str]:
    if data.series.empty or not data.exp.report_series:
        return []
    sampled = data.exp.design.kind in ("lhs", "sobol", "morris")
    n_arms = len(analysis.arms(data.exp, data.ok))
    bands = ("every arm" if n_arms <= 4 else "the baseline arm and the last arm (the others: lines only, for legibility)")
    out = ["## Weekly series", "",
           ("Median and 2.5-97.5% envelope over all sampled points and replications, by scenario. " if sampled else
            f"Mean over replications with a 95% t band ({bands}); each run is first smoothed with a 13-week rolling "
            "mean. ") + "Dashed lines mark the policy events.", ""]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # weeks where a series is undefined (e.g. CRC before 2014)
        for name in data.exp.report_series:
            out += [series_figure(data, name, figs), ""]
    return out


def section_units(data) -> list[str]:
    keys = data.exp.key_metrics
    rows = []
    for m in keys:
        info = data.info(m)
        how = {"share": "share of the group, shown as %; differences in percentage points (pp)",
               "money": "GBP millions over the window",
               "per_year": "count a year over the window",
               "total": "window total divided by the window's length in years",
               "index": "index from 0 to 1",
               "level": "mean over the window" if info.scales else "ratio over the window",
               "other": "defined in the experiment file ([custom_metrics])"}[info.kind]
        rows.append([f"`{m}`", info.label, info.unit or "-", how + ("; scales with the population" if info.scales else "")])
    return ["## Units and definitions", "", "Definitions of the model's metrics: docs/metrics.md.", ""] + _table(
        ["key", "label", "unit", "how"], rows) + [""]


def section_appendix(data, outcomes: pd.DataFrame, csv: bool) -> list[str]:
    arms = list(dict.fromkeys(outcomes["arm"]))
    out = ["## Appendix: every metric by arm", ""]
    if len(arms) > MANY_ARMS:
        return out + [f"{len(arms)} arms: see `tables/outcomes.csv` (`run.py compare --csv`) or `runs.parquet`.", ""]
    rows = []
    for m in data.exp.all_metrics():
        sel = outcomes[outcomes["metric"] == m].set_index("arm")
        info = data.info(m)
        rows.append([f"{with_unit(info)}"] + [plus_minus(sel.loc[a, "mean"], sel.loc[a, "low"], sel.loc[a, "high"],
                                                         info.factor) if a in sel.index else "n/a" for a in arms])
    return out + ["Mean ± 95% half-width.", ""] + _table(["metric"] + arms, rows) + [""]


def section_files(data, csv: bool) -> list[str]:
    return ["## Files", "",
            "- `runs.parquet`: one row per run (ids, seed, design values, status, every metric over the window);",
            "- `series.parquet`: one row per run and week, with the design values;",
            "- `by_year.parquet`: one row per run, metric and calendar year (the `*_by_year` figures);",
            ("- `tables/*.csv`: every table of this report in stored units (shares as 0-1)." if csv else
             "- `run.py compare --csv` writes every table of this report to `tables/*.csv`; "
             "`run.py sweep ... --csv` writes the three tables above as CSV."), ""]


def _tests_factorial(effects: pd.DataFrame) -> pd.DataFrame:
    sel = effects.copy()
    sel["what"] = sel["effect"]
    return sel[["metric", "what", "p"]]


def _tests_diffs(diffs: pd.DataFrame) -> pd.DataFrame:
    sel = diffs.copy()
    sel["what"] = sel["arm"]
    return sel[["metric", "what", "p"]]


def write_report(folder: Path, *, formats: tuple[str, ...] = ("png",), dpi: int = DEFAULT_DPI,
                 csv: bool = False) -> Path:
    """Write report.md and figures/* into the sweep folder (and tables/*.csv if asked); the report's path."""
    data = sweep_data.load(folder)
    if data.ok.empty:
        raise ParameterError(f"{folder}: no finished runs to compare")
    exp = data.exp
    figs = FigureSet(Path(folder) / "figures", formats, dpi)
    tables: dict[str, pd.DataFrame] = {}
    body, finding_lines, tests, detect = [], [], None, pd.DataFrame()
    sampled = exp.design.kind in ("lhs", "sobol", "morris")
    if not sampled:
        effects = (analysis.knockout if exp.design.kind == "knockout" else analysis.factorial)(exp, data.ok)
        raw = {"outcomes": analysis.outcomes(exp, data.ok), "differences": analysis.differences(exp, data.ok),
               "effects": effects}
        tables.update(raw)
        outcomes, diffs, effects = raw["outcomes"], raw["differences"], raw["effects"]
        body += section_outcomes(data, outcomes[outcomes["metric"].isin(exp.key_metrics)])
        if not effects.empty:
            finding_lines = findings_factorial(data, effects)
            tests = _tests_factorial(effects)
            body += section_attribution(data, effects, figs)
            mains = effects[effects["order"] == 1]
            mains = mains[np.isfinite(mains["min_detectable"])]
            widest = mains.loc[mains.groupby(["scenario", "metric"], sort=False)["min_detectable"].idxmax()]
            detect = pd.concat([effects[effects["order"] == 0].assign(what="total"),
                                widest.assign(what="widest main effect")]).sort_index(kind="stable")
        elif not diffs.empty:
            finding_lines = findings_arms(data, diffs)
            tests = _tests_diffs(diffs)
            known = diffs[np.isfinite(diffs["min_detectable"])]
            widest = known.loc[known.groupby("metric", sort=False)["min_detectable"].idxmax()]
            detect = widest.assign(what=widest["arm"])
        body += section_differences(data, diffs, figs, "Paired differences against the baseline arm"
                                    if effects.empty else "Appendix: every arm against the baseline arm",
                                    figure=effects.empty)
        if exp.posterior is not None:
            tables["uncertainty"] = analysis.uncertainty(exp, data.ok)
            body += section_parameter_uncertainty(data, tables["uncertainty"])
    else:
        lines, t = sensitivity.section_uncertainty(data, figs)
        body += lines
        tables.update(t)
        if exp.design.kind in ("sobol", "morris"):
            lines, t = sensitivity.section_indices(data, figs)
            body += lines
            tables.update(t)
        finding_lines = findings_sampled(data, tables)
    body += section_series(data, figs)
    lines = [f"# Sweep report: {exp.name}", "", exp.description, ""] + section_setup(data)
    lines += section_findings(data, finding_lines, tests)
    lines += section_detectable(data, detect, "the total and the widest main effect of each key outcome"
                                if not sampled and not tables["effects"].empty else
                                "each key outcome's widest paired difference against the baseline arm")
    lines += body + section_units(data)
    if not sampled:
        lines += section_appendix(data, outcomes, csv)
    lines += section_files(data, csv)
    if csv:
        tdir = Path(folder) / "tables"
        tdir.mkdir(exist_ok=True)
        for name, frame in tables.items():
            if not frame.empty:
                atomic_write_text(tdir / f"{name}.csv", frame.to_csv(index=False, float_format="%.10g",
                                                                     lineterminator="\n"))
    path = Path(folder) / "report.md"
    atomic_write_text(path, "\n".join(lines) + "\n")
    return path
