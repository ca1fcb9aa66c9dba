"""LiveIndex: the matcher's candidate index follows other users' writes without reloading
(both backends; a small brute-force base and a multi-index base above BRUTE_FORCE_MAX)."""

from __future__ import annotations

import random

import pytest
from pg_server import backend_url, pg_server, pg_url  # noqa: F401

from imagerights.registry import copy as copy_mod
from imagerights.registry.changes import mark_bulk_change, prune_changes
from imagerights.registry.store import Asset, Fingerprint, open_store

index_mod = pytest.importorskip("imagerights.registry.index")
from imagerights.registry.live import LiveIndex  # noqa: E402

pytestmark = pytest.mark.postgres

COLUMNS = 3


def key_of(i: int) -> bytes:
    rnd = random.Random(i)
    return b"".join(rnd.getrandbits(64).to_bytes(8, "little") for _ in range(COLUMNS))


def record(i: int, key: bytes | None = None):
    sha = f"{i:064x}"
    return Asset(asset_id=f"a{i:07d}", sha256=sha), Fingerprint(1, key or key_of(i), b"h" * 256)


def fill(url: str, n: int) -> None:
    with open_store(url) as s, s.transaction():
        for start in range(0, n, 5000):
            copy_mod._insert(s, [record(i) for i in range(start, min(n, start + 5000))])
        mark_bulk_change(s)


def lookup(index, key: bytes, column: int = 1) -> list[str]:
    q = int.from_bytes(key[8 * column:8 * column + 8], "little")
    return [c.asset_id for c in index.search([(q, column)], 0, 10)]


@pytest.mark.parametrize("n", [40, index_mod.BRUTE_FORCE_MAX + 5000])
def test_live_index_follows_adds_removals_and_refingerprints(backend_url, n):
    fill(backend_url, n)
    mine = open_store(backend_url, readonly=True)
    theirs = open_store(backend_url)
    live = LiveIndex(mine, 1, COLUMNS)
    seen: list = []
    live.on_change(seen.append)
    assert live.size == n and lookup(live, key_of(7)) == ["a0000007"]

    theirs.add(*record(10_000_000))
    assert lookup(live, key_of(10_000_000)) == ["a10000000"]
    theirs.remove("a0000007")
    assert lookup(live, key_of(7)) == []
    new_key = key_of(99_999_999)
    theirs.set_fingerprint("a0000008", Fingerprint(1, new_key, b"h" * 256))
    assert lookup(live, key_of(8)) == [] and lookup(live, new_key) == ["a0000008"]
    theirs.update("a0000009", status="do-not-use")
    assert lookup(live, key_of(9)) == ["a0000009"]
    assert live.reloads == 1  # all of that without reloading
    assert seen == [["a10000000"], ["a0000007"], ["a0000008"], ["a0000009"]]
    assert lookup(live, key_of(n - 1)) == [f"a{n - 1:07d}"]


def test_live_index_reloads_when_the_delta_grows_or_history_is_gone(backend_url, monkeypatch):
    import imagerights.registry.live as live_mod

    monkeypatch.setattr(live_mod, "REBUILD_MIN", 5)
    fill(backend_url, 20)
    mine = open_store(backend_url, readonly=True)
    theirs = open_store(backend_url)
    live = LiveIndex(mine, 1, COLUMNS)
    with theirs.transaction():
        for i in range(100, 110):
            theirs.add(*record(i))
    assert lookup(live, key_of(105)) == ["a0000105"]
    assert live.reloads == 2 and live.hidden == set() and live.delta is None
    theirs.remove("a0000105")
    prune_changes(theirs, older_than_days=-1)
    assert lookup(live, key_of(105)) == []
    assert live.reloads == 3


def test_matcher_with_live_index_sees_a_colleagues_import_and_edits(backend_url, tmp_path):
    """``Matcher(store, index=LiveIndex(...))``: a long-running matcher finds an asset another
    process registered after it started, forgets a removed one, and — with the cache hook —
    reports a status changed meanwhile; all without reloading."""
    from PIL import Image
    from pg_server import make_images

    from imagerights.imaging import open_source
    from imagerights.registry import hashing
    from imagerights.registry.ingest import Item, register
    from imagerights.registry.match import ALGO, Matcher

    images = make_images(tmp_path / "bank", 3)
    theirs = open_store(backend_url)
    register(theirs, [Item(images[0])], read_file_metadata=False, added_by="bildbanken")
    mine = open_store(backend_url)
    live = LiveIndex(mine, ALGO, len(hashing.INDEX_REGIONS))
    matcher = Matcher(mine, index=live)
    live.on_change(lambda ids: matcher._assets.clear() if ids is None
                   else [matcher._assets.pop(i, None) for i in ids])

    def posted(path):  # an edited copy, so the index (not the exact sha256) must find it
        out = tmp_path / f"post-{path.name}"
        with Image.open(path) as im:
            im.resize((200, 150)).save(out, quality=75)
        return open_source(out)

    assert [m.asset_id for m in matcher.match_source(posted(images[0]))]
    assert matcher.match_source(posted(images[1])) == []
    register(theirs, [Item(images[1])], read_file_metadata=False, added_by="bildbanken")
    found = matcher.match_source(posted(images[1]))
    assert found and found[0].asset["status"] == "active"
    theirs.update(found[0].asset_id, status="do-not-use")
    assert matcher.match_source(posted(images[1]))[0].asset["status"] == "do-not-use"
    theirs.remove(found[0].asset_id)
    assert matcher.match_source(posted(images[1])) == []
    assert live.reloads == 1
