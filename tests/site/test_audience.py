"""The public build holds only what the format allows: proven with canary strings.

Every internal-only field of a copy of the example site gets a unique marker;
after a public build, no file anywhere in the output (pages, search index,
sitemap, feeds, JSON, assets) may contain any marker.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
import yaml

from tests.site.conftest import build, copy_example

MARK = "ZQXCANARY"
CANARY_ROLE = f"{MARK.lower()}_role"  # a site's own role: its name is internal too
PUBLIC_MARK = "QPUBLICWORKAROUND"  # must reach the public build (contract v2)


class Canaries:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, field: str) -> str:
        self.count += 1
        return f"{MARK}{self.count:04d} {field}"


def _split(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def _join(path: Path, data: dict, body: str) -> None:
    front = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)
    path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")


def _plant_registry(root: Path, canary: Canaries) -> None:
    for path in (root / "data/registry").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for area in data.get("business_areas", []):
            area["name"] = canary("business area name")
            area["description"] = canary("business area description")
        for service in data.get("services", []):
            service["description"] = canary("service description")
            service["runbook"] = f"https://wiki.example/{MARK}-runbook"
            if not service.get("public"):
                service["name"] = canary("internal service name")
        for team in data.get("teams", []):
            team["name"] = canary("team name")
            team["channel"] = canary("team channel")
        for person in data.get("people", []):
            for key in ("name", "role", "phone", "email", "chat"):
                person[key] = canary(f"person {key}")
        for rotation in data.get("rotations", []):
            for key in ("name", "phone", "email"):
                rotation[key] = canary(f"rotation {key}")
        for vendor in data.get("vendors", []):
            vendor["name"] = canary("vendor name")
            vendor["contract"] = canary("vendor contract")
            vendor["support"] = {k: canary(f"vendor {k}") for k in ("phone", "email", "url")}
        if "policy" in data:
            data["policy"]["roles"] = [CANARY_ROLE]
            for severity in data["policy"].get("severities", []):
                severity["name"] = canary("severity name")
                severity["description"] = canary("severity description")
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")


def _plant_incident(path: Path, public_services: set[str], canary: Canaries) -> None:
    data, _ = _split(path)
    hidden = data.get("drill") or not (set(data["services"]) & public_services)
    if hidden:  # drills and internal-only incidents: nothing of them may appear
        data["title"] = canary("hidden incident title")
        data["summary"] = canary("hidden incident summary")
    for update in data["updates"]:
        if hidden or update.get("audience") == "technical":
            update["message"] = canary("hidden update message")
    for key in ("workaround", "cause"):
        data[key] = canary(f"incident {key}")
    data["changes"] = [canary("incident change")]
    data["impact"] = {f"{MARK.lower()}_metric": 12345}
    data["tags"] = [f"{MARK.lower()}-tag"]
    data["criteria"] = ["legal"]
    # Contract v2: roles are internal; the customer workaround is public for public incidents.
    data["roles"] = {"communications": "will-dawson", CANARY_ROLE: "zoe-kim"}
    if hidden:
        data["customer_workaround"] = canary("hidden customer workaround")
    else:
        data["customer_workaround"] = f"{PUBLIC_MARK} {path.stem}"
    for action in data.get("actions", []):
        action["action"] = canary("action")
    _join(path, data, canary("incident narrative") + "\n")


def _plant_pir(path: Path, canary: Canaries) -> None:
    data, _ = _split(path)
    data["root_cause"] = canary("pir root cause")
    data["went_well"] = [canary("pir went well")]
    data["went_wrong"] = [canary("pir went wrong")]
    data["measures"] = {k: [canary(f"pir {k}")] for k in ("prevent", "detect", "mitigate")}
    for step in data.get("next_steps", []):
        step["action"] = canary("pir next step")
    _join(path, data, canary("pir narrative") + "\n")


@pytest.fixture(scope="module")
def canary_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, int]:
    root = copy_example(tmp_path_factory.mktemp("canary") / "src")
    canary = Canaries()
    _plant_registry(root, canary)
    services = yaml.safe_load((root / "data/registry/services.yaml").read_text("utf-8"))
    public = {s["id"] for s in services["services"] if s.get("public")}
    for path in (root / "data/incidents").rglob("*.md"):
        if path.name.endswith(".pir.md"):
            _plant_pir(path, canary)
        else:
            _plant_incident(path, public, canary)
    public_out = root.parent / "public"
    internal_out = root.parent / "internal"
    assert build(root, public_out, "public") == 0
    assert build(root, internal_out, "internal") == 0
    return public_out, internal_out, canary.count


def _files_containing(site: Path, needle: str) -> list[str]:
    found = []
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        if needle.encode() in data or needle.lower().encode() in data:
            found.append(path.relative_to(site).as_posix())
    return found


def test_canaries_were_planted_widely(canary_site: tuple[Path, Path, int]) -> None:
    _, _, count = canary_site
    assert count > 300


def test_no_internal_field_reaches_the_public_build(canary_site: tuple[Path, Path, int]) -> None:
    public_out, _, _ = canary_site
    assert _files_containing(public_out, MARK) == []


def test_the_internal_build_does_show_the_canaries(canary_site: tuple[Path, Path, int]) -> None:
    """Proves the canary test can fail: the same markers are found in the internal build."""
    _, internal_out, _ = canary_site
    leaked = _files_containing(internal_out, MARK)
    assert "index.html" in leaked  # internal service names on the status page
    assert "search/search_index.json" in leaked


def test_public_build_still_has_public_content(canary_site: tuple[Path, Path, int]) -> None:
    public_out, _, _ = canary_site
    status = (public_out / "index.html").read_text("utf-8")
    assert "Customers cannot complete orders on the website" in status
    assert "Online checkout" in status


def test_only_docs_pages_marked_public_join_the_public_build(
    public_site: Path, internal_site: Path
) -> None:
    assert (public_site / "report.html").is_file()  # `audience: public` in its front matter
    assert not (public_site / "format.html").exists()
    assert (internal_site / "format.html").is_file()


def test_the_customer_workaround_reaches_the_public_build(
    canary_site: tuple[Path, Path, int],
) -> None:
    """Contract v2: public for public incidents, on the status and incident pages, in the
    feeds and the API (the active incident's latest update carries it)."""
    public_out, _, _ = canary_site
    active = f"{PUBLIC_MARK} 2026-11-23-checkout-errors"
    found = _files_containing(public_out, active)
    for path in (
        "index.html",
        "incidents/2026-11-23-checkout-errors/index.html",
        "rss.xml",
        "atom.xml",
        "api/v2/summary.json",
        "api/v2/incidents.json",
    ):
        assert path in found, f"{path} lacks the customer workaround; found in {found}"
    resolved = f"{PUBLIC_MARK} 2026-05-16-card-payments-shops-down"
    # A resolved incident's workaround stays on its page, not in feeds as current advice.
    found = _files_containing(public_out, resolved)
    assert "incidents/2026-05-16-card-payments-shops-down/index.html" in found
    assert "rss.xml" not in found and "api/v2/incidents.json" not in found
