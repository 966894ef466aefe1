"""Command line: python run.py COMMAND --help.

Each command lives in experiments/commands/<name>.py with ``register(subparsers)``; this
file only discovers them, parses, and turns a ParameterError into one line and exit code 2.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

import experiments.commands as commands
from model.parameters import ParameterError


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="run.py", description="Probation, Transforming Rehabilitation and IOM: agent-based model.")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"experiments.commands.{info.name}").register(sub)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except ParameterError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
