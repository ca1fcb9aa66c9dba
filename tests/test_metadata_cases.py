"""The concrete cases of research/metadata.md §8 that the shared corpora contain.

Skips cleanly without the corpora. (Cases 6–7, C2PA validation, belong to the provenance
reader; here only the presence of a manifest is a metadata fact.)
"""

from __future__ import annotations

import time

import pytest

from imagerights.imaging import open_source
from imagerights.metadata import read_metadata


@pytest.fixture(scope="module")
def read(corpora):
    def _read(rel: str):
        return read_metadata(open_source(corpora / rel))

    return _read


def cands(md, field):
    return {c.source: c.value for c in md.candidates.get(field, [])}


# §8.1 IPTC Photo Metadata reference image
def test_iptc_reference_image(read):
    md = read("metadata/iptc_reference/frameright-php__IPTC-PhotometadataRef-Std2021.1.jpg")
    assert md.creators == ["Creator1 (ref2021.1)"]
    assert md.copyright == "Copyright (Notice) 2021.1 IPTC - www.iptc.org  (ref2021.1)"
    assert md.credit == "Credit Line (ref2021.1)"
    assert md.source == "Source (ref2021.1)"
    assert md.usage_terms == "Rights Usage Terms (ref2021.1)"
    assert md.web_statement == "https://example.com/WebStatementOfRights/2021.1"
    assert [lic["name"] for lic in md.licensors] == ["Licensor Name 1 (ref2021.1)", "Licensor Name 2 (ref2021.1)"]
    assert md.model_release == "MR-NAP" and md.property_release == "PR-NAP"
    assert md.digital_source_type == "http://cv.iptc.org/newscodes/digitalsourcetype/softwareImage"
    assert md.creator_contact["url"] == "http://www.Creators.CI/WebAddress/ref2021.1"
    assert "Person Shown 1 (ref2021.1)" in md.persons_in_image
    assert md.containers == ["EXIF", "IPTC", "XMP"]
    assert not md.container_errors


# §8.3 MWG conflicts: stale digest → IPTC, matching digest → XMP, EXIF present → EXIF
@pytest.mark.parametrize("name, creator, source", [
    ("conflict.jpg", "Musse Pigg", "IPTC:By-line"),
    ("conflict_sync.jpg", "Janne Långben", "XMP-dc:Creator"),
    ("conflict_exif.jpg", "Kalle Anka", "IFD0:Artist"),
])
def test_mwg_conflict_files(read, name, creator, source):
    md = read(f"synthetic/{name}")
    assert md.creators == [creator]
    assert md.sources["creators"] == source
    conflict = [c for c in md.conflicts if c.field == "creators"]
    assert len(conflict) == 1 and conflict[0].chosen == source
    assert {"Musse Pigg", "Janne Långben"} <= {str(v) for c in conflict[0].candidates for v in
                                              (c.value if isinstance(c.value, list) else [c.value])}


# §8.4 UTF-8 Swedish everywhere
def test_sv_utf8(read):
    md = read("synthetic/sv_utf8.jpg")
    c = cands(md, "creators")
    assert c["IFD0:Artist"] == "Åsa Öberg"
    assert c["IFD0:XPAuthor"] == "Åsa Öberg; Björn Ärlig"
    assert c["IPTC:By-line"] == ["Åsa Öberg", "Björn Ärlig"]
    assert c["XMP-dc:Creator"] == ["Åsa Öberg", "Björn Ärlig"]
    assert md.creators == ["Åsa Öberg"]  # MWG: EXIF Artist wins (and the disagreement is reported)
    assert any(x.field == "creators" for x in md.conflicts)
    assert md.copyright == "© 2024 Malmö stad"  # EXIF Copyright wins by MWG …
    assert cands(md, "copyright")["XMP-dc:Rights-sv-SE"] == "© 2024 Malmö stad, alla rättigheter förbehållna"
    assert md.description == "Vy över Stortorget"
    assert md.credit == "Foto: Åsa Öberg / Malmö stad"
    assert md.cc_license == "https://creativecommons.org/licenses/by/4.0/"
    assert md.cc_attribution_name == "Åsa Öberg"
    assert md.licensors == [{"name": "Malmö stad", "url": "https://example.se/köp"}]
    assert md.digital_source_type.endswith("/trainedAlgorithmicMedia")
    assert md.data_mining == "DMI-PROHIBITED-AIMLTRAINING"
    assert md.model_release == "MR-NON"
    assert md.marked is True
    assert md.gps.present and md.gps.latitude == pytest.approx(55.605) and md.gps.longitude == pytest.approx(13.0038)
    assert not any("cp1252" in n for n in md.notes)


