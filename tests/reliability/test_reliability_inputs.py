"""Every bad input found by trying the program as a careless user would, as a regression test: one line
naming what and why, exit code 2, nothing written, and found before any simulation runs."""

from __future__ import annotations

import json
import shutil
import socket

import pytest

from experiments import scenarios, simulate
from experiments.sweeps import experiment_file
from model.parameters import ParameterError
from tests.cli_helpers import assert_one_line_error, run_cli, snapshot
from tests.conftest import ROOT
from tests.reliability import reliability_log
from tests.sweep_helpers import TINY, write_experiment

BASE = TINY.format(reps=2, end="2011-06-30")
QUICK = ["--end", "2011-03-31", "--no-plots"]


@pytest.fixture
def no_simulation(monkeypatch):
    """A simulation that starts fails the test: bad input must be found before the run, not after it."""
    def refuse(*args, **kwargs):
        raise AssertionError("a simulation ran although the input was bad")

    monkeypatch.setattr(simulate, "run", refuse)


@pytest.fixture
def scenario_dir(tmp_path, monkeypatch):
    """A copy of the scenario folder that a test may spoil."""
    folder = tmp_path / "scenarios"
    shutil.copytree(scenarios.SCENARIO_DIR, folder)
    monkeypatch.setattr(scenarios, "SCENARIO_DIR", folder)
    return folder


def expect_error(argv, capsys, *fragments, kind: str, entry: str | None = None) -> str:
    code, err, _ = run_cli(argv, capsys)
    line = assert_one_line_error(code, err, *fragments)
    reliability_log.tried(entry or f"run.py {argv[0]}", kind, "one-line error")
    return line


# --- tracebacks, now one line -------------------------------------------------------------------------

def test_a_non_utf8_scenario_file_is_one_line_and_the_other_scenarios_still_list(scenario_dir, tmp_path, capsys,
                                                                                   no_simulation):
    (scenario_dir / "latin1.toml").write_bytes('description = "caf\xe9"\n'.encode("latin-1"))
    expect_error(["simulate", "--scenario", "latin1", "--out", str(tmp_path / "o")], capsys,
                 "scenario latin1", "not UTF-8", "0xe9", kind="non-UTF-8 file")
    code, err, out = run_cli(["scenarios"], capsys)
    assert code == 0 and not err
    listed = dict(line.split(None, 1) for line in out.splitlines())
    assert "not UTF-8" in listed["latin1"] and listed["tr"].startswith("TR as implemented")
    assert len(listed) == len(scenarios.names())
    assert not (tmp_path / "o").exists()


def test_a_non_utf8_experiment_file_is_one_line(tmp_path, capsys):
    path = tmp_path / "x.toml"
    path.write_bytes(BASE.encode() + b"\n# \xff\xfe\n")
    expect_error(["sweep", str(path), "--out", str(tmp_path / "o")], capsys, "x.toml", "not UTF-8", "0xff",
                 kind="non-UTF-8 file")
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("out,fragment", [
    ("a-file", "exists and is not a folder"),
    ("a-file/sub", "is not a folder"),
    ("/dev/null/x", "is not a folder"),
    ("n" * 300, "longer than 255 bytes"),
    ("busy", "not a run's results"),
    (".", "not a run's results"),
])
def test_an_out_folder_that_cannot_be_written_is_found_before_the_run(tmp_path, capsys, no_simulation, out, fragment):
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    out = out if out.startswith("/") else str(tmp_path / out)
    before = snapshot(tmp_path)
    expect_error(["simulate", *QUICK, "--out", str(out)], capsys, fragment, kind="--out that cannot be written")
    assert snapshot(tmp_path) == before


def test_an_out_folder_on_a_read_only_file_system_is_found_before_the_run(read_only_dir, capsys, no_simulation):
    for out in (read_only_dir / "run", read_only_dir / "deeper" / "run"):
        line = expect_error(["simulate", *QUICK, "--out", str(out)], capsys, "cannot write into",
                            kind="--out that cannot be written")
        assert "read-only file system" in line or "permission denied" in line
    assert list(read_only_dir.iterdir()) == []


@pytest.mark.parametrize("address", ["bogus", "tcp://", "http://127.0.0.1:8786", "tcp://127.0.0.1:99999",
                                     "tcp://no-such-host.invalid:8786", "tcp://a b:1"])
