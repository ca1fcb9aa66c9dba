"""imaging.open_source and HEIC/HEIF (iPhone photos): decoded with pi-heif (a dependency); where
no HEIF support can be loaded, the finding says what to install instead of Pillow's "cannot
identify image file"."""

from __future__ import annotations

import struct

import pytest

from imagerights import imaging


def _heif_bytes() -> bytes:
    """The start of an HEIC file (an ISO-BMFF ftyp box with the heic brand) and some payload."""
    ftyp = b"ftyp" + b"heic" + struct.pack(">I", 0) + b"mif1heic"
    return struct.pack(">I", 8 + len(ftyp) - 4 + 4) + ftyp + b"\x00" * 200


def test_heic_without_heif_support_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(imaging, "heif_support", lambda: False)  # as on a platform without a wheel
    p = tmp_path / "IMG_0001.HEIC"
    p.write_bytes(_heif_bytes())
    src = imaging.open_source(p)
    assert src.pil is None and src.open_stage == "open"
    assert "pi-heif" in src.open_error and "HEIC" in src.open_error


def test_heic_is_read_or_explained_for_a_real_iphone_photo(corpora):
    path = corpora / "metadata" / "gps" / "exif-samples__IMG_5195.HEIC"
    if not path.exists():
        pytest.skip(f"{path} not in the corpus")
    src = imaging.open_source(path)
    assert imaging.heif_support(), "pi-heif is a dependency"
    assert src.pil is not None and src.pil.format in ("HEIF", "HEIC") and src.open_error is None
    assert src.rgb(512).shape[2] == 3  # decoded


@pytest.mark.parametrize("keep", [0.5, 0.1])
def test_a_truncated_heic_is_a_finding_not_a_crash(corpora, tmp_path, keep):
    path = corpora / "metadata" / "gps" / "exif-samples__IMG_5195.HEIC"
    if not path.exists():
        pytest.skip(f"{path} not in the corpus")
    data = path.read_bytes()
    cut = tmp_path / "cut.heic"
    cut.write_bytes(data[: int(len(data) * keep)])
    from imagerights.analyse import AnalyseOptions, analyse

    facts = analyse(cut, AnalyseOptions(logos=False, faces=True))  # faces need the pixels
    assert [e.stage for e in facts.errors][:1] in (["open"], ["decode"]), facts.errors
    assert facts.metadata is not None  # what could be read is still there


def test_bmff_shortfall_counts_the_missing_bytes():
    from imagerights.metadata.bmff import shortfall

    box = lambda kind, body: (8 + len(body)).to_bytes(4, "big") + kind + body  # noqa: E731
    whole = box(b"ftyp", b"heic\x00\x00\x00\x00mif1") + box(b"meta", b"\x00" * 40) + box(b"mdat", b"\x01" * 1000)
    assert shortfall(whole) == 0
    assert shortfall(whole[:-300]) == 300
    to_end = whole[:-1008] + (0).to_bytes(4, "big") + b"mdat" + b"\x01" * 10  # size 0: to the end of the file
    assert shortfall(to_end) == 0
