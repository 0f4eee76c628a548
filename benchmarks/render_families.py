"""CPU seconds of each page family's render, in one process, and a hash of what it made.

    python benchmarks/render_families.py ROOT [--audience internal|public] [--repeat N]

Checks the site at ROOT (--now 2026-11-23T12:00:00Z, as run.py), builds the view, then
renders every family as `mimp build` splits them (the incident pages and the knowledge
base in runs), timing each with `time.process_time` (no profiler's overhead). The hash
covers every page's path, title, description, search fields and HTML and every file's
bytes: equal before and after a change means the change left the output as it was.
With --repeat, each family is rendered that many times and the fastest time is shown
(the machines these runs get are noisy: the same render differs by up to a third).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from datetime import datetime
from pathlib import Path

from mimp.derive.audience import Audience
from mimp.derive.view import SiteSettings, SiteView
from mimp.pipeline import check_site
from mimp.render import site as rendering
from mimp.render.output import SiteOutput

NOW = "2026-11-23T12:00:00+00:00"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--audience", choices=("internal", "public"), default="internal")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)

    now = datetime.fromisoformat(NOW)
    started = time.process_time()
    checked = check_site(args.root, now)
    print(f"check: {time.process_time() - started:.2f} CPU s (this process)", file=sys.stderr)
    if not checked.ok:
        print(f"{len(checked.report.errors)} error(s): run mimp check", file=sys.stderr)
        return 1
    settings = SiteSettings(name="Benchmark", url="https://status.example.com/")
    view = SiteView.build(checked.site, now, Audience(args.audience), settings)
    view.prepare()

    tasks = rendering._split(rendering._families(view), 1, len(view.incidents))
    names = list(dict.fromkeys(task[0] for task in tasks))
    whole = hashlib.sha256()
    total = 0.0
    print("| family | runs | pages | CPU s | hash |\n| --- | ---: | ---: | ---: | --- |")
    for name in names:
        runs = [task for task in tasks if task[0] == name]
        best, digest, pages = float("inf"), "", 0
        for _ in range(max(args.repeat, 1)):
            family = hashlib.sha256()
            began = time.process_time()
            outputs = [rendering._render(view, task) for task in runs]
            spent = time.process_time() - began
            pages = sum(len(output.pages) for output in outputs)
            for output in outputs:
                _hash(family, output)
            best, digest = min(best, spent), family.hexdigest()[:16]
        whole.update(digest.encode())
        total += best
        print(f"| {name} | {len(runs)} | {pages:,} | {best:.2f} | {digest} |")
    print(f"| **all** | {len(tasks)} | | **{total:.2f}** | {whole.hexdigest()[:16]} |")
    return 0


def _hash(digest: hashlib._Hash, output: SiteOutput) -> None:
    for page in output.pages:
        fields = (page.path, page.title, page.description, page.searchable)
        digest.update(repr((*fields, page.search_html, page.search_boost)).encode())
        digest.update(page.html.encode())
    for asset in output.assets:
        content = asset.content
        digest.update(asset.path.encode())
        digest.update(content if isinstance(content, bytes) else content.encode())
    digest.update(repr(output.nav).encode())


if __name__ == "__main__":
    sys.exit(main())
