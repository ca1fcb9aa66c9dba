"""Move a registry between backends (SQLite ⇄ PostgreSQL ⇄ SQLite …) and prove nothing was lost.

``imagerights registry copy SRC DST`` reads the source inside one read snapshot (so a live
registry that others keep writing to is copied as of one moment), writes the destination
inside one write transaction (a copy that is interrupted leaves the destination as it was),
then verifies: it re-reads the destination on a fresh connection and compares the number of
assets and fingerprints and an order-independent checksum of every record with what it read
from the source.

The checksum (:class:`Digest`) covers every field of every :class:`Asset` and every byte of
every :class:`Fingerprint` (algorithm, index key, hashes, local features, thumbnail), so a
changed timestamp or one flipped bit in a thumbnail shows. It is the sum modulo 2^256 of one
SHA-256 per record, which needs no common sort order — SQLite sorts ids bytewise, PostgreSQL
by the database's collation.
"""

from __future__ import annotations

import hashlib
import json
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from imagerights.registry.changes import mark_bulk_change
from imagerights.registry.schema import ASSET_COLUMNS
from imagerights.registry.sql import SQLStore
from imagerights.registry.store import Asset, Fingerprint, RegistryError, Store

PAGE = 500  # records per page: thumbnails and features make a record tens of kilobytes
_MOD = 1 << 256

Record = tuple[Asset, "Fingerprint | None"]


# ------------------------------------------------------------------------------ checksums
def record_digest(asset: Asset, fp: Fingerprint | None) -> bytes:
    """SHA-256 of one asset and its fingerprint, in a backend-independent canonical form."""
    h = hashlib.sha256()
    h.update(json.dumps(asset.to_dict(), sort_keys=True, ensure_ascii=False, default=str).encode())
    if fp is None:
        h.update(b"\x00no-fingerprint")
    else:
        h.update(b"\x00" + str(fp.algo).encode())
        for blob in (fp.index_key, fp.hashes, fp.features, fp.thumb):
            h.update(b"\x00" + (hashlib.sha256(blob).digest() if blob is not None else b"null"))
    return h.digest()


@dataclass
class Digest:
    """Counts and an order-independent checksum of a set of records."""

    assets: int = 0
    fingerprints: int = 0
    blob_bytes: int = 0
    total: int = 0  # sum of record digests mod 2^256

    def add(self, asset: Asset, fp: Fingerprint | None) -> None:
        self.assets += 1
        if fp is not None:
            self.fingerprints += 1
            self.blob_bytes += fp.nbytes
        self.total = (self.total + int.from_bytes(record_digest(asset, fp), "big")) % _MOD

    @property
    def checksum(self) -> str:
        return f"{self.total:064x}"

    def as_dict(self) -> dict:
        return {"assets": self.assets, "fingerprints": self.fingerprints,
                "blob_bytes": self.blob_bytes, "checksum": self.checksum}


# ------------------------------------------------------------------------------ reading
@contextmanager
def read_snapshot(store: Store) -> Iterator[None]:
    """Run the enclosed reads against one consistent snapshot of ``store``."""
    if not isinstance(store, SQLStore) or store._depth:
        yield
        return
    if store.dialect.name == "postgresql":
        store._exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
    else:
        store._exec("BEGIN")  # SQLite: a deferred transaction keeps one WAL snapshot for its reads
    try:
        yield
    finally:
        try:
            store._exec("COMMIT")
        except Exception:  # noqa: BLE001 - read-only: nothing to lose
            pass


_SELECT_PAGE = (
    "SELECT " + ", ".join(f"a.{c}" for c in ASSET_COLUMNS)
    + ", f.algo, f.index_key, f.hashes, f.features, f.thumb "
    "FROM assets a LEFT JOIN fingerprints f ON f.asset_id = a.asset_id "
)


def _record(store: SQLStore, row: tuple) -> Record:
    n = len(ASSET_COLUMNS)
    asset = store._asset_from_row(row[:n])
    fp = None if row[n] is None else store._fp_from_row(row[n:])
    return asset, fp


