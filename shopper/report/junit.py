"""JUnit XML: one test case per journey, for CI dashboards."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET


def write_junit(results: dict[str, Any], path: Path) -> None:
    """Write a JUnit XML file; failed findings become the failure text."""
    journeys = results["journeys"]
    suite = ET.Element("testsuite", name="shopper", tests=str(len(journeys)),
                       failures=str(sum(j["outcome"] == "failed" for j in journeys)),
                       errors=str(sum(j["outcome"] in ("error", "interrupted") for j in journeys)),
                       time=f"{sum(j['metrics'].get('duration', 0) for j in journeys):.3f}")
    for j in journeys:
        case = ET.SubElement(suite, "testcase", classname=f"shopper.{j['channel']}",
                             name=j["scenario"], file=str(j.get("file") or ""),
                             line=str(j.get("line") or ""),
                             time=f"{j['metrics'].get('duration', 0):.3f}")
        failures = [f for f in j["findings"] if f["severity"] == "failure"]
        if j["outcome"] == "failed":
            text = "\n".join(f"[{f['kind']}] {f['message']}" for f in failures)
            el = ET.SubElement(case, "failure", message=failures[0]["message"] if failures else "failed",
                               type=failures[0]["code"] if failures else "failed")
            el.text = text
        elif j["outcome"] in ("error", "interrupted"):
            el = ET.SubElement(case, "error", message=j.get("end_message") or j["outcome"],
                               type=j["outcome"])
        info = [f for f in j["findings"] if f["severity"] != "failure"]
        if info:
            ET.SubElement(case, "system-out").text = "\n".join(
                f"[{f['kind']}] {f['message']}" for f in info)
    tree = ET.ElementTree(ET.Element("testsuites"))
    tree.getroot().append(suite)
    ET.indent(tree)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    tree.write(path, encoding="utf-8", xml_declaration=True)
