"""Benchmark `mimp check` (and `mimp build`, and a bare MkDocs floor) on synthetic sites.

    python benchmarks/run.py [--sizes 100,1000,10000] [--only check,build,public,floor,content-floor]
                             [--json FILE]

For each size N it writes a synthetic site (benchmarks/synth.py), then measures
each part in a fresh subprocess: wall time, CPU time (user + system) and peak
memory (max RSS), from os.wait4's resource usage of that one child. Wall time
is best of 3 for N <= 1000 and a single run above; on a shared machine the CPU
time is the steadier figure. It prints one Markdown table; each measurement
adds its columns, and a part that is not available (say `mimp build` before it
exists) shows n/a.

`build` is the internal build (its site, search index and largest feed), `public`
the public build of the same records, `floor` a bare mkdocs-material build of as
many pages of one sentence each (the ratios compare the internal build with it), and
`content-floor` a bare mkdocs-material build of one Markdown page per record holding
that record's own prose (title, summary, updates, workaround, cause, action log,
narrative): what publishing the same records as plain MkDocs pages costs. The bare
floor measures the engine's cost per page; the content floor adds what the prose
costs it (Python-Markdown), which the bare floor's one sentence a page leaves out.

Targets on the 2-core reference machine: check of 1,000 records under 2 s, of
10,000 under 5 s. At 10,000 (issue 14): the build at most 1.3x the floor's time
and 2x its peak memory, the public site under 150 MB, the internal under 400 MB,
every feed under 1 MB, each search index under 5 MB.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import write_site  # noqa: E402

NOW = "2026-11-23T12:00:00Z"
SOURCE_DATE_EPOCH = "1795435200"  # NOW as a Unix time: byte-identical MkDocs output
DEFAULT_SIZES = (100, 1000, 10000)
CHECK_TIMEOUT = 600
BUILD_TIMEOUT = 1800
FLOOR_TIMEOUT = 1800
REPEAT_UP_TO = 1000  # best of 3 at or below this size, one run above
BIN = Path(sys.executable).parent
NA = "n/a"


# --------------------------------------------------------------------------
# Running one measured subprocess
# --------------------------------------------------------------------------


@dataclass
class Run:
    """One finished subprocess and what it cost."""

    command: list[str]
    returncode: int | None  # None: killed at the timeout
    wall: float  # seconds
    cpu: float  # user + system seconds, the child and anything it waited for
    max_rss_mb: float  # peak resident memory of the largest process in the tree
    stdout: str = ""
    stderr: str = ""

    @property
    def timed_out(self) -> bool:
        return self.returncode is None

    def tail(self, lines: int = 5) -> str:
        return "\n".join((self.stderr or self.stdout).strip().splitlines()[-lines:])


def measure(
    command: list[str], timeout: float, env: dict[str, str] | None = None, cwd: Path | None = None
) -> Run:
    """Run `command`, killing it after `timeout` seconds; wall, CPU and peak memory."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=out, stderr=err, env=env, cwd=cwd, start_new_session=True
        )
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # the whole session, helpers too

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        return Run(
            command=command,
            returncode=None if killed.is_set() else process.returncode,
            wall=wall,
            cpu=usage.ru_utime + usage.ru_stime,
            max_rss_mb=usage.ru_maxrss / 1024,  # Linux reports KiB
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


def best_of(runs: int, command: list[str], timeout: float, **kwargs) -> Run:
    """The fastest of `runs` runs (by wall time); stops early on a failure or timeout."""
    best: Run | None = None
    for _ in range(runs):
        run = measure(command, timeout, **kwargs)
        if best is None or run.wall < best.wall:
            best = run
        if run.returncode != 0:
            return run
    assert best is not None
    return best


def mimp_command() -> list[str]:
    script = BIN / "mimp"
    return [str(script)] if script.exists() else [sys.executable, "-m", "mimp"]


def quiet_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH, PYTHONHASHSEED="0")
    return env


# --------------------------------------------------------------------------
# The measurements: each returns a flat dict of figures (None when not measured)
# --------------------------------------------------------------------------


