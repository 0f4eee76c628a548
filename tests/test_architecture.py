"""The pipeline's shape, enforced: data flows one way, and only adapters know MkDocs.

load -> model -> derive -> render -> adapters. A module may import its own stage
and earlier ones, never a later one; nothing but mimp/adapters imports
mkdocs or material, so replacing Material (end of life May 2027) means a new
adapter, not a rewrite.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "mimp"
ORDER = ["diagnostics", "load", "model", "derive", "render", "pipeline", "adapters"]
ENGINE = ("mkdocs", "material")


def stage_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "mimp" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in ORDER else None


def imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "scaffold" not in p.parts)


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_imports_only_flow_down_the_pipeline(path: Path) -> None:
    own = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
    if own not in ORDER:
        return  # mimp/__init__.py, __main__.py
    for module in imports(path):
        target = stage_of(module)
        if target is not None:
            assert ORDER.index(target) <= ORDER.index(own), f"{own} imports {module}"
        if own != "adapters":
            assert module.split(".")[0] not in ENGINE, f"{own} imports {module}"


def test_the_check_can_fail() -> None:
    assert stage_of("mimp.render.site") == "render"
    assert ORDER.index("render") > ORDER.index("derive")  # derive importing render fails
    assert "mkdocs" in ENGINE
