"""The audit as one self-contained HTML file: summary charts, a sortable/filterable table, a card per image.

* Self-contained: CSS and JS are inlined from ``render/assets/``, previews are ``data:`` URIs, and a
  Content-Security-Policy (``default-src 'none'``) forbids any request the page might otherwise make.
* Safe: every value that came from a file (names, metadata, messages quoting metadata) passes
  :func:`esc` (``html.escape`` with quotes); links are only made for ``http(s)`` URLs. No data is
  embedded as JSON in a ``<script>``: the script reads the table the page already shows.
* Takes the ``imagerights.audit/1`` document and a ``path → data URI`` map of previews; computes
  nothing but presentation (bar widths, order).
"""

from __future__ import annotations

import html
from importlib import resources
from typing import Any

VERDICT_ORDER = {"stop": 0, "review": 1, "ok": 2}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
TOP_CODES = 12

LABELS = {
    "title": ("Image rights audit", "Bildrättsrevision"),
    "audited": ("Audited folder", "Granskad mapp"),
    "generated": ("generated", "skapad"),
    "partial": ("This report is PARTIAL: the audit was interrupted and {n} file(s) were not checked.",
                "Rapporten är OFULLSTÄNDIG: granskningen avbröts och {n} fil(er) kontrollerades inte."),
    "images": ("images", "bilder"),
    "ok": ("ok to publish", "ok att publicera"),
    "review": ("need review", "behöver granskas"),
    "stop": ("must not be published", "får inte publiceras"),
    "v_ok": ("OK", "OK"), "v_review": ("Review", "Granska"), "v_stop": ("Stop", "Stopp"),
    "no_provenance": ("no known source", "okänt ursprung"),
    "expiring": ("licences expiring ≤ {d} days", "licenser som löper ut inom {d} dagar"),
    "expired": ("licences expired", "licenser som har löpt ut"),
    "identical": ("identical copies (groups)", "identiska kopior (grupper)"),
    "near": ("near-identical (groups)", "nästan identiska (grupper)"),
    "ai": ("AI-generated", "AI-genererade"),
    "gps": ("with GPS position", "med GPS-position"),
    "people": ("people, no consent on record", "personer utan registrerat samtycke"),
    "verdicts": ("Verdicts", "Bedömningar"),
    "top_codes": ("Most common findings (images)", "Vanligaste anmärkningarna (bilder)"),
    "licences": ("Licences", "Licenser"),
    "no_licence": ("no licence found", "ingen licens hittad"),
    "lists": ("Details", "Detaljer"),
    "skipped": ("Not audited (skipped by the walk)", "Inte granskade (hoppades över)"),
    "not_audited": ("Not checked (interrupted)", "Inte kontrollerade (avbrutet)"),
    "search": ("Filter by name, creator, licence, code…", "Filtrera på namn, fotograf, licens, kod…"),
    "all_verdicts": ("All verdicts", "Alla bedömningar"),
    "all_codes": ("All findings", "Alla anmärkningar"),
    "showing": ("showing {n} of {total}", "visar {n} av {total}"),
    "col_preview": ("", ""),
    "col_file": ("File", "Fil"),
    "col_verdict": ("Verdict", "Bedömning"),
    "col_findings": ("Findings", "Anmärkningar"),
    "col_licence": ("Licence", "Licens"),
    "col_creator": ("Creator", "Upphovsperson"),
    "col_size": ("Size", "Storlek"),
    "creator": ("Creator", "Upphovsperson"),
    "copyright": ("Copyright", "Upphovsrätt"),
    "licence": ("Licence", "Licens"),
    "origin": ("Origin", "Ursprung"),
    "format": ("Format", "Format"),
    "people_l": ("People", "Personer"),
    "registry": ("Registry", "Register"),
    "credit": ("Credit line to use", "Bildtext att använda"),
    "copy": ("Copy", "Kopiera"),
    "copied": ("Copied", "Kopierat"),
    "no_findings": ("No findings.", "Inga anmärkningar."),
    "unknown": ("unknown", "okänd"),
    "none": ("none", "inga"),
    "footer": ("imagerights {v} — every finding cites its rule; check the sources before publishing.",
               "imagerights {v} — varje anmärkning hänvisar till sin regel; kontrollera källorna före publicering."),
    "days_left": ("{d} days left", "{d} dagar kvar"),
    "days_ago": ("expired {d} days ago", "löpte ut för {d} dagar sedan"),
}