def measure_check(root: Path, size: int) -> dict[str, object]:
    """`mimp check` on the site: best of 3 up to 1,000 records, one run above."""
    runs = 3 if size <= REPEAT_UP_TO else 1
    command = [*mimp_command(), "check", "--root", str(root), "--now", NOW]
    run = best_of(runs, command, CHECK_TIMEOUT, env=quiet_env())
    counts = re.search(r"(\d+) errors?, (\d+) warnings?", run.stderr)
    result: dict[str, object] = {
        "check_wall_s": run.wall,
        "check_cpu_s": run.cpu,
        "check_rss_mb": run.max_rss_mb,
        "check_runs": runs,
        "check_exit": run.returncode,
        "check_errors": int(counts.group(1)) if counts else None,
        "check_warnings": int(counts.group(2)) if counts else None,
    }
    if run.timed_out:
        result["check_note"] = f"timed out after {CHECK_TIMEOUT} s"
    elif run.returncode != 0:
        result["check_note"] = run.tail()
    return result


_build_available: bool | None = None


def build_available() -> bool:
    """Does this checkout have `mimp build` yet?"""
    global _build_available
    if _build_available is None:
        run = measure([*mimp_command(), "build", "--help"], 60, env=quiet_env())
        _build_available = run.returncode == 0
    return _build_available


def measure_build(root: Path, size: int, audience: str = "internal") -> dict[str, object]:
    """A full `mimp build` of the site for `audience`: time, memory and what it produced.
    The internal build's figures are build_*; the public build's public_*."""
    if not build_available():
        return {"build_note": "mimp build is not available"}
    prefix = "build" if audience == "internal" else audience
    out = root.parent / f"{root.name}-{audience}-site"
    shutil.rmtree(out, ignore_errors=True)
    command = [*mimp_command(), "build", "--root", str(root), "--out", str(out), "--now", NOW]
    command += ["--audience", audience]
    run = measure(command, BUILD_TIMEOUT, env=quiet_env(), cwd=root)
    result: dict[str, object] = {
        f"{prefix}_wall_s": run.wall,
        f"{prefix}_cpu_s": run.cpu,
        f"{prefix}_rss_mb": run.max_rss_mb,
        f"{prefix}_exit": run.returncode,
    }
    if run.timed_out:
        result[f"{prefix}_note"] = f"timed out after {BUILD_TIMEOUT} s"
        return result
    if run.returncode != 0:
        result[f"{prefix}_note"] = run.tail()
        return result
    figures = site_figures(out)
    shutil.rmtree(out, ignore_errors=True)
    if audience == "internal":
        result.update(figures)
    else:
        result.update({f"{prefix}_{key}": value for key, value in figures.items()})
    return result


FEED_NAMES = frozenset({"rss.xml", "atom.xml"})


def site_figures(site: Path) -> dict[str, object]:
    """Size of the built site, of its search index, of its largest feed, and of the status
    page gzipped."""
    total = files = largest_feed = 0
    for folder, _, names in os.walk(site):
        for name in names:
            size = os.path.getsize(os.path.join(folder, name))
            total += size
            files += 1
            if name in FEED_NAMES:
                largest_feed = max(largest_feed, size)
    index = site / "search" / "search_index.json"
    status = site / "index.html"
    return {
        "site_mb": total / 1e6,
        "site_files": files,
        "search_index_mb": index.stat().st_size / 1e6 if index.exists() else None,
        "largest_feed_kb": largest_feed / 1e3 if largest_feed else None,
        "status_page_gz_kb": (
            len(gzip.compress(status.read_bytes(), compresslevel=9, mtime=0)) / 1e3
            if status.exists()
            else None
        ),
    }


FLOOR_CONFIG = """\
site_name: Floor
nav: [index.md]
theme: {name: material, font: false}
plugins: [search]
use_directory_urls: false
"""


