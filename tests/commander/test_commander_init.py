"""`mimp init`: a new site repository that installs mimp, and passes `mimp check` as it is."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from mimp import __version__
from mimp.adapters.commands.init import scaffold_files
from mimp.model.schema import KINDS, schema_text
from tests.commander.commander_support import REPO, Mimp

EXPECTED = {
    "mkdocs.yml",
    "README.md",
    "requirements.txt",
    ".gitignore",
    ".github/workflows/check.yml",
    ".github/workflows/publish.yml",
    "data/incidents/.gitkeep",
    "data/registry/policy.yaml",
    "data/registry/business.yaml",
    "data/registry/services.yaml",
    "data/registry/teams.yaml",
    "data/registry/people.yaml",
    "docs/about.md",
    "schemas/registry.schema.json",
    "schemas/incident.schema.json",
    "schemas/pir.schema.json",
}
SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/registry.schema.json"


def test_init_writes_the_scaffold_and_check_passes(mimp: Mimp, tmp_path: Path):
    target = tmp_path / "status"
    result = mimp("init", target, "--name", "Acme status")
    assert result.code == 0, result.text
    written = {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()}
    assert written == EXPECTED
    config = (target / "mkdocs.yml").read_text(encoding="utf-8")
    assert "site_name: Acme status" in config
    assert "__" not in config
    requirements = (target / "requirements.txt").read_text(encoding="utf-8")
    # pinned to this version, from the package index: the lines pip reads are exactly that
    pins = [line for line in requirements.splitlines() if line and not line.startswith("#")]
    assert pins == [f"mimp=={__version__}"]
    assert not (target / "docs" / "index.md").exists()  # the status page is generated
    check = mimp("check", "--root", target)
    assert check.code == 0, check.text
    assert "0 errors, 0 warnings" in check.err


def test_init_site_has_an_escalation_path_and_contacts(mimp: Mimp, tmp_path: Path):
    target = tmp_path / "status"
    assert mimp("init", target).code == 0
    result = mimp("contacts", "website", "--root", target)
    assert result.code == 0, result.text
    assert "at once:" in result.out and "on-call rota" in result.out
    assert "BUSINESS:" in result.out


def test_init_interactive(mimp: Mimp, tmp_path: Path):
    target = tmp_path / "asked"
    result = mimp("init", "--interactive", stdin=f"{target}\nTeam status\n")
    assert result.code == 0, result.text
    assert "site_name: Team status" in (target / "mkdocs.yml").read_text(encoding="utf-8")


def test_init_dir_is_relative_to_the_current_folder_and_there_is_no_root(
    mimp: Mimp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)
    assert mimp("init", "status", "--root", "elsewhere").code == 2  # DIR says where
    assert not (tmp_path / "elsewhere").exists()
    result = mimp("init", "status")
    assert result.code == 0, result.text
    assert (tmp_path / "status" / "mkdocs.yml").is_file()


def test_init_writes_the_schemas_the_registry_files_point_at(mimp: Mimp, tmp_path: Path):
    target = tmp_path / "status"
    assert mimp("init", target).code == 0
    for kind in KINDS:
        written = (target / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert written == schema_text(kind)
    registry = sorted((target / "data" / "registry").glob("*.yaml"))
    assert registry
    for path in registry:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == SCHEMA_LINE, path.name
        schema = (path.parent / first.split("$schema=", 1)[1]).resolve()
        assert schema == (target / "schemas" / "registry.schema.json").resolve()
        # and each registry file is valid against it
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        jsonschema.validate(data, json.loads(schema.read_text(encoding="utf-8")))


def test_scaffold_quotes_phone_numbers():
    people = scaffold_files()["data/registry/people.yaml"].decode("utf-8")
    phones = [line.strip() for line in people.splitlines() if line.strip().startswith("phone:")]
    assert phones
    assert all(re.fullmatch(r'phone: "\+[0-9 ]+"', line) for line in phones), phones


def test_scaffold_readme_says_to_set_site_url_before_publishing():
    readme = scaffold_files()["README.md"].decode("utf-8")
    publishing = readme.split("## Publishing", 1)[1]
    assert "site_url" in publishing.split("publish.yml")[0]  # before the deploy steps
    assert "/<repository>/" in publishing


def test_scaffold_readme_says_how_to_give_notify_a_target():
    # Found adopting MIMP: the site's README never named the MIMP_NOTIFY_TO secret that
    # publish.yml passes to `mimp notify`; its pointer was to a doc not in the site.
    publishing = scaffold_files()["README.md"].decode("utf-8").split("## Publishing", 1)[1]
    workflow = scaffold_files()[".github/workflows/publish.yml"].decode("utf-8")
    assert "MIMP_NOTIFY_TO" in publishing and "secrets.MIMP_NOTIFY_TO" in workflow
    assert "mimp notify" in publishing


def test_scaffold_readme_sets_up_in_two_commands():
    """Set-up is one venv-and-install line and one serve line, from requirements.txt."""
    readme = scaffold_files()["README.md"].decode("utf-8")
    set_up = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    block = set_up.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == [
        "python3 -m venv .venv && .venv/bin/pip install -r requirements.txt",
        ".venv/bin/mimp serve",
    ]
    assert "git+" not in readme and "<org>/mimp" not in readme


def test_init_refuses_a_non_empty_folder(mimp: Mimp, tmp_path: Path):
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    result = mimp("init", tmp_path)
    assert result.code == 1
    assert "not empty" in result.err
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_init_takes_an_empty_repository_and_names_the_branch_main(mimp: Mimp, tmp_path: Path):
    """Found adopting MIMP: a repository made on GitHub and cloned (a folder holding only
    .git) was refused as not empty; and the `git init` the next steps gave makes a
    `master` branch on most machines, which the publish workflow (on main) never runs for."""
    clone = tmp_path / "clone"
    (clone / ".git").mkdir(parents=True)
    result = mimp("init", clone)
    assert result.code == 0, result.text
    assert (clone / "mkdocs.yml").is_file()
    assert "git add . && git commit -m 'New status site' && git branch -M main" in result.out
    assert "git init" not in result.out
    fresh = mimp("init", tmp_path / "fresh")
    assert "git init -b main && git add ." in fresh.out
    workflow = (tmp_path / "fresh/.github/workflows/publish.yml").read_text(encoding="utf-8")
    assert "branches: [main]" in workflow


def test_init_without_dir_or_terminal_exits_2(mimp: Mimp):
    result = mimp("init")
    assert result.code == 2
    assert "missing DIR" in result.err


def test_scaffold_mkdocs_follows_the_repository_one():
    """The scaffold's mkdocs.yml is the repo's, with the site's own name."""
    root = REPO / "mkdocs.yml"
    if not root.exists():
        pytest.skip("no mkdocs.yml at the repository root")
    ours = yaml.safe_load(root.read_text(encoding="utf-8"))
    scaffold = yaml.safe_load(scaffold_files()["mkdocs.yml"].decode("utf-8"))
    keys = set(ours) - {"site_name", "site_description", "site_url", "nav", "exclude_docs"}
    for key in sorted(keys):
        assert scaffold.get(key) == ours.get(key), key
    assert any(p == "search" or p == {"search": None} for p in scaffold["plugins"])
    assert any(isinstance(p, dict) and "mimp" in p or p == "mimp" for p in scaffold["plugins"])


