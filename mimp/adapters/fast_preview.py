"""`mimp serve`'s fast preview: an edited record's page first, the whole site after.

MkDocs' own serve rebuilds the whole site after every edit (at 10,000 records: the
check, the render, MkDocs' loop over 14,400 pages), and holds every page request until
that is done. Here, after an edit that only changed incident or PIR files:

1. those files are read and checked again against the last full build's records
   (`recheck_records`: the other 11,000 files are not read again);
2. only the edited records' pages (incident, PIR) are rendered, put through MkDocs'
   steps for a page with the last full build's navigation and theme layouts, and
   written into the served folder (`MimpPlugin.write_record_pages`); browsers reload;
3. a full build runs in a background thread into a fresh folder (listings, feeds,
   search, API), which replaces the served one when it is done; browsers reload again.

Any other change (registry, docs/, mkdocs.yml, a record added or removed, an error)
takes the full build at once, as before; a build with errors prints them with their
file and line and the last good site is still served. Pages of the quick way are the
ones a full build at the last full build's moment would write (tests/site/test_serve.py
compares them byte for byte).

MIMP_FAST_PREVIEW=0 turns it off: MkDocs' own serve, a full rebuild after each change.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import shutil
import stat
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException
from mkdocs.livereload import LiveReloadServer, _serve_url

from mimp.load import file_stamps
from mimp.load.sources import INCIDENTS_DIR
from mimp.pipeline import CheckedSite, recheck_records
from mimp.render.site import default_jobs

SWITCH = "MIMP_FAST_PREVIEW"
STOP_WAIT = 5  # seconds serve waits, when stopped, for a background build to end
log = logging.getLogger("mkdocs.plugins.mimp")


def enabled() -> bool:
    return os.environ.get(SWITCH, "1").strip() != "0"


def render_jobs() -> int:
    """How many processes a full build renders with. Render workers are forked, and a
    fork is safe only while this process runs no other thread: so the first build, before
    the server starts, renders with `mimp build`'s workers; later builds run beside the
    server's threads and render in this process (MIMP_JOBS=1: always here)."""
    return default_jobs() if threading.active_count() == 1 else 1


@dataclass
class Built:
    """A full build: its folder, MkDocs config (with the plugin's state), its check, and
    the stamps of the site's files when it started."""

    site_dir: str
    config: Any
    checked: CheckedSite
    stamps: file_stamps.Stamps
    number: int  # builds are numbered as they start: a later one replaces an earlier one


def record_edits(before: file_stamps.Stamps, after: file_stamps.Stamps) -> list[str] | None:
    """The incident and PIR files edited between two stamps, or None when anything else
    changed (a file added or removed, the registry, docs/, mkdocs.yml). Hidden files
    (an editor's swap files) and folders' own times do not count: nothing reads them."""
    modified, added, removed = file_stamps.changed(before, after)
    edited = []
    for path in sorted(modified | added | removed):
        if any(part.startswith(".") for part in path.split("/")):
            continue
        if path in modified and _is_folder(after[path]):
            continue
        if path not in modified or not _is_record_file(path):
            return None
        edited.append(path)
    return edited


def _is_folder(stamp: file_stamps.Stamp) -> bool:
    return stat.S_ISDIR(stamp[2])


def _is_record_file(path: str) -> bool:
    return path.startswith(INCIDENTS_DIR + "/") and path.endswith(".md")


