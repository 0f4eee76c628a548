"""The release as a user gets it: build the wheel and sdist, install ONLY the wheel into a
fresh venv, start a site with `mimp init`, check and build it.

Slow (about a minute: a PEP 517 build, a venv, and pip installing the dependencies from the
package index, from pip's cache when warm), so it carries the `wheel` marker:
`pytest -m "not wheel"` leaves it out while iterating; the full suite and CI run it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from mimp import __version__
from mimp.adapters.commands.init import scaffold_files

REPO = Path(__file__).resolve().parents[2]

# What the wheel must carry besides Python modules: without them an installed mimp
# cannot render a page, theme MkDocs or start a site.
REQUIRED_DATA = (
    "mimp/render/templates/status.html",
    "mimp/render/templates/incident_pages.html",
    "mimp/render/assets/mimp.css",
    "mimp/adapters/mkdocs_theme/main.html",
    "mimp/scaffold/mkdocs.yml",
    "mimp/scaffold/requirements.txt",
    "mimp/scaffold/dot-github/workflows/check.yml",
    f"mimp-{__version__}.dist-info/licenses/LICENSE",
)


def run(*args: object, cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run a command; fail the test with its output when it fails. Returns stdout+stderr."""
    result = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{' '.join(map(str, args))} failed:\n{output}"
    return output


def clean_env(venv: Path) -> dict[str, str]:
    """The environment of a user with the venv on PATH: nothing from this checkout."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """(the folder with the built sdist and wheel, the build's output)."""
    out = tmp_path_factory.mktemp("dist")
    # `python -m build` makes the sdist, then the wheel FROM the sdist: a file missing
    # from the sdist fails here too.
    log = run(sys.executable, "-m", "build", "--outdir", out, REPO, cwd=out)
    return out, log


@pytest.mark.wheel
def test_the_build_has_no_deprecation_warnings(dist: tuple[Path, str]):
    _, log = dist
    assert "Successfully built" in log
    assert "eprecat" not in log, log  # e.g. `project.license` as a TOML table


@pytest.mark.wheel
def test_the_wheel_carries_templates_assets_theme_scaffold_and_licence(dist: tuple[Path, str]):
    folder, _ = dist
    wheels = list(folder.glob(f"mimp-{__version__}-py3-none-any.whl"))
    assert len(wheels) == 1, sorted(p.name for p in folder.iterdir())
    names = set(zipfile.ZipFile(wheels[0]).namelist())
    missing = [name for name in REQUIRED_DATA if name not in names]
    assert not missing, missing
    # every file `mimp init` writes from this checkout's scaffold is in the wheel
    shipped = {
        "/".join("." + part[4:] if part.startswith("dot-") else part for part in n.split("/")[2:])
        for n in names
        if n.startswith("mimp/scaffold/")
    }
    assert set(scaffold_files()) <= shipped, set(scaffold_files()) - shipped
    assert not [n for n in names if n.startswith("tests/")]
    metadata = zipfile.ZipFile(wheels[0]).read(f"mimp-{__version__}.dist-info/METADATA").decode()
    assert "License-Expression: MIT" in metadata
    sdists = list(folder.glob(f"mimp-{__version__}.tar.gz"))
    assert len(sdists) == 1
    with tarfile.open(sdists[0]) as sdist:
        inside = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    # The README links to the docs: a packager reading the sdist has them too.
    linked = set(re.findall(r"\]\((docs/[\w.-]+\.md)", (REPO / "README.md").read_text("utf-8")))
    assert linked and linked <= inside, linked - inside


@pytest.mark.wheel
def test_the_installed_wheel_starts_checks_and_builds_a_site(
    dist: tuple[Path, str], tmp_path: Path
):
    folder, _ = dist
    wheel = next(folder.glob("mimp-*.whl"))
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    env = clean_env(venv)
    python = venv / "bin" / "python"
    # Only the wheel; its dependencies come from the package index (pip's cache if warm).
    install = run(
        python, "-m", "pip", "install", "--disable-pip-version-check", wheel, cwd=tmp_path, env=env
    )
    assert "eprecat" not in install, install
    where = run(python, "-c", "import mimp; print(mimp.__file__)", cwd=tmp_path, env=env)
    assert str(venv) in where and str(REPO) not in where, where
    mimp = venv / "bin" / "mimp"
    assert run(mimp, "--version", cwd=tmp_path, env=env).strip() == f"mimp {__version__}"

    run(mimp, "init", "status", "--name", "Wheel test", cwd=tmp_path, env=env)
    site = tmp_path / "status"
    pins = [
        line
        for line in (site / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert pins == [f"mimp=={__version__}"]
    checked = run(mimp, "check", cwd=site, env=env)
    assert "0 errors, 0 warnings" in checked, checked
    run(mimp, "build", "--audience", "public", "--out", tmp_path / "public", cwd=site, env=env)
    page = (tmp_path / "public" / "index.html").read_text(encoding="utf-8")
    assert "Wheel test" in page
    run(mimp, "build", "--out", tmp_path / "internal", cwd=site, env=env)
    assert (tmp_path / "internal" / "contacts").is_dir() or any(
        (tmp_path / "internal").glob("contacts*")
    )
