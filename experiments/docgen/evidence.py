"""What the docs report from other documents and from the code: the fit of the pre-reform targets (from
docs/validation.md or docs/calibration.md), the predictions, and the test suite's contents."""

from __future__ import annotations

import ast
import re

from experiments.infra.paths import ROOT

DOCS = ROOT / "docs"
TESTS = ROOT / "tests"


def read(name: str) -> str | None:
    """A docs file's text, or None if it does not exist."""
    path = DOCS / name
    return path.read_text() if path.exists() else None


def section(text: str, heading: str) -> str | None:
    """The body of the first ``## `` section whose heading starts with ``heading`` (None if there is none)."""
    m = re.search(r"^## " + re.escape(heading) + r".*?$\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    return m.group(1).strip("\n") if m else None


def tables(text: str) -> list[list[str]]:
    """Markdown tables in a text, each as its lines."""
    out, current = [], []
    for line in text.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def fit_markdown() -> str:
    """The pre-reform targets beside the model: docs/validation.md's table if it exists, else docs/calibration.md's."""
    validation = read("validation.md")
    if validation is not None:
        body = section(validation, "Pre-reform targets")
        if body:
            return ("From [validation.md](validation.md) (`python run.py validate`: fresh replications; a target is "
                    "*inside* when the model's mean is in its range, *overlaps* when only its 95% interval reaches it, "
                    "*missed* otherwise):\n\n" + body + "\n")
    lead = ("docs/validation.md is not yet generated: `python run.py validate` writes it, with each target beside the "
            "model's mean and 95% interval over fresh replications and a verdict. ")
    calibration = read("calibration.md")
    found = [t for t in tables(calibration or "") if "published" in t[0].lower()]
    if not found:
        return lead + "docs/calibration.md has no table of the fit yet (`python run.py calibrate`).\n"
    return (lead + "Until then, the fit as [calibration.md](calibration.md) last reports it (measured on the model as it "
                   "was when that page was written; `python run.py validate` measures the model as it is):\n\n"
            + "\n".join(found[0]) + "\n")


def predictions_markdown() -> str:
    """docs/validation.md's post-reform predictions, or what will give them."""
    validation = read("validation.md")
    body = section(validation, "Predictions") if validation else None
    if not body:
        return ("Not yet generated: `python run.py validate` writes docs/validation.md, whose section \"Predictions, "
                "2015-2021\" gives the model's yearly values under the reform as it was (`tr_reunified`, observed "
                "inputs) with 95% intervals, made without any post-2014 figure.\n")
    return "From [validation.md](validation.md):\n\n" + body + "\n"


def test_files() -> list[tuple[str, str, int]]:
    """(file, the first sentence of its docstring, its test functions) for every test file under tests/."""
    out = []
    for path in sorted(TESTS.rglob("test_*.py")):
        tree = ast.parse(path.read_text())
        doc = (ast.get_docstring(tree) or "").strip().split("\n\n")[0].replace("\n", " ")
        n = sum(isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test")
                for node in ast.walk(tree))
        out.append((path.relative_to(TESTS).as_posix(), doc, n))
    return out


def tests_markdown() -> str:
    """The test suite: each file, what it checks, how many test functions."""
    files = test_files()
    total = sum(n for _, _, n in files)
    lines = [f"{len(files)} test files, {total} test functions (a parametrised test counted once; "
             "`python -m pytest --collect-only -q` counts every case). What each file checks, from its docstring:", "",
             "| file | what it checks | tests |", "| --- | --- | --- |"]
    lines += [f"| `{name}` | {doc.replace('|', '/')} | {n} |" for name, doc, n in files]
    return "\n".join(lines) + "\n"
