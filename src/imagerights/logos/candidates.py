"""Candidate regions: places in an image that could be a flat, single-colour mark.

A platform logo is a flat region with a sharp outline. Any such region is a connected
component of the image thresholded at some level of some channel, so candidates are the
outlines (``cv2.findContours``) of a handful of binary maps: grey at several levels (both
polarities come from one map: dark marks are holes in the light region around them) and
two colour-opponent channels (red–green, blue–yellow) for coloured marks on backgrounds
of similar brightness, plus cuts aimed at the platforms' own colours: grey at 8 (pure
black, for a black mark on a near-black area), red–green at 232 (pure red, for a red mark
on a red-orange area) and blue–yellow at 182 (strong blue, for a blue mark on a cyan area).
This is a coarse, fixed-level MSER: a mark is *stable*, i.e. the
same outline comes back at two or more levels or channels, because its colour is flat and
its edge sharp; most regions of a photo change with every level and are dropped before any
pixel work. ``findContours`` on a 1080² map takes 2–10 ms; OpenCV's MSER takes ~180 ms.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

# 8: a black mark on a near-black part of a photo (night sky, dark hair) is cut from its
# surroundings only below 16 (bench/logos.py: +3 found, ~3 % more time)
GREY_LEVELS = (8, 16, 32, 64, 96, 128, 160, 192, 224, 240)
CHROMA_LEVELS = (92, 110, 146, 164)  # opponent channels are centred on 128
# and one blue–yellow cut further out on the blue side: a blue mark on a cyan or blue area
# (a Bluesky mark recoloured 1E88E5 on a cyan gradient: blue–yellow 191 against 159) is cut
# from it only there. The map is mostly empty in photos (+0.7 % time); outer cuts on the
# other three sides cost 6 % more and found nothing more on bench/logos.py.
OUTER_CHROMA_LEVELS = (182,)
# a red–green cut for the purest reds only (YouTube FF0000, Instagram FF0069, TikTok FE2C55):
# a red mark on a red-orange part of a photo merges with it at every lower level
# (bench/logos.py: +1 found, no measurable cost; the map is mostly empty there)
RED_LEVELS = (232,)
# The outer and red cuts come last and only add regions the other cuts merged away: joining
# a group they would move its middle cut (a red mark's box by 12 px in a large photo).
MIN_SIDE = 11  # px at working resolution: 16 px logos, turned or stretched, stay above it
MIN_AREA = 45.0
SAME_REGION = 0.8  # box overlap (of the larger box) for two outlines to be one region
# … with both boxes grown by SLACK px: a region's outline moves by a pixel from one level to
# the next (anti-aliased edges), which for a 16-20 px mark is more than the 20 % that
# SAME_REGION allows, so its outlines stayed single-level ones and were dropped by the colour
# gate. Measured on bench/logos.py: +2 marks found, +3 % examined outlines, no false positive.
SLACK = 1


# the cell of a box centre and its neighbours, in the order they are searched
_NEIGHBOURS = ((0, 0), (-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (1, -1), (-1, 1), (1, 1))
_CELL_KEY = 1 << 16  # cell (cx, cy) → cx·2¹⁶ + cy (images are far below 2²¹ px)


def _near() -> list[tuple[tuple[int, int], ...]]:
    """The neighbours worth searching, by which cell borders a region's centre is near (bits:
    left, right, top, bottom), in _NEIGHBOURS order. Two outlines are one region only if their
    grown boxes overlap by SAME_REGION of the larger, so their centres differ by less than
    ((1 − r) / r)·(side + 2·SLACK) + 1 px on each axis (r = SAME_REGION): a 20 px outline's
    same region is within 8 px, so most searches need the centre's own cell only, not nine
    (the search was a third of the grouping time). Cells further than one away were never
    searched."""
    out = []
    for bits in range(16):
        left, right, top, bottom = bits & 1, bits & 2, bits & 4, bits & 8
        out.append(tuple((dx, dy) for dx, dy in _NEIGHBOURS
                         if (dx != -1 or left) and (dx != 1 or right) and (dy != -1 or top) and (dy != 1 or bottom)))
    return out


_NEAR = _near()


@dataclass
class Candidate:
    contour: np.ndarray  # outline at working resolution
    box: tuple[int, int, int, int]  # x, y, w, h
    hits: int  # how many (channel, level) maps produced this outline
    channel: str  # the map the outline was taken from
    level: int
    inside: int  # 1: the region is the map's foreground; 0: it is a hole in it
    group: list | None = None  # every cut of the region (for :meth:`alternative`), small regions only

    @property
    def alternative(self) -> Candidate | None:
        """Another cut of the same small region (:func:`_alternative`), asked only when the
        middle cut is not decided as a mark (~1 in 50), so it is found only then."""
        return _alternative(self.group, self) if self.group is not None else None


def channel_maps(rgb: np.ndarray) -> list[tuple[str, np.ndarray, tuple[int, ...]]]:
    """(name, single-channel uint8 image, threshold levels) to cut.

    A 3×3 median removes the speckle of textured photos (4× fewer outlines to list) and
    keeps the outline of a 16 px mark; the matcher works on the unfiltered pixels."""
    raw = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    grey = cv2.medianBlur(raw, 3)
    r, g, b = (c.astype(np.int16) for c in cv2.split(rgb))
    # floor((r − g) / 2) + 128 and floor((2b − r − g) / 4) + 128 lie in 0..255: no clipping
    rg = cv2.medianBlur((((r - g) >> 1) + 128).astype(np.uint8), 3)
    by = cv2.medianBlur((((2 * b - r - g) >> 2) + 128).astype(np.uint8), 3)
    # the unfiltered grey is not cut at fixed levels (no levels): :func:`thin_dark` reads it
    return [("grey", grey, GREY_LEVELS), ("rg", rg, CHROMA_LEVELS), ("by", by, CHROMA_LEVELS),
            ("rg", rg, RED_LEVELS), ("by", by, OUTER_CHROMA_LEVELS), (THIN_CHANNEL, raw, ())]


def cut(chan: np.ndarray, name: str, level: int, inside: int = 1) -> np.ndarray:
    """The 0/1 map of one cut. The map's foreground is ``chan > level`` for grey and the upper
    chroma levels, else ``chan < level``; ``inside=0`` gives its complement (the side of a
    region that is a hole in the foreground). One OpenCV call: a third of the time of the
    NumPy comparison."""
    if name == "grey" or level > 128:
        return cv2.threshold(chan, level, 1, cv2.THRESH_BINARY if inside else cv2.THRESH_BINARY_INV)[1]
    return cv2.threshold(chan, level - 1, 1, cv2.THRESH_BINARY_INV if inside else cv2.THRESH_BINARY)[1]


def _boxes(contours, min_side: int, max_side: float) -> list[tuple[int, int, int, int, int]]:
    """(index, x, y, w, h) of the outlines of at least 4 points whose box passes the size and
    elongation tests, computed for all outlines of a map at once (``cv2.boundingRect`` of each
    of ~250 outlines a map, nine in ten too small, cost a quarter of the proposal time)."""
    if not contours:
        return []
    lens = np.fromiter(map(len, contours), np.intp, len(contours))
    starts = np.zeros(len(contours), np.intp)
    np.cumsum(lens[:-1], out=starts[1:])
    pts = np.concatenate(contours).reshape(-1, 2)
    lo = np.minimum.reduceat(pts, starts, axis=0)
    wh = np.maximum.reduceat(pts, starts, axis=0) - lo + 1
    bw, bh = wh[:, 0], wh[:, 1]
    ok = ((lens >= 4) & (bw >= min_side) & (bh >= min_side) & (bw <= max_side) & (bh <= max_side)
          & (bw <= 4 * bh) & (bh <= 4 * bw))
    idx = np.flatnonzero(ok)
    return list(zip(idx.tolist(), lo[idx, 0].tolist(), lo[idx, 1].tolist(), bw[idx].tolist(), bh[idx].tolist()))


def ink_mask(chan: np.ndarray, cand: Candidate) -> np.ndarray:
    """The candidate's own pixels in (a crop of) the channel it was cut from, as 0/1."""
    return cut(chan, cand.channel, cand.level, cand.inside)


