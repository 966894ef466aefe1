"""What a result depends on besides its parameters: package versions, the machine, the code and the
command line, recorded with every run."""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import platform
import re
import shlex
import subprocess
import sys
from pathlib import Path

from experiments.infra.paths import ROOT

CODE_DIRS = ("model", "agents", "experiments")
CODE_SUFFIXES = (".py", ".toml", ".csv")  # code, scenario and experiment files, and the input data (model/data)
INDIRECT = ("llvmlite",)  # not a dependency of ours, but numba's compiler: it can change a number
_command: list[str] | None = None


def set_command(argv: list[str]) -> None:
    """Remember the command line this process was started with (``run.py`` and its arguments)."""
    global _command
    _command = list(argv)


def command_line() -> str:
    """The command line, shell-quoted so that it can be pasted back."""
    argv = _command if _command is not None else sys.argv
    return shlex.join([Path(sys.executable).name, *argv])


def project_version() -> str:
    """The model's version (pyproject.toml; CHANGELOG.md lists what each release changed)."""
    import tomllib

    try:
        return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def git_commit() -> str:
    """HEAD's commit, with '-dirty' if tracked files differ; 'unknown' outside git."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return head + ("-dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


@functools.cache
def packages() -> tuple[str, ...]:
    """Every distribution that can change a result: pyproject's dependencies (all extras included),
    plus the indirect ones."""
    import tomllib

    try:
        project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
        specs = list(project.get("dependencies", []))
        for extra in project.get("optional-dependencies", {}).values():
            specs += extra
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        specs = []
    names = [re.match(r"[A-Za-z0-9._-]+", s).group(0) for s in specs if re.match(r"[A-Za-z0-9._-]+", s)]
    skip = {"pytest", "ruff", "playwright", "hypothesis"}  # test tools change no result
    return tuple(dict.fromkeys(n for n in [*names, *INDIRECT] if n.lower() not in skip))


@functools.cache
def _versions() -> tuple[tuple[str, str], ...]:
    out = {"project": project_version(), "python": platform.python_version(),
           "platform": f"{platform.system()} {platform.machine()}", "cpu": cpu_target()}
    for name in packages():
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "not installed"
    return tuple(out.items())


def versions() -> dict[str, str]:
    """Project, Python, machine and every package version that can change a result."""
    return dict(_versions())


@functools.cache
def cpu_target() -> str:
    """The CPU numba compiles the model's kernels for (it decides, e.g., whether fused multiply-adds are used)."""
    try:
        import llvmlite.binding as llvm

        return llvm.get_host_cpu_name()
    except Exception:  # noqa: BLE001 - provenance must never stop a run
        return platform.processor() or "unknown"


def code_files(root: Path = ROOT) -> list[Path]:
    """What a run executes or reads: model/, agents/ and experiments/ (Python, TOML and the input data CSV)."""
    files = [p for d in CODE_DIRS for p in (root / d).rglob("*")
             if p.suffix in CODE_SUFFIXES and p.is_file() and "__pycache__" not in p.parts]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in code_files(root):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


_LOADED_DIGEST = _digest(ROOT)  # taken as the code is imported, so that an edit made later is not mistaken for it


def code_digest() -> str:
    """A hash of the project's code (model/, agents/, experiments/) as this process loaded it: equal wherever
    the same code runs."""
    return _LOADED_DIGEST
