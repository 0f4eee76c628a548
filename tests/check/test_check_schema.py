"""The published JSON Schemas: up to date, printed and written by `mimp schema`, and in
agreement with `mimp check` on valid and invalid records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from mimp.load.safe_yaml import parse_yaml
from mimp.load.sources import split_front_matter
from mimp.model.schema import KINDS, file_name, schema_for, schema_text

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = REPO / "schemas"


def validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads((SCHEMAS / file_name(kind)).read_text("utf-8")))


def record_of(path: Path) -> tuple[str, object]:
    """(kind, data) of a record file, parsed as `mimp check` parses it (timestamps as text)."""
    text = path.read_text("utf-8")
    if path.suffix in (".yaml", ".yml"):
        return "registry", parse_yaml(text)
    parts = split_front_matter(text)
    assert parts is not None, f"{path} has no front matter"
    kind = "pir" if path.name.endswith(".pir.md") else "incident"
    return kind, parse_yaml(parts[0], first_line=2)


def record_files(root: Path) -> list[Path]:
    data = root / "data"
    return sorted([*(data / "registry").glob("*.yaml"), *(data / "incidents").rglob("*.md")])


def schema_errors(kind: str, data: object) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator(kind).iter_errors(data)
    ]


# --- the checked-in files ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(KINDS))
def test_checked_in_schema_is_up_to_date(kind):
    path = SCHEMAS / file_name(kind)
    assert path.is_file(), f"{path.relative_to(REPO)} is missing: run `mimp schema --write`"
    assert path.read_text("utf-8") == schema_text(kind), (
        f"{path.relative_to(REPO)} is stale (the models changed): run `mimp schema --write`"
        " from the repository root and commit the result"
    )


@pytest.mark.parametrize("kind", list(KINDS))
def test_schema_is_a_valid_2020_12_schema_with_titles(kind):
    schema = schema_for(kind)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"].startswith("MIMP ")
    assert schema["description"]
    assert schema["additionalProperties"] is False
    for name, prop in schema["properties"].items():
        assert prop.get("description"), f"{kind}: field '{name}' has no description"


# --- mimp schema ------------------------------------------------------------------------------


def test_mimp_schema_prints_one_kind(capsys):
    from mimp.adapters.cli import main

    assert main(["schema", "incident"]) == 0
    assert capsys.readouterr().out == (SCHEMAS / "incident.schema.json").read_text("utf-8")


def test_mimp_schema_write_into_a_folder(tmp_path, capsys):
    from mimp.adapters.cli import main

    target = tmp_path / "out" / "schemas"
    assert main(["schema", "--write", str(target)]) == 0
    written = sorted(p.name for p in target.iterdir())
    assert written == ["incident.schema.json", "pir.schema.json", "registry.schema.json"]
    for name in written:
        assert (target / name).read_text("utf-8") == (SCHEMAS / name).read_text("utf-8")
    assert f"wrote {target.as_posix()}/pir.schema.json" in capsys.readouterr().out


def test_mimp_schema_write_defaults_to_schemas(tmp_path, monkeypatch, capsys):
    from mimp.adapters.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["schema", "--write"]) == 0
    assert (tmp_path / "schemas" / "registry.schema.json").is_file()
    assert "wrote schemas/registry.schema.json" in capsys.readouterr().out


def test_mimp_schema_without_a_kind_says_what_to_do(capsys):
    from mimp.adapters.cli import main

    assert main(["schema"]) == 2
    assert "name a kind (registry, incident, pir)" in capsys.readouterr().err


# --- the schemas accept valid records ---------------------------------------------------------


def test_the_fixture_site_validates(site):
    assert site.check().code == 0
    files = record_files(site.root)
    assert len(files) == 7
    for path in files:
        kind, data = record_of(path)
        assert schema_errors(kind, data) == [], path


EXAMPLE_FILES = record_files(REPO) if (REPO / "data" / "registry").is_dir() else []


@pytest.mark.skipif(not EXAMPLE_FILES, reason="no example data in data/ yet")
@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_the_example_data_validates(path):
    kind, data = record_of(path)
    assert schema_errors(kind, data) == []


# --- and reject what mimp check rejects -------------------------------------------------------

INVALID = [
    ("incident", lambda f: f.update(sumary=f.pop("summary")), "Additional properties"),
    ("incident", lambda f: f.update(declared_at="2026-11-02T09:10:00"), "does not match"),
    ("incident", lambda f: f.update(declared_at="2026-11-02"), "does not match"),
    ("incident", lambda f: f.update(commander="Ava Stone"), "not valid under any"),
    ("incident", lambda f: f["services"].update({"Check Out": "major_outage"}), "Check Out"),
    ("incident", lambda f: f["services"].update(checkout="down"), "'down'"),
    ("incident", lambda f: f["services"].update(checkout="under_maintenance"), "is not one of"),
    ("incident", lambda f: f["updates"][2].update(status="completed"), "is not one of"),
    ("incident", lambda f: f["updates"][2].update(mesage="x"), "Additional properties"),
    ("incident", lambda f: f.pop("severity"), "'severity' is a required property"),
    ("incident", lambda f: f.update(impact={"orders_lost": "many"}), "is not of type 'number'"),
    ("incident", lambda f: f.update(type="outage"), "'outage' is not one of"),
    ("maintenance", lambda f: f.pop("scheduled_end"), "'scheduled_end' is a required"),
    ("maintenance", lambda f: f["updates"][1].update(status="resolved"), "is not one of"),
    ("pir", lambda f: f.update(held_on="3 Nov 2026"), "does not match"),
    ("pir", lambda f: f["next_steps"][0].update(ownr="x"), "Additional properties"),
    ("pir", lambda f: f.update(attendees="everyone"), "is not of type 'array'"),
    ("people", lambda f: f["people"][0].update(nmae="x"), "Additional properties"),
    ("people", lambda f: f.update(vendor=[]), "Additional properties"),
    ("services", lambda f: f["services"][0].update(tier=4), "4 is not one of"),
    ("services", lambda f: f["services"][0].pop("owner"), "'owner' is a required property"),
    ("teams", lambda f: f["teams"][0]["escalation"][0].update(notify=[]), "should be non-empty"),
    ("policy", lambda f: f["policy"].update(pir_within_days=-1), "not valid under any"),
    ("policy", lambda f: f["policy"].update(severities=[]), "not valid under any"),
]
FILES = {
    "incident": "INCIDENT",
    "maintenance": "MAINTENANCE",
    "pir": "PIR",
    "people": "PEOPLE",
    "services": "SERVICES",
    "teams": "TEAMS",
    "policy": "POLICY",
}


@pytest.mark.parametrize(("which", "change", "words"), INVALID)
def test_schema_and_check_both_reject(site, which, change, words):
    path = getattr(site, FILES[which])
    change(site.files[path])
    site.write(path)
    kind, data = record_of(site.root / path)
    errors = schema_errors(kind, data)
    assert any(words in error for error in errors), errors
    assert site.check().code == 1
