"""Options and helpers shared by several commands (language, output, exit codes)."""

from __future__ import annotations

import locale
import os
import sys

import click

from imagerights.findings import Severity

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
FAIL_ON = ("error", "warning", "info", "never")


def default_lang() -> str:
    """Swedish when the environment's locale is Swedish, English otherwise."""
    for var in ("IMAGERIGHTS_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value:
            return "sv" if value.lower().startswith("sv") else "en"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "sv" if loc.lower().startswith("sv") else "en"


lang_option = click.option(
    "--lang", type=click.Choice(["sv", "en"]), default=None,
    help="Language of messages and credit lines (default: from the locale, English otherwise).",
)

fail_on_option = click.option(
    "--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True,
    help="Exit 1 when a finding is at or above this severity (or blocking by policy).",
)

policy_option = click.option(
    "--policy", "policy_path", type=click.Path(dir_okay=False, exists=True), default=None,
    help="The organisation's policy (TOML). Default: $IMAGERIGHTS_POLICY or Malmö stad's handbook.",
)

registry_option = click.option(
    "--registry", "registry_url", default=None, metavar="PATH|URL",
    help="Registry: SQLite file path or postgresql:// URL (default: $IMAGERIGHTS_REGISTRY, "
         "else registry.db in the user's data directory).",
)


def fail_threshold(fail_on: str) -> Severity | None:
    return None if fail_on == "never" else Severity.parse(fail_on)


def split_codes(values: tuple[str, ...] | None) -> list[str]:
    out: list[str] = []
    for v in values or ():
        out += [c.strip().upper() for c in v.split(",") if c.strip()]
    return out


def is_tty(stream=None) -> bool:
    stream = stream or sys.stdout
    return hasattr(stream, "isatty") and stream.isatty()


def use_options(fn):
    """The intended-use flags shared by ``check`` and ``audit``."""
    from imagerights.use import ACCOUNTS, PEOPLE, USES

    options = [
        click.option("--use", "use_", type=click.Choice(USES), default="informational", show_default=True,
                     help="Purpose of the post: informational, or advertising (marketing, sales, tickets)."),
        click.option("--account", type=click.Choice(ACCOUNTS), default="city", show_default=True,
                     help="Who publishes: the city, or a municipal company (all its communication counts as advertising)."),
        click.option("--edits", default="", metavar="LIST",
                     help="Planned edits, comma-separated: crop,text,filter,composite,resize,ai_edit."),
        click.option("--publish-license", default=None, metavar="ID",
                     help="Licence the post will carry (e.g. the account's CC-BY-NC-ND-4.0)."),
        click.option("--channel", default=None, metavar="NAME", help="Channel, e.g. facebook, instagram, web."),
        click.option("--people", type=click.Choice(PEOPLE), default="unknown", show_default=True,
                     help="Are identifiable people shown? Overrides face detection."),
        click.option("--select", multiple=True, metavar="CODES", help="Only these rule codes or prefixes (e.g. LIC,PPL010)."),
        click.option("--ignore", multiple=True, metavar="CODES", help="Never report these rule codes or prefixes."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def build_use(use_: str, account: str, edits: str, publish_license: str | None, channel: str | None,
              people: str):
    """Turn the flags into an :class:`IntendedUse`; bad values are usage errors (exit 2)."""
    from imagerights.use import IntendedUse, parse_edits

    try:
        parsed = parse_edits(edits)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--edits") from None
    return IntendedUse(use=use_, account=account, edits=parsed, publish_license=publish_license,
                       channel=channel.lower() if channel else None, people=people)
