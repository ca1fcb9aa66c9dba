"""Colour maths for logo checks: sRGB → CIELAB (D65), CIEDE2000, and ICC → sRGB.

CIEDE2000 follows Sharma, Wu & Dalal (2005), "The CIEDE2000 color-difference formula:
implementation notes, supplementary test data, and mathematical observations"; the tests
check it against their published pairs. Written in numpy so the package needs no
scikit-image.
"""

from __future__ import annotations

import hashlib
import io
import math
from functools import lru_cache

import numpy as np

_M = np.array([[0.4124564, 0.3575761, 0.1804375],
               [0.2126729, 0.7151522, 0.0721750],
               [0.0193339, 0.1191920, 0.9503041]])
_WHITE = np.array([0.95047, 1.0, 1.08883])


def hex_to_rgb(h: str) -> tuple[int, int, int]:
    h = h.strip().lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def rgb_to_hex(rgb) -> str:
    r, g, b = (int(round(float(np.clip(c, 0, 255)))) for c in rgb)
    return f"{r:02X}{g:02X}{b:02X}"


def srgb_to_lab(rgb) -> np.ndarray:
    """sRGB (0–255, any shape ending in 3) → CIELAB under D65."""
    c = np.asarray(rgb, dtype=np.float64) / 255.0
    if c.shape == (3,):  # one colour (a candidate's ink, asked ~100× per photo): the same
        return _one_to_lab(c)  # formula in scalar maths, 8 instead of 49 µs a call
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    xyz = lin @ _M.T / _WHITE
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    L = 116 * f[..., 1] - 16
    a = 500 * (f[..., 0] - f[..., 1])
    b = 200 * (f[..., 1] - f[..., 2])
    return np.stack([L, a, b], axis=-1)


@lru_cache(maxsize=1)
def cell_lab() -> np.ndarray:
    """Lab of the centre colour of every cell of the RGB cube cut into 32³ cells 8 levels wide,
    as (32768, 3) in C order: colour tests asked hundreds of times per photo are 32³ lookup
    tables indexed by ``(r >> 3, g >> 3, b >> 3)`` built from it. (Read-only: shared.)"""
    centres = (np.arange(32) * 8 + 4).astype(np.float64)
    grid = np.stack(np.meshgrid(centres, centres, centres, indexing="ij"), axis=-1).reshape(-1, 3)
    lab = srgb_to_lab(grid)
    lab.flags.writeable = False
    return lab


def _one_to_lab(c: np.ndarray) -> np.ndarray:
    lin = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in c.tolist()]
    xyz = [(m[0] * lin[0] + m[1] * lin[1] + m[2] * lin[2]) / w for m, w in zip(_M_ROWS, _WHITE_T)]
    f = [math.cbrt(v) if v > _EPS else v / _K + 4 / 29 for v in xyz]
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


_M_ROWS = _M.tolist()
_WHITE_T = _WHITE.tolist()
_EPS = (6 / 29) ** 3
_K = 3 * (6 / 29) ** 2


def delta_e2000(lab1, lab2) -> np.ndarray:
    """CIEDE2000 colour difference (kL = kC = kH = 1); broadcasts over leading axes."""
    lab1, lab2 = np.asarray(lab1, np.float64), np.asarray(lab2, np.float64)
    L1, a1, b1 = lab1[..., 0], lab1[..., 1], lab1[..., 2]
    L2, a2, b2 = lab2[..., 0], lab2[..., 1], lab2[..., 2]
    C1, C2 = np.hypot(a1, b1), np.hypot(a2, b2)
    Cm = (C1 + C2) / 2
    G = 0.5 * (1 - np.sqrt(Cm**7 / (Cm**7 + 25.0**7)))
    a1p, a2p = (1 + G) * a1, (1 + G) * a2
    C1p, C2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360
    dLp = L2 - L1
    dCp = C2p - C1p
    dh = h2p - h1p
    dh = np.where(C1p * C2p == 0, 0.0, np.where(dh > 180, dh - 360, np.where(dh < -180, dh + 360, dh)))
    dHp = 2 * np.sqrt(C1p * C2p) * np.sin(np.radians(dh) / 2)
    Lpm = (L1 + L2) / 2
    Cpm = (C1p + C2p) / 2
    hsum = h1p + h2p
    hpm = np.where(C1p * C2p == 0, hsum,
                   np.where(np.abs(h1p - h2p) <= 180, hsum / 2,
                            np.where(hsum < 360, (hsum + 360) / 2, (hsum - 360) / 2)))
    T = (1 - 0.17 * np.cos(np.radians(hpm - 30)) + 0.24 * np.cos(np.radians(2 * hpm))
         + 0.32 * np.cos(np.radians(3 * hpm + 6)) - 0.20 * np.cos(np.radians(4 * hpm - 63)))
    dtheta = 30 * np.exp(-(((hpm - 275) / 25) ** 2))
    Rc = 2 * np.sqrt(Cpm**7 / (Cpm**7 + 25.0**7))
    Sl = 1 + 0.015 * (Lpm - 50) ** 2 / np.sqrt(20 + (Lpm - 50) ** 2)
    Sc = 1 + 0.045 * Cpm
    Sh = 1 + 0.015 * Cpm * T
    Rt = -np.sin(np.radians(2 * dtheta)) * Rc
    return np.sqrt((dLp / Sl) ** 2 + (dCp / Sc) ** 2 + (dHp / Sh) ** 2 + Rt * (dCp / Sc) * (dHp / Sh))


def delta_e_hex(rgb, hexes: list[str]) -> np.ndarray:
    """ΔE00 from one sRGB colour to each hex colour."""
    if not hexes:
        return np.zeros(0)
    ref = srgb_to_lab(np.array([hex_to_rgb(h) for h in hexes], np.float64))
    return delta_e2000(srgb_to_lab(np.asarray(rgb, np.float64))[None, :], ref)


@lru_cache(maxsize=8)
def _icc_transform(digest: str, profile: bytes):
    from PIL import ImageCms

    src = ImageCms.ImageCmsProfile(io.BytesIO(profile))
    dst = ImageCms.createProfile("sRGB")
    return ImageCms.buildTransform(src, dst, "RGB", "RGB")


def icc_to_srgb(colours: np.ndarray, profile: bytes | None) -> tuple[np.ndarray, bool]:
    """Convert measured colours (N×3, 0–255) from an embedded ICC profile to sRGB.

    Returns the colours and whether a conversion was applied (no profile, an sRGB profile
    or an unreadable one leave them as they are)."""
    colours = np.asarray(colours, np.float64).reshape(-1, 3)
    if not profile:
        return colours, False
    try:
        from PIL import Image, ImageCms

        desc = ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(profile))) or ""
        if "srgb" in desc.lower().replace(" ", ""):
            return colours, False
        xf = _icc_transform(hashlib.sha256(profile).hexdigest(), profile)
        im = Image.fromarray(np.clip(np.round(colours), 0, 255).astype(np.uint8).reshape(1, -1, 3), "RGB")
        out = ImageCms.applyTransform(im, xf)
        return np.asarray(out, np.float64).reshape(-1, 3), True
    except Exception:  # noqa: BLE001 - a broken profile must not stop the check
        return colours, False
