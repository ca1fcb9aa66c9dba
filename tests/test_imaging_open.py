"""imaging.open_source: a HEIC/HEIF photo without the optional HEIF support says why it cannot be
read, instead of Pillow's "cannot identify image file"."""

from __future__ import annotations

import struct

import pytest

from imagerights import imaging


def _heif_bytes() -> bytes:
    """The start of an HEIC file (an ISO-BMFF ftyp box with the heic brand) and some payload."""
    ftyp = b"ftyp" + b"heic" + struct.pack(">I", 0) + b"mif1heic"
    return struct.pack(">I", 8 + len(ftyp) - 4 + 4) + ftyp + b"\x00" * 200


@pytest.mark.skipif(imaging.HEIF, reason="pillow-heif is installed here: HEIC files are decoded")
def test_heic_without_heif_support_names_the_extra(tmp_path):
    p = tmp_path / "IMG_0001.HEIC"
    p.write_bytes(_heif_bytes())
    src = imaging.open_source(p)
    assert src.pil is None and src.open_stage == "open"
    assert "imagerights[heif]" in src.open_error and "HEIC" in src.open_error


def test_heic_is_read_or_explained_for_a_real_iphone_photo(corpora):
    path = corpora / "metadata" / "gps" / "exif-samples__IMG_5195.HEIC"
    if not path.exists():
        pytest.skip(f"{path} not in the corpus")
    src = imaging.open_source(path)
    if imaging.HEIF:
        assert src.pil is not None and src.pil.format in ("HEIF", "HEIC")
    else:
        assert src.open_error == imaging.HEIF_MISSING
