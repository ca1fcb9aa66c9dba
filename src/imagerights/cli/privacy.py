"""``imagerights privacy strip`` — a copy without location and personal metadata, rights kept."""

from __future__ import annotations

import json
import sys

import click

from imagerights.cli.common import EXIT_OK, EXIT_USAGE, default_lang, lang_option

T = {
    "written": {"en": "Wrote {out}", "sv": "Skrev {out}"},
    "removed": {"en": "Removed", "sv": "Borttaget"},
    "kept": {"en": "Kept", "sv": "Behållet"},
    "notes": {"en": "Note", "sv": "Obs"},
    "nothing": {"en": "nothing to remove: no location or personal fields found",
                "sv": "inget att ta bort: inga plats- eller personuppgifter hittades"},
    "verified": {"en": "Verified: read back, no location/personal fields left, rights fields and pixels unchanged.",
                 "sv": "Kontrollerad: återläst, inga plats- eller personuppgifter kvar, rättighetsfält och pixlar oförändrade."},
    "original": {"en": "The original was not changed.", "sv": "Originalet ändrades inte."},
    "failed": {"en": "not written", "sv": "inte skriven"},
}


def _t(key: str, lang: str, **kw) -> str:
    return T[key][lang].format(**kw)


@click.group("privacy")
def command() -> None:
    """Privacy: make a publishable copy without location and personal metadata."""


@command.command("strip")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
              help="Where to write the copy (never the input file).")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@lang_option
def strip(path, output, force, fmt, lang):
    """Write a copy of PATH without GPS position, camera owner, serial numbers, names of the
    people shown and the creator's phone/e-mail/address. Creator, copyright, credit, licence
    and AI-disclosure fields are kept, and the pixels are not re-encoded. The copy is read back
    and verified before it is kept; the original is never changed.

    \b
    Examples:
      imagerights privacy strip photo.jpg -o photo-web.jpg
      imagerights privacy strip photo.png -o web/photo.png --force --format json
    """
    from imagerights.privacy import StripError, strip_file

    lang = lang or default_lang()
    try:
        report = strip_file(path, output, force=force)
    except StripError as exc:
        if fmt == "json":
            click.echo(json.dumps({"source": path, "output": output, "error": str(exc)}, ensure_ascii=False, indent=2))
        else:
            click.echo(f"imagerights: {path}: {exc} ({_t('failed', lang)})", err=True)
        sys.exit(EXIT_USAGE)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        sys.exit(EXIT_OK)
    click.echo(_t("written", lang, out=report.output))
    click.echo(f"{_t('removed', lang)}:")
    if report.removed:
        for item in report.removed:
            click.echo(f"  - {item}")
    else:
        click.echo(f"  ({_t('nothing', lang)})")
    if report.kept:
        click.echo(f"{_t('kept', lang)}:")
        for item in report.kept:
            click.echo(f"  + {item}")
    for note in report.notes:
        click.echo(f"{_t('notes', lang)}: {note}")
    click.echo(_t("verified", lang))
    click.echo(_t("original", lang))
    sys.exit(EXIT_OK)
