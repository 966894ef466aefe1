"""How the command line fails: argument errors in one line, output pipes that close early, signals that
stop a command cleanly, and a last resort for the unexpected that saves a report instead of a traceback."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import sys
import tempfile
import traceback
from pathlib import Path

from experiments.infra import provenance
from experiments.infra.errors import printable

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr (exit code 2), pointing to --help; options
    are spelt out in full (no abbreviations), and an option that takes a value is given at most once."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def parse_known_args(self, args=None, namespace=None):
        tokens = sys.argv[1:] if args is None else list(args)
        for action in self._actions:
            if isinstance(action, argparse._StoreAction) and action.option_strings:
                given = [t for t in tokens if t in action.option_strings
                         or any(t.startswith(o + "=") for o in action.option_strings)]
                if len(given) > 1:
                    self.error(f"argument {'/'.join(action.option_strings)} is given {len(given)} times; give it once")
        return super().parse_known_args(args, namespace)

    def error(self, message: str):  # noqa: D102 - argparse's hook
        self.exit(EXIT_BAD_INPUT, f"error: {printable(self.prog)}: {printable(message)} (see {printable(self.prog)} --help)\n")


class PipeSafeStream:
    """A text stream that goes quiet when its reader goes away (``run.py ... | head -1``): the command
    carries on and finishes its work instead of dying with BrokenPipeError."""

    def __init__(self, stream) -> None:
        self._stream = stream
        self.broken = False

    def write(self, text: str) -> int:
        if not self.broken:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._go_quiet()
        return len(text)

    def flush(self) -> None:
        if not self.broken:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._go_quiet()

    def _go_quiet(self) -> None:
        self.broken = True
        try:  # later writes (and the flush at exit) go to /dev/null
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
        except (OSError, ValueError):
            pass

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def _stop(signum: int, frame) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


def install() -> None:
    """For a command-line process: pipe-safe stdout/stderr, and SIGTERM/SIGHUP stop a command the way
    Ctrl-C does (its partial outputs are removed or kept resumable, and child processes are ended)."""
    sys.stdout = PipeSafeStream(sys.stdout)
    sys.stderr = PipeSafeStream(sys.stderr)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _stop)


def report_unexpected(exc: BaseException, argv: list[str]) -> int:
    """The last resort: one line naming the error and where its full report was saved; exit code 3."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    text = "\n".join([
        f"command: {provenance.command_line()}",
        f"time (UTC): {stamp}",
        f"versions: {provenance.versions()}",
        f"code: {provenance.git_commit()}",
        "", "".join(traceback.format_exception(exc))])
    saved = None
    for folder in (provenance.ROOT / "output" / "error-reports", Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"run-py-error-{stamp}-{os.getpid()}.txt"
            path.write_text(text)
            saved = path
            break
        except OSError:
            continue
    where = f"the full report is in {saved}" if saved else "no report could be saved"
    message = printable(f"{type(exc).__name__}: {exc}")[:300]
    print(f"error: unexpected failure ({message}); {where} - please report it", file=sys.stderr)
    return EXIT_INTERNAL
