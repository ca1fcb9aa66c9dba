"""Open an image once, safely, and hand its bytes and (reduced) pixels to every reader.

* The file is read once into memory (capped by ``MAX_FILE_BYTES``) and never written.
* Decompression bombs are refused before decoding (``MAX_PIXELS``).
* Pixels are decoded lazily and, where the format allows it, at reduced resolution
  (Pillow's JPEG ``draft`` mode); the result is cached per requested size.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import math
import re
import warnings
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from imagerights.limits import MAX_FILE_BYTES, MAX_PIXELS  # noqa: F401 - also imaging's public names
from imagerights.sources.sniff import sniff_bytes

HEIF_MISSING = ("HEIC/HEIF image: this installation cannot decode it; install HEIF support "
                "(pip install pi-heif)")


HEIF_DECODE_THREADS: int | None = None  # libheif's own threads (4 by default); audit workers use 1


@cache
def heif_support() -> bool:
    """Teach Pillow HEIC/HEIF (iPhone photos), on the first such file: pi-heif (a dependency:
    libheif's decoder under the LGPL, no encoder), or pillow-heif where that is installed.
    Loaded on demand because it costs ~30 ms and most folders hold few HEIC files."""
    for module in ("pi_heif", "pillow_heif"):
        try:
            lib = importlib.import_module(module)
            lib.register_heif_opener()
            if HEIF_DECODE_THREADS:
                lib.options.DECODE_THREADS = HEIF_DECODE_THREADS
            return True
        except Exception:  # noqa: BLE001 - not installed, or no wheel for this platform
            continue
    return False


class ImageError(Exception):
    """The file could not be opened or decoded as an image."""

    def __init__(self, stage: str, reason: str):
        super().__init__(reason)
        self.stage = stage
        self.reason = reason


@dataclass
class SourceImage:
    """One file, read once. ``data`` are its bytes; ``pil`` is Pillow's lazily-decoded image."""

    path: Path
    data: bytes
    pil: Image.Image | None = None
    open_error: str | None = None
    open_stage: str | None = None  # "open" (not an image / unreadable) or "bomb"
    _pixels: dict[int, np.ndarray] = field(default_factory=dict, repr=False)

    @cached_property
    def sha256(self) -> str:
        """The file's SHA-256 (computed once: analyse, the registry and the audit cache all ask)."""
        return hashlib.sha256(self.data).hexdigest()

    @property
    def format(self) -> str | None:
        return self.pil.format if self.pil is not None else None

    @property
    def size(self) -> tuple[int, int] | None:
        return self.pil.size if self.pil is not None else None

    def fresh(self) -> Image.Image:
        """A new Pillow image over the same bytes (readers that must not share state)."""
        return Image.open(io.BytesIO(self.data))

    def _cached_at_least(self, side: int) -> np.ndarray | None:
        """A cached decode at least ``side`` px long (0 = the full image), to scale down from."""
        return _smallest_at_least(self._pixels, side) if side else None

    def rgb(self, max_side: int | None = None) -> np.ndarray:
        """Decoded RGB pixels (H×W×3 uint8), EXIF orientation applied, longest side ≤ ``max_side``.

        For JPEG the decoder itself scales down (DCT scaling), which is several times faster
        than a full decode followed by a resize. A request smaller than a size already decoded
        is scaled from those pixels instead of decoding the file again, so readers that work at
        different sizes (registry 512, faces 1024, logos 1280) share one decode when the largest
        is asked for first (``audit`` does that).
        """
        key = max_side or 0
        if key in self._pixels:
            return self._pixels[key]
        larger = self._cached_at_least(key)
        if larger is not None:  # one decode serves every reader: scale the pixels already decoded
            arr = fit(larger, key)
            self._pixels[key] = arr
            return arr
        if self.pil is None:
            raise ImageError("open", self.open_error or "not an image")
        im = self.fresh()
        check_bomb(im)
        if im.format in ("HEIF", "AVIF"):
            from imagerights.metadata.bmff import shortfall

            short = shortfall(self.data)
            if short:  # libheif decodes a cut file without complaint, the missing part grey
                raise ImageError("decode", f"the file is truncated: {short:,} bytes of its image data are missing")
        try:
            if max_side and im.format == "JPEG":
                # ask for the thumbnail's own size: a square box would make the short side
                # ≥ max_side too and decode 4× the pixels (a 4:3 photo at 1/2 instead of 1/4)
                w, h = im.size
                f = max_side / max(w, h)
                im.draft("RGB", (max(1, math.ceil(w * f)), max(1, math.ceil(h * f))))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                im.load()
                im = ImageOps.exif_transpose(im)
            if im.mode not in ("RGB",):
                if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
                    bg = Image.new("RGB", im.size, (255, 255, 255))
                    bg.paste(im.convert("RGBA"), mask=im.convert("RGBA").getchannel("A"))
                    im = bg
                else:
                    im = im.convert("RGB")
            arr = np.asarray(im, dtype=np.uint8)
        except ImageError:
            raise
        except Exception as exc:  # noqa: BLE001 - any decoder failure is a per-file finding
            raise ImageError("decode", describe(exc)) from exc
        if max_side:
            arr = fit(arr, max_side)
        self._pixels[key] = arr
        return arr


def fit(arr: np.ndarray, side: int) -> np.ndarray:
    """``arr`` scaled down (area average, aspect kept) so its longest side is ≤ ``side``.

    OpenCV's INTER_AREA is an exact box filter for whole-number factors and ~5× faster than
    Pillow's ``thumbnail`` (3–8 ms per 1280-px copy on this machine), which every reader of an
    audited file paid once per working size."""
    h, w = arr.shape[:2]
    if max(h, w) <= side:
        return arr
    import cv2

    f = side / max(h, w)
    size = (max(1, min(side, round(w * f))), max(1, min(side, round(h * f))))
    return np.ascontiguousarray(cv2.resize(arr, size, interpolation=cv2.INTER_AREA))


def _smallest_at_least(cache: dict[int, np.ndarray], side: int) -> np.ndarray | None:
    if not side:
        return cache.get(0)
    keys = [k for k in cache if k == 0 or k >= side]
    if not keys:
        return None
    return cache[min(keys, key=lambda k: k or float("inf"))]


def describe(exc: BaseException) -> str:
    """An exception as a reason a person can read, without Python object addresses
    (Pillow says ``cannot identify image file <_io.BytesIO object at 0x7f…>``), so that two
    runs over the same file report the same words."""
    text = re.sub(r"\s*<[\w.]+ object at 0x[0-9a-fA-F]+>", "", str(exc))
    return f"{type(exc).__name__}: {text}"


def check_bomb(im: Image.Image) -> None:
    w, h = im.size
    if w <= 0 or h <= 0:
        raise ImageError("open", f"invalid image size {w}×{h}")
    if w * h > MAX_PIXELS:
        raise ImageError("bomb", f"{w}×{h} = {w * h:,} pixels exceeds the limit of {MAX_PIXELS:,} (decompression bomb?)")


def open_source(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> SourceImage:
    """Read ``path`` and open it with Pillow (header only). Never raises for a bad image:
    the reason is kept in ``open_error`` so metadata can still be read from the bytes."""
    p = Path(path)
    size = p.stat().st_size
    if size > max_bytes:
        raise ImageError("open", f"file is {size:,} bytes, over the {max_bytes:,}-byte limit")
    with p.open("rb") as fh:  # read-only: imagerights never modifies originals
        data = fh.read()
    src = SourceImage(path=p, data=data)
    if sniff_bytes(data[:64]) == "heif" and not heif_support():  # say why, not Pillow's "cannot identify"
        src.open_error = HEIF_MISSING
        src.open_stage = "open"
        return src
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            im = Image.open(io.BytesIO(data))
        src.pil = im
        check_bomb(im)
    except ImageError as exc:  # header readable but too many pixels: metadata is still read
        src.open_error = exc.reason
        src.open_stage = exc.stage
    except Image.DecompressionBombError as exc:
        src.pil = None
        src.open_error = str(exc)
        src.open_stage = "bomb"
    except Exception as exc:  # noqa: BLE001
        src.pil = None
        src.open_error = describe(exc)
        # Pillow refuses zlib bombs in PNG chunks with "Decompressed Data Too Large"
        src.open_stage = "bomb" if "decompressed data too large" in str(exc).lower() else "open"
    return src
