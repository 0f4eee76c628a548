"""The MkDocs adapter: feeds the generated pages and files into an MkDocs build.

It is the only module that knows MkDocs (with mkdocs_theme/). The core renders
HTML fragments and files; this plugin adds them as generated files
(`File.generated`), swaps each generated page's content for the fragment, and
puts only listing pages in the navigation (record pages stay out of it, so
every page stays small and build time grows linearly).

Record pages (every generated page out of the navigation: incidents, PIRs, month
and knowledge-base pages; thousands of them) skip what MkDocs would do for a
Markdown page: they have no Markdown to convert (_GeneratedPage), and the theme's
layout, the same for every page of a folder but for the title, description,
content and the page's own folder name, is rendered once per folder with
placeholders and filled in (_Layouts). Both give the bytes MkDocs and the theme
would; _Layouts checks that on a real page of each folder before using a layout.
"""

from __future__ import annotations

import contextlib
import gc
import html
import logging
import multiprocessing
import os
import posixpath
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mkdocs.commands.build import get_context
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.structure.toc import get_toc

from mimp.adapters import compact_layout, memory_release
from mimp.adapters.publish_schedule import publish_interval_minutes
from mimp.adapters.theme_files import THEME_DIR, shadowing
from mimp.derive.audience import Audience
from mimp.derive.view import SiteSettings, SiteView
from mimp.load.site_files import docs_file_refusal, docs_pages, source_folder_refusals
from mimp.load.sources import split_front_matter
from mimp.model.docs_page import docs_pages_report
from mimp.pipeline import CheckedSite, check_site
from mimp.render import Page, SiteOutput, incident_pages, links, pir_pages, render_site
from mimp.render.links import site_feeds
from mimp.render.site import Deferred, render_site_packed, start_rendering

log = logging.getLogger("mkdocs.plugins.mimp")
PUBLIC_PAGE_KEY = "audience"  # docs/ pages with `audience: public` go into the public build
RECORD_TEMPLATE = "mimp_record.html"  # renders nothing: on_post_page returns the page
# The plugins a layout is known to be right with: any other may change a page's context.
LAYOUT_PLUGINS = frozenset({"search", "material/search", "mimp"})
# Material's search plugin removes these attributes from every page's content.
SEARCH_ATTRIBUTES = re.compile(r"\s?data-search-\w+=\"[^\"]+\"")
# An element the search plugin skips whole. Its parser ends a skipped element at the
# first closing tag of the same name, so generated pages never nest one in another.
HEADING = re.compile(r"<h[1-6][\s>]")
SEARCH_EXCLUDED = re.compile(
    r"<(?P<tag>[a-z][a-z0-9]*)\b[^>]*\sdata-search-exclude\b[^>]*>.*?</(?P=tag)>", re.S
)


class MimpConfig(Config):
    audience = c.Choice(("internal", "public"), default="internal")
    now = c.Optional(c.Type(str))  # ISO 8601; default: the time of the build
    root = c.Optional(c.Type(str))  # the site root (data/); default: beside mkdocs.yml
    # How often CI republishes the site (default: from the publish workflow's schedule),
    # and how late a build may be before pages tell readers they may be out of date.
    publish_interval_minutes = c.Optional(c.Type(int))
    stale_margin_minutes = c.Type(int, default=30)


