"""JUnit XML: one test case per journey, for CI dashboards.

Outcomes map as CI tools expect (Maven Surefire's conventions, which Jenkins, GitLab and
Playwright Test use): failed -> `<failure>`, error/interrupted -> `<error>`, not run ->
`<skipped>`; a flaky journey (passed on a retry) is a passing case with a `<flakyFailure>`
per failed attempt or retried page load, and a failed one keeps its earlier attempts as
`<rerunFailure>`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET


def _attempt_text(a: dict[str, Any]) -> tuple[str, str]:
    first = a["findings"][0] if a.get("findings") else None
    message = first["message"] if first else (a.get("end_message") or a["outcome"])
    body = "\n".join(f"[{f['kind']}] {f['message']}" for f in a.get("findings", []))
    return f"attempt {a['attempt']}: {message}", body


def _case(suite: ET.Element, j: dict[str, Any]) -> None:
    case = ET.SubElement(suite, "testcase", classname=f"shopper.{j['channel']}",
                         name=j["scenario"], file=str(j.get("file") or ""),
                         line=str(j.get("line") or ""),
                         time=f"{j['metrics'].get('duration') or 0:.3f}")
    props = ET.SubElement(case, "properties")
    ET.SubElement(props, "property", name="shopper.outcome", value=j["outcome"])
    if j.get("attempts"):
        ET.SubElement(props, "property", name="shopper.attempts", value=str(len(j["attempts"]) + 1))
    failures = [f for f in j["findings"] if f["severity"] == "failure"]
    outcome = j["outcome"]
    if outcome == "failed":
        text = "\n".join(f"[{f['kind']}] {f['message']}" for f in failures)
        el = ET.SubElement(case, "failure", message=failures[0]["message"] if failures else "failed",
                           type=failures[0]["code"] if failures else "failed")
        el.text = text
    elif outcome in ("error", "interrupted"):
        ET.SubElement(case, "error", message=j.get("end_message") or outcome, type=outcome)
    elif outcome == "not run":
        ET.SubElement(case, "skipped", message=j.get("end_message") or "not run")
    earlier = "flakyFailure" if outcome == "flaky" else "rerunFailure"
    for a in j.get("attempts", []):
        message, body = _attempt_text(a)
        ET.SubElement(case, earlier, message=message, type=a["outcome"]).text = body
    if outcome == "flaky":
        for r in j.get("retries", []):
            ET.SubElement(case, "flakyFailure", type="retried",
                          message=f"{r.get('reason')} at {r.get('url')}; passed on retry "
                                  f"{r.get('attempt')}")
    info = [f for f in j["findings"] if f["severity"] != "failure"]
    if info:
        ET.SubElement(case, "system-out").text = "\n".join(
            f"[{f['kind']}] {f['message']}" for f in info)


def write_junit(results: dict[str, Any], path: Path) -> None:
    """Write a JUnit XML file; failed findings become the failure text."""
    journeys = results["journeys"]
    suite = ET.Element("testsuite", name="shopper", tests=str(len(journeys)),
                       failures=str(sum(j["outcome"] == "failed" for j in journeys)),
                       errors=str(sum(j["outcome"] in ("error", "interrupted") for j in journeys)),
                       skipped=str(sum(j["outcome"] == "not run" for j in journeys)),
                       time=f"{sum(j['metrics'].get('duration') or 0 for j in journeys):.3f}")
    for j in journeys:
        _case(suite, j)
    tree = ET.ElementTree(ET.Element("testsuites"))
    tree.getroot().append(suite)
    ET.indent(tree)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    tree.write(path, encoding="utf-8", xml_declaration=True)
