"""The HTML report: an index page and one page per journey, static and offline."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from ..registry import CHANNELS
from .results import journey_result

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


ASSETS = "assets"
STYLESHEET = "report.css"
INDEX_SCRIPT = "index.js"
INDEX_DATA = "index-data.js"
#: rows the index shows before its script takes over (and all a reader without JS sees)
FIRST_PAGE = 50
#: beyond this many scenarios tried on several channels, the side-by-side table is its own page
ACROSS_INLINE = 200


def script_json(value: Any) -> str:
    """JSON safe to embed in a <script> or a .js file: `<`, `>`, `&` and the line separators
    are escaped, so untrusted text can never close the script or open a comment."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def write_assets(env: jinja2.Environment, run_dir: Path) -> None:
    """The one stylesheet and the index's script, shared by every page."""
    folder = Path(run_dir) / ASSETS
    folder.mkdir(parents=True, exist_ok=True)
    for name, template in ((STYLESHEET, "style.css"), (INDEX_SCRIPT, "index.js")):
        source = env.loader.get_source(env, template)[0]  # type: ignore[union-attr]
        (folder / name).write_text(source, encoding="utf-8")


def render_journey(env: jinja2.Environment, results: dict[str, Any], j: dict[str, Any],
                   run_dir: Path) -> None:
    """Write journeys/<id>/index.html for one fully loaded journey (events included)."""
    channel = CHANNELS.get(j["channel"])
    partial = channel.partial if channel else f"channel_{j['channel']}.html"
    if not hasattr(env, "shopper_templates"):  # listed once per report, not once per journey
        env.shopper_templates = set(env.list_templates())  # type: ignore[attr-defined]
    has_partial = partial in env.shopper_templates  # type: ignore[attr-defined]
    out = Path(run_dir) / j["page"]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(env.get_template("journey.html").render(
        r=results, j=j, root="../../", partial=partial if has_partial else None), encoding="utf-8")


def index_row(j: dict[str, Any]) -> list[Any]:
    """One journey as the index's script reads it (a compact array, see index.js)."""
    m, c = j["metrics"], j.get("compare") or None
    return [j["scenario"], j["channel"], j["outcome"], safe_url(j["page"]),
            f"{j.get('file') or ''}{':' + str(j['line']) if j.get('line') else ''}",
            [[f["kind"], _clip(f["message"])] for f in j["findings"][:4]], len(j["findings"]),
            sorted({f["kind"] for f in j["findings"]}),
            m.get("duration"), m.get("steps"), m.get("handoffs"), m.get("dead_ends"), m.get("effort"),
            [c.get("baseline"), len(c.get("new", [])), len(c.get("fixed", []))] if c else None,
            (j.get("resolution") or "").replace("_", " ") + (f" · goal: {j['goal']}" if j.get("goal") else "")]


def _clip(text: str, limit: int = 300) -> str:
    """The index shows the start of a finding; its page has the whole of it."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def render_index(env: jinja2.Environment, results: dict[str, Any], run_dir: Path) -> Path:
    """index.html (summary, charts, first page of journeys) + index-data.js (every row)."""
    run_dir = Path(run_dir)
    journeys = results["journeys"]
    with open(run_dir / ASSETS / INDEX_DATA, "w", encoding="utf-8") as f:
        f.write("window.SHOPPER_ROWS=[\n")
        for n, j in enumerate(journeys):
            f.write(("," if n else "") + script_json(index_row(j)) + "\n")
        f.write("];\n")
    across = results["across"]
    inline_across = len(across) <= ACROSS_INLINE
    if across and not inline_across:
        (run_dir / "across.html").write_text(env.get_template("across.html").render(
            r=results, root=""), encoding="utf-8")
    charts = chart_data(results)
    index = run_dir / "index.html"
    index.write_text(env.get_template("index.html").render(
        r=results, root="", first=journeys[:FIRST_PAGE], charts=charts,
        inline_across=inline_across, channels=sorted({j["channel"] for j in journeys})),
        encoding="utf-8")
    return index


def chart_data(results: dict[str, Any]) -> dict[str, list[tuple[str, int, int]]]:
    """Bars for the summary charts: (label, count, percent of the largest)."""
    by_outcome = {k: v for k, v in results["summary"].items()
                  if k in ("passed", "flaky", "failed", "error", "interrupted", "not_run") and v}
    by_kind = {KIND_LABELS.get(k, k): v for k, v in results["summary"]["findings"].items()}
    channels: dict[str, int] = {}
    for j in results["journeys"]:
        channels[j["channel"]] = channels.get(j["channel"], 0) + (j["outcome"] != "passed")

    def bars(d: dict[str, int]) -> list[tuple[str, int, int]]:
        top = max(d.values(), default=0) or 1
        return [(k, v, round(100 * v / top)) for k, v in sorted(d.items(), key=lambda kv: -kv[1])]
    return {"outcomes": bars(by_outcome), "kinds": bars(by_kind), "channels": bars(channels)}


def render_html(results: dict[str, Any], run_dir: Path) -> Path:
    """Write index.html and a page per journey from built results (journeys reloaded one at
    a time from their journals); return the index path."""
    env = environment()
    write_assets(env, run_dir)
    for j in results["journeys"]:
        full = {**journey_result(Path(run_dir) / "journeys" / j["folder"]), **dict(j)}
        render_journey(env, results, full, run_dir)
    return render_index(env, results, run_dir)
