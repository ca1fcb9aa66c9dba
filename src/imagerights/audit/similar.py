"""Near-duplicate detection inside an audited folder: one perceptual hash per file, grouped by distance.

The hash is behind :func:`hash_pixels` so that the implementation is chosen in one place. A full
audit uses the registry's own hashing (``imagerights.registry.hashing``: OpenCV resize + DCT, about
a millisecond), on the reduced decode the other readers already made (``SourceImage.rgb(512)``; the
hash of a draft-decoded JPEG differs from a full decode by 0 bits, research/phash.md §6). ``--fast``
hashes a camera's small embedded preview with :func:`phash_numpy`, the same algorithm in numpy
alone: its workers then never import OpenCV (~45 ms before the first file, in the fork server).
The two give the same 256 bits for every photo of the corpora and its preview (0 bits apart);
only a preview smaller than the 64-px hash grid, which both enlarge, differs by up to ~6 bits,
far inside :data:`imagerights.audit.near.NEAR_THRESHOLD`. A folder's hashes always come from one of
them (the mode is part of the cache fingerprint).

Threshold: pHash-16 pairs ≤ 51 bits apart had no false match over 39,360 negative pairs of real
photos (research/phash.md §6.4); a folder holds more same-scene shots than that benchmark, so the
audit uses a stricter :data:`imagerights.audit.near.NEAR_THRESHOLD` (40 bits) — it groups copies (resized, recompressed, lightly
edited), not series.
"""

from __future__ import annotations

import io
import struct
import warnings
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported where pixels are made: the main process never needs it
    import numpy as np

HASH_BITS = 256
HASH_SIZE = 16  # imagehash hash_size: 16×16 = 256 bits


@cache
def _registry_hashing():
    """The registry's hashing module (OpenCV pHash, the same algorithm as imagehash's) if present."""
    try:
        from imagerights.registry import hashing
    except Exception:  # noqa: BLE001 - module not there (yet) or broken: use the fallback
        return None
    return hashing if hasattr(hashing, "phash") and hasattr(hashing, "gray") else None


def hash_impl(fast: bool = False) -> str:
    """Which implementation :func:`hash_pixels` uses (part of the cache fingerprint). Told from
    whether OpenCV is installed, without importing it: the main process needs only the name."""
    from importlib.util import find_spec

    if fast:
        return "numpy-phash16"
    return "registry-phash16" if find_spec("cv2") is not None else "numpy-phash16"


def hash_pixels(rgb: np.ndarray, fast: bool = False) -> str:
    """Hex pHash-16 of RGB pixels (the one place the algorithm is chosen)."""
    hashing = None if fast else _registry_hashing()
    if hashing is not None:
        return hashing.phash(hashing.gray(rgb), HASH_SIZE).hex()
    return phash_numpy(rgb, HASH_SIZE).hex()


def phash_numpy(rgb: np.ndarray, hash_size: int = HASH_SIZE) -> bytes:
    """imagehash's pHash as the registry computes it (BT.601 luma, area reduction to
    (4·hash_size)², orthonormal DCT-II, a bit per low-frequency coefficient above their median),
    with numpy's matrix products instead of OpenCV. For the small images ``--fast`` hashes (a
    camera's 160×120 preview) it takes ~0.3 ms."""
    import numpy as np

    n = 4 * hash_size
    if rgb.ndim == 3:  # OpenCV's fixed-point RGB→grey (15-bit weights): the same grey to the unit
        rgb = rgb.astype(np.uint32)
        grey = ((rgb[..., 0] * 9798 + rgb[..., 1] * 19235 + rgb[..., 2] * 3735 + 16384) >> 15).astype(np.float64)
    else:
        grey = rgb.astype(np.float64)
    h, w = grey.shape
    linear = h < n or w < n
    small = _resample(h, n, linear) @ grey @ _resample(w, n, linear).T
    c = _dct_rows(n, hash_size)
    block = (c @ small @ c.T).ravel()
    s = np.sort(block)
    median = (s[(block.size - 1) // 2] + s[block.size // 2]) / 2
    return np.packbits((block > median).astype(np.uint8)).tobytes()


@cache
def _resample(size: int, n: int, linear: bool) -> np.ndarray:
    """``n``×``size`` matrix that resamples one axis as OpenCV's INTER_AREA does: when reducing,
    output ``i`` averages input ``[i·s, (i+1)·s)`` (``s = size / n``), partial pixels weighted by
    their overlap; when either side grows (``linear``), both are interpolated linearly between
    pixel centres instead."""
    import numpy as np

    w = np.zeros((n, size))
    scale = size / n
    if linear:
        for i in range(n):
            x = (i + 0.5) * scale - 0.5
            x0 = int(np.floor(x))
            a = x - x0
            if x0 < 0:
                x0, a = 0, 0.0
            if x0 >= size - 1:
                x0, a = size - 1, 0.0
            w[i, x0] += 1 - a
            if a:
                w[i, x0 + 1] += a
        return w
    for i in range(n):
        lo, hi = i * scale, (i + 1) * scale
        for j in range(int(lo), min(size, int(np.ceil(hi)))):
            w[i, j] = min(hi, j + 1) - max(lo, j)
    return w / scale


@cache
def _dct_rows(n: int, k: int) -> np.ndarray:
    """The first ``k`` rows of the orthonormal ``n``-point DCT-II matrix (OpenCV's ``cv2.dct``)."""
    import numpy as np

    x = np.arange(n)
    c = np.cos(np.pi * (2 * x[None, :] + 1) * np.arange(k)[:, None] / (2 * n)) * np.sqrt(2.0 / n)
    c[0] /= np.sqrt(2.0)
    return c


def perceptual_hash(src) -> str | None:
    """The hash of a :class:`~imagerights.imaging.SourceImage` from its shared reduced decode; None if
    the image cannot be decoded (the readers already report why)."""
    try:
        return hash_pixels(src.rgb(512))
    except Exception:  # noqa: BLE001
        return None


def exif_preview(src) -> bytes | None:
    """The JPEG preview a camera stores in EXIF IFD1 (about 160×120), or None.

    Decoding it costs well under a millisecond, against 10–30 ms for even a reduced decode of a
    12 MP JPEG: the fast mode (``--fast``) hashes and shows the preview instead of the image.
    """
    pil = getattr(src, "pil", None)
    if pil is None:
        return None
    raw = pil.info.get("exif")
    if not raw:
        return None
    from imagerights.metadata.tiff import Tiff, TiffError

    try:  # IFD1's JPEGInterchangeFormat(Length), read directly: Pillow's getexif parses every IFD
        tiff = Tiff(raw)
        ifd1 = tiff.next_ifd()
        entries = tiff.ifd(ifd1, wanted={0x0201, 0x0202}) if ifd1 else {}
    except (TiffError, struct.error):  # broken EXIF: no preview
        return None
    offset, length = tiff.number(entries.get(0x0201)), tiff.number(entries.get(0x0202))
    if not offset or not length or length > 512 * 1024:
        return None
    data = tiff.data[offset: offset + length]
    return data if data[:3] == b"\xff\xd8\xff" and len(data) == length else None


def preview_pixels(data: bytes, max_side: int = 512) -> np.ndarray | None:
    """RGB pixels of a small embedded preview (bomb-checked like any image)."""
    from PIL import Image

    from imagerights.imaging import check_bomb

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            im = Image.open(io.BytesIO(data))
            check_bomb(im)
            if max(im.size) > max_side:
                return None  # not a preview
            import numpy as np

            return np.asarray(im.convert("RGB"), dtype=np.uint8)
    except Exception:  # noqa: BLE001
        return None
