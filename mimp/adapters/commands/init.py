"""`mimp init DIR`: start a new site repository that installs mimp rather than forking it.

Copies the scaffold shipped in the package (mimp/scaffold/): mkdocs.yml with
the mimp plugin, a registry skeleton that passes `mimp check`, an empty incidents
folder, an about page, the CI workflows (check on pull requests, publish the
public build to GitHub Pages), a README, requirements.txt and .gitignore. It also
writes schemas/ (the JSON Schemas of this version of mimp), which the registry
files' `# yaml-language-server: $schema=../../schemas/registry.schema.json` line
points editors at.

Package data cannot hold dot-files reliably, so a path part `dot-x` in the
scaffold is written as `.x`.
"""

from __future__ import annotations

import argparse
import unicodedata
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

import yaml

from mimp import __version__
from mimp.adapters.prompting import (
    EXIT_OK,
    CommandError,
    Prompter,
    add_common_arguments,
    runner,
)
from mimp.adapters.record_edit import write_atomic
from mimp.model.schema import KINDS, file_name, schema_text
from mimp.pipeline import check_site

DOT_PREFIX = "dot-"
SITE_NAME = "__SITE_NAME__"
PLACEHOLDERS = (SITE_NAME, "__MIMP_VERSION__")
CONFIG_FILE = "mkdocs.yml"
DEFAULT_NAME = "Status"
SCHEMAS_DIR = "schemas"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "init",
        help="create a new site repository",
        description="Create a new site in DIR: mkdocs.yml, a registry skeleton, docs, CI "
        "workflows, the JSON Schemas for editors and a README. DIR must not exist or be empty.",
    )
    parser.add_argument(
        "directory",
        nargs="?",
        metavar="DIR",
        help="where to create the site (relative to the current folder)",
    )
    parser.add_argument("--name", help=f"the site's name (default: {DEFAULT_NAME!r})")
    add_common_arguments(parser, root=False)  # DIR says where: no --root
    parser.set_defaults(func=runner(run))


def scaffold_root() -> Traversable:
    return resources.files("mimp") / "scaffold"


def scaffold_files() -> dict[str, bytes]:
    """The scaffold's files: target path (dot-names restored) -> content."""
    out: dict[str, bytes] = {}

    def walk(node: Traversable, parts: tuple[str, ...]) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.name == "__pycache__":
                continue
            name = child.name
            if name.startswith(DOT_PREFIX):
                name = "." + name[len(DOT_PREFIX) :]
            if child.is_dir():
                walk(child, (*parts, name))
            else:
                out["/".join((*parts, name))] = child.read_bytes()

    walk(scaffold_root(), ())
    return out


def schema_files() -> dict[str, str]:
    """schemas/<kind>.schema.json for every record kind, as this version of mimp checks them."""
    return {f"{SCHEMAS_DIR}/{file_name(kind)}": schema_text(kind) for kind in KINDS}


def render_file(content: bytes, name: str, relative: str = "") -> str:
    """The scaffold file with the site's name and mimp's version filled in.

    In mkdocs.yml the name is a YAML value written by a YAML emitter, never pasted:
    `Acme: Status` must stay a string, and `!!python/object/apply:...` must not become
    a tag that MkDocs's loader runs. (Elsewhere it is in a comment or Markdown.)
    """
    text = content.decode("utf-8")
    if relative == CONFIG_FILE:
        text = text.replace(f"site_name: {SITE_NAME}\n", _yaml_line("site_name", name))
    return text.replace(SITE_NAME, name).replace("__MIMP_VERSION__", __version__)


def _yaml_line(key: str, value: str) -> str:
    """`key: value` as one line of YAML, the value quoted wherever YAML needs it."""
    return yaml.safe_dump({key: value}, allow_unicode=True, width=1_000_000, sort_keys=False)


def site_name(given: str | None) -> str:
    """The name on one line; control characters refused (YAML cannot hold them unescaped,
    and the terminal would run them)."""
    name = " ".join((given or DEFAULT_NAME).split())
    bad = [ch for ch in name if unicodedata.category(ch) in ("Cc", "Cs")]
    if bad:
        raise CommandError(
            f"the site name holds the control character U+{ord(bad[0]):04X}: "
            "give a name of letters, digits, spaces and punctuation"
        )
    return name


def run(args: argparse.Namespace) -> int:
    missing = [] if args.directory else ["DIR"]
    prompter = Prompter.for_args(args, missing)
    directory = args.directory or prompter.ask("Folder for the new site")
    name = args.name
    if not name and prompter.interactive:
        name = prompter.ask("Site name", default=DEFAULT_NAME)
    name = site_name(name)
    target = Path(directory)
    # A folder holding only .git is a new repository (cloned from GitHub, or `git init`).
    if target.exists() and (
        not target.is_dir() or any(entry.name != ".git" for entry in target.iterdir())
    ):
        raise CommandError(
            f"{target} already exists and is not empty: choose a new folder (or an empty "
            "git repository: a folder holding only .git)"
        )
    repository = (target / ".git").exists()
    scaffold = scaffold_files()
    if not scaffold:
        raise CommandError("the scaffold is missing from this installation of mimp")
    files = {
        relative: render_file(content, name, relative) for relative, content in scaffold.items()
    }
    files.update(schema_files())
    for relative, text in files.items():
        write_atomic(target / relative, text)
    checked = check_site(target)
    if checked.report.errors:  # a bug in the scaffold, not the user's fault
        for item in checked.report.errors:
            print(item.as_text())
        raise CommandError("the new site does not pass mimp check (a bug: please report it)")
    print(f"Created {name!r} in {target}:")
    for relative in sorted(files):
        print(f"  {relative}")
    print()
    print("Next:")
    print(f"  cd {target}")
    # The publish workflow runs on pushes to main; `git init` alone may name it master.
    if repository:
        print("  git add . && git commit -m 'New status site' && git branch -M main")
    else:
        print("  git init -b main && git add . && git commit -m 'New status site'")
    print("  edit data/registry/*.yaml: your services, teams, people and vendors")
    print("  mimp check && mimp serve")
    print("  coming from Statuspage or cState: mimp import --help")
    print("  before publishing: set site_url in mkdocs.yml (see README.md, Publishing)")
    return EXIT_OK
