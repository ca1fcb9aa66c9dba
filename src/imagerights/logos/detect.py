"""``find_logos``: every platform mark in an image, as facts (no verdicts).

Two modes share one detector:

* **composition** – a photo or poster with marks anywhere (16 px and up, turned,
  recoloured, stretched): candidate outlines (:mod:`candidates`) → soft ink mask and
  rotation-searched score against every template version (:mod:`match`) → decision
  (below) → non-maximum suppression → measurements (:mod:`measure`).
* **whole file** – a downloaded logo file whose mark fills the canvas. The image is always
  framed with its own border colour (so a mark touching the edges has an outline);
  transparent files are also flattened on black (a white mark on transparency is invisible
  on white), and a detection covering most of the canvas is marked ``whole_file``.

The decision uses colour as a prior, not a gate: a shape in one of its platform's known
colours (current or outdated; black for the marks whose official colour it is: X,
Threads, TikTok) is accepted from a score of 0.88; in any other colour
(recoloured, or a black or white blob, which photos are full of) from 0.92; below 24 px
both need 0.02 more, a mark as close to a plain blob as the Twitter bird 0.03 more, and a
mark far from every plain blob (X, Threads, Instagram's glyph, TikTok) 0.05 less. A
stretch beyond ×1.45 or a strong shear means some other shape. An outline found at only
one threshold level is examined only if its colour is a platform's, black included (most
such outlines are photo texture). Between two versions that score alike, the colour
decides, or else the shape where the two templates differ (:func:`_shape_prefers`).

The image is analysed at most ``WORK_MAX_SIDE`` px on its long side (``src.rgb``); boxes
and pixel sizes are reported in the original image's pixels.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import cv2
import numpy as np

from imagerights.facts import LogoFact
from imagerights.imaging import SourceImage
from imagerights.logos import measure, shape
from imagerights.logos.bank import Bank, Template, default_bank
from imagerights.logos.brands import Brand, load_brands
from imagerights.logos.candidates import channel_maps, propose
from imagerights.logos.colour import cell_lab, hex_to_rgb, srgb_to_lab
from imagerights.logos.match import Match, Region, extract, match

WORK_MAX_SIDE = 1280
MIN_IMAGE_SIDE = 12
BRAND_THRESHOLD = 0.88  # the mark is in one of its platform's known colours
OTHER_THRESHOLD = 0.92  # any other colour (0.91 gave the first false positive on the corpus)
SMALL_EXTRA = 0.02  # added below SMALL_SIDE px
SMALL_SIDE = 24
BLOBBY = 0.8  # a mark without knock-out this similar to a disc or square needs …
BLOBBY_EXTRA = 0.03  # … this much more (photos are full of blue blobs)
# A mark far from every plain blob (X, Threads, Instagram's glyph, TikTok: blob similarity
# 0.43-0.69) is not imitated by photo texture: on the 143 logo-free corpus photos no outline
# scores above 0.80 against any of them, while the blob-like marks (bird, Bluesky, Facebook,
# YouTube) reach 0.93-0.95. Their thin strokes, on the other hand, lose the most to JPEG and
# a textured background (the X at 32 px on grass: 0.87). So they need DISTINCT_RELIEF less.
# Measured on bench/logos.py: recall 0.913 -> 0.932, still 0 false positives.
DISTINCT = 0.7
DISTINCT_RELIEF = 0.05
# X's mark (blob similarity 0.43) is the furthest from any blob: the best any outline of the
# 143 logo-free photos scores against it, colour gate or not, is 0.73 (Threads 0.82, TikTok
# 0.87), so it needs VERY_DISTINCT_RELIEF less, which is still 0.07 above that. Its two
# strokes suffer most at 16-24 px (a blue 16 px X: 0.875 where 0.89 was needed).
VERY_DISTINCT = 0.5
VERY_DISTINCT_RELIEF = 0.08
MIN_BOX = 11  # px: a 16 px mark, squeezed to 0.8, is still 12 px
HIGH_CONFIDENCE = 0.94  # or BRAND colour and ≥ 0.91: "high"; otherwise "medium" ("possible … logo")
BRAND_DELTA_E = 15.0  # CIE76 distance of the ink to a known colour for the colour prior
MAX_STRETCH = 1.45
MAX_SHEAR = 0.35
VERSION_MARGIN = 0.03  # scores closer than this: colour decides between two versions
VERSION_COLOUR_DE = 10.0
WHOLE_FILE_COVER = 0.6  # a mark covering this share of the canvas makes a logo file


# Black is the official colour of X, Threads and TikTok. A black mark on a dark part of a
# photo is often cut at one grey level only (the background is darker than the next level),
# so the colour gate dropped it: 5 black marks of 16-96 px on the bench. A mean within 12 of
# pure black is rare in photos (JPEG lifts deep shadows): +3.6 examined outlines per photo
# (+7 %), no false positive.
GATE_BLACK = 12

LINKEDIN_BLUES = ("0A66C2", "0077B5")
_LINKEDIN_LAB = srgb_to_lab(np.array([hex_to_rgb(h) for h in LINKEDIN_BLUES], np.float64))


@dataclass
class Heuristic:
    """A LinkedIn "in" bug recognised by colour and shape only (no template is shipped)."""

    region: Region
    box: tuple[int, int, int, int]
    score: float


def _linkedin_like(region: Region, cand) -> Heuristic | None:
    """A rounded square in LinkedIn blue with a few light holes (the "in") covering 15–50 %.
    (Asked of every region that is no mark: the box test, which most fail, comes first.)"""
    x, y, w, h = cand.box
    if not 0.85 <= w / h <= 1.18 or min(w, h) < 14:
        return None
    lab = srgb_to_lab(region.ink_rgb.astype(np.float64))
    if float(np.sqrt(((_LINKEDIN_LAB - lab) ** 2).sum(axis=1)).min()) > BRAND_DELTA_E:
        return None
    area = cv2.contourArea(cand.contour)
    if area < 0.82 * w * h:
        return None
    inside = cv2.erode(region.support, np.ones((5, 5), np.uint8))
    if inside.sum() < 30:
        return None
    holes = (region.alpha < 0.4) & (inside > 0)
    frac = float(holes.sum()) / float(inside.sum())
    n, _ = cv2.connectedComponents(holes.astype(np.uint8))
    if not 0.12 <= frac <= 0.5 or n - 1 < 2:
        return None
    box = _box(region)
    return Heuristic(region, box, 0.75) if box else None


@dataclass
class Detection:
    """A decided mark at working resolution, before measurement."""

    region: Region
    match: Match
    template: Template
    brand: Brand | None
    box: tuple[int, int, int, int]  # working px
    colour_known: bool
    level: str  # "high" / "medium"
    alternatives: dict[str, float]  # other versions of the platform and their scores


_KNOWN: dict[int, list[np.ndarray]] = {}


def _known_colours(bank: Bank) -> list[np.ndarray]:
    """Per template: Lab of its platform's chromatic known colours (permitted, outdated, fills)."""
    if id(bank) not in _KNOWN:
        brands = load_brands()
        out = []
        for t in bank.templates:
            b = brands.get(t.platform)
            hexes: set[str] = set()
            if b is not None:
                hexes |= {h.upper() for h in b.colour.get("permitted", [])}
                hexes |= {h.upper() for h in b.colour.get("outdated", {})}
                hexes |= {v.fill for v in b.versions if v.fill}
            labs = srgb_to_lab(np.array([hex_to_rgb(h) for h in sorted(hexes)], np.float64)) if hexes else np.zeros((0, 3))
            out.append(labs[np.hypot(labs[:, 1], labs[:, 2]) > 12] if len(labs) else labs)
        _KNOWN[id(bank)] = out
    return _KNOWN[id(bank)]


