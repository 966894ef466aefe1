"""`run.py viz`: serve the browser view (app.py) with Solara, offline, on loopback by default."""

from __future__ import annotations

import argparse
import errno
import os
import signal
import socket
import subprocess
import sys

from experiments.infra.paths import ROOT

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
STOP_TIMEOUT_S = 10


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("viz", help="serve the interactive browser view (app.py, Solara)",
                       description="Serve app.py with Solara at http://HOST:PORT (small scale). The page needs "
                                   "no internet: Solara's front-end files come from the solara-assets package.")
    p.add_argument("--host", help="address to listen on (default 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, help="port (default 8765)")
    p.add_argument("--measure", action="store_true",
                   help="do not serve: time one model step plus redrawing every figure, and print it")
    p.add_argument("--measure-play", action="store_true",
                   help="do not serve here: start the view on a free port, open it in headless Chromium "
                        "(/usr/bin/chromium), time the first render and a decade of Play, and print them")
    p.set_defaults(handler=main)


def server_env() -> dict[str, str]:
    """Environment for an offline Solara server: assets from the local cache, no telemetry, no badge."""
    env = dict(os.environ)
    env.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    env.setdefault("SOLARA_THEME_SHOW_BANNER", "False")  # the "runs on Solara" badge covered a figure
    env.setdefault("SOLARA_ASSETS_PROXY", "True")  # served from solara-assets' local copy, never fetched
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def check_can_listen(host: str, port: int) -> None:
    """UsageError unless this process could listen on ``host``:``port`` now (a free port on a local address)."""
    from experiments.infra.errors import UsageError

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (OSError, UnicodeError) as exc:
        raise UsageError(f"--host {host!r}: not an address of this machine ({getattr(exc, 'strerror', None) or exc})") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            in_use = exc.errno == errno.EADDRINUSE
            why = "in use" if in_use else (exc.strerror or str(exc))
            hint = "; choose another with --port" if in_use else ""
            raise UsageError(f"cannot serve on {host} port {port}: {why}{hint}") from None


def port_free(host: str, port: int) -> bool:
    """Whether a server could listen on ``host``:``port`` now."""
    from experiments.infra.errors import UsageError

    try:
        check_can_listen(host, port)
    except UsageError:
        return False
    return True


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Ask Linux to send the server SIGTERM if this command dies (even by SIGKILL)."""
    import ctypes

    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class _Terminated(Exception):
    """SIGTERM arrived."""


def _on_sigterm(signum, frame) -> None:
    raise _Terminated


def stop_server(proc: subprocess.Popen) -> int:
    """SIGTERM to the server, then SIGKILL if it has not exited within STOP_TIMEOUT_S."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


def main(args: argparse.Namespace) -> int:
    from model.parameters import ParameterError

    if args.measure or args.measure_play:
        from experiments.viz import measure as viz_measure

        if args.host is not None or args.port is not None:
            raise ParameterError("--measure serves nothing, so --host and --port do not apply; leave them out")
        lines = viz_measure.measure_redraw() if args.measure else []
        if args.measure_play:
            lines += viz_measure.measure_play()
        for line in lines:
            print(line)
        return 0
    args.host = "127.0.0.1" if args.host is None else args.host
    args.port = 8765 if args.port is None else args.port
    if not 1 <= args.port <= 65535:
        raise ParameterError(f"--port: got {args.port}, expected 1-65535")
    check_can_listen(args.host, args.port)
    if args.host not in LOOPBACK:
        print(f"warning: listening on {args.host}, so the app is exposed beyond this machine (loopback); "
              "anyone who can reach this address and port can use it", file=sys.stderr)
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"serving the browser view at http://{shown}:{args.port}/  (Ctrl-C to stop)", flush=True)
    cmd = [sys.executable, "-m", "solara", "run", str(ROOT / "app.py"), "--host", args.host, "--port", str(args.port),
           "--no-open", "--production"]
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    proc = None
    try:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=server_env(),
                                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
        return proc.wait()
    except (KeyboardInterrupt, _Terminated):
        if proc is not None:
            stop_server(proc)
        print("stopped", flush=True)
        return 0
    finally:
        if proc is not None and proc.poll() is None:  # any other way out: leave nothing serving
            stop_server(proc)
        signal.signal(signal.SIGTERM, previous)
