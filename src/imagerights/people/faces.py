"""``find_faces``: how many faces, and how many are large enough to identify a person.

"Identifiable" is a size rule, because that is what makes a face personal data in practice
(Malmö's handbook: written consent from identifiable people): a face whose shorter box side
is at least ``MIN_FRACTION`` of the image's longer side *and* at least ``MIN_PIXELS`` pixels
in the original image. Smaller faces (crowds, far-away walkers) are counted but not called
identifiable. Rotated faces (90°) are not found by either detector: the rules must treat
"no identifiable faces" as "none found", and the user's ``--people`` flag always wins.

Work happens on ``src.rgb(det.work_side)`` (512 px for YuNet, 1024 for Haar) (JPEG DCT-scaled decode, EXIF orientation applied); boxes
are reported in the coordinates of the full-size, orientation-corrected image.
"""

from __future__ import annotations

import os

from imagerights.facts import Faces
from imagerights.people import detectors

ANALYSIS_SIDE = 1024  # the largest side any detector works at (detectors.*.work_side)
MIN_FRACTION = 0.02  # face side ≥ 2 % of the image's long side (≈ 10 px at YuNet's 512)
MIN_PIXELS = 16  # … and ≥ 16 px in the original (tiny thumbnails identify nobody)
MIN_IMAGE_SIDE = 24  # below this there is nothing to look at


def _oriented_size(src) -> tuple[int, int]:
    """Full-resolution (width, height) after EXIF orientation."""
    w, h = src.pil.size
    try:
        orientation = src.pil.getexif().get(0x0112, 1)
    except Exception:  # noqa: BLE001
        orientation = 1
    return (h, w) if orientation in (5, 6, 7, 8) else (w, h)


def _clip(box: tuple[int, ...], width: int, height: int) -> tuple[int, int, int, int]:
    """A face cut by the frame (the CNN extrapolates past the edge) → the visible part."""
    x, y, w, h = box
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(width, x + w), min(height, y + h)
    return x0, y0, max(0, x1 - x0), max(0, y1 - y0)


def classify(box: tuple[int, int, int, int], full_long_side: int) -> tuple[float, bool]:
    """(relative size, identifiable) of a box in full-image pixels."""
    side = min(box[2], box[3])
    rel = side / full_long_side if full_long_side else 0.0
    return rel, rel >= MIN_FRACTION and side >= MIN_PIXELS


def working_side(detector: str | None = None) -> int:
    """The long side (px) the detector that ``find_faces`` would use works at."""
    try:
        det = detectors.get(detector or os.environ.get("IMAGERIGHTS_FACE_DETECTOR", "auto"))
    except Exception:  # noqa: BLE001 - find_faces reports the problem
        return ANALYSIS_SIDE
    return int(getattr(det, "work_side", ANALYSIS_SIDE))


def find_faces(src, detector: str | None = None) -> Faces:
    """Detect faces in a :class:`~imagerights.imaging.SourceImage`.

    ``detector``: ``"yunet"``, ``"haar"`` or ``None``/``"auto"`` (``$IMAGERIGHTS_FACE_DETECTOR``
    or the best installed). Raises :class:`~imagerights.imaging.ImageError` only when the pixels
    cannot be decoded at all — so the caller records an error and the people question stays
    "unknown" instead of silently becoming "no faces".
    """
    det = detectors.get(detector or os.environ.get("IMAGERIGHTS_FACE_DETECTOR", "auto"))
    rgb = src.rgb(getattr(det, "work_side", ANALYSIS_SIDE))  # ImageError propagates (undecodable)
    h, w = rgb.shape[:2]
    if min(h, w) < MIN_IMAGE_SIDE:
        return Faces(detector=det.name)
    full_w, full_h = _oriented_size(src) if src.pil is not None else (w, h)
    scale = max(full_w, full_h) / max(w, h) if max(w, h) else 1.0
    try:
        found = det.detect(rgb)
    except Exception as exc:  # noqa: BLE001 - a detector bug must not hide the rest of the check
        from imagerights.imaging import ImageError

        raise ImageError("faces", f"face detector failed: {type(exc).__name__}: {exc}") from exc
    faces = Faces(detector=det.name)
    long_side = max(full_w, full_h)
    for d in sorted(found, key=lambda d: (d.box[1], d.box[0])):
        box = _clip(tuple(round(v * scale) for v in d.box), full_w, full_h)
        if box[2] <= 0 or box[3] <= 0:
            continue
        rel, ident = classify(box, long_side)
        faces.boxes.append(box)
        faces.details.append({"box": box, "score": round(d.score, 3), "pose": d.pose,
                              "size": round(rel, 4), "identifiable": ident})
        faces.identifiable += int(ident)
    faces.count = len(faces.boxes)
    return faces