_FLAT_KNOWN: dict[int, tuple[np.ndarray, np.ndarray]] = {}


_BLACK_FILL: dict[int, np.ndarray] = {}


def _black_fill(bank: Bank) -> np.ndarray:
    """Per template: is its version's official fill black (X 2023, Threads, TikTok)?"""
    if id(bank) not in _BLACK_FILL:
        brands = load_brands()
        out = np.zeros(len(bank.templates), bool)
        for i, t in enumerate(bank.templates):
            b = brands.get(t.platform)
            v = b.version(t.version) if b is not None else None
            if v is not None and v.fill:
                out[i] = float(np.sqrt((srgb_to_lab(np.array(hex_to_rgb(v.fill), np.float64)) ** 2).sum())) <= 1.0
        _BLACK_FILL[id(bank)] = out
    return _BLACK_FILL[id(bank)]


def _colour_prior(region: Region, bank: Bank) -> np.ndarray:
    """Per template: is the ink within BRAND_DELTA_E of one of its platform's known colours?

    Black, white and grey are no evidence of a brand colour, except black for the marks whose
    official colour it is (X, Threads, TikTok): no photo outline comes near their shapes
    (logo-free corpus: ≤ 0.80 against them, black or not), so a black ink that scores
    like a brand-coloured mark is one. Measured on bench/logos.py: see docs/logos.md."""
    lab = srgb_to_lab(region.ink_rgb.astype(np.float64))
    if np.hypot(lab[1], lab[2]) <= 12:
        if float(np.sqrt((lab * lab).sum())) <= BRAND_DELTA_E:  # black
            return _black_fill(bank).copy()
        return np.zeros(len(bank.templates), bool)
    if id(bank) not in _FLAT_KNOWN:  # all templates' colours in one array, with their owner
        known = _known_colours(bank)
        labs = [k for k in known if len(k)]
        owner = np.concatenate([np.full(len(k), i) for i, k in enumerate(known) if len(k)]) if labs else np.zeros(0, int)
        _FLAT_KNOWN[id(bank)] = (np.concatenate(labs) if labs else np.zeros((0, 3)), owner)
    allk, owner = _FLAT_KNOWN[id(bank)]
    near = np.sqrt(((allk - lab) ** 2).sum(axis=1)) <= BRAND_DELTA_E
    prior = np.zeros(len(bank.templates), bool)
    prior[owner[near]] = True
    return prior


