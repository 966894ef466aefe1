"""Fuzz tests of the command line and the TOML loaders, with a fixed, derandomized example budget.

Each example starts from valid input and applies a few mutations; some mutations are known to make the
input bad (a path for a scenario name, a misspelt key, a value out of bounds, bytes that are not UTF-8).
Whatever the input: no traceback and no last-resort report, ever; a rejected input gives one printable
line, exit code 2, and changes no file; an input with a known-bad mutation is always rejected. Where the
input passes every check, the test stops the command just as its work would start.
"""

from __future__ import annotations

import os
import re
import shutil
import socket

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import experiments.benchmark as benchmark
import experiments.cli.docs as docs_command
import experiments.cli.viz as viz_command
import experiments.viz.measure as viz_measure
from experiments import rerun, scenarios, simulate
from experiments.analysis import report
from experiments.cli import guard as cli_guard
from experiments.infra import executors
from experiments.infra.errors import printable
from experiments.sweeps import experiment_file, sweep
from model.parameters import LEAVES, ParameterError
from run import main
from tests.cli_helpers import snapshot
from tests.conftest import ROOT
from tests.reliability import reliability_log
from tests.sweep_helpers import TINY

CLI_EXAMPLES = 400
TOML_EXAMPLES = 400
FUZZ = settings(max_examples=CLI_EXAMPLES, derandomize=True, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))


class Reached(BaseException):
    """The input passed every check: the command's work would start here."""


def stop(*args, **kwargs):
    raise Reached


# --- the sandbox: files to point at, and the work of each command replaced by a stop -------------------

@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    box = tmp_path_factory.mktemp("fuzz")
    (box / "tiny.toml").write_text(TINY.format(reps=2, end="2011-06-30"))
    (box / "broken.toml").write_text("scenarios = [\n")
    (box / "latin1.toml").write_bytes(b'description = "caf\xe9"\n')
    (box / "a-file").write_text("x")
    (box / "a-folder").mkdir()
    (box / "busy").mkdir()
    (box / "busy" / "notes.txt").write_text("mine")
    (box / "docs").mkdir()
    sweep.run_sweep(experiment_file.load(box / "tiny.toml"), box / "sweep", workers=1, progress=False)
    shutil.copytree(box / "sweep", box / "damaged-sweep")
    (box / "damaged-sweep" / "manifest.json").write_text("{")
    run = simulate.run("tr", simulate.build_parameters("tr", end="2011-02-28"))
    simulate.write_outputs(run, box / "run", plots=False)
    with socket.socket() as busy_port, pytest.MonkeyPatch.context() as mp:
        busy_port.bind(("127.0.0.1", 0))
        busy_port.listen()
        box_port = busy_port.getsockname()[1]
        for target, name in ((simulate, "run"), (executors, "make_executor"), (benchmark, "run_benchmark"),
                             (report, "write_report"), (viz_measure, "measure_redraw"), (rerun, "rerun_simulation"),
                             (rerun, "rerun_sweep"), (rerun, "rerun_sweep_run")):
            mp.setattr(target, name, stop)
        mp.setattr(viz_command.subprocess, "Popen", stop)
        mp.setattr(simulate, "default_out_dir", lambda scenario, seed: box / "default-run")
        mp.setattr(sweep, "default_out_dir", lambda exp, end_overridden: box / "default-sweep")
        mp.setattr(rerun, "default_out", lambda path: box / "default-rerun")
        mp.setattr(docs_command, "DOCS", box / "docs")
        mp.setattr(cli_guard, "report_unexpected", unexpected)
        yield box, box_port


def unexpected(exc, argv):
    raise AssertionError(f"the last resort was reached: {type(exc).__name__}: {exc} for {argv!r}") from exc


# --- argument strategies: (tokens, known bad?) ----------------------------------------------------------

NASTY = ["", " ", "-1", "0", "1", "0.5", "1e9", "1e400", "nan", "inf", "99999999999999999999999", "true", "maybe",
         "2011-13-01", "2011-02-30", "1999-01-01", "2099-01-01", "small", "tr", "../../pyproject", "a\nb",
         "\x1b[31mred", "nul\x00", "é", "😀", "=", "a=b", "-", "tcp://", "local"]
any_value = st.one_of(st.sampled_from(NASTY), st.text(max_size=10).filter(lambda s: not s.startswith("-")))
NUMERIC = [n for n, (kind, _) in LEAVES.items() if kind in (int, float) and LEAVES[n][1].metadata["lo"] is not None
           and not n.startswith("run.")]


