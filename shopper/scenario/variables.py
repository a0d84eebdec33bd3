"""`${...}` variables in scenario text: checking references and substituting values.

    ${persona.order}   a persona value
    ${env.SHOP_PASS}   an environment variable (for secrets; never written to journals)
    ${BASE_URL}        a run variable: from `vars:`, `--var NAME=VALUE`, or the lab
    $${literal}        a literal '${literal}'
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterator, Mapping

from ..errors import ShopperError

_REF = re.compile(r"\$\$|\$\{([^}]*)\}")
_NAME = re.compile(r"^(?:(persona|env)\.)?([A-Za-z_][A-Za-z0-9_]*)$")


def references(text: str) -> Iterator[tuple[str | None, str, str]]:
    """Yield (namespace, name, raw) for each `${...}` in text; namespace None for bare names."""
    for m in _REF.finditer(text):
        if m.group(0) == "$$":
            continue
        raw = m.group(1)
        nm = _NAME.match(raw.strip())
        if nm:
            yield nm.group(1), nm.group(2), raw
        else:
            yield "?", raw, raw


_OPEN = re.compile(r"\$\$|\$\{[^}]*\}|(\$\{)")


def unclosed(text: str) -> list[int]:
    """Offsets of each `${` that no `}` closes (so it would be sent as it is)."""
    return [m.start() for m in _OPEN.finditer(text) if m.group(1)]


class UnresolvedVariable(ShopperError):
    """A `${...}` reference had no value at run time."""


def substitute(text: str, lookup: Callable[[str | None, str], str | None]) -> str:
    """Replace each `${...}` in text using lookup(namespace, name)."""
    def repl(m: re.Match[str]) -> str:
        if m.group(0) == "$$":
            return "$"
        nm = _NAME.match(m.group(1).strip())
        value = lookup(nm.group(1), nm.group(2)) if nm else None
        if value is None:
            raise UnresolvedVariable(f"no value for ${{{m.group(1)}}}")
        return value
    return _REF.sub(repl, text)


def walk_strings(value: Any) -> Iterator[str]:
    """Every string inside nested dicts, lists and tuples."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for v in value.values():
            yield from walk_strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from walk_strings(v)
