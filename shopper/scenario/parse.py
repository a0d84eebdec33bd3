"""Turn one scenario file's YAML into a `Scenario`, collecting every problem found."""

from __future__ import annotations

from typing import Any

from ..errors import Loc
from .fields import Checker, did_you_mean
from .loader import LList, LMap
from .model import BUILTIN_VARS, Budgets, Journey, Scenario, Step
from .spec import STEP_COMMON, ChannelSpec, Field
from .specs import channel_specs
from .variables import references, unclosed, walk_strings

BUDGET_FIELDS: dict[str, Field] = {
    "max_steps": Field("int", "The most steps a journey should need."),
    "max_duration": Field("duration", "The longest a journey should take, e.g. 2m."),
    "max_handoffs": Field("int", "The most handoffs a customer should go through."),
    "time_to_human": Field("duration", "How soon a human should answer (chat, phone)."),
    "first_response": Field("duration", "How soon the first reply should come (chat, phone)."),
    "max_hold": Field("duration", "The longest hold a caller should wait (phone)."),
    "max_customer_messages": Field("int", "The most messages a customer should have to send."),
}


GOAL_FIELD = Field("str", "What success is: self_service, person, or department: NAME.",
                   example="self_service")


def check_goal(value: Any, loc: Loc, checker: Checker) -> None:
    """A goal must be self_service, person or `department: NAME`."""
    import re
    if value is not None and not re.fullmatch(r"\s*(self_service|person|department\s*:\s*\S.*)\s*",
                                              str(value)):
        checker.error(loc, f"goal '{value}' is not a goal",
                      "use self_service, person, or department: NAME (quoted: 'department: billing')")


def top_fields(specs: dict[str, ChannelSpec]) -> dict[str, Field]:
    """The keys a scenario file may have at its top level."""
    out = {
        "name": Field("str", "What the customer tries, e.g. 'Return a damaged blender'.",
                      required=True, form="text"),
        "description": Field("str", "A longer story for reviewers."),
        "tags": Field("strings", "Labels to filter runs by, e.g. [returns, smoke]."),
        "persona": Field("map", "Who the customer is: name, email, order number..."),
        "vars": Field("map", "Run variables for this scenario (override with --var)."),
        "budgets": Field("object", "Limits the journeys should stay within.",
                         fields=BUDGET_FIELDS),
        "timeout": Field("duration", "Hard limit for each journey (default 5m)."),
        "goal": GOAL_FIELD,
        "language": Field("object", "The wording the company uses: a language pack code "
                          "(en, de) and cue rules added to it.", shorthand="code",
                          fields={"code": Field("str", "The language pack, e.g. en or de."),
                                  "cues": Field("map", "Cue family -> patterns to add.")}),
    }
    for name, spec in specs.items():
        out[name] = Field("object", spec.doc, fields={
            **spec.settings, "goal": GOAL_FIELD,
            "steps": Field("list", "What the customer does, in order.", required=True),
        })
    return out


