"""Registry at a department's scale: index load time and memory, change polling, import rate.

For each backend (SQLite file, PostgreSQL) and registry size (default 10^5 and 10^6 assets
with synthetic hashes) this script

1. fills a fresh registry in bulk (COPY on PostgreSQL, executemany on SQLite);
2. in a *fresh process* (clean memory figures) opens the registry and loads the in-memory
   index, twice over (each in its own process):
   ``raw``  — :meth:`IndexFeed.load` into a list of ids + an N×K uint8 key matrix: the cost of
   getting the rows out of the database;
   ``live`` — the matcher's real index, :class:`LiveIndex` over ``index.py``'s ``HashIndex``
   (packed ids, multi-index tables), when ``index.py`` is present;
   and reports wall time, rows/s, resident memory the loaded index holds (RSS after minus RSS
   before) and the peak RSS growth during the load (transient driver buffers included);
3. in that process, times a poll when nothing changed (what every query pays), and a poll
   after another connection added 100 and removed 100 assets (what staying consistent costs);
4. at a small size, times ``Store.add`` through the public API (per-file transactions and
   one transaction per import) — the registry's real import path, fingerprinting excluded;
5. times ``registry copy`` (copy + verification pass) SQLite → PostgreSQL → SQLite at the
   smallest size (``--copy``).

Run (PostgreSQL: a throw-away server from tests/pg_server.py, fsync on, unless --pg-url)::

    .venv/bin/python bench/registry.py                       # 10^5 and 10^6, both backends
    .venv/bin/python bench/registry.py --sizes 100000 --backends sqlite --json out.json

Index rows carry ``--key-bytes`` of key (default 24: three 64-bit crop keys, ``hashing.INDEX_REGIONS``)
and 256 bytes of full hashes (eight 256-bit hashes, ``STORED_REGIONS``); local features and
thumbnails are left out (they are TOASTed / overflow pages, read only per candidate) so the
database stays a few hundred MB.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

HASHES_BYTES = 256
PAGE_ROWS = 20_000


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    """VmHWM: this process image's peak RSS (ru_maxrss would carry the parent's over exec)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ------------------------------------------------------------------------------ filling
def synthetic_rows(start: int, stop: int, key_bytes: int):
    """Asset rows (ASSET_COLUMNS order) and fingerprint rows for ids start…stop-1."""
    import numpy as np

    rng = np.random.default_rng(start)
    keys = rng.integers(0, 256, (stop - start, key_bytes), dtype=np.uint8)
    hashes = rng.integers(0, 256, (stop - start, HASHES_BYTES), dtype=np.uint8)
    assets, fps = [], []
    for k, i in enumerate(range(start, stop)):
        asset_id = f"bench-{i:08d}"
        sha = hashlib.sha256(i.to_bytes(8, "little")).hexdigest()
        assets.append((asset_id, sha, f"Synthetic asset {i}", '["Bildbanken"]', None, "CC-BY-4.0", None, "[]",
                       0, "none", None, None, "active", "", f"{i}.jpg", 1_000_000, 4000, 3000,
                       "2026-01-01T00:00:00+00:00", "bench", None))
        fps.append((asset_id, 1, keys[k].tobytes(), hashes[k].tobytes(), None, None))
    return assets, fps


def fill(store, n: int, key_bytes: int) -> float:
    """Bulk-insert n synthetic assets; returns seconds."""
    from imagerights.registry.changes import mark_bulk_change
    from imagerights.registry.schema import ASSET_COLUMNS

    t0 = time.perf_counter()
    with store.transaction():
        for start in range(0, n, 50_000):
            assets, fps = synthetic_rows(start, min(n, start + 50_000), key_bytes)
            if store.dialect.name == "postgresql":
                cur = store.conn.cursor()
                with cur.copy(f"COPY assets ({', '.join(ASSET_COLUMNS)}) FROM STDIN") as cp:
                    for row in assets:
                        cp.write_row(row)
                with cur.copy("COPY fingerprints (asset_id, algo, index_key, hashes, features, thumb) "
                              "FROM STDIN") as cp:
                    for row in fps:
                        cp.write_row(row)
            else:
                marks = ", ".join("?" * len(ASSET_COLUMNS))
                store._exec_many(f"INSERT INTO assets ({', '.join(ASSET_COLUMNS)}) VALUES ({marks})", assets)
                store._exec_many("INSERT INTO fingerprints VALUES (?, ?, ?, ?, ?, ?)", fps)
        mark_bulk_change(store)
    if store.dialect.name == "postgresql":
        store._exec("ANALYZE")
    return time.perf_counter() - t0


def db_size_mb(store) -> float:
    if store.dialect.name == "postgresql":
        return store._one("SELECT pg_database_size(current_database())")[0] / 2**20
    p = Path(store.url)
    return sum(f.stat().st_size for f in p.parent.glob(p.name + "*")) / 2**20