def test_a_bad_scheduler_address_is_one_line(tmp_path, capsys, address):
    path = write_experiment(tmp_path)
    expect_error(["sweep", str(path), "--scheduler", address, "--out", str(tmp_path / "o")], capsys, "--scheduler",
                 kind="bad --scheduler")
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("damage,fragment", [
    (lambda m: m.write_text('{"experiment": "tiny", '), "not JSON"),
    (lambda m: m.write_bytes(b"\xff\xfe{}"), "not UTF-8"),
    (lambda m: m.write_text("[1, 2]"), "not a JSON object"),
    (lambda m: m.write_text(json.dumps({**json.loads(m.read_text()), "settings": 5})), "'settings' missing or not dict"),
    (lambda m: m.write_text(json.dumps({**json.loads(m.read_text()), "sessions": [1]})), "sessions"),
])
def test_a_damaged_sweep_manifest_is_one_line_for_sweep_and_compare(tmp_path, capsys, damage, fragment):
    from experiments.sweeps import sweep

    path = write_experiment(tmp_path)
    out = tmp_path / "s"
    sweep.run_sweep(experiment_file.load(path), out, workers=1, progress=False)
    damage(out / "manifest.json")
    before = snapshot(out)
    expect_error(["sweep", str(path), "--out", str(out), "--workers", "1"], capsys, "manifest.json", "damaged",
                 fragment, kind="damaged manifest.json")
    expect_error(["compare", str(out)], capsys, "manifest.json", fragment, kind="damaged manifest.json")
    assert snapshot(out) == before


def test_a_damaged_table_is_one_line_for_compare(tmp_path, capsys):
    from experiments.sweeps import sweep

    path = write_experiment(tmp_path)
    out = tmp_path / "s"
    sweep.run_sweep(experiment_file.load(path), out, workers=1, progress=False)
    (out / "runs.parquet").write_bytes(b"PAR1 not really")
    expect_error(["compare", str(out)], capsys, "runs.parquet", "is damaged", "run the same sweep", kind="damaged table")
    assert not (out / "report.md").exists()


@pytest.mark.parametrize("target,fragment", [
    (lambda t: t, "is a folder, not a file"),
    (lambda t: "/dev/null/bench.json", "is not a folder"),
])
def test_bench_json_that_cannot_be_written_is_found_before_the_bench(tmp_path, capsys, monkeypatch, target, fragment):
    import experiments.benchmark as benchmark

    def refuse(*args, **kwargs):
        raise AssertionError("the benchmark ran although --json cannot be written")

    monkeypatch.setattr(benchmark, "run_benchmark", refuse)
    expect_error(["bench", "--scales", "small", "--years", "0.1", "--json", str(target(tmp_path))], capsys, "--json",
                 fragment, kind="--json that cannot be written")


def test_bench_json_on_a_read_only_file_system_is_found_before_the_bench(read_only_dir, capsys, monkeypatch):
    import experiments.benchmark as benchmark

    monkeypatch.setattr(benchmark, "run_benchmark", lambda *a, **k: pytest.fail("the benchmark ran"))
    expect_error(["bench", "--scales", "small", "--json", str(read_only_dir / "b.json")], capsys, "cannot write into",
                 kind="--json that cannot be written")


@pytest.mark.parametrize("args,text,fragments", [
    (["--replications", "1000000000"], BASE, ["2,000,000,000 runs", "at most 1,000,000"]),
    ([], BASE + '[design]\nkind = "lhs"\nsamples = 2000000000\n[design.factors]\n'
              '"finance.pbr_share" = {low = 0.0, high = 0.2}\n', ["2,000,000,000 points", "at most 100,000"]),
    ([], BASE + '[design]\nkind = "grid"\n[design.factors]\n' + "".join(
        f'"needs.prevalence_{n}" = [{", ".join(str(i / 100) for i in range(40))}]\n'
        for n in ("accommodation", "employment", "substance", "mental_health")), ["2,560,000 points"]),
    ([], BASE + '[design]\nkind = "sobol"\nsamples = 1073741824\n[design.factors]\n'
              '"finance.pbr_share" = {low = 0.0, high = 0.2}\n', ["points"]),
])
def test_huge_plans_are_refused_before_they_are_made(tmp_path, capsys, args, text, fragments):
    path = write_experiment(tmp_path, text)
    expect_error(["sweep", str(path), *args, "--out", str(tmp_path / "o")], capsys, *fragments, kind="huge plan")


@pytest.mark.parametrize("name,value", [("risk.ogrs_mean_community", 0), ("risk.ogrs_mean_community", 100),
                                        ("risk.ogrs_mean_short_custody", 0), ("risk.ogrs_mean_long_custody", 100),
                                        ("voluntary.grant_share", 1), ("information.initial_trust", 0)])
