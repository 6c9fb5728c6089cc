"""The parts of the browser-test harness that need no Playwright: paths, the app server, skip or fail.

conftest.py imports this at load time, so it must not import playwright: a machine without it has
to reach the fixtures, which then skip (or fail under CI=true) with a reason.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"
SERVER_START_TIMEOUT_S = 60
INSTALL_CHROMIUM_HINT = "install it with `apt-get install -y chromium`, or point CHROMIUM_PATH at a chromium binary"
INSTALL_PLAYWRIGHT_HINT = "install it with `pip install -r requirements-dev.txt`"


def running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def skip_or_fail(reason: str) -> NoReturn:
    """Skip where browser tooling is missing; fail under CI=true, so CI can never pass by skipping."""
    if running_in_ci():
        pytest.fail(f"{reason} (CI=true, so browser tests must run)", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def find_chromium() -> str | None:
    """CHROMIUM_PATH if set, else Debian's /usr/bin/chromium, else a chromium on PATH."""
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_healthy(server: subprocess.Popen, health_url: str, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"streamlit exited with code {server.returncode}:\n{log_path.read_text()}", pytrace=False)
        try:
            with urllib.request.urlopen(health_url, timeout=2) as response:
                if response.read() == b"ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    pytest.fail(
        f"{health_url} did not answer within {SERVER_START_TIMEOUT_S} s; server output:\n{log_path.read_text()}",
        pytrace=False,
    )


@contextmanager
def serve_streamlit(script: Path, log_path: Path) -> Iterator[str]:
    """Run `streamlit run <script>` from the script's folder on a free port; yield its base URL."""
    port = free_port()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable, "-m", "streamlit", "run", script.name,
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
        # Others edit the checkout while tests run; a file watcher would show "source changed" prompts.
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    with log_path.open("w") as log:
        server = subprocess.Popen(command, cwd=script.parent, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_healthy(server, f"http://127.0.0.1:{port}/_stcore/health", log_path)
            yield f"http://127.0.0.1:{port}"
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
