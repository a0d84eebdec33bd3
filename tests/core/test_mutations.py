"""A mutation corpus over the example scenarios: whatever a file holds, `load_file` either
accepts it or rejects it with every problem at the file's own line and column, and never
raises anything else (no traceback) or takes long.

Mutants (generated, deterministic): a typo of every key at every level, wrong types and
out-of-range values in every value, bad durations, syntax errors on every line,
truncations, YAML bombs, binary and non-UTF-8 input. Accepted mutants must be genuinely
valid: they match the JSON Schema (an independent description of the format) and load
into journeys whose steps are all known actions.

Run `python tests/core/test_mutations.py` to print the corpus figures.
"""

from __future__ import annotations

import functools
import os
import random
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import jsonschema
import pytest
import yaml

from shopper.errors import ScenarioError
from shopper.scenario import load_file
from shopper.scenario.schema import json_schema
from shopper.scenario.specs import channel_specs

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "scenarios").rglob("*.yaml"))
FREE_MAPS = {"persona", "vars"}  # their keys are the user's own names
DURATION_KEYS = {"timeout", "within", "up_to", "for", "max_duration", "time_to_human",
                 "first_response", "max_hold", "time_limit", "listen", "load_timeout",
                 "expect_human", "hold", "wait"}
WRONG_VALUES = ["[1, 2]", "{a: 1}", "true", "-1", "null", "''", "0", "1.5", "-0.5"]
BAD_DURATIONS = ["-5s", "0", "0s", ".inf", ".nan", "-.inf", "5 minutes", "99999h", "1m-3s",
                 "soon", "1e999"]


@dataclass
class Mutant:
    """One generated file, and what a correct validator must say about it."""

    case: str
    data: bytes
    must_fail_at: int | None = None  # a line that must carry a problem
    must_fail: bool = False


def _nodes(node: yaml.Node, path: tuple = ()) -> Iterator[tuple[tuple, yaml.Node, yaml.Node | None]]:
    """(path, value node, key node) for every node in the tree."""
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = k.value if isinstance(k, yaml.ScalarNode) else "?"
            yield path + (key,), v, k
            yield from _nodes(v, path + (key,))
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            yield path + (i,), v, None
            yield from _nodes(v, path + (i,))


def _splice(text: str, start: int, end: int, new: str) -> bytes:
    return (text[:start] + new + text[end:]).encode("utf-8")


def _typo(word: str, n: int) -> str:
    if len(word) < 2:
        return word + "x"
    i = n % (len(word) - 1)
    kinds = [word[:i] + word[i + 1:],                                  # a letter dropped
             word[:i] + word[i + 1] + word[i] + word[i + 2:],          # two letters swapped
             word[:i] + word[i] + word[i:],                            # a letter doubled
             word[:i] + "q" + word[i + 1:]]                            # a letter replaced
    out = kinds[n % len(kinds)]
    return out if out != word else word + "q"


def _known_words() -> set[str]:
    words = {"name", "description", "tags", "persona", "vars", "budgets", "timeout", "steps"}
    for spec in channel_specs().values():
        words |= set(spec.settings) | set(spec.steps)
        for step in spec.steps.values():
            words |= set(step.fields)
    return words


