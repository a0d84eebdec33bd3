"""The HTML report: an index page and one page per journey, static and offline."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from ..registry import CHANNELS

KIND_LABELS = {"handoff": "Handoff", "dead_end": "Dead end", "expectation": "Expectation",
               "budget": "Budget"}


def template_dirs() -> list[str]:
    """Where templates are: the source tree's reports/templates, else the installed copy."""
    dirs = []
    source = Path(__file__).resolve().parents[2] / "reports" / "templates"
    if source.is_dir():
        dirs.append(str(source))
    try:
        installed = resources.files("shopper") / "templates"
        if installed.is_dir():
            dirs.append(str(installed))
    except (ModuleNotFoundError, TypeError):
        pass
    return dirs


def fmt_seconds(value: Any) -> str:
    """1.234 -> '1.2s', 372 -> '6m12s', None -> '—'."""
    if value is None or value == "":
        return "—"
    value = float(value)
    if value >= 3600:
        return f"{int(value // 3600)}h{int(value % 3600 // 60):02d}m"
    if value >= 60:
        return f"{int(value // 60)}m{int(round(value % 60)):02d}s"
    return f"{value:.1f}s"


def safe_url(value: Any) -> str:
    """Only http(s) and relative links become links; `javascript:` and the like never do."""
    text = str(value or "")
    scheme = text.split(":", 1)[0].lower() if ":" in text.split("/", 1)[0] else ""
    return text if scheme in ("", "http", "https") else "#unsafe-link"


def environment() -> jinja2.Environment:
    """The Jinja environment: autoescaping always on, every page's text is untrusted."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(template_dirs()),
                             autoescape=True, undefined=jinja2.ChainableUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["secs"] = fmt_seconds
    env.filters["safe_url"] = safe_url
    env.filters["kind_label"] = lambda k: KIND_LABELS.get(k, k)
    env.filters["tojson_pretty"] = lambda v: json.dumps(v, indent=2, ensure_ascii=False)
    return env


def render_html(results: dict[str, Any], run_dir: Path) -> Path:
    """Write index.html and journeys/<id>/index.html; return the index path."""
    env = environment()
    run_dir = Path(run_dir)
    index = run_dir / "index.html"
    index.write_text(env.get_template("index.html").render(r=results, root=""), encoding="utf-8")
    page = env.get_template("journey.html")
    for j in results["journeys"]:
        channel = CHANNELS.get(j["channel"])
        partial = channel.partial if channel else None
        has_partial = partial is not None and partial in env.list_templates()
        out = run_dir / j["page"]
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(page.render(r=results, j=j, root="../../", partial=partial if has_partial else None),
                       encoding="utf-8")
    return index
