"""The PostgreSQL registry store: same contract as SQLite (each test runs on both backends),
URL selection, PG* settings, migrations from one definition, read-only roles, and no password
in any output."""

from __future__ import annotations

import traceback

import pytest
from pg_server import PASSWORD, PASSWORD_USER, backend_url, pg_server, pg_url, synthetic_record  # noqa: F401

from imagerights.registry.schema import LATEST, MIGRATIONS, MIGRATIONS_TABLE, POSTGRES, SQLITE
from imagerights.registry.store import (
    DuplicateAsset,
    Fingerprint,
    RegistryError,
    UnknownAsset,
    open_store,
)
from imagerights.registry.urls import MASK, parse_pg_url, redact

pytestmark = pytest.mark.postgres


def dbname(url: str) -> str:
    return url.split("/")[3].split("?")[0]


# ------------------------------------------------------------------ backend selection
def test_url_scheme_selects_backend(pg_url, tmp_path):
    from imagerights.registry.postgres import PostgresStore
    from imagerights.registry.sqlite import SQLiteStore

    with open_store(pg_url) as s:
        assert isinstance(s, PostgresStore)
    with open_store(pg_url.replace("postgresql://", "postgres://", 1)) as s:
        assert isinstance(s, PostgresStore)
    with open_store(f"sqlite:///{tmp_path}/a.db") as s:
        assert isinstance(s, SQLiteStore)
    with open_store(str(tmp_path / "b.db")) as s:
        assert isinstance(s, SQLiteStore)


def test_environment_variable_selects_postgres(pg_url, monkeypatch):
    from imagerights.registry.postgres import PostgresStore

    monkeypatch.setenv("IMAGERIGHTS_REGISTRY", pg_url)
    with open_store() as s:
        assert isinstance(s, PostgresStore)
        assert s.schema_version() == LATEST


def test_connection_settings_from_pg_environment(pg_server, pg_url, monkeypatch):
    """What the URL leaves out comes from libpq's PG* variables."""
    monkeypatch.setenv("PGHOST", str(pg_server.socket_dir))
    monkeypatch.setenv("PGPORT", str(pg_server.port))
    monkeypatch.setenv("PGUSER", pg_server.superuser)
    monkeypatch.setenv("PGDATABASE", dbname(pg_url))
    with open_store("postgresql://") as s:
        assert s.server_info()["dbname"] == dbname(pg_url)
        assert s.schema_version() == LATEST
    monkeypatch.delenv("PGDATABASE")
    with open_store(f"postgresql:///{dbname(pg_url)}") as s:
        assert s.server_info()["host"] == str(pg_server.socket_dir)


# ------------------------------------------------------------------ the store contract, both backends
def test_add_get_find_resolve(backend_url):
    with open_store(backend_url) as s:
        a, fp = synthetic_record(1)
        s.add(a, fp)
        assert s.get(a.asset_id) == a
        assert s.find_sha256(a.sha256.upper().lower()) == a
        assert s.resolve("asset-0000") == a.asset_id
        assert s.fingerprint(a.asset_id) == fp
        assert s.count() == 1
        with pytest.raises(UnknownAsset):
            s.resolve("nope")


def test_every_field_round_trips(backend_url):
    with open_store(backend_url) as s:
        records = [synthetic_record(i) for i in range(12)]
        with s.transaction():
            for a, fp in records:
                s.add(a, fp)
    with open_store(backend_url) as s:
        for a, fp in records:
            assert s.get(a.asset_id).to_dict() == a.to_dict()
            assert s.fingerprint(a.asset_id) == fp
        fps = s.fingerprints([a.asset_id for a, _ in records] + ["missing"])
        assert fps == {a.asset_id: fp for a, fp in records}
        assert [x for x, _ in s.index_rows(1)] == sorted(a.asset_id for a, _ in records)
        assert dict(s.index_rows(1)) == {a.asset_id: fp.index_key for a, fp in records}
        assert {a.asset_id for a in s.assets(status="do-not-use")} == {"asset-000000", "asset-000007"}
        assert {a.asset_id for a in s.assets(license_id="CC-BY-SA-4.0")} == {a.asset_id for a, _ in records[1::2]}