def mutants() -> Iterator[Mutant]:
    """Every mutant of the corpus, in a fixed order."""
    rng = random.Random(7)
    known = _known_words()
    n = 0
    for path in EXAMPLES:
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT / "scenarios").as_posix()
        root = yaml.compose(text)
        for p, value, key in _nodes(root):
            n += 1
            where = "/".join(map(str, p))
            line = value.start_mark.line + 1
            # a typo of every key at every level
            if key is not None and isinstance(key, yaml.ScalarNode):
                typo = _typo(key.value, n)
                in_free_map = bool(set(p[:-1]) & FREE_MAPS) or "roles" in p[:-1]
                must = not in_free_map and typo not in known
                yield Mutant(f"{name}: typo of key {where}", _splice(
                    text, key.start_mark.index, key.end_mark.index, typo),
                    key.start_mark.line + 1 if must else None)
            if not isinstance(value, yaml.ScalarNode):
                continue
            span = (value.start_mark.index, value.end_mark.index)
            # a wrong type or an out-of-range value in every value
            wrong = WRONG_VALUES[n % len(WRONG_VALUES)]
            yield Mutant(f"{name}: {where} = {wrong}", _splice(text, *span, wrong))
            # bad durations wherever a duration is
            if p and (p[-1] in DURATION_KEYS or (len(p) > 1 and p[-2] in DURATION_KEYS)):
                for bad in BAD_DURATIONS[n % 3::3]:
                    yield Mutant(f"{name}: {where} = {bad}", _splice(text, *span, bad), line)
        lines = text.split("\n")
        for i, line_text in enumerate(lines):
            if not line_text.strip() or line_text.lstrip().startswith("#"):
                continue
            # syntax errors on every line
            variants = [line_text.replace(":", "", 1), "\t" + line_text,
                        line_text.rstrip() + " [", line_text.rstrip() + ' "', " " + line_text,
                        line_text + ": x: y"]
            bad_line = variants[i % len(variants)]
            yield Mutant(f"{name}: line {i + 1} broken", "\n".join(
                lines[:i] + [bad_line] + lines[i + 1:]).encode("utf-8"))
        # truncations, binary, non-UTF-8
        raw = text.encode("utf-8")
        for cut in sorted(rng.sample(range(1, len(raw)), 4)):
            yield Mutant(f"{name}: cut at byte {cut}", raw[:cut])
        at = rng.randrange(len(raw))
        yield Mutant(f"{name}: NUL byte at {at}", raw[:at] + b"\x00" + raw[at:], must_fail=True)
        yield Mutant(f"{name}: latin-1 e-acute", raw.replace(b"name: ", "name: \u00e9 ".encode(
            "latin-1"), 1), must_fail=True)
        yield Mutant(f"{name}: UTF-16", text.encode("utf-16"), must_fail=True)
        yield Mutant(f"{name}: random bytes", rng.randbytes(len(raw)), must_fail=True)
        yield Mutant(f"{name}: BOM", b"\xef\xbb\xbf" + raw)  # valid: a UTF-8 byte order mark
    yield from _targeted()
    yield from _bombs()


def _targeted() -> Iterator[Mutant]:
    """The values #7 names: each must be rejected at its line."""
    base = "name: Targeted\npersona: {order: A1}\nbudgets: {max_steps: 3}\nweb:\n" \
           "  start: ${BASE_URL}/\n  steps:\n    - click: Orders\n"
    bad_steps = {"nth -1": "    - click: {text: Orders, nth: -1}",
                 "nth 0": "    - click: {text: Orders, nth: 0}",
                 "press hello": "    - press: hello",
                 "press lowercase": "    - press: enter",
                 "goto javascript": "    - goto: 'javascript:alert(1)'",
                 "goto file": "    - goto: file:///etc/passwd",
                 "goto data": "    - goto: 'data:text/html,hi'",
                 "unclosed variable": "    - fill: {label: Order, value: '${persona.order'}",
                 "empty locator": "    - click: ''",
                 "timeout nan": "    - {click: Orders, timeout: .nan}"}
    for case, step in bad_steps.items():
        yield Mutant(f"targeted: {case}", (base + step + "\n").encode(), 8)
    yield Mutant("targeted: max_steps -5", base.replace("max_steps: 3", "max_steps: -5").encode(), 3)
    for start in ("'javascript:alert(1)'", "file:///etc/passwd", "/relative", "ftp://x"):
        yield Mutant(f"targeted: start {start}", base.replace("${BASE_URL}/", start).encode(), 5)
    yield Mutant("targeted: phone press hello", b"name: P\nphone:\n  steps:\n    - press: hello\n", 4)
    chat = "name: C\nchat:\n  start: ${BASE_URL}/\n  steps:\n    - expect_reply: {matches: '%s'}\n"
    for case, pattern in {"regex overflow": "a{99999999999}", "regex nesting": "(" * 3000 + ")" * 3000,
                          "regex too long": "a" * 1200, "regex broken": "[z-a"}.items():
        yield Mutant(f"targeted: {case}", (chat % pattern).encode(), 5)


