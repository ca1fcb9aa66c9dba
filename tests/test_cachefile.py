"""The user-cache entries (imagerights.cachefile): a miss is always safe, a foreign file is never loaded."""

from __future__ import annotations

import os
import pickle
import time

import pytest

from imagerights import cachefile
from imagerights.licensing.catalogue import Catalogue
from imagerights.licensing import identify
from imagerights.resources import licenses_dir


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("IMAGERIGHTS_CACHE_DIR", str(folder))
    return folder


def test_round_trip_and_key_mismatch(cache):
    cachefile.write("thing", "/src", "k1" * 20, {"a": [1, 2]})
    assert cachefile.read("thing", "/src", "k1" * 20) == {"a": [1, 2]}
    assert cachefile.read("thing", "/src", "k2" * 20) is None
    cachefile.write("thing", "/src", "k2" * 20, "new")  # replaces the same source's older entry
    assert [p.name.startswith("thing-") for p in cache.iterdir()] == [True]
    assert oct(os.stat(next(cache.iterdir())).st_mode & 0o777) == "0o600"


def test_two_sources_keep_their_own_entries_and_old_ones_are_pruned(cache):
    """Two checkouts (or versions) of the licences do not keep replacing each other's entry;
    an entry unused for PRUNE_DAYS goes."""
    cachefile.write("thing", "/checkout-a", "a" * 40, "A")
    cachefile.write("thing", "/checkout-b", "b" * 40, "B")
    assert cachefile.read("thing", "/checkout-a", "a" * 40) == "A"
    assert cachefile.read("thing", "/checkout-b", "b" * 40) == "B"
    (entry_a,) = [p for p in cache.iterdir() if p.name.startswith(cachefile._prefix("thing", "/checkout-a"))]
    long_ago = time.time() - (cachefile.PRUNE_DAYS + 1) * 86400
    os.utime(entry_a, (long_ago, long_ago))
    cachefile.write("thing", "/checkout-b", "c" * 40, "C")
    assert cachefile.read("thing", "/checkout-a", "a" * 40) is None
    assert cachefile.read("thing", "/checkout-b", "c" * 40) == "C"


def test_a_file_others_may_write_is_not_loaded(cache):
    cachefile.write("thing", "/src", "k" * 40, "ok")
    (path,) = cache.iterdir()
    assert cachefile.read("thing", "/src", "k" * 40) == "ok"
    os.chmod(path, 0o666)
    assert cachefile.read("thing", "/src", "k" * 40) is None
    os.chmod(path, 0o600)
    os.chmod(cache, 0o777)
    assert cachefile.read("thing", "/src", "k" * 40) is None
    os.chmod(cache, 0o700)


def test_a_broken_entry_is_a_miss(cache):
    cachefile.write("thing", "/src", "k" * 40, "ok")
    (path,) = cache.iterdir()
    path.write_bytes(b"\x80\x05garbage")
    assert cachefile.read("thing", "/src", "k" * 40) is None
    path.write_bytes(pickle.dumps(("other-key", "x")))
    assert cachefile.read("thing", "/src", "k" * 40) is None


def test_cached_licence_index_equals_a_fresh_one(cache):
    first = Catalogue.from_dir(licenses_dir(), use_cache=True)
    built = identify._index(first)  # built, then stored
    assert list(cache.glob("licence-index-*.pickle"))
    second = Catalogue.from_dir(licenses_dir(), use_cache=True)  # both from the cache now
    assert second.cache_key == first.cache_key
    loaded = identify._cached_index(second)
    assert loaded is not None and loaded is not built
    assert loaded.by_name == built.by_name and loaded.by_path == built.by_path
    assert loaded.by_tool == built.by_tool and loaded.text_name_ids == built.text_name_ids
    assert loaded.text_names.pattern == built.text_names.pattern
    # and it identifies like the fresh one
    identify._INDEXES.pop(second, None)
    identify._INDEXES[second] = loaded
    assert identify.identify("Licens: Creative Commons Erkännande-DelaLika 4.0", second).id == "CC-BY-SA-4.0"
    assert identify.identify("https://creativecommons.org/licenses/by-nc/2.5/se/", second).id == "LicenseRef-CC-BY-NC-2.5-SE"
