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


def check_sweep_folder(folder: Path) -> None:
    """Before the report: a sweep folder with a sound manifest and readable tables that can be written
    into. UsageError otherwise; writes nothing."""
    import pyarrow
    import pyarrow.parquet as pq

    from experiments import sweep
    from experiments.errors import UsageError
    from experiments.safe_files import check_output_folder, shown

    if not folder.is_dir():
        raise UsageError(f"{shown(folder)} is not a sweep folder ({'not found' if not folder.exists() else 'not a folder'})")
    if sweep.load_manifest(folder) is None:
        raise UsageError(f"{folder} is not a sweep folder (no manifest.json); run `run.py sweep` first")
    for name in ("runs.parquet", "series.parquet"):
        path = folder / name
        if path.exists():
            try:
                pq.read_metadata(path)
            except (OSError, pyarrow.ArrowException) as exc:
                raise UsageError(f"{shown(path)} is damaged ({str(exc).splitlines()[0][:120]}); run the same sweep "
                                 "command again to rebuild the tables from runs/") from None
    check_output_folder(folder / "figures", "report folder")


def main(args: argparse.Namespace) -> int:
    from experiments.errors import UsageError, printable
    from experiments.folder_lock import FolderLock
    from experiments.report import write_report

    check_sweep_folder(args.sweep_dir)
    with FolderLock(args.sweep_dir, "compare"):  # not while a sweep is writing the tables
        try:
            path = write_report(args.sweep_dir)
        except OSError as exc:
            raise UsageError(f"could not write the report in {args.sweep_dir}: {exc.strerror}") from None
    print(f"report: {printable(str(path))}")
    return 0
