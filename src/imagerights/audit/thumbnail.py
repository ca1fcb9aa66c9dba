"""Small previews for the HTML report, made from the pixels the readers already decoded."""

from __future__ import annotations

import io

import numpy as np

THUMB_SIDE = 160


def make_thumbnail(rgb: np.ndarray, side: int = THUMB_SIDE) -> tuple[str, bytes] | None:
    """``(mime, bytes)`` of a ≤``side`` px preview: WebP (small), JPEG where Pillow lacks WebP."""
    from PIL import Image, features

    from imagerights.imaging import fit

    try:
        # area averaging (OpenCV) and WebP's method 2: 1.4 + 1.7 ms a preview instead of 4.2 + 3.2
        # with Pillow's Lanczos and method 4, for a file 4 % larger (measured on 40 photographs)
        im = Image.fromarray(fit(rgb, side))
        buf = io.BytesIO()
        if features.check("webp"):
            im.save(buf, "WEBP", quality=60, method=2)
            return "image/webp", buf.getvalue()
        im.save(buf, "JPEG", quality=70, optimize=True)
        return "image/jpeg", buf.getvalue()
    except Exception:  # noqa: BLE001 - no preview is not a finding
        return None
