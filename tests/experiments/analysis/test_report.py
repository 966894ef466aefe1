"""`compare`: statistics, units and the report a researcher reads (set-up, findings, detectable effects,
multiple comparisons, attribution with shares, sensitivity with a noise floor) and its figures."""

from __future__ import annotations

import itertools
import math
import re

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from scipy import stats

from experiments.analysis import comparisons as analysis
from experiments.analysis import sensitivity
from experiments.analysis.report import write_report
from experiments.analysis.statistics import estimate, factorial_effects, holm, mean_ci, min_detectable, paired_diff, t_halfwidth
from experiments.analysis.units import interval, metric_info, number, plus_minus, rounded, series_info
from experiments.sweeps import data as sweep_data
from experiments.sweeps import designs, experiment_file, sweep
from model.world import geography
from run import main
from tests.sweep_helpers import TINY, runs, write_experiment


def test_mean_ci_is_the_student_t_interval():
    m, lo, hi, n = mean_ci([1.0, 2.0, 3.0, float("nan")])
    assert (m, n) == (2.0, 3)
    assert hi - m == pytest.approx(4.302652729911275 * 1.0 / math.sqrt(3))  # t(0.975, 2) * sd / sqrt(n)
    assert lo == pytest.approx(2 * m - hi)
    assert math.isnan(mean_ci([5.0])[1])
    assert paired_diff({0: 3.0, 1: 5.0, 2: 9.0}, {0: 1.0, 1: 2.0})[::3] == (2.5, 2)
    assert t_halfwidth(1.0, 3) == pytest.approx(hi - m)
    assert t_halfwidth(1.0, 4) / t_halfwidth(1.0, 4, 0.9) == pytest.approx(stats.t.ppf(0.975, 3) / stats.t.ppf(0.95, 3))


def test_estimate_p_value_is_the_paired_t_test_and_the_detectable_effect_its_power_formula():
    x = [0.3, -0.1, 0.5, 0.2, 0.4, 0.1]
    e = estimate(x)
    assert e["p"] == pytest.approx(stats.ttest_1samp(x, 0.0).pvalue)
    assert e["sd"] == pytest.approx(np.std(x, ddof=1))
    # (t_0.975,9 + t_0.80,9) * sd / sqrt(10) = (2.2622 + 0.8834) / 3.1623
    assert min_detectable(1.0, 10) == pytest.approx(0.99473, abs=1e-4)
    assert math.isnan(min_detectable(1.0, 1))


def test_holm_rejects_step_down():
    # sorted: 0.005 <= .05/4, 0.01 <= .05/3, 0.03 > .05/2 -> stop
    assert list(holm([0.01, 0.04, 0.03, 0.005])) == [True, False, False, True]
    assert list(holm([0.2, float("nan"), 0.001])) == [False, False, True]


def test_factorial_effects_recover_a_known_linear_model_with_interaction():
    def y(a, b, c):
        return 1 + 2 * a + 0.5 * b - 1.0 * c + 3 * a * b

    data = {lv: y(*lv) for lv in itertools.product((0, 1), repeat=3)}
    eff = factorial_effects(data, ["a", "b", "c"])
    assert eff[("a",)] == pytest.approx(3.5) and eff[("b",)] == pytest.approx(2.0) and eff[("c",)] == pytest.approx(-1.0)
    assert eff[("a", "b")] == pytest.approx(1.5) and eff[("a", "c")] == 0 and eff[("a", "b", "c")] == 0
    odd = sum(v for k, v in eff.items() if len(k) % 2)
    assert odd == pytest.approx(data[(1, 1, 1)] - data[(0, 0, 0)])  # the report's "total" identity


def test_metric_units_come_from_name_conventions_with_a_table_and_a_fallback():
    rate = metric_info("reoffending_rate")
    assert (rate.unit, rate.diff_unit, rate.factor) == ("%", "pp", 100.0)
    group = metric_info("reoffending_rate_female")  # a per-group key the table does not list
    assert group.label == "proven reoffending rate, female" and group.diff_unit == "pp"
    assert metric_info("crc_fees_gbp_m").unit == "GBP m" and metric_info("crc_fees_gbp_m").scales
    new = metric_info("offences_per_year")
    assert (new.unit, new.kind, new.scales) == ("a year", "per_year", True)
    total = metric_info("victims_total", window_years=4.0)
    assert total.unit == "a year" and total.show(4000.0) == "1,000"
    assert metric_info("victims_total").unit == "in the window"
    assert metric_info("police_probation_trust").unit == "index 0-1"
    odd = metric_info("widget_count")
    assert (odd.label, odd.unit, odd.factor) == ("widget count", "", 1.0)
    assert series_info("crc_income_gbp") == ("CRC income", "GBP thousand a week", 1e-3)
    assert series_info("caseload_nps")[0] == "cases per officer, NPS"


