"""The declarative description of the scenario format.

Each channel describes its journey settings and its steps with `Field`s; the same
description drives validation (`fields.check`), the JSON Schema (`schema.py`) and the
documentation. A channel adds itself by defining a `ChannelSpec` in `specs/<name>.py`.

Field types:
    str        text (a number is accepted and turned into text); `form` checks its shape
    int        whole number, 0 or more (or `minimum`) and at most a million
    number     number
    bool       true / false
    duration   seconds as a number, or text such as 500ms, 30s, 2m, 1m30s, 1h; more than
               0 and at most a week
    strings    one text or a list of texts (kept as a tuple)
    regex      a regular expression (checked to compile)
    choice     one of `choices`
    object     a mapping with its own `fields` (a scalar fills `shorthand`)
    list       a list of `item` fields
    map        a free mapping of names to scalar values (persona, vars)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Field:
    """One key of a mapping in the scenario format."""

    type: str
    doc: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()
    fields: dict[str, "Field"] = field(default_factory=dict)
    shorthand: str | None = None
    one_of: tuple[str, ...] = ()
    item: "Field | None" = None
    default: Any = None
    example: Any = None
    #: smallest value of an `int` (counts default to 0; `nth` counts from 1)
    minimum: int | None = None
    #: the form a `str` must take: url, link, key, digits, phone, text (see forms.py)
    form: str | None = None


@dataclass(frozen=True)
class StepSpec:
    """One kind of step: its action word, what it does, and its options.

    `shorthand` names the field a scalar value fills, so `click: Returns` means
    `click: {text: Returns}`. `one_of` lists fields of which exactly one must be given.
    """

    action: str
    doc: str
    fields: dict[str, Field] = field(default_factory=dict)
    shorthand: str | None = None
    one_of: tuple[str, ...] = ()
    example: Any = None

    def as_field(self) -> Field:
        """This step's value described as an object field."""
        return Field("object", self.doc, fields=self.fields, shorthand=self.shorthand,
                     one_of=self.one_of)


@dataclass(frozen=True)
class ChannelSpec:
    """A channel's journey block: its settings and the steps it understands."""

    name: str
    doc: str
    settings: dict[str, Field] = field(default_factory=dict)
    steps: dict[str, StepSpec] = field(default_factory=dict)


# Keys every step may carry beside its action.
STEP_COMMON: dict[str, Field] = {
    "name": Field("str", "A short label for the step, shown in reports."),
    "timeout": Field("duration", "How long the step may take before it fails (default 10s)."),
}


def text_checks(what: str) -> dict[str, Field]:
    """The checks conversational steps share: contains / any_of / matches on `what`."""
    return {
        "contains": Field("str", f"Text the {what} must contain (case-insensitive).",
                          form="text"),
        "any_of": Field("strings", f"Texts of which the {what} must contain one."),
        "matches": Field("regex", f"A pattern the {what} must match (case-insensitive)."),
    }
