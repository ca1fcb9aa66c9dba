"""``imagerights check`` — one or more images before posting: verdict, findings, credit line."""

from __future__ import annotations

import sys

import click

from imagerights.cli.common import (
    EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, build_use, fail_on_option, fail_threshold, is_tty, lang_option,
    policy_option, registry_option, split_codes, use_options, default_lang,
)


@click.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@use_options
@lang_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@fail_on_option
@policy_option
@registry_option
@click.option("--no-registry", is_flag=True, help="Do not match against the registry.")
@click.option("--no-logos", is_flag=True, help="Do not look for platform logos.")
@click.option("--no-faces", is_flag=True, help="Do not detect faces (use --people instead).")
@click.option("--title", default=None, help="Title of the work (wins over the file's metadata).")
@click.option("--author", default=None, help="Creator(s), ';'-separated (wins over the file's metadata).")
@click.option("--source", default=None, metavar="URL", help="Where the image came from (wins over metadata).")
@click.option("--license", "license_text", default=None, metavar="ID|URL|NAME",
              help="The image's licence, if the file does not say (wins over metadata).")
@click.option("--credit", default=None, metavar="TEXT", help="The credit line you plan to use: check it.")
def command(paths, use_, account, edits, publish_license, channel, people, select, ignore, lang, fmt, fail_on,
            policy_path, registry_url, no_registry, no_logos, no_faces, title, author, source, license_text, credit):
    """Check images before posting: may we publish them, and with which credit line?

    \b
    Examples:
      imagerights check photo.jpg
      imagerights check photo.jpg --use advertising --account company --edits crop,text
      imagerights check a.jpg b.png --format json
    """
    from dataclasses import replace

    from imagerights.analyse import AnalyseOptions, analyse, apply_flags
    from imagerights.evaluate import evaluate
    from imagerights.licensing.catalogue import default_catalogue
    from imagerights.policy import load_policy
    from imagerights.render import json as render_json
    from imagerights.render import text as render_text

    lang = lang or default_lang()
    use = replace(build_use(use_, account, edits, publish_license, channel, people), credit=credit)
    catalogue = default_catalogue()
    if use.publish_license and catalogue.get(use.publish_license) is None:
        raise click.BadParameter(f"unknown licence id {use.publish_license!r}", param_hint="--publish-license")
    try:
        policy = load_policy(policy_path)
    except (OSError, ValueError) as exc:
        raise click.BadParameter(str(exc), param_hint="--policy") from None
    matcher = None
    if not no_registry:
        matcher = _open_matcher(registry_url)
    options = AnalyseOptions(matcher=matcher, logos=not no_logos, faces=not no_faces)
    results = []
    for path in paths:
        facts = analyse(path, options)
        try:
            apply_flags(facts, title=title, author=author, source=source, license_text=license_text, catalogue=catalogue)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--license") from None
        results.append(evaluate(facts, use, policy, catalogue, lang=lang,
                                select=split_codes(select), ignore=split_codes(ignore)))
    if fmt == "json":
        click.echo(render_json.dumps(render_json.check_document(results, lang, use.to_dict())))
    else:
        click.echo(render_text.render_results(results, lang, color=is_tty()))
    sys.exit(exit_code(results, fail_on))


def _open_matcher(registry_url):
    try:
        from imagerights.registry import open_matcher
    except ImportError:  # registry support not installed in this build
        return None
    try:
        return open_matcher(registry_url)
    except Exception as exc:  # noqa: BLE001 - a broken registry must not stop a check; say so
        click.echo(f"imagerights: registry not used: {exc}", err=True)
        return None


def exit_code(results, fail_on: str) -> int:
    if any(e.stage in ("open", "decode", "bomb") for r in results for e in r.facts.errors):
        return EXIT_USAGE
    threshold = fail_threshold(fail_on)
    if threshold is not None and any(r.at_or_above(threshold) for r in results):
        return EXIT_FINDINGS
    return EXIT_OK