def test_duplicates_are_refused(backend_url):
    with open_store(backend_url) as s:
        a, fp = synthetic_record(1)
        s.add(a, fp)
        same_file = a.with_changes(asset_id="other-id")
        with pytest.raises(DuplicateAsset) as exc:
            s.add(same_file, fp)
        assert exc.value.existing_id == a.asset_id
        b, fpb = synthetic_record(2)
        with pytest.raises(DuplicateAsset):
            s.add(b.with_changes(asset_id=a.asset_id), fpb)
        assert s.count() == 1


def test_duplicate_inside_an_import_transaction_does_not_abort_it(backend_url):
    """A caught DuplicateAsset undoes only its own add (a savepoint): PostgreSQL would otherwise
    refuse every later statement of the transaction."""
    with open_store(backend_url) as s:
        first, fp = synthetic_record(0)
        s.add(first, fp)
        dups = 0
        with s.transaction():
            for i in range(5):
                a, f = synthetic_record(i)
                try:
                    s.add(a, f)
                except DuplicateAsset:
                    dups += 1
        assert dups == 1 and s.count() == 5


def test_transaction_rolls_back_everything(backend_url):
    with open_store(backend_url) as s:
        seq = s.change_seq()
        with pytest.raises(KeyboardInterrupt):
            with s.transaction():
                for i in range(3):
                    s.add(*synthetic_record(i))
                raise KeyboardInterrupt
        assert s.count() == 0
        assert s.change_seq() == seq
        s.add(*synthetic_record(9))  # the connection is usable afterwards
        assert s.count() == 1


def test_nested_block_rolls_back_alone(backend_url):
    with open_store(backend_url) as s:
        with s.transaction():
            s.add(*synthetic_record(1))
            with pytest.raises(RuntimeError):
                with s.transaction():
                    s.add(*synthetic_record(2))
                    raise RuntimeError("one file failed")
            s.add(*synthetic_record(3))
        assert sorted(a.asset_id for a in s.assets()) == ["asset-000001", "asset-000003"]
        assert s.index_changes(1, 0).changed == ["asset-000001", "asset-000003"]


def test_update_set_fingerprint_remove(backend_url):
    with open_store(backend_url) as s:
        a, fp = synthetic_record(1)
        s.add(a, fp)
        new = s.update(a.asset_id, title="Ny titel", status="do-not-use", expires="2030-01-01")
        assert s.get(a.asset_id) == new and new.updated_at
        with pytest.raises(RegistryError):
            s.update(a.asset_id, sha256="0" * 64)
        fp2 = Fingerprint(2, b"k" * 40, b"h" * 224)
        s.set_fingerprint(a.asset_id, fp2)
        assert s.fingerprint(a.asset_id) == fp2
        assert s.stale_fingerprints(1) == [a.asset_id] and s.stale_fingerprints(2) == []
        assert s.remove(a.asset_id) is True
        assert s.remove(a.asset_id) is False
        assert s.count() == 0 and s.fingerprint(a.asset_id) is None


def test_read_only_store_refuses_writes(backend_url):
    open_store(backend_url).close()
    with open_store(backend_url, readonly=True) as s:
        assert s.count() == 0
        with pytest.raises(RegistryError, match="read-only"):
            s.add(*synthetic_record(1))


# ------------------------------------------------------------------ migrations
def _create_at_version_1(url: str, tmp_path) -> None:
    """A registry as the first release wrote it (only migration 1 applied)."""
    stmts = [MIGRATIONS_TABLE, *MIGRATIONS[0].statements]
    record = ("INSERT INTO schema_migrations (version, description, applied_at) "
              "VALUES (1, 'assets and their fingerprints', '2026-01-01T00:00:00+00:00')")
    if url.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            for st in stmts:
                conn.execute(POSTGRES.ddl(st))
            conn.execute(record)
            conn.execute("INSERT INTO assets (asset_id, sha256, added_at) VALUES ('old', %s, 'x')", ("a" * 64,))
            conn.execute("UPDATE registry_state SET value = '7' WHERE key = 'generation'")
    else:
        import sqlite3

        conn = sqlite3.connect(url)
        for st in stmts:
            conn.execute(SQLITE.ddl(st))
        conn.execute(record)
        conn.execute("INSERT INTO assets (asset_id, sha256, added_at) VALUES ('old', ?, 'x')", ("a" * 64,))
        conn.execute("UPDATE registry_state SET value = '7' WHERE key = 'generation'")
        conn.commit()
        conn.close()