class MimpPlugin(BasePlugin[MimpConfig]):
    """`plugins: [search, mimp]` in mkdocs.yml."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        super().__init__()
        self.checked: CheckedSite | None = None  # set by `mimp build` to skip a second check
        self.jobs = 1  # processes to render with: `mimp build` and serve's first build set more
        self.one_shot = False  # `mimp build`: the process ends with the build
        self.audience_override: str | None = None
        self.now_override: datetime | None = None
        self.fixed_clock = False  # `mimp build --now`: the pages show that moment, not "now"
        self.output = SiteOutput()
        self.pages: dict[str, Page] = {}
        self.layouts: _Layouts | None = None
        self.deferred: Deferred | None = None  # record pages whose HTML workers still render
        self.folder_maker: Any = None  # a process making the output's folders
        self.finished: dict[str, str] = {}  # record page src_uri -> its HTML, for on_post_page
        self.shown: dict[str, str] = {}  # page src_uri -> its content while search indexes it
        # What the last build made, for `mimp serve` to write one record's pages again
        # (write_record_pages): its check, MkDocs' files, navigation and theme.
        self.last_checked: CheckedSite | None = None
        self.files: Files | None = None
        self.nav: Any = None
        self.env: Any = None

    # --- settings -------------------------------------------------------------------------

    def _root(self, config: Any) -> Path:
        if self.config.root:
            return Path(config.config_file_path).parent / self.config.root
        return Path(config.config_file_path).parent

    def _audience(self) -> Audience:
        return Audience(
            self.audience_override or os.environ.get("MIMP_AUDIENCE") or self.config.audience
        )

    def _now(self) -> datetime:
        if self.now_override is not None:
            return self.now_override
        text = os.environ.get("MIMP_NOW") or self.config.now
        if text:
            value = datetime.fromisoformat(text)
            if value.tzinfo is None:
                raise PluginError(f"mimp: now '{text}' has no UTC offset")
            return value.astimezone(UTC)
        return datetime.now(UTC)

    def _view(self, config: Any, checked: CheckedSite) -> SiteView:
        """What the pages are rendered from: the checked records for this audience."""
        settings = SiteSettings(name=config.site_name, url=config.site_url or "")
        return SiteView.build(checked.site, checked.now, self._audience(), settings)

    # --- events ----------------------------------------------------------------------------

    def on_config(self, config: Any) -> Any:
        checked = self.checked or check_site(self._root(config), self._now())
        self.checked = None  # a serve rebuild must read the records again
        self.last_checked = None if self.one_shot else checked  # serve's quick pages read it
        for item in checked.report.sorted():
            (log.error if item.severity == "error" else log.info)(item.as_text())
        if not checked.ok:
            raise PluginError(
                f"mimp: {len(checked.report.errors)} error(s) in data/ or docs/; nothing was built. "
                "Run `mimp check` for the list."
            )
        _refuse_unsafe_folders(config, self._root(config))
        if self.one_shot:
            memory_release.forget_source_trees(checked.site)  # before workers fork
        view = self._view(config, checked)
        if self.one_shot and view.site is not checked.site:
            # The public view holds its own customer-safe copies: the records can go now,
            # before the workers fork, so neither they nor this process hold them.
            memory_release.forget_records(checked)
        feeds = [vars(feed) for feed in site_feeds(view)]
        audience = view.audience.value
        self.close_workers()
        layouts_known = set(config.plugins) <= LAYOUT_PLUGINS
        rendering = start_rendering(view, self.jobs) if layouts_known else None
        if rendering is not None:
            # Record pages' HTML comes while MkDocs works on the rest (on_page_context).
            if self.one_shot:  # the workers have their own copy of the records now
                del view
                memory_release.forget_records(checked)
            self.output, self.deferred = rendering.finish()
        elif layouts_known:  # rendered here (serve, one job, small)
            self.output, packed = render_site_packed(view)
            self.deferred = Deferred(None, [], packed) if packed else None
        else:  # other plugins may read every page's content earlier
            self.output = render_site(view, self.jobs)
        if self.one_shot:
            # The pages live to the end of the build: keep them out of the collector, which
            # otherwise walks all of them in every full collection of the MkDocs build.
            # (`mimp build` unfreezes them when the build is over.)
            gc.freeze()
        self.pages = {page.path: page for page in self.output.pages}
        config.theme.dirs.insert(0, str(THEME_DIR))
        for stylesheet in self.output.stylesheets:
            if stylesheet not in config.extra_css:
                config.extra_css.append(stylesheet)
        for script in self.output.scripts:
            if script not in config.extra_javascript:
                config.extra_javascript.append(script)
        config.extra["mimp_feeds"] = feeds
        config.extra["mimp_audience"] = audience
        config.extra["mimp_clock"] = self._page_clock(config, checked.now)
        return config

    def _page_clock(self, config: Any, now: datetime) -> dict[str, Any]:
        """What every page's head says about its age, for the page-age script."""
        interval = self.config.publish_interval_minutes or publish_interval_minutes(
            self._root(config)
        )
        fixed = self.fixed_clock or bool(os.environ.get("MIMP_NOW") or self.config.now)
        return {
            "built": now.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "stale_after_minutes": interval + max(self.config.stale_margin_minutes, 0),
            "fixed": fixed,
        }

    def on_files(self, files: Files, config: Any) -> Files:
        generated = {page.path for page in self.output.pages} | {
            asset.path for asset in self.output.assets
        }
        _refuse_unsafe_files(files, config, self._root(config))
        for file in list(files):
            if file.src_uri in generated:
                log.warning("mimp: docs/%s is replaced by a generated page", file.src_uri)
                files.remove(file)
            elif self._audience() is Audience.PUBLIC and not _is_public_doc(file):
                files.remove(file)
        nav_paths = {entry.path for entry in self.output.nav}
        # MkDocs builds pages in this order. The incident pages go last: 'mimp build'
        # renders their HTML in workers meanwhile (Deferred), so MkDocs builds every
        # other page first instead of waiting. (Only the sitemap lists pages in this
        # order; the search index holds no incident page.)
        ordered = sorted(self.output.pages, key=lambda page: page.path.startswith("incidents/"))
        for page in ordered:
            inclusion = (
                InclusionLevel.INCLUDED if page.path in nav_paths else InclusionLevel.NOT_IN_NAV
            )
            if page.path == "index.md":
                inclusion = InclusionLevel.INCLUDED
            file = File.generated(config, page.path, content=_stub(page), inclusion=inclusion)
            files.append(file)
            if inclusion is InclusionLevel.NOT_IN_NAV:
                _GeneratedPage(None, file, config)  # MkDocs keeps file.page when it is set
        for asset in self.output.assets:
            files.append(File.generated(config, asset.path, content=asset.content))
        if self.one_shot:
            self.folder_maker = _make_folders_meanwhile(
                [file for file in files if file.generated_by is not None]
            )
        if config.nav is None:
            config.nav = self._nav(files)
        memory_release.files_made(self.output)
        return files

    def _nav(self, files: Files) -> list[Any]:
        nav: list[Any] = [{"Status": "index.md"}]
        nav += [{entry.title: entry.path} for entry in self.output.nav]
        own = sorted(
            f.src_uri
            for f in files.documentation_pages()
            if f.src_uri not in self.pages and f.inclusion.is_in_nav()
        )
        if own:
            nav.append({"Guides": own})
        return nav

    def on_nav(self, nav: Any, config: Any, files: Files) -> Any:
        self.nav = nav
        return nav

    def on_page_content(self, html: str, page: MkDocsPage, config: Any, files: Files) -> str:
        generated = self.pages.get(page.file.src_uri)
        return generated.html if generated is not None else html

    def on_env(self, env: Any, config: Any, files: Files) -> Any:
        self.layouts = _Layouts(env, config)
        self.finished = {}
        self.env, self.files = env, files
        return env

    def write_record_pages(self, config: Any, checked: CheckedSite, record_ids: list[str]) -> bool:
        """Render these records' pages (each incident's, and its PIR's) from `checked` and
        write them over the last build's, as that build would have written them: MkDocs'
        steps for a page, with the last build's navigation and theme layouts (_Layouts).
        False, with nothing written, when that cannot be the same: the last build had no
        such page to replace, these records now have other pages (a new PIR), or other
        plugins may change pages; then only a full build is right."""
        if self.env is None or self.files is None or not set(config.plugins) <= LAYOUT_PLUGINS:
            return False
        view = self._view(config, checked)
        pages: list[Page] = []
        for record_id in record_ids:
            for src, page in (
                (links.incident_page(record_id), incident_pages.page_of(view, record_id)),
                (links.pir_page(record_id), pir_pages.page_of(view, record_id)),
            ):
                old = self.files.get_file_from_path(src)
                if (page is None) != (old is None):
                    return False
                if page is None or old is None:
                    continue
                if old.page is None or not old.inclusion.is_not_in_nav():
                    return False
                pages.append(page)
        for page in pages:
            self._write_page(config, page)
        return True

    def _write_page(self, config: Any, page: Page) -> None:
        """One record page through MkDocs' steps for a page (mkdocs.commands.build's
        _populate_page and _build_page), with the navigation and theme of the last build.

        Of the page-context events only this plugin's run: the search plugin would add the
        page to its index, and MkDocs shares that plugin between builds (it has
        on_startup), so a full build running meanwhile would get the entry. A record
        page's output never depends on it (the layout is filled in before it runs)."""
        from mkdocs.commands.build import _populate_page
        from mkdocs.utils import write_file

        assert self.files is not None
        old = self.files.get_file_from_path(page.path)
        assert old is not None
        file = File.generated(config, page.path, content=_stub(page), inclusion=old.inclusion)
        self.files.remove(old)
        self.files.append(file)
        mkdocs_page = _GeneratedPage(None, file, config)
        self.pages[page.path] = page
        _populate_page(mkdocs_page, config, self.files)
        shown = self.files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        mkdocs_page.active = True
        try:
            context = get_context(self.nav, shown, config, mkdocs_page)
            template = self.env.get_template(mkdocs_page.meta.get("template", "main.html"))
            context = self._before_search(context, mkdocs_page, config, self.nav)
            context = self._after_search(context, mkdocs_page, config, self.nav)
            output = self.on_post_page(template.render(context), mkdocs_page, config)
            write_file(output.encode("utf-8", errors="xmlcharrefreplace"), file.abs_dest_path)
        finally:
            mkdocs_page.active = False

    @event_priority(50)  # before the search plugin, which then indexes or skips the page
    def _before_search(self, context: Any, page: MkDocsPage, config: Any, nav: Any) -> Any:
        if self.deferred is not None and page.file.src_uri in self.deferred:
            page.content = self.deferred.html(page.file.src_uri)  # waits for its worker
        context = self._record_layout(context, page)
        generated = self.pages.get(page.file.src_uri)
        if generated is not None and generated.search_html is not None:
            # The search plugin indexes the compact entries; the page keeps its content.
            self.shown[page.file.src_uri] = page.content or ""
            page.content = generated.search_html
        return context

    @event_priority(-50)  # after the search plugin: the theme renders the page's own content
    def _after_search(self, context: Any, page: MkDocsPage, config: Any, nav: Any) -> Any:
        shown = self.shown.pop(page.file.src_uri, None)
        if shown is not None:
            page.content = _without_search_attributes(shown)
        return context

    on_page_context = CombinedEvent(_before_search, _after_search)

    def _record_layout(self, context: Any, page: MkDocsPage) -> Any:
        if page.meta.get("template") != RECORD_TEMPLATE or self.layouts is None:
            return context
        # What the search plugin and the theme would make of the page, made here: the
        # content without data-search-* attributes, in the theme's layout.
        content = _without_search_attributes(page.content or "")
        raw = page.content or ""
        self.finished[page.file.src_uri] = self.layouts.page(page, context, content)
        if (page.meta.get("search") or {}).get("exclude"):
            page.content = ""  # the search plugin skips it, but still scans the content
        elif "data-search-exclude" in raw:
            page.content = _searchable_part(raw)
        return context

    def on_post_page(self, output: str, page: MkDocsPage, config: Any) -> str:
        finished = self.finished.pop(page.file.src_uri, None)
        if finished is not None:
            output = finished
        if page.file.src_uri in self.pages:  # a generated page (not one of docs/)
            output = compact_layout.compact(output)
        if set(config.plugins) <= LAYOUT_PLUGINS:  # no other plugin reads the content later
            memory_release.written(self.pages, page)
        # (The search dialog's name comes from mkdocs_theme/partials/search.html.)
        return output

    def on_post_build(self, config: Any) -> None:
        self.close_workers()

    def on_build_error(self, error: Exception) -> None:
        self.close_workers()

    def close_workers(self) -> None:
        if self.deferred is not None:
            self.deferred.close()
            self.deferred = None
        if self.folder_maker is not None:
            self.folder_maker.join()
            self.folder_maker = None

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        server.watch(str(self._root(config) / "data"))
        return server


