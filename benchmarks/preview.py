"""How long `mimp serve` takes to show an edited record, and to catch up with the site.

    python benchmarks/preview.py SITE WORKDIR [--runs 3] [--now ISO] [--port P]

Copies SITE to WORKDIR/site (once), starts `mimp serve` on it, waits for the first
build, then `--runs` times: writes a new word into the newest business update of the
incident updated last, and times from the write until the served incident page (HTTP
GET) shows it, and until the site feed (rss.xml, which only a full build writes) does;
then serve's peak resident memory.
MIMP_FAST_PREVIEW=0 in the environment measures MkDocs' full rebuild instead.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

UPDATE_AT = re.compile(r"^  - at: (\S+)")


def unused_port() -> int:
    probe = socket.create_server(("127.0.0.1", 0))
    port = int(probe.getsockname()[1])
    probe.close()
    return port


def shows(url: str, needle: str) -> bool:
    """Whether the served `url` holds `needle` now (no answer yet: no)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return needle in response.read().decode("utf-8")
    except OSError:
        return False


def wait_for(url: str, needle: str, seconds: float) -> float | None:
    """Monotonic time when `url` first shows `needle`, or None."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if shows(url, needle):
            return time.monotonic()
        time.sleep(0.05)
    return None


def peak_mb(pid: int) -> float:
    """A live process's peak resident memory (Linux), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def newest_business_update(root: Path, now: str) -> tuple[Path, int]:
    """(incident file, index of the text line of its newest business update at or before
    `now`) over every incident, by the update's time."""
    best: tuple[str, Path, int] | None = None
    for path in (root / "data/incidents").rglob("*.md"):
        if path.name.endswith(".pir.md"):
            continue
        lines = path.read_text("utf-8").split("\n")
        at, technical = "", False
        for n, line in enumerate(lines):
            match = UPDATE_AT.match(line)
            if match:
                at, technical = match[1], False
            elif line.strip() == "audience: technical":
                technical = True
            elif line.strip() == "message: |" and not technical and "" < at <= now:
                best = max(best or (at, path, n + 1), (at, path, n + 1))
    assert best is not None, "no business update found"
    return best[1], best[2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--now", default="2026-11-23T12:00:00Z")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    root = args.workdir / "site"
    if not root.exists():
        shutil.copytree(args.site, root, symlinks=True)
    port = args.port or unused_port()
    base = f"http://127.0.0.1:{port}/"
    log = (args.workdir / "serve.log").open("w")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.monotonic()
    server = subprocess.Popen(
        [sys.executable, "-m", "mimp", "serve", "--root", str(root), "--now", args.now,
         "--dev-addr", f"127.0.0.1:{port}"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        ready = wait_for(base, "</html>", 900)
        assert ready is not None, "the first build did not finish"
        print(f"first build served after {ready - started:.1f} s", flush=True)
        incident, line = newest_business_update(root, args.now.replace("Z", ""))
        page = base + f"incidents/{incident.name.removesuffix('.md')}/"
        print(f"editing {incident.relative_to(root)} ({page})", flush=True)
        for run in range(1, args.runs + 1):
            word = f"previewcheck{run}x{int(time.time())}"
            lines = incident.read_text("utf-8").split("\n")
            indent = len(lines[line]) - len(lines[line].lstrip())
            lines[line] = lines[line][:indent] + word + " " + lines[line][indent:]
            incident.write_text("\n".join(lines), "utf-8")
            written = time.monotonic()
            shown = wait_for(page, word, 600)
            caught_up = wait_for(base + "rss.xml", word, 900)
            print(
                f"run {run}: page shows the edit after "
                f"{(shown - written) if shown else float('nan'):.2f} s; "
                f"site feed after {(caught_up - written) if caught_up else float('nan'):.1f} s",
                flush=True,
            )
            time.sleep(3)
        print(f"serve's peak resident memory: {peak_mb(server.pid):.0f} MB", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
