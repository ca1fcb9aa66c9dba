"""``imagerights logos`` — platform logos in images, and the brand rules they are checked against."""

from __future__ import annotations

import datetime as dt
import json
import sys

import click

from imagerights.cli.common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, default_lang, lang_option

SCHEMA = "imagerights.logos/1"


@click.group("logos")
def command() -> None:
    """Platform logos (Facebook, Instagram, X, YouTube, LinkedIn, TikTok, Threads, Bluesky, Mastodon):
    find them in images and check them against each platform's brand rules."""


def _check_one(path: str, channel: str | None, lang: str) -> dict:
    from imagerights.facts import Facts, FileError
    from imagerights.findings import verdict
    from imagerights.imaging import ImageError, open_source
    from imagerights.licensing.catalogue import default_catalogue
    from imagerights.logos import find_logos
    from imagerights.policy import load_policy
    from imagerights.rules.base import run_rules
    from imagerights.rules.context import build_context
    from imagerights.use import IntendedUse

    facts = Facts(path=path)
    try:
        src = open_source(path)
        if src.open_error:
            raise ImageError(src.open_stage or "open", src.open_error)
        facts.logos = find_logos(src)
    except ImageError as exc:
        facts.errors.append(FileError(exc.stage, exc.reason))
    except OSError as exc:
        facts.errors.append(FileError("open", f"{type(exc).__name__}: {exc.strerror or exc}"))
    use = IntendedUse(channel=channel.lower() if channel else None)
    ctx = build_context(facts, use, load_policy(None), default_catalogue())
    findings = run_rules(ctx, select=["BRD"]) if facts.logos is not None else []
    return {
        "path": path,
        "verdict": verdict(findings) if not facts.errors else "error",
        "errors": [{"stage": e.stage, "reason": e.reason} for e in facts.errors],
        "logos": [{"platform": f.platform, "version": f.version, "status": f.status, "confidence": f.confidence,
                   "box": list(f.box), "measurements": f.measurements} for f in (facts.logos or [])],
        "findings": [f.to_dict(lang) for f in findings],
    }


def _fmt_logo(l: dict, lang: str) -> list[str]:
    m = l["measurements"] or {}
    x, y, w, h = l["box"]
    sv = lang == "sv"
    name = l["platform"] + (" (möjlig)" if sv and m.get("confidence") == "medium" else
                            " (possible)" if m.get("confidence") == "medium" else "")
    lines = [f"  {name}  version {l['version']} ({l['status']}), "
             + (f"position ({x}, {y}), {w}×{h} px, träff {l['confidence']:.2f}" if sv else
                f"at ({x}, {y}), {w}×{h} px, match {l['confidence']:.2f}")]
    col = m.get("colour") or {}
    if col:
        near = col.get("nearest_permitted") or {}
        line = f"    {'färg' if sv else 'colour'} #{col.get('hex')}"
        if near:
            line += f" (ΔE00 {near.get('delta_e')} → #{near.get('hex')})"
        old = col.get("nearest_outdated")
        if old and float(old["delta_e"]) < float(near.get("delta_e", 99)):
            line += f", {'gammal' if sv else 'outdated'} #{old['hex']} ΔE00 {old['delta_e']}"
        lines.append(line)
    parts = []
    if m.get("rotation_deg") is not None:
        parts.append(f"{'rotation' if not sv else 'rotation'} {m['rotation_deg']:+.0f}°")
    if m.get("aspect_ratio") is not None:
        parts.append(f"{'proportioner' if sv else 'aspect'} {m['aspect_ratio']:.2f}")
    size = m.get("size_px") or {}
    if size:
        parts.append(f"{'storlek' if sv else 'size'} {size.get('width', 0):.0f}×{size.get('height', 0):.0f} px")
    if m.get("clear_space_px") is not None:
        need = (m.get("clear_space") or {}).get("required_px")
        parts.append(f"{'fritt utrymme' if sv else 'clear space'} {m['clear_space_px']:.0f}/{need:.0f} px")
    if m.get("effects"):
        parts.append(f"{'effekter' if sv else 'effects'}: {', '.join(m['effects'])}")
    if m.get("whole_file"):
        parts.append("logofil" if sv else "logo file")
    if parts:
        lines.append("    " + ", ".join(parts))
    return lines


def _render_text(doc: dict, lang: str) -> str:
    out = []
    sv = lang == "sv"
    for r in doc["files"]:
        out.append(f"{r['path']}: {r['verdict']}")
        for e in r["errors"]:
            out.append(f"  {'fel' if sv else 'error'} ({e['stage']}): {e['reason']}")
        if not r["logos"] and not r["errors"]:
            out.append("  " + ("inga plattformsloggor hittades" if sv else "no platform logos found"))
        for l in r["logos"]:
            out.extend(_fmt_logo(l, lang))
        for f in r["findings"]:
            out.append(f"  {f['severity'].upper():7} {f['code']} {f['message']}")
            cit = f.get("citation") or {}
            if cit.get("text"):
                out.append(f"          ↳ {cit['text']}" + (f" <{cit['url']}>" if cit.get("url") else ""))
    return "\n".join(out)


@command.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@lang_option
@click.option("--channel", default=None, metavar="NAME",
              help="Where the image will be shown (facebook, instagram, …): sets the screen width for minimum sizes in dp.")
def check(files, fmt, lang, channel):
    """Find platform logos in FILES and check each: platform, version, position, size, colour, verdict.

    \b
    Examples:
      imagerights logos check poster.png
      imagerights logos check facebook-logo.png --format json
    """
    lang = lang or default_lang()
    results = [_check_one(p, channel, lang) for p in files]
    doc = {"schema": SCHEMA, "files": results}
    if fmt == "json":
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(_render_text(doc, lang))
    if any(r["errors"] for r in results):
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_FINDINGS if any(r["verdict"] == "stop" for r in results) else EXIT_OK)


