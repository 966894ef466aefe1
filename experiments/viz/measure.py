"""Timings of the browser view (``run.py viz --measure`` and ``--measure-play``); never used by tests.

``measure_redraw``: in this process, a model step plus every figure redrawn to PNG, as the
page does. ``measure_play``: the real page in headless Chromium: the first render (page load
to every figure of the first tab shown) and a decade of Play at the default speed.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from experiments.infra.paths import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
DECADE_WEEKS = 522


def measure_redraw(scenario: str = "tr_reunified", weeks: int = 40, warmup: int = 160) -> list[str]:
    """Time one model step plus redrawing every figure to PNG, at small scale.

    Runs ``warmup`` weeks, draws every figure once (reported apart: it builds the figures and
    their backgrounds), then times ``weeks`` step+redraw cycles across the June 2014 split
    (which redraws backgrounds: organisations and event marks change).
    """
    from experiments.viz.controls import Choice
    from experiments.viz.figures import network_figure
    from experiments.viz.run import ViewedRun
    from experiments.viz.series import PANELS, series_figure
    from experiments.viz.text import status_html

    run = ViewedRun(Choice(scenario=scenario))
    run.advance(warmup)

    def redraw(parts: dict[str, list[float]]) -> None:
        t = time.perf_counter()
        status_html(run)
        parts["status"].append(time.perf_counter() - t)
        t = time.perf_counter()
        network_figure(run.model).png()
        parts["network"].append(time.perf_counter() - t)
        for key, panel in PANELS.items():
            t = time.perf_counter()
            series_figure(run, panel).png()
            parts[key].append(time.perf_counter() - t)

    first: dict[str, list[float]] = defaultdict(list)
    t0 = time.perf_counter()
    redraw(first)
    first_total = time.perf_counter() - t0
    parts: dict[str, list[float]] = defaultdict(list)
    for _ in range(weeks):
        t0 = time.perf_counter()
        run.advance(1)
        parts["step"].append(time.perf_counter() - t0)
        redraw(parts)
        parts["step+redraw"].append(time.perf_counter() - t0)
    lines = [f"{scenario}, small scale, seed 1: first draw of all figures {first_total:.3f} s; then weeks "
             f"{warmup}-{warmup + weeks} (to {run.model.date:%Y-%m-%d}), seconds per week:",
             f"  {'':12s} {'median':>8s} {'mean':>8s} {'max':>8s}"]
    for name, values in parts.items():
        lines.append(f"  {name:12s} {np.median(values):8.4f} {np.mean(values):8.4f} {max(values):8.4f}")
    return lines


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_server(url: str, proc: subprocess.Popen, timeout: float = 120.0) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the server did not answer at {url} within {timeout:.0f} s")


def week_shown(page) -> int | None:
    """The week in the page's status line (the run's length once complete)."""
    text = page.locator(".pv-status").inner_text()
    m = re.search(r"week (\d+) of (\d+)", text)
    if m:
        return int(m.group(1))
    m = re.search(r"all (\d+) weeks simulated", text)
    return int(m.group(1)) if m else None


def figures_shown_js(count: int) -> str:
    return ("() => { const imgs = [...document.querySelectorAll('.pv-card img')]; "
            f"return imgs.length >= {count} && imgs.every(i => i.complete && i.naturalWidth > 0); }}")


def measure_play(width: int = 1600, height: int = 1000, timeout: float = 600.0) -> list[str]:
    """Serve the view, open it in headless Chromium: time the first render and a decade of Play."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        return [f"measure-play: {CHROMIUM} not found (apt-get install chromium)"]
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    proc = subprocess.Popen([sys.executable, "run.py", "viz", "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lines = []
    try:
        _wait_for_server(url, proc)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": width, "height": height})
                t0 = time.perf_counter()
                page.goto(url, wait_until="domcontentloaded", timeout=int(timeout * 1000))
                page.wait_for_selector(".pv-status", timeout=int(timeout * 1000))
                page.wait_for_function(figures_shown_js(6), timeout=int(timeout * 1000))
                first = time.perf_counter() - t0
                lines.append(f"first render (page load to the status and all 6 figures of the first tab): {first:.2f} s")
                lines += _play_decade(page, "default speed (13 weeks a second)", timeout)
                page.locator("button", has_text="Pause").click()
                page.locator("button", has_text="Reset").click()
                page.wait_for_function("() => document.querySelector('.pv-status').innerText.includes('(week 0 of')",
                                       timeout=int(timeout * 1000))
                page.locator(".v-select").filter(has_text="Play speed").click()
                page.locator(".v-menu__content:visible .v-list-item").filter(has_text="52 weeks a second").first.click()
                lines += _play_decade(page, "fastest speed (52 weeks a second)", timeout)
            finally:
                browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    lines.append(f"(viewport {width}x{height}, first tab shown, small scale, tr_reunified, seed 1)")
    return lines


def _play_decade(page, what: str, timeout: float) -> list[str]:
    """Press Play and time the weeks shown until a decade has been simulated."""
    page.locator("button", has_text="Play").click()
    t0 = time.perf_counter()
    marks: dict[int, float] = {}
    while time.perf_counter() - t0 < timeout:
        week = week_shown(page) or 0
        for target in (52, 261, DECADE_WEEKS):
            if week >= target and target not in marks:
                marks[target] = time.perf_counter() - t0
        if week >= DECADE_WEEKS:
            break
        time.sleep(0.1)
    lines = [f"Play at the {what}, from week 0 to week {target}: {seconds:.1f} s ({target / seconds:.1f} weeks a second)"
             for target, seconds in marks.items()]
    if DECADE_WEEKS not in marks:
        lines.append(f"Play at the {what} did not reach week {DECADE_WEEKS} within {timeout:.0f} s")
    return lines