def test_values_the_model_cannot_run_are_outside_the_documented_bounds(tmp_path, capsys, no_simulation, name, value):
    expect_error(["simulate", *QUICK, "--set", f"{name}={value}", "--out", str(tmp_path / "o")], capsys, name,
                 "expected a value in", kind="value outside the bounds")


# --- silent acceptance, now refused ------------------------------------------------------------------

@pytest.mark.parametrize("name", ["../../pyproject", "../scenarios/tr", "/etc/passwd", "tr/../tr", "tr.toml", "",
                                  "tr\n", "tr\x1b[2J"])
def test_scenario_names_that_are_paths_are_refused(tmp_path, capsys, no_simulation, name):
    before = snapshot(ROOT / "experiments")
    line = expect_error(["simulate", "--scenario", name, *QUICK, "--out", str(tmp_path / "o")], capsys, "scenario",
                        kind="scenario name that is a path")
    assert "\x1b" not in line and "\n" not in line
    assert snapshot(ROOT / "experiments") == before
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("argv,fragments", [
    (["--set", "run.scale=huge", "--scale", "small"], ["run.scale", "given twice", "--scale"]),
    (["--set", "run.seed=4", "--seed", "5"], ["run.seed", "given twice"]),
    (["--set", "finance.pbr_share=0.1", "--set", "finance.pbr_share=0.2"], ["finance.pbr_share", "given twice"]),
    (["--set", "metrics.window_start=2011-03-01", "--set", "metrics.window_end=2011-02-01"],
     ["metrics.window_end", "2011-02-01", "on or after metrics.window_start"]),
    (["--set", "metrics.window_start=2010-01-01", "--set", "metrics.window_end=2010-06-01"],
     ["metrics.window_end", "on or after run.start"]),
    (["--set", "policy.crc_sale_date=2014-01-01"], ["policy.crc_sale_date", "2014-01-01", "policy.share_out_date"]),
    (["--set", "policy.reunification_date=2017-01-01", "--scenario", "tr_reunified"],
     ["policy.reunification_date", "on or after policy.termination_announced_date"]),
])
def test_settings_given_twice_or_out_of_order_are_refused(tmp_path, capsys, no_simulation, argv, fragments):
    expect_error(["simulate", *QUICK, *argv, "--out", str(tmp_path / "o")], capsys, *fragments,
                 kind="conflicting or out-of-order settings")


def test_dates_out_of_order_are_fine_when_their_event_does_not_happen():
    params = simulate.build_parameters("pre_tr", {"policy.crc_sale_date": "2012-01-01"})
    assert params.tr.channels.split is False


@pytest.mark.parametrize("text,fragments", [
    ('description = "x"\n[paramters]\n"tr.channels.split" = false\n', ["unknown key(s) paramters"]),
    ('descriptoin = "x"\n[parameters]\n"tr.channels.split" = false\n', ["unknown key(s) descriptoin"]),
    ('[parameters]\n"tr.channels.splitt" = false\n', ["unknown parameter 'tr.channels.splitt'", "tr.channels.split"]),
    ('[parameters]\n"run.seed" = 4\n', ["run.seed cannot be set by a scenario"]),
    ('[parameters]\n"finance.pbr_share" = "lots"\n', ["finance.pbr_share", "a number"]),
    ('description = 5\n', ["description must be text"]),
    ('parameters = 5\n', ["[parameters] must be a table"]),
    ('[parameters]\n"tr.channels.split" = true\n[parameters.tr.channels]\nsplit = false\n',
     ["'tr.channels.split' is given twice"]),
])
def test_a_scenario_file_with_a_misspelt_or_misplaced_key_is_refused(scenario_dir, tmp_path, capsys, no_simulation,
                                                                    text, fragments):
    (scenario_dir / "mine.toml").write_text(text)
    expect_error(["simulate", "--scenario", "mine", *QUICK, "--out", str(tmp_path / "o")], capsys, "scenario mine",
                 *fragments, kind="scenario file with a bad key")


def test_nested_keys_in_a_scenario_are_read_as_dotted_names(scenario_dir):
    (scenario_dir / "nested.toml").write_text('[parameters]\ntr.channels.split = false\n[parameters.finance]\npbr_share = 0.2\n')
    assert scenarios.load("nested")["parameters"] == {"tr.channels.split": False, "finance.pbr_share": 0.2}