def parse_scenario(data: Any, file: str, root_loc: Loc, checker: Checker,
                   run_vars: set[str] | frozenset[str] = frozenset()) -> Scenario | None:
    """Build a Scenario from loaded YAML; problems go to `checker`."""
    specs = channel_specs()
    if not isinstance(data, LMap):
        checker.error(root_loc, "a scenario file must be a mapping with at least 'name' and "
                      "one journey (" + ", ".join(specs) + ")",
                      "start the file with:  name: Return a damaged blender")
        return None
    fields = top_fields(specs)
    for key in data:
        if key not in fields:
            checker.error(data.key_locs[key], f"unknown key '{key}'", did_you_mean(key, list(fields)))
    top: dict[str, Any] = {}
    for key, f in fields.items():
        if key in specs or key not in data:
            if f.required and key not in data:
                checker.error(data.loc, f"missing required key '{key}'", f.doc)
            continue
        top[key] = checker.value(f, data[key], data.loc_of(key), key)
    journeys: dict[str, Journey] = {}
    for name, spec in specs.items():
        if name in data:
            j = _journey(spec, data[name], data.loc_of(name), checker)
            if j is not None:
                journeys[name] = j
    if not journeys and not checker.problems:
        checker.error(data.loc, "the scenario has no journey",
                      "add at least one of: " + ", ".join(f"{n}:" for n in specs))
    if "goal" in data:
        check_goal(top.get("goal"), data.loc_of("goal"), checker)
    persona = top.get("persona") or {}
    variables = top.get("vars") or {}
    scenario = Scenario(
        name=top.get("name") or "", file=file, loc=data.loc,
        description=top.get("description") or "", tags=tuple(top.get("tags") or ()),
        persona=persona, vars=variables, budgets=Budgets(**(top.get("budgets") or {})),
        timeout=top.get("timeout"), journeys=journeys, goal=top.get("goal"),
        language=top.get("language"))
    _check_references(data, scenario, checker, set(run_vars))
    return scenario


def _journey(spec: ChannelSpec, value: Any, loc: Loc, checker: Checker) -> Journey | None:
    if not isinstance(value, LMap):
        checker.error(loc, f"{spec.name}: expected a mapping with 'steps:'",
                      f"e.g.\n  {spec.name}:\n    steps:\n      - ...")
        return None
    allowed = [*spec.settings, "goal", "steps"]
    for key in value:
        if key not in allowed:
            checker.error(value.key_locs[key], f"{spec.name}: unknown key '{key}'",
                          did_you_mean(key, allowed))
    settings: dict[str, Any] = {}
    if "goal" in value:
        settings["goal"] = checker.value(GOAL_FIELD, value["goal"], value.loc_of("goal"),
                                         f"{spec.name}.goal")
        check_goal(settings["goal"], value.loc_of("goal"), checker)
    for key, f in spec.settings.items():
        if key in value:
            settings[key] = checker.value(f, value[key], value.loc_of(key), f"{spec.name}.{key}")
        elif f.required:
            checker.error(loc, f"{spec.name}: missing required key '{key}'", f.doc)
        elif f.default is not None:
            settings[key] = f.default
    raw_steps = value.get("steps")
    steps: list[Step] = []
    if isinstance(raw_steps, LList) and raw_steps:
        for i, item in enumerate(raw_steps):
            step = _step(spec, item, raw_steps.loc_of(i), i, checker)
            if step is not None:
                steps.append(step)
    elif "steps" in value:
        checker.error(value.loc_of("steps"), f"{spec.name}.steps: expected a list of steps",
                      "each step starts with '- ', e.g.  - " + next(iter(spec.steps)) + ": ...")
    else:
        checker.error(loc, f"{spec.name}: missing required key 'steps'",
                      "list what the customer does under steps:")
    lines: dict[str, int] = {}
    for key in value:
        if key == "steps":
            continue
        lines[key] = value.loc_of(key).line
        if isinstance(value[key], LMap):
            lines.update({f"{key}.{k}": value[key].loc_of(k).line for k in value[key]})
    return Journey(spec.name, settings, tuple(steps), loc, setting_lines=lines)


