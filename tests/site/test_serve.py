"""`mimp serve` rebuilds the page when a record changes (the commander's preview)."""

from __future__ import annotations

import os
import re
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


def start_serve(root: Path, port: int, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "mimp", "serve", "--root", str(root), "--now", NOW,
         "--dev-addr", f"127.0.0.1:{port}"],
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=30)


CARD_INCIDENT = "data/incidents/2026/2026-05-16-card-payments-shops-down.md"
CARD_PAGE = "incidents/2026-05-16-card-payments-shops-down/"


def test_serve_shows_an_edited_update_first_then_the_whole_site(tmp_path: Path) -> None:
    """The fast preview: the incident page shows the edit, then the full rebuild's feed."""
    root = copy_example(tmp_path / "src")
    port = free_port()
    server = start_serve(root, port)
    try:
        base = f"http://127.0.0.1:{port}/"
        assert wait_for(base, "</html>")
        incident = root / CARD_INCIDENT
        incident.write_text(
            incident.read_text("utf-8").replace(
                "Card payments are failing", "Quickpreviewword card payments are failing"
            ),
            "utf-8",
        )
        assert wait_for(base + CARD_PAGE, "Quickpreviewword card payments")
        assert wait_for(base + "rss.xml", "Quickpreviewword card payments")
    finally:
        stop(server)


LIVERELOAD = re.compile(r"livereload\(\d+, \d+\);")
SERVED = ["", CARD_PAGE, "pirs/2026-05-16-card-payments-shops-down/", "rss.xml",
          "search/search_index.json", "sitemap.xml", "history/"]  # fmt: skip


def served_pages(root: Path, port: int, edited: Path, switch: str) -> dict[str, str]:
    """The pages served after an edit of one update, once the site has caught up."""
    original = edited.read_text("utf-8")
    server = start_serve(root, port, MIMP_FAST_PREVIEW=switch)
    try:
        base = f"http://127.0.0.1:{port}/"
        assert wait_for(base, "</html>")
        edited.write_text(original.replace("Card payments are failing", "Tills fail"), "utf-8")
        assert wait_for(base + "rss.xml", "Tills fail")
        return {path: LIVERELOAD.sub("", fetch(base + path) or "") for path in SERVED}
    finally:
        stop(server)
        edited.write_text(original, "utf-8")


def test_served_site_is_the_same_with_the_fast_preview_off(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "src")
    port = free_port()  # the same port: site_url is the server's address
    fast = served_pages(root, port, root / CARD_INCIDENT, "1")
    full = served_pages(root, port, root / CARD_INCIDENT, "0")
    assert all(fast.values())
    assert fast == full


def test_serve_keeps_the_last_good_site_while_a_record_has_errors(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "src")
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "mimp", "serve", "--root", str(root), "--now", NOW,
             "--dev-addr", f"127.0.0.1:{port}"],
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            stdout=output,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}/"
        assert wait_for(base + CARD_PAGE, "Card payments are failing")
        incident = root / CARD_INCIDENT
        good = incident.read_text("utf-8")
        incident.write_text(good.replace("commander: zoe-kim", "commander: nobody-known"))
        deadline = time.monotonic() + 40
        while "nobody-known" not in log.read_text("utf-8") and time.monotonic() < deadline:
            time.sleep(0.3)
        assert f"{CARD_INCIDENT}:13: error" in log.read_text("utf-8")
        assert "Card payments are failing" in (fetch(base + CARD_PAGE) or "")
        incident.write_text(good.replace("Card payments are failing", "Cards fail"))
        assert wait_for(base + CARD_PAGE, "Cards fail")
    finally:
        stop(server)
