"""Helpers for driving the dashboard in a real browser (Debian Chromium via Playwright's sync API).

Import the fixtures into a test module with
``from browser_support import chromium_browser, dashboard_server  # noqa: F401``.

* ``dashboard_server(db_url)`` starts ``streamlit run dashboard.py`` on a free port against the
  given store and waits for ``/_stcore/health``; the process is stopped by its own id afterwards.
* ``chromium_browser`` launches ``/usr/bin/chromium`` (never a Playwright-downloaded browser). When it is
  missing the test is skipped, unless ``CI=true``: there a missing browser is a failure.
* ``RequestLog`` records every request a page makes so a test can insist that all of them stay
  on 127.0.0.1 / localhost (the map must draw offline).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-sync",
    "--metrics-recording-only",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def need_chromium() -> None:
    if CHROMIUM.exists():
        return
    msg = f"{CHROMIUM} not found (apt-get install chromium)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(msg + "; CI=true requires the browser tests to run")
    pytest.skip(msg)


@contextlib.contextmanager
def run_dashboard(db_url: str, *, port: int | None = None, timeout: float = 60.0,
                  env: dict[str, str] | None = None) -> Iterator[str]:  # fmt: skip
    """``streamlit run dashboard.py`` on a free port; yields its base URL once healthy."""
    port = port or free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / f"streamlit-{port}.log"
    full_env = {**os.environ, "DATABASE_URL": db_url, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    full_env.update(env or {})
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(REPO / "dashboard.py"),
        "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]  # fmt: skip
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=REPO, env=full_env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"streamlit exited with {proc.returncode}; see {log_path}")
                try:
                    with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit not healthy after {timeout:.0f}s; see {log_path}")
                time.sleep(0.25)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


@contextlib.contextmanager
def launch_chromium() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


class RequestLog:
    """Every request a page (and its workers) makes; ``outside()`` lists those leaving the machine."""

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.urls: list[str] = []
        self.failed: list[str] = []
        page.on("request", lambda req: self.urls.append(req.url))
        page.on("requestfailed", lambda req: self.failed.append(f"{req.url} {req.failure}"))

    def outside(self) -> list[str]:
        out = []
        for url in self.urls:
            p = urlparse(url)
            if p.scheme in ("data", "blob", "about", "chrome", "chrome-extension"):
                continue
            if p.hostname not in LOCAL_HOSTS:
                out.append(url)
        return out


@pytest.fixture(scope="module")
def chromium_browser():  # type: ignore[no-untyped-def]
    need_chromium()
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("playwright is not installed; CI=true requires the browser tests to run")
        pytest.skip("playwright is not installed")
    with launch_chromium() as b:
        yield b


@pytest.fixture
def dashboard_server():  # type: ignore[no-untyped-def]
    """A callable: ``with dashboard_server(db_url) as base_url: ...``."""
    return run_dashboard


def wait_for_app(page, timeout: float = 30_000) -> None:  # type: ignore[no-untyped-def]
    """Wait until Streamlit finished running the script (no 'Running...' status widget)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    page.wait_for_function("""() => !document.querySelector('[data-testid="stStatusWidget"]')""", timeout=timeout)
    page.wait_for_timeout(300)
    page.wait_for_function("""() => !document.querySelector('[data-testid="stStatusWidget"]')""", timeout=timeout)
