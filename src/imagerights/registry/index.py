"""The in-memory candidate index: which registered assets could this image be a copy of?

Per asset it keeps ``C`` 64-bit pHash keys (one per canonical crop, ``hashing.INDEX_REGIONS``)
and finds, for a list of ``(query key, column)`` pairs, the assets whose key in that column is
within a small Hamming distance of the query key. It returns *candidates*; whether one is
really the same picture is decided by ``match.py`` (256-bit hashes and local features).

Memory: 8 bytes per key and the asset id (packed bytes + a 4-byte offset): about 40 bytes per
asset for 3 columns. Above ``BRUTE_FORCE_MAX`` assets the multi-index tables add 16 bytes per key
(about 88 bytes per asset in all) plus 3 MB of bucket offsets (31 bytes per asset at 10^5,
3 at 10^6). A full scan costs ~14 passes over the keys per query, too slow beyond ~20 000.

Search: multi-index hashing (Norouzi et al., "Fast search in Hamming space with multi-index
hashing", CVPR 2012): each 64-bit key is cut into four 16-bit pieces, and a table per piece
lists the assets sorted by that piece's value. Two keys within distance ``4·(r+1) − 1`` share
at least one piece within ``r`` bits, so probing each piece's ``r``-neighbourhood (``r = 1``:
17 buckets) finds every such key exactly, and most keys a little further away. Small indexes
(≤ ``BRUTE_FORCE_MAX`` assets) are scanned completely instead, which is exact at any distance.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import numpy as np

PIECES = 4
PIECE_BITS = 16
BRUTE_FORCE_MAX = 20_000
VOTE_BITS = 3
PROBE_RADIUS = 1  # bits per 16-bit piece: every key within 7 bits is found, many within ~15 (2 is 8× slower)
_MASK = np.uint64(0xFFFF)


def _probe_masks(radius: int) -> np.ndarray:
    masks = [0]
    if radius >= 1:
        masks += [1 << b for b in range(PIECE_BITS)]
    if radius >= 2:
        masks += [(1 << a) | (1 << b) for a in range(PIECE_BITS) for b in range(a + 1, PIECE_BITS)]
    return np.array(masks, dtype=np.uint32)


class _Ids:
    """Asset ids packed into one bytes buffer (a Python str per asset would cost ~60 bytes)."""

    def __init__(self, ids: list[str]):
        encoded = [i.encode() for i in ids]
        self.offsets = np.zeros(len(encoded) + 1, dtype=np.uint32)
        if encoded:
            self.offsets[1:] = np.cumsum([len(e) for e in encoded])
        self.blob = b"".join(encoded)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, row: int) -> str:
        return self.blob[self.offsets[row]:self.offsets[row + 1]].decode()

    @property
    def nbytes(self) -> int:
        return self.offsets.nbytes + len(self.blob)


@dataclass
class Candidate:
    asset_id: str
    distance: int  # smallest 64-bit distance over the probed pairs
    pair: int  # index of the (query key, column) pair that gave it


class HashIndex:
    """Candidate search over ``keys`` (C columns × N assets, uint64)."""

    def __init__(self, ids: list[str], keys: np.ndarray):
        keys = np.ascontiguousarray(keys, dtype=np.uint64)
        if keys.ndim != 2 or keys.shape[1] != len(ids):
            raise ValueError("keys must be C×N for N ids")
        self.ids = _Ids(ids)
        self.keys = keys
        self.columns, self.size = keys.shape
        self._tables: tuple[np.ndarray, np.ndarray] | None = None
        if self.size > BRUTE_FORCE_MAX:
            self._build_tables()

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, bytes]], columns: int) -> "HashIndex":
        ids: list[str] = []
        chunks: list[bytes] = []
        width = columns * 8
        for asset_id, key in rows:
            if len(key) != width:
                continue  # a fingerprint of another layout: re-fingerprint (``registry rehash``)
            ids.append(asset_id)
            chunks.append(key)
        flat = np.frombuffer(b"".join(chunks), dtype="<u8") if chunks else np.zeros(0, dtype=np.uint64)
        keys = flat.reshape(len(ids), columns).T if ids else np.zeros((columns, 0), dtype=np.uint64)
        return cls(ids, keys)

    @property
    def nbytes(self) -> int:
        return self.nbytes_per_asset_part + self.nbytes_fixed

    @property
    def nbytes_per_asset_part(self) -> int:
        """Memory that grows with the number of assets (keys, ids, sorted row lists)."""
        n = self.keys.nbytes + self.ids.nbytes
        if self._tables is not None:
            n += self._tables[0].nbytes
        return n

    @property
    def nbytes_fixed(self) -> int:
        """Memory independent of the number of assets (the bucket offsets, 3 MB)."""
        return self._tables[1].nbytes if self._tables is not None else 0

    def _build_tables(self) -> None:
        """One sorted row list per (column, piece) and the offsets of each 16-bit value in it."""
        n = self.size
        orders = np.empty((self.columns, PIECES, n), dtype=np.uint32)
        offsets = np.empty((self.columns, PIECES, (1 << PIECE_BITS) + 1), dtype=np.uint32)
        for c in range(self.columns):
            for p in range(PIECES):
                piece = ((self.keys[c] >> np.uint64(PIECE_BITS * p)) & _MASK).astype(np.uint16)
                orders[c, p] = np.argsort(piece, kind="stable")
                counts = np.bincount(piece, minlength=1 << PIECE_BITS)
                offsets[c, p, 0] = 0
                np.cumsum(counts, out=offsets[c, p, 1:])
        self._tables = (orders, offsets)

    def search(self, pairs: list[tuple[int, int]], max_distance: int, limit: int,
               radius: int = PROBE_RADIUS) -> list[Candidate]:
        """Assets within ``max_distance`` of any ``(query key, column)`` pair, nearest first."""
        if self.size == 0 or not pairs:
            return []
        qs = np.array([q for q, _ in pairs], dtype=np.uint64)
        cols = np.array([c for _, c in pairs], dtype=np.int64)
        if self._tables is None:
            rows, pair_of = self._scan(qs, cols, max_distance)
        else:
            rows, pair_of = self._probe(qs, cols, radius)
        if rows.size == 0:
            return []
        d = np.bitwise_count(self.keys[cols[pair_of], rows] ^ qs[pair_of]).astype(np.int16)
        keep = d <= max_distance
        rows, pair_of, d = rows[keep], pair_of[keep], d[keep]
        if rows.size == 0:
            return []
        # a row can come back once per 16-bit piece of the same pair: count each pair once
        _, once = np.unique(rows * len(pairs) + pair_of, return_index=True)
        rows, pair_of, d = rows[once], pair_of[once], d[once]
        order = np.lexsort((d, rows))  # by row, then distance: first of each row is its best
        rows, pair_of, d = rows[order], pair_of[order], d[order]
        first = np.ones(rows.size, dtype=bool)
        first[1:] = rows[1:] != rows[:-1]
        # votes: how many (query region, column) pairs found this asset. A chance neighbour in
        # 64 bits agrees on one pair; the real original usually on several (its centre, its
        # square and its full frame all resemble the copy's), so each extra vote counts as
        # VOTE_BITS bits closer when ranking.
        starts = np.flatnonzero(first)
        votes = np.diff(np.append(starts, rows.size))
        rows, pair_of, d = rows[first], pair_of[first], d[first]
        rank = d.astype(np.int32) - VOTE_BITS * (votes.astype(np.int32) - 1)
        best = np.argsort(rank, kind="stable")[:limit]
        return [Candidate(self.ids[int(rows[i])], int(d[i]), int(pair_of[i])) for i in best]

    def _scan(self, qs: np.ndarray, cols: np.ndarray, max_distance: int) -> tuple[np.ndarray, np.ndarray]:
        rows_out, pairs_out = [], []
        for i, (q, c) in enumerate(zip(qs, cols)):
            d = np.bitwise_count(self.keys[c] ^ q)
            hit = np.flatnonzero(d <= max_distance)
            rows_out.append(hit)
            pairs_out.append(np.full(hit.size, i, dtype=np.int64))
        return np.concatenate(rows_out), np.concatenate(pairs_out)

    def _probe(self, qs: np.ndarray, cols: np.ndarray, radius: int) -> tuple[np.ndarray, np.ndarray]:
        orders, offsets = self._tables  # type: ignore[misc]
        masks = _probe_masks(radius)
        pieces = np.arange(PIECES, dtype=np.uint64)
        # values[pair, piece] → probe values[pair, piece, mask]
        values = ((qs[:, None] >> (pieces[None, :] * np.uint64(PIECE_BITS))) & _MASK).astype(np.uint32)
        probes = values[:, :, None] ^ masks[None, None, :]
        npairs = len(qs)
        c_idx = np.broadcast_to(cols[:, None, None], probes.shape)
        p_idx = np.broadcast_to(np.arange(PIECES)[None, :, None], probes.shape)
        starts = offsets[c_idx, p_idx, probes].astype(np.int64).ravel()
        ends = offsets[c_idx, p_idx, probes + 1].astype(np.int64).ravel()
        lens = ends - starts
        total = int(lens.sum())
        if total == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        # flat position of each bucket's rows inside orders.ravel()
        base = (c_idx.ravel().astype(np.int64) * PIECES + p_idx.ravel()) * self.size + starts
        nonempty = lens > 0
        base, lens = base[nonempty], lens[nonempty]
        pair_ids = np.broadcast_to(np.arange(npairs)[:, None, None], probes.shape).ravel()[nonempty]
        shift = np.repeat(base - np.concatenate(([0], np.cumsum(lens)[:-1])), lens)
        flat = shift + np.arange(total)
        rows = orders.ravel()[flat].astype(np.int64)
        return rows, np.repeat(pair_ids, lens)
