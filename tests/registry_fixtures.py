"""Helpers for the registry tests: downscaled kodak/skimage photos (made at test time, never
committed) and the posting edits of ``bench/edits.py``."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent

# Colourful, detailed photographs (kodak: "unrestricted usage"; skimage: CC0 / public domain).
REGISTERED = ("kodak/kodim03.png", "kodak/kodim05.png", "kodak/kodim14.png", "kodak/kodim23.png",
              "skimage/astronaut.png", "skimage/chelsea.png")
NOT_REGISTERED = ("kodak/kodim01.png", "kodak/kodim15.png", "kodak/kodim20.png", "skimage/coffee.png",
                  "skimage/rocket.jpg")


def edits_module():
    spec = importlib.util.spec_from_file_location("bench_edits", ROOT / "bench" / "edits.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def downscaled(corpora: Path, rel: str, folder: Path, side: int = 640) -> Path:
    """A PNG copy of a corpus photo, longest side ``side``."""
    out = folder / (Path(rel).stem + ".png")
    if not out.exists():
        with Image.open(corpora / "photos" / rel) as im:
            im = im.convert("RGB")
            im.thumbnail((side, side), Image.Resampling.LANCZOS)
            im.save(out)
    return out


def edited(path: Path, edit: str, folder: Path) -> Path:
    """The posted copy of ``path`` after ``edit`` (a JPEG file)."""
    out = folder / f"{path.stem}.{edit}.jpg"
    if not out.exists():
        with Image.open(path) as im:
            out.write_bytes(edits_module().apply(edit, im))
    return out


def jpeg_bytes(im: Image.Image, quality: int = 90) -> bytes:
    buf = io.BytesIO()
    im.convert("RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue()
