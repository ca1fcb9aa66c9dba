"""Recognise registered assets in an image: the two-stage matcher ``check`` and ``registry match`` use.

1. **Exact**: the file's sha256 is registered → confidence 1.
2. **Candidates** (``index.py``): 64-bit pHash keys of canonical regions of the query (its 8
   dihedral variants, centre crops, centre square, trimmed frame) against the registry's keys
   of the original's canonical regions; a few dozen nearest assets at most.
3. **Verification** of each candidate, with two independent kinds of evidence:
   * 256-bit pHash of the best pair of regions (``hashing.SCORE_PAIRS``) — strong for resized,
     recompressed, recoloured, flipped or turned copies and featureless images;
   * local features (``verify.py``): ORB + RANSAC similarity — strong for crops, small
     rotations, captions and watermarks, and it yields the transform.
   A candidate is accepted when either is conclusive (:data:`ACCEPT`): the confidence is the
   larger of the two calibrated scores.
4. **Edits** (``edits.py``): scale, crop box, rotation, flip, border, covered areas, colour.

Thresholds are fixed here (one operating point, the same for ``check`` and ``registry match``)
and were chosen on ``shared/corpora/photos`` with ``bench/matching.py``; see docs/registry.md.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from imagerights.facts import RegistryMatch
from imagerights.imaging import SourceImage
from imagerights.registry import edits as edits_mod
from imagerights.registry import hashing, verify
from imagerights.registry.index import PROBE_RADIUS, HashIndex
from imagerights.registry.store import Asset, Fingerprint, Store, is_postgres, open_store, sqlite_path

ALGO = 1  # fingerprint layout version (hashing.INDEX_REGIONS/STORED_REGIONS, verify ORB1)

# --- the operating point -----------------------------------------------------------------
CANDIDATE_DISTANCE = 22  # 64-bit pHash: loose, this only nominates candidates
CANDIDATES = 24  # at most this many candidates get 256-bit scoring
VERIFY = 3  # … and the best this many get local-feature verification,
VERIFY_DISTANCE = 104  # … if their 256-bit distance is below this (unrelated photos: ~128 ± 8)
MIRROR_DISTANCE = 88  # … and mirrored features are tried too below this
HASH_ACCEPT = 52  # 256-bit pHash distance at which hash evidence alone is conclusive
HASH_SURE = 24  # … and below which the matched pair of regions is trusted for the geometry
INLIER_ACCEPT = 16  # RANSAC inliers at which local-feature evidence alone is conclusive
ACCEPT = 0.5  # confidence at and above which imagerights calls it a match


def hash_confidence(distance: int) -> float:
    """1 at distance 0, :data:`ACCEPT` at :data:`HASH_ACCEPT`, 0 at 2×HASH_ACCEPT (≈ chance level)."""
    return float(min(1.0, max(0.0, 1 - distance / (2 * HASH_ACCEPT))))


def inlier_confidence(inliers: int) -> float:
    """0.5 at :data:`INLIER_ACCEPT` inliers, approaching 1 with many more."""
    if inliers <= 0:
        return 0.0
    return float(inliers / (inliers + INLIER_ACCEPT))


@dataclass
class Query:
    """A query image prepared once: hashes from a small decode, local features (lazily) from a
    :data:`hashing.HASH_SIDE` decode — most queries are settled by the hashes and never need it.

    ``rgb`` (≤ :data:`hashing.WORK_SIDE` px) is the query's frame: every geometry (fits, crop
    boxes) is expressed in its pixels; features found at a larger size are scaled into it.
    """

    rgb: np.ndarray
    full_size: tuple[int, int]
    sha256: str | None = None
    hashes: hashing.QueryHashes | None = None
    _large: Any = None  # the HASH_SIDE pixels, or a callable that decodes them
    _features: verify.Features | None = None
    _mirrored: verify.Features | None = None

    @classmethod
    def from_source(cls, src: SourceImage) -> "Query":
        q = cls.from_rgb(src.rgb(hashing.WORK_SIDE), upright_size(src))
        q._large = lambda: src.rgb(hashing.HASH_SIDE)
        return q

    @classmethod
    def from_rgb(cls, rgb: np.ndarray, full_size: tuple[int, int] | None = None, sha256: str | None = None) -> "Query":
        large = _reduce(rgb, hashing.HASH_SIDE)
        small = _reduce(large, hashing.WORK_SIDE)
        full = full_size or (rgb.shape[1], rgb.shape[0])
        return cls(small, full, sha256, hashing.query_hashes(small), large)

    @property
    def width(self) -> int:
        return int(self.rgb.shape[1])

    @property
    def height(self) -> int:
        return int(self.rgb.shape[0])

    def _large_rgb(self) -> np.ndarray:
        if callable(self._large):
            self._large = _reduce(self._large(), hashing.HASH_SIDE)
        return self._large if self._large is not None else self.rgb

    def features(self, mirrored: bool = False) -> verify.Features:
        """ORB features in the query's frame (``rgb`` pixels); ``mirrored`` of the mirror image."""
        if mirrored and self._mirrored is not None:
            return self._mirrored
        if not mirrored and self._features is not None:
            return self._features
        large = self._large_rgb()
        img = large[:, ::-1] if mirrored else large
        f = verify.extract(_gray_u8(img), verify.QUERY_FEATURES)
        scale = self.width / large.shape[1]
        f = verify.Features(f.points * scale, f.descriptors, self.width, self.height)
        if mirrored:
            self._mirrored = f
        else:
            self._features = f
        return f


