"""The contact pages of the example site: who to call, dependencies, the printable sheet.

Internal only: the public build must hold none of these pages, and no phone number
or email address from the registry anywhere.
"""

from __future__ import annotations

import gzip
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mimp.model import Site
from mimp.pipeline import check_site
from mimp.render.contact_pages import tel
from tests.site.conftest import NOW, REPO

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def registry() -> Site:
    checked = check_site(REPO, datetime.fromisoformat(NOW))
    assert checked.ok
    return checked.site


def page(root: Path, path: str) -> str:
    return (root / path).read_text(encoding="utf-8")


def service_page(root: Path, service_id: str) -> str:
    return page(root, f"contacts/services/{service_id}/index.html")


def section(html: str, css_class: str) -> str:
    """The <section class="css_class"> of a page, up to its closing tag."""
    start = html.index(f'<section class="{css_class}"')
    return html[start : html.index("</section>", start)]


def phone_of(site: Site, contact_id: str) -> str | None:
    for kind in ("people", "rotations"):
        record = site.registry(kind).get(contact_id)
        if record is not None:
            return record.phone
    vendor = site.vendors.get(contact_id)
    return vendor.support.phone if vendor and vendor.support else None


def assert_callable(html: str, number: str) -> None:
    """The number is shown and is a tel: link."""
    assert number in html
    assert f'href="{tel(number)}"' in html


class Cells(HTMLParser):
    """The header cells (scope, text) of the table with the given id."""

    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id = table_id
        self.depth = 0  # > 0 inside the table
        self.in_th: str | None = None
        self.text = ""
        self.headers: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table" and (self.depth or found.get("id") == self.table_id):
            self.depth += 1
        elif tag == "th" and self.depth:
            self.in_th, self.text = found.get("scope") or "", ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.depth:
            self.depth -= 1
        elif tag == "th" and self.in_th is not None:
            self.headers.append((self.in_th, " ".join(self.text.split())))
            self.in_th = None

    def handle_data(self, data: str) -> None:
        if self.in_th is not None:
            self.text += data


def table_headers(html: str, table_id: str) -> list[tuple[str, str]]:
    parser = Cells(table_id)
    parser.feed(html)
    return parser.headers


def diagram(html: str) -> ET.Element:
    match = re.search(
        r'<svg xmlns="http://www.w3.org/2000/svg" class="mimp-depgraph".*?</svg>', html, re.S
    )
    assert match, "no dependency diagram"
    return ET.fromstring(match.group(0))


# --- who to call -------------------------------------------------------------------------


def test_every_service_has_who_to_call_with_its_owner_teams_escalation_numbers(
    internal_site: Path, registry: Site
) -> None:
    index = page(internal_site, "contacts/index.html")
    for service_id, service in registry.services.items():
        assert f'href="services/{service_id}/index.html"' in index
        html = service_page(internal_site, service_id)
        team = registry.teams[service.owner]
        technical = section(html, "mimp-technical-contacts")
        assert team.name in technical
        if team.channel:
            assert team.channel in technical
        for number, step in enumerate(team.escalation):
            assert (
                "At 0 min" if number == 0 else f"After {step.after_minutes} min"
            ) in technical or (
                step.after_minutes % 60 == 0 and f"After {step.after_minutes // 60} h" in technical
            )
            for target in step.notify:
                phone = phone_of(registry, target)
                if phone:
                    assert_callable(technical, phone)
        first = team.escalation[0].notify[0]
        assert_callable(index, phone_of(registry, first) or "")


def test_a_rota_is_shown_with_its_members_and_a_person_with_every_way_to_reach_them(
    internal_site: Path, registry: Site
) -> None:
    html = section(service_page(internal_site, "card-payments"), "mimp-technical-contacts")
    rota = registry.rotations["checkout-oncall"]
    assert rota.name in html and f'href="mailto:{rota.email}"' in html
    for member in rota.members:
        assert registry.people[member].name in html
    lead = registry.people["ben-okafor"]
    assert_callable(html, lead.phone or "")
    assert f'href="mailto:{lead.email}"' in html and lead.chat in html


