"""`run.py compare`: a report (Markdown + PNG figures) from a sweep folder."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("compare", help="write a report comparing the arms of a finished sweep",
                       description="Write SWEEP_DIR/report.md and SWEEP_DIR/figures/*.png: each metric by arm with "
                                   "95%% intervals, paired differences against the baseline, weekly series with "
                                   "bands and policy dates, factorial attribution and sensitivity indices.")
    p.add_argument("sweep_dir", type=Path, help="a folder written by `run.py sweep`")
    p.set_defaults(handler=main)


def main(args: argparse.Namespace) -> int:
    from experiments.report import write_report

    path = write_report(args.sweep_dir)
    print(f"report: {path}")
    return 0
