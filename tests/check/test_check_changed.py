"""`mimp check --changed-since REF`: the records a branch adds or changes, in a real git
repository, as the pull-request workflow runs it (--strict): old warnings elsewhere
never block, new problems always do. And the workflows that run it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from mimp.adapters.commands.init import scaffold_files
from tests.check.test_check_focus import OTHER, other_incident

REPO = Path(__file__).resolve().parents[2]
STRICT_STEP = 'mimp check --strict --changed-since "origin/$BASE_REF" --format github'


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        [
            "git",
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.com",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
            *args,
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(root)},
    )
    return done.stdout


@pytest.fixture
def repo(site):
    """The valid site as a git repository: main holds it, with an old warning in OTHER
    (resolved without quantified impact); HEAD is a branch `change` off main."""
    site.write(OTHER, other_incident(impact=None))
    git(site.root, "init", "-q")
    git(site.root, "add", "-A")
    git(site.root, "commit", "-qm", "the site")
    git(site.root, "checkout", "-qb", "change")
    return site


def test_nothing_changed_nothing_blocks(repo):
    assert repo.check("--strict").code == 1  # the old warning, site-wide
    result = repo.check("--strict", "--changed-since", "main")
    assert result.code == 0, result.text
    assert result.lines == [
        "mimp check: 0 errors, 0 warnings (in 0 record files changed since main "
        "and the registry's errors)"
    ]


def test_a_new_warning_in_a_committed_change_blocks(repo):
    del repo.files[repo.INCIDENT]["impact"]
    repo.write(repo.INCIDENT)
    git(repo.root, "commit", "-qam", "drop the impact")
    result = repo.check("--strict", "--changed-since", "main")
    assert result.code == 1, result.text
    result.expect(f"{repo.INCIDENT}:", "error: resolved without a quantified business impact")
    assert not result.matching(OTHER)  # the old one elsewhere is not reported
    assert "1 record file changed since main" in result.lines[-1]


def test_uncommitted_and_untracked_records_count(repo):
    repo.files[repo.PIR]["measures"] = {}
    repo.write(repo.PIR)  # changed, not committed
    new = "data/incidents/2026/2026-11-21-phones-down.md"
    repo.write(new, other_incident(impact=None, title="Phones were down"))  # untracked
    result = repo.check("--strict", "--changed-since", "main")
    assert result.code == 1, result.text
    result.expect(f"{repo.PIR}:", "error: the review has no measure")
    result.expect(f"{new}:", "error: resolved without a quantified business impact")
    assert not result.matching(OTHER)


def test_what_the_base_gained_since_the_branch_left_does_not_count(repo):
    git(repo.root, "checkout", "-q", "main")
    later = "data/incidents/2026/2026-11-22-later.md"
    repo.write(later, other_incident(impact=None))
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "a later record on main")
    git(repo.root, "checkout", "-q", "change")
    (repo.root / later).unlink(missing_ok=True)  # not on this branch
    assert repo.check("--strict", "--changed-since", "main").code == 0


def test_a_future_dated_update_is_an_error_in_a_changed_record(repo):
    repo.files[repo.INCIDENT]["updates"].append(
        {"at": "2027-11-23T13:00:00Z", "status": "resolved", "message": "A typo in the year."}
    )
    repo.write(repo.INCIDENT)
    git(repo.root, "commit", "-qam", "another update")
    relaxed = repo.check("--changed-since", "main")  # an error even without --strict
    assert relaxed.code == 1, relaxed.text
    relaxed.expect(f"{repo.INCIDENT}:", "error: updates[4] is dated 2027-11-23")
    whole = repo.check()
    assert whole.code == 0  # elsewhere, as before: a warning
    whole.expect(f"{repo.INCIDENT}:", "warning: updates[4] is dated 2027-11-23")


def test_a_changed_registry_file_is_checked_strictly_and_others_for_errors(repo):
    path, team = repo.record("teams", "platform")
    del team["escalation"]
    repo.write(path)
    result = repo.check("--strict", "--changed-since", "main")
    assert result.code == 1, result.text
    result.expect(f"{repo.SERVICES}:", "error: service 'customer-db' has no escalation path")
    git(repo.root, "checkout", "-q", "--", path)
    path, service = repo.record("services", "customer-db")
    service["owner"] = "nobody"
    repo.write(path)
    git(repo.root, "commit", "-qam", "a registry error")
    git(repo.root, "checkout", "-qb", "another")
    result = repo.check("--strict", "--changed-since", "change")
    assert result.code == 1  # unchanged on this branch, but an error is always reported
    result.expect(f"{path}:", "error: unknown team 'nobody'")


def test_a_deleted_record_is_not_checked(repo):
    git(repo.root, "rm", "-q", repo.PIR)
    git(repo.root, "commit", "-qm", "no review")
    result = repo.check("--changed-since", "main")
    assert result.code == 0, result.text


@pytest.mark.parametrize("ref", ["no-such-branch", "--output=x"])
def test_an_unknown_revision_says_so(repo, ref):
    result = repo.check(f"--changed-since={ref}")
    assert result.code == 1
    assert len(result.lines) == 1
    assert result.lines[0].startswith("mimp check: --changed-since: ")
    assert not (repo.root / "x").exists()


def test_outside_a_git_repository_says_so(site):
    result = site.check("--changed-since", "main")
    assert result.code == 1
    assert result.lines[0].startswith("mimp check: --changed-since: git merge-base failed")


def test_a_site_in_a_subfolder_of_the_repository(repo, tmp_path):
    outer = repo.root.parent
    git(outer, "init", "-q")
    git(outer, "add", "-A")
    git(outer, "commit", "-qm", "site in a folder")
    git(outer, "checkout", "-qb", "change")
    del repo.files[repo.INCIDENT]["impact"]
    repo.write(repo.INCIDENT)
    (outer / "README.md").write_text("changed\n", encoding="utf-8")
    result = repo.check("--strict", "--changed-since", "main")
    assert result.code == 1, result.text
    result.expect(f"{repo.INCIDENT}:", "error: resolved without")


# --- the pull-request workflows ---------------------------------------------------------------


def workflows() -> list[tuple[str, dict]]:
    ours = (REPO / ".github/workflows/check.yml").read_text(encoding="utf-8")
    scaffold = scaffold_files()[".github/workflows/check.yml"].decode("utf-8")
    return [("ours", yaml.safe_load(ours)), ("scaffold", yaml.safe_load(scaffold))]


@pytest.mark.parametrize(("name", "workflow"), workflows(), ids=lambda v: v)
def test_the_pull_request_workflow_checks_changed_records_strictly(name, workflow):
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as True
    steps = workflow["jobs"]["check"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # the base branch, to diff against
    runs = [s.get("run") for s in steps]
    assert "mimp check --format github" in runs  # the whole site, as before
    strict = next(s for s in steps if s.get("run") == STRICT_STEP)
    assert strict["env"] == {"BASE_REF": "${{ github.base_ref }}"}  # not inlined in the script
    assert runs.index(STRICT_STEP) > runs.index("mimp check --format github")


# --- the updates already posted ----------------------------------------------------------------


def _updates(repo) -> list[dict]:
    return repo.files[repo.INCIDENT]["updates"]


def test_a_rewritten_retimed_or_removed_posted_update_is_named_at_its_line(repo):
    """A branch that edited the past passed silently: the pages showed the rewritten
    history, feed readers kept the old entry, and a late update no longer looked late."""
    updates = _updates(repo)
    assert len(updates) >= 3
    first_at, second_words, third = updates[0]["at"], updates[1]["message"], updates[2]
    updates[0]["message"] = "Signing in is recovering for some customers."
    updates[1]["at"] = "2026-11-02T09:18:00Z"  # moved two minutes earlier afterwards
    del updates[2]
    repo.write(repo.INCIDENT)
    result = repo.check("--strict", "--changed-since", "main")
    text = result.text
    assert f"this update, posted at {first_at} (on main), was changed since: its message" in text
    assert "its time is now 2026-11-02T09:18:00Z" in text, text
    assert f"the update posted at {third['at']} (on main) is no longer in the record" in text
    assert "post a new update that corrects it" in text
    # Warnings that stay warnings with --strict: taking down text may be right.
    edits = result.matching(f"{repo.INCIDENT}:", "posted at")
    assert len(edits) == 3 and all(": warning: " in item for item in edits), text
    assert second_words  # (kept as it was)
    lines = (repo.root / repo.INCIDENT).read_text(encoding="utf-8").split("\n")
    changed = next(item for item in result.lines if "was changed since" in item)
    line = int(changed.split(":")[1])
    assert "recovering for some customers" in lines[line - 1]


def test_a_new_update_and_the_same_time_written_otherwise_are_not_edits(repo):
    updates = _updates(repo)
    updates[0]["at"] = updates[0]["at"].replace("Z", "+00:00")  # the same moment
    updates.append(
        {"at": "2026-11-23T12:00:00Z", "status": "resolved", "message": "All fine again."}
    )
    repo.write(repo.INCIDENT)
    result = repo.check("--changed-since", "main")
    assert not result.matching(f"{repo.INCIDENT}:", "posted at"), result.text


def test_resolving_by_hand_and_keeping_the_first_summary_is_a_warning(repo):
    """A resolution written by hand left the declaration's statement ("Checkout is
    failing") at the top of the page, in the present tense, after the end."""
    document = repo.files[repo.INCIDENT]
    resolution = _updates(repo).pop()  # main holds the incident while it was going on
    for key in ("resolved_at", "mitigated_at", "impact"):
        del document[key]
    document["summary"] = "Most customers cannot pay for their orders."
    repo.write(repo.INCIDENT)
    git(repo.root, "checkout", "-q", "main")
    git(repo.root, "commit", "-qam", "checkout failing")
    git(repo.root, "checkout", "-qb", "resolve")
    document["summary"] = "  Most customers\ncannot pay for their orders."  # re-wrapped only
    _updates(repo).append(resolution)
    document["resolved_at"] = resolution["at"]
    repo.write(repo.INCIDENT)
    result = repo.check("--changed-since", "main")
    found = result.matching(f"{repo.INCIDENT}:", "keeps the summary it had on main")
    assert len(found) == 1 and ": warning: " in found[0], result.text
    line = int(found[0].split(":")[1])
    lines = (repo.root / repo.INCIDENT).read_text(encoding="utf-8").split("\n")
    assert lines[line - 1].startswith("summary:"), lines[line - 1]
    document["summary"] = "For about an hour most customers could not pay for their orders."
    repo.write(repo.INCIDENT)
    result = repo.check("--changed-since", "main")
    assert not result.matching("keeps the summary"), result.text
