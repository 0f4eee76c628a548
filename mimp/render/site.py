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
from dataclasses import replace
from importlib import import_module
from importlib.resources import files
from typing import Any

from mimp.derive.view import SiteView
from mimp.render import packed_pages
from mimp.render.output import Asset, Page, SiteOutput
from mimp.render.templating import environment

# (module under mimp.render, internal only?)
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
    ("notify_files", False),
    ("pir_pages", True),
    ("metrics_page", True),
    ("contact_pages", True),
]

# Stylesheets in mimp/render/assets/, one per concern, published under assets/mimp/.
STYLESHEETS: list[str] = [
    "mimp.css",
    "incident_pages.css",
    "knowledge_base.css",
    "pir_pages.css",
    "metrics_page.css",
    "contacts.css",
    "small_screens.css",
    "accessibility.css",
]

# Scripts in mimp/render/assets/, published under assets/mimp/ and loaded by every page.
# Each only improves a page that is complete without it.
SCRIPTS: list[str] = [
    "page_age.js",
]


# The families that take the longest first (measured at 10,000 records), so that the
# workers finish together; the incident pages come in runs of this many per job.
SLOWEST_FIRST = ["incident_pages", "feeds", "knowledge_base", "statuspage_api", "history_pages"]
INCIDENT_RUNS_PER_JOB = 2
# ... and runs of at most this many pages: a run's HTML is held whole by its worker and
# again by the parent until MkDocs has written it (2,500 pages were ~80 MB at a time).
INCIDENT_RUN_PAGES = 400
# The knowledge base (~13 KB of HTML a record at 10,000 records, held whole by its worker)
# in runs of this many records' worth of pages.
KB_RUN_RECORDS = 500
PARALLEL_FROM = 500  # records: below this a second process costs more than it saves

Task = tuple[str, int, int]  # (family module, part, parts)


def render_site(view: SiteView, jobs: int = 1) -> SiteOutput:
    tasks = _families(view)
    if _workers_pay(view, jobs):
        results = _render_in_workers(view, tasks, jobs)
    else:
        results = [_render(view, task) for task in tasks]
    output = SiteOutput()
    for result in results:
        output.add(result)
    _add_stylesheets_and_scripts(output)
    return output


def render_site_packed(view: SiteView) -> tuple[SiteOutput, dict[str, bytes]]:
    """render_site in this process, each run of pages packed (packed_pages) as soon as it
    is rendered: a process that renders everything itself (`mimp serve`, one job, a small
    site) never holds every page's HTML at once (~450 MB of text at 10,000 records). The
    same output as render_site, its pages without HTML, and their HTML packed by path
    (nothing packed with MIMP_PACK_PAGES=0: the pages keep their HTML)."""
    if not packed_pages.enabled():
        return render_site(view), {}
    tasks = _split(_families(view), 1, len(view.incidents))
    output = SiteOutput()
    packed: dict[str, bytes] = {}
    for task in tasks:  # in order: a family's runs join to the family (render_site's order)
        result = _render(view, task)
        packed.update(packed_pages.pack(result))
        output.add(result)
    _add_stylesheets_and_scripts(output)
    return output, packed


def _families(view: SiteView) -> list[Task]:
    """A task for each family the view's audience has, whole, in FAMILIES order."""
    return [(name, 0, 1) for name, internal_only in FAMILIES if view.internal or not internal_only]


def _workers_pay(view: SiteView, jobs: int) -> bool:
    """Whether forked workers render faster than this process alone."""
    return jobs > 1 and len(view.incidents) >= PARALLEL_FROM and _can_fork()


def _add_stylesheets_and_scripts(output: SiteOutput) -> None:
    for name in STYLESHEETS:
        path = f"assets/mimp/{name}"
        output.assets.append(Asset(path, _asset(name), "text/css"))
        output.stylesheets.append(path)
    for name in SCRIPTS:
        path = f"assets/mimp/{name}"
        output.assets.append(Asset(path, _asset(name), "text/javascript"))
        output.scripts.append(path)


def _asset(name: str) -> bytes:
    return files("mimp.render").joinpath("assets", name).read_bytes()


def _render(view: SiteView, task: Task) -> SiteOutput:
    name, part, parts = task
    module = import_module(f"mimp.render.{name}")
    if parts > 1:
        return module.render(view, part, parts)
    render: Callable[[SiteView], SiteOutput] = module.render
    return render(view)


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


