"""Hostile input: one malformed file dropped into a valid site.

`mimp check` must exit 1, name the file (and the line, where the input has one)
in an error, print every message as `path[:line]: severity: ...`, and never
show a traceback. The files are in hostile/, each named as it is dropped in plus
`.hostile`, so that no formatter, linter or editor recognises and "fixes" them
(ruff, for one, formats and chokes on *.md). The very large and binary ones are
made here.
"""

from __future__ import annotations

import os
import random
import re
import stat
from pathlib import Path

import pytest

HOSTILE = Path(__file__).parent / "hostile"
SUFFIX = ".hostile"

REGISTRY = "data/registry/zz-hostile.yaml"
POLICY = "data/registry/policy.yaml"  # replaces the site's policy
INCIDENT = "data/incidents/2026/2026-11-20-hostile.md"
PIR = "data/incidents/2026/2026-11-02-checkout-errors.pir.md"  # replaces the site's PIR
DESTINATIONS = {"registry": REGISTRY, "policy": POLICY, "incident": INCIDENT, "pir": PIR}

# file in hostile/ -> (line of the error, words in its message)
EXPECTED: dict[str, tuple[int | None, tuple[str, ...]]] = {
    # YAML syntax, several kinds
    "registry-tab-indent.yaml": (2, ("YAML syntax", "indented with a tab")),
    "incident-tab-indent.md": (4, ("YAML syntax", "indented with a tab")),
    "registry-unclosed-quote.yaml": (6, ("quoted scalar that starts on line 3",)),
    "incident-unclosed-bracket.md": (4, ("flow sequence that starts on line 3",)),
    "registry-bad-indent.yaml": (4, ("YAML syntax", "block collection")),
    "incident-colon-in-plain-value.md": (3, ("mapping values are not allowed",)),
    "registry-two-documents.yaml": (2, ("single document",)),
    "registry-yaml-directive.yaml": (1, ("incompatible YAML document",)),
    "registry-undefined-alias.yaml": (3, ("undefined alias",)),
    "registry-bad-merge-key.yaml": (2, ("merging",)),
    "registry-control-character.yaml": (3, ("U+0007 is not allowed",)),
    # front matter
    "incident-no-front-matter.md": (1, ("no front matter",)),
    "incident-front-matter-not-at-top.md": (1, ("no front matter",)),
    "incident-unterminated-front-matter.md": (1, ("never closed",)),
    "incident-only-fence.md": (1, ("never closed",)),
    "incident-empty.md": (1, ("no front matter",)),
    "incident-empty-front-matter.md": (2, ("must be a mapping",)),
    "incident-front-matter-list.md": (2, ("must be a mapping", "title")),
    "incident-front-matter-scalar.md": (2, ("must be a mapping",)),
    "pir-front-matter-list.md": (2, ("must be a mapping", "held_on")),
    # the shape of a registry file
    "registry-is-list.yaml": (1, ("a registry file is a mapping", "services")),
    "registry-is-scalar.yaml": (1, ("a registry file is a mapping",)),
    # keys
    "registry-numeric-key.yaml": (4, ("key 42 is not text", "quotes")),
    "registry-null-key.yaml": (4, ("key None is not text",)),
    "registry-list-key.yaml": (4, ("key ['a', 'b'] is not text",)),
    "registry-duplicate-keys.yaml": (5, ("duplicate key 'name'", "first given on line 3")),
    "incident-duplicate-keys.md": (4, ("duplicate key 'title'", "first given on line 2")),
    # what YAML can do that records must not
    "registry-billion-laughs.yaml": (5, ("expands to more than 50,000 values",)),
    "registry-recursive-alias.yaml": (1, ("alias refers to itself",)),
    "incident-deep-nesting.md": (2, ("nested more than 40 levels",)),
    "registry-python-object.yaml": (2, ("python/object/apply:os.system", "not allowed")),
    "registry-python-name.yaml": (3, ("python/name:os.system", "not allowed")),
    "incident-python-tag.md": (2, ("python/object/new:os.system", "not allowed")),
    "registry-custom-tag.yaml": (3, ("'!Ref' is not allowed",)),
    "registry-binary-tag.yaml": (3, ("binary' is not allowed",)),
    "registry-set-tag.yaml": (1, ("set' is not allowed",)),
    "incident-timestamp-tag.md": (5, ("timestamp' is not allowed",)),
    # encodings and bytes
    "registry-latin1.yaml": (3, ("not UTF-8", "0xe9")),
    "pir-windows-1252.md": (3, ("not UTF-8", "0x93")),
    "registry-utf16.yaml": (1, ("UTF-16",)),
    "pir-utf16-without-bom.md": (1, ("NUL", "UTF-16")),
    "registry-nul-byte.yaml": (3, ("NUL",)),
    "incident-nul-in-body.md": (5, ("NUL",)),
    # wrong types everywhere
    "registry-wrong-types.yaml": (1, ("services: expected a list",)),
    "incident-wrong-types.md": (2, ("title: expected text, got a number: YAML reads it as 42",)),
    "incident-update-items-wrong.md": (8, ("updates[0]: expected a mapping", "got text")),
    "pir-wrong-types.md": (2, ("held_on", "got 20261103")),
    "pir-bad-dates.md": (2, ("held_on", "'2026-02-30'", "past the end of February 2026")),
    "policy-huge-numbers.yaml": (2, ("comms_interval_minutes", "less than or equal to 10080")),
    "policy-unknown-zone-and-severity.yaml": (2, ("unknown time zone 'Mars/Olympus_Mons'",)),
    "incident-extreme-timestamps.md": (5, ("declared_at", "out of range")),
    "incident-impact-not-finite.md": (11, ("impact.orders_lost", "finite")),
    # references to unknown ids
    "registry-unknown-refs.yaml": (4, ("unknown team 'no-such-team'",)),
    "incident-unknown-refs.md": (4, ("unknown service 'parcels'",)),
    "pir-unknown-refs.md": (3, ("unknown person 'ghost'",)),
}