# Credit-line forms from licensing.attribution, in the order a communicator needs them.
CREDIT_KINDS = {"text": ("Text", "Text"), "social": ("Social media", "Sociala medier"),
                "html": ("HTML", "HTML"), "markdown": ("Markdown", "Markdown")}

ORIGIN = {
    "own": ("own", "egen"), "image_bank": ("image bank", "bildbank"), "stock": ("stock agency", "bildbyrå"),
    "free_bank": ("free image bank", "gratis bildbank"), "cc": ("Creative Commons", "Creative Commons"),
    "public_domain": ("public domain", "allmän egendom"), "unknown": ("unknown", "okänt"),
}


def esc(value: Any) -> str:
    """Escape anything for HTML text and attribute values (``&<>"'``)."""
    return html.escape("" if value is None else str(value), quote=True)


def _t(key: str, lang: str, **kw: Any) -> str:
    en, sv = LABELS[key]
    text = sv if lang == "sv" else en
    return text.format(**kw) if kw else text


def _safe_url(url: Any) -> str | None:
    text = str(url or "").strip()
    return text if text.lower().startswith(("https://", "http://")) else None


def _link(url: Any, text: Any) -> str:
    safe = _safe_url(url)
    if not safe:
        return esc(text)
    return f'<a href="{esc(safe)}" rel="noopener noreferrer">{esc(text)}</a>'


def _asset(name: str) -> str:
    return resources.files("imagerights.render").joinpath("assets", name).read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------------
# summary
# ------------------------------------------------------------------------------------------------

def _tiles(s: dict[str, Any], lang: str) -> str:
    dup = s["duplicates"]
    tiles = [
        ("", s["files"], _t("images", lang)),
        ("stop", s["verdicts"]["stop"], _t("stop", lang)),
        ("review", s["verdicts"]["review"], _t("review", lang)),
        ("ok", s["verdicts"]["ok"], _t("ok", lang)),
        ("", len(s["no_provenance"]), _t("no_provenance", lang)),
        ("", len(s["expiring"]), _t("expiring", lang, d=s.get("expiry_window_days", 30))),
        ("", len(s["expired"]), _t("expired", lang)),
        ("", len(dup["identical"]), _t("identical", lang)),
        ("", len(dup["near"]), _t("near", lang)),
        ("", len(s["ai_generated"]), _t("ai", lang)),
        ("", len(s["gps"]), _t("gps", lang)),
        ("", len(s["people_without_consent"]), _t("people", lang)),
    ]
    return '<section class="tiles">' + "".join(
        f'<div class="tile {cls}{" zero" if not n else ""}"><div class="n">{esc(n)}</div><div class="l">{esc(label)}</div></div>'
        for cls, n, label in tiles) + "</section>"


def _verdict_chart(s: dict[str, Any], lang: str) -> str:
    total = max(1, sum(s["verdicts"].values()))
    colour = {"ok": "var(--ok)", "review": "var(--review)", "stop": "var(--stop)"}
    parts, legend = [], []
    for v in ("stop", "review", "ok"):
        n = s["verdicts"][v]
        pct = 100.0 * n / total
        if n:
            parts.append(f'<span style="width:{pct:.3f}%;background:{colour[v]}" title="{esc(_t("v_" + v, lang))}: {n}"></span>')
        legend.append(f'<span><span class="dot" style="background:{colour[v]}"></span>{esc(_t("v_" + v, lang))} {n} ({pct:.0f} %)</span>')
    return (f'<div class="panel"><h2>{esc(_t("verdicts", lang))}</h2><div class="stack" role="img" '
            f'aria-label="{esc(_t("verdicts", lang))}">{"".join(parts)}</div><div class="legend">{"".join(legend)}</div></div>')


