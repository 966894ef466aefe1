"""End to end: `run.py viz` served, driven in Debian's Chromium with no internet access.

Fails on any failed request, any HTTP error, any page error and any request to a host other
than loopback, so the page is proven to work offline. Never skipped: Chromium is expected at
/usr/bin/chromium (scripts/test.sh installs it).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
SCREENSHOT = ROOT / "output" / "viz_e2e.png"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, proc: subprocess.Popen, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"server did not answer at {url} within {timeout} s")


def _stop(proc: subprocess.Popen) -> int:
    """Ctrl-C (SIGINT to the process group), as in a terminal; then make sure it is gone."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            return proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise AssertionError("server did not stop within 20 s of Ctrl-C") from None
    return proc.returncode


def _status(page) -> str:
    return page.locator(".probation-status").inner_text()


def _network_image(page):
    return page.locator("img").nth(0)


def test_viz_in_chromium_offline():
    assert Path(CHROMIUM).is_file(), f"{CHROMIUM} missing: install Debian's chromium (apt-get install chromium)"
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    log = ROOT / "output" / "viz_e2e_server.log"
    log.parent.mkdir(exist_ok=True)
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "run.py", "viz", "--port", str(port)], cwd=ROOT, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    problems: list[str] = []
    try:
        _wait_for(url, proc)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1600, "height": 1300})
                page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} ({r.failure})"))
                page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
                page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)

                def check_host(request):
                    if request.url.startswith(("data:", "blob:")):
                        return
                    host = urlparse(request.url).hostname
                    if host not in LOOPBACK:
                        problems.append(f"request beyond loopback: {request.url}")

                page.on("request", check_host)
                page.goto(url, wait_until="networkidle", timeout=90_000)
                page.wait_for_selector(".probation-status", timeout=60_000)
                page.wait_for_selector("img", timeout=60_000)
                start = _status(page)
                assert "Simulated date: 1 January 2011 (week 0 of" in start
                assert "Scenario: tr_reunified" in start

                # change the scenario, rebuild the model
                page.locator(".v-select").filter(has_text="Scenario").click()
                page.locator(".v-menu__content .v-list-item").filter(has_text="pre_tr").first.click()
                page.locator("button", has_text="Reset").click()
                page.wait_for_function(
                    "() => document.querySelector('.probation-status').innerText.includes('Scenario: pre_tr')",
                    timeout=30_000)
                assert "Next policy event: none left" in _status(page)

                before_date = _status(page)
                before_src = _network_image(page).get_attribute("src")
                before_png = _network_image(page).screenshot()
                for week in range(1, 6):
                    page.locator("button", has_text="Step").click()
                    page.wait_for_function(
                        f"() => document.querySelector('.probation-status').innerText.includes('(week {week} of')",
                        timeout=30_000)
                page.wait_for_timeout(500)  # let the last images arrive
                after_date = _status(page)
                assert after_date != before_date
                assert "5 February 2011 (week 5 of" in after_date
                after_src = _network_image(page).get_attribute("src")
                after_png = _network_image(page).screenshot()
                assert after_src != before_src and after_png != before_png, "the network plot did not change"
                assert page.locator("img").count() == 6
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(SCREENSHOT), full_page=True)
            finally:
                browser.close()
    finally:
        code = _stop(proc)
    assert not problems, "\n".join(problems)
    assert SCREENSHOT.is_file() and SCREENSHOT.stat().st_size > 10_000
    assert code == 0, f"server exit code {code} after Ctrl-C; see {log}"
    assert "serving the browser view at http://127.0.0.1" in log.read_text()