def test_sv_utf8_xmp_language_choice_when_exif_is_gone(read):
    """Same file with broken EXIF: copyright comes from XMP in Swedish (sv-SE over x-default)."""
    md = read("synthetic/exif_bad_ifd_offset.jpg")
    assert md.copyright == "© 2024 Malmö stad, alla rättigheter förbehållna"
    assert md.sources["copyright"] == "XMP-dc:Rights-sv-SE"


# §8.5 Latin-1 / cp1252
def test_sv_latin1(read):
    md = read("synthetic/sv_latin1.jpg")
    assert md.creators == ["Åsa Öberg"]
    assert md.copyright == "© 2024 Malmö stad"
    c = cands(md, "creators")
    assert c["IPTC:By-line"] == ["Åsa Öberg"]
    assert c["IFD0:XPAuthor"] == "Łukasz Żółw; Åsa"
    assert any("IFD0:Artist" in n and "cp1252" in n for n in md.notes)


# §8.8 formats
@pytest.mark.parametrize("name", ["sv.png", "sv_xmp_after_idat.png", "sv.webp", "sv.tif", "sv_iptc.tif"])
def test_same_record_across_formats(read, name):
    md = read(f"synthetic/{name}")
    assert md.creators == ["Åsa Öberg"]
    assert md.copyright == "© 2024 Malmö stad"
    assert md.credit == "Foto: Åsa Öberg"
    assert md.cc_license == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert md.digital_source_type.endswith("/compositeWithTrainedAlgorithmicMedia")
    assert not md.container_errors


def test_png_xmp_after_idat(read):
    md = read("synthetic/sv_xmp_after_idat.png")
    assert "XMP" in md.containers
    assert cands(md, "creators")["XMP-dc:Creator"] == ["Åsa Öberg"]


def test_webp_exif(read):
    md = read("synthetic/sv.webp")
    assert cands(md, "creators")["IFD0:Artist"] == "Åsa Öberg"  # exifread misses spec-compliant WebP EXIF


def test_tiff_xmp_and_iptc(read):
    md = read("synthetic/sv_iptc.tif")
    assert cands(md, "creators")["IPTC:By-line"] == ["Åsa Öberg"]
    assert cands(md, "creators")["XMP-dc:Creator"] == ["Åsa Öberg"]
    assert md.containers == ["EXIF", "IPTC", "XMP"]


def test_heic_exif_and_gps_without_pillow_heif(read):
    md = read("metadata/gps/exif-samples__IMG_5195.HEIC")
    assert "EXIF" in md.containers and "XMP" in md.containers
    assert md.gps.present
    assert md.gps.latitude == pytest.approx(39.0513, abs=1e-4) and md.gps.longitude == pytest.approx(-94.2888, abs=1e-4)
    assert md.date_created == "2021-04-11T15:47:53-05:00"


@pytest.mark.parametrize("name, c2pa", [
    ("synthetic/c2pa/signed.jpg", True), ("synthetic/c2pa/signed.png", True), ("synthetic/c2pa/signed.webp", True),
    ("synthetic/c2pa/signed.tif", True), ("synthetic/c2pa/signed.heic", True), ("synthetic/c2pa/signed.avif", True),
    ("synthetic/c2pa/signed_resaved_pillow.jpg", False), ("metadata/c2pa/c2pa-rs__no_manifest.jpg", False),
    ("metadata/c2pa/c2pa-rs__cloud.jpg", False),  # remote manifest only: nothing embedded
])
def test_c2pa_presence_is_noted(read, name, c2pa):
    assert ("C2PA" in read(name).containers) is c2pa


