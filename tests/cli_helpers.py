"""Running the command line in-process and checking its one-line errors."""

from __future__ import annotations

import os
from pathlib import Path

from run import main


def run_cli(argv: list[str], capsys) -> tuple[int, list[str], str]:
    """(exit code, stderr lines, stdout) of ``run.py argv``, SystemExit included."""
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.err.strip().splitlines(), captured.out


def assert_one_line_error(code: int, err: list[str], *fragments: str) -> str:
    """Exit code 2 and one printable line on stderr holding every fragment; returns the line."""
    assert code == 2, (code, err)
    assert len(err) == 1 and err[0].startswith("error: "), err
    assert err[0].isprintable(), err[0]
    for fragment in fragments:
        assert fragment in err[0], (fragment, err[0])
    return err[0]


def snapshot(folder: Path) -> dict[str, int]:
    """Every file and folder under ``folder`` with its modification time (ns)."""
    out = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            try:
                out[str(path.relative_to(folder))] = path.lstat().st_mtime_ns
            except OSError:
                pass
    return out
