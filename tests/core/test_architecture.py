"""The layer rules of ARCHITECTURE.md, checked on the source."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[2] / "shopper"

ALLOWED = {
    "runner": {"scenario", "channels", "journal", "errors", "runner"},
    # a driver acts on a judgement through the same pure function the detectors use
    "channels": {"scenario", "journal", "errors", "channels", "detect"},
    "journal": {"journal"},
    "detect": {"detect"},
    "report": {"detect", "journal", "report"},
    "lab": {"lab"},
    "scenario": {"scenario", "errors"},
}


def _layer(path: Path) -> str:
    rel = path.relative_to(PKG)
    return rel.parts[0].removesuffix(".py")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    layer_parts = path.relative_to(PKG).parts
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module and node.module.startswith("shopper."):
                found.add(node.module.split(".")[1])
            elif node.level > 0:
                base = list(layer_parts[:-1])[: len(layer_parts) - node.level]
                target = base + (node.module.split(".") if node.module else [])
                if target:
                    found.add(target[0].removesuffix(".py"))
                elif node.module is None:
                    found.update(a.name for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("shopper."))
    return found


def test_layers_import_one_way():
    bad = []
    for path in PKG.rglob("*.py"):
        layer = _layer(path)
        if layer not in ALLOWED:
            continue
        for imported in _imports(path) - ALLOWED[layer] - {"__init__"}:
            if imported == "__version__":
                continue
            bad.append(f"{path.relative_to(PKG.parent)} imports shopper.{imported}")
    assert not bad, "\n".join(bad)
