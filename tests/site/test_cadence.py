"""Contract v2 "Promises and cadence": one time for the next update, wherever it is shown.

A copy of the example site, built at 13:00 on its own day, internal and public:
- checkout's latest business update (12:45) promises the next by 13:30
  (`next_update_by`); without the promise the policy's hour would say 13:45;
- stock's severity (sev3) has its own 30-minute cadence: its 12:40 update is
  followed by one due at 13:10, not the policy's 13:40, on the public page too
  (its service is made public here), where the severity itself is never shown;
- a new incident with only a technical update started at 12:30 and was detected
  at 12:40: first comms are due at 12:45 (15 minutes after the start), not 15
  minutes after its 12:50 declaration.
Every page that says "Next update expected by" says the same time, and
`mimp status` agrees.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mimp.adapters.cli import main
from tests.site.conftest import build, copy_example

NOW = "2026-11-23T13:00:00Z"
CHECKOUT = "2026-11-23-checkout-errors"
STOCK = "2026-11-23-stock-updates-delayed"
QUIET = "2026-11-23-gift-cards-refused"
DUE = {
    CHECKOUT: "2026-11-23T13:30:00+00:00",
    STOCK: "2026-11-23T13:10:00+00:00",
    QUIET: "2026-11-23T12:45:00+00:00",
}
QUIET_RECORD = """---
title: Gift cards are refused at the tills
severity: sev2
services:
  card-payments: partial_outage
declared_at: 2026-11-23T12:50:00Z
started_at: 2026-11-23T12:30:00Z
detected_at: 2026-11-23T12:40:00Z
summary: Shops cannot take gift cards; cards and cash work.
updates:
  - at: 2026-11-23T12:52:00Z
    status: investigating
    audience: technical
    message: Gift card authorisations time out at the provider.
