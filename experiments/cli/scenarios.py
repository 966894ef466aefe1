"""`run.py scenarios`: list the scenarios with a line each."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("scenarios", help="list scenarios", description="List the scenarios in experiments/data/scenarios/; "
                                                                      "a file that cannot be used is listed with the reason.")
    p.set_defaults(handler=main)


def main(args: argparse.Namespace) -> int:
    from experiments import scenarios
    from experiments.infra.errors import printable

    for name, description in scenarios.describe_all():
        print(f"{name:20s} {printable(description)}")
    return 0