def measure_floor(
    size: int, workdir: Path | None = None, content_of: Path | None = None
) -> dict[str, object]:
    """A bare mkdocs-material build of `size` pages, out of the nav: the floor. With
    `content_of` (a site root), the content floor: a page per record of that site, holding
    its prose (content_pages); its figures are content_floor_*."""
    prefix = "content_floor" if content_of is not None else "floor"
    mkdocs = BIN / "mkdocs"
    if not mkdocs.exists():
        return {f"{prefix}_note": "mkdocs is not installed"}
    root = Path(tempfile.mkdtemp(prefix=f"{prefix}-{size}-", dir=workdir))
    try:
        docs = root / "docs"
        docs.mkdir()
        (root / "mkdocs.yml").write_text(FLOOR_CONFIG, encoding="utf-8")
        (docs / "index.md").write_text("# Floor\n\nA bare site.\n", encoding="utf-8")
        pages = content_pages(content_of) if content_of is not None else bare_pages(size)
        for i, text in enumerate(pages):
            (docs / f"page-{i:05d}.md").write_text(text, encoding="utf-8")
        command = [str(mkdocs), "build", "--quiet", "--site-dir", str(root / "site")]
        run = measure(command, FLOOR_TIMEOUT, env=quiet_env(), cwd=root)
        result: dict[str, object] = {
            f"{prefix}_wall_s": run.wall,
            f"{prefix}_cpu_s": run.cpu,
            f"{prefix}_rss_mb": run.max_rss_mb,
        }
        if run.timed_out:
            result[f"{prefix}_note"] = f"timed out after {FLOOR_TIMEOUT} s"
        elif run.returncode != 0:
            result[f"{prefix}_note"] = run.tail()
        else:
            figures = site_figures(root / "site")
            result[f"{prefix}_site_mb"] = figures["site_mb"]
            result[f"{prefix}_search_index_mb"] = figures["search_index_mb"]
        return result
    finally:
        shutil.rmtree(root, ignore_errors=True)


def bare_pages(size: int) -> list[str]:
    """The floor's pages: a heading and one sentence each."""
    return [
        f"# Page {i}\n\nA paragraph of plain text for page {i}, as long as a short "
        "incident summary, so the search index has something to hold.\n"
        for i in range(size)
    ]


def content_pages(root: Path) -> list[str]:
    """The content floor's pages: each record of the site at `root` as one Markdown page
    with what its internal page shows as text (title, summary, every update newest
    first, workaround, cause, action log, suspected changes, narrative). Out of the
    search index, as mimp's incident pages are (the knowledge base's compact entries
    stand for them there)."""
    from datetime import datetime

    from mimp.pipeline import check_site

    site = check_site(root, datetime.fromisoformat(NOW)).site
    pages = []
    for incident in site.incidents.values():
        parts = ["---\nsearch:\n  exclude: true\n---\n", f"# {incident.title}", incident.summary]
        if incident.updates:
            parts.append("## Updates")
            for update in sorted(incident.updates, key=lambda u: u.at, reverse=True):
                parts += [f"### {update.status}, {update.at:%a %d %b %Y %H:%M}", update.message]
        for heading, text in (("Workaround", incident.workaround), ("Cause", incident.cause)):
            if text and text.strip():
                parts += [f"## {heading}", text]
        if incident.actions:
            parts.append("## Action log")
            parts.append(
                "\n".join(f"- {a.at:%H:%M} {a.by or ''}: {a.action}" for a in incident.actions)
            )
        if incident.changes:
            parts += ["## Recent changes", "\n".join(f"- {c}" for c in incident.changes)]
        if incident.body and incident.body.strip():
            parts.append(incident.body)
        pages.append("\n\n".join(parts) + "\n")
    return pages


# --------------------------------------------------------------------------
# The table: one row per size, columns from whichever measurements ran
# --------------------------------------------------------------------------


@dataclass
class Column:
    title: str
    key: str | None = None  # a figure of the row
    fmt: str = "{:.2f}"
    compute: Callable[[dict[str, object]], object] | None = None  # or a derived figure

    def cell(self, row: dict[str, object]) -> str:
        value = self.compute(row) if self.compute else row.get(self.key or "")
        if value is None:
            return NA
        return self.fmt.format(value) if isinstance(value, int | float) else str(value)


