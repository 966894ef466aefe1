"""Check that the layout still reads like a map (docs/architecture.md): exit 1, with one line per problem, on

- an import cycle among the project's modules (function-level imports included: they must not hide one);
- a folder of code with more than MAX_MODULES modules;
- a calendar constant defined outside model/engine/calendar.py, or 52.1775 written anywhere else;
- a bare 52 or 52.0 in the rules' arithmetic (model/ and agents/): use YEAR_WEEKS or WEEKS_PER_YEAR.

Run by the test suite (tests/integration/test_layout.py); ``python scripts/check_layout.py`` prints what it finds.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("model", "agents", "experiments")
TOP_MODULES = ("run.py", "app.py")
MAX_MODULES = 15
CALENDAR = "model/engine/calendar.py"
CALENDAR_NAMES = {"WEEKS_PER_YEAR", "YEAR_WEEKS", "QUARTER_WEEKS", "WEEKS_A_YEAR", "WEEKS_IN_YEAR"}
RULE_FOLDERS = ("model", "agents")


def module_files(root: Path = ROOT) -> dict[str, Path]:
    """Project module name -> file (packages by their __init__)."""
    files = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            parts = path.relative_to(root).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            files[name] = path
    for top in TOP_MODULES:
        if (root / top).exists():
            files[Path(top).stem] = root / top
    return files


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules a module imports, at any level (``from pkg import module`` names the module)."""
    out: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name in known}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                out.add(full if full in known else base)
    return {m for m in out if m in known and m != name}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            scc = []
            while True:
                w = stack.pop()
                on.discard(w)
                scc.append(w)
                if w == v:
                    break
            if len(scc) > 1:
                found.append(sorted(scc))

    sys.setrecursionlimit(10_000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    files = module_files(root)
    known = set(files)
    graph = {name: imports_of(name, path, known) for name, path in files.items()}
    # a package's __init__ importing its own submodules is how a package names its parts, not a cycle
    for name in graph:
        graph[name] = {m for m in graph[name] if not (m.startswith(name + ".") and files[name].name == "__init__.py")}
    return graph


def folder_sizes(root: Path = ROOT) -> list[str]:
    problems = []
    for package in PACKAGES:
        for folder in [root / package, *sorted(p for p in (root / package).rglob("*") if p.is_dir())]:
            if "__pycache__" in folder.parts or not folder.is_dir():
                continue
            modules = [p for p in folder.glob("*.py") if p.name != "__init__.py"]
            if len(modules) > MAX_MODULES:
                problems.append(f"{folder.relative_to(root)}/ holds {len(modules)} modules (more than {MAX_MODULES}): "
                                "split it into packages by concept")
    return problems


def calendar_constants(root: Path = ROOT) -> list[str]:
    problems = []
    for path in module_files(root).values():
        rel = path.relative_to(root).as_posix()
        if rel == CALENDAR:
            continue
        tree = ast.parse(path.read_text(), rel)
        for node in ast.walk(tree):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
                node, ast.AnnAssign) else []
            for t in targets:
                if isinstance(t, ast.Name) and t.id in CALENDAR_NAMES:
                    problems.append(f"{rel}:{node.lineno}: {t.id} is defined in {CALENDAR}; import it from there")
            if isinstance(node, ast.Constant) and node.value == 52.1775:
                problems.append(f"{rel}:{node.lineno}: 52.1775 is WEEKS_PER_YEAR ({CALENDAR})")
        if rel.split("/")[0] in RULE_FOLDERS:
            for node in ast.walk(tree):
                if isinstance(node, (ast.BinOp, ast.AugAssign)):
                    for side in ([node.left, node.right] if isinstance(node, ast.BinOp) else [node.value]):
                        if isinstance(side, ast.Constant) and type(side.value) in (int, float) and side.value == 52:
                            problems.append(f"{rel}:{node.lineno}: a bare 52 in a rule: use YEAR_WEEKS or WEEKS_PER_YEAR "
                                            f"({CALENDAR})")
    return problems


def problems(root: Path = ROOT) -> list[str]:
    found = [f"import cycle: {' <-> '.join(c)}" for c in cycles(import_graph(root))]
    return found + folder_sizes(root) + calendar_constants(root)


def main() -> int:
    found = problems()
    for line in found:
        print(line)
    if not found:
        print("layout: no import cycles, no folder over the limit, calendar constants in one place")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