# §8.9 XMP APP1 before the Exif APP1
def test_exif_after_large_xmp_segment(read):
    md = read("metadata/xmp_rights/exif-samples__no_exif.jpg")
    assert cands(md, "creators")["IFD0:Artist"] == "CREDIT"  # exifread alone returns {} here
    assert md.containers == ["EXIF", "IPTC", "XMP"]


def test_extended_xmp_file(read):
    md = read("metadata/xmp_rights/exiftool__ExtendedXMP.jpg")
    assert not md.container_errors and "XMP" in md.containers


# §8.10 hostile and broken
@pytest.mark.parametrize("name, words", [
    ("xmp_billion_laughs.jpg", "DTD"), ("xmp_xxe.jpg", "DTD"), ("xmp_malformed.jpg", "not terminated"),
])
def test_hostile_xmp_files(read, name, words):
    start = time.perf_counter()
    md = read(f"synthetic/{name}")
    elapsed = time.perf_counter() - start
    errors = [e for e in md.container_errors if e.container == "XMP"]
    assert errors and words in errors[0].reason
    assert md.creators == []  # no "&lol9;", no /etc/passwd
    assert elapsed < 5  # a generous guard against entity expansion; speed itself is measured in bench/


def test_bad_ifd_offset_still_gives_iptc_and_xmp(read):
    md = read("synthetic/exif_bad_ifd_offset.jpg")
    assert [e.container for e in md.container_errors] == ["EXIF"]
    assert md.creators == ["Åsa Öberg", "Björn Ärlig"]
    assert cands(md, "creators")["IPTC:By-line"] == ["Åsa Öberg", "Björn Ärlig"]
    assert md.cc_license == "https://creativecommons.org/licenses/by/4.0/"


def test_truncated_in_exif(read):
    md = read("synthetic/truncated_in_exif.jpg")
    assert "EXIF" in md.containers
    assert any("truncated" in n for n in md.notes)
    assert md.software == ["GIMP 2.4.5"]  # what came before the cut is kept


def test_exif30_utf8(read):
    md = read("synthetic/exif30_utf8.jpg")
    assert md.creators == ["Åsa Öberg"]
    assert any("type 129" in n for n in md.notes)


def test_copyright_two_parts(read):
    md = read("synthetic/copyright_two_parts.jpg")
    assert md.copyright == "Foto: Asa Oberg\nRedigering: Malmo stad"


def test_iptc_truncated_credit_recovered(read):
    md = read("metadata/digital_source_type/iptc-ug__generative-ai-example.jpg")
    assert md.credit == "Image created by Brendan Quinn using Bing Image Creator"
    assert cands(md, "credit")["IPTC:Credit"] == "Image created by Brendan Quinn u"
    assert not md.conflicts


def test_iptc_digest_equals_exiftool(corpora):
    """Our MD5 of the IIM block equals ExifTool's File:CurrentIPTCDigest on every corpus file."""
    import json

    from imagerights.metadata.containers import locate
    from imagerights.metadata.iptc import read_iptc

    checked = 0
    for rec in json.loads((corpora / "metadata" / "exiftool.json").read_text()):
        if "File:CurrentIPTCDigest" not in rec:
            continue
        blocks = locate((corpora / "metadata" / rec["SourceFile"]).read_bytes())
        assert blocks.iptc, rec["SourceFile"]
        assert read_iptc(blocks.iptc[0], blocks.irb).current_digest == rec["File:CurrentIPTCDigest"], rec["SourceFile"]
        checked += 1
    assert checked >= 30


def _plain(o) -> bool:
    if type(o) is dict:
        return all(isinstance(k, str) and _plain(v) for k, v in o.items())
    if type(o) is list:
        return all(_plain(v) for v in o)
    return o is None or type(o) in (str, int, float, bool)


def test_every_record_is_plain_json(corpora):
    files = [p for d in ("metadata", "synthetic") for p in (corpora / d).rglob("*")
             if p.is_file() and p.suffix not in (".json", ".tsv", ".md") and "_reference" not in p.parts]
    assert len(files) > 140
    for p in files:
        assert _plain(read_metadata(open_source(p)).to_dict()), p
