"""The issue's walk-through through the real CLI, on both backends: migrate, import, check and
match against the registry; export → import-csv into the other backend; two `registry import`
processes at once; a `registry import` process killed with SIGKILL mid-way.

Images are generated (smooth random textures), so these tests need no corpus.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from pg_server import PASSWORD, PASSWORD_USER, backend_url, make_images, pg_server, pg_url  # noqa: F401

from imagerights.cli.main import cli
from imagerights.registry.store import open_store

pytestmark = pytest.mark.postgres


def run(*args: str, env_url: str | None = None) -> tuple[int, str, str]:
    runner = CliRunner()
    env = {"IMAGERIGHTS_REGISTRY": env_url} if env_url else {}
    res = runner.invoke(cli, list(args), env=env)
    return res.exit_code, res.stdout, res.stderr if res.stderr_bytes is not None else ""


def fingerprints(url: str) -> dict:
    with open_store(url, readonly=True) as s:
        ids = [a.asset_id for a in s.assets()]
        return s.fingerprints(ids)


def test_issue_walkthrough(backend_url, tmp_path):
    images = make_images(tmp_path / "bildbank", 6)
    code, out, err = run("registry", "migrate", env_url=backend_url)
    assert code == 0 and "schema version" in out, out + err
    code, out, err = run("registry", "import", str(tmp_path / "bildbank"), "--license", "CC-BY-4.0",
                         "--creator", "Bildbanken", env_url=backend_url)
    assert code == 0, out + err
    assert out.count("added ") == 6
    code, out, err = run("registry", "import", str(tmp_path / "bildbank"), env_url=backend_url)
    assert code == 0 and out.count("already registered") == 6

    # an edited copy (downscaled, recompressed) is matched against the shared registry
    post = tmp_path / "post.jpg"
    with Image.open(images[2]) as im:
        im.resize((240, 180)).save(post, quality=70)
    code, out, err = run("registry", "match", str(post), "--format", "json", env_url=backend_url)
    assert code == 0, out + err
    matches = json.loads(out)["results"][0]["matches"]
    with open_store(backend_url) as s:
        expected = s.find_sha256(__import__("hashlib").sha256(images[2].read_bytes()).hexdigest()).asset_id
    assert matches and matches[0]["asset_id"] == expected
    code, out, err = run("check", str(post), "--format", "json", "--no-faces", "--no-logos", env_url=backend_url)
    assert expected in out, out + err


@pytest.mark.parametrize("direction", ["sqlite>postgresql", "postgresql>sqlite"])
def test_export_then_import_csv_into_the_other_backend(pg_url, tmp_path, direction):
    """`registry export --format csv` + the image files rebuild the registry on another backend:
    every exported field the same (a new added_at aside) and byte-identical fingerprints."""
    sqlite_url = str(tmp_path / "r.db")
    src, dst = (sqlite_url, pg_url) if direction == "sqlite>postgresql" else (pg_url, sqlite_url)
    folder = tmp_path / "bildbank"
    make_images(folder, 5)
    assert run("registry", "import", str(folder), "--license", "CC-BY-SA-4.0", "--creator", "Anna Andersson",
               "--channel", "web", "--consent", "written", "--consent-ref", "Dnr 2026-17", env_url=src)[0] == 0
    assert run("registry", "set", _first_id(src), "--status", "do-not-use",
               "--expires", "2027-03-31", "--editorial-only", env_url=src)[0] == 0
    code, exported, err = run("registry", "export", "--format", "csv", env_url=src)
    assert code == 0, err
    (folder / "export.csv").write_text(exported, encoding="utf-8")
    code, out, err = run("registry", "import-csv", str(folder / "export.csv"), env_url=dst)
    assert code == 0 and out.count("added ") == 5, out + err
    code, again, err = run("registry", "export", "--format", "csv", env_url=dst)

    def rows(text):
        return {r["asset_id"]: {k: v for k, v in r.items() if k != "added_at"}
                for r in csv.DictReader(io.StringIO(text))}

    assert rows(again) == rows(exported)
    assert fingerprints(dst) == fingerprints(src)


def _first_id(url: str) -> str:
    with open_store(url) as s:
        return next(iter(s.assets())).asset_id


# ------------------------------------------------------------------ real processes
def spawn_import(folder: Path, url: str) -> subprocess.Popen:
    env = {**os.environ, "IMAGERIGHTS_REGISTRY": url}
    return subprocess.Popen([sys.executable, "-m", "imagerights", "registry", "import", str(folder),
                             "--format", "json", "--no-metadata"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def writer_active(url: str) -> bool:
    """Is some process inside a write transaction of this registry right now?"""
    if url.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            return conn.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                                ).fetchone()[0] > 0
    conn = sqlite3.connect(url, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        conn.close()


def test_cli_import_killed_midway_leaves_nothing(backend_url, tmp_path):
    folder = tmp_path / "bildbank"
    n = 150  # several seconds of fingerprinting inside the import's one transaction
    make_images(folder, n)
    open_store(backend_url).close()
    p = spawn_import(folder, backend_url)
    deadline = time.monotonic() + 60
    while not writer_active(backend_url):
        assert p.poll() is None, p.stderr.read()
        assert time.monotonic() < deadline, "the import never started writing"
        time.sleep(0.05)
    time.sleep(0.3)  # some files into the import's transaction
    assert p.poll() is None, "the import finished before it could be killed; use more files"
    p.send_signal(signal.SIGKILL)
    p.wait(timeout=30)
    with open_store(backend_url) as s:
        assert s.count() == 0
        assert s._one("SELECT COUNT(*) FROM fingerprints")[0] == 0
        if not backend_url.startswith("postgresql://"):
            assert s._one("PRAGMA integrity_check")[0] == "ok"
    again = spawn_import(folder, backend_url)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert len(json.loads(out)["added"]) == n
    with open_store(backend_url) as s:
        assert s.count() == n and len(s.fingerprints([a.asset_id for a in s.assets()])) == n


def test_two_cli_imports_of_the_same_folder_at_once(backend_url, tmp_path):
    folder = tmp_path / "bildbank"
    make_images(folder, 12)
    open_store(backend_url).close()
    a, b = spawn_import(folder, backend_url), spawn_import(folder, backend_url)
    (out_a, err_a), (out_b, err_b) = a.communicate(timeout=300), b.communicate(timeout=300)
    assert a.returncode == 0 and b.returncode == 0, err_a + err_b
    ra, rb = json.loads(out_a), json.loads(out_b)
    assert len(ra["added"]) + len(rb["added"]) == 12
    assert len(ra["skipped"]) + len(rb["skipped"]) == 12
    assert all("already registered" in s["reason"] for s in ra["skipped"] + rb["skipped"])
    with open_store(backend_url) as s:
        assert s.count() == 12
        assert len({a.sha256 for a in s.assets()}) == 12


def test_cli_output_never_shows_the_password(pg_server, pg_url, tmp_path):
    name = pg_url.split("/")[3].split("?")[0]
    with pg_server.admin_db(name) as conn:
        conn.execute(f"GRANT CREATE ON SCHEMA public TO {PASSWORD_USER}")
    url = pg_server.url(name, user=PASSWORD_USER, password=PASSWORD)
    make_images(tmp_path / "b", 2)
    outputs = [run("registry", "migrate", env_url=url), run("registry", "import", str(tmp_path / "b"), env_url=url),
               run("registry", "list", env_url=url), run("registry", "export", "--format", "json", env_url=url),
               run("check", str(tmp_path / "b" / "bild-000.jpg"), "--no-faces", "--no-logos", env_url=url),
               run("registry", "list", env_url=url.replace(PASSWORD, "wrong" + PASSWORD[::-1])),
               run("check", str(tmp_path / "b" / "bild-000.jpg"), "--no-faces", "--no-logos",
                   env_url=url.replace(PASSWORD, "wrong" + PASSWORD[::-1]))]
    for code, out, err in outputs:
        assert PASSWORD not in out + err and PASSWORD[::-1] not in out + err
    assert "***" in outputs[-2][2]  # the failed connection is reported, with the URL masked
