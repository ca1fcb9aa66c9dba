"""Global perceptual hashes: pHash (imagehash's DCT algorithm) on canonical crops, with the
8 dihedral variants (mirror images and 90° turns) derived from one DCT.

Why these choices (``shared/research/phash.md`` §(a), measured there):

* pHash is the most robust global hash to recompression, resizing, greyscale and brightness.
  We compute it with OpenCV (area resize + DCT) on pixels decoded at reduced size
  (:meth:`SourceImage.rgb` uses JPEG draft decoding) — the hash needs 32×32 or 64×64 pixels,
  not 12 megapixels — so hashing costs a millisecond instead of imagehash's 40 ms resize.
* A flip or a 90° turn changes a pHash completely, but not its DCT: mirroring negates the odd
  columns of the DCT, turning by 90° transposes it. So the 8 dihedral variants of a query cost
  eight median thresholds, not eight resizes.
* Crops, borders and caption bands move every pixel of the hashed square; a global hash of the
  whole frame cannot survive them. The registry therefore hashes *canonical crops* of the
  original (the centre 80 %, the centre square …) and the query hashes the matching crops of
  itself, so some pair of regions shows (nearly) the same content.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

HASH_SIDE = 512  # pixels (longest side) the matcher decodes to (local features work at this size)
WORK_SIDE = 256  # pixels (longest side) the hashes are computed from: ≥4× the 64 px a hash needs


def gray(rgb: np.ndarray) -> np.ndarray:
    """Luma as float32 (BT.601 weights, like PIL's ``convert('L')``)."""
    if rgb.ndim == 2:
        return rgb.astype(np.float32)
    return cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2GRAY).astype(np.float32)


def work_gray(rgb: np.ndarray) -> np.ndarray:
    """Luma reduced once to :data:`WORK_SIDE`: every region is cut from this, so the area
    resizes to 32/64 px (the bulk of hashing time) read 4× fewer pixels."""
    g = gray(rgb)
    h, w = g.shape
    if max(h, w) > WORK_SIDE:
        f = WORK_SIDE / max(h, w)
        g = cv2.resize(g, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA)
    return g


