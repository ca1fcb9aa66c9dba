"""Measure a detected mark: colour, version evidence, rotation, stretch, size, clear space,
effects. Facts only – the thresholds that make a finding live in ``rules/brands.py`` and
the brand files; the only brand data used here says *what* to measure (which colours to
compare with, how wide the clear-space ring is, which side is the reference size).

All pixel work happens at the working resolution; lengths are reported in the original
image's pixels (``scale`` = original px per working px).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import cv2
import numpy as np

from imagerights.logos import shape
from imagerights.logos.colour import delta_e2000, hex_to_rgb, icc_to_srgb, rgb_to_hex, srgb_to_lab

if TYPE_CHECKING:  # pragma: no cover
    from imagerights.logos.detect import Detection

RELIABLE_COLOUR_PX = 24  # below this JPEG chroma subsampling blurs the colour (research §4)
BUSY_FRACTION = 0.02  # share of busy pixels within a distance that ends the clear space
EDGE_LOW, EDGE_HIGH = 50, 150  # Canny thresholds
OFF_COLOUR = 40.0  # RGB distance from the surroundings' median that counts as "something else"
SHADOW_DARKENING = 12.0  # grey levels
GRADIENT_SPREAD = 18.0  # CIE L*a*b* units between the 10th and 90th percentile of the ink


def _r(x: float, n: int = 2) -> float:
    return float(round(float(x), n))


def colour(det: "Detection", icc_profile: bytes | None) -> dict[str, Any]:
    """Ink colour (sRGB after the embedded ICC profile), nearest permitted and outdated colour
    with their CIEDE2000 distance."""
    region = det.region
    ink = region.ink_rgb.astype(np.float64)
    srgb, converted = icc_to_srgb(ink[None, :], icc_profile)
    srgb = srgb[0]
    out: dict[str, Any] = {"hex": rgb_to_hex(srgb), "srgb": [int(round(c)) for c in srgb], "icc_converted": converted,
                           "known": det.colour_known}
    brand = det.brand
    if brand is None:
        return out
    lab = srgb_to_lab(srgb)
    permitted = [h.upper() for h in brand.colour.get("permitted", [])]
    if permitted:
        de = delta_e2000(lab[None, :], srgb_to_lab(np.array([hex_to_rgb(h) for h in permitted], np.float64)))
        i = int(np.argmin(de))
        out["nearest_permitted"] = {"hex": permitted[i], "delta_e": _r(de[i])}
    fill = brand.current.fill
    if fill:
        de = delta_e2000(lab, srgb_to_lab(np.array(hex_to_rgb(fill), np.float64)))
        out["official"] = {"hex": fill, "delta_e": _r(de)}
    outdated = {h.upper(): v for h, v in brand.colour.get("outdated", {}).items()}
    if outdated:
        hexes = list(outdated)
        de = delta_e2000(lab[None, :], srgb_to_lab(np.array([hex_to_rgb(h) for h in hexes], np.float64)))
        i = int(np.argmin(de))
        out["nearest_outdated"] = {"hex": hexes[i], "delta_e": _r(de[i]), "version": outdated[hexes[i]]}
    return out


def geometry(det: "Detection", scale: float) -> dict[str, Any]:
    """Rotation, stretch and upright size from the affine map template → image."""
    m, tpl = det.match, det.template
    sc = tpl.scales[m.scale_index]
    a = shape.affine(m.white, sc.white, m.shift)
    d = shape.decompose(a)
    order = 1
    if det.brand is not None:
        order = int(det.brand.geometry.get("symmetry_order", 1))
    f = det.region.factor
    width = sc.width * float(np.linalg.norm(a[:, 0])) / f * scale
    height = sc.height * float(np.linalg.norm(a[:, 1])) / f * scale
    ratio = d["stretch_x"] / max(d["stretch_y"], 1e-9)
    return {
        "rotation_deg": _r(shape.fold_angle(d["rotation_deg"], order), 1),
        "symmetry_order": order,
        "aspect_ratio": _r(ratio, 3),  # width/height relative to the official mark (1 = unchanged)
        "aspect_ratio_error": _r(abs(ratio - 1.0), 3),
        "shear": _r(d["shear"], 3),
        "size_px": {"width": _r(width, 1), "height": _r(height, 1)},
    }


def mirrored(det: "Detection") -> bool:
    """Does the mark fit its template clearly better when mirrored?"""
    a = det.region.alpha
    pc = shape.polar(a, det.match.white)
    sc = det.template.scales[det.match.scale_index]
    normal = shape.iou_all_angles(pc, sc.spectrum[None], np.array([sc.energy])).max()
    flipped = shape.iou_all_angles(pc[:, ::-1].copy(), sc.spectrum[None], np.array([sc.energy])).max()
    return bool(flipped > normal + 0.02)


def _logo_mask(det: "Detection", shape_hw: tuple[int, int], origin: tuple[int, int]) -> np.ndarray:
    """The mark's outline (grown by 2 px) in a window of the working image."""
    r = det.region
    h, w = r.support.shape
    f = r.factor
    ink = (r.alpha > 0.5).astype(np.uint8)  # the ink itself: a shadow or outline around it is not the mark
    full = cv2.resize(ink, (max(1, round(w / f)), max(1, round(h / f))), interpolation=cv2.INTER_NEAREST)
    pts = cv2.findNonZero(full)
    if pts is not None:  # the mark with its knock-outs ("f", triangle): its convex hull
        cv2.fillConvexPoly(full, cv2.convexHull(pts), 1)
    mask = np.zeros(shape_hw, np.uint8)
    oy, ox = r.y0 - origin[1], r.x0 - origin[0]
    y0, x0 = max(0, oy), max(0, ox)
    y1, x1 = min(shape_hw[0], oy + full.shape[0]), min(shape_hw[1], ox + full.shape[1])
    if y1 > y0 and x1 > x0:
        mask[y0:y1, x0:x1] = full[y0 - oy:y1 - oy, x0 - ox:x1 - ox]
    return cv2.dilate(mask, np.ones((5, 5), np.uint8))  # and its anti-aliased, JPEG-rung edge


