"""SARIF 2.1.0 of an audit, for code-scanning tools (GitHub code scanning, IDE viewers).

* one ``result`` per finding, ``ruleId`` = the finding code, level error/warning/note
  (a finding the policy makes blocking is an error);
* ``tool.driver.rules`` carries each rule's metadata from :data:`imagerights.rules.base.RULES`
  (via the report's ``rules``), ``helpUri`` = the rule's citation URL;
* artifact locations are relative to the audited folder (``uriBaseId`` ``AUDITROOT``, defined in
  ``originalUriBaseIds``), so the file is valid on any checkout of the same repository;
* files the walk skipped (symbolic-link loops, unreadable folders) are tool notifications.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
BASE_ID = "AUDITROOT"


def _uri(rel: str) -> str:
    return quote(rel, safe="/-._~")


def _rule(code: str, meta: dict[str, Any], lang: str) -> dict[str, Any]:
    summary = meta.get("summary") or {}
    text = summary.get(lang) or summary.get("en") or code
    cite = meta.get("citation") or {}
    rule: dict[str, Any] = {
        "id": code,
        "name": meta.get("name") or code,
        "shortDescription": {"text": text},
        "fullDescription": {"text": text + (f" ({cite['text']})" if cite.get("text") else "")},
        "help": {"text": cite.get("text") or text},
        "defaultConfiguration": {"level": LEVEL.get(meta.get("severity", ""), "warning")},
        "properties": {"family": meta.get("family", ""), "tags": [meta.get("family", "")] if meta.get("family") else []},
    }
    if cite.get("url"):
        rule["helpUri"] = cite["url"]
    return rule


def render_dict(report: dict[str, Any]) -> dict[str, Any]:
    lang = report.get("lang", "en")
    codes = sorted(report.get("rules", {}))
    index = {c: i for i, c in enumerate(codes)}
    rules = [_rule(c, report["rules"][c], lang) for c in codes]
    artifacts, results = [], []
    for res in report["results"]:
        a_index = len(artifacts)
        art: dict[str, Any] = {"location": {"uri": _uri(res["path"]), "uriBaseId": BASE_ID}}
        if res["facts"].get("sha256"):
            art["hashes"] = {"sha-256": res["facts"]["sha256"]}
        if (res.get("audit") or {}).get("size") is not None:
            art["length"] = res["audit"]["size"]
        artifacts.append(art)
        for f in res["findings"]:
            level = "error" if f.get("blocking") else LEVEL.get(f["severity"], "warning")
            result: dict[str, Any] = {
                "ruleId": f["code"],
                "level": level,
                "message": {"text": f["message"]},
                "locations": [{"physicalLocation": {"artifactLocation": {
                    "uri": _uri(res["path"]), "uriBaseId": BASE_ID, "index": a_index}}}],
                "properties": {"verdict": res["verdict"], "blocking": bool(f.get("blocking")),
                               "citation": f["citation"], "evidence": f.get("evidence") or {}},
            }
            if f["code"] in index:
                result["ruleIndex"] = index[f["code"]]
            if res["facts"].get("sha256"):
                result["partialFingerprints"] = {"imagerights/sha256+code/v1": f"{res['facts']['sha256']}:{f['code']}"}
            results.append(result)
    notifications = [{"level": "warning", "message": {"text": f"{s['path']}: {s['reason']}" + (f" ({s['detail']})" if s.get("detail") else "")},
                      "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(s["path"]), "uriBaseId": BASE_ID}}}]}
                     for s in report.get("skipped", []) if s["reason"] != "not-an-image"]
    root_uri = Path(report["root"]).as_uri().rstrip("/") + "/"
    tool = report.get("tool", {})
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "imagerights", "version": tool.get("version", ""),
                                "semanticVersion": tool.get("version", ""), "rules": rules}},
            "originalUriBaseIds": {BASE_ID: {"uri": root_uri}},
            "invocations": [{"executionSuccessful": not report.get("partial", False),
                             "toolExecutionNotifications": notifications}],
            "artifacts": artifacts,
            "results": results,
            "columnKind": "unicodeCodePoints",
            "properties": {"schema": report.get("schema"), "partial": report.get("partial", False),
                           "verdicts": report["summary"]["verdicts"]},
        }],
    }


def render(report: dict[str, Any]) -> str:
    return json.dumps(render_dict(report), ensure_ascii=False, indent=2, default=str)