def region(img: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """The sub-image at the fractional box ``(x0, y0, x1, y1)`` (0…1), at least 1×1 px."""
    h, w = img.shape[:2]
    x0, y0, x1, y1 = box
    c0, c1 = int(round(x0 * w)), max(int(round(x1 * w)), int(round(x0 * w)) + 1)
    r0, r1 = int(round(y0 * h)), max(int(round(y1 * h)), int(round(y0 * h)) + 1)
    return img[r0:r1, c0:c1]


def centre_box(fraction: float) -> tuple[float, float, float, float]:
    m = (1 - fraction) / 2
    return (m, m, 1 - m, 1 - m)


def square_box(width: int, height: int) -> tuple[float, float, float, float]:
    """The centre square of a ``width``×``height`` frame, as a fractional box."""
    if width >= height:
        f = height / width
        return ((1 - f) / 2, 0.0, (1 + f) / 2, 1.0)
    f = width / height
    return (0.0, (1 - f) / 2, 1.0, (1 + f) / 2)


def dct_block(g: np.ndarray, hash_size: int) -> np.ndarray:
    """The low-frequency ``hash_size``² block of the DCT of ``g`` resized to (4·hash_size)²."""
    n = hash_size * 4
    small = cv2.resize(g, (n, n), interpolation=cv2.INTER_AREA)
    return cv2.dct(small)[:hash_size, :hash_size]


_SIGNS: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def _signs(n: int) -> tuple[np.ndarray, np.ndarray]:
    if n not in _SIGNS:
        s = np.where(np.arange(n) % 2 == 0, 1.0, -1.0).astype(np.float32)
        _SIGNS[n] = (s[None, :], s[:, None])  # column signs (mirror), row signs (upside down)
    return _SIGNS[n]


# Dihedral variant names, in the order :func:`dihedral_blocks` returns them. Each names what was
# done to the ORIGINAL to get the query: "r90" = turned 90° anticlockwise, "flip" = mirrored
# left-right, "flip+r90" = mirrored then turned.
DIHEDRAL = ("none", "flip", "r180", "flip+r180", "r90", "flip+r90", "r270", "flip+r270")


def dihedral_blocks(block: np.ndarray) -> list[np.ndarray]:
    """The DCT blocks of the 8 dihedral transforms of the image whose DCT block is ``block``.

    Returned so that the query block ``i`` equals the original's block when the query is the
    original transformed by ``DIHEDRAL[i]`` — i.e. block ``i`` *undoes* that transform.
    """
    col, row = _signs(block.shape[0])
    b = block
    mirrored = b * col                 # undo a left-right mirror
    r180 = b * col * row               # undo a half turn
    flip180 = b * row                  # undo an upside-down mirror (= flip + r180)
    t = b.T
    # turning by 90° anticlockwise: new[i, j] = old[j, W-1-i] → DCT: new = (old * col).T
    undo_r90 = (b * row).T
    undo_r270 = (b * col).T
    undo_flip_r90 = t                  # transpose (its own inverse)
    undo_flip_r270 = t * col * row
    return [b, mirrored, r180, flip180, undo_r90, undo_flip_r90, undo_r270, undo_flip_r270]


def bits(block: np.ndarray) -> np.ndarray:
    """imagehash's pHash rule: a bit per coefficient, set when above the block's median."""
    flat = block.ravel()
    s = np.sort(flat)
    n = s.size
    median = (s[(n - 1) // 2] + s[n // 2]) / 2  # np.median's overhead dominates on 64 values
    return flat > median


def pack(bitarr: np.ndarray) -> bytes:
    return np.packbits(bitarr.astype(np.uint8)).tobytes()


def phash(g: np.ndarray, hash_size: int = 8) -> bytes:
    return pack(bits(dct_block(g, hash_size)))


def hamming(a: bytes, b: bytes) -> int:
    return int(np.bitwise_count(np.frombuffer(a, dtype=np.uint8) ^ np.frombuffer(b, dtype=np.uint8)).sum())


# ---------------------------------------------------------------------------------------------
# Canonical regions and the pairs of regions compared
# ---------------------------------------------------------------------------------------------
# A region is a fractional box of the frame; "sq" is the centre square, "sq80" the centre 80 %
# of that square. What the registry stores and what a query computes are different lists: a
# crop of the original is compared by pairing a query region with the stored region that shows
# the same content (a 5 % crop's full frame is the original's centre 90 %).

def region_box(name: str, width: int, height: int) -> tuple[float, float, float, float]:
    if name == "full":
        return (0.0, 0.0, 1.0, 1.0)
    if name.startswith("c") and name[1:].isdigit():
        return centre_box(int(name[1:]) / 100)
    if name == "sq":
        return square_box(width, height)
    if name == "sq80":
        x0, y0, x1, y1 = square_box(width, height)
        mx, my = (x1 - x0) * 0.1, (y1 - y0) * 0.1
        return (x0 + mx, y0 + my, x1 - mx, y1 - my)
    if name == "top85":
        return (0.0, 0.0, 1.0, 0.85)
    if name == "bot85":
        return (0.0, 0.15, 1.0, 1.0)
    raise ValueError(f"unknown region {name!r}")


# The in-memory index: 64-bit keys of these regions of the original (8 bytes each).
INDEX_REGIONS = ("full", "c70", "sq")
# The stored fingerprint: 256-bit hashes of these regions of the original (32 bytes each).
STORED_REGIONS = ("full", "c90", "c80", "c70", "sq", "sq80", "top85", "bot85")
# Regions a query hashes (besides the 8 dihedral variants of its full frame and, when it has a
# uniform border, the trimmed frame "trim").
QUERY_REGIONS = ("c90", "c80", "c70", "sq", "sq80", "top85", "bot85")

# (query region, stored region) pairs, and what each pair covers. "full/<dihedral>" means the
# query's full frame with the dihedral transform undone.
INDEX_PAIRS: tuple[tuple[str, str], ...] = (
    *((f"full/{d}", "full") for d in DIHEDRAL),  # resize, recompression, colour; flips and turns
    ("trim", "full"),   # a uniform border or frame, trimmed
    ("c80", "full"),    # a border that is not uniform
    ("c70", "c70"),     # a caption band or a watermark near the edge
    ("c80", "c70"),     # ~5 % off each side
    ("c90", "c70"),     # ~10 % off each side
    ("full/none", "sq"),  # the centre square (Instagram crop)
    ("sq", "sq"),
)
SCORE_PAIRS: tuple[tuple[str, str], ...] = (
    *((f"full/{d}", "full") for d in DIHEDRAL),
    ("trim", "full"),
    ("c80", "full"),
    ("full/none", "c90"),
    ("full/none", "c80"),
    ("c90", "c80"),
    ("c70", "c70"),
    ("full/none", "sq"),
    ("sq", "sq"),
    ("sq80", "sq80"),
    ("top85", "top85"),
    ("bot85", "bot85"),
)


def trim_box(g: np.ndarray, tolerance: float = 10.0, min_fraction: float = 0.02) -> tuple[float, float, float, float] | None:
    """The box inside a uniform frame (letterbox, passe-partout), or None when there is none.

    An edge row/column belongs to the frame when all its pixels are within ``tolerance`` grey
    levels of the corner colour; we need at least ``min_fraction`` of the side to call it a frame.
    """
    h, w = g.shape
    if h < 16 or w < 16:
        return None
    ref = float(np.median([g[0, 0], g[0, -1], g[-1, 0], g[-1, -1]]))
    row_ok = np.abs(g - ref).max(axis=1) <= tolerance
    col_ok = np.abs(g - ref).max(axis=0) <= tolerance

    def run(ok: np.ndarray) -> int:
        bad = np.flatnonzero(~ok)
        return int(bad[0]) if bad.size else ok.size

    top, bottom = run(row_ok), run(row_ok[::-1])
    left, right = run(col_ok), run(col_ok[::-1])
    if top + bottom >= h - 8 or left + right >= w - 8:
        return None  # (nearly) uniform image
    if max(top / h, bottom / h, left / w, right / w) < min_fraction:
        return None
    return (left / w, top / h, 1 - right / w, 1 - bottom / h)


@dataclass
class QueryHashes:
    """The hashes a query image is looked up with, by region name (see the pair tables)."""

    width: int
    height: int
    boxes: dict[str, tuple[float, float, float, float]]
    h64: dict[str, int]
    h256: dict[str, np.ndarray]  # 32 uint8 each

    _score: tuple | None = None

    def score_matrix(self) -> tuple[np.ndarray, np.ndarray, list[tuple[str, str]]]:
        """The query side of every available SCORE_PAIRS pair, stacked once per query."""
        if self._score is None:
            pairs = [(qr, sr) for qr, sr in SCORE_PAIRS if qr in self.h256]
            qm = np.stack([self.h256[qr] for qr, _ in pairs])
            sidx = np.array([STORED_REGIONS.index(sr) for _, sr in pairs])
            self._score = (qm, sidx, pairs)
        return self._score

    def index_pairs(self) -> list[tuple[int, int, str, str]]:
        """``(key, column, query region, stored region)`` for the index search."""
        out = []
        for q, s in INDEX_PAIRS:
            if q in self.h64:
                out.append((self.h64[q], INDEX_REGIONS.index(s), q, s))
        return out


def _key64(block: np.ndarray) -> int:
    return int.from_bytes(pack(bits(block)), "big")


def query_hashes(rgb: np.ndarray) -> QueryHashes:
    """Hash a (reduced) query image: every region any pair needs, 64 and 256 bits."""
    g = work_gray(rgb)
    h, w = g.shape
    boxes: dict[str, tuple[float, float, float, float]] = {}
    h64: dict[str, int] = {}
    h256: dict[str, np.ndarray] = {}
    full = np.ascontiguousarray(g)
    b8, b16 = dct_block(full, 8), dct_block(full, 16)
    for name, v8, v16 in zip(DIHEDRAL, dihedral_blocks(b8), dihedral_blocks(b16)):
        h64[f"full/{name}"] = _key64(v8)
        h256[f"full/{name}"] = np.packbits(bits(v16))
        boxes[f"full/{name}"] = (0.0, 0.0, 1.0, 1.0)
    regions = {r: region_box(r, w, h) for r in QUERY_REGIONS}
    tb = trim_box(g)
    if tb is not None:
        regions["trim"] = tb
    for name, box in regions.items():
        sub = np.ascontiguousarray(region(g, box))
        boxes[name] = box
        h64[name] = _key64(dct_block(sub, 8))
        h256[name] = np.packbits(bits(dct_block(sub, 16)))
    return QueryHashes(w, h, boxes, h64, h256)


def stored_hashes(rgb: np.ndarray) -> tuple[bytes, bytes]:
    """``(index_key, hashes)`` of an original: 64-bit keys of INDEX_REGIONS (little-endian
    uint64 each) and 256-bit hashes of STORED_REGIONS (32 bytes each), concatenated."""
    g = work_gray(rgb)
    h, w = g.shape
    key = b"".join(_key64(dct_block(np.ascontiguousarray(region(g, region_box(r, w, h))), 8)).to_bytes(8, "little")
                   for r in INDEX_REGIONS)
    hashes = b"".join(pack(bits(dct_block(np.ascontiguousarray(region(g, region_box(r, w, h))), 16)))
                      for r in STORED_REGIONS)
    return key, hashes


def unpack_stored(hashes: bytes) -> dict[str, np.ndarray]:
    arr = np.frombuffer(hashes, dtype=np.uint8)
    if arr.size != 32 * len(STORED_REGIONS):
        raise ValueError("fingerprint hashes of an unknown layout")
    return {r: arr[i * 32:(i + 1) * 32] for i, r in enumerate(STORED_REGIONS)}


def best_pair(q: QueryHashes, stored: dict[str, np.ndarray] | np.ndarray) -> tuple[int, str, str]:
    """The smallest 256-bit distance over :data:`SCORE_PAIRS`: ``(distance, query region, stored region)``.

    ``stored`` is :func:`unpack_stored`'s dict or the raw (8×32 uint8) matrix of STORED_REGIONS."""
    qm, sidx, names = q.score_matrix()
    sm = stored if isinstance(stored, np.ndarray) else np.stack([stored[r] for r in STORED_REGIONS])
    d = np.bitwise_count(qm ^ sm[sidx]).sum(axis=1)
    i = int(np.argmin(d))
    return int(d[i]), names[i][0], names[i][1]


def stored_matrix(hashes: bytes) -> np.ndarray:
    """The stored 256-bit hashes as an (len(STORED_REGIONS) × 32) uint8 matrix."""
    arr = np.frombuffer(hashes, dtype=np.uint8)
    if arr.size != 32 * len(STORED_REGIONS):
        raise ValueError("fingerprint hashes of an unknown layout")
    return arr.reshape(len(STORED_REGIONS), 32)
