"""Stage 2: is the candidate really the same photograph, and how was the copy changed?

Local features (ORB keypoints with binary descriptors, OpenCV) of the original are stored
compactly with the asset; the query's are computed once. Matching descriptors and fitting a
similarity transform (rotation + uniform scale + shift) with RANSAC tells whether the two
images share a rigid layout of many points — which unrelated photos do not — and the fitted
transform *is* the edit: scale, rotation, and where the copy's frame lies inside the original
(the crop box), or the original inside the copy (a border).

Why a similarity and not a homography: posted copies are resized, cropped and turned, not
re-photographed; fewer degrees of freedom mean far fewer chance fits on texture, so a lower
inlier threshold stays free of false matches (``shared/research/phash.md`` §6.4: without
geometric checks ORB needed ≥50 inliers, with them ≥14).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import cv2
import numpy as np

STORED_FEATURES = 300  # keypoints kept per registered original (36 bytes each)
QUERY_FEATURES = 700
FAST_THRESHOLD = 10
RATIO = 0.8
REPROJ_PX = 4.0  # RANSAC tolerance at HASH_SIDE (512 px)
MIN_SCALE, MAX_SCALE = 1 / 8, 8.0
MIN_SPREAD = 0.03  # inliers must span ≥3 % of each image's area
_COORD_UNIT = 32  # keypoint coordinates stored as uint16 in 1/32 px
_MAGIC = b"ORB1"


@dataclass
class Features:
    points: np.ndarray  # N×2 float32, pixels of the image they were computed on
    descriptors: np.ndarray  # N×32 uint8
    width: int
    height: int

    def __len__(self) -> int:
        return len(self.points)


def extract(gray_u8: np.ndarray, nfeatures: int) -> Features:
    """ORB keypoints (strongest ``nfeatures``) and descriptors of a greyscale uint8 image."""
    h, w = gray_u8.shape[:2]
    orb = cv2.ORB_create(nfeatures=nfeatures, fastThreshold=FAST_THRESHOLD)
    kps, des = orb.detectAndCompute(np.ascontiguousarray(gray_u8), None)
    if des is None or not kps:
        return Features(np.zeros((0, 2), np.float32), np.zeros((0, 32), np.uint8), w, h)
    pts = np.array([k.pt for k in kps], dtype=np.float32)
    return Features(pts, des.astype(np.uint8), w, h)


def to_bytes(f: Features) -> bytes:
    """``ORB1`` · width · height · n (uint16 LE) · n×(x, y uint16 in 1/32 px) · n×32 descriptor bytes."""
    n = len(f)
    head = _MAGIC + np.array([f.width, f.height, n], dtype="<u2").tobytes()
    coords = np.clip(np.round(f.points * _COORD_UNIT), 0, 65535).astype("<u2")
    return head + coords.tobytes() + f.descriptors.tobytes()


def from_bytes(data: bytes | None) -> Features | None:
    if not data or data[:4] != _MAGIC:
        return None
    w, h, n = np.frombuffer(data, dtype="<u2", count=3, offset=4)
    off = 10
    pts = np.frombuffer(data, dtype="<u2", count=2 * int(n), offset=off).reshape(-1, 2).astype(np.float32) / _COORD_UNIT
    off += 4 * int(n)
    des = np.frombuffer(data, dtype=np.uint8, count=32 * int(n), offset=off).reshape(-1, 32)
    return Features(pts, des, int(w), int(h))


@dataclass
class Fit:
    """A verified geometric match: ``matrix`` maps query pixels to original pixels (2×3)."""

    inliers: int
    matrix: np.ndarray
    mirrored: bool = False


_MATCHER = cv2.BFMatcher(cv2.NORM_HAMMING)


def _spread(points: np.ndarray, width: int, height: int) -> float:
    if len(points) < 3:
        return 0.0
    hull = cv2.convexHull(points.astype(np.float32))
    return float(cv2.contourArea(hull)) / max(1.0, width * height)


def fit(query: Features, original: Features) -> Fit | None:
    """Match descriptors (ratio test), fit a similarity with RANSAC, check it is plausible."""
    if len(query) < 5 or len(original) < 5:
        return None
    pairs = _MATCHER.knnMatch(query.descriptors, original.descriptors, k=2)
    good = [m[0] for m in pairs if m and (len(m) < 2 or m[0].distance < RATIO * m[1].distance)]
    if len(good) < 5:
        return None
    src = query.points[[m.queryIdx for m in good]]
    dst = original.points[[m.trainIdx for m in good]]
    matrix, mask = cv2.estimateAffinePartial2D(src, dst, method=cv2.RANSAC, ransacReprojThreshold=REPROJ_PX,
                                               maxIters=2000, confidence=0.995, refineIters=10)
    if matrix is None or mask is None:
        return None
    inl = mask.ravel().astype(bool)
    # one original keypoint matched by several query points counts once
    n = len(np.unique(np.array([m.trainIdx for m in good])[inl]))
    scale = float(np.hypot(matrix[0, 0], matrix[1, 0]))
    if not (MIN_SCALE <= scale <= MAX_SCALE):
        return None
    if _spread(src[inl], query.width, query.height) < MIN_SPREAD or \
            _spread(dst[inl], original.width, original.height) < MIN_SPREAD:
        return None
    return Fit(n, matrix)


def mirror(f: Features) -> Features:
    """The features' coordinates mirrored — NOT valid for matching (descriptors are not mirror
    invariant); used to map a fit on the mirrored query back to the unmirrored frame."""
    pts = f.points.copy()
    pts[:, 0] = f.width - pts[:, 0]
    return Features(pts, f.descriptors, f.width, f.height)


# ---------------------------------------------------------------------------------------------
# Thumbnails: a small picture of the original, to see what a copy covered or recoloured
# ---------------------------------------------------------------------------------------------
THUMB_SIDE = 128


def thumbnail(rgb: np.ndarray) -> bytes:
    from PIL import Image

    im = Image.fromarray(rgb)
    im.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.BOX)
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def load_thumbnail(data: bytes | None) -> np.ndarray | None:
    if not data:
        return None
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as im:
            return np.asarray(im.convert("RGB"))
    except Exception:  # noqa: BLE001 - a damaged thumbnail only costs the edit details
        return None