FOLDERS_AHEAD_FROM = 1000  # output folders: below this, making them ahead does not pay


def _make_folders_meanwhile(files: list[File]) -> Any:
    """Start a process that makes these files (generated, so always written), empty, and
    their folders, and return it.

    Each incident page has its own folder, and on this VM making a folder or a first
    file in it costs the kernel up to ~1 ms: at 10,000 records 8-16 s of the build's
    page loop. A forked process makes them, in path order, while MkDocs renders the
    first pages; MkDocs then finds the folder and writes into the empty file.
    """
    paths = sorted(file.abs_dest_path for file in files)
    folders = {os.path.dirname(path) for path in paths}
    if len(folders) < FOLDERS_AHEAD_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return None
    maker = multiprocessing.get_context("fork").Process(
        target=_make_folders, args=(paths,), daemon=True
    )
    maker.start()
    return maker


def _make_folders(paths: list[str]) -> None:
    """Each file's folder, and the file itself, empty, unless it is there already (O_EXCL:
    never truncates a page MkDocs has written meanwhile; MkDocs then writes into it)."""
    made = set()
    for path in paths:
        folder = os.path.dirname(path)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))


class _GeneratedPage(MkDocsPage):
    """A record page: its front matter is the stub's, its content the generated HTML.

    MkDocs would convert the stub's empty Markdown with a new Markdown instance (a
    third of a millisecond a page); render() gives what that gives: no content (the
    plugin swaps in the page's HTML in on_page_content), no table of contents, no
    anchors. read_source() parses the stub as MkDocs does, and names the template
    that lets the plugin write the page (on_page_context).
    """

    def read_source(self, config: Any) -> None:
        super().read_source(config)
        # With plugins that may change a page's context, the theme renders it as usual.
        if set(config.plugins) <= LAYOUT_PLUGINS:
            self.meta["template"] = RECORD_TEMPLATE

    def render(self, config: Any, files: Files) -> None:
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        self.content = ""
        self.toc = get_toc([])
        self._title_from_render = None
        self.present_anchor_ids = set()
        if logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG:
            self.links_to_anchors = {}


