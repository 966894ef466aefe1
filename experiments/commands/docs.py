"""`run.py docs`: regenerate docs/parameters.md from the parameter tree."""

from __future__ import annotations

import argparse
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("docs", help="regenerate docs/parameters.md",
                       description="Regenerate docs/parameters.md from model/parameters.py.")
    p.set_defaults(handler=main)


def main(args: argparse.Namespace) -> int:
    from experiments.errors import UsageError
    from experiments.safe_files import atomic_write_text, check_output_file
    from model.parameters import parameters_markdown

    path = DOCS / "parameters.md"
    check_output_file(path, "docs file")
    try:
        atomic_write_text(path, parameters_markdown())
    except OSError as exc:
        raise UsageError(f"could not write {path}: {exc.strerror}; it is unchanged") from None
    print(f"wrote {path}")
    return 0
