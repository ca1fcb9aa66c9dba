"""Registry administration: ``registry migrate``, ``registry copy``, ``registry prune-changes``.

Registered onto the ``imagerights registry`` group by :func:`register` (one line in
``cli/registry.py``). These are the commands an image-bank team runs when a department moves
from one person's SQLite file to one PostgreSQL registry (``docs/postgres.md``).

Every registry shown is the store's display URL: a password in the URL or in ``PGPASSWORD``
never reaches the terminal.
"""

from __future__ import annotations

import json
import sqlite3
import sys

import click

from imagerights.cli.common import EXIT_FINDINGS, EXIT_USAGE, registry_option

# ------------------------------------------------------------------------------ helpers


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def _sqlite_version(path) -> int | None:
    """The schema version of an existing SQLite registry file, read without changing it."""
    if not path.exists():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
            return int(row[0] or 0)
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def _describe(store) -> str:
    info = store.server_info() if hasattr(store, "server_info") else {"backend": "sqlite"}
    if info.get("backend") == "postgresql":
        v = int(info.get("server_version") or 0)
        return f"PostgreSQL {v // 10000}.{v % 10000}"
    return f"SQLite {sqlite3.sqlite_version}"


# ------------------------------------------------------------------------------ migrate


@click.command("migrate")
@registry_option
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def migrate_command(registry_url: str | None, as_json: bool) -> None:
    """Create or upgrade the registry's schema (idempotent: safe to run again and again).

    On PostgreSQL run it once per release with a role that may create tables; communicators'
    roles then only need SELECT (checking) or SELECT, INSERT, UPDATE, DELETE (importing).
    """
    from imagerights.registry.schema import LATEST
    from imagerights.registry.store import RegistryError, is_postgres, registry_url as resolve, sqlite_path

    url = resolve(registry_url)
    try:
        if is_postgres(url):
            from imagerights.registry.postgres import PostgresStore

            store = PostgresStore(url, migrate=None)
            before = store.schema_version()
        else:
            from imagerights.registry.store import open_store

            before = _sqlite_version(sqlite_path(url))
            store = open_store(url)
        with store:
            after = store.migrate()
            result = {"registry": store.url, "backend": _describe(store), "schema_before": before,
                      "schema": after, "latest": LATEST, "assets": store.count(), "generation": store.change_seq()}
    except RegistryError as exc:
        _fail(str(exc))
        return
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    if not before:
        what = f"created schema version {after}"
    elif before == after:
        what = f"schema version {after} is up to date"
    else:
        what = f"upgraded schema {before} → {after}"
    click.echo(f"{result['registry']} ({result['backend']}): {what}; "
               f"{result['assets']} assets, generation {result['generation']}")


# ------------------------------------------------------------------------------ copy


@click.command("copy")
@click.argument("source", metavar="SRC")
@click.argument("destination", metavar="DST")
@click.option("--merge", is_flag=True,
              help="Copy into a registry that already holds assets: skip identical ones, list clashes.")
@click.option("--json", "as_json", is_flag=True, help="Print the result (counts, checksums) as JSON.")
def copy_command(source: str, destination: str, merge: bool, as_json: bool) -> None:
    """Copy every asset and fingerprint from SRC to DST, then verify counts and checksums.

    SRC and DST are registry paths or URLs of any backend: a file path, sqlite:///path,
    postgresql://… or postgres://…. The source is read as one snapshot and only read; the
    destination is written in one transaction (all or nothing) and must be empty unless
    --merge. Exit 0 when the destination verifiably holds the source's records, 1 when the
    verification found a difference or --merge met clashes, 2 on errors.

    \b
    imagerights registry copy ~/.local/share/imagerights/registry.db postgresql://db.example/imagerights
    """
    from imagerights.registry.copy import copy_registry
    from imagerights.registry.store import RegistryError, open_store

    src = dst = None
    try:
        src = open_store(source, create=False, readonly=True)
        dst = open_store(destination)
        progress = None
        if sys.stderr.isatty():
            def progress(done: int, total: int) -> None:
                click.echo(f"\r{done}/{total} assets read", nl=False, err=True)
        result = copy_registry(src, dst, merge=merge, progress=progress,
                               reopen=lambda: open_store(destination, readonly=True))
        if progress:
            click.echo("", err=True)
    except RegistryError as exc:
        _fail(str(exc))
        return
    finally:
        for s in (src, dst):
            if s is not None:
                s.close()
    if as_json:
        click.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
    else:
        d, e = result.source_digest, result.destination_digest
        click.echo(f"copied {result.copied} assets from {result.source} to {result.destination} "
                   f"in {result.seconds:.1f} s" + (f" ({result.already_present} already there)" if merge else ""))
        click.echo(f"source:      {d.assets} assets, {d.fingerprints} fingerprints, checksum {d.checksum[:16]}")
        click.echo(f"destination: {e.assets} assets, {e.fingerprints} fingerprints, checksum {e.checksum[:16]}")
        for line in result.conflicts:
            click.echo(f"clash: {line}", err=True)
        for line in result.problems:
            click.echo(f"NOT VERIFIED: {line}", err=True)
        if result.verified and not result.conflicts:
            click.echo("verified: the destination holds every record of the source, byte for byte")
    if result.problems or result.conflicts:
        sys.exit(EXIT_FINDINGS)


# ------------------------------------------------------------------------------ prune-changes


@click.command("prune-changes")
@registry_option
@click.option("--older-than", "days", type=click.FloatRange(min=0), default=30.0, show_default=True,
              metavar="DAYS", help="Delete change-log entries older than this.")
def prune_changes_command(registry_url: str | None, days: float) -> None:
    """Shorten the change log that running matchers sync from (they reload if they fall behind)."""
    from imagerights.registry.changes import prune_changes
    from imagerights.registry.store import RegistryError, open_store

    try:
        with open_store(registry_url, create=False) as store:
            n = prune_changes(store, older_than_days=days)
            click.echo(f"{store.url}: removed {n} change-log entries older than {days:g} days")
    except RegistryError as exc:
        _fail(str(exc))


ADMIN_COMMANDS = (migrate_command, copy_command, prune_changes_command)


def register(group: click.Group) -> None:
    """Add the administration commands to the ``registry`` group."""
    for cmd in ADMIN_COMMANDS:
        if cmd.name not in group.commands:
            group.add_command(cmd)
