"""Shape descriptors that make logo matching rotation- and stretch-invariant, and fast.

A shape is a soft ink mask (float32, 0 = background, 1 = ink). It is normalised by its
own second moments ("whitened": centred on the ink centroid and scaled so that its
covariance becomes the identity), which removes position, scale and any stretch or
shear. What remains between a logo and its template is a rotation, and a rotation is a
circular shift of the shape's polar image. So the overlap of a candidate with a template at
*every* rotation is one circular cross-correlation along the angle axis, computed with an
FFT for all templates at once, and normalised to a score on the IoU scale
(:func:`iou_all_angles`). This replaces the research prototype's loop over 120 rotated
masks.

The affine map template → candidate is recovered from the two whitening matrices and the
best angle, and split into rotation, scale and stretch (polar decomposition), which is
what the rotation and aspect-ratio checks report.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

N_RADII = 24
N_ANGLES = 128
R_MAX = 3.0  # sampling radius in whitened units (a disc's rim is at 2, a square's corner at 2.45)
ANGLE_STEP = 360.0 / N_ANGLES

_rho = (np.arange(N_RADII, dtype=np.float64) + 0.5) / N_RADII * R_MAX
_phi = np.arange(N_ANGLES, dtype=np.float64) / N_ANGLES * 2.0 * np.pi
# unit polar grid in whitened coordinates: (N_RADII, N_ANGLES, 2) as (x, y)
_UNIT = np.stack([np.outer(_rho, np.cos(_phi)), np.outer(_rho, np.sin(_phi))], axis=-1).astype(np.float32)
# polar cells cover an area proportional to their radius: weights make sums area sums
RADIAL_WEIGHT = (_rho / _rho.sum()).astype(np.float32)


@dataclass
class Whitening:
    """Centroid, covariance square root and ink area (in pixels) of a soft mask."""

    cx: float
    cy: float
    sqrt_cov: np.ndarray  # 2×2 symmetric, maps whitened → pixel offsets
    area: float

    @property
    def sigma(self) -> float:
        """Geometric-mean standard deviation of the ink: a rotation-invariant size."""
        return float(np.sqrt(abs(np.linalg.det(self.sqrt_cov))))


def whiten(mask: np.ndarray) -> Whitening | None:
    """Moments of a soft mask; ``None`` when it is empty or degenerate (a line)."""
    m = cv2.moments(mask, binaryImage=False)
    area = m["m00"]
    if area <= 1e-6:
        return None
    a, b, c = m["mu20"] / area, m["mu11"] / area, m["mu02"] / area
    det = a * c - b * b
    if det <= 1e-6 or (a + c) ** 2 / det > 1600:  # eigenvalue ratio beyond ~400: a line
        return None
    # closed-form square root of the 2×2 covariance (cheaper than an eigendecomposition)
    sd = np.sqrt(det)
    t = np.sqrt(a + c + 2 * sd)
    sqrt_cov = np.array([[a + sd, b], [b, c + sd]]) / t
    return Whitening(m["m10"] / area, m["m01"] / area, sqrt_cov, float(area))


def polar(mask: np.ndarray, w: Whitening) -> np.ndarray:
    """The mask resampled on the whitened polar grid: (N_RADII, N_ANGLES) float32."""
    (a, b), (c, d) = w.sqrt_cov.tolist()
    xy = cv2.transform(_UNIT, np.array([[a, b, w.cx], [c, d, w.cy]]))  # one (x, y) map
    return cv2.remap(mask, xy, None, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0.0)


def weighted_area(p: np.ndarray) -> float:
    return float(RADIAL_WEIGHT @ p.sum(axis=1))


def energy(p: np.ndarray) -> float:
    """Radius-weighted sum of squares (the norm used by :func:`iou_all_angles`)."""
    return float(RADIAL_WEIGHT @ (p * p).sum(axis=1))


def spectrum(p: np.ndarray) -> np.ndarray:
    """Angular FFT of a template's polar image, radius-weighted (for :func:`iou_all_angles`)."""
    return np.fft.rfft(p * RADIAL_WEIGHT[:, None], axis=1)


def iou_all_angles(cand: np.ndarray, spectra: np.ndarray, energies: np.ndarray) -> np.ndarray:
    """Overlap score of a candidate polar image with each template at every angle shift.

    The score is the normalised correlation c = <a, b> / (|a| |b|) of the two soft masks,
    reported on the IoU scale as c / (2 − c) (exactly the IoU for two binary masks of equal
    area), so that thresholds read like the research's silhouette IoU. A plain product
    IoU would punish the anti-aliased edges of a mask compared with itself.

    ``spectra``: (T, N_RADII, N_ANGLES//2+1) from :func:`spectrum`; ``energies``: (T,).
    Returns (T, N_ANGLES); entry [t, d] is the score when the template is shifted by d bins,
    i.e. candidate(θ) ≈ template(θ + d).
    """
    fc = np.fft.rfft(cand, axis=1)
    cross = np.einsum("rk,trk->tk", np.conj(fc), spectra)
    inter = np.fft.irfft(cross, n=N_ANGLES, axis=1)
    c = inter / np.sqrt(np.maximum(energy(cand) * energies[:, None], 1e-12))
    c = np.clip(c, 0.0, 1.0)
    return c / (2.0 - c)


