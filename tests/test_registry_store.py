"""The SQLite registry store: schema, records, duplicates, transactions, location."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3

import pytest

from imagerights.registry.schema import LATEST, MIGRATIONS, POSTGRES, SQLITE
from imagerights.registry.store import (
    Asset,
    DuplicateAsset,
    Fingerprint,
    RegistryError,
    UnknownAsset,
    default_registry_path,
    open_store,
)


def _asset(n: int, **kw) -> Asset:
    sha = hashlib.sha256(f"file {n}".encode()).hexdigest()
    return Asset(asset_id=kw.pop("asset_id", sha[:12]), sha256=sha, **kw)


def _fp(n: int = 0) -> Fingerprint:
    return Fingerprint(1, bytes([n]) * 24, b"h" * 256, b"ORB1features", b"thumb")


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "reg.db")
    yield s
    s.close()


def test_fresh_store_is_migrated_to_latest(store):
    assert store.schema_version() == LATEST
    assert store.count() == 0


def test_every_field_round_trips(store):
    a = _asset(1, title="Stadsfest", creators=["Anna Andersson", "Andersson, Bo"],
               source_url="https://flickr.com/photos/x/1", license_id="CC-BY-SA-4.0",
               expires="2027-03-31", channels=["Facebook", "web"], editorial_only=True,
               consent="written", consent_ref="Dnr KS-2024-17", people_present=True, status="active",
               notes="Från Flickr", file_name="a.jpg", size=123, width=30, height=20, added_by="anna")
    store.add(a, _fp(1))
    got = store.get(a.asset_id)
    assert got.to_dict() | {"added_at": ""} == a.to_dict() | {"added_at": ""}
    assert got.expires == dt.date(2027, 3, 31)
    assert got.channels == ["facebook", "web"]  # normalised to lower case
    assert got.people_present is True and got.editorial_only is True
    assert got.added_at  # stamped on add
    fp = store.fingerprint(a.asset_id)
    assert fp.index_key == bytes([1]) * 24 and fp.features == b"ORB1features" and fp.thumb == b"thumb"


def test_same_file_twice_is_one_asset(store):
    store.add(_asset(1), _fp())
    with pytest.raises(DuplicateAsset) as exc:
        store.add(_asset(1, asset_id="other-id"), _fp())
    assert exc.value.existing_id == _asset(1).asset_id
    assert store.count() == 1


def test_an_id_names_one_file(store):
    store.add(_asset(1, asset_id="colourbox-4711"), _fp())
    with pytest.raises(DuplicateAsset):
        store.add(_asset(2, asset_id="colourbox-4711"), _fp())


@pytest.mark.parametrize("field, value, says", [("consent", "maybe", "consent"), ("status", "gone", "status"),
                                                ("expires", "31/03/2027", "ISO date"),
                                                ("asset_id", "has space", "asset id")])
def test_bad_values_are_refused_with_a_clear_error(field, value, says):
    with pytest.raises(RegistryError, match=says):
        _asset(1, **{field: value})


def test_consent_vocabulary_accepts_spoken_forms():
    assert _asset(1, consent="Model release").consent == "model-release"
    assert _asset(1, consent="not_needed").consent == "not-needed"


def test_update_resolve_remove(store):
    a = _asset(1, asset_id="colourbox-4711")
    store.add(a, _fp())
    assert store.resolve("colourbox-4711") == "colourbox-4711"
    assert store.resolve("colo") == "colourbox-4711"
    with pytest.raises(UnknownAsset):
        store.resolve("col")  # too short to be a prefix
    new = store.update("colourbox-4711", status="do-not-use", expires="2028-01-01")
    assert new.status == "do-not-use" and store.get("colourbox-4711").expires == dt.date(2028, 1, 1)
    with pytest.raises(RegistryError):
        store.update("colourbox-4711", sha256="0" * 64)  # identity is not editable
    assert store.remove("colourbox-4711") is True
    assert store.remove("colourbox-4711") is False
    assert store.fingerprint("colourbox-4711") is None
    assert list(store.index_rows(1)) == []


def test_ambiguous_prefix_is_an_error(store):
    store.add(_asset(1, asset_id="bank-0001"), _fp())
    store.add(_asset(2, asset_id="bank-0002"), _fp())
    with pytest.raises(UnknownAsset, match="ambiguous"):
        store.resolve("bank-000")


def test_transaction_rolls_back_every_asset_on_error(store):
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.add(_asset(1), _fp())
            store.add(_asset(2), _fp())
            raise RuntimeError("interrupted")
    assert store.count() == 0
    assert store.stale_fingerprints(1) == []


def test_transaction_rolls_back_on_keyboard_interrupt(store):
    with pytest.raises(KeyboardInterrupt):
        with store.transaction():
            store.add(_asset(1), _fp())
            raise KeyboardInterrupt
    assert store.count() == 0


def test_index_rows_and_filters(store):
    store.add(_asset(1, license_id="CC-BY-4.0"), _fp(1))
    store.add(_asset(2, status="do-not-use"), Fingerprint(2, b"k" * 24, b"h" * 256))
    assert [k for _, k in store.index_rows(1)] == [bytes([1]) * 24]
    assert store.stale_fingerprints(1) == [_asset(2).asset_id]
    assert [a.asset_id for a in store.assets(status="do-not-use")] == [_asset(2).asset_id]
    assert [a.asset_id for a in store.assets(license_id="CC-BY-4.0")] == [_asset(1).asset_id]
    got = store.fingerprints([_asset(1).asset_id, _asset(2).asset_id, "missing"])
    assert set(got) == {_asset(1).asset_id, _asset(2).asset_id}


def test_registry_that_is_newer_than_this_program_is_refused(tmp_path):
    path = tmp_path / "reg.db"
    open_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_migrations VALUES (?, 'from the future', '2099-01-01')", (LATEST + 1,))
    conn.commit()
    conn.close()
    with pytest.raises(RegistryError, match="newer"):
        open_store(path)


def test_not_a_registry_file_gives_a_clear_error(tmp_path):
    path = tmp_path / "photo.db"
    path.write_bytes(b"\xff\xd8\xff\xe0 this is a JPEG, not a database" * 10)
    with pytest.raises(RegistryError, match="not a usable imagerights registry"):
        open_store(path)


def test_opening_a_fresh_registry_waits_out_a_locked_database(tmp_path, monkeypatch):
    """Racing first opens can get "database is locked" from SQLite without its busy wait (see
    SQLiteStore._set_up): the set-up is tried again; any other database error still fails."""
    from imagerights.registry.sqlite import SQLiteStore

    real, failures = SQLiteStore.migrate, []

    def locked_twice(self):
        if len(failures) < 2:
            failures.append(1)
            raise sqlite3.OperationalError("database is locked")
        return real(self)

    monkeypatch.setattr(SQLiteStore, "migrate", locked_twice)
    with open_store(tmp_path / "reg.db") as store:
        assert store.schema_version() == LATEST and len(failures) == 2

    def broken(self):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(SQLiteStore, "migrate", broken)
    with pytest.raises(RegistryError, match="not a usable imagerights registry: disk I/O error"):
        open_store(tmp_path / "other.db")


def test_read_only_file_can_be_read_not_written(tmp_path):
    path = tmp_path / "reg.db"
    s = open_store(path)
    s.add(_asset(1), _fp())
    s.close()
    ro = open_store(path, readonly=True)
    assert ro.count() == 1
    with pytest.raises(RegistryError, match="read-only"):
        ro.add(_asset(2), _fp())
    ro.close()


def test_default_location_honours_the_data_dir_override(tmp_path, monkeypatch):
    monkeypatch.setenv("IMAGERIGHTS_DATA_DIR", str(tmp_path / "data"))
    assert default_registry_path() == tmp_path / "data" / "registry.db"
    s = open_store()
    assert s.url == str(tmp_path / "data" / "registry.db")
    s.close()
    monkeypatch.setenv("IMAGERIGHTS_REGISTRY", str(tmp_path / "other.db"))
    s = open_store()
    assert s.url == str(tmp_path / "other.db")
    s.close()


def test_create_false_does_not_create(tmp_path):
    with pytest.raises(RegistryError, match="does not exist"):
        open_store(tmp_path / "missing.db", create=False)
    assert not (tmp_path / "missing.db").exists()


def test_unknown_url_scheme_is_refused():
    with pytest.raises(RegistryError, match="unsupported registry URL"):
        open_store("mysql://user@host/db")


def test_migrations_render_for_both_dialects():
    """One definition drives SQLite and PostgreSQL: every statement renders, no placeholder left."""
    for migration in MIGRATIONS:
        for statement in migration.statements:
            for dialect in (SQLITE, POSTGRES):
                text = dialect.ddl(statement)
                assert "{" not in text and "}" not in text
    assert "BYTEA" in POSTGRES.ddl(MIGRATIONS[0].statements[1])
    assert POSTGRES.q("SELECT 1 WHERE a = ? AND b = ?") == "SELECT 1 WHERE a = %s AND b = %s"


def test_fingerprint_hashes_reads_only_the_hashes(store):
    store.add(_asset(1), _fp(1))
    got = store.fingerprint_hashes([_asset(1).asset_id, "missing"])
    assert got == {_asset(1).asset_id: b"h" * 256}