def pages(store: Store, page: int = PAGE) -> Iterator[list[Record]]:
    """Every asset with its fingerprint (or None), a page at a time (keyset pagination by id)."""
    if not isinstance(store, SQLStore):
        ids = [a.asset_id for a in store.assets()]
        for start in range(0, len(ids), page):
            chunk = ids[start:start + page]
            fps = store.fingerprints(chunk)
            yield [(a, fps.get(a.asset_id)) for a in (store.get(i) for i in chunk) if a is not None]
        return
    last: str | None = None
    while True:
        if last is None:
            rows = store._exec(_SELECT_PAGE + "ORDER BY a.asset_id LIMIT ?", (page,)).fetchall()
        else:
            rows = store._exec(_SELECT_PAGE + "WHERE a.asset_id > ? ORDER BY a.asset_id LIMIT ?",
                               (last, page)).fetchall()
        if not rows:
            return
        yield [_record(store, r) for r in rows]
        if len(rows) < page:
            return
        last = rows[-1][0]


def records_by_id(store: Store, ids: list[str]) -> dict[str, Record]:
    """The records with these ids (those that exist)."""
    if not ids:
        return {}
    if not isinstance(store, SQLStore):
        fps = store.fingerprints(ids)
        return {i: (a, fps.get(i)) for i in ids if (a := store.get(i)) is not None}
    out: dict[str, Record] = {}
    for start in range(0, len(ids), PAGE):
        chunk = ids[start:start + PAGE]
        marks = ", ".join("?" * len(chunk))
        for row in store._exec(_SELECT_PAGE + f"WHERE a.asset_id IN ({marks})", chunk).fetchall():
            asset, fp = _record(store, row)
            out[asset.asset_id] = (asset, fp)
    return out


def digest(store: Store) -> Digest:
    """Counts and checksum of a whole registry (one snapshot)."""
    d = Digest()
    with read_snapshot(store):
        for batch in pages(store):
            for asset, fp in batch:
                d.add(asset, fp)
    return d


# ------------------------------------------------------------------------------ writing
def _insert(dst: Store, batch: list[Record]) -> None:
    if not isinstance(dst, SQLStore):
        for asset, fp in batch:
            if fp is None:
                raise RegistryError(f"asset {asset.asset_id} has no fingerprint; this destination needs one")
            dst.add(asset, fp)
        return
    cols = ", ".join(ASSET_COLUMNS)
    marks = ", ".join("?" * len(ASSET_COLUMNS))
    dst._exec_many(f"INSERT INTO assets ({cols}) VALUES ({marks})", [dst._asset_params(a) for a, _ in batch])
    fps = [(a.asset_id, fp.algo, fp.index_key, fp.hashes, fp.features, fp.thumb) for a, fp in batch if fp]
    if fps:
        dst._exec_many("INSERT INTO fingerprints (asset_id, algo, index_key, hashes, features, thumb) "
                       "VALUES (?, ?, ?, ?, ?, ?)", fps)


def _existing(dst: Store, batch: list[Record]) -> tuple[dict[str, Record], dict[str, str]]:
    """In ``dst``: records with the batch's ids, and sha256 → id for the batch's files."""
    by_id = records_by_id(dst, [a.asset_id for a, _ in batch])
    by_sha: dict[str, str] = {}
    for asset, _fp in batch:
        found = dst.find_sha256(asset.sha256)
        if found is not None:
            by_sha[asset.sha256] = found.asset_id
    return by_id, by_sha