def record_id(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name.removesuffix(".md").removesuffix(".pir")


class Preview:
    """The served site, its last full build, and the background build that follows a quick
    page. The server's build loop calls `builder` after each change; every change of
    the served folder happens there, so the server holds page requests meanwhile."""

    PARTS = ("data", "docs", "mkdocs.yml")  # what a change is looked for in

    def __init__(self, config_file: Path, **config_options: Any) -> None:
        self.config_file = config_file
        self.root = config_file.parent
        self.options = config_options
        self.serve_url = ""
        self.built: Built | None = None  # what is served
        self.server: LiveReloadServer | None = None
        self.lock = threading.RLock()  # guards the fields below
        self.ready: Built | None = None  # a background build not yet served
        self.running = False  # a background build is running
        self.pending = False  # ... and another must follow it
        self.woken = False  # the builder is called to serve a finished build
        self.latest_stamps: file_stamps.Stamps | None = None  # of the latest build started
        self.seen: file_stamps.Stamps = {}  # at the builder's last call
        self.numbers = 0
        self.full_lock = threading.Lock()  # one full build at a time (they share plugins)
        self.folders: set[str] = set()  # every folder built into and not removed yet
        self.background: threading.Thread | None = None

    # --- builds -----------------------------------------------------------------------------

    def load_config(self) -> Any:
        """The site's MkDocs config, to build into a fresh folder (as MkDocs' serve loads it
        for each build)."""
        site_dir = tempfile.mkdtemp(prefix="mimp-serve-")
        config = load_config(str(self.config_file), site_dir=site_dir, **self.options)
        if self.serve_url:
            config.site_url = self.serve_url
        return config

    def full_build(self, config: Any = None) -> Built:
        """The whole site into a fresh folder, as MkDocs' serve builds it."""
        with self.full_lock:
            with self.lock:
                self.numbers += 1
                number = self.numbers
                stamps = file_stamps.take(self.root, self.PARTS)
                self.latest_stamps = stamps
            if config is None:
                config = self.load_config()
            site_dir = config.site_dir
            self.folders.add(site_dir)
            config.plugins["mimp"].jobs = render_jobs()
            try:
                build(config, serve_url=self.serve_url)
            except BaseException:
                self._remove_later(site_dir)
                raise
            plugin = config.plugins["mimp"]
            return Built(site_dir, config, plugin.last_checked, stamps, number)

    def quick(self, built: Built, paths: list[str]) -> bool:
        """The pages of the records in `paths` (edited since `built`) written into
        `built`'s folder; False (nothing written) when only a full build is right."""
        checked = recheck_records(self.root, built.checked, paths)
        if checked is None or not checked.ok:
            return False
        ids = sorted({record_id(path) for path in paths})
        return bool(built.config.plugins["mimp"].write_record_pages(built.config, checked, ids))

    # --- the server's builder ---------------------------------------------------------------

    def builder(self) -> None:
        """After a change: serve a finished background build, then the quick pages of the
        records edited since the served build, or a full build for any other change."""
        with self.lock:
            ready, self.ready = self.ready, None
            woken, self.woken = self.woken, False
        if ready is not None:
            self._serve(ready)
        assert self.built is not None
        start = time.monotonic()
        stamps = file_stamps.take(self.root, self.PARTS)
        seen, self.seen = self.seen, stamps
        paths = record_edits(self.built.stamps, stamps)
        if woken:
            if stamps == self.built.stamps:
                return  # the finished build is served, and nothing changed since it began
        elif stamps == seen:
            paths = None  # a change outside data/, docs/ and mkdocs.yml (config `watch`)
        if paths == []:
            return  # only hidden files changed (an editor's swap file)
        if paths and self._quick_or_not(paths):
            log.info(
                "mimp: %s written in %.2f s; the whole site follows",
                ", ".join(paths),
                time.monotonic() - start,
            )
            self._follow_with_full_build(stamps)
            return
        try:
            self._serve(self.full_build())
        except MkDocsException:  # the plugin and MkDocs said what is wrong, file and line
            log.error("mimp: nothing was rebuilt; the last good site is still served")

    def _quick_or_not(self, paths: list[str]) -> bool:
        """quick(), and False if it failed (a file read half-written): a full build then."""
        assert self.built is not None
        try:
            return self.quick(self.built, paths)
        except Exception:
            log.exception("mimp: the quick preview failed; building the whole site")
            return False

    def _serve(self, built: Built) -> None:
        """Serve `built` from now on, unless what is served is newer."""
        if self.built is not None and self.built.number > built.number:
            self._remove_later(built.site_dir)
            return
        old, self.built = self.built, built
        if self.server is not None:
            self.server.root = built.site_dir
        if old is not None:
            self._remove_later(old.site_dir)

    def _follow_with_full_build(self, stamps: file_stamps.Stamps) -> None:
        with self.lock:
            if self.latest_stamps == stamps:
                return  # a build of these very files is running already
            if self.running:
                self.pending = True
                return
            self.running = True
        self.background = threading.Thread(
            target=self._background, name="mimp-full-build", daemon=True
        )
        self.background.start()

    def _background(self) -> None:
        while True:
            try:
                built: Built | None = self.full_build()
            except Exception as error:
                log.error("mimp: the full rebuild failed: %s", error)
                built = None
            with self.lock:
                if built is not None:
                    if self.ready is not None:
                        self._remove_later(self.ready.site_dir)
                    self.ready = built
                again, self.pending = self.pending, False
                self.running = again
            if built is not None:
                log.info("mimp: the full rebuild is done")
                self._wake_server()
            if not again:
                return

    def _wake_server(self) -> None:
        """Make the server's build loop call `builder` (as an edit does), which serves the
        finished build and then reloads the browsers."""
        server = self.server
        if server is None:
            return
        with self.lock:
            self.woken = True
        with server._rebuild_cond:
            server._want_rebuild = True
            server._rebuild_cond.notify_all()

    # --- serving ----------------------------------------------------------------------------

    def serve(self) -> None:
        """MkDocs' serve (mkdocs.commands.serve), with `builder` after each change."""
        _one_malloc_arena()
        config = self.load_config()
        config.plugins.on_startup(command="serve", dirty=False)
        host, port = config.dev_addr
        mount_path = urlsplit(config.site_url or "/").path
        config.site_url = self.serve_url = _serve_url(host, port, mount_path)
        self._serve(self.full_build(config))
        assert self.built is not None
        self.seen = self.built.stamps
        server = LiveReloadServer(
            builder=self.builder,
            host=host,
            port=port,
            root=self.built.site_dir,
            mount_path=mount_path,
        )
        server.error_handler = self._error_page
        self.server = server
        try:
            server.watch(config.docs_dir)
            if config.config_file_path:
                server.watch(config.config_file_path)
            server = config.plugins.on_serve(server, config=config, builder=self.builder)
            for item in config.watch:
                server.watch(item)
            try:
                server.serve()
            except KeyboardInterrupt:
                log.info("Shutting down...")
            finally:
                server.shutdown()
        finally:
            config.plugins.on_shutdown()
            if self.background is not None:  # a small site's build ends soon: let it
                self.background.join(timeout=STOP_WAIT)
            with self.lock:  # a background build may still be writing into its own
                folders, self.folders = list(self.folders), set()
            for folder in folders:
                shutil.rmtree(folder, ignore_errors=True)

    def _remove_later(self, folder: str) -> None:
        """Remove a served folder in the background (14,400 files take a while); until it
        is gone, it stays in `folders`, which serve() removes when it stops."""

        def remove() -> None:
            _remove(folder)
            with self.lock:
                self.folders.discard(folder)

        threading.Thread(target=remove, daemon=True).start()

    def _error_page(self, code: int) -> bytes | None:
        if code in (404, 500) and self.built is not None:
            page = Path(self.built.site_dir) / f"{code}.html"
            if page.is_file():
                return page.read_bytes()
        return None


def _remove(folder: str) -> None:
    """Remove a folder at the lowest priority: on some file systems removing 14,400 files
    takes the kernel many seconds, which would slow the next quick page."""
    with contextlib.suppress(AttributeError, OSError):  # Linux: a thread has its own nice
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
    shutil.rmtree(folder, ignore_errors=True)


M_ARENA_MAX = -8  # glibc's mallopt parameter


def _one_malloc_arena() -> None:
    """Make every thread allocate from glibc's main heap. Otherwise the background build's
    thread gets heaps of its own, which glibc keeps after each build, and memory the
    served build frees is not reused there: at 10,000 records serve's peak was 3.9 GB
    after four full builds, 2.1 GB with one heap (and as fast)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).mallopt(M_ARENA_MAX, 1)