_GATES: dict[int, np.ndarray] = {}


def _brand_colour_gate(bank: Bank):
    """``rgb → bool``: is the colour within BRAND_DELTA_E (+ a margin for the mean of mixed
    edge pixels) of any platform's chromatic colour, or pure black (GATE_BLACK)? A 32³
    lookup table, built once."""
    if id(bank) not in _GATES:
        labs = [k for k in _known_colours(bank) if len(k)]
        allk = np.unique(np.concatenate(labs), axis=0) if labs else np.zeros((0, 3))
        lab = cell_lab()
        ok = np.hypot(lab[:, 1], lab[:, 2]) > 10
        if len(allk):
            d2 = ((lab[:, None, :] - allk[None, :, :]) ** 2).sum(axis=-1).min(axis=1)
            ok &= d2 <= (BRAND_DELTA_E + 10) ** 2
        else:
            ok[:] = False
        _GATES[id(bank)] = ok.reshape(32, 32, 32)
    table = _GATES[id(bank)]

    def gate(ink) -> bool:  # a mean colour (r, g, b) as floats (asked ~300× per photo)
        r, g, b = ink[0], ink[1], ink[2]
        if r <= GATE_BLACK and g <= GATE_BLACK and b <= GATE_BLACK:
            return True
        return bool(table[min(31, max(0, int(r) >> 3)), min(31, max(0, int(g) >> 3)), min(31, max(0, int(b) >> 3))])

    return gate


def _box(region: Region) -> tuple[int, int, int, int] | None:
    """The box of the region's clear ink (alpha > 0.3), in working px."""
    x, y, w, h = cv2.boundingRect(cv2.compare(region.alpha, 0.3, cv2.CMP_GT))
    if w == 0:
        return None
    f = region.factor
    return (int(region.x0 + x / f), int(region.y0 + y / f), max(1, int(round(w / f))), max(1, int(round(h / f))))


def _geometry_ok(m: Match, tpl: Template) -> bool:
    d = shape.decompose(shape.affine(m.white, tpl.scales[m.scale_index].white, m.shift))
    stretch = max(d["stretch_x"] / max(d["stretch_y"], 1e-9), d["stretch_y"] / max(d["stretch_x"], 1e-9))
    return stretch <= MAX_STRETCH and abs(d["shear"]) <= MAX_SHEAR