def test_numbers_are_formatted_for_reading():
    assert number(50650.3) == "50,650" and "e" not in number(12345678.9)
    assert number(0.0051051) == "0.00511"
    assert interval(0.001905, -0.005, 0.0088, 100, signed=True) == "+0.19 [-0.50, +0.88]"
    assert plus_minus(0.4531, 0.449, 0.457, 100) == "45.31 ± 0.40"
    assert plus_minus(68.35443, 68.35443 - 1e-14, 68.35443 + 1e-14) == "68.4 ± 0.0"  # no spurious digits
    assert rounded(1122438) == "1,120,000"
    assert number(-0.0001, 2, signed=True) == "0.00"


def test_national_factor_is_computed_from_the_geography():
    factor, cpas = sweep_data.national_factor("small", 235_000)
    chosen, fraction = geography.select("small", 235_000)
    share = sum(c.weight for c in chosen) / sum(c.weight for c in geography.CPAS)
    assert factor == pytest.approx(1 / (share * fraction)) and 117 < factor < 118
    assert cpas == ["Cumbria and Lancashire"]
    assert sweep_data.national_factor("national", 235_000)[0] == pytest.approx(1.0)


GRID = TINY.format(reps=3, end="2011-09-30").replace('scenarios = ["pre_tr", "tr"]', 'scenarios = ["tr"]') + """
[design]
kind = "grid"
[design.factors]
"tr.mechanisms.relationships" = [false, true]
"tr.mechanisms.interagency" = [false, true]
[report]
key_metrics = ["police_probation_trust", "recalls_per_year"]
series = ["police_probation_trust", "recalls"]
"""


