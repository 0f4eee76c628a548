"""docs/ files that would take the place of the theme's code.

MkDocs copies a file under docs/ over the theme's file of the same name, and every page
loads the theme's scripts and styles: a pull request could put a script on the status
page. The MkDocs build refuses such a file (mkdocs_plugin); `mimp check` reports it too
(shadowing_report), so the pull request that adds one fails its check instead of every
publish failing after the merge, the status page frozen meanwhile. Which files the theme
has only MkDocs knows (the theme named in mkdocs.yml, its custom_dir): this module is
part of the MkDocs adapter.
"""

from __future__ import annotations

import os
from pathlib import Path

from mimp.diagnostics import Report

THEME_DIR = Path(__file__).parent / "mkdocs_theme"  # mimp's own theme files, put first
# Theme files that carry code or layout: a site file in their place would run or show on
# every page. (An image in a theme's place is a site's own logo or favicon: that is fine.)
CODE_SUFFIXES = (".js", ".mjs", ".css", ".html", ".htm", ".svg", ".json", ".xml", ".map", ".wasm")


def shadowing(src_uri: str, docs_dir: str, theme_dirs: list[str]) -> str | None:
    """Why the docs/ file at `src_uri` may not take the place of a theme's script, style or
    template, or None. (custom_dir, one of `theme_dirs`, is there to change the theme.)"""
    if not src_uri.lower().endswith(CODE_SUFFIXES):
        return None
    own = os.path.realpath(docs_dir)
    for folder in theme_dirs:
        if os.path.realpath(folder) != own and os.path.isfile(os.path.join(folder, src_uri)):
            return (
                f"takes the place of the theme's own {src_uri}, which pages load: "
                "give the file another name or folder (add a script or style of the site's "
                "own with extra_javascript or extra_css in mkdocs.yml)"
            )
    return None


def shadowing_report(root: Path) -> Report:
    """An error for each file under the site's docs folder that takes the place of a theme
    file. Reads mkdocs.yml with MkDocs only when such a file may be there (a file with a
    code suffix): the caller has refused a mkdocs.yml that would run code when read."""
    report = Report()
    config_file = root / "mkdocs.yml"
    if not config_file.is_file() or not _code_files(root / "docs"):
        return report
    from mkdocs.config import load_config

    try:
        config = load_config(str(config_file))
    except Exception:  # noqa: BLE001 (MkDocs' own errors; the build reports them in full)
        return report
    docs = Path(config.docs_dir)
    theme_dirs = [str(THEME_DIR), *config.theme.dirs]
    for src_uri in _code_files(docs):
        reason = shadowing(src_uri, str(docs), theme_dirs)
        if reason is not None:
            shown = Path(os.path.relpath(docs / src_uri, root)).as_posix()
            report.error(shown, None, reason)
    return report


def _code_files(docs: Path) -> list[str]:
    """The files under `docs` with a code suffix, as paths relative to it (links are not
    followed: the check refuses them elsewhere)."""
    if not docs.is_dir():
        return []
    found = []
    for folder, _, names in os.walk(docs):
        for name in names:
            if name.lower().endswith(CODE_SUFFIXES):
                found.append(Path(folder, name).relative_to(docs).as_posix())
    return sorted(found)