def _step(spec: ChannelSpec, item: Any, loc: Loc, index: int, checker: Checker) -> Step | None:
    what = f"{spec.name} step {index + 1}"
    if isinstance(item, str) and item in spec.steps:
        item_map: dict = {item: None}
        actions = [item]
    elif isinstance(item, LMap):
        item_map = item
        actions = [k for k in item if k in spec.steps]
    else:
        checker.error(loc, f"{what}: expected a step such as '- {next(iter(spec.steps))}: ...'",
                      "allowed steps: " + ", ".join(spec.steps))
        return None
    if len(actions) != 1:
        unknown = [k for k in item_map if k not in spec.steps and k not in STEP_COMMON]
        if not actions and unknown:
            key = unknown[0]
            kloc = item_map.key_locs[key] if isinstance(item_map, LMap) else loc
            checker.error(kloc, f"{what}: unknown step '{key}'",
                          did_you_mean(key, list(spec.steps)))
        elif not actions:
            checker.error(loc, f"{what}: no action given", "allowed: " + ", ".join(spec.steps))
        else:
            checker.error(loc, f"{what}: one action per step, found {', '.join(actions)}",
                          "split them into separate '- ' items")
        return None
    action = actions[0]
    step_spec = spec.steps[action]
    for key in item_map:
        if key != action and key not in STEP_COMMON:
            kloc = item_map.key_locs[key] if isinstance(item_map, LMap) else loc
            hint = did_you_mean(key, list(STEP_COMMON))
            if key in step_spec.fields:
                hint = f"'{key}' belongs under '{action}:' (indent it one level deeper)"
            checker.error(kloc, f"{what}: unknown key '{key}' beside '{action}'", hint)
    aloc = item_map.loc_of(action) if isinstance(item_map, LMap) else loc
    value = item_map[action]
    common = {k: checker.value(STEP_COMMON[k], item_map[k], item_map.loc_of(k), f"{what}.{k}")
              for k in STEP_COMMON if k in item_map}
    if isinstance(value, LMap) and "timeout" in value and "timeout" not in step_spec.fields:
        # forgiving: `expect: {text: Thanks, timeout: 3s}` means the step's timeout
        common["timeout"] = checker.value(STEP_COMMON["timeout"], value["timeout"],
                                          value.loc_of("timeout"), f"{what}.timeout")
        trimmed = LMap((k, v) for k, v in value.items() if k != "timeout")
        trimmed.loc, trimmed.key_locs, trimmed.value_locs = value.loc, value.key_locs, value.value_locs
        value = trimmed
    args = checker.object(step_spec.as_field(), value, aloc, f"{what} ({action})")
    if args is None:
        return None
    return Step(index, action, args, loc, name=common.get("name"), timeout=common.get("timeout"))


def _check_references(data: LMap, scenario: Scenario, checker: Checker,
                      run_vars: set[str]) -> None:
    """Every `${...}` must name a persona key, an env var, or a known run variable."""
    bare = set(scenario.vars) | set(BUILTIN_VARS) | run_vars
    for text, text_loc in _located_strings(data):
        for offset in unclosed(text):
            loc = checker.column_of(text_loc, text[offset:offset + 20])
            checker.error(loc, "'${' is not closed: a variable is written ${NAME}",
                          "add the '}', or write $${ for a literal '${'")
        for ns, name, raw in references(text):
            loc = checker.column_of(text_loc, "${" + raw + "}")
            if ns == "?":
                checker.error(loc, f"'${{{raw}}}' is not a valid variable",
                              "write ${persona.key}, ${env.NAME} or ${NAME}")
            elif ns == "persona" and name not in scenario.persona:
                hint = (did_you_mean(name, list(scenario.persona)) if scenario.persona
                        else "add it under persona:")
                checker.error(loc, f"unknown variable '${{persona.{name}}}'", hint)
            elif ns is None and name not in bare:
                close = did_you_mean(name, sorted(bare))
                close = close if close.startswith("did") else "known: " + ", ".join(sorted(bare))
                checker.error(loc, f"unknown variable '${{{name}}}'",
                              f"{close} Or define it under vars: or pass --var {name}=...")


def _located_strings(value: Any, loc: Loc | None = None):
    if isinstance(value, LMap):
        for k, v in value.items():
            yield from _located_strings(v, value.loc_of(k))
    elif isinstance(value, LList):
        for i, v in enumerate(value):
            yield from _located_strings(v, value.loc_of(i))
    elif isinstance(value, str) and loc is not None:
        yield value, loc


__all__ = ["parse_scenario", "top_fields", "walk_strings"]