class _Layouts:
    """The theme's page, rendered once per folder of record pages and filled in per page.

    Record pages of one folder (incidents/<id>/, pirs/<id>/, kb/<n>/) differ in the
    theme's output only by their title, description, content and folder name:
    relative links go up the same number of levels, no record page is in the
    navigation, none has a table of contents. A folder's layout is the theme's
    output for a probe page in that folder whose values are placeholders. Before a
    layout is used its filled-in output must equal the theme's own for a real page
    of the folder; if it does not, or a placeholder comes out changed (a filter on
    it), that folder's pages are rendered by the theme one by one.
    """

    MARK = "MIMPLAYOUT"
    FOLDER = "mimplayoutfolder7f3a9c"  # a probe page's own folder: plain, as it is in URLs

    def __init__(self, env: Any, config: Any) -> None:
        self.env = env
        self.config = config
        self.layouts: dict[tuple[Any, ...], list[str] | None] = {}
        self.seen: set[tuple[Any, ...]] = set()

    def page(self, page: _GeneratedPage, context: Any, content: str) -> str:
        title = page.meta.get("title", "")
        description = page.meta.get("description", "")
        folder = posixpath.dirname(page.file.src_uri)
        key = (
            posixpath.dirname(folder),
            posixpath.basename(page.file.src_uri),
            "<h1" in content,
            bool(title),
            bool(description),
            repr(sorted((k, v) for k, v in page.meta.items() if k not in ("title", "description"))),
            bool(page.toc),
            page.edit_url,
            page.previous_page is not None or page.next_page is not None,
        )
        layout = self.layouts.get(key)
        values = {
            "title": title,
            "description": description,
            "content": content,
            "folder": posixpath.basename(folder),
        }
        if layout is not None:
            return _fill(layout, values)
        raw, page.content = page.content, content
        try:
            output = self.env.get_template("main.html").render(context)
        finally:
            page.content = raw  # what the search plugin indexes
        if key in self.layouts or not folder or page.toc or page.edit_url:
            return output  # known not to work here, or not a page a layout can hold
        if key not in self.seen:  # a folder's first page: a layout pays from the second
            self.seen.add(key)
            return output
        layout = self._probe(page, context, "<h1" in content)
        if layout is not None and _fill(layout, values) != output:
            log.debug("mimp: no shared layout for %s/*: it differs from the theme's", folder)
            layout = None
        self.layouts[key] = layout
        return output

    def _probe(self, page: _GeneratedPage, context: Any, heading: bool) -> list[str] | None:
        """The theme's page for a page in `page`'s parent folder, with placeholders."""
        placeholders = {
            "title": f"{self.MARK}title&amp;<i>'\"</i>",
            "description": f"{self.MARK}description&amp;<i>'\"</i>",
            "content": ("<h1>" if heading else "") + f"{self.MARK}content&amp;<i></i>",
            "folder": self.FOLDER,
        }
        parent = posixpath.dirname(posixpath.dirname(page.file.src_uri))
        name = posixpath.basename(page.file.src_uri)
        src = posixpath.join(parent, self.FOLDER, name)
        file = File.generated(self.config, src, content="", inclusion=page.file.inclusion)
        probe = MkDocsPage(None, file, self.config)
        probe.markdown = ""
        probe.meta = dict(page.meta)
        if page.meta.get("title"):
            probe.meta["title"] = placeholders["title"]
        if page.meta.get("description"):
            probe.meta["description"] = placeholders["description"]
        probe.content = placeholders["content"]
        probe.toc = get_toc([])
        probe.active = True
        probe_context = get_context(context["nav"], context["pages"], self.config, probe)
        output = self.env.get_template("main.html").render(probe_context)
        # Every placeholder must come out as it went in (no filter, no escaping).
        for name, value in placeholders.items():
            mark = self.FOLDER if name == "folder" else f"{self.MARK}{name}"
            if output.count(mark) != output.count(value):
                return None
        pattern = "|".join(re.escape(value) for value in placeholders.values())
        parts = re.split(f"({pattern})", output)
        names = {value: name for name, value in placeholders.items()}
        return [names[part] if n % 2 else part for n, part in enumerate(parts)]


