"""End to end: `run.py viz` served, driven in Debian's Chromium with no internet access.

Every page fails the test on any failed request, HTTP error, page error or request to a host
other than loopback, so the page is proven to work offline. Never skipped: Chromium is
expected at /usr/bin/chromium (scripts/test.sh installs it). One server for the module, on a
free port; each test opens its own browser context (its own session and model).
"""

from __future__ import annotations

import csv
import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import sync_playwright

from model.engine.calendar import Calendar
from model.parameters import Parameters

N_WEEKS = Calendar(Parameters().start_date, Parameters().end_date).n_weeks  # the default run
LAST_DAY = Calendar(Parameters().start_date, Parameters().end_date).date_of(N_WEEKS - 1).strftime("%-d %b %Y")

ROOT = Path(__file__).resolve().parents[3]
OUTPUT = ROOT / "output"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
WAIT_MS = 120_000  # generous: the machine is shared; never a timing assertion


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    assert Path(CHROMIUM).is_file(), f"{CHROMIUM} missing: install Debian's chromium (apt-get install chromium)"
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    OUTPUT.mkdir(exist_ok=True)
    log = OUTPUT / f"viz_e2e_server_{port}.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "run.py", "viz", "--port", str(port)], cwd=ROOT, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, f"server exited early with code {proc.returncode}; see {log}"
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                assert time.monotonic() < deadline, f"server did not answer at {url}"
                time.sleep(0.3)
        yield url
    finally:
        code = None
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C in a terminal
            try:
                code = proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        text = log.read_text()
        log.unlink()
        assert code == 0, f"server exit code {code} after Ctrl-C:\n{text}"
        assert "serving the browser view at http://127.0.0.1" in text


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