_WORKER_VIEW: SiteView | None = None  # what a forked worker renders from


Result = tuple[SiteOutput, dict[str, bytes] | None]  # (output, its pages' packed HTML)


def _work(job: tuple[Task, str, bool]) -> str:
    """Render a task in a worker; the output goes back through a file (a pipe moves the
    200 MB of a 10,000-record site's feeds at a fifth of the speed). With `pack`, the
    pages' HTML goes back packed (packed_pages), beside pages without it."""
    task, path, pack = job
    assert _WORKER_VIEW is not None
    output = _render(_WORKER_VIEW, task)
    result: Result = (output, packed_pages.pack(output) if pack else None)
    with open(path, "wb") as file:
        pickle.dump(result, file, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def _render_in_workers(view: SiteView, tasks: list[Task], jobs: int) -> list[SiteOutput]:
    """The tasks' outputs in task order, rendered by `jobs` forked processes."""
    with _Workers(view, jobs) as workers:
        handles = workers.submit(_split(tasks, jobs, len(view.incidents)))
        return [output for output, _ in workers.collect(handles)]


def _split(tasks: list[Task], jobs: int, count: int) -> list[Task]:
    """The tasks with the incident pages in runs (2 a job at least, for the workers to end
    together; more for many records, see INCIDENT_RUN_PAGES), and the knowledge base in
    runs (KB_RUN_RECORDS)."""
    split: list[Task] = []
    for name, part, parts in tasks:
        if name == "incident_pages":
            runs = _incident_runs(count, jobs)
            split += [(name, n, runs) for n in range(runs)]
        elif name == "knowledge_base":
            runs = _kb_runs(count, jobs)
            split += [(name, n, runs) for n in range(runs)]
        else:
            split.append((name, part, parts))
    return split


def _incident_runs(count: int, jobs: int) -> int:
    """How many runs the incident pages are rendered in."""
    return max(jobs * INCIDENT_RUNS_PER_JOB, -(-count // INCIDENT_RUN_PAGES))


def _kb_runs(count: int, jobs: int) -> int:
    """How many runs the knowledge base is rendered in (each run works out which pages
    there are, ~10 ms at 10,000 records, then renders its share)."""
    return max(jobs, -(-count // KB_RUN_RECORDS))


def _slowest_first(task: Task) -> int:
    name = task[0]
    return SLOWEST_FIRST.index(name) if name in SLOWEST_FIRST else len(SLOWEST_FIRST)


class _Workers:
    """A pool of forked workers that render tasks; each output comes back as a file (a
    pipe moves the 200 MB of a 10,000-record site's feeds at a fifth of the speed)."""

    def __init__(self, view: SiteView, jobs: int) -> None:
        global _WORKER_VIEW
        # Once here rather than in every worker: what several families derive from the
        # view, the family modules, the compiled templates.
        view.prepare()
        for name, _ in FAMILIES:
            import_module(f"mimp.render.{name}")
        env = environment()
        for template in env.list_templates():
            env.get_template(template)
        self.folder = tempfile.TemporaryDirectory(prefix="mimp-render-")
        _WORKER_VIEW = view
        gc.freeze()  # workers neither scan nor copy the parent's objects when they collect
        try:
            self.pool = multiprocessing.get_context("fork").Pool(jobs)
        finally:
            gc.unfreeze()
            _WORKER_VIEW = None
        self.count = 0

    def submit(self, tasks: list[Task], pack: bool = False) -> list[Any]:
        """Start the tasks, slowest first; one handle a task, in task order. With `pack`,
        pages come back with their HTML packed (packed_pages)."""
        handles: list[Any] = [None] * len(tasks)
        for n in sorted(range(len(tasks)), key=lambda n: _slowest_first(tasks[n])):
            self.count += 1
            path = os.path.join(self.folder.name, f"{self.count}.pickle")
            handles[n] = self.pool.apply_async(_work, ((tasks[n], path, pack),))
        return handles

    def collect(self, handles: list[Any]) -> list[Result]:
        return [self.result(handle) for handle in handles]

    @staticmethod
    def result(handle: Any) -> Result:
        path = handle.get()  # a worker's exception is raised here
        with open(path, "rb") as file:
            result: Result = pickle.load(file)  # noqa: S301 (our own worker's file)
        os.unlink(path)
        return result

    def close(self) -> None:
        self.pool.terminate()
        self.pool.join()
        self.folder.cleanup()

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Deferred:
    """The HTML of pages Rendering.finish returns without it: record pages that
    workers are still rendering (html(path) waits for the run that holds a page), and
    other pages' HTML held packed (packed_pages) until it is asked for, once."""

    def __init__(
        self,
        workers: _Workers | None,
        runs: list[tuple[Any, list[Page]]],
        packed: dict[str, bytes] | None = None,
    ) -> None:
        self.workers = workers
        self.runs = runs
        self.run_of = {page.path: n for n, (_, pages) in enumerate(runs) for page in pages}
        self.done: dict[str, str] = {}
        self.packed = packed or {}

    def __contains__(self, path: str) -> bool:
        return path in self.run_of or path in self.packed

    def html(self, path: str) -> str:
        if path in self.packed:
            return packed_pages.unpack(self.packed.pop(path))
        if path not in self.done:
            handle, stubs = self.runs[self.run_of[path]]
            pages = _Workers.result(handle)[0].pages
            if [replace(p, html="") for p in pages] != stubs:
                raise RuntimeError("mimp: rendered record pages differ from their stubs")
            self.done.update((page.path, page.html) for page in pages)
        return self.done.pop(path)

    def close(self) -> None:
        if self.workers is not None:
            self.workers.close()


def start_rendering(view: SiteView, jobs: int) -> Rendering | None:
    """render_site by `jobs` forked workers, the incident pages coming without HTML at
    once and their HTML later (Deferred), so the site engine can work on every other page
    meanwhile. It takes from the view what the rest needs: the caller may then let the
    view and its records go (the workers have their own) before Rendering.finish()
    collects the pages. None when it would not pay (one job, no fork, a small site)."""
    if not _workers_pay(view, jobs):
        return None
    from mimp.render import incident_pages

    others = [task for task in _families(view) if task[0] != "incident_pages"]
    tasks = _split(others, jobs, len(view.incidents))
    workers = _Workers(view, jobs)
    try:
        handles = workers.submit(tasks, pack=packed_pages.enabled())
        runs = _incident_runs(len(view.incidents), jobs)
        run_handles = workers.submit([("incident_pages", n, runs) for n in range(runs)])
        return Rendering(workers, tasks, handles, run_handles, incident_pages.stubs(view))
    except BaseException:
        workers.close()
        raise


class Rendering:
    """Families that workers are rendering (start_rendering): no reference to the view."""

    def __init__(
        self,
        workers: _Workers,
        tasks: list[Task],
        handles: list[Any],
        run_handles: list[Any],
        stubs: list[Page],
    ) -> None:
        self.workers = workers
        self.tasks = tasks
        self.handles = handles
        self.run_handles = run_handles
        self.stubs = stubs

    def finish(self) -> tuple[SiteOutput, Deferred]:
        """Every family's output in FAMILIES order, the incident pages as stubs whose HTML
        the Deferred gives when asked."""
        try:
            results = dict(zip(self.tasks, self.workers.collect(self.handles), strict=True))
            outputs = {task: output for task, (output, _) in results.items()}
            packed = {
                path: html for _, held in results.values() for path, html in (held or {}).items()
            }
            stubs, runs, count = self.stubs, len(self.run_handles), len(self.stubs)
            deferred = Deferred(
                self.workers,
                [
                    (handle, stubs[n * count // runs : (n + 1) * count // runs])
                    for n, handle in enumerate(self.run_handles)
                ],
                packed,
            )
            output = SiteOutput()
            for name, _ in FAMILIES:
                if name == "incident_pages":
                    output.add(SiteOutput(pages=stubs))
                for task in self.tasks:  # in order, the runs of a family too
                    if task[0] == name:
                        output.add(outputs[task])
            _add_stylesheets_and_scripts(output)
            return output, deferred
        except BaseException:
            self.workers.close()
            raise


def default_jobs() -> int:
    """How many processes `mimp build` renders with: MIMP_JOBS, else the CPUs (up to 4)."""
    value = os.environ.get("MIMP_JOBS", "")
    if value.strip().isdigit() and int(value) > 0:
        return int(value)
    return max(1, min(os.cpu_count() or 1, 4))
