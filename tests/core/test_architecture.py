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


#: Patterns under detect/ that may hold letters because they are no language's wording:
#: (module, a piece of the pattern) -> why.
NEUTRAL_PATTERNS = {
    ("web", "CONNECTION_REFUSED"): "Chromium network error codes, not wording",
    ("web", "NAME_NOT_RESOLVED"): "Chromium network error codes, not wording",
    ("web", "TOO_MANY_REDIRECTS"): "Chromium network error codes, not wording",
    ("web", "SSL|CERT|TLS"): "Chromium network error codes, not wording",
    ("web", "TIMED_OUT|^timeout$"): "Chromium's code and Playwright's timeout, not wording",
    ("web", "CONNECTION_(RESET"): "Chromium network error codes, not wording",
    ("goals", "self[_ -]?service|person|department"): "the scenario's own `goal:` syntax",
}
_RE_CALLS = {"compile", "search", "match", "fullmatch", "findall", "finditer", "sub", "split"}
#: Regex syntax that is not a word: escapes, group names, inline flags.
_SYNTAX = r"\\[A-Za-z]|\(\?P?<[^>]*>|\(\?P=\w+\)|\(\?[aiLmsux-]+[:)]"


def _literal(node: ast.AST) -> str | None:
    """The text of a string literal (or of an f-string's fixed parts)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal(node.left), _literal(node.right)
        return None if left is None and right is None else (left or "") + (right or "")
    return None


def _wording_in_code(name: str, src: str) -> list[str]:
    """Patterns (re calls) and substring tests (`"word" in x.lower()`) that hold words."""
    import re
    bad = []
    for node in ast.walk(ast.parse(src)):
        text = None
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") in _RE_CALLS \
                and getattr(node.func.value, "id", "") == "re" and node.args:
            text = _literal(node.args[0])
        elif isinstance(node, ast.Compare) and any(isinstance(o, (ast.In, ast.NotIn)) for o in node.ops) \
                and isinstance(node.comparators[0], ast.Call) \
                and getattr(node.comparators[0].func, "attr", "") in ("lower", "casefold"):
            text = _literal(node.left)
        if text is None or not re.search(r"[A-Za-z]{3,}", re.sub(_SYNTAX, " ", text)):
            continue
        if not any(mod == name and piece in text for mod, piece in NEUTRAL_PATTERNS):
            bad.append(f"detect/{name}.py:{node.lineno}: {text[:70]!r}")
    return bad


def test_no_cue_regex_outside_the_language_packs():
    """Wording lives in detect/lang/*.yaml: no module under detect/ compiles or tests for a
    phrase of any language (code holds grammar, not vocabulary)."""
    bad = []
    for path in sorted((PKG / "detect").rglob("*.py")):
        name = str(path.relative_to(PKG / "detect").with_suffix("")).replace("/", ".")
        bad += _wording_in_code(name, path.read_text())
    assert not bad, "wording belongs in detect/lang/<code>.yaml:\n" + "\n".join(bad)


def test_the_wording_check_sees_wording_and_its_allow_list_is_used():
    """The check above would catch a phrase, and every allow-list entry still exists."""
    planted = 'import re\nX = re.compile(r"\\bplease hold\\b", re.I)\nok = "transfer" in t.lower()\n'
    assert len(_wording_in_code("phone", planted)) == 2
    assert not _wording_in_code("phone", 'import re\nS = re.compile(r"\\s*(?P<dept>\\S+)\\d{3,}")\n')
    for (mod, piece), why in NEUTRAL_PATTERNS.items():
        assert piece in (PKG / "detect" / f"{mod}.py").read_text(), f"stale allow-list entry {mod}: {piece} ({why})"


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