class Watched:
    """A page in its own context, with everything that must not happen collected."""

    def __init__(self, browser, url: str, width: int = 1600, height: int = 1000) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        page = self.page
        page.on("requestfailed", lambda r: self.problems.append(f"request failed: {r.url} ({r.failure})"))
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("response", lambda r: self.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
        page.on("request", self._check_host)
        page.goto(url, wait_until="networkidle", timeout=WAIT_MS)
        page.wait_for_selector(".pv-status", timeout=WAIT_MS)
        page.wait_for_function(
            "() => [...document.querySelectorAll('.pv-card img')].filter(i => i.complete && i.naturalWidth).length >= 5",
            timeout=WAIT_MS)

    def _check_host(self, request) -> None:
        if request.url.startswith(("data:", "blob:")):
            return
        if urlparse(request.url).hostname not in LOOPBACK:
            self.problems.append(f"request beyond loopback: {request.url}")

    def status(self) -> str:
        return self.page.locator(".pv-status").inner_text()

    def week(self) -> int:
        text = self.status()
        m = re.search(r"week (\d+) of", text)
        if m:
            return int(m.group(1))
        m = re.search(r"all (\d+) weeks simulated", text)
        assert m, text
        return int(m.group(1))

    def wait_status(self, text: str) -> None:
        self.page.wait_for_function(
            f"() => {{ const e = document.querySelector('.pv-status'); return !!e && e.innerText.includes({text!r}); }}",
            timeout=WAIT_MS)

    def button(self, text: str):
        return self.page.locator("button", has_text=text)

    def choose(self, label: str, option: str) -> None:
        self.page.locator(".v-select").filter(has_text=label).click()
        self.page.locator(".v-menu__content:visible .v-list-item").filter(
            has_text=re.compile(rf"^\s*{re.escape(option)}\s*$")).first.click()

    def assert_no_traceback(self) -> None:
        body = self.page.locator("body").inner_text()
        assert "Traceback" not in body and "error" not in body.lower(), body[:2000]

    def close(self) -> None:
        self.context.close()
        assert not self.problems, "\n".join(self.problems)


def test_step_and_play_stop_at_the_last_week_without_a_traceback(server, browser):
    w = Watched(browser, server)
    assert w.week() == 0 and "tr_reunified" in w.status() and "seed 1" in w.status()
    w.button("Step").click()
    w.wait_status(f"(week 1 of {N_WEEKS})")
    w.choose("Step moves", "52 weeks")
    clicks = 0
    while not w.button("Step").is_disabled():
        w.button("Step").click()
        clicks += 1
        w.page.wait_for_function(
            "() => { const e = document.querySelector('.pv-status'); if (!e) return false; const t = e.innerText; "
            f"const m = t.match(/week (\\d+) of/); return !m || Number(m[1]) >= {min(1 + 52 * clicks, N_WEEKS)}; }}",
            timeout=WAIT_MS)
        assert clicks <= -(-N_WEEKS // 52)
    w.wait_status("run complete")
    assert w.week() == N_WEEKS and w.button("Play").is_disabled()
    w.assert_no_traceback()
    # again with Play, at the fastest speed, from a fresh run
    w.button("Reset").click()
    w.wait_status(f"(week 0 of {N_WEEKS})")
    w.choose("Play speed", "52 weeks a second")
    for week in range(52, 52 * 10, 52):  # to week 468, then Play past the end
        w.button("Step").click()
        w.wait_status(f"(week {week} of")
    w.button("Play").click()
    w.wait_status("run complete")
    w.page.wait_for_selector("button:has-text('Play')", timeout=WAIT_MS)
    assert w.button("Step").is_disabled() and w.button("Play").is_disabled()
    w.assert_no_traceback()
    w.close()


def test_two_browser_contexts_step_independently(server, browser):
    a, b = Watched(browser, server), Watched(browser, server)
    for week in (1, 2, 3):
        a.button("Step").click()
        a.wait_status(f"(week {week} of")
    assert a.week() == 3 and b.week() == 0
    b.button("Step").click()
    b.wait_status("(week 1 of")
    a.page.wait_for_timeout(300)
    assert a.week() == 3 and b.week() == 1
    a.close()
    b.close()


def test_download_returns_the_timeseries_csv(server, browser):
    w = Watched(browser, server)
    w.choose("Step moves", "4 weeks")
    w.button("Step").click()
    w.wait_status("(week 4 of")
    with w.page.expect_download(timeout=WAIT_MS) as info:
        w.button("timeseries.csv").click()
    download = info.value
    assert download.suggested_filename == "timeseries.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text())))
    assert rows[0][:3] == ["date", "under_supervision", "in_custody"]
    assert [r[0] for r in rows[1:]] == ["2011-01-01", "2011-01-08", "2011-01-15", "2011-01-22"]
    w.close()


def test_layout_fits_1280_to_1920_and_900(server, browser):
    for width in (1920, 1280, 900):
        w = Watched(browser, server, width=width, height=1080)
        page = w.page
        layout = page.evaluate("""() => {
            const box = e => e.getBoundingClientRect();
            const img = document.querySelector('.pv-network img'), cell = document.querySelector('.pv-network');
            const side = box(document.querySelector('.pv-side')), main = box(document.querySelector('.pv-main'));
            const overlap = !(side.right <= main.left || main.right <= side.left || side.bottom <= main.top
                              || main.bottom <= side.top);
            return {img: box(img), cell: box(cell), natural: img.naturalWidth / img.naturalHeight,
                    overlap: overlap, scroll: document.documentElement.scrollWidth, status: box(
                    document.querySelector('.pv-status')).height};
        }""")
        img, cell = layout["img"], layout["cell"]
        assert cell["left"] - 0.5 <= img["left"] and img["right"] <= cell["right"] + 0.5, (width, layout)
        assert cell["top"] - 0.5 <= img["top"] and img["bottom"] <= cell["bottom"] + 0.5, (width, layout)
        assert abs(img["width"] / img["height"] - layout["natural"]) < 0.02  # not stretched
        assert not layout["overlap"], (width, layout)  # the sidebar never covers the figures
        assert layout["scroll"] <= width, (width, layout)  # nothing wider than the window
        assert layout["status"] < 80, (width, layout)  # the status is a short row
        page.wait_for_timeout(1000)  # the page fades in
        page.screenshot(path=str(OUTPUT / f"viz_{width}.png"))
        w.close()


def test_comparison_series_appear(server, browser):
    w = Watched(browser, server)
    panel = w.page.locator(".pv-series-offences img")
    before = panel.get_attribute("src")
    w.choose("Baseline scenario", "pre_tr")
    w.page.wait_for_selector(".pv-baseline-status:has-text('baseline ready: pre_tr, seed 1')", timeout=WAIT_MS)
    w.page.wait_for_function(
        f"() => document.querySelector('.pv-series-offences img').src !== {before!r}", timeout=WAIT_MS)
    w.button("Step").click()
    w.wait_status("(week 1 of")
    w.page.screenshot(path=str(OUTPUT / "viz_compare.png"))
    w.close()