def propose(rgb: np.ndarray, *, min_side: int = MIN_SIDE, max_fraction: float = 0.9, min_hits: int = 2,
            maps: list | None = None) -> list[Candidate]:
    """Stable outlines that pass the size tests, one per region."""
    h, w = rgb.shape[:2]
    max_side = max_fraction * max(h, w)
    cells: dict[int, list[int]] = {}  # 32 px cells of box centres → groups
    boxes: list[tuple[int, int, int, int]] = []
    members: list[list[tuple[np.ndarray, str, int, int]]] = []
    grown: list[int] = []  # each group's box area grown by SLACK on every side
    s2 = 2 * SLACK
    reach = (1 - SAME_REGION) / SAME_REGION
    if maps is None:
        maps = channel_maps(rgb)
    for name, chan, levels in maps:
        for level in levels:
            binary = cut(chan, name, level)
            # a plain list, no hierarchy (~15 % faster): a hole's outline runs the other way
            # round (clockwise on screen), so the sign of its area tells the two apart
            contours, _ = cv2.findContours(binary, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
            extra = (name == "rg" and level in RED_LEVELS) or (name == "by" and level in OUTER_CHROMA_LEVELS)
            # ~4,500 outlines per map set and photo, one in ten of a usable size: the size test
            # is one vectorised pass (:func:`_boxes`), and the grouping loop is written for the
            # interpreter (local names, cells keyed by one int, the first comparison rejecting early)
            for i, x, y, bw, bh in _boxes(contours, min_side, max_side):
                c = contours[i]
                mx, my = x + bw // 2, y + bh // 2
                cx, cy = mx >> 5, my >> 5
                area = (bw + s2) * (bh + s2)
                found = -1
                # only the neighbouring cells the centre of a same region can lie in (_near)
                rx, ry = int(reach * (bw + s2)) + 2, int(reach * (bh + s2)) + 2
                mx, my = mx & 31, my & 31
                for dx, dy in _NEAR[(mx < rx) | (mx + rx > 31) << 1 | (my < ry) << 2 | (my + ry > 31) << 3]:
                    near = cells.get((cx + dx) * _CELL_KEY + cy + dy)
                    if near is None:
                        continue
                    for gi in near:
                        gx, gy, gw, gh = boxes[gi]
                        ix = min(x + bw, gx + gw) - max(x, gx) + s2
                        if ix <= 0:
                            continue
                        iy = min(y + bh, gy + gh) - max(y, gy) + s2
                        if iy > 0 and ix * iy > SAME_REGION * max(area, grown[gi]):
                            found = gi
                            break
                    if found >= 0:
                        break
                if found >= 0:
                    if extra:  # adds regions, never joins a group (above)
                        continue
                    members[found].append((c, name, level, 0 if cv2.contourArea(c, True) > 0 else 1))
                else:
                    cells.setdefault(cx * _CELL_KEY + cy, []).append(len(boxes))
                    boxes.append((x, y, bw, bh))
                    grown.append(area)
                    members.append([(c, name, level, 0 if cv2.contourArea(c, True) > 0 else 1)])
    out = []
    for box, group in zip(boxes, members):
        if len(group) < min_hits:
            continue
        # the middle cut of the group: between the mark's colour and its surroundings
        # (measured: better than the widest cut, which more often includes a leak)
        c, name, level, inside = group[len(group) // 2]
        if cv2.contourArea(c) < MIN_AREA:
            continue
        cand = Candidate(c, cv2.boundingRect(c), len(group), name, level, inside)
        if max(cand.box[2], cand.box[3]) <= ALTERNATIVE_SIDE:
            cand.group = group
        out.append(cand)
    chans = {name: chan for name, chan, _ in maps}
    if "grey" in chans and THIN_CHANNEL in chans:
        out.extend(thin_dark(chans[THIN_CHANNEL], chans["grey"]))
    return out


ALTERNATIVE_SIDE = 32  # px: marks this small lose thin strokes in the subsampled chroma
ALTERNATIVE_AREA = 1.3  # box area relative to the middle cut's


def _alternative(group: list, middle: Candidate) -> Candidate | None:
    """A second cut of a small group for the detector to try when the middle one is not a
    mark: the widest cut from another channel whose box is at most ALTERNATIVE_AREA × the
    middle cut's.

    The opponent-colour maps come from JPEG's half-resolution chroma, so the middle cut of a
    small mark sometimes loses a thin stroke (a 24 px Instagram camera cut from the
    red-green map: half its frame is missing and it scores 0.63; the grey and blue-yellow
    cuts of the same group hold the whole frame and score 0.98). Making the widest cut the
    only one lost more marks than it found (it more often includes a leak), and trying it
    for every group cost 15 % more time."""
    x, y, w, h = middle.box
    area = w * h
    limit = ALTERNATIVE_AREA * area
    best = None
    for c, name, level, inside in group:
        if name == middle.channel:
            continue
        b = cv2.boundingRect(c)
        a = b[2] * b[3]
        if area < a <= limit:
            best, area = (c, b, name, level, inside), a
    if best is None:
        return None
    c, b, name, level, inside = best
    return Candidate(c, b, len(group), name, level, inside)


# A black glyph of 16-24 px (X, Threads, TikTok) is drawn in strokes one or two pixels wide,
# which the 3×3 median of the maps removes: a 16 px X on a photo left no outline at all
# (3 of the bench's misses). Where the median lifted a near-black pixel by THIN_LIFT or more,
# a thin dark stroke was; such pixels, grouped, give a small box, and the mark is cut there
# once from the unfiltered grey at the level halfway between its darkest pixel and the
# median of the box's border. The candidate is the convex hull of every pixel below that
# level (the strokes of a 16 px X break apart at any one level; the matcher takes only the
# dark pixels inside the hull as ink). Measured on the 143 logo-free photos: 2.6 such boxes
# per photo (0.8 after THIN_SHARE), and none scores above 0.67 against X, Threads or TikTok.
THIN_CHANNEL = "grey-raw"
THIN_DARK = 24  # a stroke pixel of a black mark is at most this light after JPEG
THIN_LIFT = 20  # … and the median lifted it by at least this much
THIN_MIN, THIN_MAX = 10, 28  # px: the box of the grouped stroke pixels
THIN_CONTRAST = 40  # grey levels between the box's border (median) and its darkest pixel
# … and at least this share of the pixels below the cut are stroke pixels (the median
# lifted them): a dark blob with a ragged edge is mostly not (on the logo-free photos this
# leaves 0.8 of 2.6 boxes per photo; the 16-24 px X marks of the bench: 0.23-0.58)
THIN_SHARE = 0.2
_K3 = np.ones((3, 3), np.uint8)


def thin_dark(raw: np.ndarray, grey: np.ndarray) -> list[Candidate]:
    """Small dark marks in thin strokes that the median removed from ``grey`` (above), as
    candidates cut from the unfiltered grey ``raw`` (channel THIN_CHANNEL, found at one
    level: ``hits`` 1; the detector's colour gate lets them through, :func:`is_thin_dark`)."""
    # lifted by the median, where near-black: min(grey − raw, 255 if raw ≤ THIN_DARK else 0)
    lifted = cv2.min(cv2.subtract(grey, raw), cv2.threshold(raw, THIN_DARK, 255, cv2.THRESH_BINARY_INV)[1])
    seed = cv2.threshold(lifted, THIN_LIFT - 1, 255, cv2.THRESH_BINARY)[1]
    # stroke pixels within ~4 px of each other are one mark (a 16 px X's strokes are apart):
    # grouped at half resolution (any seed in a 2×2 block, grown by one block), a third
    # cheaper than a 5×5 dilation at full resolution
    h, w = raw.shape
    half = cv2.resize(seed, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
    groups, _ = cv2.findContours(cv2.dilate(half, _K3), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    out = []
    for g in groups:
        x, y, bw, bh = (2 * v for v in cv2.boundingRect(g))
        # the dilation grew the group by 2 px on every side
        if not (THIN_MIN + 4 <= bw <= THIN_MAX + 4 and THIN_MIN + 4 <= bh <= THIN_MAX + 4):
            continue
        x0, y0, x1, y1 = max(0, x - 2), max(0, y - 2), min(w, x + bw + 2), min(h, y + bh + 2)
        crop = raw[y0:y1, x0:x1]
        border = np.concatenate([crop[0], crop[-1], crop[1:-1, 0], crop[1:-1, -1]])
        dark = int(crop.min())
        light = int(np.median(border))
        if light - dark < THIN_CONTRAST:
            continue
        # ink_mask's "below the level" side for a level ≤ 128
        level = min(128, (light + dark + 1) // 2)
        pts = cv2.findNonZero(cv2.threshold(crop, level - 1, 1, cv2.THRESH_BINARY_INV)[1])
        if pts is None or len(pts) < 8 or cv2.countNonZero(seed[y0:y1, x0:x1]) < THIN_SHARE * len(pts):
            continue
        hull = cv2.convexHull(pts + np.array([x0, y0], np.int32))
        box = cv2.boundingRect(hull)
        if min(box[2], box[3]) < MIN_SIDE:
            continue
        out.append(Candidate(hull, box, 1, THIN_CHANNEL, level, 1))
    return out


def is_thin_dark(cand: Candidate) -> bool:
    """A candidate of :func:`thin_dark`: already selected as a dark mark in thin strokes."""
    return cand.channel == THIN_CHANNEL
