"""``imagerights registry`` commands: add, import, import-csv, list, show, set, remove, export,
match — the JSON contracts of docs/registry.md, and interrupted imports leaving nothing."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from registry_fixtures import NOT_REGISTERED, REGISTERED, downscaled, edited

from imagerights.cli.main import cli
from imagerights.registry.store import open_store

pytestmark = pytest.mark.corpus

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def photos(corpora, tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli-photos")
    return {rel: downscaled(corpora, rel, folder, side=480) for rel in REGISTERED[:4] + NOT_REGISTERED[:2]}


@pytest.fixture
def reg(tmp_path):
    return str(tmp_path / "registry.db")


def run(*args, ok=True):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


def count(reg) -> int:
    s = open_store(reg)
    try:
        return s.count()
    finally:
        s.close()


def test_add_json_contract_and_same_file_twice(photos, reg):
    a, b = photos[REGISTERED[0]], photos[REGISTERED[1]]
    out = json.loads(run("registry", "add", a, b, "--license", "CC-BY-SA-4.0", "--creator", "Anna Andersson",
                         "--source", "https://www.flickr.com/photos/anna/1", "--consent", "written",
                         "--format", "json", "--registry", reg).stdout)
    assert set(out) == {"added", "skipped"}
    assert [x["path"] for x in out["added"]] == [str(a), str(b)] and out["skipped"] == []
    assert all(set(x) == {"path", "asset_id"} for x in out["added"])
    again = json.loads(run("registry", "add", a, "--format", "json", "--registry", reg).stdout)
    assert again["added"] == []
    assert again["skipped"] == [{"path": str(a), "reason": f"already registered as {out['added'][0]['asset_id']}"}]
    shown = json.loads(run("registry", "show", out["added"][0]["asset_id"], "--format", "json", "--registry", reg).stdout)
    assert shown["license_id"] == "CC-BY-SA-4.0" and shown["creators"] == ["Anna Andersson"]
    assert shown["consent"] == "written" and shown["source_url"].startswith("https://www.flickr.com/")
    assert count(reg) == 2


def test_add_stock_asset_with_id_expiry_and_editorial_flag(photos, reg):
    run("registry", "add", photos[REGISTERED[2]], "--id", "colourbox-4711", "--license", "LicenseRef-Colourbox",
        "--expires", "2027-03-31", "--editorial-only", "--channel", "web,social", "--registry", reg)
    shown = json.loads(run("registry", "show", "colourbox-4711", "--format", "json", "--registry", reg).stdout)
    assert shown["expires"] == "2027-03-31" and shown["editorial_only"] is True
    assert shown["channels"] == ["web", "social"] and shown["license_id"] == "LicenseRef-Colourbox"
    assert shown["fingerprint_bytes"] > 0


def test_licence_given_as_url_or_name_is_resolved_and_unknown_refused(photos, reg):
    run("registry", "add", photos[REGISTERED[0]], "--license", "https://creativecommons.org/licenses/by-nd/4.0/",
        "--registry", reg)
    assert next(open_store(reg).assets()).license_id == "CC-BY-ND-4.0"
    bad = run("registry", "add", photos[REGISTERED[1]], "--license", "Totally Free Licence", "--registry", reg, ok=False)
    assert bad.exit_code == 2 and "unknown licence" in bad.output
    assert count(reg) == 1


def test_id_with_several_files_is_a_usage_error(photos, reg):
    r = run("registry", "add", photos[REGISTERED[0]], photos[REGISTERED[1]], "--id", "x1", "--registry", reg, ok=False)
    assert r.exit_code == 2
    assert count(reg) == 0


def test_unreadable_file_is_skipped_with_a_reason_and_the_rest_added(photos, reg, tmp_path):
    fake = tmp_path / "not-a-photo.jpg"
    fake.write_text("this is text")
    out = json.loads(run("registry", "add", fake, photos[REGISTERED[0]], "--format", "json", "--registry", reg).stdout)
    assert len(out["added"]) == 1
    assert out["skipped"][0]["path"] == str(fake) and "not a readable image" in out["skipped"][0]["reason"]


def test_import_reads_licence_and_creator_from_metadata_and_a_sidecar(corpora, photos, reg, tmp_path):
    bank = tmp_path / "bildbank"
    (bank / "sub").mkdir(parents=True)
    md = corpora / "metadata"
    shutil.copy(md / "creative_commons" / "mei__Issue_600_(1).jpg", bank / "jupiter.jpg")  # XMP: CC BY 4.0
    shutil.copy(md / "exif_author_copyright" / "mei__Canon_EOS_7D.jpg", bank / "sub" / "canon.jpg")  # EXIF Artist
    shutil.copy(photos[REGISTERED[0]], bank / "sub" / "kodak.png")
    (bank / ".hidden").mkdir()
    shutil.copy(photos[REGISTERED[1]], bank / ".hidden" / "skip.png")
    (bank / "imagerights.csv").write_text(
        "path;license_id;creators;consent;people_present;expires\n"
        "sub/kodak.png;CC-BY-NC-4.0;Kodak Eastman;not-needed;no;2030-01-01\n", encoding="utf-8")
    out = json.loads(run("registry", "import", bank, "--format", "json", "--registry", reg).stdout)
    assert len(out["added"]) == 3 and out["skipped"] == []
    assets = {a.file_name: a for a in open_store(reg).assets()}
    assert assets["jupiter.jpg"].license_id == "CC-BY-4.0"
    assert assets["jupiter.jpg"].title == "Collision leaves giant Jupiter bruised"
    assert assets["canon.jpg"].creators == ["Peter Bemmann"]
    k = assets["kodak.png"]
    assert (k.license_id, k.creators, k.consent, k.people_present, k.expires.isoformat()) == \
        ("CC-BY-NC-4.0", ["Kodak Eastman"], "not-needed", False, "2030-01-01")
    assert "skip.png" not in assets


def test_flags_override_metadata_on_import(corpora, reg, tmp_path):
    bank = tmp_path / "bank"
    bank.mkdir()
    shutil.copy(corpora / "metadata" / "creative_commons" / "mei__Issue_600_(1).jpg", bank / "a.jpg")
    run("registry", "import", bank, "--license", "CC0-1.0", "--registry", reg)
    assert next(open_store(reg).assets()).license_id == "CC0-1.0"


def test_import_csv_and_export_round_trip(photos, reg, tmp_path):
    folder = tmp_path / "csvbank"
    folder.mkdir()
    for rel in REGISTERED[:2]:
        shutil.copy(photos[rel], folder / photos[rel].name)
    names = [photos[r].name for r in REGISTERED[:2]]
    (folder / "assets.csv").write_text(
        "path,asset_id,title,creators,license_id,expires,channels,editorial_only,consent,consent_ref,people_present,notes\n"
        f"{names[0]},colourbox-1,Torget,Anna Andersson; Bo Berg,LicenseRef-Colourbox,2027-03-31,web;social,yes,"
        f"model-release,Avtal 2024-17,yes,Köpt 2024\n"
        f"{names[1]},own-2,Hamnen,\"Malmö stad, Foto\",LicenseRef-Own,,,no,none,,no,\n", encoding="utf-8")
    out = json.loads(run("registry", "import-csv", folder / "assets.csv", "--format", "json", "--registry", reg).stdout)
    assert [a["asset_id"] for a in out["added"]] == ["colourbox-1", "own-2"]
    exported = run("registry", "export", "--format", "csv", "--registry", reg).stdout
    rows = list(csv.DictReader(io.StringIO(exported)))
    first = next(r for r in rows if r["asset_id"] == "colourbox-1")
    assert first["creators"] == "Anna Andersson;Bo Berg" and first["editorial_only"] == "yes"
    assert first["consent"] == "model-release" and first["consent_ref"] == "Avtal 2024-17"
    assert first["channels"] == "web;social" and first["people_present"] == "yes"
    # the export is re-importable: same records in a second registry
    (folder / "export.csv").write_text(exported, encoding="utf-8")
    reg2 = str(tmp_path / "second.db")
    run("registry", "import-csv", folder / "export.csv", "--no-metadata", "--registry", reg2)
    strip = ("added_at", "added_by", "updated_at")
    one = {a.asset_id: {k: v for k, v in a.to_dict().items() if k not in strip} for a in open_store(reg).assets()}
    two = {a.asset_id: {k: v for k, v in a.to_dict().items() if k not in strip} for a in open_store(reg2).assets()}
    assert one == two
    doc = json.loads(run("registry", "export", "--format", "json", "--registry", reg).stdout)
    assert doc["schema"] == "imagerights.registry/1" and len(doc["assets"]) == 2


def test_list_set_remove(photos, reg):
    run("registry", "add", photos[REGISTERED[0]], "--id", "a-1", "--license", "CC-BY-4.0", "--registry", reg)
    run("registry", "add", photos[REGISTERED[1]], "--id", "b-2", "--registry", reg)
    listed = run("registry", "list", "--registry", reg).stdout
    assert "a-1" in listed and "b-2" in listed
    run("registry", "set", "a-1", "--status", "do-not-use", "--notes", "Model withdrew consent", "--registry", reg)
    only = json.loads(run("registry", "list", "--status", "do-not-use", "--format", "json", "--registry", reg).stdout)
    assert [a["asset_id"] for a in only["assets"]] == ["a-1"] and only["assets"][0]["notes"] == "Model withdrew consent"
    assert "a-1" in run("registry", "remove", "a-1", "--registry", reg).stdout
    assert count(reg) == 1
    missing = run("registry", "remove", "nope", "--registry", reg, ok=False)
    assert missing.exit_code == 2 and "no asset" in missing.output
    assert count(reg) == 1


def test_match_json_contract(photos, reg, tmp_path):
    ids = {}
    for rel in REGISTERED[:3]:
        out = json.loads(run("registry", "add", photos[rel], "--format", "json", "--registry", reg).stdout)
        ids[rel] = out["added"][0]["asset_id"]
    crop = edited(photos[REGISTERED[1]], "crop10", tmp_path)
    repost = edited(photos[REGISTERED[2]], "repost", tmp_path)
    stranger = photos[NOT_REGISTERED[0]]
    r = run("registry", "match", crop, repost, stranger, "--format", "json", "--registry", reg)
    doc = json.loads(r.stdout)
    assert doc["schema"] == "imagerights.match/1"
    assert [x["path"] for x in doc["results"]] == [str(crop), str(repost), str(stranger)]
    m = doc["results"][0]["matches"]
    assert len(m) == 1 and m[0]["asset_id"] == ids[REGISTERED[1]]
    assert 0.5 <= m[0]["confidence"] <= 1 and "crop" in m[0]["edits"]
    assert {"asset_id", "confidence", "edits"} <= set(m[0])
    assert doc["results"][1]["matches"][0]["asset_id"] == ids[REGISTERED[2]]
    assert {"crop", "covered"} <= set(doc["results"][1]["matches"][0]["edits"])
    assert doc["results"][2]["matches"] == []


def test_match_unreadable_file_is_reported_not_raised(reg, tmp_path):
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 50)
    r = run("registry", "match", bad, "--format", "json", "--registry", reg, ok=False)
    assert r.exit_code == 2
    doc = json.loads(r.stdout)
    assert doc["results"][0]["matches"] == [] and doc["results"][0]["error"]


def test_import_interrupted_by_an_error_leaves_no_asset(photos, reg, tmp_path, monkeypatch):
    import imagerights.registry.match as match_mod

    bank = tmp_path / "bank"
    bank.mkdir()
    for rel in REGISTERED[:4]:
        shutil.copy(photos[rel], bank / photos[rel].name)
    real = match_mod.fingerprint_source
    calls = {"n": 0}

    def failing(src):
        calls["n"] += 1
        if calls["n"] == 3:
            raise MemoryError("simulated failure on the third file")
        return real(src)

    monkeypatch.setattr(match_mod, "fingerprint_source", failing)
    result = CliRunner().invoke(cli, ["registry", "import", str(bank), "--registry", reg])
    assert result.exit_code == 2 and "nothing was registered" in result.output
    assert calls["n"] == 3
    assert count(reg) == 0
    monkeypatch.setattr(match_mod, "fingerprint_source", real)
    run("registry", "import", bank, "--registry", reg)
    assert count(reg) == 4


KILLER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from imagerights.registry.ingest import items_from_folder, register
    from imagerights.registry.store import open_store

    store = open_store(sys.argv[1])
    seen = []
    def progress(item, asset_id):
        seen.append(asset_id)
        if len(seen) == 3:          # three assets written inside the import's transaction …
            print("killing", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)   # … and the process dies without warning
    register(store, items_from_folder(Path(sys.argv[2])), progress=progress)
    print("not reached", flush=True)
""")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_import_killed_mid_way_leaves_no_asset(photos, reg, tmp_path):
    bank = tmp_path / "bank"
    bank.mkdir()
    for rel in REGISTERED[:4] + NOT_REGISTERED[:2]:
        shutil.copy(photos[rel], bank / photos[rel].name)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.run([sys.executable, "-c", KILLER, reg, str(bank)], capture_output=True, text=True,
                          env=env, timeout=120)
    assert proc.returncode == -9, proc.stderr
    assert "killing" in proc.stdout and "not reached" not in proc.stdout
    s = open_store(reg)
    assert s.count() == 0 and list(s.index_rows(1)) == [] and s.stale_fingerprints(1) == []
    s.close()
    out = json.loads(run("registry", "import", bank, "--format", "json", "--registry", reg).stdout)
    assert len(out["added"]) == 6  # the next import is not blocked by the dead one
