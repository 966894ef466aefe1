"""The layout check (scripts/check_layout.py) passes on the project and finds each kind of problem it names."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("check_layout", ROOT / "scripts" / "check_layout.py")
check_layout = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_layout)


def test_the_project_layout_passes():
    assert check_layout.problems() == []


def write(root: Path, rel: str, text: str = "") -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_each_kind_of_problem_is_found(tmp_path):
    for package in ("model", "agents", "experiments", "model/engine"):
        write(tmp_path, f"{package}/__init__.py")
    write(tmp_path, "model/engine/calendar.py", "WEEKS_PER_YEAR = 52.1775\n")
    write(tmp_path, "model/a.py", "from model import b\n")
    write(tmp_path, "model/b.py", "def f():\n    from model.a import x\n    return x\n")  # a cycle hidden in a function
    write(tmp_path, "agents/rule.py", "def weekly(rate):\n    return rate / 52.0\n")
    write(tmp_path, "experiments/units.py", "WEEKS_PER_YEAR = 52.1775\n")
    for k in range(16):
        write(tmp_path, f"experiments/many/m{k}.py")
    found = check_layout.problems(tmp_path)
    assert any(line == "import cycle: model.a <-> model.b" for line in found), found
    assert any(line.startswith("experiments/many/ holds 16 modules") for line in found), found
    assert any(line.startswith("experiments/units.py:1: WEEKS_PER_YEAR is defined in") for line in found), found
    assert any(line.startswith("experiments/units.py:1: 52.1775 is WEEKS_PER_YEAR") for line in found), found
    assert any(line.startswith("agents/rule.py:2: a bare 52 in a rule") for line in found), found
    assert len(found) == 5


def test_fifteen_modules_and_a_one_way_import_pass(tmp_path):
    for package in ("model", "agents", "experiments"):
        write(tmp_path, f"{package}/__init__.py")
    write(tmp_path, "model/a.py", "from model import b\n")
    write(tmp_path, "model/b.py", "X = 1\n")
    for k in range(15):
        write(tmp_path, f"experiments/few/m{k}.py")
    assert check_layout.problems(tmp_path) == []