def _pick_version(best: Match, accepted: list[Match], bank: Bank, region: Region,
                  brands: dict[str, Brand]) -> tuple[Match, dict[str, float]]:
    """Among versions of the winning platform that score within VERSION_MARGIN: the one whose
    official colour the ink is (Facebook 2019 vs 2023 differ mostly by their blue); if the ink
    is none of them (recoloured, black, white), the shape decides where the versions differ
    (:func:`_shape_prefers`).

    Measured on bench/logos.py (517 found): "current version unless the colour says
    otherwise" was wrong on 16 (every recoloured Facebook 2019 and YouTube pre-2017, black
    Threads 2023 at 16-24 px); the shape in the difference regions gets them right."""
    platform = bank.templates[best.template].platform
    same = [m for m in accepted if bank.templates[m.template].platform == platform]
    alternatives = {bank.templates[m.template].version: round(m.iou, 3) for m in same}
    close = [m for m in same if best.iou - m.iou <= VERSION_MARGIN]
    if len(close) < 2:
        return best, alternatives
    brand = brands.get(platform)
    lab = srgb_to_lab(region.ink_rgb.astype(np.float64))
    scored = []
    for m in close:
        v = brand.version(bank.templates[m.template].version) if brand else None
        if v is not None and v.fill and np.hypot(lab[1], lab[2]) > 12:
            de = float(np.sqrt(((srgb_to_lab(np.array(hex_to_rgb(v.fill), np.float64)) - lab) ** 2).sum()))
            scored.append((de, m))
    if scored:
        de, m = min(scored, key=lambda x: x[0])
        if de <= VERSION_COLOUR_DE:
            return m, alternatives
    pc = shape.polar(region.alpha, best.white)
    champion = best
    for m in close:
        if m is not champion and _shape_prefers(pc, m, champion, bank):
            champion = m
    return champion, alternatives


DIFFERENCE_MIN = 0.5  # template ink difference that makes a polar cell a difference region
DIFFERENCE_AREA = 0.01  # of the mark's weighted area: below this the versions cannot be told apart


def _shape_prefers(pc: np.ndarray, a: Match, b: Match, bank: Bank) -> bool:
    """Is the candidate (polar image ``pc``) closer to version ``a`` than to ``b`` where the two
    templates differ? Both templates are placed on the candidate at their own best angle;
    cells where they agree carry only edge noise (which swamps the overall scores: YouTube
    2017 and pre-2017 score within 0.002 of each other), so only the cells where one template
    has ink and the other not are compared, by the candidate's squared error to each. When
    the difference is too small to see, the higher overall score wins, and a tie goes to the
    current version (the order of ``close`` is best first)."""
    ta = np.roll(bank.templates[a.template].scales[a.scale_index].polar, -int(round(a.shift)), axis=1)
    tb = np.roll(bank.templates[b.template].scales[b.scale_index].polar, -int(round(b.shift)), axis=1)
    diff = np.abs(ta - tb) >= DIFFERENCE_MIN
    w = shape.RADIAL_WEIGHT[:, None] * diff
    if float(w.sum()) < DIFFERENCE_AREA * max(shape.weighted_area(pc), 1e-9) / pc.shape[1]:
        return a.iou > b.iou
    ea = float((w * (pc - ta) ** 2).sum())
    eb = float((w * (pc - tb) ** 2).sum())
    return ea < eb


def _extra(tpl: Template) -> float:
    """Score added to (or, for marks far from any blob, taken from) a template's threshold."""
    if not tpl.has_knockout and tpl.blob_similarity >= BLOBBY:
        return BLOBBY_EXTRA  # the Twitter bird: as close to a plain blob as the threshold
    if tpl.blob_similarity < VERY_DISTINCT:
        return -VERY_DISTINCT_RELIEF
    if tpl.blob_similarity < DISTINCT:
        return -DISTINCT_RELIEF
    return 0.0


_LOWEST: dict[int, np.ndarray] = {}


def _lowest_need(bank: Bank) -> np.ndarray:
    """Per template: the lowest score :func:`_decide` could accept (a large mark in a known colour)."""
    if id(bank) not in _LOWEST:
        _LOWEST[id(bank)] = np.array([BRAND_THRESHOLD + _extra(t) for t in bank.templates])
    return _LOWEST[id(bank)]