def best_rotations(cand: np.ndarray, by_frequency: np.ndarray, energies: np.ndarray,
                   index: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`iou_all_angles` against the bank's frequency-major spectra ``by_frequency``
    (K, N, N_RADII) for the flat template-size indices ``index`` (``energies``: theirs),
    reduced to what the matcher needs (it runs for every candidate region): per template
    size, the normalised correlation at every angle shift (len(index), N_ANGLES; on the
    correlation scale, for :func:`peak_shift`), the best shift, and the score there on the
    IoU scale. The IoU scale c / (2 - c) is monotonic, so the best shift is found on the
    correlation and only the peaks are converted (a third of the array work)."""
    fc = np.fft.rfft(cand, axis=1).T.conj()  # (K, N_RADII)
    cross = np.matmul(by_frequency, fc[:, :, None])[:, :, 0]  # (K, N)
    c = np.fft.irfft(cross[:, index].T, n=N_ANGLES, axis=1)
    c *= (1.0 / np.sqrt(np.maximum(energy(cand) * energies, 1e-12)))[:, None]
    shifts = c.argmax(axis=1)
    peak = np.clip(c[np.arange(len(index)), shifts], 0.0, 1.0)
    return c, shifts, peak / (2.0 - peak)


def peak_shift(corr: np.ndarray, d: int) -> float:
    """:func:`refine_peak` for one row of :func:`best_rotations`' correlations."""
    n = corr.shape[0]
    c = np.clip(corr[[(d - 1) % n, d, (d + 1) % n]], 0.0, 1.0)
    return refine_peak(c / (2.0 - c), 1) + d - 1


def refine_peak(scores: np.ndarray, d: int) -> float:
    """Sub-bin angle shift by a parabola through the peak and its two circular neighbours."""
    n = scores.shape[0]
    y0, y1, y2 = scores[(d - 1) % n], scores[d], scores[(d + 1) % n]
    den = y0 - 2 * y1 + y2
    off = 0.5 * (y0 - y2) / den if abs(den) > 1e-12 else 0.0
    return d + float(np.clip(off, -0.5, 0.5))


def knockout_tests(cand: np.ndarray, knockout: np.ndarray, silhouette: np.ndarray, shift: int,
                   min_absent: float = 0.0) -> tuple[float, float]:
    """The two knock-out tests at the matched angle, in the template's frame (the candidate is
    turned back once instead of turning the knock-out and the silhouette: the same sums, a
    third of the copies; they run for every blob that scores high against Facebook, YouTube
    or Mastodon):

    * the share of the template's knock-out (e.g. the "f", the play triangle) that is not ink
      in the candidate (a plain disc or rounded rectangle scores ~0);
    * the IoU of the knock-out with what is *not* ink in the candidate inside the template's
      silhouette (a white card with some other logo-shaped hole in it has non-ink in the
      wrong place and scores low).

    When less than ``min_absent`` of the knock-out is absent (a plain blob), the IoU is not
    computed (reported as 0)."""
    gap = 1.0 - np.roll(cand, shift, axis=1)
    total = weighted_area(knockout)
    absent = weighted_area(knockout * gap) / total if total > 1e-9 else 1.0
    if absent < min_absent:
        return absent, 0.0
    gap *= silhouette
    inter = weighted_area(np.minimum(knockout, gap))
    union = weighted_area(np.maximum(knockout, gap))
    return absent, (inter / union if union > 1e-9 else 0.0)


def affine(cand: Whitening, tpl: Whitening, shift_bins: float) -> np.ndarray:
    """2×2 linear map from template pixel offsets to candidate pixel offsets."""
    # candidate(θ) = template(θ + d): whitened candidate = whitened template rotated by −d
    a = -np.deg2rad(shift_bins * ANGLE_STEP)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    return cand.sqrt_cov @ rot @ np.linalg.inv(tpl.sqrt_cov)


def decompose(a: np.ndarray) -> dict[str, float]:
    """Split a 2×2 map into rotation (degrees, counter-clockwise as seen in the image),
    scale, x/y stretch in the logo's own frame and shear; ``mirrored`` when det < 0."""
    u, s, vt = np.linalg.svd(a)
    mirrored = np.linalg.det(a) < 0
    if mirrored:
        u[:, -1] *= -1
        s = s.copy()
        s[-1] *= -1
    rot = u @ vt
    p = vt.T @ np.diag(s) @ vt  # symmetric stretch in the template frame
    # image y points down, so a counter-clockwise turn on screen is a negative math angle
    angle = -np.degrees(np.arctan2(rot[1, 0], rot[0, 0]))
    sx, sy = float(abs(p[0, 0])), float(abs(p[1, 1]))
    return {
        "rotation_deg": float((angle + 180.0) % 360.0 - 180.0),
        "scale": float(np.sqrt(abs(np.linalg.det(a)))),
        "stretch_x": sx,
        "stretch_y": sy,
        "shear": float(p[0, 1] / max(np.sqrt(sx * sy), 1e-9)),
        "mirrored": bool(mirrored),
    }


def fold_angle(angle: float, symmetry_order: int) -> float:
    """Rotation modulo the mark's symmetry (X is nearly 2-fold symmetric), in (−period/2, period/2]."""
    period = 360.0 / max(1, symmetry_order)
    a = angle % period
    return a - period if a > period / 2 else a
