"""CSV of an audit: one row per image and finding (an image without findings gets one row).

For spreadsheets: UTF-8 with a byte-order mark (Excel then reads å, ä, ö right) and every cell that
a spreadsheet would take for a formula (``=``, ``+``, ``-``, ``@``, tab, CR) is prefixed with an
apostrophe, because the cells hold text taken from files (CSV injection, OWASP).
"""

from __future__ import annotations

import csv
import io
from typing import Any

COLUMNS = ("path", "verdict", "format", "width", "height", "sha256", "creators", "copyright", "license",
           "origin", "people", "gps", "credit_line", "code", "severity", "blocking", "message",
           "citation", "citation_url")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def rows(report: dict[str, Any]):
    """The CSV rows (header first) of an ``imagerights.audit/1`` document."""
    yield list(COLUMNS)
    for res in report["results"]:
        facts = res["facts"]
        lic = facts.get("license") or {}
        att = res.get("attribution") or {}
        base = [res["path"], res["verdict"], facts.get("format"), facts.get("width"), facts.get("height"),
                facts.get("sha256"), facts.get("creators"), facts.get("copyright"), lic.get("id"),
                facts.get("origin"), facts.get("people"), facts.get("gps"), att.get("text")]
        findings = res["findings"] or [None]
        for f in findings:
            tail = ([f["code"], f["severity"], f["blocking"], f["message"], f["citation"]["text"], f["citation"]["url"]]
                    if f else [None] * 6)
            yield [cell(v) for v in base + tail]


def render(report: dict[str, Any]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in rows(report):
        writer.writerow(row)
    return "\ufeff" + buf.getvalue()
