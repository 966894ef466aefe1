"""Every generated document and block, as ``python run.py docs`` writes them: docs/parameters.md whole, and the
marked blocks of docs/architecture.md, docs/sources.md, docs/ODD.md and docs/TRACE.md."""

from __future__ import annotations

from pathlib import Path

from experiments.docgen import architecture as doc_architecture
from experiments.docgen import evidence as doc_evidence
from experiments.docgen import odd as doc_odd
from experiments.docgen import sources as doc_sources
from experiments.docgen import trace as doc_trace
from experiments.docgen.blocks import block, replace_block
from experiments.infra.paths import DOCS
from model.parameters import parameters_markdown


def blocks(sensitivity: Path | None = None) -> dict[str, dict[str, str]]:
    """File name -> block name -> generated body. The sensitivity block is made only from a sweep folder given."""
    out = {
        "sources.md": {"citations": doc_sources.citations_markdown()},
        "architecture.md": {"architecture-week": doc_architecture.week_markdown(),
                            "architecture-channels": doc_architecture.channels_markdown(),
                            "architecture-tree": doc_architecture.tree_markdown()},
        "ODD.md": {"odd-patterns": doc_evidence.fit_markdown(), "state-variables": doc_odd.state_variables_markdown()},
        "TRACE.md": {"trace-data": doc_trace.data_markdown(), "trace-tests": doc_evidence.tests_markdown(),
                     "trace-calibration": doc_trace.calibration_markdown(),
                     "trace-corroboration": doc_evidence.predictions_markdown()},
    }
    if sensitivity is not None:
        out["TRACE.md"]["trace-analysis"] = doc_trace.sensitivity_markdown(sensitivity)
    return out


def generated(sensitivity: Path | None = None, docs: Path = DOCS) -> dict[Path, str]:
    """Path -> the text it should have (blocks not regenerated keep their text)."""
    out = {docs / "parameters.md": parameters_markdown()}
    for name, bodies in blocks(sensitivity).items():
        if not (docs / name).is_file():
            continue  # a document with generated blocks is written by hand first
        text = (docs / name).read_text()
        for block_name, body in bodies.items():
            text = replace_block(text, block_name, body)
        out[docs / name] = text
    return out


def stale(docs: Path = DOCS) -> list[str]:
    """Generated documents or blocks whose committed text differs from what the code gives now."""
    out = []
    for path, text in generated(docs=docs).items():
        current = path.read_text()
        if current != text:
            names = [b for b in blocks().get(path.name, {}) if block(current, b) != block(text, b)]
            out.append(f"{path.name}" + (f" ({', '.join(names)})" if names else ""))
    return out
