"""Command line: python run.py COMMAND --help.

Each command lives in experiments/cli/<name>.py with ``register(subparsers)``; this file
only discovers them, parses, and turns every failure into one line on stderr: exit code 2 for a
problem with the input or the machine (a ParameterError), 130 when interrupted, and 3, with a
saved report, for anything unexpected.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import experiments.cli as commands
from experiments.cli import guard as cli_guard
from experiments.infra import provenance
from experiments.infra.errors import printable
from model.parameters import ParameterError


def parser() -> cli_guard.OneLineParser:
    top = cli_guard.OneLineParser(
        prog="run.py", description="Probation, Transforming Rehabilitation and IOM: agent-based model.")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"experiments.cli.{info.name}")
        if hasattr(module, "register"):  # a command (guard.py is how the command line fails, not a command)
            module.register(sub)
    return top


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    provenance.set_command(["run.py", *argv])
    try:
        args = parser().parse_args(argv)
        return int(args.handler(args) or 0)
    except ParameterError as exc:
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        return cli_guard.EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return cli_guard.EXIT_INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - the last resort: one line and a saved report, never a traceback
        return cli_guard.report_unexpected(exc, argv)


if __name__ == "__main__":
    cli_guard.install()
    sys.exit(main())