def opt(flag: str, good: list, bad: list):
    """(tokens, bad) for an option: a value from ``good``, from ``bad`` (known bad), or anything."""
    return st.one_of(
        st.sampled_from(good).map(lambda v: ([flag, v], False)),
        st.sampled_from(bad).map(lambda v: ([flag, v], True)),
        any_value.map(lambda v: ([flag, v], None)))


@st.composite
def a_set(draw):
    """--set NAME=VALUE: a valid override, a known-bad one, or anything."""
    choice = draw(st.integers(0, 3))
    if choice == 0:
        name = draw(st.sampled_from(NUMERIC))
        meta = LEAVES[name][1].metadata
        kind = LEAVES[name][0]
        value = draw(st.integers(int(meta["lo"]), int(meta["hi"])) if kind is int else
                     st.floats(meta["lo"], meta["hi"], allow_nan=False))
        return ["--set", f"{name}={value}"], None  # valid alone; may break a rule across parameters
    if choice == 1:
        name = draw(st.sampled_from(NUMERIC))
        meta = LEAVES[name][1].metadata
        value = draw(st.sampled_from([meta["hi"] + 1, meta["lo"] - 1, "nan", "inf", "lots", ""]))
        return ["--set", f"{name}={value}"], True
    if choice == 2:
        junk = draw(st.text(min_size=1, max_size=12).filter(lambda s: s.strip() not in LEAVES and "=" not in s))
        return ["--set", f"{junk}={draw(any_value)}"], True
    return ["--set", draw(any_value)], None


def out_option(box):
    return opt("--out", [str(box / "new-out"), str(box / "deep" / "new-out")],
               [str(box / "a-file"), "/dev/null/x", str(box / "busy"), str(box / ("n" * 300))])


def command(box, port):
    names = scenarios.names()
    simulate_opts = [opt("--scenario", names, ["../../pyproject", "../scenarios/tr", "tr/../tr", "nosuch", "tr\x1b"]),
                     opt("--scale", ["small"], ["huge", "Small"]), opt("--seed", ["3", "0"], ["-1", "x", "1e3", str(2**64)]),
                     opt("--start", ["2011-01-01"], ["2011-13-01", "x"]), opt("--end", ["2011-03-31"], ["2011-02-30", "y"]),
                     a_set(), a_set(), out_option(box), st.just((["--no-plots"], False))]
    sweep_opts = [opt("--workers", ["1", "2"], ["0", "-3", "100000", "x"]),
                  opt("--scheduler", ["local"], ["bogus", "tcp://", "http://h:1", "tcp://127.0.0.1:0"]),
                  opt("--replications", ["1", "3"], ["0", "-1", "1000000000", "x"]),
                  opt("--scale", ["small"], ["huge"]), opt("--end", ["2011-05-31"], ["2011-13-01", "x"]),
                  out_option(box), st.just((["--retry-failed"], False)), st.just((["--csv"], False)),
                  st.just((["--no-progress"], False))]
    bench_opts = [opt("--scales", ["small", "small,regional"], ["tiny", ",", "small,small"]),
                  opt("--years", ["0.1", "1"], ["0", "nan", "100", "x"]),
                  opt("--json", [str(box / "b.json")], [str(box / "a-folder"), "/dev/null/b.json"])]
    viz_opts = [opt("--port", ["8799"], ["0", "70000", str(port), "x"]),
                opt("--host", ["127.0.0.1"], ["no-such-host.invalid", "8.8.8.8"]), st.just((["--measure"], False))]
    rerun_opts = [out_option(box), opt("--workers", ["1"], ["0", "x"])]
    positional = {
        "sweep": ([str(box / "tiny.toml"), str(ROOT / "experiments" / "data" / "tr_vs_pre_tr.toml")],
                  [str(box / "broken.toml"), str(box / "latin1.toml"), str(box / "a-folder"), str(box / "nope.toml")]),
        "compare": ([str(box / "sweep")], [str(box / "damaged-sweep"), str(box / "a-folder"), str(box / "a-file"),
                                           str(box / "nope")]),
        "rerun": ([str(box / "run" / "manifest.json"), str(box / "sweep" / "manifest.json")],
                  [str(box / "a-file"), str(box / "latin1.toml"), str(box / "damaged-sweep" / "manifest.json"),
                   str(box / "nope.json")]),
    }
    options = {"simulate": simulate_opts, "sweep": sweep_opts, "bench": bench_opts, "viz": viz_opts,
               "rerun": rerun_opts, "compare": [], "scenarios": [], "docs": []}

    # the commands that take the most input are tried the most
    weighted = ["simulate"] * 6 + ["sweep"] * 6 + ["rerun"] * 3 + ["bench"] * 2 + ["viz"] * 2 + ["compare"] * 2 + [
        "scenarios", "docs"]

    @st.composite
    def build(draw):
        name = draw(st.sampled_from(weighted))
        argv, bad = [name], False
        if name in positional:
            good, worse = positional[name]
            if draw(st.booleans()):
                argv.append(draw(st.sampled_from(good)))
            else:
                argv.append(draw(st.sampled_from(worse)))
                bad = True
        chosen = st.lists(st.sampled_from(options[name]).flatmap(lambda s: s), max_size=4) if options[name] else st.just([])
        for tokens, known in draw(chosen):
            argv += tokens
            bad = bad or known is True
        if draw(st.integers(0, 9)) == 0:  # a stray word
            argv.insert(draw(st.integers(1, len(argv))), draw(st.sampled_from(["extra", "a\nb", "\x1b[2J"])))
            bad = True
        return argv, bad

    return build()