def _ratio(a: str, b: str) -> Callable[[dict[str, object]], object]:
    def compute(row: dict[str, object]) -> object:
        x, y = row.get(a), row.get(b)
        if isinstance(x, int | float) and isinstance(y, int | float) and y:
            return x / y
        return None

    return compute


COLUMNS: dict[str, list[Column]] = {
    "site": [
        Column("records", "size", "{:,}"),
        Column("files", "site_files_in", "{:,}"),
        Column("synth s", "synth_s"),
    ],
    "check": [
        Column("check wall s", "check_wall_s"),
        Column("check CPU s", "check_cpu_s"),
        Column("check peak MB", "check_rss_mb", "{:.0f}"),
        Column("errors / warnings", compute=lambda r: _pair(r, "check_errors", "check_warnings")),
    ],
    "build": [
        Column("build wall s", "build_wall_s"),
        Column("build CPU s", "build_cpu_s"),
        Column("build peak MB", "build_rss_mb", "{:.0f}"),
        Column("site MB", "site_mb", "{:.1f}"),
        Column("search index MB", "search_index_mb", "{:.2f}"),
        Column("largest feed KB", "largest_feed_kb", "{:.0f}"),
        Column("status page gz KB", "status_page_gz_kb", "{:.1f}"),
    ],
    "public": [
        Column("public wall s", "public_wall_s"),
        Column("public peak MB", "public_rss_mb", "{:.0f}"),
        Column("public site MB", "public_site_mb", "{:.1f}"),
        Column("public search index MB", "public_search_index_mb", "{:.2f}"),
        Column("public largest feed KB", "public_largest_feed_kb", "{:.0f}"),
    ],
    "floor": [
        Column("floor wall s", "floor_wall_s"),
        Column("floor peak MB", "floor_rss_mb", "{:.0f}"),
        Column("build/floor time", compute=_ratio("build_wall_s", "floor_wall_s"), fmt="{:.1f}x"),
        Column("build/floor memory", compute=_ratio("build_rss_mb", "floor_rss_mb"), fmt="{:.1f}x"),
    ],
    "content-floor": [
        Column("content floor wall s", "content_floor_wall_s"),
        Column("content floor peak MB", "content_floor_rss_mb", "{:.0f}"),
        Column(
            "build/content floor time",
            compute=_ratio("build_wall_s", "content_floor_wall_s"),
            fmt="{:.1f}x",
        ),
        Column(
            "build/content floor memory",
            compute=_ratio("build_rss_mb", "content_floor_rss_mb"),
            fmt="{:.1f}x",
        ),
    ],
}


def _pair(row: dict[str, object], a: str, b: str) -> object:
    if row.get(a) is None:
        return None
    return f"{row[a]} / {row[b]}"


def markdown_table(rows: list[dict[str, object]], parts: list[str]) -> str:
    columns = [column for part in ["site", *parts] for column in COLUMNS[part]]
    lines = [
        "| " + " | ".join(c.title for c in columns) + " |",
        "|" + "|".join(" ---: " for _ in columns) + "|",
    ]
    for row in rows:
        lines.append("| " + " | ".join(c.cell(row) for c in columns) + " |")
    notes = [
        f"- {row['size']:,}: {key.removesuffix('_note')}: {value}"
        for row in rows
        for key, value in row.items()
        if key.endswith("_note")
    ]
    return "\n".join(lines + ([""] + notes if notes else []))


