"""The template bank: every known version of every platform mark, as shape descriptors.

The masks are rendered once from the CC0 simple-icons path data (``templates/svg/``) by
``scripts/render_logo_templates.py`` into ``templates/masks.npz`` (ink alpha and
knock-out, 256 px), so resvg is not needed at run time. A municipality may add marks we
do not ship (LinkedIn asked simple-icons to remove theirs, so we do not ship it) as
``<platform>/<version>.png`` (alpha = ink) or ``.svg`` (needs the optional ``resvg-py``)
under ``$IMAGERIGHTS_LOGOS_DIR`` or ``<user config dir>/imagerights/logos/``.

Each template is described at a few pixel sizes, because a 16 px logo has lost its thin
strokes (the X mark's outline) and must be compared with a template that lost them too.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

import cv2
import numpy as np

from imagerights.logos import shape

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
MASKS_FILE = TEMPLATE_DIR / "masks.npz"
RENDER_SIZE = 256
# template sizes (longest side of the ink, px); candidates larger than the last are reduced to it
SCALES = (12, 16, 20, 26, 34, 44)
MAX_EXTENT = SCALES[-1]
KNOCKOUT_MODES = ("none", "hull", "holes")


def knockout_mask(ink: np.ndarray, mode: str) -> np.ndarray:
    """The knock-out of a mark (uint8 0/255): the parts of its solid body that the official
    logo fills with a second colour, e.g. Facebook's "f" (``hull``: convex hull minus ink)
    or YouTube's play triangle and Mastodon's "m" (``holes``: enclosed holes)."""
    solid = (ink > 127).astype(np.uint8)
    region = np.zeros_like(solid)
    if mode == "none" or not solid.any():
        return region
    contours, _ = cv2.findContours(solid, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if mode == "hull":
        hull = cv2.convexHull(np.concatenate(contours))
        cv2.fillPoly(region, [hull], 1)
    elif mode == "holes":
        cv2.drawContours(region, contours, -1, 1, thickness=-1)
    else:
        raise ValueError(f"unknown knock-out mode {mode!r}")
    ko = region.astype(np.int16) * 255 - ink.astype(np.int16)
    ko = np.clip(ko, 0, 255).astype(np.uint8)
    # keep only substantial parts: thin slivers between a circle and its hull polygon are noise
    ko = cv2.morphologyEx(ko, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    return ko


def normalise_ink(a: np.ndarray) -> np.ndarray:
    """Scale a soft mask so its strongest ink reads 1, as the detector does with a candidate
    (the thin strokes of a 16 px mark never cover a whole pixel, in the template or the image)."""
    vals = a[a > 0.05]
    if vals.size < 8:
        return a
    top = float(vals[vals >= np.percentile(vals, 60)].mean())
    return np.clip(a / max(top, 1e-3), 0.0, 1.0).astype(np.float32)


@dataclass
class ScaledShape:
    extent: int
    width: float  # upright ink box at this size, px
    height: float
    ink_area: float  # px at this size
    polar: np.ndarray
    knockout: np.ndarray
    silhouette: np.ndarray  # ink ∪ knock-out, polar
    spectrum: np.ndarray
    energy: float  # radius-weighted sum of squares of the polar image
    white: shape.Whitening


@dataclass
class Template:
    platform: str
    version: str
    knockout_mode: str
    ink: np.ndarray  # uint8 RENDER_SIZE² alpha
    knockout: np.ndarray  # uint8
    source: str = "bundled"  # or the user file's path
    scales: list[ScaledShape] = field(default_factory=list)
    blob_similarity: float = 0.0  # best score against plain shapes (disc, square, …): how generic it is
    aspect: float = 1.0  # width / height of the upright ink

    @property
    def key(self) -> str:
        return f"{self.platform}/{self.version}"

    @cached_property
    def has_knockout(self) -> bool:
        # asked for every candidate and template: look at the 256² mask once
        return bool(self.knockout.any())


def _describe(tpl: Template) -> Template:
    ys, xs = np.nonzero(tpl.ink > 8)
    if ys.size == 0:
        raise ValueError(f"template {tpl.key} is empty")
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    ink = tpl.ink[y0:y1, x0:x1]
    ko = tpl.knockout[y0:y1, x0:x1]
    h, w = ink.shape
    tpl.aspect = w / h
    tpl.scales = []
    for extent in SCALES:
        f = extent / max(h, w)
        size = (max(1, round(w * f)), max(1, round(h * f)))
        a = cv2.resize(ink.astype(np.float32) / 255.0, size, interpolation=cv2.INTER_AREA)
        k = cv2.resize(ko.astype(np.float32) / 255.0, size, interpolation=cv2.INTER_AREA)
        a = cv2.copyMakeBorder(normalise_ink(a), 3, 3, 3, 3, cv2.BORDER_CONSTANT, value=0)
        k = cv2.copyMakeBorder(k, 3, 3, 3, 3, cv2.BORDER_CONSTANT, value=0)
        wh = shape.whiten(a)
        if wh is None:
            continue
        p = shape.polar(a, wh)
        kp = shape.polar(k, wh)
        tpl.scales.append(ScaledShape(extent, w * f, h * f, float(a.sum()), p, kp, np.clip(p + kp, 0, 1), shape.spectrum(p),
                                      shape.energy(p), wh))
    tpl.blob_similarity = _blob_similarity(tpl)
    return tpl


def _plain_shapes() -> list[np.ndarray]:
    """Disc, square, ellipse, triangle and two merged discs: what photo blobs look like."""
    out = []
    for draw in (lambda a: cv2.circle(a, (20, 20), 15, 1.0, -1),
                 lambda a: cv2.rectangle(a, (6, 6), (33, 33), 1.0, -1),
                 lambda a: cv2.ellipse(a, (20, 20), (16, 8), 30, 0, 360, 1.0, -1),
                 lambda a: cv2.fillPoly(a, [np.array([[5, 35], [35, 35], [20, 6]])], 1.0),
                 lambda a: (cv2.circle(a, (16, 20), 10, 1.0, -1), cv2.circle(a, (26, 16), 7, 1.0, -1))):
        a = np.zeros((40, 40), np.float32)
        draw(a)
        out.append(a)
    return out


def _blob_similarity(tpl: Template) -> float:
    sc = tpl.scales[len(tpl.scales) // 2]
    best = 0.0
    for a in _plain_shapes():
        w = shape.whiten(a)
        p = shape.polar(a, w)
        best = max(best, float(shape.iou_all_angles(p, sc.spectrum[None], np.array([sc.energy])).max()))
    return best


@dataclass
class Bank:
    """All templates plus stacked arrays for vectorised matching."""

    templates: list[Template]
    spectra: np.ndarray  # (T, S, N_RADII, K)
    energies: np.ndarray  # (T, S)
    ink_areas: np.ndarray  # (T, S) px
    notes: list[str] = field(default_factory=list)  # problems with user templates
    # the spectra laid out frequency-major, (K, T·S, N_RADII) complex64: one batched matrix
    # product gives a candidate's correlation with every template at every size (50 µs
    # instead of 150 µs for a gather and an einsum over the chosen sizes)
    by_frequency: np.ndarray | None = None

    def platforms(self) -> set[str]:
        return {t.platform for t in self.templates}


def _bundled() -> list[Template]:
    out = []
    with np.load(MASKS_FILE, allow_pickle=False) as data:
        keys = sorted({k.rsplit("/", 1)[0] for k in data.files})
        for key in keys:
            platform, version = key.split("/", 1)
            mode = str(data[f"{key}/mode"]) if f"{key}/mode" in data.files else "none"
            out.append(Template(platform, version, mode, data[f"{key}/ink"], data[f"{key}/knockout"]))
    return out


def user_logo_dirs() -> list[Path]:
    dirs = []
    env = os.environ.get("IMAGERIGHTS_LOGOS_DIR")
    if env:
        dirs.append(Path(env))
    try:
        from platformdirs import user_config_dir

        dirs.append(Path(user_config_dir("imagerights")) / "logos")
    except Exception:  # noqa: BLE001 - no config dir is not an error
        pass
    return dirs


def render_svg(svg: str, size: int = RENDER_SIZE) -> np.ndarray:
    """Alpha of an SVG rendered at ``size``² with resvg (optional dependency)."""
    import resvg_py  # type: ignore
    from PIL import Image

    png = resvg_py.svg_to_bytes(svg_string=svg, width=size, height=size)
    return np.asarray(Image.open(io.BytesIO(bytes(png))).convert("RGBA"))[..., 3].copy()


def load_raster_mark(path: Path, size: int = RENDER_SIZE) -> np.ndarray:
    """Ink alpha of a user-supplied PNG: its alpha channel, or its dark pixels if opaque."""
    from PIL import Image

    with Image.open(path) as im:
        im.load()
        rgba = np.asarray(im.convert("RGBA"))
    alpha = rgba[..., 3]
    if alpha.min() > 250:  # opaque: ink = whatever differs from the corner colour
        rgb = rgba[..., :3].astype(np.int16)
        corner = np.median(np.concatenate([rgb[0, :], rgb[-1, :], rgb[:, 0], rgb[:, -1]]), axis=0)
        alpha = np.clip(np.abs(rgb - corner).max(axis=-1) * 2, 0, 255).astype(np.uint8)
    h, w = alpha.shape
    f = size / max(h, w)
    a = cv2.resize(alpha, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA)
    canvas = np.zeros((size, size), np.uint8)
    y, x = (size - a.shape[0]) // 2, (size - a.shape[1]) // 2
    canvas[y:y + a.shape[0], x:x + a.shape[1]] = a
    return canvas


def _user_templates(knockout_modes: dict[str, str], notes: list[str]) -> list[Template]:
    out = []
    for d in user_logo_dirs():
        if not d.is_dir():
            continue
        for f in sorted(d.glob("*/*")):
            if f.suffix.lower() not in (".png", ".svg"):
                continue
            platform, version = f.parent.name.lower(), f.stem
            try:
                if f.suffix.lower() == ".svg":
                    ink = render_svg(f.read_text(encoding="utf-8"))
                else:
                    ink = load_raster_mark(f)
                mode = knockout_modes.get(f"{platform}/{version}", knockout_modes.get(platform, "holes"))
                out.append(Template(platform, version, mode, ink, knockout_mask(ink, mode), source=str(f)))
            except Exception as exc:  # noqa: BLE001 - a bad user file is a note, not a crash
                notes.append(f"{f}: {type(exc).__name__}: {exc}")
    return out


def build_bank(templates: list[Template], notes: list[str] | None = None) -> Bank:
    described = []
    for t in templates:
        try:
            _describe(t)
        except ValueError as exc:
            (notes if notes is not None else []).append(str(exc))
            continue
        if len(t.scales) == len(SCALES):
            described.append(t)
    spectra = np.stack([np.stack([s.spectrum for s in t.scales]) for t in described])
    energies = np.array([[s.energy for s in t.scales] for t in described])
    ink_areas = np.array([[s.ink_area for s in t.scales] for t in described])
    t, n_s, n_r, n_k = spectra.shape
    by_frequency = np.ascontiguousarray(spectra.transpose(3, 0, 1, 2).reshape(n_k, t * n_s, n_r)).astype(np.complex64)
    return Bank(described, spectra, energies, ink_areas, list(notes or []), by_frequency)


@cache
def default_bank() -> Bank:
    """Bundled templates plus the user's own (read once per process)."""
    from imagerights.logos.brands import knockout_modes

    notes: list[str] = []
    templates = _bundled()
    user = _user_templates(knockout_modes(), notes)
    known = {t.key for t in user}
    templates = [t for t in templates if t.key not in known] + user
    return build_bank(templates, notes)