def test_scaffold_workflows_are_ours_but_install_the_package(tmp_path: Path):
    files = scaffold_files()
    for name in ("check.yml", "publish.yml"):
        ours = (REPO / ".github/workflows" / name).read_text(encoding="utf-8")
        theirs = files[f".github/workflows/{name}"].decode("utf-8")
        assert "python -m pip install -r requirements.txt" in theirs
        assert (
            theirs.replace("-r requirements.txt", ".").replace(
                "(see the README)", "(see docs/commanders.md)"
            )
            == ours
        )


def test_init_site_builds(mimp: Mimp, tmp_path: Path):
    target = tmp_path / "status"
    assert mimp("init", target).code == 0
    out = tmp_path / "public"
    result = mimp("build", "--root", target, "--audience", "public", "--out", out)
    assert result.code == 0, result.text
    assert (out / "index.html").is_file()
    assert (out / "about.html").is_file() or (out / "about" / "index.html").is_file()
    # the scaffold leaves site_url for the team to set: a public build says so, on one line
    warnings = [line for line in result.err.splitlines() if "no site_url" in line]
    assert len(warnings) == 1 and warnings[0].startswith("mimp build: warning:"), result.err
    internal = mimp("build", "--root", target, "--out", tmp_path / "internal")
    assert internal.code == 0 and "site_url" not in internal.err
    config = target / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "# site_url: https://status.example.com/", "site_url: https://acme.github.io/status/"
        ),
        encoding="utf-8",
    )
    again = mimp("build", "--root", target, "--audience", "public", "--out", out)
    assert again.code == 0, again.text
    assert "site_url" not in again.err


@pytest.mark.parametrize(
    "name",
    [
        '!!python/object/apply:os.system ["touch PWNED"]',
        "Acme: Status",
        "# not a comment",
        "'quoted' \"twice\" {a: [b]} & *alias %percent @at `tick` | > -",
        "yes",
        "Ünïcode 状态 👩‍💻",
    ],
)
def test_init_writes_the_name_as_a_yaml_string_that_mkdocs_reads_back(
    mimp: Mimp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
):
    """The name is emitted by a YAML emitter (issue 9): pasted in, `Acme: Status` made an
    invalid mkdocs.yml and a `!!python/object/apply:` name ran a command at the next build."""
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "status"
    assert mimp("init", target, "--name", name).code == 0
    config = target / "mkdocs.yml"
    assert yaml.safe_load(config.read_text(encoding="utf-8"))["site_name"] == name
    # MkDocs's own (unsafe) loader reads the same string and runs nothing.
    from mkdocs.config import load_config

    loaded = load_config(str(config))
    assert loaded["site_name"] == name
    assert not (tmp_path / "PWNED").exists() and not (target / "PWNED").exists()


def test_init_refuses_a_name_with_control_characters(mimp: Mimp, tmp_path: Path):
    result = mimp("init", tmp_path / "status", "--name", "Status\x1b[31m")
    assert result.code != 0
    assert "control character U+001B" in result.text
    assert not (tmp_path / "status").exists()
