"""The registry schema, written once for every SQL backend.

Each :class:`Migration` is a list of portable SQL statements with type placeholders
(``{TEXT}``, ``{INT}``, ``{BIGINT}``, ``{BLOB}``) that a :class:`Dialect` fills in; queries
use ``?`` parameters, which the dialect rewrites (``%s`` for psycopg). Keep to the SQL both
SQLite ≥3.35 and PostgreSQL ≥13 accept: no AUTOINCREMENT/SERIAL (ids are text chosen by the
application), booleans as ``{INT}`` 0/1, dates and timestamps as ISO-8601 ``{TEXT}``, lists
as JSON ``{TEXT}``, ``CREATE … IF NOT EXISTS``, ``ON DELETE CASCADE``.

Adding a migration: append ``Migration(n+1, "what and why", (...))``; never edit an applied
one. A store refuses to open a database whose version is newer than :data:`LATEST`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dialect:
    """How one SQL engine spells the placeholders of :data:`MIGRATIONS` and of queries."""

    name: str
    types: dict[str, str]
    param: str = "?"

    def ddl(self, statement: str) -> str:
        return statement.format(**self.types)

    def q(self, query: str) -> str:
        """A query written with ``?`` parameters, in this dialect's parameter style."""
        return query if self.param == "?" else query.replace("?", self.param)


SQLITE = Dialect("sqlite", {"TEXT": "TEXT", "INT": "INTEGER", "BIGINT": "INTEGER", "BLOB": "BLOB"})
POSTGRES = Dialect("postgresql", {"TEXT": "TEXT", "INT": "INTEGER", "BIGINT": "BIGINT", "BLOB": "BYTEA"}, "%s")


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


MIGRATIONS_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version {INT} PRIMARY KEY,
    description {TEXT} NOT NULL,
    applied_at {TEXT} NOT NULL
)"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "assets and their fingerprints", (
        """
        CREATE TABLE IF NOT EXISTS assets (
            asset_id {TEXT} PRIMARY KEY,
            sha256 {TEXT} NOT NULL UNIQUE,
            title {TEXT} NOT NULL DEFAULT '',
            creators {TEXT} NOT NULL DEFAULT '[]',
            source_url {TEXT},
            license_id {TEXT},
            expires {TEXT},
            channels {TEXT} NOT NULL DEFAULT '[]',
            editorial_only {INT} NOT NULL DEFAULT 0 CHECK (editorial_only IN (0, 1)),
            consent {TEXT} NOT NULL DEFAULT 'none'
                CHECK (consent IN ('none', 'oral', 'written', 'model-release', 'not-needed')),
            consent_ref {TEXT},
            people_present {INT} CHECK (people_present IS NULL OR people_present IN (0, 1)),
            status {TEXT} NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'do-not-use')),
            notes {TEXT} NOT NULL DEFAULT '',
            file_name {TEXT} NOT NULL DEFAULT '',
            size {BIGINT},
            width {INT},
            height {INT},
            added_at {TEXT} NOT NULL,
            added_by {TEXT} NOT NULL DEFAULT '',
            updated_at {TEXT}
        )""",
        """
        CREATE TABLE IF NOT EXISTS fingerprints (
            asset_id {TEXT} PRIMARY KEY REFERENCES assets (asset_id) ON DELETE CASCADE,
            algo {INT} NOT NULL,
            index_key {BLOB} NOT NULL,
            hashes {BLOB} NOT NULL,
            features {BLOB},
            thumb {BLOB}
        )""",
        "CREATE INDEX IF NOT EXISTS assets_license_idx ON assets (license_id)",
        "CREATE INDEX IF NOT EXISTS assets_status_idx ON assets (status)",
        "CREATE INDEX IF NOT EXISTS fingerprints_algo_idx ON fingerprints (algo)",
        # generation: bumped by every write, so a cached in-memory index knows it is stale
        """
        CREATE TABLE IF NOT EXISTS registry_state (
            key {TEXT} PRIMARY KEY,
            value {TEXT} NOT NULL
        )""",
        "INSERT INTO registry_state (key, value) VALUES ('generation', '0')",
    )),
    Migration(2, "change log: which assets each write transaction touched, for incremental index sync", (
        # One row per asset a committed write transaction added, updated, re-fingerprinted or
        # removed. ``seq`` is the registry's generation after that transaction; writers assign
        # it in commit order, so a reader that remembers the highest seq it has seen can fetch
        # just what changed since (instead of reloading 10^6 index rows per query).
        """
        CREATE TABLE IF NOT EXISTS registry_changes (
            seq {BIGINT} NOT NULL,
            asset_id {TEXT} NOT NULL,
            op {TEXT} NOT NULL,
            changed_at {TEXT} NOT NULL,
            PRIMARY KEY (seq, asset_id)
        )""",
        # Changes up to this seq are not (or no longer) logged: a reader older than it reloads.
        "INSERT INTO registry_state (key, value) SELECT 'changes_floor', value FROM registry_state "
        "WHERE key = 'generation'",
    )),
)

LATEST = MIGRATIONS[-1].version

# Column order of the assets table as the SQL backends read and write it.
ASSET_COLUMNS = (
    "asset_id", "sha256", "title", "creators", "source_url", "license_id", "expires", "channels",
    "editorial_only", "consent", "consent_ref", "people_present", "status", "notes", "file_name",
    "size", "width", "height", "added_at", "added_by", "updated_at",
)
