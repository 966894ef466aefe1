"""docs/sources.md: the rule every parameter's ``source`` follows, and the generated index of who cites what.

A source is citations separated by ``"; "``. Each begins with the key of an entry of docs/sources.md (its
``### key`` headings; ``seeds 001, 003`` names two keys) or is an assumption (``assumption:`` and a reason of at
least three words), which is the last citation and runs to the end of the source.
"""

from __future__ import annotations

import re

from experiments.infra.paths import DOCS
from model.parameters import Parameters, walk

SOURCES = DOCS / "sources.md"
ASSUMPTION = "assumption:"
SEEDS = re.compile(r"\bseeds? (\d{3}(?:(?:, | and )\d{3})*)")


def keys(text: str | None = None) -> list[str]:
    """The entries' keys: the ``### `` headings of docs/sources.md's "Entries" section."""
    text = SOURCES.read_text() if text is None else text
    section = text.split("\n## Entries", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^### (.+?)\s*$", section, re.M)


def citations(source: str) -> list[str]:
    """A source split into its citations (an assumption takes the rest of the source)."""
    out: list[str] = []
    rest = source.strip()
    while rest:
        if rest.startswith(ASSUMPTION):
            out.append(rest)
            break
        head, sep, rest = rest.partition("; ")
        out.append(head.strip())
    return out


def seeds_named(text: str) -> list[str]:
    """``seed NNN`` keys named in a text (``seeds 001, 003`` names two)."""
    return [f"seed {n}" for m in SEEDS.finditer(text) for n in re.split(r", | and ", m.group(1))]


def problem(citation: str, known: list[str]) -> str | None:
    """Why a citation does not resolve (None if it does)."""
    if citation.startswith(ASSUMPTION):
        reason = citation[len(ASSUMPTION):].strip()
        if len(reason.split()) < 3:
            return f"an assumption needs a reason of three words or more: {citation!r}"
    elif not any(citation == k or re.match(re.escape(k) + r"[ ,:(]", citation) for k in known):
        if not (SEEDS.match(citation)):
            return f"{citation!r} begins with no key of docs/sources.md"
    missing = [s for s in seeds_named(citation) if s not in known]
    return f"{', '.join(missing)} not in docs/sources.md" if missing else None


def problems(params: Parameters | None = None, known: list[str] | None = None) -> list[str]:
    """Every parameter whose source does not resolve, with why."""
    known = keys() if known is None else known
    out = []
    for name, _, f in walk(params or Parameters()):
        for c in citations(f.metadata["source"]):
            why = problem(c, known)
            if why:
                out.append(f"{name}: {why}")
    return out


def mentions(source: str, key: str) -> bool:
    """Whether a source names a key anywhere (a seed also through ``seeds NNN, MMM``)."""
    if key.startswith("seed "):
        return key in seeds_named(source)
    return re.search(r"(?<![\w/.])" + re.escape(key) + r"(?![\w])", source) is not None


def citations_markdown(params: Parameters | None = None, known: list[str] | None = None) -> str:
    """The index: for each entry, the parameters whose source names it, with the citation."""
    known = keys() if known is None else known
    leaves = [(name, value, f.metadata["source"]) for name, value, f in walk(params or Parameters())]
    lines = [f"{len(leaves)} parameters: "
             f"{sum(not s.startswith(ASSUMPTION) for _, _, s in leaves)} cite an entry first, "
             f"{sum(s.startswith(ASSUMPTION) for _, _, s in leaves)} are assumptions with a reason "
             "(of which those quoting an entry's figure are listed under it too).", ""]
    for key in known:
        cited = [(n, v, s) for n, v, s in leaves if mentions(s, key)]
        if not cited:
            continue
        lines += [f"**{key}** ({len(cited)})", "", "| parameter | default | citation |", "| --- | --- | --- |"]
        lines += [f"| `{n}` | `{v!r}` | {s.replace('|', '/')} |" for n, v, s in cited]
        lines.append("")
    return "\n".join(lines)