def _decide(region: Region, bank: Bank, brands: dict[str, Brand]) -> Detection | None:
    box = _box(region)  # before matching: ~3 % of the regions of a photo are too faint to be a mark
    if box is None or min(box[2], box[3]) < MIN_BOX:
        return None
    matches = match(region, bank, accept=_lowest_need(bank))
    if not matches:
        return None
    prior = _colour_prior(region, bank)
    small = max(box[2], box[3]) < SMALL_SIDE
    accepted = []
    for m in matches:
        tpl = bank.templates[m.template]
        extra = (SMALL_EXTRA if small else 0.0) + _extra(tpl)
        need = (BRAND_THRESHOLD if prior[m.template] else OTHER_THRESHOLD) + extra
        if m.iou >= need and _geometry_ok(m, bank.templates[m.template]):
            accepted.append(m)
    if not accepted:
        return None
    best, alternatives = _pick_version(accepted[0], accepted, bank, region, brands)
    tpl = bank.templates[best.template]
    known = bool(prior[best.template])
    level = "high" if best.iou >= HIGH_CONFIDENCE or (known and best.iou >= 0.91) else "medium"
    return Detection(region, best, tpl, brands.get(tpl.platform), box, known, level, alternatives)


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    """Intersection over the smaller box: a mark found twice, or inside another, overlaps ~1."""
    ix = max(0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    small = min(a[2] * a[3], b[2] * b[3])
    return ix * iy / small if small else 0.0


def detect_rgb(rgb: np.ndarray, bank: Bank | None = None, *, max_fraction: float = 1.0) -> list[Detection]:
    """All marks in an RGB array (working resolution), best first, overlaps removed."""
    bank = bank or default_bank()
    if rgb.ndim != 3 or min(rgb.shape[:2]) < MIN_IMAGE_SIDE:
        return []
    rgb = np.ascontiguousarray(rgb[..., :3], dtype=np.uint8)
    brands = load_brands()
    maps = channel_maps(rgb)
    channels = {name: chan for name, chan, _ in maps}
    found: list[Detection] = []
    heuristics: list[Heuristic] = []
    linkedin = "linkedin" not in bank.platforms()
    gate = _brand_colour_gate(bank)
    for cand in propose(rgb, maps=maps, min_hits=1, max_fraction=max_fraction):
        # an outline found at only one level is unstable: most are photo texture, so it is
        # only examined when its colour is one of the platforms' (a 4× saving; research: stable)
        region = extract(rgb, cand, channels, None if cand.hits >= 2 else gate)
        if region is None:
            continue
        det = _decide(region, bank, brands)
        if det is None and cand.alternative is not None:
            alt = extract(rgb, cand.alternative, channels)
            det = _decide(alt, bank, brands) if alt is not None else None
        if det is not None:
            found.append(det)
        elif linkedin:
            hx = _linkedin_like(region, cand)
            if hx is not None:
                heuristics.append(hx)
    found.sort(key=lambda d: -d.match.iou)
    kept: list = []
    for d in found + heuristics:
        if all(_overlap(d.box, k.box) < 0.5 for k in kept):
            kept.append(d)
    return kept


def _frame(rgb: np.ndarray) -> tuple[np.ndarray, int]:
    """Surround the image with its median border colour so marks touching an edge get an outline."""
    h, w = rgb.shape[:2]
    pad = max(4, round(0.03 * max(h, w)))
    border = np.concatenate([rgb[0], rgb[-1], rgb[:, 0], rgb[:, -1]])
    colour = [int(c) for c in np.median(border, axis=0)]
    return cv2.copyMakeBorder(rgb, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=colour), pad


def _has_alpha(src: SourceImage) -> bool:
    im = src.pil
    return im is not None and (im.mode in ("RGBA", "LA", "PA", "RGBa") or (im.mode == "P" and "transparency" in im.info))


def _on_black(src: SourceImage, size: tuple[int, int]) -> np.ndarray | None:
    """The image flattened on black at the working size (only for files with transparency)."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            im = src.fresh()
            im.load()
            im = im.convert("RGBA")
        if im.size != size:
            im = im.resize(size, Image.Resampling.BILINEAR)
        bg = Image.new("RGB", im.size, (0, 0, 0))
        bg.paste(im, mask=im.getchannel("A"))
        return np.asarray(bg)
    except Exception:  # noqa: BLE001 - the white flattening is still analysed
        return None


def find_logos(src: SourceImage, bank: Bank | None = None) -> list[LogoFact]:
    """Every platform mark in ``src`` with its measurements, as :class:`LogoFact` records."""
    bank = bank or default_bank()
    rgb = src.rgb(WORK_MAX_SIDE)
    if rgb.ndim != 3 or min(rgb.shape[:2]) < MIN_IMAGE_SIDE:
        return []
    h, w = rgb.shape[:2]
    orig_w, orig_h = src.size or (w, h)
    scale = orig_w / w
    views = [rgb]
    if _has_alpha(src):
        black = _on_black(src, (w, h))
        if black is not None:
            views.append(black)
    detections: list[tuple[Detection, np.ndarray, int]] = []
    for view in views:
        framed, pad = _frame(view)
        for d in detect_rgb(framed, bank):
            detections.append((d, framed, pad))
    detections.sort(key=lambda x: -(x[0].match.iou if isinstance(x[0], Detection) else x[0].score))
    kept: list[tuple[Detection, np.ndarray, int]] = []
    for item in detections:
        if all(_overlap(item[0].box, k[0].box) < 0.5 for k in kept):
            kept.append(item)
    profile = src.pil.info.get("icc_profile") if src.pil is not None else None
    facts = []
    for d, framed, pad in kept:
        x, y, bw, bh = d.box
        box_work = (x - pad, y - pad, bw, bh)
        whole = _covers(box_work, w, h)
        if isinstance(d, Heuristic):
            facts.append(_heuristic_fact(d, box_work, w, h, scale, profile, whole))
            continue
        try:
            m = measure.measure(d, framed, pad, scale=scale, icc_profile=profile, whole_file=whole)
        except Exception as exc:  # noqa: BLE001 - a mark that cannot be measured is still reported
            m = {"confidence": d.level, "score": round(d.match.iou, 3), "whole_file": whole, "effects": [],
                 "measure_error": f"{type(exc).__name__}: {exc}"}
        bx, by = max(0, box_work[0]), max(0, box_work[1])
        bx2, by2 = min(w, box_work[0] + bw), min(h, box_work[1] + bh)
        box = (round(bx * scale), round(by * scale), max(1, round((bx2 - bx) * scale)), max(1, round((by2 - by) * scale)))
        version = d.brand.version(d.template.version) if d.brand else None
        status = version.status if version else "current"
        facts.append(LogoFact(d.template.platform, d.template.version, status, round(d.match.iou, 3), box, m))
    facts.sort(key=lambda f: (f.box[1], f.box[0]))
    return facts


def _heuristic_fact(d: Heuristic, box_work, w: int, h: int, scale: float, profile, whole: bool) -> LogoFact:
    from imagerights.logos.colour import delta_e_hex, icc_to_srgb, rgb_to_hex

    x, y, bw, bh = box_work
    bx, by = max(0, x), max(0, y)
    box = (round(bx * scale), round(by * scale), max(1, round(bw * scale)), max(1, round(bh * scale)))
    srgb = icc_to_srgb(d.region.ink_rgb[None, :], profile)[0][0]
    brand = load_brands().get("linkedin")
    permitted = [p.upper() for p in brand.colour.get("permitted", [])] if brand else list(LINKEDIN_BLUES[:1])
    de = delta_e_hex(srgb, permitted)
    colour = {"hex": rgb_to_hex(srgb), "known": True, "reliable": min(bw, bh) * scale >= measure.RELIABLE_COLOUR_PX,
              "nearest_permitted": {"hex": permitted[int(np.argmin(de))], "delta_e": round(float(de.min()), 2)}}
    outdated = {k.upper(): v for k, v in brand.colour.get("outdated", {}).items()} if brand else {}
    if outdated:
        deo = delta_e_hex(srgb, list(outdated))
        i = int(np.argmin(deo))
        colour["nearest_outdated"] = {"hex": list(outdated)[i], "delta_e": round(float(deo[i]), 2), "version": list(outdated.values())[i]}
    m = {"confidence": "medium", "score": d.score, "method": "colour-and-shape heuristic (no LinkedIn template shipped)",
         "colour": colour, "size_px": {"width": round(bw * scale, 1), "height": round(bh * scale, 1)},
         "reference": "height", "reference_px": round(bh * scale, 1), "image_width_px": int(round(w * scale)),
         "whole_file": whole, "effects": []}
    return LogoFact("linkedin", "in-bug", "current", d.score, box, m)


def _covers(box: tuple[int, int, int, int], w: int, h: int) -> bool:
    """The mark fills the canvas: a logo file rather than a logo in a composition."""
    x, y, bw, bh = box
    return bw * bh >= WHOLE_FILE_COVER * w * h * 0.5 and (bw >= WHOLE_FILE_COVER * w or bh >= WHOLE_FILE_COVER * h)
