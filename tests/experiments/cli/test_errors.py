"""Bad input stops before anything runs: one line, exit code 2, nothing written."""

from __future__ import annotations

import pytest

from run import main

CASES = [
    (["--set", "supervision.caseload_cap_crx=5"], ["supervision.caseload_cap_crx", "caseload_cap_crc"]),
    (["--set", "finance.pbr_share=lots"], ["finance.pbr_share", "'lots'", "a number"]),
    (["--set", "finance.pbr_share=1.5"], ["finance.pbr_share", "1.5", "[0.0, 1.0]"]),
    (["--set", "run.end=2010-06-30"], ["run.end", "2010-06-30", "after run.start"]),
    (["--start", "2011-13-01"], ["run.start", "2011-13-01", "YYYY-MM-DD"]),
    (["--scenario", "tr_reunifed"], ["tr_reunifed", "tr_reunified"]),
    (["--set", "tr.mechanisms.contact=maybe"], ["tr.mechanisms.contact", "true or false"]),
    (["--set", "nonsense"], ["nonsense", "dotted.name=value"]),
]


@pytest.mark.parametrize("args,expected", CASES)
def test_bad_input(tmp_path, capsys, args, expected):
    out = tmp_path / "out"
    assert main(["simulate", *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ")
    for text in expected:
        assert text in err[0]
    assert not out.exists()


@pytest.mark.parametrize("command", ["simulate", "scenarios", "docs"])
def test_help(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    assert "usage" in capsys.readouterr().out
