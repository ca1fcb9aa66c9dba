"""Explain how a copy differs from its registered original.

Input: the geometric relation between the two (a 2×3 affine map from the copy's pixels to the
original's, from local features or from the pair of hash regions that matched), the copy's
pixels and the original's stored thumbnail. Output: the ``RegistryMatch.edits`` dict —

========== ==================================================================================
``scale``      linear size of the copy relative to the original (0.5 = half the width)
``crop``       ``{"box": [x0, y0, x1, y1], "kept": a}``: the part of the original still in the
               copy (fractions of the original's width/height) and its area fraction
``border``     ``{"added": f}``: fraction of the copy that is frame/padding, not the original
``rotation``   degrees the copy was turned anticlockwise (90 for a quarter turn; 5 …)
``flip``       ``"horizontal"`` when the copy is a mirror image
``covered``    ``{"fraction": f, "boxes": [[x0, y0, x1, y1], …]}``: areas of the copy where the
               original is hidden (caption band, watermark, sticker), fractions of the copy
``greyscale``  True when a colour original was posted in black and white
``recoloured`` ``{"brightness": Δ, "contrast": r, "colour": Δ}`` when tones/colours were changed
========== ==================================================================================

Keys are present only when the edit was detected (``rules/context.py`` maps them to the
planned-edit vocabulary the licence rules use).
"""

from __future__ import annotations

import math

import cv2
import numpy as np

CROP_KEPT_MAX = 0.97  # less of the original than this → cropped
BORDER_MIN = 0.03
COVER_DIFF = 40.0  # grey levels
COVER_MIN = 0.015  # fraction of the copy
SCALE_EPS = 0.02
ROTATION_MIN = 1.5  # degrees; below this a fit on few points is not sure enough


def dihedral_matrix(name: str, qw: float, qh: float, ow: float, oh: float) -> np.ndarray:
    """The 2×3 map from a query's pixels to the original's for a dihedral pair (``hashing.DIHEDRAL``).

    Derived by applying the very transform to a 2×2 grid of corner coordinates, so it agrees
    with :func:`hashing.dihedral_blocks` by construction.
    """
    grid = np.zeros((2, 2, 2), dtype=np.float64)  # grid[row, col] = (u, v) of the original
    for r in range(2):
        for c in range(2):
            grid[r, c] = (c, r)
    t = grid
    flip = name.startswith("flip")
    turns = {"none": 0, "flip": 0, "r90": 1, "r180": 2, "r270": 3}[name.split("+")[-1]]
    if flip:
        t = t[:, ::-1]
    t = np.rot90(t, turns)
    src = np.array([[0, 0], [1, 0], [0, 1]], dtype=np.float32)  # query (u, v) corners
    dst = np.array([t[0, 0], t[0, 1], t[1, 0]], dtype=np.float32)  # where they came from
    frac = cv2.getAffineTransform(src, dst)  # query fraction → original fraction
    return _from_fractions(frac, qw, qh, ow, oh)


def _from_fractions(frac: np.ndarray, qw: float, qh: float, ow: float, oh: float) -> np.ndarray:
    to_q = np.array([[1 / qw, 0, 0], [0, 1 / qh, 0], [0, 0, 1]])
    to_o = np.array([[ow, 0, 0], [0, oh, 0], [0, 0, 1]])
    m = to_o @ np.vstack([frac, [0, 0, 1]]) @ to_q
    return m[:2]


def region_matrix(qbox, obox, qw: float, qh: float, ow: float, oh: float) -> np.ndarray:
    """The map that takes the query's region ``qbox`` onto the original's region ``obox``."""
    qx0, qy0, qx1, qy1 = qbox
    ox0, oy0, ox1, oy1 = obox
    sx = (ox1 - ox0) / max(1e-6, qx1 - qx0)
    sy = (oy1 - oy0) / max(1e-6, qy1 - qy0)
    frac = np.array([[sx, 0, ox0 - qx0 * sx], [0, sy, oy0 - qy0 * sy]], dtype=np.float64)
    return _from_fractions(frac, qw, qh, ow, oh)


def _poly_area(poly: np.ndarray) -> float:
    if len(poly) < 3:
        return 0.0
    return float(abs(cv2.contourArea(poly.astype(np.float32))))


def _clip_to_unit(poly: np.ndarray) -> np.ndarray:
    """Sutherland–Hodgman clip of a polygon (fractions) to the unit square."""
    pts = [tuple(p) for p in poly]
    for axis, keep_low in ((0, True), (0, False), (1, True), (1, False)):
        if not pts:
            break
        bound = 0.0 if keep_low else 1.0
        inside = (lambda p: p[axis] >= bound) if keep_low else (lambda p: p[axis] <= bound)
        out = []
        for i, cur in enumerate(pts):
            prev = pts[i - 1]
            if inside(cur):
                if not inside(prev):
                    out.append(_cross(prev, cur, axis, bound))
                out.append(cur)
            elif inside(prev):
                out.append(_cross(prev, cur, axis, bound))
        pts = out
    return np.array(pts, dtype=np.float64).reshape(-1, 2)


