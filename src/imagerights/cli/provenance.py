"""``imagerights provenance`` — Content Credentials (C2PA) and other AI markers, read offline."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict

import click

from imagerights.cli.common import EXIT_OK, EXIT_USAGE, default_lang, lang_option

STATE = {
    "valid": {"en": "valid (signer trusted)", "sv": "giltigt (betrodd signerare)"},
    "untrusted": {"en": "intact, signer not on a trust list", "sv": "oskadat, signeraren finns inte på någon betrodd lista"},
    "invalid": {"en": "INVALID — manifest broken or file altered after signing",
                "sv": "OGILTIGT — manifestet är trasigt eller filen ändrad efter signering"},
    "not_verified": {"en": "not verified", "sv": "inte verifierat"},
}
L = {
    "none": {"en": "no Content Credentials", "sv": "inga innehållsintyg (Content Credentials)"},
    "cc": {"en": "Content Credentials", "sv": "Innehållsintyg (Content Credentials)"},
    "state": {"en": "state", "sv": "status"},
    "signer": {"en": "signed by", "sv": "signerat av"},
    "generator": {"en": "made with", "sv": "skapat med"},
    "actions": {"en": "actions", "sv": "åtgärder"},
    "ingredients": {"en": "ingredients", "sv": "ingredienser"},
    "training": {"en": "AI training / data mining", "sv": "AI-träning / datautvinning"},
    "ai": {"en": "AI markers", "sv": "AI-markeringar"},
    "no_ai": {"en": "no AI markers found (this does not mean the image is not AI-made)",
              "sv": "inga AI-markeringar hittades (det betyder inte att bilden inte är AI-skapad)"},
    "kind": {"generated": {"en": "AI-generated", "sv": "AI-genererad"},
             "edited": {"en": "edited with generative AI", "sv": "redigerad med generativ AI"},
             "synthetic": {"en": "synthetic / composite", "sv": "syntetisk / sammansatt"}},
}


def _facts(path: str):
    """Metadata + provenance only (no pixels): fast and offline."""
    from imagerights.analyse import AnalyseOptions, analyse

    return analyse(path, AnalyseOptions(logos=False, faces=False, provenance=True, metadata_only=True))


def _record(facts) -> dict:
    from imagerights.provenance.ai import ai_signals, summary

    sig = ai_signals(facts)
    return {
        "path": facts.path,
        "provenance": None if facts.provenance is None else asdict(facts.provenance),
        "ai_signals": sig,
        "ai_summary": summary(sig),
        "errors": [{"stage": e.stage, "reason": e.reason} for e in facts.errors],
    }


def _text(facts, lang: str) -> list[str]:
    from imagerights.provenance.ai import ai_signals

    lines = [facts.path]
    p = facts.provenance
    if p is None or not p.present:
        lines.append(f"  {L['none'][lang]}")
    else:
        lines.append(f"  {L['cc'][lang]}: {STATE.get(p.state, {}).get(lang, p.state)}"
                     + (f" [{p.container}]" if p.container else ""))
        if p.note:
            lines.append(f"    {p.note}")
        if p.signer:
            lines.append(f"    {L['signer'][lang]}: {p.signer}" + (f" ({p.signed_at})" if p.signed_at else ""))
        if p.claim_generator:
            lines.append(f"    {L['generator'][lang]}: {p.claim_generator}")
        if p.codes:
            lines.append(f"    codes: {', '.join(p.codes)}")
        if p.actions:
            lines.append(f"    {L['actions'][lang]}:")
            for a in p.actions[:20]:
                extra = ", ".join(x for x in (a.get("software_agent"), (a.get("digital_source_type") or "").rsplit("/", 1)[-1]) if x)
                where = "" if a.get("manifest") == "active" else f" [{a.get('manifest')}]"
                lines.append(f"      - {a.get('action')}{' (' + extra + ')' if extra else ''}{where}")
        if p.ingredients:
            lines.append(f"    {L['ingredients'][lang]}:")
            for ing in p.ingredients[:10]:
                lines.append(f"      - {ing.get('title')} ({ing.get('relationship')})"
                             + (f", {ing['generator']}" if ing.get("generator") else ""))
        if p.training_mining:
            lines.append(f"    {L['training'][lang]}: " + ", ".join(f"{k}={v}" for k, v in p.training_mining.items()))
    sig = ai_signals(facts)
    if sig:
        lines.append(f"  {L['ai'][lang]}:")
        for s in sig:
            lines.append(f"    - {L['kind'][s['kind']][lang]}: {s['source']} — {s['detail']}")
    else:
        lines.append(f"  {L['ai'][lang]}: {L['no_ai'][lang]}")
    for e in facts.errors:
        lines.append(f"  ! {e.stage}: {e.reason}")
    return lines


@click.command("provenance")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@lang_option
def command(files, fmt, lang):
    """Show Content Credentials (C2PA): who signed, with which software, which actions, whether
    AI generated or edited it, and whether the signature is intact — verified offline (nothing
    is fetched). Also lists AI markers from IPTC Digital Source Type and generator metadata.

    \b
    Examples:
      imagerights provenance firefly.jpg
      imagerights provenance *.jpg --format json
    """
    lang = lang or default_lang()
    records = []
    failed = False
    for path in files:
        try:
            facts = _facts(path)
        except Exception as exc:  # noqa: BLE001 - one bad file never stops the others
            failed = True
            click.echo(f"imagerights: {path}: {type(exc).__name__}: {exc}", err=True)
            continue
        if fmt == "json":
            records.append(_record(facts))
        else:
            click.echo("\n".join(_text(facts, lang)))
    if fmt == "json":
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    sys.exit(EXIT_USAGE if failed else EXIT_OK)
