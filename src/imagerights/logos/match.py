"""Verify a candidate region against every template version.

For one candidate outline: estimate the mark's ink colour (inside the outline) and the
colour around it, turn the crop into a soft ink mask (how close each pixel is to the ink
colour, so anti-aliased edges and thin strokes count partly) at most ``bank.MAX_EXTENT`` px
across, and compare it with each template at the template size closest to it, at every
rotation at once (:mod:`shape`). A template with a knock-out (Facebook's "f", YouTube's
triangle) only matches when the knock-out is really missing from the ink, in its shape.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import cv2
import numpy as np

from imagerights.logos import shape
from imagerights.logos.bank import MAX_EXTENT, Bank
from imagerights.logos.colour import cell_lab, srgb_to_lab
from imagerights.logos.candidates import Candidate, ink_mask, is_thin_dark

IOU_ACCEPT = 0.88
KNOCKOUT_MIN = 0.5  # share of the template's knock-out that must be absent from the ink
KNOCKOUT_IOU_MIN = 0.25  # and the absent part must have the knock-out's shape (a card with a hole: ~0.1)
KNOCKOUT_IOU_SMALL = 0.15  # below SMALL_EXTENT px the triangle of a 16 px YouTube icon is a blur
SMALL_EXTENT = 30
MIN_COLOUR_DISTANCE = 30.0  # RGB units: below this the mark does not stand out from its surroundings
_K3 = np.ones((3, 3), np.uint8)
_K5 = np.ones((5, 5), np.uint8)


@dataclass
class Region:
    """A candidate's pixels, reduced by ``factor``: crop origin (working px), soft ink mask."""

    x0: int
    y0: int
    factor: float  # reduced px per working px
    alpha: np.ndarray  # float32 0..1, reduced crop
    support: np.ndarray  # uint8 0/1: the outline filled and grown, reduced crop
    ink_rgb: np.ndarray  # mean ink colour (working pixels, before any ICC conversion)
    around_rgb: np.ndarray  # mean colour just outside the outline
    crop: np.ndarray  # the reduced RGB crop
    core: np.ndarray  # uint8: the candidate's own pixels, eroded (for colour spread)


@dataclass
class Match:
    """One template that fits a region: its score at the best angle and the knock-out test."""

    template: int  # index into bank.templates
    iou: float
    shift: float  # angle shift in bins (sub-bin refined)
    knockout_absent: float
    knockout_iou: float
    white: shape.Whitening  # candidate whitening in reduced-crop pixels
    scale_index: int


def _main_colour(px: np.ndarray, out: np.ndarray) -> np.ndarray:
    """The candidate's pixels of its main colour, when it holds a second, third colour.

    A Facebook disc cut as a hole in a red background holds the blue disc *and* its white
    "f"; the white is further from the red than the blue, so the "furthest pixels" ink
    estimate became a light blue that is neither, and the mark scored 0.80 (bench case 197).
    Two colour clusters; the smaller one is a third colour (not an anti-aliased mix of the
    ink and the surroundings, which lies on the line between them) when it is far off that
    line, and then only the larger cluster's pixels are kept — unless the larger cluster is
    itself a mix of the smaller one and the surroundings (a 16 px glyph's thin strokes on a
    card: mostly edge pixels, JPEG's blurred chroma puts the pure ones off the line; 5 such
    bench marks were lost before this second test). Cheap test first: pixels that
    spread little around their mean have no second colour."""
    if px.shape[0] < 16:
        return px
    mean, std = cv2.meanStdDev(px.reshape(-1, 1, 3))  # spread² = the sum of the variances
    (m0, m1, m2), (s0, s1, s2) = mean.ravel().tolist(), std.ravel().tolist()
    o0, o1, o2 = out.tolist()
    if s0 * s0 + s1 * s1 + s2 * s2 < 0.04 * ((m0 - o0) ** 2 + (m1 - o1) ** 2 + (m2 - o2) ** 2):
        return px
    crit = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 8, 1.0)
    _, labels, centres = cv2.kmeans(px, 2, None, crit, 1, cv2.KMEANS_PP_CENTERS)
    labels = labels.ravel()
    big = int(np.count_nonzero(labels == 1) > np.count_nonzero(labels == 0))
    c1, c2 = centres[big], centres[1 - big]
    if _off_line(c2, out, c1) > 0.4 and _off_line(c1, out, c2) > 0.25:
        return px[labels == big]
    return px


