"""The one error a command reports as a single line with exit code 2, and how it is shown."""

from __future__ import annotations

from model.parameters import ParameterError


class UsageError(ParameterError):
    """Something asked of a command that cannot be done: a path, a file, a folder in use, a port.

    A ParameterError too, so every place that turns a bad parameter into one line does the
    same for these.
    """


def printable(text: str) -> str:
    """``text`` with control and other invisible characters escaped (``\\n``, ``\\x1b``, ``\\u2028``),
    so that echoing user input cannot break a line or drive the terminal."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape", "backslashreplace").decode("ascii")
                   for ch in text)