def _without_search_attributes(content: str) -> str:
    """The content as the search plugin leaves it for the theme (SEARCH_ATTRIBUTES gone).
    Generated pages write them one way, which str.replace removes 10x faster."""
    if "data-search-" not in content:
        return content
    mark = ' data-search-exclude="1"'
    if content.count(mark) == content.count("data-search-"):
        return content.replace(mark, "")
    return SEARCH_ATTRIBUTES.sub("", content)


def _searchable_part(content: str) -> str:
    """A page's content without the elements the search plugin skips (data-search-exclude):
    what it indexes is the same, and it parses a third as much. An element with a heading
    inside stays (the search plugin still starts a section there)."""
    return SEARCH_EXCLUDED.sub(_drop_unless_heading, content)


def _drop_unless_heading(match: re.Match[str]) -> str:
    return match[0] if HEADING.search(match[0]) else ""


def _fill(layout: list[str], values: dict[str, str]) -> str:
    """A layout's text with its placeholders (at odd places) replaced by the values."""
    return "".join(values[part] if n % 2 else part for n, part in enumerate(layout))


def _stub(page: Page) -> str:
    """The Markdown MkDocs sees for a generated page; its content is swapped in later.

    MkDocs' templates print the title and description without escaping them, and
    both come from records, so they are HTML-escaped here.
    """
    lines = ["---", f"title: {_yaml_text(html.escape(page.title))}"]
    if page.description:
        lines.append(f"description: {_yaml_text(html.escape(page.description))}")
    if not page.searchable:
        lines.append("search:\n  exclude: true")
    elif page.search_boost:
        lines.append(f"search:\n  boost: {page.search_boost}")
    lines += ["---", ""]
    return "\n".join(lines)


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _source_folders(config: Any) -> list[Path]:
    """The folders MkDocs copies files from that the site owns: docs_dir and, when set,
    the theme's custom_dir (the installed themes' folders are not the site's)."""
    folders = [Path(config.docs_dir)]
    if config.theme.custom_dir:
        folders.append(Path(config.theme.custom_dir))
    return folders


