"""The audit in the terminal: a summary table (rich), colour on a TTY, plain text when piped."""

from __future__ import annotations

import io
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from imagerights.render.html import LABELS as HTML_LABELS

VERDICT_STYLE = {"ok": "green", "review": "yellow", "stop": "bold red"}
SEVERITY_STYLE = {"error": "red", "warning": "yellow", "info": "cyan"}
MAX_FILES = 25

_L = {
    "summary": ("Summary", "Sammanfattning"),
    "what": ("", ""),
    "count": ("Images", "Bilder"),
    "findings": ("Findings", "Anmärkningar"),
    "code": ("Code", "Kod"),
    "rule": ("Rule", "Regel"),
    "images": ("Images", "Bilder"),
    "attention": ("Files to look at first", "Filer att titta på först"),
    "file": ("File", "Fil"),
    "verdict": ("Verdict", "Bedömning"),
    "more": ("… and {n} more (see --format html or json)", "… och {n} till (se --format html eller json)"),
    "skipped": ("Skipped by the walk: {n} (symbolic-link loops, unreadable folders, non-images: {m})",
                "Hoppades över: {n} (länkslingor, oläsbara mappar, icke-bilder: {m})"),
    "partial": ("PARTIAL REPORT: interrupted, {n} file(s) not checked.",
                "OFULLSTÄNDIG RAPPORT: avbruten, {n} fil(er) inte kontrollerade."),
    "speed": ("{files} files in {secs:.1f} s ({rate} files/s, {jobs} workers, {cached} from cache, "
              "{same} identical copies analysed once)",
              "{files} filer på {secs:.1f} s ({rate} filer/s, {jobs} processer, {cached} från cachen, "
              "{same} identiska kopior analyserade en gång)"),
}


def _t(key: str, lang: str, **kw: Any) -> str:
    table = _L if key in _L else HTML_LABELS
    en, sv = table[key]
    text = sv if lang == "sv" else en
    return text.format(**kw) if kw else text


def render(report: dict[str, Any], color: bool = False, width: int | None = None) -> str:
    lang = report.get("lang", "en")
    s = report["summary"]
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=color, no_color=not color, color_system="standard" if color else None,
                      width=width or 100, highlight=False, emoji=False)

    if report.get("partial"):
        console.print(Text(_t("partial", lang, n=len(report.get("not_audited", []))), style="bold yellow"))

    overview = Table(title=_t("summary", lang), box=box.SIMPLE_HEAVY, show_header=False, title_justify="left")
    overview.add_column(justify="right", style="bold")
    overview.add_column()
    overview.add_row(str(s["files"]), _t("images", lang))
    for v in ("stop", "review", "ok"):
        overview.add_row(Text(str(s["verdicts"][v]), style=VERDICT_STYLE[v]), _t(v, lang))
    dup = s["duplicates"]
    for n, key, kw in [
        (len(s["no_provenance"]), "no_provenance", {}),
        (len(s["expiring"]), "expiring", {"d": s.get("expiry_window_days", 30)}),
        (len(s["expired"]), "expired", {}),
        (len(dup["identical"]), "identical", {}),
        (len(dup["near"]), "near", {}),
        (len(s["ai_generated"]), "ai", {}),
        (len(s["gps"]), "gps", {}),
        (len(s["people_without_consent"]), "people", {}),
    ]:
        overview.add_row(str(n), _t(key, lang, **kw))
    console.print(overview)

    if s["findings"]:
        rules = report.get("rules", {})
        ft = Table(title=_t("findings", lang), box=box.SIMPLE, title_justify="left")
        ft.add_column(_t("code", lang))
        ft.add_column(_t("rule", lang))
        ft.add_column(_t("images", lang), justify="right")
        for f in s["findings"]:
            meta = rules.get(f["code"], {})
            summary = (meta.get("summary") or {}).get(lang) or meta.get("name", "")
            ft.add_row(Text(f["code"], style=SEVERITY_STYLE.get(f["severity"], "")), Text(summary), str(f["images"]))
        console.print(ft)

    attention = [r for r in report["results"] if r["verdict"] != "ok"]
    attention.sort(key=lambda r: ({"stop": 0, "review": 1}.get(r["verdict"], 2), r["path"]))
    if attention:
        at = Table(title=_t("attention", lang), box=box.SIMPLE, title_justify="left")
        at.add_column(_t("verdict", lang))
        at.add_column(_t("file", lang), overflow="fold")
        at.add_column(_t("findings", lang))
        for r in attention[:MAX_FILES]:
            label = HTML_LABELS["v_" + r["verdict"]][1 if lang == "sv" else 0]
            codes = " ".join(dict.fromkeys(f["code"] for f in r["findings"]))
            # Text(), not str: a file name like "x[red].jpg" must not be read as rich markup
            at.add_row(Text(label.upper(), style=VERDICT_STYLE[r["verdict"]]), Text(r["path"]), Text(codes))
        console.print(at)
        if len(attention) > MAX_FILES:
            console.print(Text(_t("more", lang, n=len(attention) - MAX_FILES)))

    skipped = report.get("skipped", [])
    if skipped:
        console.print(Text(_t("skipped", lang, n=len(skipped), m=s.get("not_images", 0))))
    run = s.get("run", {})
    if run:
        console.print(Text(_t("speed", lang, files=s["files"], secs=run.get("elapsed_seconds") or 0,
                              rate=run.get("files_per_second"), jobs=run.get("jobs"),
                              cached=run.get("statuses", {}).get("cached", 0),
                              same=run.get("statuses", {}).get("same-content", 0)), style="dim"))
    return buf.getvalue()
