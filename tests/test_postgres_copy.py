"""``registry copy`` between backends: lossless, verified (a tampered copy is caught), atomic,
a consistent snapshot of a live source; ``registry migrate``; no password in CLI output."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from pg_server import PASSWORD, PASSWORD_USER, pg_server, pg_url, synthetic_record  # noqa: F401

from imagerights.cli.registry_admin import copy_command, migrate_command
from imagerights.registry import copy as copy_mod
from imagerights.registry.copy import copy_registry, digest
from imagerights.registry.schema import LATEST
from imagerights.registry.store import RegistryError, open_store

pytestmark = pytest.mark.postgres

N = 120


def fill(url, n: int = N, prefix: str = "asset"):
    with open_store(url) as s:
        with s.transaction():
            for i in range(n):
                s.add(*synthetic_record(i, prefix=prefix))
        # an asset whose fingerprint is missing (e.g. awaiting re-fingerprinting) is copied too
        s._exec("DELETE FROM fingerprints WHERE asset_id = ?", (f"{prefix}-000005",))


def contents(url) -> dict:
    with open_store(url, readonly=True) as s:
        assets = list(s.assets())
        fps = s.fingerprints([a.asset_id for a in assets])
        return {a.asset_id: (a.to_dict(), fps.get(a.asset_id)) for a in assets}


def second_database(pg_server) -> str:
    return pg_server.new_database("copy")


@pytest.mark.parametrize("route", ["sqlite>pg>sqlite", "pg>pg", "sqlite>sqlite"])
def test_copy_is_lossless_in_every_direction(pg_server, pg_url, tmp_path, route):
    hops = {"sqlite>pg>sqlite": [str(tmp_path / "a.db"), pg_url, str(tmp_path / "b.db")],
            "pg>pg": [pg_url, second_database(pg_server)],
            "sqlite>sqlite": [str(tmp_path / "a.db"), f"sqlite:///{tmp_path}/b.db"]}[route]
    fill(hops[0])
    original = contents(hops[0])
    assert len(original) == N and original["asset-000005"][1] is None
    for src, dst in zip(hops, hops[1:]):
        with open_store(src) as s, open_store(dst) as d:
            result = copy_registry(s, d, reopen=lambda dst=dst: open_store(dst))
        assert result.verified, result.problems
        assert result.copied == N
        assert result.source_digest.as_dict() == result.destination_digest.as_dict()
        assert contents(dst) == original
    with open_store(hops[0]) as a, open_store(hops[-1]) as z:
        assert digest(a).checksum == digest(z).checksum


def test_verification_catches_a_damaged_copy(pg_url, tmp_path, monkeypatch):
    src = str(tmp_path / "a.db")
    fill(src)
    real_insert = copy_mod._insert

    def flip_one_bit(dst, batch):
        asset, fp = batch[7]
        thumb = bytearray(fp.thumb)
        thumb[100] ^= 1
        batch = list(batch)
        batch[7] = (asset, type(fp)(fp.algo, fp.index_key, fp.hashes, fp.features, bytes(thumb)))
        real_insert(dst, batch)

    monkeypatch.setattr(copy_mod, "_insert", flip_one_bit)
    with open_store(src) as s, open_store(pg_url) as d:
        result = copy_registry(s, d)
    assert not result.verified
    assert any("checksum" in p for p in result.problems)


def test_verification_catches_a_lost_record(pg_url, tmp_path, monkeypatch):
    src = str(tmp_path / "a.db")
    fill(src)
    real_insert = copy_mod._insert
    monkeypatch.setattr(copy_mod, "_insert", lambda dst, batch: real_insert(dst, batch[1:]))
    with open_store(src) as s, open_store(pg_url) as d:
        result = copy_registry(s, d)
    assert any(p.startswith("assets:") for p in result.problems)


def test_interrupted_copy_leaves_the_destination_untouched(pg_url, tmp_path, monkeypatch):
    src = str(tmp_path / "a.db")
    fill(src)
    calls = []
    real_insert = copy_mod._insert

    def fail_on_third(dst, batch):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        real_insert(dst, batch)

    monkeypatch.setattr(copy_mod, "_insert", fail_on_third)
    with open_store(src) as s, open_store(pg_url) as d:
        with pytest.raises(KeyboardInterrupt):
            copy_registry(s, d, page=20)
        assert d.count() == 0


def test_copy_reads_one_snapshot_of_a_live_source(pg_url, tmp_path):
    """Colleagues keep writing to the source during the copy: the copy is of one moment."""
    fill(pg_url)
    colleague = open_store(pg_url)
    added = []

    def someone_writes(done, total):
        i = 1000 + len(added)
        colleague.add(*synthetic_record(i))
        added.append(i)

    with open_store(pg_url) as s, open_store(tmp_path / "b.db") as d:
        result = copy_registry(s, d, page=25, progress=someone_writes)
    assert len(added) == 5
    assert result.verified and result.copied == N
    assert colleague.count() == N + 5


def test_destination_must_be_empty_unless_merge(pg_url, tmp_path):
    src = str(tmp_path / "a.db")
    fill(src)
    fill(pg_url, n=10)
    with open_store(src) as s, open_store(pg_url) as d:
        with pytest.raises(RegistryError, match="--merge"):
            copy_registry(s, d)
        d.update("asset-000002", title="edited in the destination")
        d.add(*synthetic_record(500, prefix="elsewhere"))
        other = synthetic_record(11)[0].with_changes(asset_id="renamed-11")  # same file, another id
        d.add(other, synthetic_record(11)[1])
        result = copy_registry(s, d, merge=True)
    assert result.already_present == 9
    assert sorted(result.conflicts) == ["asset-000002: differs in the destination",
                                        "asset-000011: same file registered in the destination as renamed-11"]
    assert result.copied == N - 10 - 1
    assert result.verified, result.problems


def test_copying_a_registry_onto_itself_is_refused(pg_url, tmp_path):
    with open_store(pg_url) as a, open_store(pg_url) as b:
        with pytest.raises(RegistryError, match="same registry"):
            copy_registry(a, b)
    p = tmp_path / "a.db"
    with open_store(p) as a, open_store(f"sqlite:///{p}") as b:
        with pytest.raises(RegistryError, match="same registry"):
            copy_registry(a, b)


# ------------------------------------------------------------------ the CLI
def password_url(pg_server, url: str) -> str:
    name = url.split("/")[3].split("?")[0]
    with pg_server.admin_db(name) as conn:
        conn.execute(f"GRANT CREATE ON SCHEMA public TO {PASSWORD_USER}")
    return pg_server.url(name, user=PASSWORD_USER, password=PASSWORD)


def test_cli_migrate_then_copy_from_home_sqlite(pg_server, pg_url, tmp_path, monkeypatch):
    """The issue's walk-through: migrate the server, copy the personal file, everything shown
    without the password."""
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / ".local/share/imagerights").mkdir(parents=True)
    fill(tmp_path / ".local/share/imagerights/registry.db")
    url = password_url(pg_server, pg_url)
    runner = CliRunner()

    first = runner.invoke(migrate_command, ["--registry", url])
    again = runner.invoke(migrate_command, ["--registry", url, "--json"])
    assert first.exit_code == 0 and again.exit_code == 0, first.output + again.output
    assert f"created schema version {LATEST}" in first.output
    assert json.loads(again.output)["schema_before"] == LATEST

    res = runner.invoke(copy_command, ["sqlite:///~/.local/share/imagerights/registry.db", url])
    assert res.exit_code == 0, res.output
    assert f"copied {N} assets" in res.output and "verified" in res.output

    clash = runner.invoke(copy_command, ["sqlite:///~/.local/share/imagerights/registry.db", url])
    assert clash.exit_code == 2 and "--merge" in clash.output

    merged = runner.invoke(copy_command, ["--merge", "--json",
                                          str(tmp_path / ".local/share/imagerights/registry.db"), url])
    assert merged.exit_code == 0
    assert json.loads(merged.output)["already_present"] == N

    for r in (first, again, res, clash, merged):
        assert PASSWORD not in r.output


def test_cli_errors_hide_the_password(pg_server, pg_url, tmp_path):
    url = pg_server.url(pg_url.split("/")[3].split("?")[0], user=PASSWORD_USER, password=PASSWORD)
    wrong = url.replace(PASSWORD, PASSWORD[::-1])
    runner = CliRunner()
    for result in (runner.invoke(migrate_command, ["--registry", wrong]),
                   runner.invoke(copy_command, [str(tmp_path / "none.db"), wrong]),
                   runner.invoke(copy_command, [wrong, str(tmp_path / "x.db")])):
        assert result.exit_code == 2
        assert PASSWORD not in result.output and PASSWORD[::-1] not in result.output
        assert "error:" in result.output


def test_cli_migrate_sqlite(tmp_path):
    runner = CliRunner()
    path = tmp_path / "r.db"
    res = runner.invoke(migrate_command, ["--registry", str(path)])
    assert res.exit_code == 0 and "created" in res.output
    res = runner.invoke(migrate_command, ["--registry", f"sqlite:///{path}"])
    assert res.exit_code == 0 and "up to date" in res.output
