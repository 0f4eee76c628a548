"""`format: N` in a record or registry file: one clear message when MIMP is too old for it."""

from __future__ import annotations

from mimp import __version__
from mimp.model.format_version import FORMAT_VERSION
from tests.conftest import INCIDENT, PIR, SERVICES


def put_first(mapping: dict, key: str, value: object) -> None:
    items = list(mapping.items())
    mapping.clear()
    mapping[key] = value
    mapping.update(items)


def test_the_formats_this_mimp_reads_are_accepted(site):
    for version in range(1, FORMAT_VERSION + 1):
        for path in (INCIDENT, PIR, SERVICES):
            put_first(site.files[path], "format", version)
            site.write(path)
        result = site.check("--strict")
        assert result.code == 0, result.text


def test_a_newer_format_is_one_error_that_says_how_to_upgrade(site):
    record = site.files[INCIDENT]
    put_first(record, "format", FORMAT_VERSION + 1)
    record["escalation_channel"] = "#future-field"  # a field a newer format might add
    site.write(INCIDENT)
    result = site.check()
    assert result.code == 1
    line = site.line(INCIDENT, "format:")
    message = result.expect(f"{INCIDENT}:{line}: error: ")
    assert f"uses record format {FORMAT_VERSION + 1}" in message
    assert f"this MIMP ({__version__}) reads formats up to {FORMAT_VERSION}" in message
    assert "pip install -U mimp" in message
    assert "escalation_channel" not in result.text  # no cascade of unknown keys
    assert result.count("error") == 1, result.text


def test_a_registry_file_in_a_newer_format(site):
    put_first(site.files[SERVICES], "format", FORMAT_VERSION + 1)
    site.write(SERVICES)
    result = site.check()
    assert result.code == 1
    line = site.line(SERVICES, "format:")
    result.expect(f"{SERVICES}:{line}: error: ", f"uses record format {FORMAT_VERSION + 1}")


def test_a_format_that_is_not_a_number(site):
    put_first(site.files[INCIDENT], "format", "two")
    site.write(INCIDENT)
    result = site.check()
    assert result.code == 1
    line = site.line(INCIDENT, "format:")
    result.expect(f"{INCIDENT}:{line}: error: ", "not a format version", "whole number from 1")
