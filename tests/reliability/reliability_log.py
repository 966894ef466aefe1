"""What the reliability tests tried and what happened; docs/reliability.md is written from it at the end
of a passing session run with REGENERATE_RELIABILITY=1 (see tests/conftest.py)."""

from __future__ import annotations

from collections import Counter, defaultdict

INPUTS: dict[tuple[str, str], Counter] = defaultdict(Counter)  # (entry point, kind of input) -> outcomes
FAULTS: dict[str, str] = {}  # fault injected -> what happened
SUITES = ("test_reliability_inputs", "test_reliability_fuzz", "test_reliability_bounds", "test_reliability_outputs",
          "test_reliability_sweep_faults", "test_reliability_dask", "test_rerun")
seen: set[str] = set()


def tried(entry: str, kind: str, outcome: str) -> None:
    """One input of ``kind`` given to ``entry`` (a command or a loader), and its outcome."""
    INPUTS[(entry, kind)][outcome] += 1


def fault(name: str, happened: str) -> None:
    FAULTS[name] = happened


def complete() -> bool:
    """Whether every reliability suite ran in this session (the document needs them all)."""
    return set(SUITES) <= seen


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown() -> str:
    outcomes = sorted({o for c in INPUTS.values() for o in c})
    total = sum(sum(c.values()) for c in INPUTS.values())
    lines = ["# Reliability: bad input and faults", "",
             "Generated from the tests (`tests/reliability/test_reliability_*.py`, `tests/experiments/test_rerun.py`) by",
             "`REGENERATE_RELIABILITY=1 .venv/bin/python -m pytest tests/reliability tests/experiments/test_rerun.py`;",
             "do not edit by hand. The fuzz tests are derandomized, so the same code gives the same table.", "",
             "## Inputs tried", "",
             f"{total} inputs in all. *One-line error*: one line on stderr naming what and why, exit code 2, nothing",
             "written. *Accepted*: every check passed and the work would start (the fuzz tests stop there). *Ran*:",
             "the command ran to the end. No input gave a traceback or reached the last-resort handler (exit code 3):",
             "the tests fail if one does.", "",
             "| entry point | kind of input | tried | " + " | ".join(outcomes) + " |",
             "|---|---|---|" + "---|" * len(outcomes)]
    for (entry, kind), counts in sorted(INPUTS.items()):
        lines.append(f"| {cell(entry)} | {cell(kind)} | {sum(counts.values())} | "
                     + " | ".join(str(counts.get(o, 0)) for o in outcomes) + " |")
    lines += ["", "## Faults injected", "", "| fault | what happened |", "|---|---|"]
    lines += [f"| {cell(name)} | {cell(happened)} |" for name, happened in sorted(FAULTS.items())]
    return "\n".join(lines) + "\n"
