"""``imagerights attribute`` — the credit line for an image, from its metadata and/or flags."""

from __future__ import annotations

import json
import sys

import click

from imagerights.cli.common import EXIT_FINDINGS, EXIT_USAGE, default_lang, lang_option, policy_option

FORMATS = ("text", "html", "markdown", "social", "json")


@click.command("attribute")
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--title", default=None, help="Title of the work (wins over the file's metadata).")
@click.option("--author", default=None, help="Creator(s), ';'-separated (wins over the file's metadata).")
@click.option("--author-url", default=None, metavar="URL", help="Link for the creator's name (profile page).")
@click.option("--source", default=None, metavar="URL", help="Where the image came from (its page, e.g. on Flickr).")
@click.option("--license", "license_text", default=None, metavar="ID|URL|NAME",
              help="The image's licence: SPDX id, URL, name or flickr:N (wins over the file's metadata).")
@click.option("--changes", default=None, metavar="LIST",
              help="What you changed: crop,text,filter,composite,resize,ai_edit (resize needs no note).")
@click.option("--by", "changed_by", default=None, metavar="NAME",
              help="Who made the changes (default: the policy's organisation).")
@click.option("--photographer", default=None, help="Photographer, for stock and own images.")
@click.option("--publish-license", default=None, metavar="ID",
              help="Licence the organisation puts on its own image or on an adaptation (e.g. CC-BY-NC-ND-4.0).")
@click.option("--people", type=click.Choice(["yes", "no", "unknown"]), default="unknown", show_default=True,
              help="Identifiable people in the image (own images with people never get a CC licence).")
@click.option("--editorial", is_flag=True, help="Stock image used editorially (credit 'Colourbox.com / NN').")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@lang_option
@policy_option
def command(path, title, author, author_url, source, license_text, changes, changed_by, photographer,
            publish_license, people, editorial, fmt, lang, policy_path):
    """Print the credit line (TASL: title, author, source, licence) for an image.

    Reads the rights metadata of PATH, if given; flags win over what the file says.

    \b
    Examples:
      imagerights attribute photo.jpg --lang sv --format html
      imagerights attribute --title "Stortorget i snö" --author "Anna Andersson" \\
          --source https://www.flickr.com/photos/example/123 \\
          --license https://creativecommons.org/licenses/by-sa/4.0/deed.sv --changes crop,text --by "Malmö stad"
    """
    from imagerights.facts import Metadata
    from imagerights.licensing.attribution import credit_from_metadata, render_attribution
    from imagerights.licensing.catalogue import default_catalogue
    from imagerights.licensing.identify import identify, identify_from_metadata
    from imagerights.policy import load_policy
    from imagerights.use import parse_edits

    lang = lang or default_lang()
    catalogue = default_catalogue()
    try:
        policy = load_policy(policy_path)
    except (OSError, ValueError) as exc:
        raise click.BadParameter(str(exc), param_hint="--policy") from None
    try:
        edits = parse_edits(changes) if changes is not None else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--changes") from None
    pub = None
    if publish_license:
        pub = catalogue.get(publish_license)
        if pub is None:
            found = identify(publish_license, catalogue)
            pub = catalogue.get(found.id) if found else None
        if pub is None:
            raise click.BadParameter(f"unknown licence {publish_license!r}", param_hint="--publish-license")

    md = Metadata()
    if path:
        md = _read(path)
    license_, found_in, note = None, None, ""
    if license_text:
        found = identify(license_text, catalogue)
        if found is None:
            raise click.BadParameter(f"licence not recognised: {license_text!r} (see 'imagerights licenses list')",
                                     param_hint="--license")
        license_, found_in, note = catalogue.get(found.id), "flag", (found.note_sv if lang == "sv" else found.note)
    else:
        match = identify_from_metadata(md, catalogue)
        if match is not None:
            license_, found_in, note = catalogue.get(match.id), match.found_in, match.note

    if author:
        author = ", ".join(a.strip() for a in author.split(";") if a.strip())
    credit = credit_from_metadata(
        md, license_, policy, catalogue=catalogue, title=title, author=author, author_url=author_url, source=source,
        changes=edits, by=changed_by, photographer=photographer, publish_license=pub, people=people,
        editorial=editorial or None)
    if credit is None:
        click.echo("imagerights: nothing to credit: no title, creator, source or licence found "
                   "(give --author, --title, --source or --license)", err=True)
        sys.exit(EXIT_FINDINGS)
    out = render_attribution(credit, lang, policy)
    if fmt == "json":
        click.echo(json.dumps({
            "schema": "imagerights.attribution/1",
            "path": path,
            "lang": lang,
            "license": ({"id": license_.id, "name": license_.names.short, "kind": license_.kind,
                         "url": license_.deed(lang) if license_.is_cc else license_.canonical_url,
                         "found_in": found_in, "note": note} if license_ else None),
            "credit": credit.to_dict(),
            "attribution": out,
        }, ensure_ascii=False, indent=2))
        return
    if note:
        click.echo(f"imagerights: {note}", err=True)
    click.echo(out[fmt])


def _read(path: str):
    from imagerights.imaging import open_source
    from imagerights.metadata import read_metadata

    try:
        return read_metadata(open_source(path))
    except OSError as exc:
        click.echo(f"imagerights: cannot read {path}: {exc.strerror or exc}", err=True)
    except Exception as exc:  # noqa: BLE001 - ImageError and friends: a clear message, exit 2
        click.echo(f"imagerights: cannot read {path}: {exc}", err=True)
    sys.exit(EXIT_USAGE)
