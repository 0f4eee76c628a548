"""Render every page family of a site view into one SiteOutput.

Each family is a module with `render(view) -> SiteOutput`; adding a page family
means adding it here. Families marked internal are skipped for the public build.

With `jobs` > 1 (and `fork`, and enough records for it to pay) the families are
rendered by that many forked processes, the incident pages split in runs, and the
results joined in the same order: the same output, in about half the time on two
cores. A forked worker starts with the view already in memory; only the rendered
pages and files come back.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import tempfile
from collections.abc import Callable
from importlib import import_module
from importlib.resources import files

from generator.derive.view import SiteView
from generator.render.output import Asset, SiteOutput
from generator.render.templating import environment

# (module under generator.render, internal only?)
FAMILIES: list[tuple[str, bool]] = [
    ("status_page", False),
    ("incident_pages", False),
    ("history_pages", False),
    ("knowledge_base", True),
    ("service_pages", True),
    ("feeds", False),
    ("statuspage_api", False),
    ("calendar", False),
    ("badges", False),
    ("pir_pages", True),
    ("metrics_page", True),
    ("contact_pages", True),
]

# Stylesheets in generator/render/assets/, one per concern, published under assets/mimp/.
STYLESHEETS: list[str] = [
    "mimp.css",
    "incident_pages.css",
    "knowledge_base.css",
    "pir_pages.css",
    "metrics_page.css",
    "contacts.css",
]


# The families that take the longest first (measured at 10,000 records), so that the
# workers finish together; the incident pages come in runs of this many per job.
SLOWEST_FIRST = ["incident_pages", "feeds", "knowledge_base", "statuspage_api", "history_pages"]
INCIDENT_RUNS_PER_JOB = 2
PARALLEL_FROM = 500  # records: below this a second process costs more than it saves

Task = tuple[str, int, int]  # (family module, part, parts)


def render_site(view: SiteView, jobs: int = 1) -> SiteOutput:
    tasks: list[Task] = [
        (name, 0, 1) for name, internal_only in FAMILIES if view.internal or not internal_only
    ]
    if jobs > 1 and len(view.incidents) >= PARALLEL_FROM and _can_fork():
        results = _render_in_workers(view, tasks, jobs)
    else:
        results = [_render(view, task) for task in tasks]
    output = SiteOutput()
    for result in results:
        output.add(result)
    for name in STYLESHEETS:
        path = f"assets/mimp/{name}"
        output.assets.append(Asset(path, _asset(name), "text/css"))
        output.stylesheets.append(path)
    return output


def _asset(name: str) -> bytes:
    return files("generator.render").joinpath("assets", name).read_bytes()


def _render(view: SiteView, task: Task) -> SiteOutput:
    name, part, parts = task
    module = import_module(f"generator.render.{name}")
    if parts > 1:
        return module.render(view, part, parts)
    render: Callable[[SiteView], SiteOutput] = module.render
    return render(view)


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


_WORKER_VIEW: SiteView | None = None  # what a forked worker renders from


def _work(job: tuple[Task, str]) -> str:
    """Render a task in a worker; the output goes back through a file (a pipe moves the
    200 MB of a 10,000-record site's feeds at a fifth of the speed)."""
    task, path = job
    assert _WORKER_VIEW is not None
    output = _render(_WORKER_VIEW, task)
    with open(path, "wb") as file:
        pickle.dump(output, file, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def _render_in_workers(view: SiteView, tasks: list[Task], jobs: int) -> list[SiteOutput]:
    """The tasks' outputs in task order, rendered by `jobs` forked processes."""
    global _WORKER_VIEW
    runs = jobs * INCIDENT_RUNS_PER_JOB
    split: list[Task] = []
    for name, part, parts in tasks:
        if name == "incident_pages":
            split += [(name, n, runs) for n in range(runs)]
        else:
            split.append((name, part, parts))
    order = sorted(
        range(len(split)),
        key=lambda n: (
            SLOWEST_FIRST.index(split[n][0]) if split[n][0] in SLOWEST_FIRST else len(SLOWEST_FIRST)
        ),
    )
    # Once here rather than in every worker: what several families derive from the view,
    # the family modules, the compiled templates.
    view.prepare()
    for name, _, _ in split:
        import_module(f"generator.render.{name}")
    env = environment()
    for template in env.list_templates():
        env.get_template(template)
    _WORKER_VIEW = view
    gc.freeze()  # workers neither scan nor copy the parent's objects when they collect
    try:
        with (
            tempfile.TemporaryDirectory(prefix="mimp-render-") as folder,
            multiprocessing.get_context("fork").Pool(min(jobs, len(split))) as pool,
        ):
            jobs_in_order = [(split[n], os.path.join(folder, f"{n}.pickle")) for n in order]
            results: list[SiteOutput | None] = [None] * len(split)
            for n, path in zip(order, pool.map(_work, jobs_in_order, chunksize=1), strict=True):
                with open(path, "rb") as file:
                    results[n] = pickle.load(file)  # noqa: S301 (our own worker's file)
    finally:
        gc.unfreeze()
        _WORKER_VIEW = None
    return [r for r in results if r is not None]


def default_jobs() -> int:
    """How many processes `mimp build` renders with: MIMP_JOBS, else the CPUs (up to 4)."""
    value = os.environ.get("MIMP_JOBS", "")
    if value.strip().isdigit() and int(value) > 0:
        return int(value)
    return max(1, min(os.cpu_count() or 1, 4))