def upright_size(src: SourceImage) -> tuple[int, int] | None:
    """The image's full size after EXIF orientation (``rgb()`` is upright; ``size`` is as stored)."""
    if src.size is None:
        return None
    w, h = src.size
    try:
        orientation = src.pil.getexif().get(0x0112) if src.pil is not None else None
    except Exception:  # noqa: BLE001 - a broken EXIF block just means "as stored"
        orientation = None
    return (h, w) if orientation in (5, 6, 7, 8) else (w, h)


def _reduce(rgb: np.ndarray, side: int = hashing.HASH_SIDE) -> np.ndarray:
    import cv2

    h, w = rgb.shape[:2]
    if max(h, w) <= side:
        return np.ascontiguousarray(rgb)
    f = side / max(h, w)
    return cv2.resize(rgb, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA)


def _gray_u8(rgb: np.ndarray) -> np.ndarray:
    import cv2

    return cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2GRAY)


# ---------------------------------------------------------------------------------------------
# Fingerprints (registration side)
# ---------------------------------------------------------------------------------------------

def fingerprint_rgb(rgb: np.ndarray) -> Fingerprint:
    """The stored fingerprint of an original (pixels already reduced by ``SourceImage.rgb``)."""
    rgb = _reduce(rgb)
    key, hashes = hashing.stored_hashes(rgb)
    feats = verify.extract(_gray_u8(rgb), verify.STORED_FEATURES)
    return Fingerprint(ALGO, key, hashes, verify.to_bytes(feats), verify.thumbnail(rgb))


def fingerprint_source(src: SourceImage) -> Fingerprint:
    return fingerprint_rgb(src.rgb(hashing.HASH_SIDE))


# ---------------------------------------------------------------------------------------------
# Matching
# ---------------------------------------------------------------------------------------------

@dataclass
class Evidence:
    """Everything known about one candidate (kept for ``--explain`` and the benchmark)."""

    asset_id: str
    candidate_distance: int
    hash_distance: int = 257
    hash_pair: tuple[str, str] = ("", "")
    inliers: int = 0
    fit: verify.Fit | None = None
    confidence: float = 0.0
    edits: dict[str, Any] = field(default_factory=dict)

    @property
    def accepted(self) -> bool:
        return self.confidence >= ACCEPT


