"""`mimp serve` rebuilds the page when a record changes (the commander's preview)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.site.conftest import NOW, copy_example


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(url: str, needle: str, seconds: float = 40) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = fetch(url)
        if page is not None and needle in page:
            return True
        time.sleep(0.3)
    return False


def test_serve_rebuilds_when_a_record_changes(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "src")
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "mimp", "serve", "--root", str(root), "--now", NOW,
         "--dev-addr", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}/"
        assert wait_for(url, "Customers cannot complete orders on the website")
        incident = next((root / "data/incidents").rglob("*checkout-errors.md"))
        text = incident.read_text("utf-8")
        incident.write_text(
            text.replace("title: Customers cannot complete", "title: Nobody can complete")
        )
        assert wait_for(url, "Nobody can complete orders on the website")
    finally:
        server.terminate()
        server.wait(timeout=10)


EXAMPLE_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "serve"


def serve_example(port: int, **env: str) -> subprocess.Popen:
    """scripts/serve as the README gives it, on a free port (the venv is already made)."""
    return subprocess.Popen(
        [str(EXAMPLE_SCRIPT), "--dev-addr", f"127.0.0.1:{port}"],
        env={**os.environ, "MIMP_BOOTSTRAPPED": "1", "NO_MKDOCS_2_WARNING": "1", **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_scripts_serve_shows_the_example_at_its_own_moment_on_any_day() -> None:
    port = free_port()
    server = serve_example(port)
    try:
        assert wait_for(f"http://127.0.0.1:{port}/", f'datetime="{NOW.replace("Z", "+00:00")}"')
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_scripts_serve_shows_the_real_clock_when_asked() -> None:
    port = free_port()
    server = serve_example(port, MIMP_EXAMPLE_NOW="real")
    try:
        url = f"http://127.0.0.1:{port}/"
        assert wait_for(url, "As of <time")
        assert f'datetime="{NOW.replace("Z", "+00:00")}"' not in (fetch(url) or "")
    finally:
        server.terminate()
        server.wait(timeout=10)