@pytest.fixture(scope="module")
def grid_sweep(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("grid")
    out = tmp / "s"
    sweep.run_sweep(experiment_file.load(write_experiment(tmp, GRID)), out, workers=1, progress=False)
    return out


def test_grid_report_states_set_up_findings_shares_detectable_effect_and_multiple_comparisons(grid_sweep):
    out = grid_sweep
    report = write_report(out).read_text()
    table = runs(out)
    assert "e+" not in report and "e-0" not in report  # no scientific notation
    # set-up: window, scale with the national factor, seeds
    assert "- **Analysis window**: 2011-01-01 to 2011-09-30 (0.7 years)" in report
    assert "about 1/118 of national" in report and "multiply by 117.5" in report
    seeds = experiment_file.replication_seeds(11, 3)
    assert f"Seeds (from root seed 11): {seeds[0]}, {seeds[1]}, {seeds[2]}." in report
    # the finding for trust: the total (both on minus both off), recomputed from the runs table
    on_i, on_r = table["tr.mechanisms.interagency"], table["tr.mechanisms.relationships"]
    total = [table[(table.replication == k) & on_i & on_r]["police_probation_trust"].iloc[0]
             - table[(table.replication == k) & ~on_i & ~on_r]["police_probation_trust"].iloc[0] for k in range(3)]
    m, lo, hi, _ = mean_ci(total)
    assert m < 0 and hi < 0  # TR's effect on inter-agency working lowers trust once the split has happened
    finding = next(line for line in report.splitlines() if line.startswith("- **police-probation trust**"))
    assert f"switching both on changes it by {interval(m, lo, hi, signed=True)} index points" in finding
    assert "the 95% interval excludes zero" in finding and "Shares of the total: relationships" in finding
    share = re.search(r"interagency (-?\d+)%", finding).group(1)
    eff = analysis.factorial(experiment_file.load(out / "experiment.toml"), table[table.status == "ok"])
    row = eff[(eff.metric == "police_probation_trust") & (eff.effect == "interagency")].iloc[0]
    assert int(share) == round(100 * row["share"]) and 95 <= int(share) <= 105
    # recalls: a per-year count, with its national equivalent
    assert re.search(r"- \*\*recalls to custody\*\*: .* a year \(about [\d,]+ a year nationally\)", report)
    # 2 key metrics x (total + 2 main effects + 1 interaction) tests
    assert "This report tests 8 differences of key outcomes against zero" in report
    assert "## What 3 replications can detect" in report and "| police-probation trust (index points) | total |" in report
    assert "| outcome | total | relationships | interagency |" in report
    assert "| outcome | relationships | interagency | interactions |" in report
    assert (out / "figures" / "effects.png").is_file() and (out / "figures" / "series_recalls.png").is_file()
    assert "## Appendix: every arm against the baseline arm" in report


def test_report_figure_formats_dpi_and_csv_tables(grid_sweep, capsys):
    out = grid_sweep
    assert main(["compare", str(out), "--format", "png,pdf,svg", "--dpi", "120", "--csv"]) == 0
    figs = out / "figures"
    for ext in ("png", "pdf", "svg"):
        assert (figs / f"effects.{ext}").stat().st_size > 3000
    assert Image.open(figs / "series_recalls.png").size[0] == 7 * 120  # a 7-inch page width at 120 dpi
    effects = pd.read_csv(out / "tables" / "effects.csv")
    assert set(effects["effect"]) == {"total", "relationships", "interagency", "relationships x interagency"}
    assert (effects.loc[effects.effect == "total", "share"] == 1.0).all()
    outcomes = pd.read_csv(out / "tables" / "outcomes.csv")
    assert outcomes["arm"].nunique() == 4 and outcomes["metric"].nunique() > 30  # every metric, stored units
    assert main(["compare", str(out), "--format", "png,tiff"]) == 2
    assert "tiff" in capsys.readouterr().err
    assert main(["compare", str(out), "--dpi", "5"]) == 2


def test_morris_with_a_dummy_factor_ranks_above_the_noise_floor(tmp_path):
    text = TINY.format(reps=1, end="2011-06-30").replace('scenarios = ["pre_tr", "tr"]', 'scenarios = ["tr"]') + """
[design]
kind = "morris"
samples = 3
dummy = true
[design.factors]
"information.reorganisation_shock" = { low = 0.0, high = 0.5 }
"offending.base_rate" = { low = 0.03, high = 0.08 }
[report]
key_metrics = ["offences_total", "police_probation_trust"]
series = ["recalls"]
"""
    exp = experiment_file.load(write_experiment(tmp_path, text))
    assert exp.design.matrix.shape == (3 * 4, 3) and all(set(p) == set(exp.design.names()) for p in exp.points)
    # the dummy picks the random numbers: a step that moves a parameter keeps the seed, one that moves the dummy
    # changes it
    seeds = [s.seed for s in exp.plan()]
    for a, b in zip(range(len(seeds) - 1), range(1, len(seeds))):
        if b % 4:  # steps within a trajectory (each has 3 + 1 points)
            same_dummy = exp.design.matrix[a, 2] == exp.design.matrix[b, 2]
            assert (seeds[a] == seeds[b]) == same_dummy
    out = tmp_path / "m"
    sweep.run_sweep(exp, out, workers=1, progress=False)
    assert "dummy" in runs(out).columns  # the dummy's sampled values are kept with the design values
    report = write_report(out).read_text()
    assert "## Global sensitivity (Morris elementary effects)" in report
    rows = [line for line in report.splitlines() if line.startswith("| offences | ")]
    assert [r.split(" | ")[1] for r in rows][0] == "offending.base_rate"  # the offending rate dominates offences
    assert rows[0].endswith("| yes |")  # and clearly above the dummy's mu*
    floor = next(r for r in rows if r.split(" | ")[1] == "dummy")
    assert not floor.split(" | ")[2].startswith("0.00")  # a new seed moves offences: the floor is above zero
    trust = [line for line in report.splitlines() if line.startswith("| police-probation trust | ")]
    assert trust[0].split(" | ")[1] == "information.reorganisation_shock"
    assert (out / "figures" / "morris_tr_offences_total.png").is_file()
    assert (out / "figures" / "scatter_tr_offences_total.png").is_file()
    assert "Spearman rank correlation" in report


def test_sobol_small_sample_warnings_and_error_bars_that_stop_at_zero():
    r = {"S1": np.array([-0.35, 0.4]), "S1_conf": np.array([0.1, 0.1]), "ST": np.array([1.63, 0.5]),
         "ST_conf": np.array([0.2, 0.1])}
    w = sensitivity.sobol_warnings(r, ["a.x", "b.y"])
    assert "x: S1 = -0.35 < 0" in w and "x: ST = 1.63 > 1" in w and not any(s.startswith("y") for s in w)

    import matplotlib.pyplot as plt

    from experiments.analysis.figures import _bars

    fig, ax = plt.subplots()
    _bars(ax, ["p", "q"], np.array([0.05, 0.5]), np.array([0.2, 0.1]), np.array([0, 1]), "tab:blue")
    segments = ax.collections[0].get_segments()  # one horizontal error bar per bar: [(low, y), (high, y)]
    assert segments[0][0][0] == pytest.approx(0.0)  # 0.05 - min(0.2, 0.05): the interval stops at zero
    assert segments[0][1][0] == pytest.approx(0.25) and segments[1][0][0] == pytest.approx(0.4)
    plt.close(fig)


def test_morris_indices_rank_a_known_function():
    design = designs.parse({"kind": "morris", "samples": 8, "factors": {
        "finance.pbr_share": {"low": 0.0, "high": 1.0}, "supervision.effect_max": {"low": 0.0, "high": 1.0},
        "iom.offending_effect": {"low": 0.0, "high": 1.0}}})
    design.points(3)
    y = 3.0 * design.matrix[:, 0] + 1.0 * design.matrix[:, 1]

    class Exp:
        root_seed = 3

    Exp.design = design
    r = sensitivity.indices(Exp, y)
    assert r["mu_star"][2] == 0 and r["mu_star"][0] == pytest.approx(3 * r["mu_star"][1])
    assert (r["mu_star_conf"] >= 0).all()
