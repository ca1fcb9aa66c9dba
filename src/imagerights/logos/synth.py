"""Synthetic logo scenes for the tests, the benchmark and the docs (no downloads).

Logos are rendered from the vendored SVGs with resvg at 4× and LANCZOS-reduced, as in the
research experiment (research/logos.md §c); without resvg the bundled 256 px masks are used.
Backgrounds are either a deterministic texture (blurred noise plus random shapes) or a
caller's photo. Nothing here is used by the detector.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageFilter

from imagerights.logos.bank import TEMPLATE_DIR, knockout_mask

SUPERSAMPLE = 4


def hex_rgb(h: str) -> tuple[int, int, int]:
    h = h.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


@cache
def _hires(platform: str, version: str, svg_path: str | None = None, size: int = 1024) -> tuple[np.ndarray, np.ndarray]:
    """Ink alpha and knock-out of a mark, cropped to the ink, at ``size`` px."""
    from imagerights.logos.brands import knockout_modes

    mode = knockout_modes().get(f"{platform}/{version}", "none")
    ink = None
    path = Path(svg_path) if svg_path else None
    if path is None:
        from imagerights.logos.brands import load_brands

        brand = load_brands().get(platform)
        v = brand.version(version) if brand else None
        if v is not None and v.bundled:
            path = TEMPLATE_DIR / "svg" / v.template
    try:
        from imagerights.logos.bank import render_svg

        if path is not None:
            ink = render_svg(path.read_text(encoding="utf-8"), size)
    except ImportError:
        ink = None
    if ink is None:  # no resvg: the packaged masks
        from imagerights.logos.bank import default_bank

        tpl = next(t for t in default_bank().templates if t.platform == platform and t.version == version)
        ink = cv2.resize(tpl.ink, (size, size), interpolation=cv2.INTER_CUBIC)
    ko = knockout_mask(ink, mode)
    ys, xs = np.nonzero(ink > 4)
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    return ink[y0:y1, x0:x1], ko[y0:y1, x0:x1]


def render_logo(platform: str, version: str, *, height: float | None = None, width: float | None = None,
                fill: str = "000000", knockout: str | None = None, angle: float = 0.0, stretch_x: float = 1.0,
                gradient: tuple[str, str] | None = None, svg_path: str | None = None) -> np.ndarray:
    """An RGBA logo (uint8) whose upright ink is ``height`` (or ``width``) px, stretched by
    ``stretch_x`` horizontally, turned ``angle`` degrees counter-clockwise; the knock-out is
    filled with ``knockout`` (or left transparent)."""
    ink, ko = _hires(platform, version, svg_path)
    h0, w0 = ink.shape
    if height is None:
        height = (width or 48) / (w0 * stretch_x) * h0
    th = max(1, round(height * SUPERSAMPLE))
    tw = max(1, round(height * w0 / h0 * stretch_x * SUPERSAMPLE))
    a = cv2.resize(ink, (tw, th), interpolation=cv2.INTER_AREA).astype(np.float32) / 255
    k = cv2.resize(ko, (tw, th), interpolation=cv2.INTER_AREA).astype(np.float32) / 255
    rgb = np.empty((th, tw, 3), np.float32)
    if gradient:
        c0, c1 = np.array(hex_rgb(gradient[0]), np.float32), np.array(hex_rgb(gradient[1]), np.float32)
        t = np.linspace(0, 1, th, dtype=np.float32)[:, None, None]
        rgb[:] = c0 * (1 - t) + c1 * t
    else:
        rgb[:] = np.array(hex_rgb(fill), np.float32)
    alpha = a
    if knockout:
        kc = np.array(hex_rgb(knockout), np.float32)
        rgb = rgb * (a / np.maximum(a + k, 1e-6))[..., None] + kc * (k / np.maximum(a + k, 1e-6))[..., None]
        alpha = np.clip(a + k, 0, 1)
    rgba = np.dstack([rgb, alpha * 255]).clip(0, 255).astype(np.uint8)
    pad = SUPERSAMPLE * 2
    rgba = np.dstack([np.pad(rgba[..., :3], ((pad, pad), (pad, pad), (0, 0)), mode="edge"),
                      np.pad(rgba[..., 3], pad)])
    # premultiplied alpha, so that turning and reducing do not bleed black into the edges
    im = Image.fromarray(rgba, "RGBA").convert("RGBa")
    if angle:
        im = im.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    out = im.resize((max(1, round(im.width / SUPERSAMPLE)), max(1, round(im.height / SUPERSAMPLE))),
                    Image.Resampling.LANCZOS).convert("RGBA")
    return np.asarray(out)


def texture(seed: int = 7, size: tuple[int, int] = (1080, 1080)) -> np.ndarray:
    """The research's deterministic background: blurred colour noise, 40 random shapes, fine noise."""
    h, w = size
    rng = np.random.default_rng(seed)
    base = rng.normal(128, 60, (h, w, 3)).astype(np.float32)
    base = cv2.GaussianBlur(base, (0, 0), 25)
    base = (base - base.mean()) * 4 + 128
    img = np.clip(base, 0, 255).astype(np.uint8)
    for _ in range(40):
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        if rng.random() < 0.5:
            cv2.circle(img, (int(rng.integers(0, w)), int(rng.integers(0, h))), int(rng.integers(10, 120)), colour, -1)
        else:
            x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
            cv2.rectangle(img, (x, y), (x + int(rng.integers(10, 200)), y + int(rng.integers(10, 200))), colour, -1)
    noise = rng.normal(0, 4, img.shape)
    return np.clip(img + noise, 0, 255).astype(np.uint8)


