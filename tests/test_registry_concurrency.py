"""Concurrency and durability of the registry on both backends, with real processes:

* two processes importing the same files at the same time lose nothing and duplicate nothing;
* several processes opening (and so migrating) a fresh registry at once all succeed;
* an import killed with SIGKILL mid-way leaves no partial asset, no orphan fingerprint and no
  stale lock: the next import runs and completes;
* a reader is not blocked by a running import.

Each worker is a separate Python process driving the store API the way ``registry import``
does: one write transaction per import (or per file), DuplicateAsset caught per file.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from pg_server import backend_url, pg_server, pg_url, synthetic_record  # noqa: F401

from imagerights.registry.store import open_store

pytestmark = pytest.mark.postgres

TESTS = Path(__file__).resolve().parent

WORKER = textwrap.dedent("""
    import json, os, sys, time
    sys.path.insert(0, {tests!r})
    from pg_server import synthetic_record
    from imagerights.registry.store import DuplicateAsset, open_store

    mode, url, prefix, order, n = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
    go = sys.argv[6] if len(sys.argv) > 6 else None
    items = list(range(n)) if order == "up" else list(range(n - 1, -1, -1))
    store = open_store(url)
    print("ready", flush=True)
    if go:
        while not os.path.exists(go):
            time.sleep(0.002)
    added = dups = 0

    def one(i):
        global added, dups
        try:
            store.add(*synthetic_record(i, prefix=prefix))
            added += 1
        except DuplicateAsset:
            dups += 1

    if mode == "one-transaction":          # the whole import is one transaction
        with store.transaction():
            for i in items:
                one(i)
    elif mode == "per-file":               # every file its own transaction
        for i in items:
            one(i)
    elif mode == "slow-one-transaction":   # report progress inside the open transaction
        with store.transaction():
            for k, i in enumerate(items):
                one(i)
                print(f"added {{k + 1}}", flush=True)
                time.sleep(0.01)
    elif mode == "slow-per-file":          # report each committed file
        for k, i in enumerate(items):
            one(i)
            print(f"committed {{k + 1}}", flush=True)
            time.sleep(0.01)
    store.close()
    print(json.dumps({{"added": added, "dups": dups}}), flush=True)
