"""The edits communicators make before posting, as reproducible functions (benchmark and tests).

Each edit takes an RGB Pillow image and returns ``(image, jpeg_quality)``: the edited pixels
and the JPEG quality the copy is saved at (a social-media copy is a JPEG).
"""

from __future__ import annotations

from typing import Callable

from PIL import Image, ImageDraw, ImageEnhance, ImageFont, ImageOps

SAVE_QUALITY = 90


def _font(size: int) -> ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=max(8, size))
    except TypeError:  # pragma: no cover - old Pillow
        return ImageFont.load_default()


def _band(im: Image.Image, fraction: float, text: str = "Välkommen till stadsfesten! Lördag 14–18") -> Image.Image:
    """An opaque caption band over the bottom ``fraction`` of the height, with a headline."""
    im = im.copy()
    w, h = im.size
    bh = max(2, int(round(h * fraction)))
    d = ImageDraw.Draw(im)
    d.rectangle([0, h - bh, w, h], fill=(20, 60, 140))
    d.text((int(w * 0.04), h - bh + bh // 4), text, fill=(255, 255, 255), font=_font(int(bh * 0.45)))
    return im


def _watermark(im: Image.Image) -> Image.Image:
    """A semi-transparent logo-like mark (α ≈ 0.55) over 35 % of the width, lower right."""
    base = im.convert("RGBA")
    w, h = base.size
    layer = Image.new("RGBA", base.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    mw, mh = int(w * 0.35), int(h * 0.12)
    x0, y0 = int(w * 0.60), int(h * 0.80)
    d.rounded_rectangle([x0, y0, x0 + mw, y0 + mh], radius=max(1, mh // 4), fill=(255, 255, 255, 140))
    d.text((x0 + mw // 10, y0 + mh // 5), "© Bildbyrån", fill=(0, 0, 0, 160), font=_font(int(mh * 0.5)))
    return Image.alpha_composite(base, layer).convert("RGB")


def _crop(im: Image.Image, each_side: float) -> Image.Image:
    w, h = im.size
    dx, dy = int(round(w * each_side)), int(round(h * each_side))
    return im.crop((dx, dy, w - dx, h - dy))


def _square(im: Image.Image) -> Image.Image:
    w, h = im.size
    s = min(w, h)
    x0, y0 = (w - s) // 2, (h - s) // 2
    return im.crop((x0, y0, x0 + s, y0 + s))


def _border(im: Image.Image, fraction: float) -> Image.Image:
    w, h = im.size
    return ImageOps.expand(im, border=(int(w * fraction), int(h * fraction)), fill=(255, 255, 255))


def _repost(im: Image.Image) -> Image.Image:
    sq = _square(im).resize((1080, 1080), Image.Resampling.LANCZOS)
    return _band(sq, 0.15)


EDITS: dict[str, Callable[[Image.Image], tuple[Image.Image, int]]] = {
    "resize0.5": lambda im: (im.resize((max(1, im.width // 2), max(1, im.height // 2)), Image.Resampling.LANCZOS),
                             SAVE_QUALITY),
    "jpeg30": lambda im: (im, 30),
    "crop5": lambda im: (_crop(im, 0.05), SAVE_QUALITY),
    "crop10": lambda im: (_crop(im, 0.10), SAVE_QUALITY),
    "square": lambda im: (_square(im), SAVE_QUALITY),
    "hflip": lambda im: (ImageOps.mirror(im), SAVE_QUALITY),
    "rot90": lambda im: (im.transpose(Image.Transpose.ROTATE_90), SAVE_QUALITY),
    "rot5": lambda im: (im.rotate(5, resample=Image.Resampling.BICUBIC, expand=False), SAVE_QUALITY),
    "textband": lambda im: (_band(im, 0.15), SAVE_QUALITY),
    "watermark": lambda im: (_watermark(im), SAVE_QUALITY),
    "gray": lambda im: (ImageOps.grayscale(im).convert("RGB"), SAVE_QUALITY),
    "bright30": lambda im: (ImageEnhance.Brightness(im).enhance(1.3), SAVE_QUALITY),
    "border10": lambda im: (_border(im, 0.10), SAVE_QUALITY),
    "repost": lambda im: (_repost(im), 70),
}

# What imagerights should report for each edit (keys of RegistryMatch.edits that must be set).
EXPECTED_EDITS: dict[str, set[str]] = {
    "resize0.5": {"scale"},
    "jpeg30": set(),
    "crop5": {"crop"},
    "crop10": {"crop"},
    "square": {"crop"},
    "hflip": {"flip"},
    "rot90": {"rotation"},
    "rot5": {"rotation"},
    "textband": {"covered"},
    "watermark": {"covered"},
    "gray": {"greyscale"},
    "bright30": {"recoloured"},
    "border10": {"border"},
    "repost": {"crop", "covered"},
}


def apply(name: str, im: Image.Image) -> bytes:
    """The edited copy as JPEG bytes."""
    import io

    out, quality = EDITS[name](im.convert("RGB"))
    buf = io.BytesIO()
    out.convert("RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue()