def _cross(a, b, axis, bound):
    t = (bound - a[axis]) / (b[axis] - a[axis])
    return (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))


def geometry(matrix: np.ndarray, qw: int, qh: int, ow: int, oh: int, query_full: tuple[int, int],
             original_full: tuple[int, int]) -> dict:
    """Scale, rotation, flip, crop box and border from the query→original pixel map."""
    edits: dict = {}
    lin = matrix[:, :2]
    det = float(np.linalg.det(lin))
    mirrored = det < 0
    if mirrored:
        lin = lin @ np.diag([-1.0, 1.0])
        edits["flip"] = "horizontal"
    m = math.sqrt(abs(det))
    # lin rotates query axes into the original's; the copy was turned by the opposite angle.
    # Image y points down, so an anticlockwise turn on screen is a negative angle here.
    angle = math.degrees(math.atan2(lin[1, 0], lin[0, 0]))
    rotation = round(((angle + 180) % 360) - 180, 1)
    if abs(rotation) >= ROTATION_MIN:
        edits["rotation"] = 360 + rotation if rotation < 0 else rotation
        if abs(edits["rotation"] - 360) < 1e-9:
            edits.pop("rotation")
    qf = query_full[0] / max(1, qw)
    of = original_full[0] / max(1, ow)
    scale = qf / max(1e-9, m * of)
    if abs(scale - 1) >= SCALE_EPS:
        edits["scale"] = round(scale, 3)
    corners = np.array([[0, 0], [qw, 0], [qw, qh], [0, qh]], dtype=np.float64)
    in_orig = corners @ matrix[:, :2].T + matrix[:, 2]
    frac = in_orig / np.array([ow, oh])
    visible = _clip_to_unit(frac)
    kept = _poly_area(visible)
    full_inv = np.linalg.inv(np.vstack([matrix, [0, 0, 1]]))[:2]
    ocorners = np.array([[0, 0], [ow, 0], [ow, oh], [0, oh]], dtype=np.float64)
    in_query = (ocorners @ full_inv[:, :2].T + full_inv[:, 2]) / np.array([qw, qh])
    covered_by_original = _poly_area(_clip_to_unit(in_query))
    if kept < CROP_KEPT_MAX and len(visible):
        x0, y0 = visible.min(axis=0)
        x1, y1 = visible.max(axis=0)
        edits["crop"] = {"box": [round(min(1.0, max(0.0, float(v))), 3) + 0.0 for v in (x0, y0, x1, y1)],
                         "kept": round(kept, 3)}
    elif 1 - covered_by_original >= BORDER_MIN:
        edits["border"] = {"added": round(1 - covered_by_original, 3)}
    return edits


def _rescale(sx: float, sy: float) -> np.ndarray:
    """Pixel map between two samplings of the same frame (pixel centres at integers)."""
    return np.array([[sx, 0, 0.5 * sx - 0.5], [0, sy, 0.5 * sy - 0.5], [0, 0, 1]])


def _chroma(rgb_u8: np.ndarray) -> np.ndarray:
    """max − min over the channels, per pixel (0 for grey)."""
    r, g, b = cv2.split(rgb_u8)
    return cv2.subtract(cv2.max(cv2.max(r, g), b), cv2.min(cv2.min(r, g), b)).astype(np.float32)


def _luma(rgb: np.ndarray) -> np.ndarray:
    return rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114


def _percentiles(values: np.ndarray, qs=(10, 50, 90)) -> np.ndarray:
    """Percentiles of 0…255 values from a 256-bin histogram (np.percentile sorts: 10× slower)."""
    hist = np.bincount(np.clip(values, 0, 255).astype(np.uint8), minlength=256)
    cdf = np.cumsum(hist)
    return np.searchsorted(cdf, np.array(qs) / 100.0 * cdf[-1]).astype(np.float64)


def _tone_map(o: np.ndarray, q: np.ndarray, mask: np.ndarray) -> tuple[float, float]:
    """A robust linear map ``a·o + b ≈ q`` from matching the 10th/50th/90th percentiles."""
    unclipped = mask & (q > 4) & (q < 251)  # brightening clips highlights: fit the rest
    if np.count_nonzero(unclipped) >= 64:
        mask = unclipped
    po = _percentiles(o[mask])
    pq = _percentiles(q[mask])
    a = float((pq[2] - pq[0]) / max(2.0, po[2] - po[0]))
    a = min(4.0, max(0.25, a))
    return a, float(pq[1] - a * po[1])