""").format(tests=str(TESTS))


@pytest.fixture
def worker(tmp_path) -> Path:
    path = tmp_path / "worker.py"
    path.write_text(WORKER)
    return path


def spawn(worker: Path, *args: object) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(worker), *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=os.environ.copy())


def wait_for_line(proc: subprocess.Popen, prefix: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise AssertionError(f"worker ended early: {proc.stderr.read()}")
        if line.startswith(prefix):
            return line
    raise AssertionError(f"no {prefix!r} from the worker within {timeout} s")


def finish(proc: subprocess.Popen, timeout: float = 120) -> dict:
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def assert_complete_and_consistent(url: str, expected: set[int]) -> None:
    """Exactly the expected files, each once, each with its own fingerprint, all in the change log."""
    with open_store(url) as s:
        assets = list(s.assets())
        by_sha = {synthetic_record(i)[0].sha256: i for i in expected}
        assert len(assets) == len(expected)
        assert {a.sha256 for a in assets} == set(by_sha)
        fps = s.fingerprints([a.asset_id for a in assets])
        assert len(fps) == len(assets)
        for a in assets:
            want_asset, want_fp = synthetic_record(by_sha[a.sha256], prefix=a.asset_id.rsplit("-", 1)[0])
            assert a.to_dict() == want_asset.to_dict()
            assert fps[a.asset_id] == want_fp
        n_fp = s._one("SELECT COUNT(*) FROM fingerprints")[0]
        assert n_fp == len(assets), "orphan fingerprints"
        changes = s.index_changes(1, 0)
        assert changes is not None and set(changes.changed) >= {a.asset_id for a in assets}
        assert dict(changes.upserts) == {a.asset_id: fps[a.asset_id].index_key for a in assets}
        if not url.startswith("postgresql://"):
            assert s._one("PRAGMA integrity_check")[0] == "ok"


# ------------------------------------------------------------------ two importers at once
@pytest.mark.parametrize("mode", ["one-transaction", "per-file"])
@pytest.mark.parametrize("ids", ["same-ids", "different-ids"])
def test_two_processes_importing_the_same_files(backend_url, worker, tmp_path, mode, ids):
    open_store(backend_url).close()
    n = 200
    go = tmp_path / "go"
    a = spawn(worker, mode, backend_url, "asset", "up", n, go)
    b = spawn(worker, mode, backend_url, "asset" if ids == "same-ids" else "other", "down", n, go)
    wait_for_line(a, "ready")
    wait_for_line(b, "ready")
    go.touch()
    ra, rb = finish(a), finish(b)
    assert ra["added"] + rb["added"] == n, (ra, rb)
    assert ra["dups"] + rb["dups"] == n, (ra, rb)
    if mode == "per-file":  # they really interleaved: each registered part of the files
        assert ra["added"] > 0 and rb["added"] > 0, (ra, rb)
    assert_complete_and_consistent(backend_url, set(range(n)))


def test_processes_opening_a_fresh_registry_at_once(backend_url, worker, tmp_path):
    """The first open migrates; racing first opens must not fail or double-apply."""
    go = tmp_path / "go"
    procs = [spawn(worker, "per-file", backend_url, f"p{k}", "up", 3, go) for k in range(4)]
    for p in procs:
        wait_for_line(p, "ready")
    go.touch()
    results = [finish(p) for p in procs]
    assert sum(r["added"] for r in results) == 3
    with open_store(backend_url) as s:
        versions = [r[0] for r in s._exec("SELECT version FROM schema_migrations ORDER BY version").fetchall()]
        assert versions == sorted(set(versions)) and versions[0] == 1


# ------------------------------------------------------------------ SIGKILL mid-import
def kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def test_import_killed_inside_its_transaction_leaves_nothing(backend_url, worker):
    with open_store(backend_url) as s:
        seq_before = s.change_seq()
    p = spawn(worker, "slow-one-transaction", backend_url, "asset", "up", 500)
    wait_for_line(p, "added 25")
    # a reader is not blocked by the running import and sees none of it
    t0 = time.monotonic()
    with open_store(backend_url, readonly=True) as r:
        assert r.count() == 0
    assert time.monotonic() - t0 < 10
    kill(p)
    with open_store(backend_url) as s:
        assert s.count() == 0
        assert s._one("SELECT COUNT(*) FROM fingerprints")[0] == 0
        assert s._one("SELECT COUNT(*) FROM registry_changes")[0] == 0
        assert s.change_seq() == seq_before
    # no stale lock: the same import now runs to the end
    again = spawn(worker, "one-transaction", backend_url, "asset", "up", 60)
    assert finish(again, timeout=60) == {"added": 60, "dups": 0}
    assert_complete_and_consistent(backend_url, set(range(60)))


def test_import_killed_between_files_keeps_only_whole_assets(backend_url, worker):
    open_store(backend_url).close()
    p = spawn(worker, "slow-per-file", backend_url, "asset", "up", 500)
    line = wait_for_line(p, "committed 30")
    kill(p)
    committed = int(line.split()[1])
    with open_store(backend_url) as s:
        n = s.count()
    # everything reported as committed is there; at most the one file in flight besides
    assert committed <= n <= 500
    assert_complete_and_consistent(backend_url, set(range(n)))
    # re-running the import registers the rest and duplicates nothing
    rest = spawn(worker, "per-file", backend_url, "asset", "up", 500)
    assert finish(rest) == {"added": 500 - n, "dups": n}
    assert_complete_and_consistent(backend_url, set(range(500)))


# ------------------------------------------------------------------ an index kept in step
def test_index_feed_stays_consistent_with_concurrent_writers(backend_url, worker, tmp_path):
    """While two processes import (per file, interleaved) and this one removes assets, a feed
    that only ever polls ends with exactly what a full reload gives: commit-ordered
    generations mean no change is skipped."""
    from imagerights.registry.changes import IndexFeed

    reader = open_store(backend_url)
    writer = open_store(backend_url)
    for i in range(1000, 1020):
        writer.add(*synthetic_record(i))
    feed = IndexFeed(reader, 1)
    index = dict(feed.load())
    go = tmp_path / "go"
    a = spawn(worker, "per-file", backend_url, "asset", "up", 150, go)
    b = spawn(worker, "per-file", backend_url, "other", "down", 150, go)
    wait_for_line(a, "ready")
    wait_for_line(b, "ready")
    go.touch()
    polls = 0
    removed = 1000
    while a.poll() is None or b.poll() is None:
        if removed < 1020:
            writer.remove(f"asset-{removed:06d}")
            removed += 1
        changes = feed.poll()
        assert changes is not None
        for asset_id, key in changes.upserts:
            index[asset_id] = key
        for asset_id in changes.removed:
            index.pop(asset_id, None)
        polls += 1
        time.sleep(0.005)
    finish(a), finish(b)
    for i in range(removed, 1020):
        writer.remove(f"asset-{i:06d}")
    changes = feed.poll()
    for asset_id, key in changes.upserts:
        index[asset_id] = key
    for asset_id in changes.removed:
        index.pop(asset_id, None)
    assert polls > 3
    assert index == dict(reader.index_rows(1))
    assert len(index) == 150