@pytest.mark.parametrize("extra,fragments", [
    ('"run.seed" = 4\n', ["run.seed in [parameters]", "root_seed"]),
    ('"run.scale" = "national"\n', ["run.scale in [parameters]", "scale"]),
    ('"run.end" = "2011-05-31"\n', ["run.end in [parameters]"]),
])
def test_run_settings_in_an_experiments_parameters_are_refused(tmp_path, capsys, extra, fragments):
    path = write_experiment(tmp_path, BASE.replace("[parameters]\n", "[parameters]\n" + extra))
    expect_error(["sweep", str(path), "--out", str(tmp_path / "o")], capsys, *fragments, kind="experiment run setting")


def test_run_seed_as_a_design_factor_is_refused_and_a_factor_twice_too(tmp_path, capsys):
    path = write_experiment(tmp_path, BASE + '[design]\nkind = "grid"\n[design.factors]\n"run.seed" = [1, 2]\n')
    expect_error(["sweep", str(path), "--out", str(tmp_path / "o")], capsys, "run.seed in the design",
                 kind="experiment run setting")
    path = write_experiment(tmp_path, BASE.replace("[parameters]\n", '[parameters]\n"finance.pbr_share" = 0.1\n')
                            + '[design]\nkind = "grid"\n[design.factors]\n"finance.pbr_share" = [0.1, 0.2]\n')
    expect_error(["sweep", str(path), "--out", str(tmp_path / "o")], capsys, "finance.pbr_share is both",
                 kind="experiment run setting")


def test_an_experiment_whose_summary_window_is_empty_is_refused(tmp_path, capsys):
    path = write_experiment(tmp_path, BASE.replace('"metrics.window_start" = "2011-01-01"\n', ""))
    expect_error(["sweep", str(path), "--out", str(tmp_path / "o")], capsys, "metrics.window_start 2015-02-01",
                 "every summary metric would be empty", kind="empty summary window")


# --- messages -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["finance.pbr\nshare", "x\x1b[31mred\x1b[0m", "bell\x07", "nul\x00", "rtl\u202eevil"])
def test_echoed_input_has_its_control_characters_escaped(tmp_path, capsys, no_simulation, name):
    line = expect_error(["simulate", *QUICK, "--set", f"{name}=1", "--out", str(tmp_path / "o")], capsys,
                        "unknown parameter", kind="control characters in a name")
    assert all(ch not in line for ch in "\n\x1b\x07\x00\u202e")


def test_a_folder_called_x_toml_is_not_a_scenario(scenario_dir, tmp_path, capsys):
    (scenario_dir / "x.toml").mkdir()
    assert "x" not in scenarios.names()
    line = expect_error(["simulate", "--scenario", "x", "--out", str(tmp_path / "o")], capsys, "unknown scenario 'x'",
                        kind="folder named like a scenario")
    assert "did you mean x?" not in line


def test_viz_on_a_port_in_use_is_one_line_exit_2(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        expect_error(["viz", "--port", str(port)], capsys, f"port {port}", "in use", kind="port in use")


@pytest.mark.parametrize("argv", [["simulate", "--seed", "x"], ["simulate", "--colour", "red"], ["nosuch"],
                                  ["simulate", "--scale", "huge"], ["sweep"], ["simulate", "--set"]])
def test_argument_errors_are_one_line(capsys, argv):
    expect_error(argv, capsys, "--help", kind="argument error", entry="run.py")


def test_parameter_errors_keep_naming_the_parameter_and_the_scenario_file(scenario_dir):
    (scenario_dir / "odd.toml").write_text('[parameters]\n"finance.pbr_share" = 1.5\n')
    with pytest.raises(ParameterError, match=r"scenario odd \(odd.toml\): parameter finance.pbr_share: got 1.5"):
        scenarios.load("odd")


def test_the_unexpected_is_one_line_exit_3_and_a_saved_report(tmp_path, capsys, monkeypatch):
    from experiments.infra import provenance

    def broken(*args, **kwargs):
        raise KeyError("a fault in the program\x1b[31m")

    monkeypatch.setattr(simulate, "build_parameters", broken)
    monkeypatch.setattr(provenance, "ROOT", tmp_path)
    code, err, _ = run_cli(["simulate", "--out", str(tmp_path / "o")], capsys)
    assert code == 3 and len(err) == 1 and err[0].isprintable(), err
    assert err[0].startswith("error: unexpected failure (KeyError: 'a fault in the program\\x1b[31m')")
    reports = list((tmp_path / "output" / "error-reports").glob("run-py-error-*.txt"))
    assert len(reports) == 1 and str(reports[0]) in err[0]
    text = reports[0].read_text()
    assert "Traceback" in text and "in broken" in text and "run.py simulate --out" in text
    assert not (tmp_path / "o").exists()
