"""A JSON Schema of the scenario format, generated from the channel specs (for editors)."""

from __future__ import annotations

from typing import Any

from .fields import MAX_INT, MAX_SECONDS
from .parse import top_fields
from .spec import STEP_COMMON, ChannelSpec, Field
from .specs import channel_specs

DURATION = {"anyOf": [{"type": "number", "exclusiveMinimum": 0, "maximum": MAX_SECONDS},
                      {"type": "string", "pattern": r"^\s*(\d+(\.\d+)?\s*(ms|h|min|m|sec|s)\s*)+$"}],
            "description": "Seconds, or text like 500ms, 30s, 2m, 1m30s."}


#: what each `form` of text looks like, as far as a pattern can say (forms.py says it all)
FORM_PATTERNS = {
    "url": r"^(\$\{|[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+)",
    "link": r"^(\$\{|[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+|(?![A-Za-z][A-Za-z0-9+.\-]*:)\S)",
    "digits": r"^(\$\{.*|[0-9*#wW]+)$",
    "phone": r"^(\$\{.*|sip:.*|client:.*|\+?[0-9][0-9 ().\-]{1,30})$",
    "text": r"\S",
    "key": r"^(\$\{.*|[^+]+(\+[^+]+)*(\+\+)?|\+)$",
}


def field_schema(f: Field) -> dict[str, Any]:
    """The JSON Schema of one field."""
    t = f.type
    if t == "str":
        out: dict[str, Any] = {"type": ["string", "number"]}
        if f.form in FORM_PATTERNS:
            out["pattern"] = FORM_PATTERNS[f.form]
    elif t == "int":
        out = {"type": "integer", "minimum": f.minimum or 0, "maximum": MAX_INT}
    elif t == "number":
        out = {"type": "number"}
    elif t == "bool":
        out = {"type": "boolean"}
    elif t == "duration":
        out = dict(DURATION)
    elif t == "strings":
        text = {"type": ["string", "number"]}
        out = {"anyOf": [text, {"type": "array", "items": text, "minItems": 1}]}
    elif t == "regex":
        out = {"type": "string", "format": "regex"}
    elif t == "choice":
        out = {"enum": list(f.choices)}
    elif t == "map":
        out = {"type": "object", "propertyNames": {"pattern": r"^[A-Za-z_][A-Za-z0-9_]*$"},
               "additionalProperties": {"type": ["string", "number", "boolean", "null"]}}
    elif t == "list":
        out = {"type": "array", "items": field_schema(f.item) if f.item else {}}
    else:
        out = _object(f)
    if f.doc and "description" not in out:
        out["description"] = f.doc
    return out


def _object(f: Field) -> dict[str, Any]:
    obj: dict[str, Any] = {"type": "object", "additionalProperties": False,
                           "properties": {k: field_schema(v) for k, v in f.fields.items()}}
    required = [k for k, v in f.fields.items() if v.required]
    if required:
        obj["required"] = required
    if f.one_of:
        obj["oneOf"] = [{"required": [k]} for k in f.one_of]
    variants = [field_schema(f.fields[f.shorthand])] if f.shorthand else []
    if not required and not f.one_of:  # `- expect_human:` with nothing: the defaults
        variants.append({"type": "null"})
    return {"anyOf": [*variants, obj]} if variants else obj


def _step_schema(spec: ChannelSpec) -> dict[str, Any]:
    variants: list[dict[str, Any]] = []
    for action, step in spec.steps.items():
        f = step.as_field()
        if "timeout" not in f.fields:  # the loader also accepts the step's timeout inside
            f = Field("object", f.doc, fields={**f.fields, "timeout": STEP_COMMON["timeout"]},
                      shorthand=f.shorthand, one_of=f.one_of)
        props = {action: field_schema(f), **{k: field_schema(v) for k, v in STEP_COMMON.items()}}
        variants.append({"type": "object", "required": [action], "properties": props,
                         "additionalProperties": False, "description": step.doc})
        if not any(v.required for v in step.fields.values()) and not step.one_of:
            variants.append({"const": action, "description": step.doc})
    return {"anyOf": variants}


def json_schema() -> dict[str, Any]:
    """The whole format as a JSON Schema (draft 2020-12)."""
    specs = channel_specs()
    fields = top_fields(specs)
    props: dict[str, Any] = {}
    for key, f in fields.items():
        if key in specs:
            spec = specs[key]
            props[key] = {"type": "object", "description": spec.doc, "additionalProperties": False,
                          "required": ["steps"],
                          "properties": {**{k: field_schema(v) for k, v in spec.settings.items()},
                                         "steps": {"type": "array", "items": _step_schema(spec)}}}
        else:
            props[key] = field_schema(f)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://shopper.dev/schema/scenario-v1.json",
            "title": "shopper scenario", "type": "object", "additionalProperties": False,
            "required": ["name"], "properties": props}
