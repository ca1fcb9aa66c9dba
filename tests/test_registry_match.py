"""Perceptual matching: every posting edit is recognised with the right edits reported, an
unregistered photo is not, and the hashing/index building blocks are exact."""

from __future__ import annotations

import numpy as np
import pytest
from registry_fixtures import NOT_REGISTERED, REGISTERED, downscaled, edited, edits_module

from imagerights.imaging import open_source
from imagerights.registry import hashing
from imagerights.registry.index import HashIndex
from imagerights.registry.ingest import Item, register
from imagerights.registry.match import ACCEPT, Matcher, fingerprint_source, open_matcher
from imagerights.registry.store import open_store

pytestmark = pytest.mark.corpus

EDITS = edits_module()


@pytest.fixture(scope="module")
def photos(corpora, tmp_path_factory):
    folder = tmp_path_factory.mktemp("photos")
    return {rel: downscaled(corpora, rel, folder) for rel in REGISTERED + NOT_REGISTERED}


@pytest.fixture(scope="module")
def registry(photos, tmp_path_factory):
    """A registry of the REGISTERED photos; yields (matcher, {rel: asset_id})."""
    store = open_store(tmp_path_factory.mktemp("reg") / "registry.db")
    report = register(store, [Item(photos[r], display=r) for r in REGISTERED], read_file_metadata=False)
    assert not report.skipped
    ids = {a["path"]: a["asset_id"] for a in report.added}
    matcher = Matcher(store)
    yield matcher, ids
    matcher.close()


@pytest.fixture(scope="module")
def copies(photos, tmp_path_factory):
    return tmp_path_factory.mktemp("copies")


def _match(matcher, path):
    return matcher.match_source(open_source(path))


# Which registered photos each edit is tried on (all for cheap edits; three for the rest).
SUBJECTS = REGISTERED[:3]


@pytest.mark.parametrize("edit", list(EDITS.EDITS))
def test_each_edit_is_matched_to_its_original_with_the_edits_reported(registry, photos, copies, edit):
    matcher, ids = registry
    for rel in SUBJECTS:
        copy = edited(photos[rel], edit, copies)
        found = _match(matcher, copy)
        assert found, f"{edit} of {rel} not matched"
        best = found[0]
        assert best.asset_id == ids[rel], f"{edit} of {rel} matched the wrong asset"
        assert best.confidence >= ACCEPT
        assert len(found) == 1, f"{edit} of {rel} also matched {[m.asset_id for m in found[1:]]}"
        missing = EDITS.EXPECTED_EDITS[edit] - set(best.edits)
        assert not missing, f"{edit} of {rel}: edits {best.edits} lack {missing}"
        _check_values(edit, best.edits)


def _check_values(edit: str, e: dict) -> None:
    """The reported values describe the edit, not just its name."""
    if edit == "resize0.5":
        assert e["scale"] == pytest.approx(0.5, abs=0.03)
        assert "crop" not in e and "covered" not in e
    elif edit == "jpeg30":
        assert not {"crop", "covered", "flip", "rotation", "border", "greyscale"} & set(e)
    elif edit == "crop5":
        assert e["crop"]["box"] == pytest.approx([0.05, 0.05, 0.95, 0.95], abs=0.02)
    elif edit == "crop10":
        assert e["crop"]["box"] == pytest.approx([0.1, 0.1, 0.9, 0.9], abs=0.02)
        assert e["crop"]["kept"] == pytest.approx(0.64, abs=0.03)
    elif edit == "square":
        x0, y0, x1, y1 = e["crop"]["box"]
        assert (y1 - y0) == pytest.approx(1.0, abs=0.02) or (x1 - x0) == pytest.approx(1.0, abs=0.02)
    elif edit == "hflip":
        assert e["flip"] == "horizontal" and "rotation" not in e
    elif edit == "rot90":
        assert e["rotation"] == pytest.approx(90, abs=1.5) and "flip" not in e
    elif edit == "rot5":
        assert e["rotation"] == pytest.approx(5, abs=1.0)
    elif edit == "textband":
        boxes = e["covered"]["boxes"]
        assert any(b[1] == pytest.approx(0.85, abs=0.04) and b[3] > 0.97 and b[2] - b[0] > 0.8 for b in boxes)
        assert "crop" not in e
    elif edit == "watermark":
        assert any(b[0] > 0.5 and b[1] > 0.7 for b in e["covered"]["boxes"])  # lower right
    elif edit == "gray":
        assert e["greyscale"] is True
    elif edit == "bright30":
        assert e["recoloured"]["brightness"] > 12
        assert "covered" not in e
    elif edit == "border10":
        assert e["border"]["added"] == pytest.approx(1 - 1 / 1.44, abs=0.04)
        assert "crop" not in e
    elif edit == "repost":
        assert e["scale"] > 1  # 640 px originals reposted at 1080 px
        assert any(b[1] == pytest.approx(0.85, abs=0.04) for b in e["covered"]["boxes"])


@pytest.mark.parametrize("rel", NOT_REGISTERED)
def test_an_unregistered_photo_is_not_matched(registry, photos, copies, rel):
    matcher, _ = registry
    assert _match(matcher, photos[rel]) == []
    for edit in ("crop10", "repost", "hflip"):
        assert _match(matcher, edited(photos[rel], edit, copies)) == [], f"{edit} of unregistered {rel} matched"


