"""Every page says when it was built, and how old it may be before readers are warned:
the publish workflow's schedule plus a margin (mimp/adapters/publish_schedule.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mimp.adapters.cli import main
from mimp.adapters.publish_schedule import (
    DEFAULT_INTERVAL_MINUTES,
    cron_interval,
    publish_interval_minutes,
)
from tests.site.conftest import NOW, build, copy_example


@pytest.mark.parametrize(
    ("cron", "minutes"),
    [
        ("*/30 * * * *", 30),
        ("*/5 * * * *", 5),
        ("0,30 * * * *", 30),
        ("0,10,40 * * * *", 30),
        ("7 * * * *", 60),
        ("0 */2 * * *", 120),
        ("* * * * *", 1),
        ("0 9 * * *", None),
        ("0 0 * * 1", None),
        ("not a cron", None),
    ],
)
def test_cron_interval(cron, minutes):
    assert cron_interval(cron) == minutes


def test_the_interval_comes_from_the_publish_workflow(tmp_path: Path):
    assert publish_interval_minutes(tmp_path) == DEFAULT_INTERVAL_MINUTES
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "publish.yml").write_text(
        "on:\n  schedule:\n    - cron: '*/15 * * * *'  # every quarter hour\n"
        '    - cron: "0 3 * * *"\n'
    )
    assert publish_interval_minutes(tmp_path) == 15


def test_a_linked_workflow_is_not_followed(tmp_path: Path):
    outside = tmp_path / "outside.yml"
    outside.write_text("- cron: '*/1 * * * *'\n")
    workflows = tmp_path / "site" / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "publish.yml").symlink_to(outside)
    assert publish_interval_minutes(tmp_path / "site") == DEFAULT_INTERVAL_MINUTES


def test_every_page_carries_its_build_time_and_the_status_page_states_no_relative_time(
    internal_site: Path,
):
    pages = list(internal_site.rglob("*.html"))
    assert len(pages) > 20
    built = NOW
    for page in pages:
        html = page.read_text("utf-8")
        assert f'<meta name="mimp-built" content="{built}">' in html, page
        assert '<meta name="mimp-clock" content="fixed">' in html, page  # built with --now
        assert "assets/mimp/page_age.js" in html, page
    status = (internal_site / "index.html").read_text("utf-8")
    text = re.sub(r"<[^>]+>", " ", status)
    assert not re.search(r"\b(ago|just now)\b", text), "a relative time frozen into the HTML"


def test_the_margin_is_a_setting(tmp_path: Path):
    root = copy_example(tmp_path / "src")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace(
            "      audience: internal",
            "      audience: internal\n      publish_interval_minutes: 10\n      stale_margin_minutes: 5",
        )
    )
    assert build(root, tmp_path / "out") == 0
    html = (tmp_path / "out" / "index.html").read_text("utf-8")
    assert '<meta name="mimp-stale-after-minutes" content="15">' in html


def test_a_build_given_its_real_moment_stays_live(tmp_path: Path):
    """CI reads one clock for the build and notify (--built-at): unlike --now, the pages
    are not frozen at it, so readers are told how old they are and when they are stale."""
    root = copy_example(tmp_path / "src")
    out = tmp_path / "out"
    argv = ["build", "--root", str(root), "--out", str(out), "--built-at", NOW]
    assert main(argv) == 0
    html = (out / "index.html").read_text("utf-8")
    assert f'<meta name="mimp-built" content="{NOW}">' in html
    assert 'name="mimp-clock"' not in html
    assert build(root, tmp_path / "fixed") == 0  # --now: the same pages, frozen
    fixed = (tmp_path / "fixed" / "index.html").read_text("utf-8")
    assert '<meta name="mimp-clock" content="fixed">' in fixed
    assert _lines(fixed) == _lines(html)


def test_now_and_built_at_are_one_or_the_other(tmp_path: Path, capsys: pytest.CaptureFixture):
    root = copy_example(tmp_path / "src")
    argv = ["build", "--root", str(root), "--now", NOW, "--built-at", NOW]
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def _lines(page: str) -> list[str]:
    """The page's lines but blank ones and the fixed-clock marker."""
    drop = '<meta name="mimp-clock" content="fixed">'
    return [line for line in page.splitlines() if line.strip() and line.strip() != drop]


def test_a_status_that_time_can_change_says_as_of_when(internal_site: Path) -> None:
    """Found in a day's trial: the history and incident pages said "Scheduled" and
    "ongoing · Investigating" with no build time anywhere in their HTML, while the
    window had opened. A status not over yet says as of when; one over needs nothing."""
    when = 'as of <time datetime="2026-11-23T14:00:00+00:00">'
    active = (internal_site / "incidents/2026-11-23-checkout-errors/index.html").read_text()
    status = active.split("<dt>Status</dt><dd>", 1)[1].split("</dd>", 1)[0]
    assert when in status, status
    over = (internal_site / "incidents/2025-06-14-card-payments-shops-down/index.html").read_text()
    assert "as of" not in over.split("<dt>Status</dt><dd>", 1)[1].split("</dd>", 1)[0]
    month = (internal_site / "history/2026-11/index.html").read_text()
    assert f"Statuses {when}" in month
    assert "Statuses as of" not in (internal_site / "history/2026-10/index.html").read_text()
