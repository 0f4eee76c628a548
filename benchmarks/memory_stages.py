"""Where `mimp build`'s memory goes: resident and peak memory at each stage of one build.

    python benchmarks/memory_stages.py ROOT OUT [--now 2026-11-23T12:00:00Z]

Runs `mimp build` in this process and prints, at each MkDocs event of the mimp plugin
(and every 2,000 pages written), the wall time, the current and peak resident memory
of this process, and the peak of its reaped children (the render workers, reaped when
the build ends). No tracer: the figures are the ones `benchmarks/run.py` reports, by
stage. For what holds the memory inside a stage, tracemalloc snapshots of check_site
and render_site are the next step (benchmarks/README.md).
"""

from __future__ import annotations

import os
import resource
import sys
import time
from typing import Any

STARTED = time.perf_counter()


def resident_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def mark(stage: str) -> None:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"{time.perf_counter() - STARTED:8.2f} s  resident {resident_mb():7.1f} MB  "
        f"peak {peak:7.1f} MB  workers' peak {children:7.1f} MB  {stage}",
        file=sys.stderr,
        flush=True,
    )


def instrument() -> None:
    from mimp.adapters import mkdocs_plugin

    plugin = mkdocs_plugin.MimpPlugin
    for name in ("on_config", "on_files", "on_env", "on_post_build"):
        event = getattr(plugin, name)

        def wrapped(self: Any, *args: Any, _event: Any = event, _name: str = name, **kw: Any):
            mark(f"before {_name}")
            result = _event(self, *args, **kw)
            mark(f"after {_name}")
            return result

        setattr(plugin, name, wrapped)
    post_page = plugin.on_post_page
    written = [0]

    def counted(self: Any, output: str, page: Any, config: Any) -> str:
        written[0] += 1
        if written[0] % 2000 == 0:
            mark(f"{written[0]:,} pages")
        return post_page(self, output, page, config)

    plugin.on_post_page = counted


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    root, out, *rest = argv
    from mimp.adapters.cli import main as mimp

    instrument()
    mark("imports")
    status = mimp(
        ["build", "--root", root, "--out", out, *(rest or ["--now", "2026-11-23T12:00:00Z"])]
    )
    mark("end")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
