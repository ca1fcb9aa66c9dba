"""Near-duplicate detection inside an audited folder: one perceptual hash per file, grouped by distance.

The hash is behind :func:`perceptual_hash` so that the implementation can be switched in one place:
it uses the registry's own hashing (``imagerights.registry.hashing``: OpenCV resize + DCT, about
a millisecond) and falls back to imagehash's pHash-16 (same algorithm, slower resize) where that
module is missing; both work on the reduced decode the other readers already made (``SourceImage.rgb(512)``; the hash of a draft-decoded JPEG differs
from a full decode by 0 bits, research/phash.md §6).

Threshold: pHash-16 pairs ≤ 51 bits apart had no false match over 39,360 negative pairs of real
photos (research/phash.md §6.4); a folder holds more same-scene shots than that benchmark, so the
audit uses a stricter :data:`imagerights.audit.near.NEAR_THRESHOLD` (40 bits) — it groups copies (resized, recompressed, lightly
edited), not series.
"""

from __future__ import annotations

import io
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


def hash_impl() -> str:
    """Which implementation :func:`hash_pixels` uses (part of the cache fingerprint). Told from
    whether OpenCV is installed, without importing it: the main process needs only the name."""
    from importlib.util import find_spec

    return "registry-phash16" if find_spec("cv2") is not None else "imagehash-phash16"


def hash_pixels(rgb: np.ndarray) -> str:
    """Hex pHash-16 of RGB pixels (the one place the algorithm is chosen)."""
    hashing = _registry_hashing()
    if hashing is not None:
        return hashing.phash(hashing.gray(rgb), HASH_SIZE).hex()
    import imagehash
    from PIL import Image

    return str(imagehash.phash(Image.fromarray(rgb).convert("L"), hash_size=HASH_SIZE))


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
    try:
        from PIL import ExifTags

        ifd1 = pil.getexif().get_ifd(ExifTags.IFD.IFD1)
        offset, length = int(ifd1.get(0x0201, 0)), int(ifd1.get(0x0202, 0))
    except Exception:  # noqa: BLE001 - broken EXIF: no preview
        return None
    if offset <= 0 or length <= 0 or length > 512 * 1024:
        return None
    base = 6 if raw[:6] == b"Exif\x00\x00" else 0
    data = raw[base + offset: base + offset + length]
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
