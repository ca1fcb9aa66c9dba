"""Near-duplicate groups inside an audited folder: perceptual hashes within a few bits, single linkage.

Kept apart from :mod:`.similar` (which makes the hashes, in the workers) because the main process
only groups them: it needs no image library, and small folders need not even load numpy.
"""

from __future__ import annotations

from typing import Iterable

NEAR_THRESHOLD = 40  # bits of 256; why this value: see the docstring of imagerights.audit.similar
_NUMPY_FROM = 1000  # distinct hashes; below this, Python's int.bit_count beats importing numpy (~0.12 s)


def distance(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


def near_groups(items: Iterable[tuple[str, str]], threshold: int = NEAR_THRESHOLD) -> list[list[str]]:
    """Group keys whose hashes are within ``threshold`` bits (single linkage), biggest group first.

    ``items`` are ``(key, hex_hash)``. Keys with the same hash are one node (folders hold many
    exact copies); the distinct hashes are compared pair by pair, exactly: ~10⁶ pairs a second in
    Python, ~10⁸ with numpy, which is used from :data:`_NUMPY_FROM` distinct hashes on.
    """
    by_hash: dict[str, list[str]] = {}
    order: dict[str, int] = {}
    for key, h in items:
        if h:
            by_hash.setdefault(h.lower(), []).append(key)
            order.setdefault(key, len(order))
    if sum(len(keys) for keys in by_hash.values()) < 2:
        return []
    hashes = list(by_hash)
    parent = list(range(len(hashes)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in _close_pairs(hashes, threshold):
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[int, list[str]] = {}
    for i, h in enumerate(hashes):
        groups.setdefault(find(i), []).extend(by_hash[h])
    out = [sorted(g, key=order.__getitem__) for g in groups.values() if len(g) > 1]  # in the given order
    out.sort(key=lambda g: (-len(g), g[0]))
    return out


def _close_pairs(hashes: list[str], threshold: int) -> Iterable[tuple[int, int]]:
    if len(hashes) >= _NUMPY_FROM:
        yield from _close_pairs_numpy(hashes, threshold)
        return
    values = [int(h, 16) for h in hashes]
    for i, a in enumerate(values):
        for j in range(i + 1, len(values)):
            if (a ^ values[j]).bit_count() <= threshold:
                yield i, j


def _close_pairs_numpy(hashes: list[str], threshold: int) -> Iterable[tuple[int, int]]:
    import numpy as np

    nbytes = (max(len(h) for h in hashes) + 1) // 2
    nbytes += (-nbytes) % 8  # whole 64-bit words
    buf = b"".join(bytes.fromhex(h.rjust(nbytes * 2, "0")) for h in hashes)
    words = np.frombuffer(buf, dtype=np.uint8).reshape(len(hashes), nbytes).view(np.uint64)
    popcount = getattr(np, "bitwise_count", None)
    for i in range(len(hashes) - 1):
        x = np.bitwise_xor(words[i + 1:], words[i])
        if popcount is not None:
            d = popcount(x).sum(axis=1)
        else:  # numpy < 2.0
            d = np.unpackbits(x.view(np.uint8), axis=1).sum(axis=1)
        for j in np.nonzero(d <= threshold)[0]:
            yield i, i + 1 + int(j)