def outcome_of(argv, capsys):
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except Reached:
        code = None
    captured = capsys.readouterr()
    return code, captured.err.strip().splitlines()


def test_fuzzed_command_lines_never_crash_and_bad_ones_are_one_line(sandbox, capsys):
    box, port = sandbox

    @FUZZ
    @given(case=command(box, port))
    def check(case):
        argv, bad = case
        before = snapshot(box)
        code, err = outcome_of(argv, capsys)
        kind = "arguments with a known-bad value" if bad else "arguments, none known bad"
        if code is None:
            assert not bad, f"accepted a known-bad input: {argv!r}"
            reliability_log.tried(f"run.py {argv[0]}", kind, "accepted")
            return
        if code == 0:
            assert not bad, f"a known-bad input ran: {argv!r}"
            reliability_log.tried(f"run.py {argv[0]}", kind, "ran")
            return
        assert code == 2, (argv, code, err)
        assert len(err) == 1 and err[0].startswith("error: ") and err[0].isprintable(), (argv, err)
        assert snapshot(box) == before, f"a rejected input changed files: {argv!r}"
        reliability_log.tried(f"run.py {argv[0]}", kind, "one-line error")

    check()


# --- TOML loaders -------------------------------------------------------------------------------------

KEY_LINE = re.compile(r'^(\s*)("?)([A-Za-z0-9_.]+)\2(\s*=)', re.M)
TABLE_LINE = re.compile(r"^\[([a-z.]+)\]", re.M)
LITERALS = ["1", "-1", "0", "1e400", "nan", "inf", '"x"', "true", "[]", '[1, "a"]', "{}", "2011-01-01",
            "1979-05-27T07:32:00Z", '"2011-02-30"', "99999999999999999999", "0.5", '["tr", "tr"]']


BAD = ["misspelt key", "misspelt table", "not UTF-8", "control character", "run setting", "unknown key"]
NEUTRAL = ["line deleted", "line repeated", "value replaced", "truncated"]


@st.composite
def mutated(draw, text: str):
    """(mutated bytes, bad?, what was done) of a TOML file."""
    done, bad = [], False
    kinds = draw(st.lists(st.sampled_from(NEUTRAL + BAD), min_size=1, max_size=3))
    for kind in sorted(kinds, key=lambda k: k in BAD):  # a known-bad change last, so no later change undoes it
        lines = text.splitlines(keepends=True)
        if kind == "misspelt key" and KEY_LINE.search(text):
            m = draw(st.sampled_from(list(KEY_LINE.finditer(text))))
            text = text[:m.start(3)] + m[3] + draw(st.sampled_from(["x", "_", "s"])) + text[m.end(3):]
        elif kind == "misspelt table" and TABLE_LINE.search(text):
            m = draw(st.sampled_from(list(TABLE_LINE.finditer(text))))
            text = text[:m.end(1)] + "s" + text[m.end(1):]
        elif kind == "control character":
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.sampled_from(["\x00", "\x1b", "\x07", "\x7f"])) + text[at:]
        elif kind == "run setting":
            extra = f'"run.{draw(st.sampled_from(["seed", "scale", "start", "end"]))}" = "x"\n'
            text = (text.replace("[parameters]\n", "[parameters]\n" + extra, 1) if "[parameters]\n" in text
                    else text + "\n[parameters]\n" + extra)
        elif kind == "unknown key":
            text = f'colour{draw(st.integers(0, 9))} = "red"\n' + text
        elif kind == "line deleted" and lines:
            del lines[draw(st.integers(0, len(lines) - 1))]
            text = "".join(lines)
        elif kind == "line repeated" and lines:
            i = draw(st.integers(0, len(lines) - 1))
            text = "".join(lines[:i + 1] + [lines[i]] + lines[i + 1:])
        elif kind == "value replaced" and KEY_LINE.search(text):
            m = draw(st.sampled_from(list(KEY_LINE.finditer(text))))
            end = text.find("\n", m.end())
            text = text[:m.end()] + " " + draw(st.sampled_from(LITERALS)) + (text[end:] if end >= 0 else "")
        elif kind == "truncated":
            text = text[:draw(st.integers(0, len(text)))]
        elif kind != "not UTF-8":
            continue
        done.append(kind)
        bad = bad or kind in BAD
    data = text.encode()
    if "not UTF-8" in done:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xe9", b"\x80\x80"])) + data[at:]
    return data, bad, done


