"""``imagerights rules`` — every rule code, its severity, what it checks and what it cites."""

from __future__ import annotations

import json

import click

from imagerights.cli.common import default_lang, lang_option


@click.command("rules")
@click.argument("codes", nargs=-1)
@lang_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def command(codes, lang, fmt):
    """List the rules (stable codes, like a linter's). Give CODES or prefixes to filter."""
    from imagerights.rules import RULES

    lang = lang or default_lang()
    chosen = [r for c, r in sorted(RULES.items()) if not codes or any(c.startswith(x.upper()) for x in codes)]
    if fmt == "json":
        click.echo(json.dumps([{"code": r.code, "name": r.name, "family": r.family, "severity": r.severity.label,
                                "summary": {"en": r.summary.en, "sv": r.summary.sv},
                                "citation": r.citation.to_dict()} for r in chosen], ensure_ascii=False, indent=2))
        return
    for r in chosen:
        click.echo(f"{r.code}  {r.severity.label:<7}  {r.name}")
        click.echo(f"        {r.summary.get(lang)}")
        click.echo(f"        {r.citation.text}" + (f" <{r.citation.url}>" if r.citation.url else ""))
