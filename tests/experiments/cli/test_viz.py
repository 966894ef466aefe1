"""`run.py viz`: the server command, a port in use, and stopping on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import run
from experiments.cli import viz

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_viz_command_builds_the_solara_command_and_warns_beyond_loopback(monkeypatch, capsys):
    calls = []

    class FakeServer:
        def __init__(self, cmd, cwd, env, preexec_fn=None):
            calls.append((cmd, cwd, env))

        def wait(self):
            return 0

        def poll(self):
            return 0

    monkeypatch.setattr(viz.subprocess, "Popen", FakeServer)
    port = _free_port()
    assert run.main(["viz", "--port", str(port)]) == 0
    out = capsys.readouterr()
    assert f"http://127.0.0.1:{port}/" in out.out and "warning" not in out.err
    cmd, cwd, env = calls[-1]
    assert cmd[1:4] == ["-m", "solara", "run"] and cmd[4].endswith("app.py")
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1" and cmd[cmd.index("--port") + 1] == str(port)
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False" and env["SOLARA_THEME_SHOW_BANNER"] == "False"
    assert run.main(["viz", "--host", "0.0.0.0", "--port", str(port)]) == 0
    assert "exposed beyond this machine" in capsys.readouterr().err
    assert run.main(["viz", "--port", "70000"]) == 2


def test_a_port_in_use_is_one_line_and_exit_code_2(monkeypatch, capsys):
    started = []
    monkeypatch.setattr(viz.subprocess, "Popen", lambda *a, **k: started.append(a))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert not viz.port_free("127.0.0.1", port)
        assert run.main(["viz", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert err == f"error: cannot serve on 127.0.0.1 port {port}: in use; choose another with --port\n"
    assert started == []  # no server was started
    assert viz.port_free("127.0.0.1", port)


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_sigterm_leaves_no_server_running():
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "run.py", "viz", "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, proc.stdout.read()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.3)
        children = _children(proc.pid)
        assert children, "the server runs as a child process"
        os.kill(proc.pid, signal.SIGTERM)  # the command only, not its process group
        assert proc.wait(timeout=30) == 0
        assert "stopped" in proc.stdout.read()
        deadline = time.monotonic() + 10
        while any(_alive(c) for c in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(c) for c in children)
        assert viz.port_free("127.0.0.1", port)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