def _bars(title: str, items: list[tuple[str, str, int, str]]) -> str:
    """``items``: (label, tooltip, value, css class)."""
    top = max([v for _, _, v, _ in items] or [1]) or 1
    rows = "".join(
        f'<div class="bar"><span class="name" title="{esc(tip)}">{label}</span>'
        f'<span class="track"><span class="fill {esc(cls)}" style="width:{100.0 * v / top:.2f}%;display:block"></span></span>'
        f'<span class="v">{v}</span></div>' for label, tip, v, cls in items)
    return f'<div class="panel"><h2>{esc(title)}</h2>{rows or "–"}</div>'


def _codes_chart(report: dict[str, Any], lang: str) -> str:
    rules = report.get("rules", {})
    items = []
    for f in report["summary"]["findings"][:TOP_CODES]:
        meta = rules.get(f["code"], {})
        summary = (meta.get("summary") or {}).get(lang) or meta.get("name") or ""
        label = f'<span class="code {esc(f["severity"])}">{esc(f["code"])}</span> {esc(summary)}'
        items.append((label, summary, f["images"], f["severity"]))
    return _bars(_t("top_codes", lang), items)


def _licence_chart(s: dict[str, Any], lang: str) -> str:
    items = []
    for lic in s["licences"][:TOP_CODES]:
        name = lic["name"] or lic["id"] or _t("no_licence", lang)
        items.append((esc(name), lic["id"] or "", lic["images"], ""))
    return _bars(_t("licences", lang), items)


def _details(title: str, body: str, n: int) -> str:
    if not n:
        return ""
    return f'<details class="list"><summary>{esc(title)} ({n})</summary>{body}</details>'