def _brand_dict(b, today: dt.date) -> dict:
    def rule(r):
        return {"id": r.id, "severity": r.severity, "text": r.text, "text_sv": r.text_sv, "kind": r.kind,
                "verified": r.verified, "source": {"url": r.source.url, "title": r.source.title,
                                                    "retrieved": r.source.retrieved, "status": r.source.status}}

    def check(c):
        return {"rule": c.rule.id, "verified": c.trusted,
                **{k: v for k, v in c.values.items() if k not in ("rule", "verified")}}

    return {
        "platform": b.platform, "display_name": b.display_name, "owner": b.owner,
        "last_reviewed": str(b.last_reviewed), "review_age_days": b.review_age(today),
        "review_overdue": b.review_overdue(today), "guidelines_url": b.guidelines_url,
        "permitted_use": list(b.permitted_use), "permission_required": b.permission_required,
        "versions": [{"id": v.id, "label": v.label, "status": v.status, "since": v.since, "until": v.until,
                      "fill": v.fill, "template": v.template if v.bundled else None} for v in b.versions],
        "colour": check(b.colour), "geometry": check(b.geometry), "size": check(b.size),
        "clear_space": check(b.clear_space), "effects": check(b.effects),
        "rules": [rule(r) for r in b.rules.values()],
    }


@command.command("rules")
@click.argument("platform", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@lang_option
def rules(platform, fmt, lang):
    """The brand rules in force for each platform (or PLATFORM), their sources and when they were
    last reviewed."""
    from imagerights.logos.brands import REVIEW_MAX_DAYS, load_brands

    lang = lang or default_lang()
    sv = lang == "sv"
    brands = load_brands()
    if platform:
        key = platform.lower()
        key = "x" if key == "twitter" else key
        if key not in brands:
            raise click.BadParameter(f"unknown platform {platform!r}; choose from {', '.join(sorted(brands))}",
                                     param_hint="PLATFORM")
        selected = [brands[key]]
    else:
        selected = [brands[k] for k in sorted(brands)]
    today = dt.date.today()
    docs = [_brand_dict(b, today) for b in selected]
    if fmt == "json":
        click.echo(json.dumps({"schema": "imagerights.brands/1", "brands": docs}, ensure_ascii=False, indent=2))
        return
    out = []
    for d in docs:
        overdue = (f"  ⚠ {'inte granskad på' if sv else 'not reviewed for'} {d['review_age_days']} "
                   f"{'dagar' if sv else 'days'} (> {REVIEW_MAX_DAYS})" if d["review_overdue"] else "")
        out.append(f"{d['display_name']} ({d['platform']}) – {d['owner']}")
        out.append(f"  {'granskad' if sv else 'last reviewed'} {d['last_reviewed']}{overdue}")
        out.append(f"  {'riktlinjer' if sv else 'guidelines'}: {d['guidelines_url']}")
        if d["permission_required"]:
            out.append("  " + ("all användning kräver tillstånd" if sv else "any use needs the owner's permission"))
        for v in d["versions"]:
            span = " – ".join(x for x in (v["since"], v["until"]) if x)
            out.append(f"  version {v['id']:<15} {v['status']:<9} {span:<20} #{v['fill']}  {v['label']}")
        c = d["colour"]
        unv = set(c.get("unverified", []))
        perm = ", ".join(f"#{h}" + ("?" if h in unv else "") for h in c.get("permitted", []))
        old = ", ".join(f"#{h} ({v})" for h, v in c.get("outdated", {}).items())
        out.append(f"  {'tillåtna färger' if sv else 'permitted colours'}: {perm}" + (f"; {'gamla' if sv else 'outdated'}: {old}" if old else ""))
        g, s, cs = d["geometry"], d["size"], d["clear_space"]
        out.append(f"  {'rotation' if sv else 'rotation'} ≤ {g.get('max_rotation_deg')}°, "
                   f"{'proportioner' if sv else 'aspect'} ±{g.get('aspect_warn', 0):.0%}/{g.get('aspect_error', 0):.0%}")
        out.append(f"  {'minsta storlek' if sv else 'minimum size'}: {s.get('min_display_dp')} dp / {s.get('min_px')} px "
                   f"({s.get('reference')})" + ("" if s["verified"] else (" – ej bekräftat" if sv else " – unverified")))
        need = f"{cs.get('fraction')} × {cs.get('reference')}" + (f", ≥ {cs['min_px']} px" if cs.get("min_px") else "")
        out.append(f"  {'fritt utrymme' if sv else 'clear space'}: {need}" + ("" if cs["verified"] else (" – ej bekräftat" if sv else " – unverified")))
        fx = d["effects"]
        out.append(f"  {'förbjudna effekter' if sv else 'forbidden effects'}: {', '.join(fx.get('forbid', []))}"
                   + (f" ({'tillåtet' if sv else 'allowed'}: {', '.join(fx.get('allow', []))})" if fx.get("allow") else ""))
        for r in d["rules"]:
            text = r["text_sv"] if sv else r["text"]
            src = r["source"]
            flag = "" if r["verified"] else (" [ej bekräftad]" if sv else " [unverified]")
            out.append(f"  [{r['severity']}] {r['id']}{flag}: {text}")
            out.append(f"      {src['title']} – {src['status']}, {'hämtad' if sv else 'retrieved'} {src['retrieved']} <{src['url']}>")
        out.append("")
    click.echo("\n".join(out).rstrip())