def clear_space(det: "Detection", image: np.ndarray, pad: int, reference_px: float, scale: float) -> dict[str, Any]:
    """How far the surroundings stay empty around the mark.

    ``clear_space_px`` is the distance from the mark's outline within which at most 2 % of the
    pixels are busy (an edge, or a colour other than the surroundings' own); ``required_px``
    comes from the brand file (a fraction of the reference side, or an absolute minimum).
    Pixels beyond the picture's edge count as clear (``near_edge`` says so)."""
    brand = det.brand
    cs = brand.clear_space if brand is not None else None
    fraction = float(cs.get("fraction", 0.5)) if cs else 0.5
    min_px = float(cs.get("min_px", 0.0)) if cs else 0.0
    required = max(fraction * reference_px, min_px)  # original px
    req_w = required / scale
    x, y, bw, bh = det.box
    reach = int(np.ceil(max(req_w, 0.5 * reference_px / scale) * 1.25)) + 3
    H, W = image.shape[:2]
    x0, y0 = max(0, x - reach), max(0, y - reach)
    x1, y1 = min(W, x + bw + reach), min(H, y + bh + reach)
    win = image[y0:y1, x0:x1]
    logo = _logo_mask(det, win.shape[:2], (x0, y0))
    inside_canvas = np.zeros(win.shape[:2], bool)
    cy0, cx0 = max(0, pad - y0), max(0, pad - x0)
    cy1, cx1 = min(win.shape[0], H - pad - y0), min(win.shape[1], W - pad - x0)
    inside_canvas[cy0:cy1, cx0:cx1] = True
    free = logo == 0
    clear = free & inside_canvas  # outside the mark, inside the picture
    dist = cv2.distanceTransform(free.view(np.uint8), cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
    around = clear & (dist <= max(req_w, 2.0))
    grey = cv2.cvtColor(win, cv2.COLOR_RGB2GRAY)
    edges = cv2.Canny(grey, EDGE_LOW, EDGE_HIGH) > 0
    if np.count_nonzero(around) >= 8:
        median = _median_colour(win[around])
    else:
        median = _median_colour(win[clear]) if clear.any() else np.zeros(3)
    # (win − median)² summed over the channels, in place (a window is up to ~500² px)
    d2 = win.astype(np.float32)
    d2 -= median.astype(np.float32)
    np.multiply(d2, d2, out=d2)
    off = cv2.transform(d2, np.ones((1, 3), np.float32)) > OFF_COLOUR ** 2
    busy = (edges | off) & clear
    k = np.ceil(dist).astype(np.int32)
    np.clip(k, 0, reach + 2, out=k)
    all_n = np.bincount(k[clear], minlength=reach + 3)
    busy_n = np.bincount(k[busy], minlength=reach + 3)
    cum_all, cum_busy = np.cumsum(all_n[1:]), np.cumsum(busy_n[1:])
    frac = cum_busy / np.maximum(cum_all, 1)
    over = np.nonzero((frac > BUSY_FRACTION) & (cum_all >= 8))[0]
    clear_w = float(over[0] + 0.5) if over.size else float(reach)  # bin i holds distances (i, i+1]
    ring = around
    near_edge = bool((x - req_w < pad) or (y - req_w < pad) or (x + bw + req_w > W - pad) or (y + bh + req_w > H - pad))
    return {
        "clear_space_px": _r(clear_w * scale, 1),
        "required_px": _r(required, 1),
        "examined_px": _r(reach * scale, 1),
        "edge_fraction": _r(float((edges & ring).sum()) / max(1, int(ring.sum())), 3),
        "off_colour_fraction": _r(float((off & ring).sum()) / max(1, int(ring.sum())), 3),
        "near_edge": near_edge,
    }, win, logo, dist, inside_canvas, grey


MEDIAN_SAMPLE = 4096  # pixels: the median colour of a larger set is taken from an even sample


def _median_colour(px: np.ndarray) -> np.ndarray:
    """Per-channel median of (N, 3) pixels (or of N values); of every k-th pixel when there are
    many (the ring around a 160 px mark with a clear space of its height holds ~200,000)."""
    if len(px) > MEDIAN_SAMPLE:
        px = px[:: len(px) // MEDIAN_SAMPLE]
    return np.median(px, axis=0)


def effects(det: "Detection", win: np.ndarray, logo: np.ndarray, dist: np.ndarray, inside: np.ndarray,
            reference_px_work: float, grey: np.ndarray | None = None) -> tuple[list[str], dict[str, Any]]:
    """Drop shadow (a one-sided dark band outside the outline), outline (a uniform band of a
    third colour all around) and gradient (ink colour spread)."""
    found: list[str] = []
    detail: dict[str, Any] = {}
    band_w = max(3.0, 0.1 * reference_px_work)
    clear = (logo == 0) & inside
    band = clear & (dist >= 1) & (dist <= band_w)
    outer = clear & (dist > band_w + 2) & (dist <= 2 * band_w + 3)
    if grey is None:
        grey = cv2.cvtColor(win, cv2.COLOR_RGB2GRAY)
    if band.sum() >= 12 and outer.sum() >= 12:
        outer_grey = grey[outer].astype(np.float32)
        ref = float(_median_colour(outer_grey))
        flat = float(np.std(outer_grey)) < 14
        mo = cv2.moments(logo, binaryImage=True)
        cy, cx = (mo["m01"] / mo["m00"], mo["m10"] / mo["m00"]) if mo["m00"] else (win.shape[0] / 2, win.shape[1] / 2)
        by, bx = np.nonzero(band)
        ang = np.arctan2(by - cy, bx - cx)
        sector = ((ang + np.pi) / (2 * np.pi) * 8).astype(int) % 8
        dark = ref - grey[band].astype(np.float32)
        per = np.array([dark[sector == s].mean() if (sector == s).any() else 0.0 for s in range(8)])
        detail["band_darkening"] = [_r(v, 1) for v in per]
        strongest = int(np.argmax(per))
        opposite = per[(strongest + 4) % 8]
        if flat and per.max() >= SHADOW_DARKENING and opposite < per.max() / 3:
            found.append("drop-shadow")
            detail["shadow_direction_deg"] = _r((strongest + 0.5) * 45.0 - 180.0, 0)  # 0 = right, 90 = down
        band_rgb = win[band].astype(np.float32)
        band_med = _median_colour(band_rgb)
        outer_med = _median_colour(win[outer].astype(np.float32))
        ink = det.region.ink_rgb.astype(np.float32)
        uniform = float(np.mean(np.sqrt(((band_rgb - band_med) ** 2).sum(axis=1)))) < 25
        if (flat and uniform and per.min() != 0 and np.linalg.norm(band_med - outer_med) > 60
                and np.linalg.norm(band_med - ink) > 60 and "drop-shadow" not in found):
            found.append("outline")
    core = (det.region.core > 0) & (det.region.alpha > 0.5)
    if int(core.sum()) >= 30:
        lab = srgb_to_lab(det.region.crop[core].astype(np.float64))
        de = np.sqrt(((lab - np.median(lab, axis=0)) ** 2).sum(axis=1))
        spread = float(np.percentile(de, 90) - np.percentile(de, 10))
        detail["ink_spread"] = _r(spread, 1)
        if spread > GRADIENT_SPREAD:
            found.append("gradient")
    return found, detail


def measure(det: "Detection", image: np.ndarray, pad: int, *, scale: float, icc_profile: bytes | None,
            whole_file: bool) -> dict[str, Any]:
    geo = geometry(det, scale)
    brand = det.brand
    reference = "height"
    if brand is not None:
        reference = str(brand.size.get("reference", "height"))
    size = geo["size_px"]
    reference_px = size["height"] if reference == "height" else size["width"]
    col = colour(det, icc_profile)
    col["reliable"] = min(size["height"], size["width"]) >= RELIABLE_COLOUR_PX
    out: dict[str, Any] = {
        "confidence": det.level,
        "score": _r(det.match.iou, 3),
        "versions_scored": det.alternatives,
        "colour": col,
        **geo,
        "reference": reference,
        "reference_px": _r(reference_px, 1),
        "image_width_px": int(round(image.shape[1] - 2 * pad) * scale),
        "knockout": {"absent": _r(det.match.knockout_absent), "iou": _r(det.match.knockout_iou)} if det.template.has_knockout else None,
        "whole_file": whole_file,
        "template": det.template.source,
    }
    if brand is not None:
        cs_ref = str(brand.clear_space.get("reference", reference))
        cs_px = size["height"] if cs_ref == "height" else size["width"]
    else:
        cs_px = reference_px
    if whole_file:
        out["clear_space_px"] = None
        out["clear_space"] = {"skipped": "whole logo file"}
        fx, detail = [], {}
    else:
        cs, win, logo, dist, inside, grey = clear_space(det, image, pad, cs_px, scale)
        out["clear_space_px"] = cs.pop("clear_space_px")
        out["clear_space"] = cs
        fx, detail = effects(det, win, logo, dist, inside, reference_px / scale, grey)
    if mirrored(det):
        fx.append("mirrored")
    out["effects"] = fx
    out["effects_detail"] = detail
    return out
