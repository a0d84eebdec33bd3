"""The layer rules of ARCHITECTURE.md, checked on the source."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[2] / "shopper"

ALLOWED = {
    "runner": {"scenario", "channels", "journal", "errors", "runner", "events"},
    "channels": {"scenario", "journal", "errors", "channels", "events"},
    "journal": {"journal", "events"},
    "events": {"events"},
    "detect": {"detect", "events"},
    "report": {"detect", "journal", "report", "events"},
    "lab": {"lab"},
    "scenario": {"scenario", "errors"},
    "registry": {"registry"},
}
#: Modules that import nothing of shopper, so every layer but the lab may read them.
NEUTRAL = {"events", "registry"}
#: The pure judgement modules of `detect` that drivers (and the runner) may call, so a
#: driver acting on a judgement uses the detector's own function.
JUDGEMENT = {"detect.language", "detect.wording", "detect.parties", "detect.goals",
             "detect.roles", "detect.chat_roles", "detect.phone_roles"}
MAY_JUDGE = ("runner", "channels")


def _layer(path: Path) -> str:
    rel = path.relative_to(PKG)
    return rel.parts[0].removesuffix(".py")


def _imports(path: Path) -> set[str]:
    """Dotted module paths below `shopper` that `path` imports (`detect.wording`)."""
    tree = ast.parse(path.read_text())
    layer_parts = path.relative_to(PKG).parts
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module and node.module.startswith("shopper."):
                target = node.module.removeprefix("shopper.").split(".")
            elif node.level > 0:
                base = list(layer_parts[:-1])[: len(layer_parts) - node.level]
                target = base + (node.module.split(".") if node.module else [])
            else:
                continue
            if not target:
                found.update(a.name for a in node.names)
                continue
            for a in node.names:  # `from ..detect import language` imports a module
                sub = [*target, a.name]
                is_module = (PKG.joinpath(*sub).with_suffix(".py").is_file()
                             or PKG.joinpath(*sub).is_dir())
                found.add(".".join(sub if is_module else target))
        elif isinstance(node, ast.Import):
            found.update(a.name.removeprefix("shopper.") for a in node.names
                         if a.name.startswith("shopper."))
    return found


def _top(module: str) -> str:
    return module.split(".")[0].removesuffix(".py")


def test_layers_import_one_way():
    bad = []
    for path in PKG.rglob("*.py"):
        layer = _layer(path)
        if layer not in ALLOWED:
            continue
        for imported in sorted(_imports(path)):
            top = _top(imported)
            if top in ALLOWED[layer] | {"__init__", "__version__"} or (
                    top in NEUTRAL and layer != "lab"):
                continue
            if layer in MAY_JUDGE and top == "detect" and imported in JUDGEMENT:
                continue
            bad.append(f"{path.relative_to(PKG.parent)} imports shopper.{imported}")
    assert not bad, "\n".join(bad)


def test_judgement_modules_stay_pure():
    """What drivers may import from detect imports nothing but detect and events."""
    for name in JUDGEMENT:
        path = PKG / (name.replace(".", "/") + ".py")
        if not path.is_file():
            continue
        outside = {_top(m) for m in _imports(path)} - {"detect", "events"}
        assert not outside, f"{name} imports {outside}"


def test_no_cue_regex_outside_the_language_packs():
    """Wording lives in detect/lang/*.yaml: the detectors compile no English phrases."""
    words = ("hold", "transfer", "offline", "press", "joined", "thank", "call|phone")
    bad = []
    for name in ("wording", "web", "stall", "phone", "parties", "goals"):
        src = (PKG / "detect" / f"{name}.py").read_text()
        for node in ast.walk(ast.parse(src)):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "compile":
                text = ast.unparse(node).lower()
                bad += [f"detect/{name}.py: {text[:80]}" for w in words if w in text]
    assert not bad, "\n".join(bad)


def test_registry_names_every_part_of_each_channel():
    """The registry's strings point at real modules, and the scenario specs agree with it."""
    import importlib

    from shopper.registry import CHANNELS
    from shopper.scenario.specs import channel_specs
    assert list(channel_specs()) == list(CHANNELS)
    for c in CHANNELS.values():
        for target in (c.spec, c.driver):
            module, _, attr = target.partition(":")
            assert hasattr(importlib.import_module(module), attr), target
        for name in c.detectors:
            assert (PKG / "detect" / f"{name}.py").is_file(), name
        if c.partial:
            assert (PKG.parent / "reports" / "templates" / c.partial).is_file(), c.partial
