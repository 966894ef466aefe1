"""`run.py docs`: regenerate docs/parameters.md and the generated parts of docs/sources.md, docs/ODD.md and
docs/TRACE.md."""

from __future__ import annotations

import argparse
from pathlib import Path

from experiments.infra.paths import DOCS


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("docs", help="regenerate docs/parameters.md and the generated parts of the ODD, TRACE and sources",
                       description="Regenerate docs/parameters.md from model/parameters.py, and the blocks between "
                                   "<!-- name:begin --> and <!-- name:end --> in docs/sources.md, docs/ODD.md and "
                                   "docs/TRACE.md from the code, the tests, docs/calibration.md and docs/validation.md.")
    p.add_argument("--sensitivity", metavar="SWEEP_DIR", type=Path,
                   help="a finished sweep of experiments/data/sensitivity.toml, compared with --csv: its Morris results "
                        "go into docs/TRACE.md (without it, that part is left as it is)")
    p.set_defaults(handler=main)


def main(args: argparse.Namespace) -> int:
    from experiments.docgen.build import generated
    from experiments.infra.errors import UsageError
    from experiments.infra.files import atomic_write_text, check_output_file

    sweep = args.sensitivity
    if sweep is not None and not (sweep / "tables" / "indices.csv").is_file():
        raise UsageError(f"--sensitivity {sweep}: no tables/indices.csv there; run python run.py compare {sweep} --csv "
                         "on a finished sweep of experiments/data/sensitivity.toml first")
    texts = generated(sweep, DOCS)
    for path in texts:
        check_output_file(path, "docs file")
    for path, text in texts.items():
        current = path.read_text() if path.exists() else None
        if current == text:
            continue
        try:
            atomic_write_text(path, text)
        except OSError as exc:
            raise UsageError(f"could not write {path}: {exc.strerror}; it is unchanged") from None
        print(f"wrote {path}")
    return 0