LINE = re.compile(r"^(?P<path>data/[^:]+?)(:(?P<line>\d+))?: (?P<severity>error|warning): \S")


def destination(name: str) -> str:
    return DESTINATIONS[name.split("-", 1)[0]]


def assert_rejected(site, dest: str, line: int | None, words: tuple[str, ...]):
    result = site.check()
    assert "Traceback" not in result.text
    assert result.code == 1, result.text
    summary = result.lines[-1]
    assert re.fullmatch(r"mimp check: [1-9]\d* errors?, \d+ warnings?", summary), result.text
    for message in result.lines[:-1]:
        assert LINE.match(message), f"a message that names no file: {message!r}"
    prefix = f"{dest}:{line}: error: " if line is not None else f"{dest}: error: "
    result.expect(prefix, *words)
    return result


def test_every_hostile_file_has_an_expectation():
    assert sorted(path.name.removesuffix(SUFFIX) for path in HOSTILE.iterdir()) == sorted(EXPECTED)
    assert all(path.name.endswith(SUFFIX) for path in HOSTILE.iterdir())
    assert len(EXPECTED) >= 30


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file(site, name):
    line, words = EXPECTED[name]
    dest = destination(name)
    site.write(dest, (HOSTILE / (name + SUFFIX)).read_bytes())
    assert_rejected(site, dest, line, words)


# --- made here rather than committed ----------------------------------------------------------


def test_a_file_over_one_mebibyte(site):
    front = "---\ntitle: Big\n---\n"
    site.write(INCIDENT, (front + "All work and no play.\n" * 50_000).encode())
    assert (site.root / INCIDENT).stat().st_size > 1024 * 1024
    assert_rejected(site, INCIDENT, None, ("bytes; the limit is 1,048,576 bytes",))


def test_a_registry_file_over_one_mebibyte_of_valid_yaml(site):
    people = "".join(f"  - id: p{i}\n    name: Person {i}\n" for i in range(40_000))
    site.write(REGISTRY, ("people:\n" + people).encode())
    assert_rejected(site, REGISTRY, None, ("the limit is 1,048,576 bytes",))


