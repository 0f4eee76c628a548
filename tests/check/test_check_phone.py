"""Phone text becomes a call link that dials that number, or no link and a warning.

Found adopting MIMP: "+44 (0)7700 900101" dialled +4407700900101, "ext. 42" was glued to
the number, and "call Sam on Teams" made an empty tel: link, all without a word.
"""

from __future__ import annotations

import pytest

from mimp.model.phone import dial


@pytest.mark.parametrize(
    ("text", "link"),
    [
        ("+44 7700 900101", "tel:+447700900101"),
        ("+44 (0)7700 900101", "tel:+447700900101"),
        ("+44 (0) 20 7946 0000", "tel:+442079460000"),
        ("+44 7700 900105 ext. 42", "tel:+447700900105;ext=42"),
        ("+44 20 7946 0000 x12", "tel:+442079460000;ext=12"),
        ("+1 (555) 010-9999", "tel:+15550109999"),
        ("(020) 7946 0000", "tel:02079460000"),
        ("0800 123 4567", "tel:08001234567"),
        ("999", "tel:999"),
        ("call Sam on Teams", None),
        ("0800 123 / 0800 456", None),
        ("+44 7700 +900101", None),
        ("12", None),
        ("", None),
    ],
)
def test_the_link_dials_the_number_written(text: str, link: str | None):
    assert dial(text) == link


def test_text_with_no_number_to_dial_is_a_warning_at_its_line(site):
    path, person = site.record("people", "ava-stone")
    person["phone"] = "call Ava on Teams"
    site.write(path)
    _, vendor = site.record("vendors", "cardco")
    vendor["support"]["phone"] = "0800 123 / 0800 456"
    site.write(path)
    result = site.check()
    assert result.code == 0, result.text
    result.expect(
        f"{path}:{site.line(path, 'call Ava on Teams')}: warning: ",
        "phone 'call Ava on Teams' is not a number the pages can dial",
        "+44 7700 900101",
    )
    result.expect(f"{path}:{site.line(path, '0800 123 / 0800 456')}: warning: ", "phone")
    person["phone"] = "+44 (0)7700 900101 ext. 4"
    vendor["support"]["phone"] = "+44 20 7946 0410"
    site.write(path)
    assert site.check().lines == ["mimp check: 0 errors, 0 warnings"]


def test_the_contact_pages_link_only_what_dials(tmp_path):
    from tests.site.conftest import build, copy_example

    root = copy_example(tmp_path / "src")
    people = root / "data/registry/people.yaml"
    text = people.read_text("utf-8")
    text = text.replace("phone: +44 7700 900101", 'phone: "+44 (0)7700 900101 ext. 42"', 1)
    text = text.replace("phone: +44 7700 900102", "phone: call Ben on Teams", 1)
    people.write_text(text, "utf-8")
    assert build(root, tmp_path / "out") == 0
    html = (tmp_path / "out/contacts/index.html").read_text("utf-8")
    assert 'href="tel:+447700900101;ext=42"' in html
    assert "call Ben on Teams" in html
    assert 'href="tel:"' not in html
