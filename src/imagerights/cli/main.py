"""``imagerights`` — the command group. Each sub-module exposes ``command`` (a click command or group)."""

from __future__ import annotations

import importlib
import sys

import click

from imagerights import __version__

# module name under imagerights.cli → registered command name(s) come from the command itself
SUBCOMMANDS = ("check", "attribute", "licenses", "rules", "registry", "audit", "logos", "privacy", "provenance")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="imagerights")
def cli() -> None:
    """May we publish this image? imagerights checks an image before it is posted: who made it,
    which licence, whether the planned use is allowed, what the credit line must say and what is risky.

    Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage error or unreadable input.
    """


for _name in SUBCOMMANDS:
    _mod = importlib.import_module(f"imagerights.cli.{_name}")
    _cmd = getattr(_mod, "command", None)
    if _cmd is not None:
        cli.add_command(_cmd)


def main() -> None:
    try:
        cli.main(prog_name="imagerights", standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover
        click.echo("interrupted", err=True)
        sys.exit(130)