class Matcher:
    """Matches images against a registry; build with :func:`open_matcher` or ``Matcher(store)``."""

    def __init__(self, store: Store, index: HashIndex | None = None):
        self.store = store
        self._assets: dict[str, Asset] = {}
        if index is None:
            # follows other users' additions and removals through the change log (no reload per query)
            from imagerights.registry.live import LiveIndex

            index = LiveIndex(store, ALGO, len(hashing.INDEX_REGIONS))
            index.on_change(self._forget)
        self.index = index

    def _forget(self, ids: list[str] | None) -> None:
        """Drop cached asset records that changed (``None``: all of them)."""
        if ids is None:
            self._assets.clear()
        else:
            for asset_id in ids:
                self._assets.pop(asset_id, None)

    def __len__(self) -> int:
        return self.index.size

    def close(self) -> None:
        self.store.close()

    # -- public API ---------------------------------------------------------------------------
    def match_source(self, src: SourceImage) -> list[RegistryMatch]:
        """Registered assets this image is a copy of, best first (only accepted matches)."""
        exact = self.store.find_sha256(src.sha256)
        if exact is not None:
            return [RegistryMatch(exact.asset_id, 1.0, {}, exact.to_dict())]
        if self.index.size == 0:
            return []
        return self.to_matches(self.evaluate(Query.from_source(src)))

    def to_matches(self, evidence: list[Evidence]) -> list[RegistryMatch]:
        out = []
        for ev in evidence:
            if not ev.accepted:
                continue
            asset = self._asset(ev.asset_id)
            if asset is None:  # removed meanwhile
                continue
            out.append(RegistryMatch(ev.asset_id, round(ev.confidence, 4), ev.edits, asset.to_dict()))
        return out

    def _asset(self, asset_id: str) -> Asset | None:
        if asset_id not in self._assets:
            a = self.store.get(asset_id)
            if a is None:
                return None
            self._assets[asset_id] = a
        return self._assets[asset_id]

    def candidates(self, q: Query) -> list:
        pairs = q.hashes.index_pairs() if q.hashes else []
        return self.index.search([(k, c) for k, c, _, _ in pairs], CANDIDATE_DISTANCE, CANDIDATES,
                                 radius=PROBE_RADIUS)

    def evaluate(self, q: Query, *, all_candidates: bool = False) -> list[Evidence]:
        """Score every candidate; accepted ones first, by confidence. ``all_candidates`` keeps
        rejected ones too (benchmark, explanations)."""
        cands = self.candidates(q)
        if not cands:
            return []
        hashes = self.store.fingerprint_hashes([c.asset_id for c in cands])
        evidence: list[Evidence] = []
        for c in cands:
            if c.asset_id not in hashes:
                continue
            try:
                stored = hashing.stored_matrix(hashes[c.asset_id])
            except ValueError:  # another fingerprint layout: re-fingerprint
                continue
            ev = Evidence(c.asset_id, c.distance)
            d, qr, sr = hashing.best_pair(q.hashes, stored)
            ev.hash_distance, ev.hash_pair = d, (qr, sr)
            evidence.append(ev)
        evidence.sort(key=lambda e: (e.hash_distance, e.candidate_distance))
        # full fingerprints (features, thumbnail) only for the few candidates still in play
        needed = [e.asset_id for e in evidence if e.hash_distance <= VERIFY_DISTANCE][:VERIFY + 4]
        fps = self.store.fingerprints(needed) if needed else {}
        verified, settled = 0, False
        for ev in evidence:
            # local features cost milliseconds per candidate: spend them on the few whose hash
            # is not hopeless, and stop once a clear match is found (unless another candidate's
            # hash is conclusive too: the same photo registered twice). A near-identical pair of
            # regions needs none: it is the match, and the pair itself gives the geometry.
            if ev.hash_distance <= HASH_SURE:
                settled = True
                continue
            if verified >= VERIFY or ev.hash_distance > VERIFY_DISTANCE or ev.asset_id not in fps:
                break
            if settled and ev.hash_distance > HASH_ACCEPT:
                break
            self._verify(q, ev, fps[ev.asset_id])
            verified += 1
            settled = settled or ev.inliers >= 3 * INLIER_ACCEPT
        for ev in evidence:
            ev.confidence = max(hash_confidence(ev.hash_distance), inlier_confidence(ev.inliers))
        for ev in evidence:
            if ev.accepted:
                fp = fps.get(ev.asset_id) or self.store.fingerprint(ev.asset_id)
                if fp is not None:
                    ev.edits = self._edits(q, ev, fp)
        evidence.sort(key=lambda e: -e.confidence)
        return evidence if all_candidates else [e for e in evidence if e.accepted]

    def _verify(self, q: Query, ev: Evidence, fp: Fingerprint) -> None:
        original = verify.from_bytes(fp.features)
        if original is None or len(original) < 5:
            return
        best = verify.fit(q.features(), original)
        # a mirror image only verifies against mirrored features; try it when the hash says
        # "flipped", or when the upright attempt found little and the hash is not far off
        flipped = ev.hash_pair[0].startswith("full/flip")
        if flipped or ((best is None or best.inliers < INLIER_ACCEPT) and ev.hash_distance <= MIRROR_DISTANCE):
            mirrored = verify.fit(q.features(mirrored=True), original)
            if mirrored is not None and (best is None or mirrored.inliers > best.inliers):
                # compose: query px → mirrored px → original px
                flip = np.array([[-1.0, 0.0, float(q.width)], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
                mirrored.matrix = (np.vstack([mirrored.matrix, [0, 0, 1]]) @ flip)[:2]
                mirrored.mirrored = True
                best = mirrored
        if best is not None:
            ev.fit, ev.inliers = best, best.inliers

    def _edits(self, q: Query, ev: Evidence, fp: Fingerprint) -> dict[str, Any]:
        original = verify.from_bytes(fp.features)
        asset = self._asset(ev.asset_id)
        ow, oh = (original.width, original.height) if original else _reduced_size(asset)
        if ev.fit is not None and inlier_confidence(ev.inliers) >= ACCEPT:
            matrix = ev.fit.matrix
        else:
            matrix = _pair_matrix(q, ev.hash_pair, ow, oh)
        full = (asset.width or ow, asset.height or oh) if asset else (ow, oh)
        out = edits_mod.geometry(matrix, q.width, q.height, ow, oh, q.full_size, full)
        try:
            out.update(edits_mod.photometry(matrix, q.rgb, verify.load_thumbnail(fp.thumb), ow, oh))
        except Exception:  # noqa: BLE001 - edit details must never lose the match itself
            pass
        return out


def _reduced_size(asset: Asset | None) -> tuple[int, int]:
    if asset is None or not asset.width or not asset.height:
        return hashing.HASH_SIDE, hashing.HASH_SIDE
    f = min(1.0, hashing.HASH_SIDE / max(asset.width, asset.height))
    return max(1, round(asset.width * f)), max(1, round(asset.height * f))


def _pair_matrix(q: Query, pair: tuple[str, str], ow: int, oh: int) -> np.ndarray:
    """The query→original map implied by the pair of hash regions that matched best."""
    qr, sr = pair
    if qr.startswith("full/"):
        d = qr.split("/", 1)[1]
        if sr == "full" or d != "none":
            return edits_mod.dihedral_matrix(d, q.width, q.height, ow, oh)
        qr = "full"
    qbox = q.hashes.boxes.get(qr, (0.0, 0.0, 1.0, 1.0)) if q.hashes else (0.0, 0.0, 1.0, 1.0)
    obox = hashing.region_box(sr, ow, oh)
    return edits_mod.region_matrix(qbox, obox, q.width, q.height, ow, oh)


# ---------------------------------------------------------------------------------------------
# Opening
# ---------------------------------------------------------------------------------------------

def load_index(store: Store) -> HashIndex:
    return HashIndex.from_rows(store.index_rows(ALGO), len(hashing.INDEX_REGIONS))


def open_matcher(registry_url: str | None = None) -> Matcher | None:
    """The matcher ``check`` uses, or None when there is no registry to match against.

    The default registry (no ``--registry``, no ``IMAGERIGHTS_REGISTRY``) is created lazily and
    may be empty (an empty-index matcher then). An explicitly named SQLite file that does not
    exist gives None: a check never fails because the registry is missing. A registry that
    exists but cannot be used (not a registry, newer schema, server down) raises
    :class:`RegistryError` with a message fit to print.
    """
    url = registry_url or os.environ.get("IMAGERIGHTS_REGISTRY") or None
    if url and not is_postgres(url) and not sqlite_path(url).exists():
        return None
    return Matcher(open_store(url, create=True))