def test_vendor_support_numbers_for_a_service_that_depends_on_a_vendor(
    internal_site: Path, registry: Site
) -> None:
    vendor = registry.vendors["tillpoint-payments"]
    assert vendor.support and vendor.support.phone
    direct = section(service_page(internal_site, "card-payments"), "mimp-technical-contacts")
    assert vendor.name in direct
    assert_callable(direct, vendor.support.phone)
    assert "merchant id LARK-0041" in direct  # the contract, to quote when calling
    # Online checkout relies on Tillpoint only through Card payments: still listed, and why.
    through = section(service_page(internal_site, "online-checkout"), "mimp-technical-contacts")
    assert_callable(through, vendor.support.phone)
    assert re.search(r"Relied on through <a [^>]*>Card payments</a>", through)


def test_business_stakeholders_are_listed_apart_from_technical_contacts(
    internal_site: Path, registry: Site
) -> None:
    for service_id, service in registry.services.items():
        html = service_page(internal_site, service_id)
        technical = section(html, "mimp-technical-contacts")
        business = section(html, "mimp-business-contacts")
        assert "Business contacts" in business
        for area_id in service.business_areas:
            area = registry.business_areas[area_id]
            assert area.name in business
            for person_id in area.stakeholders:
                name = registry.people[person_id].name
                assert name in business
                assert name not in technical


def test_a_service_page_shows_its_blast_radius(internal_site: Path) -> None:
    blast = section(service_page(internal_site, "card-payments"), "mimp-blast")
    for name in ("Online checkout", "Shop tills", "Click &amp; collect", "Online sales", "Shops"):
        assert name in blast


def test_directories_of_teams_rotas_vendors_and_people(internal_site: Path, registry: Site) -> None:
    index = page(internal_site, "contacts/index.html")
    for team in registry.teams.values():
        assert f'id="team-{team.id}"' in index
    for rota in registry.rotations.values():
        assert f'id="rota-{rota.id}"' in index and rota.phone
        assert_callable(index, rota.phone)
    for vendor in registry.vendors.values():
        assert f'id="vendor-{vendor.id}"' in index
    for person in registry.people.values():
        assert f'id="person-{person.id}"' in index and person.phone
        assert_callable(index, person.phone)


# --- dependencies ------------------------------------------------------------------------


def test_the_matrix_has_a_header_cell_per_service_each_way(
    internal_site: Path, registry: Site
) -> None:
    html = page(internal_site, "contacts/dependencies/index.html")
    headers = table_headers(html, "matrix-services")
    names = sorted(s.name for s in registry.services.values())
    assert sorted(text for scope, text in headers if scope == "col") == names
    assert sorted(text for scope, text in headers if scope == "row") == names
    vendors = table_headers(html, "matrix-vendors")
    assert sorted(t for s, t in vendors if s == "col") == sorted(
        v.name for v in registry.vendors.values()
    )
    # Marks are symbols with words, explained in a legend.
    assert "●" in html and "○" in html and "direct" in html and "via" in html
    assert 'class="mimp-legend"' in html


def test_matrix_marks_direct_and_transitive_dependencies(internal_site: Path) -> None:
    html = page(internal_site, "contacts/dependencies/index.html")
    assert 'title="Shop tills depends directly on Card payments"' in html
    assert 'title="Click &amp; collect depends on Card payments via Online checkout"' in html


