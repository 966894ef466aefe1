"""Mutation check: does the test suite, without its snapshot tests, find seeded rule bugs?

Each mutation in the lists (TOML files of ``[[mutation]]`` tables with ``name``, ``file``, ``find``, ``replace``;
by default every file in tests/mutations/) is applied,
one at a time, to a copy of the project; the tests then run without the two snapshot tests
(tests/integration/test_core_regression.py and tests/integration/test_engine_identity.py), stopping at the first
failure. A mutant is *killed* when some test fails, *survives* when all pass. Run it before a deliberate
baseline change: from then on only these tests stand between a rule bug and a published result.

    python scripts/mutation_check.py                       # every list in tests/mutations/, two mutants at a time
    python scripts/mutation_check.py --list tests/mutations/week.toml --only "recall" --workers 1
    python scripts/mutation_check.py --tests tests         # the whole suite (default: model, agents, integration)

Exit code 0 when the kill rate reaches --target (default 0.9), 1 when it does not, 2 on a bad list (a ``find``
that is not in its file exactly once).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOTS = ("tests/integration/test_core_regression.py", "tests/integration/test_engine_identity.py")
DEFAULT_TESTS = ("tests/model", "tests/agents", "tests/integration")
COPY = ("model", "agents", "experiments", "tests", "examples", "scripts", "docs", "app.py", "run.py", "pyproject.toml",
        "README.md", "CHANGELOG.md", "CITATION.cff", "LICENSE", "requirements.lock", ".python-version")


@dataclass(frozen=True)
class Mutation:
    name: str
    file: str
    find: str
    replace: str


def load(path: Path) -> list[Mutation]:
    """The mutations of a list (or of every list in a folder), each checked to apply exactly once."""
    if path.is_dir():
        return [m for f in sorted(path.glob("*.toml")) for m in load(f)]
    data = tomllib.loads(path.read_text())
    out = []
    for k, m in enumerate(data.get("mutation", [])):
        missing = {"name", "file", "find", "replace"} - set(m)
        if missing:
            raise SystemExit(f"error: {path}: mutation {k + 1} lacks {sorted(missing)}")
        mutation = Mutation(m["name"], m["file"], m["find"], m["replace"])
        source = (ROOT / mutation.file)
        if not source.is_file():
            raise SystemExit(f"error: {path}: mutation {mutation.name!r}: no file {mutation.file}")
        count = source.read_text().count(mutation.find)
        if count != 1:
            raise SystemExit(f"error: {path}: mutation {mutation.name!r}: its text is in {mutation.file} {count} times "
                             "(it must be there exactly once)")
        out.append(mutation)
    return out


def copy_project(dest: Path) -> None:
    """The project's files with their timestamps and compiled caches, so that only the mutated module recompiles."""
    for name in COPY:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, copy_function=shutil.copy2,
                            ignore=shutil.ignore_patterns(".pytest_cache", ".hypothesis"))
        elif src.exists():
            shutil.copy2(src, dest / name)


def run_mutant(m: Mutation, tests: tuple[str, ...], timeout: float, extra: list[str]) -> tuple[Mutation, str, float, str]:
    """Apply one mutation to a fresh copy and run the tests; (mutation, killed/survived/timeout, seconds, first failure)."""
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="mutant-") as tmp:
        work = Path(tmp)
        copy_project(work)
        target = work / m.file
        text = target.read_text()
        target.write_text(text.replace(m.find, m.replace, 1))
        cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--no-header", "-p", "no:randomly",
               *[f"--ignore={s}" for s in SNAPSHOTS], *extra, *tests]
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        try:
            proc = subprocess.run(cmd, cwd=work, capture_output=True, text=True, timeout=timeout, env=env)
        except subprocess.TimeoutExpired:
            return m, "timeout", time.perf_counter() - t0, ""
    failed = [line for line in proc.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))]
    status = "survived" if proc.returncode == 0 else ("killed" if proc.returncode in (1, 2) else f"error {proc.returncode}")
    return m, status, time.perf_counter() - t0, failed[0] if failed else ""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--list", type=Path, default=ROOT / "tests" / "mutations",
                    help="a mutation list (TOML) or a folder of them (default: tests/mutations/)")
    ap.add_argument("--only", help="run only mutations whose name contains this text")
    ap.add_argument("--tests", nargs="+", default=list(DEFAULT_TESTS), help="test paths (default: %(default)s)")
    ap.add_argument("--workers", type=int, default=2, help="mutants at a time (default: %(default)s)")
    ap.add_argument("--timeout", type=float, default=1800.0, help="seconds per mutant (default: %(default)s)")
    ap.add_argument("--target", type=float, default=0.9, help="kill rate to reach (default: %(default)s)")
    ap.add_argument("--pytest", default="", help="extra pytest arguments, quoted (e.g. '-n 2')")
    args = ap.parse_args(argv)
    mutations = [m for m in load(args.list) if not args.only or args.only in m.name]
    if not mutations:
        print("error: no mutations to run", file=sys.stderr)
        return 2
    print(f"{len(mutations)} mutations from {args.list}, tests {' '.join(args.tests)} without the snapshot tests")
    results = []
    with ThreadPoolExecutor(max_workers=max(1, args.workers)) as pool:
        futures = [pool.submit(run_mutant, m, tuple(args.tests), args.timeout, args.pytest.split()) for m in mutations]
        for f in futures:
            m, status, seconds, failure = f.result()
            results.append((m, status))
            print(f"{status:9s} {seconds:6.0f} s  {m.name}  ({m.file})" + (f"  <- {failure}" if failure else ""), flush=True)
    killed = sum(s == "killed" for _, s in results)
    rate = killed / len(results)
    print(f"\nkilled {killed} of {len(results)} ({rate:.0%}); target {args.target:.0%}")
    for m, s in results:
        if s != "killed":
            print(f"  not killed ({s}): {m.name} - {m.file}: {m.find!r} -> {m.replace!r}")
    return 0 if rate >= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