def test_upgrade_from_version_1_keeps_data(backend_url, tmp_path):
    _create_at_version_1(backend_url, tmp_path)
    with open_store(backend_url) as s:
        assert s.schema_version() == LATEST
        assert s.get("old") is not None
        assert s.change_seq() == 7
        # the change log starts at the upgrade: an index loaded before it must reload
        assert s.index_changes(1, 3) is None
        s.add(*synthetic_record(1))
        assert s.index_changes(1, 7).changed == ["asset-000001"]


def test_migrate_is_idempotent_and_refuses_newer_schema(pg_url):
    from imagerights.registry.postgres import PostgresStore

    with open_store(pg_url) as s:
        assert s.migrate() == LATEST
        assert s.migrate() == LATEST
        rows = s._exec("SELECT version FROM schema_migrations ORDER BY version").fetchall()
        assert [r[0] for r in rows] == [m.version for m in MIGRATIONS]
        s._exec("INSERT INTO schema_migrations VALUES (?, 'from the future', 'x')", (LATEST + 1,))
    with pytest.raises(RegistryError, match="newer than this imagerights"):
        open_store(pg_url)
    with pytest.raises(RegistryError, match="newer"):
        PostgresStore(pg_url, readonly=True)


def test_read_only_open_of_an_unmigrated_database_says_migrate(pg_url):
    with pytest.raises(RegistryError, match="registry migrate"):
        open_store(pg_url, readonly=True)


# ------------------------------------------------------------------ roles and privileges
def _grant(pg_server, url: str, privileges: str) -> str:
    with pg_server.admin_db(dbname(url)) as conn:
        conn.execute(f"GRANT {privileges} ON ALL TABLES IN SCHEMA public TO {PASSWORD_USER}")
    return pg_server.url(dbname(url), user=PASSWORD_USER, password=PASSWORD)


def test_reader_role_can_check_but_not_write(pg_server, pg_url):
    with open_store(pg_url) as s:
        s.add(*synthetic_record(1))
    reader = _grant(pg_server, pg_url, "SELECT")
    with open_store(reader, readonly=True) as s:
        assert s.count() == 1 and list(s.index_rows(1))
    with open_store(reader) as s:
        with pytest.raises(RegistryError) as exc:
            s.add(*synthetic_record(2))
    assert "permission denied" in str(exc.value) and PASSWORD not in str(exc.value)


def test_writer_role_can_import(pg_server, pg_url):
    open_store(pg_url).close()
    writer = _grant(pg_server, pg_url, "SELECT, INSERT, UPDATE, DELETE")
    with open_store(writer) as s:
        s.add(*synthetic_record(1))
        s.remove("asset-000001")


# ------------------------------------------------------------------ credentials never shown
def _all_text(exc: BaseException) -> str:
    """Everything a traceback would print about ``exc`` and the exceptions chained to it
    (messages, not the source lines of this test file), plus its repr and args."""
    parts, seen, e = [], set(), exc
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        parts += traceback.format_exception_only(e) + [repr(e), repr(e.args)]
        e = e.__cause__ or (None if e.__suppress_context__ else e.__context__)
    return "".join(parts)


def test_password_is_not_in_url_repr_or_token(pg_server, pg_url):
    open_store(pg_url).close()
    url = _grant(pg_server, pg_url, "SELECT, INSERT, UPDATE, DELETE")
    assert PASSWORD in url
    with open_store(url) as s:
        for text in (s.url, repr(s), s.changed_token(), str(s.server_info()), repr(s.target)):
            assert PASSWORD not in text
        assert f"{PASSWORD_USER}:{MASK}@" in s.url


@pytest.mark.parametrize("breakage", ["wrong password", "no database", "no server"])
def test_password_is_not_in_connection_errors(pg_server, pg_url, breakage):
    url = pg_server.url(dbname(pg_url), user=PASSWORD_USER, password=PASSWORD)
    bad = {"wrong password": url.replace(PASSWORD, PASSWORD + "x"),
           "no database": url.replace(dbname(pg_url), "no_such_db"),
           "no server": url.replace(f"port={pg_server.port}", "port=1")}[breakage]
    with pytest.raises(RegistryError) as exc:
        open_store(bad)
    text = _all_text(exc.value)
    assert PASSWORD not in text and "cannot connect" in text
    assert MASK in text


