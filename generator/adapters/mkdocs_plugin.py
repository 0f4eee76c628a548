"""The MkDocs adapter: feeds the generated pages and files into an MkDocs build.

It is the only module that knows MkDocs (with mkdocs_theme/). The core renders
HTML fragments and files; this plugin adds them as generated files
(`File.generated`), swaps each generated page's content for the fragment, and
puts only listing pages in the navigation (record pages stay out of it, so
every page stays small and build time grows linearly).
"""

from __future__ import annotations

import html
import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage

from generator.derive.audience import Audience
from generator.derive.view import SiteSettings, SiteView
from generator.load.sources import split_front_matter
from generator.pipeline import CheckedSite, check_site
from generator.render import Page, SiteOutput, render_site
from generator.render.links import site_feeds

log = logging.getLogger("mkdocs.plugins.mimp")
THEME_DIR = Path(__file__).parent / "mkdocs_theme"
PUBLIC_PAGE_KEY = "audience"  # docs/ pages with `audience: public` go into the public build


class MimpConfig(Config):
    audience = c.Choice(("internal", "public"), default="internal")
    now = c.Optional(c.Type(str))  # ISO 8601; default: the time of the build
    root = c.Optional(c.Type(str))  # the site root (data/); default: beside mkdocs.yml


class MimpPlugin(BasePlugin[MimpConfig]):
    """`plugins: [search, mimp]` in mkdocs.yml."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        super().__init__()
        self.checked: CheckedSite | None = None  # set by `mimp build` to skip a second check
        self.audience_override: str | None = None
        self.now_override: datetime | None = None
        self.output = SiteOutput()
        self.pages: dict[str, Page] = {}

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

    # --- events ----------------------------------------------------------------------------

    def on_config(self, config: Any) -> Any:
        checked = self.checked or check_site(self._root(config), self._now())
        self.checked = None  # a serve rebuild must read the records again
        for item in checked.report.sorted():
            (log.error if item.severity == "error" else log.info)(item.as_text())
        if not checked.ok:
            raise PluginError(
                f"mimp: {len(checked.report.errors)} error(s) in the records; nothing was built. "
                "Run `mimp check` for the list."
            )
        settings = SiteSettings(name=config.site_name, url=config.site_url or "")
        view = SiteView.build(checked.site, checked.now, self._audience(), settings)
        self.output = render_site(view)
        self.pages = {page.path: page for page in self.output.pages}
        config.theme.dirs.insert(0, str(THEME_DIR))
        for stylesheet in self.output.stylesheets:
            if stylesheet not in config.extra_css:
                config.extra_css.append(stylesheet)
        config.extra["mimp_feeds"] = [vars(feed) for feed in site_feeds(view)]
        config.extra["mimp_audience"] = view.audience.value
        return config

    def on_files(self, files: Files, config: Any) -> Files:
        generated = {page.path for page in self.output.pages} | {
            asset.path for asset in self.output.assets
        }
        for file in list(files):
            if file.src_uri in generated:
                log.warning("mimp: docs/%s is replaced by a generated page", file.src_uri)
                files.remove(file)
            elif self._audience() is Audience.PUBLIC and not _is_public_doc(file):
                files.remove(file)
        nav_paths = {entry.path for entry in self.output.nav}
        for page in self.output.pages:
            inclusion = (
                InclusionLevel.INCLUDED if page.path in nav_paths else InclusionLevel.NOT_IN_NAV
            )
            if page.path == "index.md":
                inclusion = InclusionLevel.INCLUDED
            files.append(
                File.generated(config, page.path, content=_stub(page), inclusion=inclusion)
            )
        for asset in self.output.assets:
            files.append(File.generated(config, asset.path, content=asset.content))
        if config.nav is None:
            config.nav = self._nav(files)
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

    def on_page_content(self, html: str, page: MkDocsPage, config: Any, files: Files) -> str:
        generated = self.pages.get(page.file.src_uri)
        return generated.html if generated is not None else html

    def on_post_page(self, output: str, page: MkDocsPage, config: Any) -> str:
        # Material's search dialog has no accessible name (axe: aria-dialog-name).
        return output.replace(
            '<div class="md-search" data-md-component="search" role="dialog">',
            '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">',
            1,
        )

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        server.watch(str(self._root(config) / "data"))
        return server


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


def _is_public_doc(file: File) -> bool:
    """In the public build only docs pages marked `audience: public` (and docs/assets/) stay."""
    if file.src_uri.startswith("assets/"):
        return True
    if not file.is_documentation_page():
        return False
    try:
        text = Path(file.abs_src_path).read_text(encoding="utf-8")
    except (OSError, TypeError, UnicodeDecodeError):
        return False
    parts = split_front_matter(text)
    return parts is not None and any(
        line.strip() == f"{PUBLIC_PAGE_KEY}: public" for line in parts[0].splitlines()
    )