---
"""


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_example(tmp_path_factory.mktemp("cadence") / "site")
    policy = root / "data" / "registry" / "policy.yaml"
    text = policy.read_text("utf-8")
    text = text.replace("    - id: sev3\n", "    - id: sev3\n      comms_interval_minutes: 30\n", 1)
    policy.write_text(text, "utf-8")
    (root / "data" / "incidents" / "2026" / f"{QUIET}.md").write_text(QUIET_RECORD, "utf-8")
    # Stock on the public page too: its cadence comes from a severity the public build
    # does not carry.
    services = root / "data" / "registry" / "services.yaml"
    text = services.read_text("utf-8")
    stock = text.index("  - id: stock-and-pricing")
    end = text.index("    public: false\n", stock)
    services.write_text(text[:end] + "    public: true\n" + text[end + 18 :], "utf-8")
    return root


@pytest.fixture(scope="module")
def sites(root: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = {}
    for audience in ("internal", "public"):
        out[audience] = tmp_path_factory.mktemp(f"cadence-{audience}") / "site"
        assert build(root, out[audience], audience, now=NOW) == 0
    return out


def next_updates(html: str) -> list[str]:
    """The instants of every "Next update expected by" on a page, in order."""
    return re.findall(r'Next update expected by <time data-mimp-due datetime="([^"]+)"', html)


def status_page_dues(site: Path) -> dict[str, list[str]]:
    """Incident id -> the next-update times its card on the status page shows."""
    html = (site / "index.html").read_text("utf-8")
    found = {}
    for card in html.split('<article class="mimp-incident')[1:]:
        incident_id = re.search(r'href="[^"]*incidents/([a-z0-9-]+)/', card).group(1)  # type: ignore[union-attr]
        found[incident_id] = next_updates(card.split("</article>", 1)[0])
    return found


def test_the_status_page_shows_one_time_per_incident(sites: dict[str, Path]) -> None:
    assert status_page_dues(sites["internal"]) == {k: [v] for k, v in DUE.items()}
    # The public page: incidents with a business update (not the quiet one yet).
    public = {k: [v] for k, v in DUE.items() if k != QUIET}
    assert status_page_dues(sites["public"]) == public
    for site in sites.values():
        html = (site / "index.html").read_text("utf-8")
        assert "2026-11-23T13:45:00+00:00" not in html  # the policy's hour after 12:45
        assert "2026-11-23T13:40:00+00:00" not in html  # the policy's hour after 12:40


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_each_incident_page_shows_the_same_time(sites: dict[str, Path], audience: str) -> None:
    for incident_id, due in DUE.items():
        page = sites[audience] / "incidents" / incident_id / "index.html"
        if audience == "public" and incident_id == QUIET:
            assert not page.exists()  # no business update yet
            continue
        assert next_updates(page.read_text("utf-8")) == [due], (audience, incident_id)


def test_resolved_incidents_and_maintenance_promise_nothing(sites: dict[str, Path]) -> None:
    pages = list((sites["internal"] / "incidents").glob("*/index.html"))
    assert len(pages) > len(DUE)
    for path in pages:
        if path.parent.name not in DUE:
            assert next_updates(path.read_text("utf-8")) == [], path


def test_mimp_status_agrees(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--root", str(root), "--now", NOW]) == 0
    out = capsys.readouterr().out
    blocks: dict[str, str] = {}
    for line in out.splitlines():
        if line.startswith("  2026-"):
            current = line.split()[0]
            blocks[current] = ""
        elif line.startswith("    ") and blocks:
            blocks[current] += line + "\n"
    # London is on GMT in November: the local times are the UTC ones.
    assert (
        "next business update due by Mon 23 Nov 13:30 GMT (as promised in the "
        "last update)" in blocks[CHECKOUT]
    )
    assert "next business update due by Mon 23 Nov 13:10 GMT" in blocks[STOCK]
    assert "!! FIRST COMMS OVERDUE by 15 min (was due Mon 23 Nov 12:45" in blocks[QUIET]


def test_an_incident_goes_public_with_its_first_business_update_not_before(
    tmp_path: Path,
) -> None:
    """What the public build shows at a moment depends only on what was so by then: a
    business update written for later does not make the incident public earlier."""
    root = copy_example(tmp_path / "site")
    record = QUIET_RECORD.replace(
        "---\n",
        "  - at: 2026-11-23T13:20:00Z\n    status: identified\n"
        "    message: Gift cards are refused at the tills; cards and cash work.\n---\n",
    )
    record = "---\n" + record.split("---\n", 1)[1]
    (root / "data" / "incidents" / "2026" / f"{QUIET}.md").write_text(record, "utf-8")
    page = Path("incidents") / QUIET / "index.html"
    before, after = tmp_path / "before", tmp_path / "after"
    assert build(root, before, "public", now="2026-11-23T13:00:00Z") == 0
    assert build(root, after, "public", now="2026-11-23T13:25:00Z") == 0
    assert not (before / page).exists()
    assert QUIET not in (before / "api/v2/incidents.json").read_text("utf-8")
    assert (after / page).exists()
    assert QUIET in (after / "api/v2/incidents.json").read_text("utf-8")


def test_a_passed_next_update_time_is_never_shown_as_still_to_come(
    root: Path, tmp_path: Path
) -> None:
    """Built at 13:40, checkout's promised 13:30 has passed: staff read "overdue", customers
    that the time has passed; neither page states it as a time still ahead."""
    when = "2026-11-23T13:40:00Z"
    for audience, said in (("internal", "overdue"), ("public", "that time has passed")):
        out = tmp_path / audience
        assert build(root, out, audience, now=when) == 0
        for path in (out / "index.html", out / "incidents" / CHECKOUT / "index.html"):
            html = path.read_text("utf-8")
            sentence = re.search(r'<p class="mimp-next">.*?</p>', html, re.S)
            assert sentence is not None, path
            assert DUE[CHECKOUT] in sentence[0] and said in sentence[0], (audience, sentence[0])