def _refuse_unsafe_folders(config: Any, root: Path) -> None:
    """Stop before MkDocs walks a source folder that is outside the root or holds a link,
    a special file or a huge file (`mimp check` covers docs/; mkdocs.yml may name others)."""
    others = [
        folder
        for folder in _source_folders(config)
        if os.path.realpath(folder) != os.path.realpath(root / "docs")
    ]
    refused = [
        f"{item.path}: error: {item.message}"
        for folder in others
        for item in source_folder_refusals(root, folder)
    ]
    docs = Path(config.docs_dir)
    if not refused and docs in others:  # its pages, held to the limits of record text
        refused = [item.as_text() for item in docs_pages_report(docs_pages(root, docs)).items]
    if refused:
        raise PluginError("mimp: nothing was built:\n" + "\n".join(refused))


def _refuse_unsafe_files(files: Files, config: Any, root: Path) -> None:
    """Stop the build if a file MkDocs would copy from docs/ (or custom_dir) is a link, a
    special file or a huge file: MkDocs follows links, and would copy what one points to
    (/proc/self/environ, a linked folder) into the site. The second line behind
    `_refuse_unsafe_folders`: it sees the files as MkDocs will copy them."""
    folders = {os.path.realpath(folder): folder for folder in _source_folders(config)}
    refused = []
    for file in files:
        if file.generated_by is not None or file.src_dir is None:
            continue
        folder = folders.get(os.path.realpath(file.src_dir))
        if folder is None:
            continue  # an installed theme's file
        reason = docs_file_refusal(root, folder, file.src_uri) or _shadowing(file, config)
        if reason is not None:
            shown = os.path.relpath(os.path.join(folder, file.src_uri), root)
            refused.append(f"{Path(shown).as_posix()}: error: {reason}")
    if refused:
        raise PluginError("mimp: nothing was built:\n" + "\n".join(refused))


def _shadowing(file: File, config: Any) -> str | None:
    """Why a docs/ file may not take the place of a theme's script, style or template
    (theme_files.shadowing), or None. Files of custom_dir are there to change the theme."""
    if os.path.realpath(file.src_dir) != os.path.realpath(config.docs_dir):
        return None
    return shadowing(file.src_uri, config.docs_dir, config.theme.dirs)


def _is_public_doc(file: File) -> bool:
    """In the public build only docs pages marked `audience: public` stay, and the files
    (images, styles) under docs/assets/."""
    if not file.is_documentation_page():
        return file.src_uri.startswith("assets/")
    try:
        text = Path(file.abs_src_path).read_text(encoding="utf-8")
    except (OSError, TypeError, UnicodeDecodeError):
        return False
    parts = split_front_matter(text)
    return parts is not None and any(
        line.strip() == f"{PUBLIC_PAGE_KEY}: public" for line in parts[0].splitlines()
    )
