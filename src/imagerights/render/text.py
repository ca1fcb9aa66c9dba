"""Human-readable terminal output of ``check``: verdict, findings, credit line. Colour only on a TTY."""

from __future__ import annotations

from typing import Any

import click

from imagerights.findings import Severity

_VERDICT = {
    "ok": ("OK", "OK", "green"),
    "review": ("REVIEW", "GRANSKA", "yellow"),
    "stop": ("STOP", "STOPP", "red"),
}
_SEVERITY_COLOUR = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_SEVERITY_SV = {Severity.ERROR: "fel", Severity.WARNING: "varning", Severity.INFO: "info"}

_LABELS = {
    "creators": ("Creator", "Upphovsperson"),
    "copyright": ("Copyright", "Upphovsrätt"),
    "credit": ("Credit (metadata)", "Kreditering (metadata)"),
    "license": ("Licence", "Licens"),
    "origin": ("Origin", "Ursprung"),
    "people": ("People", "Personer"),
    "registry": ("Registry", "Register"),
    "ai": ("AI markers", "AI-märkning"),
    "logos": ("Logos", "Logotyper"),
    "credit_line": ("Credit line to use", "Bildtext att använda"),
    "findings": ("Findings", "Anmärkningar"),
    "none": ("none", "inga"),
    "no_ai": ("no AI markers found (this does not prove it is not AI)", "ingen AI-märkning hittades (det bevisar inte att bilden inte är AI)"),
    "unknown": ("unknown", "okänd"),
}

_PEOPLE = {"yes": ("yes", "ja"), "no": ("no", "nej"), "unknown": ("unknown", "okänt")}

_ORIGIN = {
    "own": ("the organisation's own", "organisationens egen"),
    "image_bank": ("the organisation's image bank", "organisationens bildbank"),
    "stock": ("stock agency", "bildbyrå"),
    "free_bank": ("free image bank", "gratis bildbank"),
    "cc": ("Creative Commons", "Creative Commons"),
    "public_domain": ("public domain", "allmän egendom"),
    "unknown": ("unknown", "okänt"),
}


def _l(key: str, lang: str) -> str:
    en, sv = _LABELS[key]
    return sv if lang == "sv" else en


def render_result(result: Any, lang: str, color: bool) -> str:
    """One result as a block of text."""
    d = result.to_dict(lang)
    facts = d["facts"]
    out: list[str] = []
    word_en, word_sv, colour = _VERDICT[d["verdict"]]
    word = word_sv if lang == "sv" else word_en
    out.append(click.style(f"{word:<7}", fg=colour, bold=True, reverse=True) + " " + click.style(d["path"], bold=True)
               if color else f"[{word}] {d['path']}")

    def line(key: str, value: str) -> None:
        out.append(f"  {_l(key, lang) + ':':<20} {value}")

    line("creators", ", ".join(facts["creators"]) or _l("unknown", lang))
    if facts["copyright"]:
        line("copyright", facts["copyright"].replace("\n", " / "))
    if facts["credit"]:
        line("credit", facts["credit"])
    lic = facts["license"]
    line("license", f"{lic['name']} ({lic['id']}, {lic['found_in']})" if lic else _l("unknown", lang))
    o = _ORIGIN.get(facts["origin"], (facts["origin"], facts["origin"]))
    line("origin", o[1] if lang == "sv" else o[0])
    people = _PEOPLE[facts["people"]][1 if lang == "sv" else 0]
    if facts["people_source"]:
        people += f" ({facts['people_source']})"
    if facts["consent"]:
        people += f", consent: {facts['consent']}" if lang == "en" else f", samtycke: {facts['consent']}"
    line("people", people)
    if d["matches"]:
        m = d["matches"][0]
        edits = ", ".join(k for k, v in m["edits"].items() if v) or "-"
        line("registry", f"{m['asset_id']} ({m['confidence']:.0%}; {edits})")
    ai_codes = [f for f in d["findings"] if f["code"].startswith("AI00") and f["code"] in ("AI001", "AI002", "AI003")]
    if not ai_codes:
        line("ai", _l("no_ai", lang))
    if facts["logos"]:
        line("logos", ", ".join(f"{l['platform']} {l['version']} ({l['status']})" for l in facts["logos"]))
    if d["findings"]:
        out.append(f"  {_l('findings', lang)}:")
        for f in d["findings"]:
            sev = Severity.parse(f["severity"])
            label = _SEVERITY_SV[sev] if lang == "sv" else sev.label
            head = f"{f['code']} {label}"
            if color:
                head = click.style(f"{f['code']}", bold=True) + " " + click.style(label, fg=_SEVERITY_COLOUR[sev])
            out.append(f"    {head}: {f['message']}")
            cite = f["citation"]["text"] + (f" <{f['citation']['url']}>" if f["citation"]["url"] else "")
            out.append("      " + (click.style("↳ " + cite, dim=True) if color else "-> " + cite))
    att = d["attribution"]
    if att and att.get("text"):
        out.append(f"  {_l('credit_line', lang)}:")
        for ln in att["text"].splitlines():
            out.append("    " + (click.style(ln, bold=True) if color else ln))
    return "\n".join(out)


def render_results(results: list[Any], lang: str, color: bool) -> str:
    return "\n\n".join(render_result(r, lang, color) for r in results)