# The README's performance table: the figures issue 14 sets targets for, beside the floor.
README_PARTS = ("build", "public", "floor")
README_COLUMNS: list[Column] = [
    Column("records", "size", "{:,}"),
    Column("build s", "build_wall_s", "{:.1f}"),
    Column("floor s", "floor_wall_s", "{:.1f}"),
    Column("time / floor", compute=_ratio("build_wall_s", "floor_wall_s"), fmt="{:.1f}x"),
    Column("content floor s", "content_floor_wall_s", "{:.1f}"),
    Column(
        "time / content floor",
        compute=_ratio("build_wall_s", "content_floor_wall_s"),
        fmt="{:.1f}x",
    ),
    Column("build CPU s", "build_cpu_s", "{:.1f}"),
    Column("floor CPU s", "floor_cpu_s", "{:.1f}"),
    Column("CPU / floor", compute=_ratio("build_cpu_s", "floor_cpu_s"), fmt="{:.1f}x"),
    Column("peak MB", "build_rss_mb", "{:.0f}"),
    Column("floor peak MB", "floor_rss_mb", "{:.0f}"),
    Column("memory / floor", compute=_ratio("build_rss_mb", "floor_rss_mb"), fmt="{:.1f}x"),
    Column("internal site MB", "site_mb", "{:.0f}"),
    Column("public site MB", "public_site_mb", "{:.0f}"),
    Column("largest feed KB", "largest_feed_kb", "{:.0f}"),
    Column(
        "search index MB (internal / public)",
        compute=lambda r: _pair_of(r, "search_index_mb", "public_search_index_mb"),
    ),
]
README_TARGETS = (
    "Targets at 10,000 records (issue 14): time / floor at most 1.3x, memory / floor at most "
    "2x, internal site under 400 MB, public under 150 MB, every feed under 1 MB, each search "
    "index under 5 MB. (The content floor is for comparison; no target is set against it.)"
)


def _pair_of(row: dict[str, object], a: str, b: str) -> object:
    x, y = row.get(a), row.get(b)
    if not isinstance(x, int | float) or not isinstance(y, int | float):
        return None
    return f"{x:.2f} / {y:.2f}"


def readme_table(rows: list[dict[str, object]]) -> str:
    """The README's table (build, public build and floor of each size), to paste."""
    lines = [
        "| " + " | ".join(c.title for c in README_COLUMNS) + " |",
        "|" + "|".join(" ---: " for _ in README_COLUMNS) + "|",
    ]
    lines += ["| " + " | ".join(c.cell(row) for c in README_COLUMNS) + " |" for row in rows]
    return "\n".join([*lines, "", README_TARGETS])


def machine() -> str:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return (
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.system()} "
        f"{platform.release()}, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )


MEASUREMENTS: dict[str, Callable[[Path, int], dict[str, object]]] = {
    "check": measure_check,
    "build": measure_build,
    "public": lambda root, size: measure_build(root, size, "public"),
    "floor": lambda root, size: measure_floor(size, root.parent),
    "content-floor": lambda root, size: measure_floor(size, root.parent, content_of=root),
}


def run(
    sizes: list[int], parts: list[str], workdir: Path, seed: int = 1, log=print
) -> list[dict[str, object]]:
    rows = []
    for size in sizes:
        root = workdir / f"site-{size}"
        started = time.perf_counter()
        write_site(root, size, seed)
        row: dict[str, object] = {"size": size, "synth_s": time.perf_counter() - started}
        row["site_files_in"] = sum(1 for _ in (root / "data").rglob("*.*"))
        for part in parts:
            log(f"run: {part} at {size:,} records ...")
            row.update(MEASUREMENTS[part](root, size))
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="comma-separated record counts (default: %(default)s)",
    )
    parser.add_argument(
        "--only",
        default="check,build,public,floor,content-floor",
        help="which measurements, comma-separated, of check, build, public, floor, "
        "content-floor "
        "(default: %(default)s)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, help="where to put the sites (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the generated sites")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = [p for p in parts if p not in MEASUREMENTS]
    if unknown:
        parser.error(
            f"unknown measurement {', '.join(unknown)}; choose from {', '.join(MEASUREMENTS)}"
        )

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="mimp-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    before = machine()
    try:
        rows = run(sizes, parts, workdir, args.seed, log=lambda m: print(m, file=sys.stderr))
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print(markdown_table(rows, parts))
    if all(part in parts for part in README_PARTS):
        print("\nFor the README:\n")
        print(readme_table(rows))
    print(f"\nBefore: {before}\nAfter:  {machine()}")
    if args.json:
        args.json.write_text(
            json.dumps({"machine": before, "rows": rows}, indent=2, default=str) + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
