"""The audit's perceptual hash: ``--fast`` hashes with numpy alone, the full audit with the
registry's OpenCV code; both must be the same pHash, or near-duplicate groups would depend on
the mode."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from imagerights.audit.similar import exif_preview, hash_pixels, phash_numpy, preview_pixels
from imagerights.registry import hashing


def bits_apart(a: bytes, b: bytes) -> int:
    return int(np.unpackbits(np.frombuffer(a, np.uint8) ^ np.frombuffer(b, np.uint8)).sum())


def scene(h: int, w: int, seed: int, texture: float = 0.0) -> np.ndarray:
    """A generated picture: gradients and blobs (what photos' low frequencies look like), with
    fine ``texture`` (a smooth picture's DCT has many coefficients near the median, whose bits
    any resampling flips: real photos are not like that)."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w] / max(h, w)
    img = np.zeros((h, w, 3))
    for c in range(3):
        for _ in range(4):
            cx, cy, r = rng.random(3)
            img[..., c] += 120 * np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (0.02 + 0.1 * r))
        img[..., c] += 60 * xx * rng.random() + 40 * yy * rng.random()
        img[..., c] += texture * 40 * np.sin(40 * xx + 7 * c) * np.cos(33 * yy)
    return np.clip(img, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("shape", [(120, 160), (160, 120), (213, 320), (384, 512), (64, 64), (100, 333)])
def test_numpy_phash_equals_the_registry_phash(shape):
    for seed in range(4):
        rgb = scene(*shape, seed)
        assert bits_apart(phash_numpy(rgb, 16), hashing.phash(hashing.gray(rgb), 16)) <= 1, (shape, seed)
        assert bits_apart(phash_numpy(rgb, 8), hashing.phash(hashing.gray(rgb), 8)) <= 1, (shape, seed)


def test_a_picture_smaller_than_the_hash_grid_is_interpolated_like_opencv():
    for seed in range(4):
        rgb = scene(45, 60, seed)  # some cameras' previews are this small
        assert bits_apart(phash_numpy(rgb, 16), hashing.phash(hashing.gray(rgb), 16)) <= 8


def test_fast_hash_tells_different_pictures_apart_and_survives_resizing():
    a, b = scene(240, 320, 1, texture=1), scene(240, 320, 2, texture=1)
    ha, hb = bytes.fromhex(hash_pixels(a, fast=True)), bytes.fromhex(hash_pixels(b, fast=True))
    smaller = np.asarray(Image.fromarray(a).resize((160, 120), Image.Resampling.LANCZOS))
    assert bits_apart(ha, hb) > 40  # NEAR_THRESHOLD: not grouped
    assert bits_apart(ha, bytes.fromhex(hash_pixels(smaller, fast=True))) <= 6


def test_the_camera_previews_of_the_corpus_hash_alike_both_ways(corpora):
    from imagerights.imaging import open_source

    worst, n = 0, 0
    for path in sorted((corpora / "photos").rglob("*.jp*g")):
        try:
            pixels = preview_pixels(exif_preview(open_source(path)) or b"")
        except Exception:  # noqa: BLE001 - unreadable files are the readers' business, not this test's
            continue
        if pixels is None or min(pixels.shape[:2]) < 64:
            continue
        n += 1
        worst = max(worst, bits_apart(phash_numpy(pixels, 16), hashing.phash(hashing.gray(pixels), 16)))
    assert n >= 20 and worst <= 2


def test_fast_audit_workers_never_import_opencv(tmp_path):
    """The point of the numpy hash: ``--fast``'s fork server (and so its workers) loads no OpenCV
    (a full audit's does: the check below can tell)."""
    Image.fromarray(scene(240, 320, 3)).save(tmp_path / "a.jpg", quality=90)
    code = (
        "import sys\n"
        "from multiprocessing import forkserver\n"
        "from imagerights.audit.runner import AuditOptions, run_audit\n"
        "def libraries(done, total, rel):\n"
        "    with open(f'/proc/{forkserver._forkserver._forkserver_pid}/maps') as fh:\n"
        "        print('opencv' if 'cv2' in fh.read() else 'no opencv')\n"
        "if __name__ == '__main__':\n"
        "    fast = sys.argv[1] == 'fast'\n"
        f"    run = run_audit([{str(tmp_path)!r}], AuditOptions(jobs=1, fast=fast, registry=False, faces=False,\n"
        "                    logos=False), lambda f: None, progress=libraries)\n"
        "    assert [r.status for r in run.rows] == ['analysed']\n"
    )
    for mode, expected in (("fast", "no opencv"), ("full", "opencv")):
        done = subprocess.run([sys.executable, "-c", code, mode], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert done.stdout.split() == expected.split(), (mode, done.stdout)
