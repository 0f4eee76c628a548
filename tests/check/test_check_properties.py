"""Property tests: whatever is in a record file, `mimp check` answers 0 or 1 and never raises.

The valid site stays as it is; each example rewrites one file (a registry file, an
incident or the PIR) with generated text or bytes and runs `mimp check` in-process.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mimp.model.incident import IncidentFront
from mimp.model.pir import PirFront
from mimp.model.registry import RegistryFile

TARGETS = {
    "registry": "data/registry/zz-generated.yaml",
    "incident": "data/incidents/2026/2026-11-20-generated.md",
    "pir": "data/incidents/2026/2026-11-02-checkout-errors.pir.md",
}
MESSAGE = re.compile(r"^data/[^:]+?(:\d+)?: (error|warning): \S")

# The site fixture is reused across examples on purpose: each example overwrites the one
# generated file, so no state carries from one example to the next.
FAST = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def check_survives(site, kind: str, data: bytes) -> None:
    site.write(TARGETS[kind], data)
    result = site.check()
    assert result.code in (0, 1), result.text
    assert "Traceback" not in result.text
    assert re.fullmatch(r"mimp check: \d+ errors?, \d+ warnings?", result.lines[-1])
    for line in result.lines[:-1]:
        assert MESSAGE.match(line), line


kinds = st.sampled_from(sorted(TARGETS))

# Text that YAML cares about: indicators, quotes, indentation, tabs, anchors, tags, fences.
yamlish_text = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "---",
                "...",
                "- ",
                "  ",
                "\t",
                ": ",
                "? ",
                "&a ",
                "*a",
                "<<: *a",
                "!!str ",
                "!!python/object:os.system ",
                "!x ",
                "[",
                "]",
                "{",
                "}",
                ", ",
                "'",
                '"',
                "|",
                ">-",
                "# ",
                "%YAML 1.1",
                "~",
                "\n",
                "\r\n",
                "\ufeff",
                "2026-11-02T09:10:00Z",
                "2026-11-02",
            ]
        ),
        st.sampled_from(
            [
                "title",
                "services",
                "updates",
                "at",
                "status",
                "people",
                "id",
                "name",
                "policy",
                "held_on",
                "next_steps",
                "checkout",
                "sev1",
            ]
        ),
        st.text(max_size=8),
    ),
    max_size=40,
).map("".join)


@FAST
@given(kind=kinds, text=st.text())
def test_any_text(site, kind, text):
    check_survives(site, kind, text.encode("utf-8"))


@FAST
@given(kind=kinds, text=yamlish_text)
def test_yaml_like_text_in_front_matter(site, kind, text):
    wrapped = text if kind == "registry" else f"---\n{text}\n---\nBody.\n"
    check_survives(site, kind, wrapped.encode("utf-8"))


@FAST
@given(kind=kinds, data=st.binary(max_size=2048))
def test_any_bytes(site, kind, data):
    check_survives(site, kind, data)


# Structured records: the keys a file kind knows, with values of any JSON-ish shape.
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    st.text(max_size=20),
    st.sampled_from(
        [
            "2026-11-02T09:10:00Z",
            "2026-11-02T09:10:00",
            "2026-11-02",
            "9999-12-31T23:59:59-23:59",
            "checkout",
            "ava-stone",
            "payments",
            "sev1",
            "resolved",
            "completed",
            "major_outage",
            "under_maintenance",
            "business",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


def keyed(fields: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(
        st.sampled_from(fields) | st.text(max_size=10), values, max_size=len(fields)
    )


STRUCTURED = {
    "registry": keyed(list(RegistryFile.model_fields)),
    "incident": keyed(list(IncidentFront.model_fields)),
    "pir": keyed(list(PirFront.model_fields)),
}


@FAST
@given(st.data())
def test_structured_records_of_any_shape(site, data):
    kind = data.draw(kinds)
    record = data.draw(STRUCTURED[kind])
    text = yaml.safe_dump(record, allow_unicode=True, sort_keys=False)
    if kind != "registry":
        text = f"---\n{text}---\n"
    check_survives(site, kind, text.encode("utf-8"))