def _first_bad_line(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return data.count(b"\n", 0, exc.start) + 1
    raise AssertionError("the bytes decode as UTF-8")


def test_a_png_named_yaml(site):
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    site.write(REGISTRY, data)
    assert_rejected(site, REGISTRY, 1, ("not UTF-8", "0x89"))


def test_random_bytes_named_md(site):
    data = random.Random(20261123).randbytes(8192)
    site.write(INCIDENT, data)
    assert_rejected(site, INCIDENT, _first_bad_line(data), ("not UTF-8",))


def test_a_folder_named_like_a_record(site):
    (site.root / REGISTRY).mkdir(parents=True)
    (site.root / INCIDENT).mkdir(parents=True)
    result = assert_rejected(site, REGISTRY, None, ("cannot read the file",))
    result.expect(f"{INCIDENT}: error: ", "cannot read the file")


def test_a_dangling_symlink(site):
    (site.root / INCIDENT).symlink_to(site.root / "nowhere.md")
    assert_rejected(site, INCIDENT, None, ("symbolic link",))


def test_a_file_name_with_a_line_break(site):
    # The message quotes the name; the break must not split it across output lines.
    odd = "data/incidents/2026/odd\nname.md"
    site.write(odd, site.files[site.MAINTENANCE])
    result = site.check()
    assert result.code == 1
    assert "data/incidents/2026/odd\\nname.md:1: error: " in result.text
    assert all(LINE.match(line) for line in result.lines[:-1]), result.text


def test_a_symlink_to_a_file_outside_the_root_is_refused(site, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_bytes((site.root / site.MAINTENANCE).read_bytes())
    (site.root / INCIDENT).symlink_to(secret)
    assert_rejected(site, INCIDENT, None, ("symbolic link", "regular files"))


def test_a_fifo_record_is_refused_without_hanging(site):
    os.mkfifo(site.root / INCIDENT)
    assert_rejected(site, INCIDENT, None, ("not a regular file",))


def test_a_symlink_under_docs_assets_is_refused_by_check(site):
    (site.root / "docs/assets").mkdir(parents=True)
    (site.root / "docs/assets/env.txt").symlink_to("/proc/self/environ")
    result = site.check()
    assert result.code == 1
    result.expect("docs/assets/env.txt: error: ", "symbolic link")


# --- issue 9: what a pull request can put in data/ besides text ----------------------------


def test_a_registry_file_linked_to_dev_zero_is_refused_not_read(site):
    """/dev/zero as a registry file ate all memory: it is refused by its kind, unread."""
    (site.root / REGISTRY).symlink_to("/dev/zero")
    assert_rejected(site, REGISTRY, None, ("symbolic link", "regular files"))


def test_a_linked_folder_in_data_is_refused_and_not_walked(site, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "2026-11-21-outside.md").write_bytes((site.root / site.MAINTENANCE).read_bytes())
    linked = "data/incidents/linked"
    (site.root / linked).symlink_to(outside, target_is_directory=True)
    result = assert_rejected(site, linked, None, ("symbolic link",))
    assert "2026-11-21-outside" not in result.text  # never entered


def test_a_linked_data_folder_is_refused(site, tmp_path):
    real = tmp_path / "real-data"
    (site.root / "data").rename(real)
    (site.root / "data").symlink_to(real, target_is_directory=True)
    result = site.check()
    assert result.code == 1
    result.expect("data: error: ", "symbolic link")


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can make a device node")
def test_a_device_node_as_a_record_is_refused_not_read(site):
    """A character device like /dev/zero, as the record itself rather than a link to it."""
    os.mknod(site.root / INCIDENT, stat.S_IFCHR | 0o644, os.makedev(1, 5))  # /dev/zero's
    assert_rejected(site, INCIDENT, None, ("not a regular file",))


def test_a_trial_copy_keeps_links_as_links_and_leaves_fifos_out(site, tmp_path):
    """`mimp update` checks an edit on a copy of data/: a linked folder (to `/`, say) was
    copied whole, and a FIFO reached through one made the copy fail."""
    from mimp.adapters.record_edit import check_edit
    from mimp.load.site_files import copy_data

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "big.bin").write_bytes(b"\0" * 4096)
    os.mkfifo(outside / "pipe.md")
    (site.root / "data/incidents/linked").symlink_to(outside, target_is_directory=True)
    (site.root / "data/incidents/everything").symlink_to("/", target_is_directory=True)
    os.mkfifo(site.root / "data/incidents/pipe.md")
    copy = tmp_path / "copy"
    copy_data(site.root / "data", copy)
    assert (copy / "incidents/linked").is_symlink()
    assert (copy / "incidents/everything").is_symlink()
    assert not (copy / "incidents/pipe.md").exists()
    # The trial check of an edit runs on such a copy: it finishes, and blames the edit
    # for nothing the site already had.
    edited = site.root / site.MAINTENANCE
    text = edited.read_text(encoding="utf-8")
    result = check_edit(site.root, {site.MAINTENANCE: text})
    assert result.ok, result.introduced_errors


def test_an_alias_repeating_a_long_text_past_a_files_size(site):
    """Under the values budget (21 values), but 21 copies of a 60,000-character text: a
    107 KB file of this shape became a 425 MB site."""
    big = "The checkout page is slow. " * 2_300
    services = [f'  - id: s0\n    name: S0\n    owner: payments\n    description: &big "{big}"']
    services += [
        f"  - id: s{n}\n    name: S{n}\n    owner: payments\n    description: *big"
        for n in range(1, 21)
    ]
    site.write(REGISTRY, ("services:\n" + "\n".join(services) + "\n").encode())
    assert (site.root / REGISTRY).stat().st_size < 80_000
    assert_rejected(site, REGISTRY, 2, ("more than 1,048,576 characters of text",))


def test_the_same_aliases_of_a_short_text_pass(site):
    services = ['  - id: s0\n    name: S0\n    owner: payments\n    description: &d "Tills"']
    services += [
        f"  - id: s{n}\n    name: S{n}\n    owner: payments\n    description: *d"
        for n in range(1, 21)
    ]
    site.write(REGISTRY, ("services:\n" + "\n".join(services) + "\n").encode())
    result = site.check()
    assert not result.matching(REGISTRY, "error"), result.text