def test_the_registered_file_itself_is_an_exact_match(registry, photos):
    matcher, ids = registry
    found = _match(matcher, photos[REGISTERED[0]])
    assert found[0].asset_id == ids[REGISTERED[0]] and found[0].confidence == 1.0 and found[0].edits == {}


def test_match_carries_the_asset_record_for_the_rules(registry, photos, copies):
    matcher, ids = registry
    m = _match(matcher, edited(photos[REGISTERED[1]], "crop10", copies))[0]
    for key in ("asset_id", "title", "creators", "source_url", "license_id", "expires", "channels",
                "editorial_only", "consent", "consent_ref", "people_present", "status", "notes"):
        assert key in m.asset
    assert isinstance(m.asset["creators"], list) and isinstance(m.asset["channels"], list)


def test_rgb_upright_exif_rotated_copy_is_matched(registry, photos, copies):
    """A phone photo stored sideways with an EXIF orientation tag is matched upright."""
    from PIL import Image

    matcher, ids = registry
    out = copies / "exif-rotated.jpg"
    with Image.open(photos[REGISTERED[2]]) as im:
        stored = im.convert("RGB").transpose(Image.Transpose.ROTATE_90)  # as the sensor saw it
        exif = Image.Exif()
        exif[0x0112] = 6  # "rotate 90 CW to display"
        stored.save(out, "JPEG", quality=90, exif=exif)
    best = _match(matcher, out)[0]
    assert best.asset_id == ids[REGISTERED[2]]
    assert "rotation" not in best.edits and "scale" not in best.edits


# ---------------------------------------------------------------------------------------------
# building blocks
# ---------------------------------------------------------------------------------------------

def test_dihedral_variants_of_the_dct_are_exact(photos):
    """Undoing a flip/turn on the DCT gives exactly the original's DCT (the 8 variants are free)."""
    g = hashing.gray(open_source(photos[REGISTERED[0]]).rgb(256))
    original = hashing.dct_block(g, 16)
    ops = {"none": lambda x: x, "flip": lambda x: x[:, ::-1], "r180": lambda x: np.rot90(x, 2),
           "flip+r180": lambda x: np.rot90(x[:, ::-1], 2), "r90": lambda x: np.rot90(x, 1),
           "flip+r90": lambda x: np.rot90(x[:, ::-1], 1), "r270": lambda x: np.rot90(x, 3),
           "flip+r270": lambda x: np.rot90(x[:, ::-1], 3)}
    for name, op in ops.items():
        q = hashing.dct_block(np.ascontiguousarray(op(g)), 16)
        undone = hashing.dihedral_blocks(q)[hashing.DIHEDRAL.index(name)]
        assert np.allclose(undone, original, atol=1e-3), name


def test_multi_index_search_finds_what_a_full_scan_finds():
    rng = np.random.default_rng(7)
    n = 30_000  # above BRUTE_FORCE_MAX: the multi-index tables are used
    keys = rng.integers(0, 2**63, size=(3, n), dtype=np.uint64)
    ids = [f"a{i}" for i in range(n)]
    index = HashIndex(ids, keys)
    assert index._tables is not None
    brute = HashIndex(ids[:], keys.copy())
    brute._tables = None
    for trial in range(40):
        row, col = int(rng.integers(n)), int(rng.integers(3))
        flips = rng.choice(64, size=int(rng.integers(0, 8)), replace=False)
        q = int(keys[col, row]) ^ sum(1 << int(b) for b in flips)
        pairs = [(q, col), (int(rng.integers(2**63)), 0)]
        got = index.search(pairs, 7, 10)
        want = brute.search(pairs, 7, 10)
        assert ids[row] in {c.asset_id for c in got}  # distance ≤ 7 is guaranteed by the pigeonhole
        assert {c.asset_id for c in want} <= {c.asset_id for c in got}


@pytest.mark.parametrize("n", [15_000, 50_000])
def test_index_memory_per_asset_is_under_100_bytes(n):
    rng = np.random.default_rng(1)
    index = HashIndex([f"{i:012x}" for i in range(n)], rng.integers(0, 2**63, size=(3, n), dtype=np.uint64))
    assert index.nbytes_per_asset_part / n < 100
    assert index.nbytes_fixed <= 3.2e6  # bucket offsets of the multi-index tables, whatever the size
    if index._tables is None:
        assert index.nbytes / n < 50


def test_fingerprint_is_compact(photos):
    fp = fingerprint_source(open_source(photos[REGISTERED[0]]))
    assert len(fp.index_key) == 8 * len(hashing.INDEX_REGIONS)
    assert len(fp.hashes) == 32 * len(hashing.STORED_REGIONS)
    assert fp.nbytes < 20_000  # ≤300 keypoints × 36 bytes + a 128-px thumbnail


def test_open_matcher_never_fails_a_check_for_a_missing_registry(tmp_path, monkeypatch):
    monkeypatch.setenv("IMAGERIGHTS_DATA_DIR", str(tmp_path / "data"))
    m = open_matcher()  # default: created lazily, empty
    assert m is not None and len(m) == 0
    assert (tmp_path / "data" / "registry.db").exists()
    m.close()
    assert open_matcher(str(tmp_path / "typo.db")) is None
    assert not (tmp_path / "typo.db").exists()


def test_empty_registry_matches_nothing(tmp_path, photos):
    m = Matcher(open_store(tmp_path / "empty.db"))
    assert m.match_source(open_source(photos[REGISTERED[0]])) == []
    m.close()