def paste(canvas: np.ndarray, logo: np.ndarray, center: tuple[float, float], *, card_margin: float | None = None,
          card_colour: str = "FFFFFF", reference: float | None = None) -> tuple[int, int, int, int]:
    """Alpha-composite an RGBA logo centred at ``center`` (x, y) in place; optionally on a card
    whose margin is ``card_margin`` × the logo's height (or ``reference``) on every side.
    Returns the logo's box (x, y, w, h) of non-transparent pixels in canvas coordinates."""
    lh, lw = logo.shape[:2]
    x0, y0 = round(center[0] - lw / 2), round(center[1] - lh / 2)
    ys, xs = np.nonzero(logo[..., 3] > 16)
    bx0, by0, bx1, by1 = x0 + xs.min(), y0 + ys.min(), x0 + xs.max() + 1, y0 + ys.max() + 1
    if card_margin is not None:
        m = round(card_margin * (reference if reference is not None else by1 - by0))
        cv2.rectangle(canvas, (int(bx0 - m), int(by0 - m)), (int(bx1 + m - 1), int(by1 + m - 1)),
                      tuple(int(c) for c in hex_rgb(card_colour)), -1)
    H, W = canvas.shape[:2]
    cx0, cy0, cx1, cy1 = max(0, x0), max(0, y0), min(W, x0 + lw), min(H, y0 + lh)
    if cx1 <= cx0 or cy1 <= cy0:
        return (int(bx0), int(by0), int(bx1 - bx0), int(by1 - by0))
    part = logo[cy0 - y0:cy1 - y0, cx0 - x0:cx1 - x0].astype(np.float32)
    a = part[..., 3:4] / 255
    region = canvas[cy0:cy1, cx0:cx1].astype(np.float32)
    canvas[cy0:cy1, cx0:cx1] = np.clip(region * (1 - a) + part[..., :3] * a + 0.5, 0, 255).astype(np.uint8)
    return (int(bx0), int(by0), int(bx1 - bx0), int(by1 - by0))


def drop_shadow(canvas: np.ndarray, logo: np.ndarray, center: tuple[float, float], offset: tuple[int, int] = (6, 6),
                sigma: float = 3.0, opacity: float = 0.6) -> None:
    """A blurred black copy of the logo's silhouette under where the logo will go (research case 11)."""
    lh, lw = logo.shape[:2]
    pad = int(4 * sigma) + max(abs(offset[0]), abs(offset[1]))
    alpha = Image.fromarray(np.pad(logo[..., 3], pad))
    alpha = np.asarray(alpha.filter(ImageFilter.GaussianBlur(sigma)), np.float32) / 255 * opacity
    x0 = round(center[0] - lw / 2) - pad + offset[0]
    y0 = round(center[1] - lh / 2) - pad + offset[1]
    H, W = canvas.shape[:2]
    cx0, cy0 = max(0, x0), max(0, y0)
    cx1, cy1 = min(W, x0 + alpha.shape[1]), min(H, y0 + alpha.shape[0])
    if cx1 <= cx0 or cy1 <= cy0:
        return
    a = alpha[cy0 - y0:cy1 - y0, cx0 - x0:cx1 - x0, None]
    canvas[cy0:cy1, cx0:cx1] = np.clip(canvas[cy0:cy1, cx0:cx1] * (1 - a) + 0.5, 0, 255).astype(np.uint8)


def encode(rgb: np.ndarray, fmt: str = "PNG", quality: int = 85) -> bytes:
    import io

    buf = io.BytesIO()
    im = Image.fromarray(rgb)
    if fmt.upper() in ("JPEG", "JPG"):
        im.save(buf, "JPEG", quality=quality)
    else:
        im.save(buf, fmt.upper())
    return buf.getvalue()