def _off_line(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    """Distance of colour ``p`` from the line through ``a`` and ``b``, in units of |b − a|."""
    axis = b - a
    length2 = float((axis * axis).sum())
    if length2 < 1e-6:
        return 0.0
    t = float(np.dot(p - a, axis)) / length2
    return float(np.sqrt(((p - a - t * axis) ** 2).sum())) / np.sqrt(length2)


THIN_BLACK_SIDE = 24  # px: a glyph this small is mostly anti-aliased edge
THIN_BLACK_CONTRAST = 40.0  # grey levels between the surroundings and the candidate's mean
_GATE_BLACK = 12  # as detect.GATE_BLACK


def _thin_black(crop: np.ndarray, own: np.ndarray | None, cand: Candidate, mean) -> bool:
    """A small black glyph (X, Threads, TikTok at 16-24 px) whose mean colour is grey: its
    strokes are one or two pixels wide, so most of the pixels inside its outline are
    anti-aliased edge and the mean is a dark grey that the colour gate drops. It is a dark
    region cut from the grey map at 32 or above, black where it is darkest (its darkest
    quarter within GATE_BLACK of pure black), and it stands out from lighter surroundings
    (a shadow in a dark part of a photo does not). ``own``: the candidate's pixels in ``crop``
    (:func:`ink_mask`), which the colour gate has for every box this small."""
    if own is None or cand.channel != "grey" or cand.inside or cand.level < 32 or max(cand.box[2:]) > THIN_BLACK_SIDE:
        return False
    if max(mean) - min(mean) > 20 or max(mean) > 128:
        return False
    px = crop[own > 0]
    if px.shape[0] < 8:
        return False
    grey = px.sum(axis=1, dtype=np.int32)
    if int(grey.min()) > 3 * _GATE_BLACK:  # the darkest quarter's mean cannot be black
        return False
    k = px.shape[0] // 4
    dark = px[np.argpartition(grey, k)[:k]].mean(axis=0)
    if float(dark.max()) > _GATE_BLACK:
        return False
    around = cv2.mean(crop, 1 - own)[:3]
    return sum(around) / 3 - sum(mean) / 3 >= THIN_BLACK_CONTRAST


# An outline found at one level in a colour no platform uses (a mark recoloured green,
# orange …) is examined when it looks like a flat mark: cut from a colour-opponent map (its
# colour, not its brightness, separates it), a strongly saturated colour, flat (little
# spread in its own pixels) and far from the rest of its crop. On the 143 logo-free photos
# 0.9 outlines per photo passed the colour tests, half of them cut from the grey map (left
# out: half the cost); the best of all of them scores 0.93 against the Twitter bird and 0.91
# against Bluesky (0.95 and 0.92 needed in a colour not theirs), below 0.81 against the rest.
# On bench/logos.py: +2 (a green TikTok note and a green Threads mark straight on photos).
FLAT_CHANNELS = ("rg", "by")
FLAT_MAX_SIDE = 64  # px: a larger flat saturated area is a wall, a sign, a garment
FLAT_CHROMA = 40.0  # CIELAB chroma of the outline's mean colour
FLAT_SPREAD = 25.0  # RGB standard deviation (the three channels' together) of its pixels
FLAT_CONTRAST = 30.0  # CIELAB distance between its mean and the rest of the box
FLAT_RGB_SPREAD = 48  # a cheap first test that lets every colour of FLAT_CHROMA through
_SATURATED: list[np.ndarray] = []


def _saturated_table() -> np.ndarray:
    """32³ table: is the Lab chroma of the cell's centre colour at least FLAT_CHROMA?"""
    if not _SATURATED:
        lab = cell_lab()
        _SATURATED.append((np.hypot(lab[:, 1], lab[:, 2]) >= FLAT_CHROMA).reshape(32, 32, 32))
    return _SATURATED[0]


def _flat_saturated(px: np.ndarray, own: np.ndarray, cand: Candidate, mean) -> bool:
    """Is the outline (``own``: its side of the cut in ``px``, the sampled crop) a flat,
    saturated region that stands out from the rest of its crop (above)? Asked of every
    outline the colour gate drops (~400 per photo; 1 in 12 is saturated), so the cheap
    tests come first and the colour maths is done for two colours only."""
    # every colour of Lab chroma ≥ 40 has an RGB spread ≥ 57, ≥ 49 in the table's 8-wide cells
    if cand.channel not in FLAT_CHANNELS or max(mean) - min(mean) < FLAT_RGB_SPREAD \
            or max(cand.box[2], cand.box[3]) > FLAT_MAX_SIDE:
        return False
    if not _saturated_table()[int(mean[0]) >> 3, int(mean[1]) >> 3, int(mean[2]) >> 3]:
        return False
    n = cv2.countNonZero(own)
    if n < 4 or n >= own.size - 4:
        return False
    _, sd = cv2.meanStdDev(px, mask=own)
    if float((sd * sd).sum()) > FLAT_SPREAD ** 2:
        return False
    rest = cv2.mean(px, 1 - own)
    a = srgb_to_lab(np.array(mean[:3], np.float64))
    b = srgb_to_lab(np.array(rest[:3], np.float64))
    return float(((a - b) ** 2).sum()) >= FLAT_CONTRAST ** 2


def local_background(crop: np.ndarray, own: np.ndarray) -> np.ndarray:
    """Per-pixel background colour: the crop's non-candidate pixels (the candidate grown by
    1 px for its anti-aliased edge) spread inward by normalised convolution. Behind a mark
    on a photo the background is rarely one colour; with the ring's mean as the only
    background, a dark patch of grass inside the hollow stroke of a black X counted as
    half ink and the X scored 0.82 (bench case 301).

    Returns (h, w, 4) float32: the colour in the first three channels (the fourth is
    scratch). The arrays are small (≤ 52 px), so the work is done in a few OpenCV calls:
    NumPy's per-call overhead and its slow reduction over a 3-wide last axis made this and
    :func:`soft_ink_local` a quarter of the detector's time."""
    bg = cv2.subtract(1, cv2.dilate(own, _K3))
    if cv2.countNonZero(bg) < 6:
        mean = cv2.mean(crop)
        return np.broadcast_to(np.array((mean[0], mean[1], mean[2], 1.0), np.float32), crop.shape[:2] + (4,)).copy()
    sigma = max(1.5, 0.12 * max(crop.shape[:2]))
    # colour × weight and weight in one 4-channel blur (box)
    stack = np.float32(cv2.merge((cv2.bitwise_and(crop, crop, mask=bg), bg)))
    # a box of width σ·√12 has the Gaussian's spread at a sixth of its cost (20 vs 120 µs)
    k = int(round(sigma * 3.46)) | 1
    blurred = cv2.blur(stack, (k, k))
    w = cv2.max(cv2.extractChannel(blurred, 3), 1e-4)
    out = cv2.divide(blurred, cv2.merge((w, w, w, w)))
    if cv2.minMaxLoc(w)[0] < 1e-3:  # beyond the kernel's reach: the mean of all background pixels
        mean = cv2.mean(crop, bg)
        out[w < 1e-3] = (mean[0], mean[1], mean[2], 1.0)
    return out


_SUM3 = np.array([[1.0, 1.0, 1.0]], np.float32)
_SUM4 = np.array([[1.0, 1.0, 1.0, 0.0]], np.float32)


def soft_ink_local(crop: np.ndarray, ink: np.ndarray, own: np.ndarray, contrast: float) -> np.ndarray:
    """How much of each pixel is ink: 1 − the pixel's distance to the ink in units of the ink's
    distance to the background *there* (:func:`local_background`). Exact for an anti-aliased
    edge between the two, and a third colour (a white "f" over a photo) is not ink. (Measured
    against a projection on the ink–surroundings line, which suffers less from JPEG's blurred
    chroma but takes third colours for ink: 0.90 vs 0.85 of 200 benchmark logos scored
    ≥ 0.88.) Where the local background is hardly different from the ink, the global
    contrast is used (a dark shadow next to a black mark must not make every pixel ink).
    (Computed on squared distances: √a / max(√b, c/2) = √(a / max(b, c²/4)).)"""
    r, g, b = float(ink[0]), float(ink[1]), float(ink[2])
    d_bg = cv2.subtract(local_background(crop, own), (r, g, b, 0.0))
    local2 = cv2.max(cv2.transform(cv2.multiply(d_bg, d_bg), _SUM4), 0.25 * contrast * contrast)
    diff = cv2.subtract(np.float32(crop), (r, g, b, 0.0))
    ratio = cv2.sqrt(cv2.divide(cv2.transform(cv2.multiply(diff, diff), _SUM3), local2))
    return cv2.max(cv2.subtract(1.0, ratio), 0.0)


def extract(rgb: np.ndarray, cand: Candidate, channels: dict[str, np.ndarray],
            colour_gate: Callable[[np.ndarray], bool] | None = None) -> Region | None:
    """Cut the candidate out of the (unfiltered) image and estimate its soft ink mask.

    ``channels``: the (filtered) channel images the candidates were cut from, by name; the
    ink colour is averaged over the candidate's own pixels in its map (inside an outline
    glyph like Instagram's, most of the area is background)."""
    h, w = rgb.shape[:2]
    x, y, bw, bh = cand.box
    # the crop is reduced to at most MAX_EXTENT + 8 px; its margin must still hold the ring
    # around the outline (4 px) after the reduction. With a fixed 4 px margin a large mark
    # that fills its box (Instagram's camera at 160 px, even on a card) had no ring left and
    # was dropped.
    factor = min(1.0, (MAX_EXTENT + 8) / max(bw + 8, bh + 8))
    pad = max(4, math.ceil(4 / factor))
    x0, y0 = max(0, x - pad), max(0, y - pad)
    x1, y1 = min(w, x + bw + pad), min(h, y + bh + pad)
    crop = rgb[y0:y1, x0:x1]
    chan = channels[cand.channel][y0:y1, x0:x1]
    own = None  # ink_mask(chan, cand), once it is computed
    # a thin dark candidate (candidates.thin_dark) was selected by its own darkness test
    if colour_gate is not None and not is_thin_dark(cand):
        # cheap early exit before any other work: the mean colour of the box's pixels on the
        # mark's side, from every ``step``-th row and column (~16 across: ample for a colour
        # test with a 10 ΔE margin; 9 of 10 candidates leave here, ~400 per photo, so this
        # is a handful of OpenCV calls on views: no copies for boxes under 32 px)
        step = max(1, min(bw, bh) // 16)
        if step == 1:
            sub, csub = chan, crop
        else:
            sub, csub = np.ascontiguousarray(chan[::step, ::step]), np.ascontiguousarray(crop[::step, ::step])
        own_s = ink_mask(sub, cand)
        if step == 1:
            own = own_s
        if cv2.countNonZero(own_s) >= 4:
            mean = cv2.mean(csub, own_s)
        else:
            mean = cv2.mean(crop, own if own is not None else ink_mask(chan, cand))
        # (a box small enough for the thin-black test is sampled at every pixel: own is set)
        if not colour_gate(mean) and not _thin_black(crop, own, cand, mean[:3]) \
                and not _flat_saturated(csub, own_s, cand, mean[:3]):
            return None
    contour = cand.contour
    if factor < 1.0:
        size = (max(1, round(crop.shape[1] * factor)), max(1, round(crop.shape[0] * factor)))
        if factor < 0.25:
            # INTER_AREA reads every pixel: 1-4 ms for a 500-1000 px region (a photo's sky or
            # wall, ~50 such per photo); picked to 4× the final size first, each final pixel is
            # still the mean of 16 samples of a region that large, at a tenth of the cost
            crop = cv2.resize(crop, (size[0] * 4, size[1] * 4), interpolation=cv2.INTER_NEAREST)
        crop = cv2.resize(crop, size, interpolation=cv2.INTER_AREA)
        # the same pixels as cutting first and picking after, without cutting the whole crop
        own = ink_mask(cv2.resize(chan, size, interpolation=cv2.INTER_NEAREST), cand)
        contour = np.round((contour - (x0, y0)) * factor).astype(np.int32)
        offset = (0, 0)
    else:
        if own is None:
            own = ink_mask(chan, cand)
        offset = (-x0, -y0)
    inside = np.zeros(crop.shape[:2], np.uint8)
    cv2.drawContours(inside, [contour], -1, 1, thickness=-1, offset=offset)
    own &= inside
    support = cv2.dilate(inside, _K5)
    ring = cv2.dilate(support, _K5) - support
    core = cv2.erode(own, _K3)
    if cv2.countNonZero(core) < 6:
        core = own
        if cv2.countNonZero(core) < 3:
            return None
    if cv2.countNonZero(ring) < 6:
        return None
    out = np.array(cv2.mean(crop, ring)[:3], np.float32)
    # the ink colour: the candidate's pixels furthest from its surroundings (thin strokes of a
    # 16 px mark have no pure pixel; their darkest/most saturated ones are the best estimate)
    px = _main_colour(np.float32(crop[core > 0]), out)
    if px.shape[0] > 8:
        d = cv2.subtract(px.reshape(-1, 1, 3), (float(out[0]), float(out[1]), float(out[2]), 0.0))
        far = cv2.transform(cv2.multiply(d, d), _SUM3).ravel()
        k = int(0.6 * px.shape[0])
        px = px[far >= np.partition(far, k)[k]]
    ink = np.array(cv2.mean(px.reshape(-1, 1, 3))[:3], np.float32)
    contrast = math.dist(out.tolist(), ink.tolist())
    if contrast < MIN_COLOUR_DISTANCE:
        return None
    alpha = soft_ink_local(crop, ink, own, contrast) * support
    # only pixels on the mark's side of the cut (grown by 1 px for the anti-aliased edge):
    # inside an outline glyph the photo shows through, and some of it has the ink's colour
    alpha *= cv2.dilate(own, _K3)
    return Region(x0, y0, factor, alpha.astype(np.float32), support, ink, out, crop, core)


# A mark drawn in thin strokes, far from every plain blob (X 0.43, Instagram's glyph 0.54,
# Threads 0.60-0.64 blob similarity), is also compared with its smallest rendering. A
# candidate is never sharper than the template of its own size (JPEG, half-resolution
# chroma, the soft ink of anti-aliased strokes), and a smaller rendering, whitened to the
# same size, is a blurrier one: the Instagram glyph at 16-20 px scores 0.79-0.82 against its
# own size and 0.87-0.89 against the 12 px rendering; a black Threads mark on a dark photo
# 0.81 vs 0.86. A blurred blob-like mark is a blob: done for the bird and Bluesky too, photo
# blobs on 3 of the 143 logo-free photos passed; for TikTok's note (0.69) and Instagram's
# camera (0.68) the best logo-free outline rose from 0.80/0.82 to 0.84/0.87 (bench/logos.py).
STROKES = 0.65
_STROKES: dict[int, np.ndarray] = {}


def _strokes(bank: Bank) -> np.ndarray:
    if id(bank) not in _STROKES:
        _STROKES[id(bank)] = np.array([t.blob_similarity < STROKES for t in bank.templates], bool)
    return _STROKES[id(bank)]


def match(region: Region, bank: Bank, accept: float | np.ndarray = IOU_ACCEPT) -> list[Match]:
    """Every template (any version of any platform) scoring at least ``accept`` on the region
    and passing its knock-out test, best first. ``accept`` may be one score per template (the
    lowest score the decision could accept for it, so that no knock-out test is spent on a
    blob that scores 0.85 against YouTube, which needs 0.91 anyway)."""
    a = region.alpha
    wc = shape.whiten(a)
    if wc is None or wc.area < 12:
        return []
    pc = shape.polar(a, wc)
    # each template at the two rendered sizes whose ink area is closest to the candidate's;
    # a mark drawn in thin strokes also at the smallest size (STROKES). Every template is
    # correlated: a rotation-free upper bound (Cauchy–Schwarz over the radial energies) ruled
    # out no template for any of the 1,500 candidates of 30 corpus photos at the detector's
    # accept level, so it was removed.
    order = np.argsort(np.abs(np.log(wc.area / bank.ink_areas)), axis=1)[:, :2]
    keep = np.zeros(bank.ink_areas.shape, bool)
    keep[np.arange(len(order))[:, None], order] = True
    keep[:, 0] |= _strokes(bank)
    t_sel, s_sel = np.nonzero(keep)
    corr, shifts, vals = shape.best_rotations(pc, bank.by_frequency, bank.energies[t_sel, s_sel],
                                              t_sel * bank.energies.shape[1] + s_sel)
    need = accept[t_sel] if isinstance(accept, np.ndarray) else np.full(len(t_sel), accept)
    passed = np.flatnonzero(vals >= need)
    if passed.size == 0:
        return []
    small = max(a.shape) <= SMALL_EXTENT
    out: dict[int, Match] = {}
    for j in passed[np.argsort(-vals[passed])].tolist():
        t = int(t_sel[j])
        if t in out:
            continue
        tpl = bank.templates[t]
        scale = tpl.scales[s_sel[j]]
        d = int(shifts[j])
        ko, ko_iou = 1.0, 1.0
        if tpl.has_knockout:
            ko, ko_iou = shape.knockout_tests(pc, scale.knockout, scale.silhouette, d, KNOCKOUT_MIN)
            if ko < KNOCKOUT_MIN or ko_iou < (KNOCKOUT_IOU_SMALL if small else KNOCKOUT_IOU_MIN):
                continue
        out[t] = Match(t, float(vals[j]), shape.peak_shift(corr[j], d), float(ko), float(ko_iou), wc, int(s_sel[j]))
    return sorted(out.values(), key=lambda m: -m.iou)
