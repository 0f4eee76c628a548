"""Stage 4: a SiteView -> pages (HTML fragments for the theme) and assets (feeds, JSON, ...)."""

from mimp.render.output import Asset, NavEntry, Page, SiteOutput
from mimp.render.site import render_site

__all__ = ["Asset", "NavEntry", "Page", "SiteOutput", "render_site"]