def _ul(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def _lists(report: dict[str, Any], lang: str) -> str:
    s = report["summary"]
    dup = s["duplicates"]
    out = [
        _details(_t("expiring", lang, d=s.get("expiry_window_days", 30)), _ul([
            f'{esc(e["path"])} — {esc(e["asset_id"])}, {esc(e["license_id"] or "")} {esc(e["expires"])} '
            f'({esc(_t("days_left", lang, d=e["days_left"]))})' for e in s["expiring"]]), len(s["expiring"])),
        _details(_t("expired", lang), _ul([
            f'{esc(e["path"])} — {esc(e["asset_id"])}, {esc(e["license_id"] or "")} {esc(e["expires"])} '
            f'({esc(_t("days_ago", lang, d=-e["days_left"]))})' for e in s["expired"]]), len(s["expired"])),
        _details(_t("identical", lang), "".join(
            f'<div class="group">{"<br>".join(esc(p) for p in g["paths"])}</div>' for g in dup["identical"]),
            len(dup["identical"])),
        _details(_t("near", lang), "".join(
            f'<div class="group">{"<br>".join(esc(p) for p in g["paths"])}</div>' for g in dup["near"]),
            len(dup["near"])),
        _details(_t("ai", lang), _ul([esc(p) for p in s["ai_generated"]]), len(s["ai_generated"])),
        _details(_t("gps", lang), _ul([esc(p) for p in s["gps"]]), len(s["gps"])),
        _details(_t("people", lang), _ul([esc(p) for p in s["people_without_consent"]]), len(s["people_without_consent"])),
        _details(_t("no_provenance", lang), _ul([esc(p) for p in s["no_provenance"]]), len(s["no_provenance"])),
        _details(_t("not_audited", lang), _ul([esc(p) for p in report.get("not_audited", [])]),
                 len(report.get("not_audited", []))),
        _details(_t("skipped", lang), _ul([
            f'{esc(k["path"])} — {esc(k["reason"])}' + (f': {esc(k["detail"])}' if k.get("detail") else "")
            for k in report.get("skipped", [])]), len(report.get("skipped", []))),
    ]
    body = "".join(out)
    return f"<section>{body}</section>" if body else ""


# ------------------------------------------------------------------------------------------------
# table and cards
# ------------------------------------------------------------------------------------------------

def _thumb(src: str | None, size_class: str = "") -> str:
    if src and src.startswith("data:image/") and ";base64," in src:
        return f'<img src="{esc(src)}" alt="" loading="lazy" decoding="async"{size_class}>'
    return '<div class="noimg"></div>'


def _codes(findings: list[dict[str, Any]]) -> str:
    seen: dict[str, str] = {}
    for f in findings:
        seen.setdefault(f["code"], f["severity"])
    return "".join(f'<span class="code {esc(sev)}">{esc(code)}</span>' for code, sev in seen.items())


def _licence(res: dict[str, Any], lang: str) -> str:
    lic = res["facts"].get("license")
    return (lic.get("name") or lic.get("id") or "") if lic else ""


def _creator(res: dict[str, Any]) -> str:
    return "; ".join(res["facts"].get("creators") or []) or (res["facts"].get("copyright") or "")


def _order(results: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    indexed = list(enumerate(results))
    indexed.sort(key=lambda p: (VERDICT_ORDER.get(p[1]["verdict"], 3), p[1]["path"]))
    return indexed


def _table(report: dict[str, Any], thumbs: dict[str, str], lang: str) -> str:
    codes = sorted({f["code"] for r in report["results"] for f in r["findings"]})
    head = (f'<tr><th>{esc(_t("col_preview", lang))}</th><th data-sort="text">{esc(_t("col_file", lang))}</th>'
            f'<th data-sort="num">{esc(_t("col_verdict", lang))}</th><th data-sort="text">{esc(_t("col_findings", lang))}</th>'
            f'<th data-sort="text">{esc(_t("col_licence", lang))}</th><th data-sort="text">{esc(_t("col_creator", lang))}</th>'
            f'<th data-sort="num">{esc(_t("col_size", lang))}</th></tr>')
    body = []
    for i, res in _order(report["results"]):
        findings = res["findings"]
        text = " ".join([res["path"], _creator(res), _licence(res, lang),
                         " ".join(f["code"] for f in findings)]).lower()
        size = (res.get("audit") or {}).get("size") or 0
        body.append(
            f'<tr data-verdict="{esc(res["verdict"])}" data-codes="{esc(" ".join(sorted({f["code"] for f in findings})))}" '
            f'data-text="{esc(text)}" data-card="card-{i}">'
            f'<td>{_thumb(thumbs.get(res["path"]))}</td>'
            f'<td class="path"><a href="#card-{i}">{esc(res["path"])}</a></td>'
            f'<td data-key="{VERDICT_ORDER.get(res["verdict"], 3)}"><span class="badge {esc(res["verdict"])}">'
            f'{esc(_t("v_" + res["verdict"], lang) if res["verdict"] in VERDICT_ORDER else res["verdict"])}</span></td>'
            f'<td>{_codes(findings)}</td><td>{esc(_licence(res, lang))}</td><td>{esc(_creator(res))}</td>'
            f'<td data-key="{int(size)}">{esc(_size(size))}</td></tr>')
    verdict_opts = "".join(f'<option value="{v}">{esc(_t("v_" + v, lang))}</option>' for v in ("stop", "review", "ok"))
    code_opts = "".join(f'<option value="{esc(c)}">{esc(c)} {esc(report.get("rules", {}).get(c, {}).get("name", ""))}</option>'
                        for c in codes)
    total = len(report["results"])
    controls = (f'<div class="controls"><input id="q" type="search" placeholder="{esc(_t("search", lang))}" '
                f'aria-label="{esc(_t("search", lang))}">'
                f'<select id="fverdict" aria-label="{esc(_t("col_verdict", lang))}"><option value="">{esc(_t("all_verdicts", lang))}</option>{verdict_opts}</select>'
                f'<select id="fcode" aria-label="{esc(_t("col_findings", lang))}"><option value="">{esc(_t("all_codes", lang))}</option>{code_opts}</select>'
                f'<span class="count" id="count" data-template="{esc(_t("showing", lang, n="{n}", total="{total}"))}">'
                f'{esc(_t("showing", lang, n=total, total=total))}</span></div>')
    return (controls + f'<table class="files" id="files"><thead>{head}</thead><tbody>{"".join(body)}</tbody></table>')


def _size(n: int) -> str:
    if not n:
        return ""
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return str(n)


def _card(i: int, res: dict[str, Any], thumbs: dict[str, str], lang: str) -> str:
    facts = res["facts"]
    rows = []

    def row(label: str, value: str) -> None:
        if value:
            rows.append(f"<dt>{esc(_t(label, lang))}</dt><dd>{value}</dd>")

    row("creator", esc("; ".join(facts.get("creators") or [])))
    row("copyright", esc(facts.get("copyright") or ""))
    lic = facts.get("license")
    if lic:
        row("licence", _link(lic.get("url"), lic.get("name") or lic.get("id")))
    origin = facts.get("origin")
    if origin:
        en, sv = ORIGIN.get(origin, (origin, origin))
        row("origin", esc(sv if lang == "sv" else en))
    if facts.get("format"):
        row("format", esc(f'{facts["format"]} {facts.get("width") or "?"}×{facts.get("height") or "?"}'))
    if facts.get("people") and facts["people"] != "unknown":
        row("people_l", esc(facts["people"]) + (f' ({esc(facts.get("consent"))})' if facts.get("consent") else ""))
    if res.get("matches"):
        row("registry", esc(", ".join(m["asset_id"] for m in res["matches"])))

    items = []
    for f in res["findings"]:
        cite = f["citation"]
        items.append(f'<li><span class="code {esc(f["severity"])}">{esc(f["code"])}</span> {esc(f["message"])}'
                     f'<div class="cite">{_link(cite.get("url"), cite.get("text"))}</div></li>')
    findings = f'<ul class="findings">{"".join(items)}</ul>' if items else f'<div>{esc(_t("no_findings", lang))}</div>'

    credit = ""
    att = res.get("attribution") or {}
    lines = [(kind, att[kind]) for kind in CREDIT_KINDS if isinstance(att.get(kind), str) and att[kind].strip()]
    if lines:
        parts = []
        for j, (kind, text) in enumerate(lines):
            tid = f"credit-{i}-{j}"
            en, sv = CREDIT_KINDS[kind]
            parts.append(f'<div class="line"><span class="kind">{esc(sv if lang == "sv" else en)}</span>'
                         f'<code id="{tid}">{esc(text)}</code>'
                         f'<button type="button" class="copy" data-target="{tid}" data-done="{esc(_t("copied", lang))}">'
                         f'{esc(_t("copy", lang))}</button></div>')
        credit = f'<div class="credit"><div><strong>{esc(_t("credit", lang))}</strong></div>{"".join(parts)}</div>'

    verdict = res["verdict"]
    return (f'<article class="card {esc(verdict)}" id="card-{i}"><div class="head">{_thumb(thumbs.get(res["path"]))}'
            f'<div><h3>{esc(res["path"])}</h3><span class="badge {esc(verdict)}">'
            f'{esc(_t("v_" + verdict, lang) if verdict in VERDICT_ORDER else verdict)}</span>'
            f'<dl>{"".join(rows)}</dl></div></div>{findings}{credit}</article>')


def render(report: dict[str, Any], thumbs: dict[str, str] | None = None) -> str:
    lang = report.get("lang", "en")
    thumbs = thumbs or {}
    s = report["summary"]
    title = _t("title", lang)
    partial = ""
    if report.get("partial"):
        partial = f'<div class="partial" role="alert">{esc(_t("partial", lang, n=len(report.get("not_audited", []))))}</div>'
    cards = "".join(_card(i, res, thumbs, lang) for i, res in _order(report["results"]))
    version = (report.get("tool") or {}).get("version", "")
    csp = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
    return f"""<!doctype html>
<html lang="{esc(lang)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="imagerights {esc(version)}">
<title>{esc(title)} — {esc(report.get("root", ""))}</title>
<style>{_asset("audit.css")}</style>
</head>
<body>
<header class="top"><h1>{esc(title)}</h1>
<div class="meta">{esc(_t("audited", lang))}: {esc(report.get("root", ""))} · {esc(_t("generated", lang))} {esc(report.get("generated", ""))}
{(" · " + esc((report.get("policy") or {}).get("organisation", ""))) if report.get("policy") else ""}</div></header>
<main>
{partial}
{_tiles(s, lang)}
<section class="charts">{_verdict_chart(s, lang)}{_codes_chart(report, lang)}{_licence_chart(s, lang)}</section>
{_lists(report, lang)}
{_table(report, thumbs, lang)}
<section class="cards">{cards}</section>
</main>
<footer>{esc(_t("footer", lang, v=version))}</footer>
<script>{_asset("audit.js")}</script>
</body>
</html>
"""