@dataclass
class CopyResult:
    source: str
    destination: str
    copied: int = 0
    already_present: int = 0
    conflicts: list[str] = field(default_factory=list)
    source_digest: Digest = field(default_factory=Digest)
    destination_digest: Digest = field(default_factory=Digest)
    problems: list[str] = field(default_factory=list)  # verification failures
    seconds: float = 0.0

    @property
    def verified(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {"source": self.source, "destination": self.destination, "copied": self.copied,
                "already_present": self.already_present, "conflicts": self.conflicts,
                "source_digest": self.source_digest.as_dict(),
                "destination_digest": self.destination_digest.as_dict(),
                "verified": self.verified, "problems": self.problems, "seconds": round(self.seconds, 3)}


def same_registry(a: Store, b: Store) -> bool:
    pa, pb = getattr(a, "path", None), getattr(b, "path", None)
    if pa is not None and pb is not None:
        try:
            return Path(pa).resolve() == Path(pb).resolve()
        except OSError:
            return False
    return a.url == b.url


def copy_registry(src: Store, dst: Store, *, merge: bool = False, reopen: Callable[[], Store] | None = None,
                  progress: Callable[[int, int], None] | None = None, page: int = PAGE) -> CopyResult:
    """Copy every asset and fingerprint of ``src`` into ``dst``, then verify.

    ``dst`` must be empty unless ``merge``: then records already there (same id, identical
    content) are skipped and records that clash (same id or same file, different content)
    are listed in ``conflicts`` and left alone. ``reopen`` gives a fresh connection to the
    destination for the verification pass (default: ``dst`` itself).
    """
    if same_registry(src, dst):
        raise RegistryError("source and destination are the same registry")
    result = CopyResult(src.url, dst.url)
    started = time.perf_counter()
    total = src.count()
    src_digest = Digest()
    with dst.transaction():
        if not merge and dst.count():
            raise RegistryError(f"destination {dst.url} already holds {dst.count()} assets; "
                                "copy into an empty registry, or use --merge")
        with read_snapshot(src):
            done = 0
            for batch in pages(src, page):
                for asset, fp in batch:
                    src_digest.add(asset, fp)
                todo = batch
                if merge:
                    todo = []
                    by_id, by_sha = _existing(dst, batch)
                    for asset, fp in batch:
                        there = by_id.get(asset.asset_id)
                        if there is not None:
                            if record_digest(*there) == record_digest(asset, fp):
                                result.already_present += 1
                            else:
                                result.conflicts.append(f"{asset.asset_id}: differs in the destination")
                        elif asset.sha256 in by_sha:
                            result.conflicts.append(f"{asset.asset_id}: same file registered in the "
                                                    f"destination as {by_sha[asset.sha256]}")
                        else:
                            todo.append((asset, fp))
                if todo:
                    _insert(dst, todo)
                    result.copied += len(todo)
                done += len(batch)
                if progress:
                    progress(done, total)
        if result.copied and isinstance(dst, SQLStore):
            mark_bulk_change(dst)  # running matchers reload rather than replay 10^6 changes
    result.source_digest = src_digest
    checker = reopen() if reopen else dst
    try:
        result.destination_digest, result.problems = _verify(src_digest, checker, merge=merge)
        if merge:
            clashing = {c.split(":", 1)[0] for c in result.conflicts}
            result.problems += [p for p in verify_subset(src, checker) if p.split(":", 1)[0] not in clashing]
    finally:
        if reopen:
            checker.close()
    result.seconds = time.perf_counter() - started
    return result


def _verify(expected: Digest, dst: Store, *, merge: bool) -> tuple[Digest, list[str]]:
    """Compare the destination with what was read from the source."""
    got = digest(dst)
    problems: list[str] = []
    if not merge:
        for what in ("assets", "fingerprints", "blob_bytes"):
            if getattr(got, what) != getattr(expected, what):
                problems.append(f"{what}: source {getattr(expected, what)}, destination {getattr(got, what)}")
        if got.checksum != expected.checksum:
            problems.append(f"checksum: source {expected.checksum[:16]}…, destination {got.checksum[:16]}…")
    elif got.assets < expected.assets:
        problems.append(f"destination holds {got.assets} assets, fewer than the source's {expected.assets}")
    return got, problems


def verify_subset(src: Store, dst: Store) -> list[str]:
    """Every record of ``src`` is in ``dst`` with identical content (after a ``--merge`` copy)."""
    problems: list[str] = []
    with read_snapshot(src), read_snapshot(dst):
        for batch in pages(src):
            there = records_by_id(dst, [a.asset_id for a, _ in batch])
            for asset, fp in batch:
                other = there.get(asset.asset_id)
                if other is None:
                    problems.append(f"{asset.asset_id}: missing in the destination")
                elif record_digest(*other) != record_digest(asset, fp):
                    problems.append(f"{asset.asset_id}: differs in the destination")
    return problems
