"""A user's language rules: which pack, and which cue patterns to add, replace or remove.

They come from `shopper-language.yaml` files next to the scenarios, a scenario's
`language:` block, or `shopper report --language-rules FILE`; later ones win.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Mapping

import yaml

DEFAULT = "en"


class LanguageError(ValueError):
    """A pack or a user's rules file is wrong (unknown language, bad pattern)."""


def merge_cues(cues: dict[str, Any], rules: Mapping[str, Any], where: str) -> dict[str, Any]:
    """`cues` with `rules` applied: a list adds patterns; add / replace / remove."""
    out = dict(cues)
    for family, change in rules.items():
        have = out.get(family)
        if isinstance(have, dict) and isinstance(change, Mapping) and not (
                set(change) & {"add", "replace", "remove"}):
            out[family] = merge_cues(have, change, f"{where}.{family}")
            continue
        have = list(have or []) if not isinstance(have, dict) else None
        if have is None:
            raise LanguageError(f"{where}: cue '{family}' has sub-families; give them by name")
        if isinstance(change, str):
            change = [change]
        if isinstance(change, list):
            change = {"add": change}
        if not isinstance(change, Mapping):
            raise LanguageError(f"{where}: cue '{family}' must be a list of patterns or a mapping "
                                "with add / replace / remove")
        for key in change:
            if key not in ("add", "replace", "remove"):
                raise LanguageError(f"{where}: cue '{family}': unknown key '{key}' "
                                    "(add, replace or remove)")
        new = list(change.get("replace", have))
        new = [p for p in new if p not in set(change.get("remove", []))]
        new += [p for p in change.get("add", []) if p not in new]
        for p in new:
            try:
                re.compile(p)
            except re.error as exc:
                raise LanguageError(f"{where}: cue '{family}': bad pattern {p!r}: {exc}") from exc
        out[family] = new
    return out


def rules_of(spec: Any) -> tuple[str, dict[str, Any]]:
    """(code, cue rules) from a `language:` value: a code, or {code|language, cues}."""
    if spec is None:
        return DEFAULT, {}
    if isinstance(spec, str):
        return spec, {}
    if isinstance(spec, Mapping):
        return str(spec.get("code") or spec.get("language") or DEFAULT), dict(spec.get("cues") or {})
    raise LanguageError("language must be a code such as 'en' or a mapping with code and cues")


def merge_rules(*specs: Any) -> dict[str, Any]:
    """Combine `language:` values, later ones winning: the code and every cue change."""
    code, cues = DEFAULT, {}
    for spec in specs:
        if spec is None:
            continue
        c, r = rules_of(spec)
        if isinstance(spec, str) or (isinstance(spec, Mapping) and (spec.get("code") or spec.get("language"))):
            code = c
        for family, change in r.items():
            cues[family] = change  # a later file's rule for a family replaces an earlier one
    return {"code": code, "cues": cues}


def read_rules_file(path: Path) -> dict[str, Any]:
    """A user's rules file (`shopper-language.yaml`) as a `language:` mapping."""
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f) or {}
    except yaml.YAMLError as exc:
        raise LanguageError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, Mapping):
        raise LanguageError(f"{path}: must be a mapping with 'language' and/or 'cues'")
    unknown = set(data) - {"language", "code", "cues"}
    if unknown:
        raise LanguageError(f"{path}: unknown key(s) {', '.join(sorted(unknown))} "
                            "(language, cues)")
    from .language import pack  # the loader checks the code and compiles the patterns
    try:
        pack(*rules_of(dict(data)))  # fail now, naming the file, not later in a detector
    except LanguageError as exc:
        raise LanguageError(f"{path}: {exc}") from exc
    return dict(data)