def test_password_from_environment_is_scrubbed(pg_server, pg_url, monkeypatch):
    """A driver message that echoed $PGPASSWORD would still not show it."""
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    target = parse_pg_url(pg_server.url(dbname(pg_url), user=PASSWORD_USER))
    assert PASSWORD not in target.scrub(f"FATAL: something about {PASSWORD} went wrong")
    with open_store(pg_server.url(dbname(pg_url), user=PASSWORD_USER)) as s:  # authenticates via PGPASSWORD
        assert s.schema_version() == LATEST


def test_password_is_not_in_errors_of_a_running_store(pg_server, pg_url):
    open_store(pg_url).close()
    url = _grant(pg_server, pg_url, "SELECT")
    with open_store(url, readonly=True) as s:
        with pg_server.admin() as admin:  # the server ends our session: a mid-use failure
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s",
                          (PASSWORD_USER,))
        with pytest.raises(RegistryError) as exc:
            s.count()
    assert PASSWORD not in _all_text(exc.value)


@pytest.mark.parametrize("url", [
    "postgresql://user:hunter2secret@db.example/imagerights",
    "postgres://user:hunter2secret@db.example:5433/imagerights?sslmode=require",
    "postgresql://db.example/imagerights?user=u&password=hunter2secret",
    "postgresql://user:hunter2%40secret@db.example/imagerights",
])
def test_display_form_hides_the_password(url):
    target = parse_pg_url(url)
    assert "hunter2" not in target.display and "hunter2" not in repr(target)
    assert MASK in target.display
    assert "db.example" in target.display and "imagerights" in target.display
    assert "hunter2" not in redact(f"error at {url}: boom")


def test_unparsable_url_error_hides_the_password():
    with pytest.raises(RegistryError) as exc:
        parse_pg_url("postgresql://user:hunter2secret@bad host/db")
    assert "hunter2" not in _all_text(exc.value)


def test_outdated_schema_with_a_writer_role_points_at_migrate(pg_server, pg_url, tmp_path):
    """After an upgrade, a role that may not create tables gets told who must migrate."""
    _create_at_version_1(pg_url, tmp_path)
    with pg_server.admin_db(dbname(pg_url)) as conn:
        conn.execute(f"REVOKE CREATE ON SCHEMA public FROM {PASSWORD_USER}")
        # docs/postgres.md's recipe: tables the owner creates later are writable too
        conn.execute(f"ALTER DEFAULT PRIVILEGES FOR ROLE {pg_server.superuser} IN SCHEMA public "
                     f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {PASSWORD_USER}")
    writer = _grant(pg_server, pg_url, "SELECT, INSERT, UPDATE, DELETE")
    with pytest.raises(RegistryError) as exc:
        open_store(writer)
    assert "permission denied" in str(exc.value) and "registry migrate" in str(exc.value)
    with pytest.raises(RegistryError, match="run `imagerights registry migrate`"):
        open_store(writer, readonly=True)
    with open_store(pg_url) as owner:  # the owner migrates; then the writer works
        assert owner.schema_version() == LATEST
    with open_store(writer) as s:
        s.add(*synthetic_record(1))


def test_writer_waiting_too_long_gets_a_clear_message(pg_url, monkeypatch):
    monkeypatch.setenv("PGOPTIONS", "-c lock_timeout=300ms")
    holder = open_store(pg_url)
    waiter = open_store(pg_url)
    with holder.transaction():
        holder.add(*synthetic_record(1))
        with pytest.raises(RegistryError, match="locked for writing"):
            waiter.add(*synthetic_record(2))
    waiter.add(*synthetic_record(2))  # the waiter's connection is fine afterwards
    assert waiter.count() == 2


@pytest.mark.parametrize("url", [
    "postgresq://user:hunter2secret@db.example/x",       # a typo in the scheme
    "mysql://user:hunter2secret@db.example/x",           # an unsupported backend
])
def test_unsupported_url_error_hides_the_password(url):
    with pytest.raises(RegistryError) as exc:
        open_store(url)
    assert "hunter2" not in _all_text(exc.value) and "unsupported registry URL" in str(exc.value)


@pytest.mark.parametrize("text", [
    "postgresql://u:hunter2@secret@db/x",   # unencoded @ in the password
    "postgresql://u:hunter2/secret@db/x",   # unencoded / in the password
])
def test_redact_handles_unencoded_characters(text):
    assert "hunter2" not in redact(text) and "secret" not in redact(text)
