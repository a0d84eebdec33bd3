"""--notify URL: post a summary of the run to a chat incoming webhook when it ends.

Slack's incoming webhooks take `{"text": ..., "blocks": [...]}`; Teams (Workflows and the
older connectors) take a message with an Adaptive Card attachment. The shape is chosen from
the URL (or `--notify-format`); every payload also carries the run's figures under
`shopper` for other receivers. A failure to notify is a warning, never a lost run.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

TIMEOUT = 10.0
TEAMS_HOSTS = ("office.com", "logic.azure.com", "powerplatform.com", "powerautomate")


def summary(results: dict[str, Any], report: str) -> dict[str, Any]:
    """The figures a notification tells: outcome counts, findings, new/fixed, where the report is."""
    s = results["summary"]
    compared = [j["compare"] for j in results["journeys"] if j.get("compare")]
    failing = [j for j in results["journeys"] if j["outcome"] not in ("passed",)]
    return {
        "journeys": s["journeys"], "passed": s["passed"], "failed": s["failed"],
        "errors": s["error"] + s.get("interrupted", 0), "missing": s.get("missing", 0),
        "findings": s["findings"],
        "compared_with": results.get("compared_with"),
        "new_findings": sum(len(c["new"]) for c in compared),
        "fixed_findings": sum(len(c["fixed"]) for c in compared),
        "not_passed": [f"{j['scenario']} ({j['channel']}): {j['outcome']}" for j in failing[:10]],
        "report": report,
    }


def text(info: dict[str, Any]) -> str:
    """The summary as a few lines of plain text (Markdown-safe enough for both services)."""
    ok = not (info["failed"] or info["errors"] or info["missing"])
    lines = [f"shopper: {info['journeys']} journeys, {info['passed']} passed, {info['failed']} failed, "
             f"{info['errors']} errors" + (f", {info['missing']} missing" if info["missing"] else "")
             + (" ✅" if ok else " ❌")]
    f = info["findings"]
    lines.append(f"{f.get('dead_end', 0)} dead ends, {f.get('handoff', 0)} handoffs, "
                 f"{f.get('expectation', 0)} failed expectations, {f.get('budget', 0)} budgets exceeded")
    if info["compared_with"]:
        lines.append(f"since {info['compared_with']}: {info['new_findings']} new findings, "
                     f"{info['fixed_findings']} fixed")
    lines += [f"• {line}" for line in info["not_passed"]]
    lines.append(f"report: {info['report']}")
    return "\n".join(lines)


def payload(info: dict[str, Any], fmt: str = "auto", url: str = "") -> dict[str, Any]:
    """The JSON to post, in the shape the receiving service accepts."""
    if fmt == "auto":
        host = urlsplit(url).hostname or ""
        fmt = "teams" if any(h in host for h in TEAMS_HOSTS) else "slack"
    body = text(info)
    if fmt == "teams":
        card = {"type": "AdaptiveCard", "version": "1.4",
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "body": [{"type": "TextBlock", "text": line, "wrap": True} for line in body.splitlines()]}
        return {"type": "message", "text": body, "shopper": info,
                "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive",
                                 "contentUrl": None, "content": card}]}
    return {"text": body, "shopper": info,
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": body}}]}


def post(url: str, data: dict[str, Any], timeout: float = TIMEOUT) -> str | None:
    """POST `data` as JSON; return a warning (never raise) when it did not arrive."""
    request = urllib.request.Request(url, data=json.dumps(data).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    where = f"{urlsplit(url).scheme}://{urlsplit(url).netloc}"  # the path is a credential
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            if response.status >= 300:
                return f"the notification to {where} got HTTP {response.status}"
    except urllib.error.HTTPError as exc:
        return f"the notification to {where} was refused: HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return f"the notification to {where} could not be sent: {reason}"
    return None


def notify(url: str, results: dict[str, Any], report: str, fmt: str = "auto") -> str | None:
    """Post the run's summary to `url`; return a warning or None."""
    return post(url, payload(summary(results, report), fmt, url))