def test_the_diagram_is_inline_svg_that_names_every_service(
    internal_site: Path, registry: Site
) -> None:
    html = page(internal_site, "contacts/dependencies/index.html")
    svg = diagram(html)
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title") is not None and svg.find(f"{SVG}desc") is not None
    assert svg.find(f".//{SVG}a") is None  # no controls inside an image (axe: nested-interactive)
    words = " ".join(t.text or "" for t in svg.iter(f"{SVG}text"))
    titles = [t.text or "" for t in svg.iter(f"{SVG}title")]
    for record in [*registry.services.values(), *registry.vendors.values()]:
        assert record.name in words
        assert any(t.startswith(record.name) for t in titles)
    edges = sum(len(s.depends_on) for s in registry.services.values())
    assert (
        len([p for p in svg.iter(f"{SVG}path") if p.get("class") == "mimp-depgraph__edge"]) == edges
    )
    # Drawn at build time: no Mermaid, no script.
    assert (
        "mermaid" not in html.lower()
        and "<script" not in html.split('class="md-content"')[1].split("</article>")[0]
    )


def test_vendor_blast_radius(internal_site: Path) -> None:
    html = page(internal_site, "contacts/dependencies/index.html")
    start = html.index('id="vendor-blast-radius"')
    row = html[html.index("Nimbus Cloud</a></th>", start) :].split("</tr>")[0]
    for name in ("Stock and pricing", "Shop tills", "Click &amp; collect", "Customer service"):
        assert name in row


# --- the contact sheet -------------------------------------------------------------------


def test_the_contact_sheet_has_every_rota_vendor_and_first_two_levels(
    internal_site: Path, registry: Site
) -> None:
    html = page(internal_site, "contacts/sheet/index.html")
    assert "generated" in html and '<time datetime="2026-11-23T14:00:00+00:00">' in html
    for rota in registry.rotations.values():
        assert rota.phone
        assert_callable(html, rota.phone)
    for vendor in registry.vendors.values():
        assert vendor.support and vendor.support.phone
        assert_callable(html, vendor.support.phone)
    for service in registry.services.values():
        assert service.name.replace("&", "&amp;") in html
        for step in registry.teams[service.owner].escalation[:2]:
            for target in step.notify:
                phone = phone_of(registry, target)
                assert phone and phone in html
    css = page(internal_site, "assets/mimp/contacts.css")
    assert "@media print" in css and ".md-header" in css and ".md-sidebar" in css


def test_contact_pages_are_in_the_internal_nav(internal_site: Path) -> None:
    html = page(internal_site, "index.html")
    for title in ("Contacts", "Dependencies", "Contact sheet (print)"):
        assert re.search(rf">\s*{re.escape(title)}\s*<", html), title


# --- the public build --------------------------------------------------------------------


def _every_text(root: Path) -> list[tuple[Path, str]]:
    found = []
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        found.append((path, data.decode("utf-8", errors="replace")))
    return found


def test_the_public_build_has_no_contact_pages_and_no_contact_details(
    public_site: Path, registry: Site
) -> None:
    assert not (public_site / "contacts").exists()
    secrets: set[str] = set()
    for record in [*registry.people.values(), *registry.rotations.values()]:
        secrets |= {v for v in (record.phone, record.email) if v}
    for vendor in registry.vendors.values():
        if vendor.support:
            secrets |= {v for v in (vendor.support.phone, vendor.support.email) if v}
    assert secrets
    digits = {re.sub(r"\D", "", s) for s in secrets if "@" not in s}
    for path, text in _every_text(public_site):
        rel = path.relative_to(public_site)
        assert "contacts/" not in text, rel
        for secret in secrets:
            assert secret not in text, (rel, secret)
        squeezed = re.sub(r"[\s\-().]", "", text)
        for number in digits:
            assert number not in squeezed, (rel, number)


def test_the_runbook_is_a_sentence_of_its_own(internal_site: Path) -> None:
    """'...placing the order.Runbook:' ran the two together (the template's line break
    was trimmed)."""
    html = (internal_site / "contacts/services/online-checkout/index.html").read_text("utf-8")
    lead = html.split('class="mimp-lead"', 1)[1].split("</p>", 1)[0]
    assert "Runbook:" in lead
    assert ". Runbook:" in lead and ".Runbook:" not in lead