# ------------------------------------------------------------------------------ the load (child process)
def load_raw(store, key_bytes: int):
    """ids + N×K key matrix straight from IndexFeed; returns (ids, poll function, extra)."""
    import numpy as np

    from imagerights.registry.changes import IndexFeed

    feed = IndexFeed(store, 1)
    ids: list[str] = []
    chunks: list[np.ndarray] = []
    buf = bytearray()
    for asset_id, key in feed.load():
        ids.append(asset_id)
        buf += key
        if len(buf) >= PAGE_ROWS * key_bytes:
            chunks.append(np.frombuffer(bytes(buf), dtype=np.uint8).reshape(-1, key_bytes))
            buf = bytearray()
    if buf:
        chunks.append(np.frombuffer(bytes(buf), dtype=np.uint8).reshape(-1, key_bytes))
    keys = np.concatenate(chunks) if chunks else np.zeros((0, key_bytes), np.uint8)
    del chunks
    return ids, feed.poll, {"keys_mb": round(keys.nbytes / 2**20, 1)}, keys


def load_live(store, key_bytes: int):
    """The matcher's index: LiveIndex over index.py's HashIndex."""
    from imagerights.registry.live import LiveIndex

    live = LiveIndex(store, 1, key_bytes // 8)
    first_ids = [live.base.ids[i] for i in range(0, 700, 7)]
    return first_ids, live.refresh, {"index_nbytes_mb": round(live.nbytes / 2**20, 1)}, live


def measure_load(url: str, key_bytes: int, mode: str) -> dict:
    """Runs in a fresh process: open, load the index, poll."""
    from imagerights.registry.store import open_store

    t0 = time.perf_counter()
    store = open_store(url, readonly=True)
    t_open = time.perf_counter() - t0
    base = rss_mb()
    t0 = time.perf_counter()
    ids, poll, extra, held_obj = (load_raw if mode == "raw" else load_live)(store, key_bytes)
    t_load = time.perf_counter() - t0
    held = rss_mb() - base
    peak = peak_rss_mb() - base
    rows = len(ids) if mode == "raw" else held_obj.size
    victims = [ids[i * 7] for i in range(100)] if mode == "raw" else ids  # 100 assets to remove

    # a poll when nothing changed: what each query pays to stay consistent
    t = time.perf_counter()
    for _ in range(200):
        poll()
    poll_idle_ms = (time.perf_counter() - t) / 200 * 1000

    # another user adds 100 and removes 100 assets; our poll fetches and applies just those
    other = open_store(url)
    import random

    from imagerights.registry.store import Asset, Fingerprint

    rnd = random.Random(1)
    with other.transaction():
        for i in range(100):
            sha = hashlib.sha256(f"poll-{os.getpid()}-{i}".encode()).hexdigest()
            other.add(Asset(asset_id=f"poll-{os.getpid()}-{i:04d}", sha256=sha),
                      Fingerprint(1, rnd.randbytes(key_bytes), rnd.randbytes(HASHES_BYTES)))
        for i in range(100):
            other.remove(victims[i])
    t = time.perf_counter()
    changes = poll()
    poll_changes_ms = (time.perf_counter() - t) * 1000
    if mode == "raw":
        assert len(changes.upserts) == 100 and len(changes.removed) == 100, changes
    else:
        assert changes is True and held_obj.reloads == 1 and len(held_obj.hidden) == 200
    return {"rows": rows, "open_s": round(t_open, 3), "load_s": round(t_load, 3),
            "rows_per_s": round(rows / t_load), "index_mb": round(held, 1), "peak_mb": round(peak, 1),
            "poll_idle_ms": round(poll_idle_ms, 3), "poll_200_changes_ms": round(poll_changes_ms, 2), **extra}


def measure_in_child(url: str, key_bytes: int, mode: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--_load", url, "--key-bytes", str(key_bytes),
                          "--_mode", mode], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------------ import path
def measure_add(url: str, n: int = 1000) -> dict:
    """Store.add throughput via the public API (no fingerprinting)."""
    import random

    from imagerights.registry.store import Asset, Fingerprint, open_store

    rnd = random.Random(2)

    def record(i):
        sha = hashlib.sha256(f"add-{url}-{i}".encode()).hexdigest()
        return (Asset(asset_id=f"add-{i:06d}", sha256=sha, title="x", creators=["A"]),
                Fingerprint(1, rnd.randbytes(40), rnd.randbytes(HASHES_BYTES), rnd.randbytes(16000),
                            rnd.randbytes(4000)))

    recs = [record(i) for i in range(2 * n)]
    with open_store(url) as s:
        t = time.perf_counter()
        for a, fp in recs[:n]:
            s.add(a, fp)
        per_file = n / (time.perf_counter() - t)
        t = time.perf_counter()
        with s.transaction():
            for a, fp in recs[n:]:
                s.add(a, fp)
        one_tx = n / (time.perf_counter() - t)
    return {"add_per_file_tx_per_s": round(per_file), "add_one_tx_per_s": round(one_tx)}


def measure_copy(workdir: Path, server, pg_url: str | None, n: int, key_bytes: int) -> dict:
    """``registry copy`` SQLite → PostgreSQL → SQLite of n assets, each with its verification."""
    from imagerights.registry.copy import copy_registry
    from imagerights.registry.store import open_store

    a, c = str(workdir / "copy-a.db"), str(workdir / "copy-c.db")
    for f in list(workdir.glob("copy-*.db*")):
        f.unlink()
    with open_store(a) as s:
        fill(s, n, key_bytes)
    b = pg_url or server.new_database("copy")
    out = {"assets": n}
    for name, src, dst in (("sqlite_to_pg_s", a, b), ("pg_to_sqlite_s", b, c)):
        with open_store(src) as s, open_store(dst) as d:
            if pg_url and dst == pg_url:
                d._exec("TRUNCATE assets, fingerprints, registry_changes")
            t = time.perf_counter()
            r = copy_registry(s, d, reopen=lambda dst=dst: open_store(dst, readonly=True))
            out[name] = round(time.perf_counter() - t, 1)
            assert r.verified and r.copied == n, r.problems
    return out


# ------------------------------------------------------------------------------ main
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--key-bytes", type=int, default=24)
    ap.add_argument("--pg-url", default=None, help="an existing server's database to use (it is emptied!)")
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--json", default=None, help="also write the results here")
    ap.add_argument("--copy", type=int, default=None,
                    help="size for the copy timing (default: the smallest of --sizes; 0: skip)")
    ap.add_argument("--_load", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--_mode", default="raw", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args._load:
        print(json.dumps(measure_load(args._load, args.key_bytes, args._mode)))
        return
    try:
        import imagerights.registry.index  # noqa: F401

        modes = ["raw", "live"]
    except ImportError:
        modes = ["raw"]

    from imagerights.registry.store import open_store

    sizes = [int(s) for s in args.sizes.split(",")]
    backends = args.backends.split(",")
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="bench-registry-"))
    server = None
    if "postgresql" in backends and not args.pg_url:
        from pg_server import PostgresServer, find_bindir

        server = PostgresServer(find_bindir(), fsync=True).start()
    results = []
    copies: dict = {}
    try:
        for backend in backends:
            add_url = str(workdir / "add.db") if backend == "sqlite" else (args.pg_url or server.new_database("add"))
            add = measure_add(add_url)
            for n in sizes:
                if backend == "sqlite":
                    url = str(workdir / f"registry-{n}.db")
                    for f in workdir.glob(f"registry-{n}.db*"):
                        f.unlink()
                else:
                    url = args.pg_url or server.new_database(f"bench{n}")
                with open_store(url) as store:
                    if args.pg_url:
                        store._exec("TRUNCATE assets, fingerprints, registry_changes")
                    fill_s = fill(store, n, args.key_bytes)
                    size = db_size_mb(store)
                for mode in modes:
                    row = {"backend": backend, "assets": n, "index": mode, "fill_s": round(fill_s, 1),
                           "fill_per_s": round(n / fill_s), "db_mb": round(size),
                           **measure_in_child(url, args.key_bytes, mode), **add}
                    results.append(row)
                    print(json.dumps(row), flush=True)
        copy_n = min(sizes) if args.copy is None else args.copy
        if copy_n and set(backends) >= {"sqlite", "postgresql"}:
            copies = measure_copy(workdir, server, args.pg_url, copy_n, args.key_bytes)
            print(json.dumps(copies), flush=True)
    finally:
        if server is not None:
            server.stop()
        if not args.workdir:
            import shutil

            shutil.rmtree(workdir, ignore_errors=True)
    cols = ["backend", "assets", "index", "load_s", "rows_per_s", "index_mb", "peak_mb", "poll_idle_ms",
            "poll_200_changes_ms", "fill_per_s", "db_mb", "add_per_file_tx_per_s", "add_one_tx_per_s"]
    print("\n| " + " | ".join(cols) + " |\n|" + "---|" * len(cols))
    for r in results:
        print("| " + " | ".join(str(r[c]) for c in cols) + " |")
    if copies:
        print(f"\nregistry copy of {copies['assets']} assets (copy + verification): "
              f"SQLite → PostgreSQL {copies['sqlite_to_pg_s']} s, PostgreSQL → SQLite {copies['pg_to_sqlite_s']} s")
    if args.json:
        Path(args.json).write_text(json.dumps({"load": results, "copy": copies}, indent=2))


if __name__ == "__main__":
    main()