EXPERIMENTS = {p.name: p.read_text() for p in sorted((ROOT / "experiments").glob("*.toml"))}
EXPERIMENTS["tiny.toml"] = TINY.format(reps=2, end="2011-06-30")
SCENARIOS = {p.stem: p.read_text() for p in sorted(scenarios.SCENARIO_DIR.glob("*.toml"))}


def loaded(load) -> str:
    """'accepted' or 'one-line error'; fails on any other exception."""
    try:
        load()
    except ParameterError as exc:
        message = printable(str(exc))
        assert message and len(message.splitlines()) == 1
        return "one-line error"
    return "accepted"


def test_fuzzed_experiment_files_load_or_give_one_clear_line(tmp_path):
    @settings(FUZZ, max_examples=TOML_EXAMPLES // 2)
    @given(source=st.sampled_from(sorted(EXPERIMENTS)), data=st.data())
    def check(source, data):
        content, bad, done = data.draw(mutated(EXPERIMENTS[source]))
        path = tmp_path / source
        path.write_bytes(content)
        outcome = loaded(lambda: experiment_file.load(path))
        assert not (bad and outcome == "accepted"), f"accepted {done} in {source}: {content[:300]!r}"
        reliability_log.tried("experiment file loader", "mutated file, known bad" if bad else "mutated file", outcome)

    check()


def test_fuzzed_scenario_files_load_or_give_one_clear_line(tmp_path, monkeypatch):
    monkeypatch.setattr(scenarios, "SCENARIO_DIR", tmp_path)

    @settings(FUZZ, max_examples=TOML_EXAMPLES // 2)
    @given(source=st.sampled_from(sorted(SCENARIOS)), data=st.data())
    def check(source, data):
        content, bad, done = data.draw(mutated(SCENARIOS[source]))
        (tmp_path / f"{source}.toml").write_bytes(content)
        outcome = loaded(lambda: simulate.build_parameters(source, end="2011-03-31"))
        assert not (bad and outcome == "accepted"), f"accepted {done} in {source}: {content[:300]!r}"
        reliability_log.tried("scenario file loader", "mutated file, known bad" if bad else "mutated file", outcome)

    check()


def fuzz_counts(rows: dict[tuple[str, str], int]) -> tuple[int, int]:
    cli = sum(n for (entry, kind), n in rows.items() if entry.startswith("run.py") and kind.startswith("arguments"))
    return cli, sum(n for (entry, _), n in rows.items() if entry.endswith("file loader"))


def test_the_fuzz_budgets_are_spent_and_docs_reliability_reports_them():
    live = {key: sum(c.values()) for key, c in reliability_log.INPUTS.items()}
    if fuzz_counts(live) != (0, 0):  # the fuzz tests ran in this session
        assert fuzz_counts(live) == (CLI_EXAMPLES, TOML_EXAMPLES)
    if os.environ.get("REGENERATE_RELIABILITY") != "1":  # else the document is about to be written from ``live``
        text = (ROOT / "docs" / "reliability.md").read_text()
        rows = {tuple(c.strip() for c in line.split("|")[1:3]): int(line.split("|")[3]) for line in text.splitlines()
                if line.startswith(("| run.py ", "| experiment file loader", "| scenario file loader"))}
        assert fuzz_counts(rows) == (CLI_EXAMPLES, TOML_EXAMPLES)
