"""``imagerights`` — the command group. Each sub-module exposes ``command`` (a click command or group)."""

from __future__ import annotations

import importlib
import sys

import click

from imagerights import __version__

# command name → module under imagerights.cli exposing ``command``. Loaded when used: a run
# imports only its own command's module (and ``--help`` lists them all).
SUBCOMMANDS = ("check", "attribute", "licenses", "rules", "registry", "audit", "logos", "privacy", "provenance")


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(SUBCOMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in SUBCOMMANDS:
            cmd = getattr(importlib.import_module(f"imagerights.cli.{name}"), "command", None)
            if cmd is not None:
                self.add_command(cmd, name)
        return self.commands.get(name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="imagerights")
def cli() -> None:
    """May we publish this image? imagerights checks an image before it is posted: who made it,
    which licence, whether the planned use is allowed, what the credit line must say and what is risky.

    Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage error or unreadable input.
    """


def main() -> None:
    try:
        cli.main(prog_name="imagerights", standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover
        click.echo("interrupted", err=True)
        sys.exit(130)
