"""The change log and :class:`IndexFeed`: a long-lived index loads once, then fetches only what
other users changed since — on both backends."""

from __future__ import annotations

import pytest
from pg_server import backend_url, pg_server, pg_url, synthetic_record  # noqa: F401

from imagerights.registry.changes import IndexFeed, prune_changes
from imagerights.registry.copy import copy_registry
from imagerights.registry.store import Fingerprint, open_store

pytestmark = pytest.mark.postgres


class CountingStore:
    """Counts the statements a store sends (to show a poll costs one query, not a reload)."""

    def __init__(self, store):
        self.store, self.statements = store, 0
        original = store._exec

        def counted(query, params=()):
            self.statements += 1
            return original(query, params)

        store._exec = counted


def apply(index: dict, changes) -> None:
    for asset_id, key in changes.upserts:
        index[asset_id] = key
    for asset_id in changes.removed:
        index.pop(asset_id, None)


def test_feed_follows_another_users_writes(backend_url):
    mine = open_store(backend_url)
    theirs = open_store(backend_url)  # a colleague's process: another connection
    with theirs.transaction():
        for i in range(10):
            theirs.add(*synthetic_record(i))
    feed = IndexFeed(mine, algo=1)
    index = dict(feed.load())
    assert len(index) == 10

    counter = CountingStore(mine)
    for _ in range(5):
        assert feed.poll().upserts == []
    assert counter.statements == 5  # one small query per poll when nothing changed

    theirs.add(*synthetic_record(10))
    theirs.remove("asset-000003")
    theirs.update("asset-000004", status="do-not-use")
    theirs.set_fingerprint("asset-000005", Fingerprint(1, b"new-key" * 5, b"h" * 224))
    theirs.set_fingerprint("asset-000006", Fingerprint(2, b"v2-key" * 5, b"h" * 224))  # another algorithm
    changes = feed.poll()
    assert sorted(changes.changed) == ["asset-000003", "asset-000004", "asset-000005", "asset-000006",
                                       "asset-000010"]
    assert dict(changes.upserts) == {"asset-000004": index["asset-000004"],
                                     "asset-000005": b"new-key" * 5,
                                     "asset-000010": synthetic_record(10)[1].index_key}
    assert sorted(changes.removed) == ["asset-000003", "asset-000006"]
    apply(index, changes)
    assert index == dict(mine.index_rows(1))
    assert feed.poll().changed == []


def test_rolled_back_writes_are_not_in_the_log(backend_url):
    s = open_store(backend_url)
    feed = IndexFeed(s, 1)
    list(feed.load())
    with pytest.raises(RuntimeError):
        with s.transaction():
            s.add(*synthetic_record(1))
            raise RuntimeError
    assert feed.poll().changed == []


def test_one_transaction_is_one_generation(backend_url):
    s = open_store(backend_url)
    before = s.change_seq()
    with s.transaction():
        for i in range(5):
            s.add(*synthetic_record(i))
        s.remove("asset-000002")
    assert s.change_seq() == before + 1
    changes = s.index_changes(1, before)
    assert changes.seq == before + 1 and sorted(changes.removed) == ["asset-000002"]
    assert len(changes.upserts) == 4


def test_pruned_history_makes_the_reader_reload(backend_url):
    s = open_store(backend_url)
    feed = IndexFeed(s, 1)
    list(feed.load())
    s.add(*synthetic_record(1))
    s.add(*synthetic_record(2))
    assert prune_changes(s, older_than_days=1) == 0  # nothing older than a day yet…
    assert prune_changes(s, older_than_days=-1) == 2  # …everything older than tomorrow
    assert feed.poll() is None  # history before our generation is gone: reload
    index = dict(feed.load())
    assert set(index) == {"asset-000001", "asset-000002"}
    s.add(*synthetic_record(3))
    assert feed.poll().changed == ["asset-000003"]


def test_a_bulk_copy_makes_readers_reload(backend_url, tmp_path):
    source = open_store(tmp_path / "source.db")
    with source.transaction():
        for i in range(20):
            source.add(*synthetic_record(i))
    dst = open_store(backend_url)
    feed = IndexFeed(dst, 1)
    assert dict(feed.load()) == {}
    assert copy_registry(source, dst).verified
    assert feed.poll() is None
    assert len(dict(feed.load())) == 20


def test_a_generation_from_another_registry_means_reload(backend_url):
    s = open_store(backend_url)
    assert s.index_changes(1, s.change_seq() + 5) is None


def test_min_interval_limits_queries(backend_url):
    s = open_store(backend_url)
    feed = IndexFeed(s, 1, min_interval=3600)
    list(feed.load())
    counter = CountingStore(s)
    for _ in range(10):
        feed.poll()
    assert counter.statements == 0
