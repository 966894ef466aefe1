"""`run.py compare`: a report (Markdown + figures) from a sweep folder."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_figure_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", default="png", metavar="png,pdf,svg",
                   help="figure formats, comma-separated (default png; the report shows the PNG)")
    p.add_argument("--dpi", type=int, default=200, help="resolution of raster figures (default 200)")
    p.add_argument("--csv", action="store_true", help="also write every table to tables/*.csv (stored units)")


def figure_options(args: argparse.Namespace) -> tuple[tuple[str, ...], int]:
    from experiments.analysis.plots import parse_formats
    from model.parameters import ParameterError

    try:
        formats = parse_formats(args.format)
    except ValueError as exc:
        raise ParameterError(f"--format: {exc}") from None
    if not 20 <= args.dpi <= 2400:
        raise ParameterError(f"--dpi must be between 20 and 2400, got {args.dpi}")
    return formats, args.dpi


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("compare", help="write a report comparing the arms of a finished sweep",
                       description="Write SWEEP_DIR/report.md and SWEEP_DIR/figures/: the set-up (window, scale, "
                                   "national factor, seeds), a plain-language finding per key metric, what the "
                                   "replications can detect, outcomes by arm, paired differences, factorial "
                                   "attribution with shares, sensitivity indices, weekly series with 95%% t bands.")
    p.add_argument("sweep_dir", type=Path, help="a folder written by `run.py sweep`")
    add_figure_options(p)
    p.set_defaults(handler=main)


def check_sweep_folder(folder: Path) -> None:
    """Before the report: a sweep folder with a sound manifest and readable tables that can be written
    into. UsageError otherwise; writes nothing."""
    import pyarrow
    import pyarrow.parquet as pq

    from experiments.infra.errors import UsageError
    from experiments.infra.files import check_output_folder, shown
    from experiments.sweeps import sweep

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
    from experiments.analysis.report import write_report
    from experiments.infra.errors import UsageError, printable
    from experiments.infra.folder_lock import FolderLock

    formats, dpi = figure_options(args)
    check_sweep_folder(args.sweep_dir)
    with FolderLock(args.sweep_dir, "compare"):  # not while a sweep is writing the tables
        try:
            path = write_report(args.sweep_dir, formats=formats, dpi=dpi, csv=args.csv)
        except OSError as exc:
            raise UsageError(f"could not write the report in {args.sweep_dir}: {exc.strerror}") from None
    print(f"report: {printable(str(path))}")
    return 0
