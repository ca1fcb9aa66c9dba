"""``imagerights licenses`` — the licence catalogue: list, show and identify licences."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys

import click

from imagerights.cli.common import EXIT_FINDINGS, default_lang, lang_option
from imagerights.licensing.model import KINDS

STATUSES = ("active", "superseded", "retired")


@click.group("licenses")
def command() -> None:
    """The licence catalogue: every Creative Commons tool, platform licences, statements, stock."""


def _catalogue():
    from imagerights.licensing.catalogue import default_catalogue

    return default_catalogue()


def _plain(obj):
    if isinstance(obj, dt.date):
        return obj.isoformat()
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    return obj


def full_dict(lic) -> dict:
    """Every field of a licence record, JSON-ready."""
    data = _plain(dataclasses.asdict(lic))
    data.pop("source_file", None)
    return data


@command.command("list")
@click.option("--kind", type=click.Choice(KINDS), default=None, help="Only licences of this kind.")
@click.option("--status", type=click.Choice(STATUSES), default=None, help="Only active, superseded or retired ones.")
@click.option("--version", "version", default=None, metavar="X.Y", help="Only this version (e.g. 4.0).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@lang_option
def list_(kind, status, version, fmt, lang):
    """List the known licences (id, kind, status, name)."""
    lang = lang or default_lang()
    chosen = [lic for lic in _catalogue()
              if (kind is None or lic.kind == kind) and (status is None or lic.status == status)
              and (version is None or lic.version == version)]
    if fmt == "json":
        click.echo(json.dumps([lic.to_dict() for lic in chosen], ensure_ascii=False, indent=2))
        return
    for lic in chosen:
        click.echo(f"{lic.id:<42} {lic.kind:<19} {lic.status:<10} {lic.names.get(lang)}")


def _resolve(text: str):
    from imagerights.licensing.identify import identify

    cat = _catalogue()
    lic = cat.get(text)
    if lic is not None:
        return lic, None
    found = identify(text, cat)
    return (cat.get(found.id), found) if found else (None, None)


@command.command("show")
@click.argument("license")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@lang_option
def show(license, fmt, lang):
    """Show one licence: names, URLs, what it permits, its conditions and clauses.

    LICENSE is an id (CC-BY-NC-ND-4.0) or anything 'identify' recognises.
    """
    lang = lang or default_lang()
    lic, found = _resolve(license)
    if lic is None:
        raise click.BadParameter(f"unknown licence {license!r} (see 'imagerights licenses list')",
                                 param_hint="LICENSE")
    if fmt == "json":
        click.echo(json.dumps(full_dict(lic), ensure_ascii=False, indent=2))
        return
    sv = lang == "sv"
    n, p, c = lic.names, lic.permissions, lic.conditions
    yes, no = ("ja", "nej") if sv else ("yes", "no")

    def yn(v: bool) -> str:
        return yes if v else no

    lines = [f"{lic.id}  {n.short}", f"  {n.sv if sv and n.sv else n.en}"]
    if sv and n.en and n.en != n.sv:
        lines.append(f"  ({n.en})")
    elif not sv and n.sv and n.sv != n.en:
        lines.append(f"  (sv: {n.sv})")
    status = lic.status + (f" {lic.retired_on.isoformat()}" if lic.retired_on else "")
    lines.append(f"  {'typ' if sv else 'kind'}: {lic.kind}   status: {status}"
                 + (f"   {'ersatt av' if sv else 'replaced by'}: {lic.replaced_by}" if lic.replaced_by else ""))
    if lic.spdx:
        lines.append(f"  SPDX: {lic.spdx}")
    url = lic.deed(lang) if lic.is_cc else lic.canonical_url
    if url:
        lines.append(f"  URL: {url}")
    if lic.legalcode_url:
        lines.append(f"  {'juridisk text' if sv else 'legal code'}: {lic.legalcode_url}")
    lines.append(("  tillåter: dela {} · kommersiellt {} · bearbeta {} · sprida bearbetningar {}" if sv else
                  "  permits: share {} · commercial {} · adapt {} · share adaptations {}").format(
        yn(p.share), yn(p.commercial), yn(p.adapt), yn(p.share_adapted)))
    lines.append(("  villkor: erkännande {} · dela lika {} · ange ändringar {} · titel krävs {}" if sv else
                  "  conditions: attribution {} · share-alike {} · indicate changes {} · title required {}").format(
        c.attribution, yn(c.share_alike), c.indicate_modifications, yn(c.title_required)))
    if c.adapter_licenses:
        lines.append(f"  {'licens för bearbetningar' if sv else 'adapter licences'}: {', '.join(c.adapter_licenses)}")
    if lic.prohibits:
        lines.append(f"  {'förbjuder' if sv else 'prohibits'}: {', '.join(lic.prohibits)}")
    if lic.clauses:
        lines.append(f"  {'klausuler' if sv else 'clauses'}" + (f" ({lic.clauses_source})" if lic.clauses_source else "") + ":")
        for topic, clause in lic.clauses.items():
            lines.append(f"    {topic:<20} {clause}")
    note = lic.note(lang)
    if note:
        lines.append(f"  {note}")
    if found is not None and (found.note_sv if sv else found.note):
        lines.append(f"  {'OBS' if sv else 'note'}: {found.note_sv if sv else found.note}")
    if n.aliases:
        lines.append(f"  {'även kallad' if sv else 'also known as'}: {'; '.join(n.aliases)}")
    click.echo("\n".join(lines))


@command.command("identify")
@click.argument("text")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@lang_option
def identify_(text, fmt, lang):
    """Recognise a licence from a URL, id, name (sv/en), badge, flickr:N or a sentence.

    Exit 1 if it is not recognised.
    """
    from imagerights.licensing.identify import identify

    lang = lang or default_lang()
    cat = _catalogue()
    found = identify(text, cat)
    if found is None:
        if fmt == "json":
            click.echo(json.dumps({"input": text, "id": None}, ensure_ascii=False))
        click.echo(f"imagerights: not recognised as a licence: {text!r}", err=True)
        sys.exit(EXIT_FINDINGS)
    lic = cat.get(found.id)
    note = found.note_sv if lang == "sv" else found.note
    if fmt == "json":
        click.echo(json.dumps({"input": text, **found.to_dict(), "name": lic.names.short, "kind": lic.kind,
                               "url": lic.deed(lang) if lic.is_cc else lic.canonical_url}, ensure_ascii=False, indent=2))
        return
    click.echo(f"{lic.id}  {lic.names.short}  ({lic.names.get(lang)})")
    if note:
        click.echo(f"  {note}")