def _residual(o: np.ndarray, q: np.ndarray, mask: np.ndarray, grey: bool) -> tuple[np.ndarray, list]:
    """Per-pixel difference after the best tone map (per channel; luma only for a grey copy)."""
    if grey:
        lo, lq = _luma(o), _luma(q)
        a, b = _tone_map(lo, lq, mask)
        return np.abs(lq - np.clip(a * lo + b, 0, 255)), [(a, b)]
    maps, diff = [], np.zeros(q.shape[:2], np.float32)
    for c in range(3):
        a, b = _tone_map(o[..., c], q[..., c], mask)
        maps.append((a, b))
        diff = np.maximum(diff, np.abs(q[..., c] - np.clip(a * o[..., c] + b, 0, 255)))
    return diff, maps


def _changed(diff: np.ndarray, valid: np.ndarray) -> np.ndarray:
    changed = ((diff > COVER_DIFF) & valid).astype(np.uint8)
    changed = cv2.morphologyEx(changed, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    return cv2.morphologyEx(changed, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))


def photometry(matrix: np.ndarray, query_rgb: np.ndarray, thumb: np.ndarray | None, ow: int, oh: int) -> dict:
    """Covered areas and colour changes, comparing the copy with the original's thumbnail
    warped into the copy's frame (both at thumbnail size)."""
    if thumb is None or query_rgb.size == 0:
        return {}
    qh, qw = query_rgb.shape[:2]
    side = max(thumb.shape[:2])
    f = side / max(qw, qh)
    sw, sh = max(8, int(round(qw * f))), max(8, int(round(qh * f)))
    small = cv2.resize(query_rgb, (sw, sh), interpolation=cv2.INTER_AREA)
    th, tw = thumb.shape[:2]
    # small px → query px → original px → thumb px (pixel centres aligned)
    m = (_rescale(tw / ow, th / oh) @ np.vstack([matrix, [0, 0, 1]]) @ _rescale(qw / sw, qh / sh))[:2]
    warped = cv2.warpAffine(thumb, m, (sw, sh), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                            borderMode=cv2.BORDER_REPLICATE)
    valid = cv2.warpAffine(np.full((th, tw), 255, np.uint8), m, (sw, sh),
                           flags=cv2.INTER_NEAREST | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_CONSTANT)
    valid = cv2.erode(valid, np.ones((3, 3), np.uint8)) > 0
    if valid.sum() < 64:
        return {}
    q8, o8 = cv2.GaussianBlur(small, (3, 3), 0), cv2.GaussianBlur(warped, (3, 3), 0)
    q, o = q8.astype(np.float32), o8.astype(np.float32)
    cq, co = _chroma(q8), _chroma(o8)
    grey = _percentiles(cq[valid], (50,))[0] < 2.5  # median: a coloured caption on a grey copy is still grey
    diff, _ = _residual(o, q, valid, True)  # first look: luma only (cheap)
    changed = _changed(diff, valid)
    keep = valid & (changed == 0)
    if keep.sum() >= 64:  # refit the tones without the covered areas, then look again
        diff, _ = _residual(o, q, keep, grey)
        changed = _changed(diff, valid)
        keep = valid & (changed == 0)
    if keep.sum() < 64:
        keep = valid
    edits: dict = {}
    n, _, stats, _ = cv2.connectedComponentsWithStats(changed, connectivity=8)
    boxes, area = [], 0
    min_area = COVER_MIN * 0.5 * float(valid.sum())
    for i in range(1, n):
        x, y, w, h, a = (int(v) for v in stats[i])
        if a >= min_area:
            boxes.append([round(x / sw, 3), round(y / sh, 3), round((x + w) / sw, 3), round((y + h) / sh, 3)])
            area += a
    fraction = area / float(valid.sum())
    if fraction >= COVER_MIN and boxes:
        edits["covered"] = {"fraction": round(fraction, 3), "boxes": boxes}
    chroma_q, chroma_o = float(cq[keep].mean()), float(co[keep].mean())
    if grey and chroma_o > 6:
        edits["greyscale"] = True
        return edits
    lq, lo = _luma(q), _luma(o)
    a, b = _tone_map(lo, lq, keep)
    brightness = float(_percentiles(lq[keep], (50,))[0] - _percentiles(lo[keep], (50,))[0])
    colour = 0.0
    if chroma_o > 6:
        dq = (q - lq[..., None])[keep].mean(axis=0)  # covered areas are already left out
        do = (o - lo[..., None])[keep].mean(axis=0)
        colour = float(np.abs(dq - do).max())
    saturation = chroma_q / max(1.0, chroma_o)
    if abs(brightness) > 12 or abs(a - 1) > 0.2 or colour > 12 or (chroma_o > 6 and not 0.6 < saturation < 1.6):
        edits["recoloured"] = {"brightness": round(brightness, 1), "contrast": round(a, 2),
                               "colour": round(colour, 1), "saturation": round(saturation, 2)}
    return edits
