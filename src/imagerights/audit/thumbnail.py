"""Small previews for the HTML report, made from the pixels the readers already decoded."""

from __future__ import annotations

import io

import numpy as np

THUMB_SIDE = 160


def make_thumbnail(rgb: np.ndarray, side: int = THUMB_SIDE) -> tuple[str, bytes] | None:
    """``(mime, bytes)`` of a ≤``side`` px preview: WebP (small), JPEG where Pillow lacks WebP."""
    from PIL import Image, features

    try:
        im = Image.fromarray(rgb)
        im.thumbnail((side, side), Image.Resampling.LANCZOS)
        buf = io.BytesIO()
        if features.check("webp"):
            im.save(buf, "WEBP", quality=60, method=4)
            return "image/webp", buf.getvalue()
        im.save(buf, "JPEG", quality=70, optimize=True)
        return "image/jpeg", buf.getvalue()
    except Exception:  # noqa: BLE001 - no preview is not a finding
        return None
