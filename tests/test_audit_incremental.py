"""Incremental audits: the cache skips unchanged files, survives interruption, never lives in the
audited folder, and never makes a verdict stale (rules are always evaluated afresh)."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from imagerights.audit.cache import AuditCache, CacheError, cache_path, facts_from_json, facts_to_json
from imagerights.audit.report import build_report
from imagerights.audit.runner import AuditOptions, cache_fingerprint, registry_token, run_audit
from imagerights.audit.summary import rules_used, summarise
from imagerights.evaluate import evaluate
from imagerights.facts import (GPS, Candidate, Conflict, Facts, Faces, FileError, ImageInfo, LicenseMatch, LogoFact,
                               Metadata, Provenance, RegistryMatch)
from imagerights.licensing.catalogue import default_catalogue
from imagerights.policy import default_policy
from imagerights.use import IntendedUse
from test_audit_tree import audit, build_tree, jpeg_bytes, photo, snapshot

OPTS = dict(registry=False, faces=False, logos=False, jobs=2)


def evaluator(use=None, ignore=None):
    use = use or IntendedUse()
    policy, catalogue = default_policy(), default_catalogue()
    return lambda facts: evaluate(facts, use, policy, catalogue, lang="en", ignore=ignore)


def report_of(run, use=None) -> dict:
    summary = summarise(run, today=(use or IntendedUse()).today)
    doc = build_report(run, summary, lang="en", use=(use or IntendedUse()).to_dict(), policy=default_policy(),
                       rules=rules_used(run.rows))
    return json.loads(json.dumps(doc, default=str))


def stable(doc: dict) -> dict:
    """The report without what differs between two audits of the same tree (timings, cache use)."""
    doc = json.loads(json.dumps(doc))
    doc.pop("generated")
    doc["summary"].pop("run")
    doc["options"].pop("incremental")
    return doc


@pytest.fixture
def tree(tmp_path, monkeypatch):
    root = build_tree(tmp_path / "media", monkeypatch, n_extra=12)
    yield root
    os.chmod(root / "broken" / "locked.jpg", 0o644)


def test_interrupted_then_incremental_equals_a_clean_run(tree):
    clean = run_audit([tree], AuditOptions(**OPTS), evaluator())
    assert not clean.partial

    def stop_after_five(done, total, rel):
        if done == 5:
            raise KeyboardInterrupt

    interrupted = run_audit([tree], AuditOptions(incremental=True, **OPTS), evaluator(), progress=stop_after_five)
    assert interrupted.partial and interrupted.not_audited
    assert len(interrupted.rows) + len(interrupted.not_audited) == len(clean.rows)
    partial_doc = report_of(interrupted)
    assert partial_doc["partial"] is True and partial_doc["not_audited"] == interrupted.not_audited
    cached_before = AuditCache(cache_path(), cache_fingerprint(AuditOptions(incremental=True, **OPTS))).count()
    assert cached_before >= 3  # what was analysed before Ctrl-C is kept

    resumed = run_audit([tree], AuditOptions(incremental=True, **OPTS), evaluator())
    assert not resumed.partial
    assert resumed.count("cached") >= cached_before
    assert resumed.count("analysed") >= len(interrupted.not_audited) - 1
    assert stable(report_of(resumed)) == stable(report_of(clean))

    again = run_audit([tree], AuditOptions(incremental=True, **OPTS), evaluator())
    assert again.count("analysed") == 0  # nothing changed: nothing re-analysed
    assert again.count("cached") == len(clean.rows) - again.count("unreadable")
    assert stable(report_of(again)) == stable(report_of(clean))


def test_changes_are_seen_and_renames_are_not_re_analysed(tree):
    opts = AuditOptions(incremental=True, **OPTS)
    run_audit([tree], opts, evaluator())
    (tree / "a" / "b" / "photo2.png").rename(tree / "a" / "b" / "renamed.png")  # same bytes, new name
    (tree / "extra" / "img0001.png").write_bytes(jpeg_bytes(photo(999)))  # new content
    os.utime(tree / "extra" / "img0002.png")  # touched, same content
    run = run_audit([tree], opts, evaluator())
    status = {r.rel: r.status for r in run.rows}
    assert status["a/b/renamed.png"] == "cached"  # found by its sha256 in a worker
    assert status["extra/img0002.png"] == "cached"
    assert status["extra/img0001.png"] == "analysed"
    row = next(r for r in run.rows if r.rel == "extra/img0001.png")
    assert row.facts.image.format == "JPEG"  # the new content, not the cached facts
    assert row.facts.path == "extra/img0001.png"


def test_rules_are_evaluated_afresh_over_cached_facts(tree):
    opts = AuditOptions(incremental=True, **OPTS)
    first = run_audit([tree], opts, evaluator())
    assert any(f.code == "MET001" for r in first.rows for f in r.result.findings)
    second = run_audit([tree], opts, evaluator(ignore=["MET"]))
    assert second.count("analysed") == 0
    assert not any(f.code.startswith("MET") for r in second.rows for f in r.result.findings)
    people = run_audit([tree], opts, evaluator(use=IntendedUse(people="yes")))
    assert all(r.result.context.people == "yes" for r in people.rows)


def test_fingerprint_changes_with_version_mode_and_registry(tmp_path, monkeypatch):
    base = cache_fingerprint(AuditOptions(**OPTS))
    assert cache_fingerprint(AuditOptions(**OPTS)) == base
    assert cache_fingerprint(AuditOptions(fast=True, **OPTS)) != base
    assert cache_fingerprint(AuditOptions(**{**OPTS, "faces": True})) != base
    import imagerights

    monkeypatch.setattr(imagerights, "__version__", "999.0")
    assert cache_fingerprint(AuditOptions(**OPTS)) != base
    monkeypatch.undo()
    db = tmp_path / "registry.db"
    opts = AuditOptions(**{**OPTS, "registry": True}, registry_url=str(db))
    before = registry_token(opts)
    db.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    assert registry_token(opts) != before
    assert registry_token(AuditOptions(**OPTS)) == "off"


def test_cache_lives_in_the_users_cache_dir_never_in_the_folder(tree, tmp_path, monkeypatch):
    before = snapshot(tree)
    monkeypatch.setenv("IMAGERIGHTS_CACHE_DIR", str(tmp_path / "mycache"))
    code, out = audit([str(tree), "--incremental", "--no-registry", "--no-faces", "--no-logos", "-q",
                       "--format", "json", "--fail-on", "never"])
    assert code == 0, out
    assert (tmp_path / "mycache" / "audit-cache.sqlite").is_file()
    assert snapshot(tree) == before
    monkeypatch.setenv("IMAGERIGHTS_CACHE_DIR", str(tree / "a"))
    code, out = audit([str(tree), "--incremental", "--no-registry", "-q"])
    assert code == 2 and "inside the audited folder" in out
    assert snapshot(tree) == before
    with pytest.raises(CacheError):
        run_audit([tree], AuditOptions(incremental=True, **OPTS), evaluator())
    monkeypatch.delenv("IMAGERIGHTS_CACHE_DIR")
    monkeypatch.setenv("IMAGERIGHTS_DATA_DIR", str(tmp_path / "data"))
    assert cache_path() == tmp_path / "data" / "cache" / "audit-cache.sqlite"


def test_facts_survive_the_cache_round_trip():
    facts = Facts(
        path="x.jpg", size=10, sha256="0" * 64, image=ImageInfo("JPEG", 10, 20, "RGB", 1),
        metadata=Metadata(creators=["Anna"], gps=GPS(True, 55.6, 13.0, "EXIF"),
                          candidates={"creators": [Candidate("IFD0:Artist", "Anna")]},
                          conflicts=[Conflict("creators", "XMP", [Candidate("XMP", "A"), Candidate("EXIF", "B")])],
                          licensors=[{"name": "N", "url": "https://x"}]),
        license=LicenseMatch("CC-BY-4.0", "XMP-cc:license", "https://creativecommons.org/licenses/by/4.0/"),
        registry_matches=[RegistryMatch("A1", 0.9, {"crop": True}, {"expires": "2027-01-01"})],
        logos=[LogoFact("facebook", "2023", "current", 0.8, (1, 2, 3, 4), {"colour": "#0866FF"})],
        faces=Faces(2, 1, [(1, 2, 3, 4)], "test"), provenance=Provenance(present=True, state="valid"),
        errors=[FileError("logos", "boom")])
    back = facts_from_json(facts_to_json(facts))
    assert back == facts
    assert isinstance(back.logos[0].box, tuple) and isinstance(back.metadata.conflicts[0].candidates[0], Candidate)
    assert dataclasses.asdict(back) == dataclasses.asdict(facts)


@pytest.mark.slow
def test_ctrl_c_leaves_a_partial_report_and_a_usable_cache(tmp_path, monkeypatch):
    root = build_tree(tmp_path / "media", None, n_extra=250)
    os.chmod(root / "broken" / "locked.jpg", 0o644)
    env = {**os.environ, "IMAGERIGHTS_CACHE_DIR": str(tmp_path / "cache")}
    out = tmp_path / "partial.json"
    args = [sys.executable, "-m", "imagerights", "audit", str(root), "--incremental", "--no-registry", "--no-faces",
            "--no-logos", "--jobs", "1", "--format", "json", "-o", str(out), "--fail-on", "never"]
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    db = tmp_path / "cache" / "audit-cache.sqlite"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
                if con.execute("SELECT count(*) FROM entries").fetchone()[0] > 0:
                    break
        except sqlite3.Error:
            pass
        time.sleep(0.05)
    assert proc.poll() is None, "the audit finished before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode()
    doc = json.loads(out.read_text())
    assert doc["partial"] is True and doc["not_audited"]
    assert len(doc["results"]) + len(doc["not_audited"]) == doc["summary"]["files"] + len(doc["not_audited"])
    assert b"partial" in err
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        kept = con.execute("SELECT count(*) FROM entries").fetchone()[0]
    assert kept >= 1
    done = subprocess.run(args[:-4] + ["-o", str(tmp_path / "full.json"), "--fail-on", "never"], env=env,
                          capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    full = json.loads((tmp_path / "full.json").read_text())
    assert full["partial"] is False and full["summary"]["run"]["statuses"]["cached"] >= kept
    clean = subprocess.run(args[:-6] + ["--format", "json", "-o", str(tmp_path / "clean.json"), "--fail-on", "never"],
                           env={**env, "IMAGERIGHTS_CACHE_DIR": str(tmp_path / "other")}, capture_output=True,
                           timeout=300)
    assert clean.returncode == 0, clean.stderr.decode()
    assert stable(full) == stable(json.loads((tmp_path / "clean.json").read_text()))


def test_html_after_json_reuses_the_cache(tree):
    first = run_audit([tree], AuditOptions(incremental=True, **OPTS), evaluator())
    html = run_audit([tree], AuditOptions(incremental=True, thumbnails=True, **OPTS), evaluator())
    assert html.count("analysed") == 0
    decodable = [r for r in html.rows if r.phash]
    assert decodable and all(r.thumb for r in decodable)
    assert first.count("analysed") > 0