def _bombs() -> Iterator[Mutant]:
    laughs = "name: x\na: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + "".join(
        f"{c}: &{c} [{','.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
    bombs = {
        "billion laughs": laughs,
        "recursive alias": "name: x\nweb: &w\n  steps: [*w]\n",
        "aliases nested in aliases": "name: x\n" + "".join(
            f"a{i}: &a{i} " + "[" * 20 + (f"*a{i - 1}" if i else "x") + "]" * 20 + "\n"
            for i in range(60)),
        "nested brackets": "name: x\nv: " + "[" * 10_000 + "]" * 10_000 + "\n",
        "nested lines": "name: x\nv:\n" + "".join(" " * i + "- \n" for i in range(5000)),
        "10 MB line": "name: " + "x" * 10_000_000 + "\n",
        "long line": "name: " + "x" * 20_000 + "\n",
        "many documents": "name: x\n" + "---\nname: y\n" * 1000,
        "unknown tag": "name: !foo x\nweb: {steps: [back]}\n",
        "python tag": "name: !!python/name:os.system x\nweb: {steps: [back]}\n",
        "python object": "name: !!python/object/apply:os.system ['true']\n",
        "huge integer": "name: x\nbudgets: {max_steps: " + "9" * 5000 + "}\nweb: {steps: [back]}\n",
        "merge key": "name: x\nweb:\n  <<: {steps: [back]}\n",
        "explicit !!bool on a word": "name: x\nweb: {steps: [{wait: !!bool within}]}\n",
        "explicit !!int on a word": "name: x\nweb: {steps: [{wait: !!int soon}]}\n",
        "explicit !!float on a word": "name: x\nweb: {steps: [{wait: !!float later}]}\n",
        "undefined alias": "name: *nope\n",
        "many keys": "name: x\n" + "".join(f"k{i}: v\n" for i in range(5000)),
    }
    for case, text in bombs.items():
        yield Mutant(f"bomb: {case}", text.encode(), must_fail=True)


def check(mutant: Mutant, folder: Path) -> tuple[str, ScenarioError | None]:
    """Load one mutant; 'rejected' or 'accepted', or an assertion error naming the case."""
    path = folder / "m.yaml"
    path.write_bytes(mutant.data)
    try:
        load_file(path)
    except ScenarioError as exc:
        lines = max(1, mutant.data.count(b"\n") + 1)
        for p in exc.problems:
            assert p.loc.file == str(path), (mutant.case, p)
            assert 1 <= p.loc.line <= lines and p.loc.col >= 1, (mutant.case, p)
        assert exc.render().startswith(f"{path}:"), mutant.case
        if mutant.must_fail_at is not None:
            assert mutant.must_fail_at in {p.loc.line for p in exc.problems}, \
                (mutant.case, [str(p.loc) + " " + p.message for p in exc.problems])
        return "rejected", exc
    # anything else propagates: a traceback is a failure of this test
    assert mutant.must_fail_at is None and not mutant.must_fail, f"accepted: {mutant.case}"
    return "accepted", None


@functools.lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json_schema())


def _genuinely_valid(data: bytes) -> None:
    """An independent look at an accepted file: the JSON Schema and the step actions."""
    doc = yaml.safe_load(data.decode("utf-8-sig"))
    errors = list(_validator().iter_errors(doc))
    assert not errors, errors[0].message
    specs = channel_specs()
    journeys = [k for k in doc if k in specs]
    assert journeys and isinstance(doc["name"], (str, int, float)) and str(doc["name"]).strip()
    for j in journeys:
        for step in doc[j]["steps"]:
            action = step if isinstance(step, str) else next(k for k in step if k in specs[j].steps)
            assert action in specs[j].steps


def run_corpus(folder: Path) -> dict[str, int]:
    """Check every mutant; return the figures."""
    figures: Counter[str] = Counter()
    accepted: list[Mutant] = []
    for mutant in mutants():
        outcome, _ = check(mutant, folder)
        figures["cases"] += 1
        figures[outcome] += 1
        if outcome == "accepted":
            accepted.append(mutant)
    for mutant in accepted:  # every accepted mutant, not only a sample
        try:
            _genuinely_valid(mutant.data)
        except AssertionError as exc:
            raise AssertionError(f"accepted but not valid: {mutant.case}: {exc}") from None
    figures["accepted_checked"] = len(accepted)
    return dict(figures)


@pytest.fixture
def scratch(tmp_path) -> Iterator[Path]:
    """A folder in memory where there is one: a thousand small writes to a busy disk take
    seconds, and the files are thrown away."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        with tempfile.TemporaryDirectory(dir=shm) as tmp:
            yield Path(tmp)
    else:
        yield tmp_path


def test_mutation_corpus(scratch):
    figures = run_corpus(scratch)
    assert figures["cases"] >= 500
    assert figures["rejected"] >= 300 and figures["accepted"] >= 20, figures


def test_the_whole_corpus_through_the_cli(scratch):
    """`shopper validate` over every mutant at once: exit 2, each file named, no traceback."""
    for i, mutant in enumerate(mutants()):
        (scratch / f"m{i:04d}.yaml").write_bytes(mutant.data)
    proc = subprocess.run([sys.executable, "-m", "shopper", "validate", str(scratch)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "problems found" in proc.stderr and f"{scratch}/m0" in proc.stderr


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        print(run_corpus(Path(tmp)))
