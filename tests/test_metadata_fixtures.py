"""Metadata readers on fixtures generated in code (no corpora needed).

The builders below write EXIF (with exact bytes: UTF-8, Latin-1, Exif 3.0 type 129, UCS-2),
IPTC-IIM (with 1:90 and the Photoshop digest) and hand-written XMP packets into JPEG, PNG,
WebP and TIFF files, so every decoding and reconciliation rule is checked on known input.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import struct
import zlib

import pytest
from PIL import Image, ImageFile
from PIL.PngImagePlugin import PngInfo

from imagerights.imaging import open_source
from imagerights.metadata import read_metadata, read_metadata_bytes, read_metadata_path
from imagerights.metadata.reconcile import mwg_string_to_list
from imagerights.metadata.xmp import LangAlt, choose_lang, parse

# --------------------------------------------------------------------------- EXIF builder

ASCII, UNDEFINED, BYTE, RATIONAL, LONG, UTF8 = 2, 7, 1, 5, 4, 129


def ascii_entry(tag: int, raw: bytes, typ: int = ASCII):
    data = raw + b"\x00"
    return (tag, typ, len(data), data)


def xp_entry(tag: int, text: str):
    data = text.encode("utf-16-le") + b"\x00\x00"
    return (tag, BYTE, len(data), data)


def undefined_entry(tag: int, data: bytes):
    return (tag, UNDEFINED, len(data), data)


def rational_entry(tag: int, values, endian=">"):
    data = b"".join(struct.pack(endian + "II", n, d) for n, d in values)
    return (tag, RATIONAL, len(values), data)


def _ifd(entries, start: int, endian: str) -> bytes:
    entries = sorted(entries)
    data_off = start + 2 + 12 * len(entries) + 4
    head, data = struct.pack(endian + "H", len(entries)), b""
    for tag, typ, count, val in entries:
        if len(val) <= 4:
            head += struct.pack(endian + "HHI", tag, typ, count) + val.ljust(4, b"\x00")
        else:
            head += struct.pack(endian + "HHII", tag, typ, count, data_off + len(data))
            data += val + (b"\x00" if len(val) % 2 else b"")
    return head + b"\x00\x00\x00\x00" + data


def exif_block(ifd0, exif=None, gps=None, endian: str = ">") -> bytes:
    """A TIFF structure (what follows ``Exif\\0\\0``) with IFD0 and optional Exif/GPS sub-IFDs."""
    pointers = [(t, e) for t, e in ((0x8769, exif), (0x8825, gps)) if e is not None]
    e0 = list(ifd0) + [(t, LONG, 1, b"\x00\x00\x00\x00") for t, _ in pointers]
    pos = 8 + len(_ifd(e0, 8, endian))
    subs, offsets = b"", {}
    for tag, entries in pointers:
        offsets[tag] = pos + len(subs)
        subs += _ifd(entries, offsets[tag], endian)
    e0 = [(t, ty, c, struct.pack(endian + "I", offsets[t]) if t in offsets else v) for t, ty, c, v in e0]
    header = (b"MM\x00*" if endian == ">" else b"II*\x00") + struct.pack(endian + "I", 8)
    return header + _ifd(e0, 8, endian) + subs


# --------------------------------------------------------------------------- IPTC and XMP builders

def iim(*datasets) -> bytes:
    out = b""
    for (rec, ds), value in datasets:
        out += b"\x1c" + bytes([rec, ds]) + struct.pack(">H", len(value)) + value
    return out


def irb(rid: int, data: bytes) -> bytes:
    return b"8BIM" + struct.pack(">H", rid) + b"\x00\x00" + struct.pack(">I", len(data)) + data + (b"\x00" if len(data) % 2 else b"")


def app13(iim_data: bytes, digest: str | bytes | None = None) -> bytes:
    """Photoshop APP13 payload; ``digest="match"`` stores the MD5 of the IIM block."""
    body = irb(0x0404, iim_data)
    if digest == "match":
        body += irb(0x0425, hashlib.md5(iim_data).digest())
    elif isinstance(digest, bytes):
        body += irb(0x0425, digest)
    return b"Photoshop 3.0\x00" + body


NSDECL = (
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/" '
    'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" xmlns:cc="http://creativecommons.org/ns#" '
    'xmlns:plus="http://ns.useplus.org/ldf/xmp/1.0/" xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/" '
    'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
    'xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" xmlns:stEvt="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#" '
    'xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:xmpNote="http://ns.adobe.com/xmp/note/"'
)


def xmp_packet(inner: str, attrs: str = "") -> bytes:
    return (
        "<?xpacket begin=\"\ufeff\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        f'<rdf:Description rdf:about="" {NSDECL} {attrs}>\n{inner}\n</rdf:Description>\n'
        "</rdf:RDF>\n</x:xmpmeta>\n" + " " * 200 + '\n<?xpacket end="w"?>'
    ).encode("utf-8")


def seq(*items: str) -> str:
    return "<rdf:Seq>" + "".join(f"<rdf:li>{i}</rdf:li>" for i in items) + "</rdf:Seq>"


def alt(**langs: str) -> str:
    return "<rdf:Alt>" + "".join(f'<rdf:li xml:lang="{k.replace("_", "-")}">{v}</rdf:li>' for k, v in langs.items()) + "</rdf:Alt>"


# --------------------------------------------------------------------------- containers

def segment(marker: int, payload: bytes) -> bytes:
    return b"\xff" + bytes([marker]) + struct.pack(">H", len(payload) + 2) + payload


def base_jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (16, 12), (120, 60, 30)).save(buf, "JPEG")
    return buf.getvalue()


def jpeg(exif: bytes | None = None, iptc: bytes | None = None, xmp: bytes | None = None, extra=(), order="exif,iptc,xmp") -> bytes:
    segs = {
        "exif": segment(0xE1, b"Exif\x00\x00" + exif) if exif is not None else b"",
        "iptc": segment(0xED, iptc) if iptc is not None else b"",
        "xmp": segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + xmp) if xmp is not None else b"",
    }
    base = base_jpeg()
    return base[:2] + b"".join(segs[k] for k in order.split(",")) + b"".join(extra) + base[2:]


def png_chunk(ctype: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + ctype + data + struct.pack(">I", zlib.crc32(ctype + data) & 0xFFFFFFFF)


def itxt(keyword: str, text: str, compressed: bool = False) -> bytes:
    body = text.encode("utf-8")
    if compressed:
        body = zlib.compress(body)
    return keyword.encode("latin-1") + b"\x00" + bytes([1 if compressed else 0, 0]) + b"\x00\x00" + body


def png_after_idat(base: bytes, *chunks: bytes) -> bytes:
    """Insert chunks just before IEND (i.e. after IDAT), as some tools write them."""
    i = base.rfind(b"IEND") - 4
    return base[:i] + b"".join(chunks) + base[i:]


def write(tmp_path, name: str, data: bytes):
    p = tmp_path / name
    p.write_bytes(data)
    return p


def md_of(data: bytes):
    return read_metadata_bytes(data)


def cands(md, field):
    return {c.source: c.value for c in md.candidates.get(field, [])}


SV_EXIF = exif_block(
    [ascii_entry(0x013B, "Åsa Öberg".encode()), ascii_entry(0x8298, "© 2024 Malmö stad".encode()),
     ascii_entry(0x010E, "Vy över Stortorget".encode()), ascii_entry(0x0131, b"GIMP 2.10"),
     xp_entry(0x9C9D, "Åsa Öberg; Björn Ärlig")],
    exif=[ascii_entry(0x9003, b"2024:05:01 12:00:00"), ascii_entry(0x9011, b"+02:00"),
          ascii_entry(0xA430, "Malmö stad".encode()), ascii_entry(0xA431, b"SN-1234")],
    gps=[ascii_entry(1, b"N"), rational_entry(2, [(55, 1), (36, 1), (1800, 100)]),
         ascii_entry(3, b"E"), rational_entry(4, [(13, 1), (0, 1), (1368, 100)])],
)
SV_XMP = xmp_packet(
    f"<dc:creator>{seq('Åsa Öberg', 'Björn Ärlig')}</dc:creator>"
    f"<dc:rights>{alt(x_default='© 2024 Malmö stad', sv_SE='© 2024 Malmö stad, alla rättigheter förbehållna', en='© 2024 City of Malmö')}</dc:rights>"
    f"<xmpRights:UsageTerms>{alt(x_default='CC BY 4.0', sv='CC BY 4.0 (svenska)')}</xmpRights:UsageTerms>"
    "<photoshop:Credit>Foto: Åsa Öberg / Malmö stad</photoshop:Credit>"
    '<cc:license rdf:resource="https://creativecommons.org/licenses/by/4.0/"/>'
    "<plus:Licensor><rdf:Seq><rdf:li rdf:parseType=\"Resource\"><plus:LicensorName>Malmö stad</plus:LicensorName>"
    "<plus:LicensorURL>https://example.se/köp</plus:LicensorURL></rdf:li></rdf:Seq></plus:Licensor>",
    attrs='xmpRights:Marked="True" xmpRights:WebStatement="https://example.se/licens/123" cc:attributionName="Åsa Öberg"',
)
SV_IIM = iim(((1, 90), b"\x1b%G"), ((2, 80), "Åsa Öberg".encode()), ((2, 80), "Björn Ärlig".encode()),
             ((2, 116), "© 2024 Malmö stad".encode()), ((2, 110), "Foto: Åsa Öberg / Malmö stad".encode()))


# --------------------------------------------------------------------------- encodings

def test_swedish_utf8_in_every_container():
    md = md_of(jpeg(SV_EXIF, app13(SV_IIM, "match"), SV_XMP))
    assert md.creators == ["Åsa Öberg"]  # MWG: non-blank EXIF Artist wins
    assert cands(md, "creators")["IPTC:By-line"] == ["Åsa Öberg", "Björn Ärlig"]
    assert cands(md, "creators")["XMP-dc:Creator"] == ["Åsa Öberg", "Björn Ärlig"]
    assert cands(md, "creators")["IFD0:XPAuthor"] == "Åsa Öberg; Björn Ärlig"
    assert md.copyright == "© 2024 Malmö stad"
    assert md.description == "Vy över Stortorget"
    assert md.credit == "Foto: Åsa Öberg / Malmö stad"
    assert md.camera_owner == "Malmö stad" and md.body_serial == "SN-1234"
    assert md.date_created == "2024-05-01T12:00:00+02:00"
    assert md.licensors == [{"name": "Malmö stad", "url": "https://example.se/köp"}]
    assert not any("cp1252" in n for n in md.notes)
    json.dumps(md.to_dict())  # plain JSON-able values


def test_latin1_exif_and_iptc_without_charset_are_recovered_and_flagged():
    exif = exif_block([ascii_entry(0x013B, "Åsa Öberg".encode("latin-1")),
                       ascii_entry(0x8298, "© 2024 Malmö stad".encode("cp1252")),
                       xp_entry(0x9C9D, "Łukasz Żółw; Åsa")])
    iptc = app13(iim(((2, 80), "Åsa Öberg".encode("latin-1")), ((2, 116), "© Malmö".encode("cp1252"))))
    md = md_of(jpeg(exif, iptc))
    assert md.creators == ["Åsa Öberg"]
    assert md.copyright == "© 2024 Malmö stad"
    assert cands(md, "creators")["IPTC:By-line"] == ["Åsa Öberg"]
    assert cands(md, "copyright")["IPTC:CopyrightNotice"] == "© Malmö"
    assert cands(md, "creators")["IFD0:XPAuthor"] == "Łukasz Żółw; Åsa"
    assert any("IFD0:Artist" in n and "cp1252" in n for n in md.notes)
    assert any(n.startswith("IPTC") and "cp1252" in n for n in md.notes)


def test_exif30_utf8_type_129_is_read():
    exif = exif_block([ascii_entry(0x013B, "Åsa Öberg".encode(), typ=UTF8)])
    md = md_of(jpeg(exif))
    assert md.creators == ["Åsa Öberg"]
    assert md.sources["creators"] == "IFD0:Artist"
    assert any("type 129" in n for n in md.notes)


@pytest.mark.parametrize("raw, expected", [
    (b"Foto: \xc3\x85sa\x00Redigering: Malm\xc3\xb6 stad\x00", "Foto: Åsa\nRedigering: Malmö stad"),
    (b"Foto: Asa\x00", "Foto: Asa"),
    (b" \x00Redigering: Malmo\x00", "Redigering: Malmo"),
])
def test_copyright_photographer_and_editor_parts_are_kept(raw, expected):
    exif = exif_block([(0x8298, ASCII, len(raw), raw)])
    assert md_of(jpeg(exif)).copyright == expected


def test_user_comment_unicode_and_generator_parameters():
    text = "a cat, Steps: 20, Sampler: Euler a, CFG scale: 7, Seed: 42"
    exif = exif_block([ascii_entry(0x0131, b"Adobe Photoshop 25.0")],
                      exif=[undefined_entry(0x9286, b"UNICODE\x00" + text.encode("utf-16-be"))])
    md = md_of(jpeg(exif))
    hint = [h for h in md.ai_hints if h.source == "ExifIFD:UserComment"]
    assert hint and hint[0].value == text


def test_user_comment_ascii_without_parameters_is_no_hint():
    exif = exif_block([ascii_entry(0x0131, b"x")], exif=[undefined_entry(0x9286, b"ASCII\x00\x00\x00Kommentar")])
    assert not md_of(jpeg(exif)).ai_hints


# --------------------------------------------------------------------------- MWG reconciliation

CONFLICT_IIM = iim(((1, 90), b"\x1b%G"), ((2, 80), b"Musse Pigg"), ((2, 116), "© Musse".encode()))
CONFLICT_XMP = xmp_packet(f"<dc:creator>{seq('Janne Långben')}</dc:creator><dc:rights>{alt(x_default='© Janne')}</dc:rights>")


@pytest.mark.parametrize("digest, exif, creator, source", [
    (b"\x01" * 16, None, "Musse Pigg", "IPTC:By-line"),  # stale digest: IIM edited later → IIM wins
    ("match", None, "Janne Långben", "XMP-dc:Creator"),  # digest matches: XMP wins
    (None, None, "Janne Långben", "XMP-dc:Creator"),  # no digest: XMP wins
    (b"\x01" * 16, exif_block([ascii_entry(0x013B, b"Kalle Anka")]), "Kalle Anka", "IFD0:Artist"),  # EXIF wins
])
def test_mwg_choice_and_conflict(digest, exif, creator, source):
    md = md_of(jpeg(exif, app13(CONFLICT_IIM, digest), CONFLICT_XMP))
    assert md.creators == [creator]
    assert md.sources["creators"] == source
    conflict = [c for c in md.conflicts if c.field == "creators"]
    assert conflict and conflict[0].chosen == source
    assert {c.source for c in conflict[0].candidates} >= {"IPTC:By-line", "XMP-dc:Creator"}


def test_mwg_blank_exif_does_not_win():
    exif = exif_block([ascii_entry(0x013B, b"   ")])
    md = md_of(jpeg(exif, app13(CONFLICT_IIM, "match"), CONFLICT_XMP))
    assert md.creators == ["Janne Långben"]


def test_mwg_jpg_like_file():
    """ExifTool's t/images/MWG.jpg layout: RIGHT values where MWG says, WRONG elsewhere, no digest."""
    exif = exif_block([ascii_entry(0x013B, b"RIGHT1of2-EXIF-Creator; RIGHT2of2-EXIF-Creator"),
                       ascii_entry(0x010E, b"RIGHT-EXIF-Description")])
    iptc = app13(iim(((2, 80), b"WRONG-IPTC-Creator"), ((2, 116), b"WRONG-IPTC-Copyright"),
                     ((2, 120), b"WRONG-IPTC-Description")))
    xmp = xmp_packet(f"<dc:creator>{seq('WRONG-XMP-Creator')}</dc:creator>"
                     f"<dc:rights>{alt(x_default='RIGHT-XMP-Copyright')}</dc:rights>"
                     f"<dc:description>{alt(x_default='WRONG-XMP-Description')}</dc:description>")
    md = md_of(jpeg(exif, iptc, xmp))
    assert md.creators == ["RIGHT1of2-EXIF-Creator", "RIGHT2of2-EXIF-Creator"]
    assert md.copyright == "RIGHT-XMP-Copyright"
    assert md.description == "RIGHT-EXIF-Description"
    assert {c.field for c in md.conflicts} == {"creators", "copyright", "description"}


def test_truncated_iim_value_is_recovered_from_xmp():
    long_credit = "Foto: Åsa Öberg för Malmö stads kommunikationsavdelning"
    cut = long_credit.encode()[:32]
    iptc = app13(iim(((1, 90), b"\x1b%G"), ((2, 110), cut)), b"\x02" * 16)
    xmp = xmp_packet(f"<photoshop:Credit>{long_credit}</photoshop:Credit>")
    md = md_of(jpeg(None, iptc, xmp))
    assert md.credit == long_credit
    assert not [c for c in md.conflicts if c.field == "credit"]  # a cut value agrees with its full form


def test_mwg_string_to_list_quotes():
    assert mwg_string_to_list("A; B") == ["A", "B"]
    assert mwg_string_to_list('"Smith; Jones AB"; C') == ["Smith; Jones AB", "C"]


def test_agreeing_sources_are_no_conflict():
    exif = exif_block([ascii_entry(0x8298, b"(C) Peter")])
    iptc = app13(iim(((2, 116), "© Peter".encode("cp1252"))), "match")
    xmp = xmp_packet(f"<dc:rights>{alt(x_default='© Peter', sv_SE='© Peter (sv)')}</dc:rights>")
    md = md_of(jpeg(exif, iptc, xmp))
    assert md.copyright == "(C) Peter"
    assert not md.conflicts


# --------------------------------------------------------------------------- XMP / RDF reading

@pytest.mark.parametrize("langs, expected", [
    ({"x-default": "def", "sv-SE": "svSE", "en": "en"}, "svSE"),
    ({"x-default": "def", "sv-FI": "svFI", "en": "en"}, "svFI"),
    ({"en": "en", "x-default": "def"}, "def"),
    ({"en": "en", "de": "de"}, "en"),
])
def test_lang_alt_preference(langs, expected):
    assert choose_lang(LangAlt(langs))[1] == expected


def test_lang_alt_candidates_keep_every_language():
    md = md_of(jpeg(None, None, SV_XMP))
    c = cands(md, "copyright")
    assert c["XMP-dc:Rights"] == "© 2024 Malmö stad"
    assert c["XMP-dc:Rights-sv-SE"] == "© 2024 Malmö stad, alla rättigheter förbehållna"
    assert c["XMP-dc:Rights-en"] == "© 2024 City of Malmö"
    assert md.copyright == "© 2024 Malmö stad, alla rättigheter förbehållna"
    assert md.sources["copyright"] == "XMP-dc:Rights-sv-SE"
    assert md.usage_terms == "CC BY 4.0 (svenska)"


def test_rdf_forms_resource_shorthand_structs():
    packet = xmp_packet(
        '<cc:license rdf:resource="https://creativecommons.org/licenses/by-sa/4.0/"/>'
        '<cc:attributionURL rdf:resource="https://example.se/asa"/>'
        # struct as rdf:parseType="Resource"
        '<Iptc4xmpCore:CreatorContactInfo rdf:parseType="Resource"><Iptc4xmpCore:CiEmailWork>asa@example.se'
        "</Iptc4xmpCore:CiEmailWork><Iptc4xmpCore:CiAdrCity>Malmö</Iptc4xmpCore:CiAdrCity></Iptc4xmpCore:CreatorContactInfo>"
        # list of structs: nested rdf:Description and attribute shorthand
        "<plus:Licensor><rdf:Seq>"
        "<rdf:li><rdf:Description><plus:LicensorName>Bildbyrån</plus:LicensorName></rdf:Description></rdf:li>"
        '<rdf:li plus:LicensorName="Malmö stad" plus:LicensorURL="https://malmo.se/bilder"/>'
        "</rdf:Seq></plus:Licensor>"
        # qualified value (rdf:value)
        '<plus:ModelReleaseStatus rdf:parseType="Resource"><rdf:value>http://ns.useplus.org/ldf/vocab/MR-LMR</rdf:value>'
        "<xmp:Note>q</xmp:Note></plus:ModelReleaseStatus>"
        f"<Iptc4xmpExt:PersonInImage><rdf:Bag><rdf:li>Anna Andersson</rdf:li><rdf:li>Bo Ek</rdf:li></rdf:Bag></Iptc4xmpExt:PersonInImage>"
        "<Iptc4xmpExt:PersonInImageWDetails><rdf:Bag><rdf:li rdf:parseType=\"Resource\"><Iptc4xmpExt:PersonName>"
        f"{alt(x_default='Cecilia Dahl')}</Iptc4xmpExt:PersonName></rdf:li></rdf:Bag></Iptc4xmpExt:PersonInImageWDetails>"
        "<xmpMM:History><rdf:Seq><rdf:li stEvt:action=\"created\" stEvt:softwareAgent=\"Adobe Firefly\"/>"
        "<rdf:li rdf:parseType=\"Resource\"><stEvt:action>saved</stEvt:action><stEvt:softwareAgent>GIMP 2.10"
        "</stEvt:softwareAgent></rdf:li></rdf:Seq></xmpMM:History>"
        "<Iptc4xmpExt:AISystemUsed>Bildgeneratorn</Iptc4xmpExt:AISystemUsed>"
        "<Iptc4xmpExt:AIPromptInformation>en katt i Malmö</Iptc4xmpExt:AIPromptInformation>",
        attrs='xmp:CreatorTool="Adobe Photoshop 25.0" plus:DataMining="http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED-AIMLTRAINING" '
              'Iptc4xmpExt:DigitalSourceType=" http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia" '
              'xmpRights:Marked="False"',
    )
    md = md_of(jpeg(None, None, packet))
    assert md.cc_license == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert md.cc_attribution_url == "https://example.se/asa"
    assert md.creator_contact == {"email": "asa@example.se", "city": "Malmö"}
    assert md.licensors == [{"name": "Bildbyrån"}, {"name": "Malmö stad", "url": "https://malmo.se/bilder"}]
    assert md.model_release == "MR-LMR"
    assert md.persons_in_image == ["Anna Andersson", "Bo Ek", "Cecilia Dahl"]
    assert md.software == ["Adobe Photoshop 25.0", "Adobe Firefly", "GIMP 2.10"]
    assert md.data_mining == "DMI-PROHIBITED-AIMLTRAINING"
    assert md.digital_source_type == "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
    assert md.marked is False
    hints = {h.source: h.value for h in md.ai_hints}
    assert hints["XMP-iptcExt:AISystemUsed"] == "Bildgeneratorn"
    assert hints["XMP-iptcExt:AIPromptInformation"] == "en katt i Malmö"
    assert hints["XMP-xmpMM:HistorySoftwareAgent"] == "Adobe Firefly"


def test_namespaces_are_respected():
    """A DigitalSourceType in some other namespace must not count (Pillow's getxmp would accept it)."""
    packet = xmp_packet('<evil:DigitalSourceType xmlns:evil="http://example.com/evil/">'
                        "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture</evil:DigitalSourceType>")
    assert md_of(jpeg(None, None, packet)).digital_source_type is None


def test_sidecar_rdf_without_xmpmeta_and_old_capitalised_names(tmp_path):
    sidecar = ('<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
               '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
               f"<dc:Creator>{seq('Åsa Öberg')}</dc:Creator></rdf:Description></rdf:RDF>")
    p = write(tmp_path, "photo.xmp", sidecar.encode())
    md = read_metadata_path(p)
    assert md.creators == ["Åsa Öberg"]
    assert md.containers == ["XMP"]


@pytest.mark.parametrize("wrap", [
    lambda p: b"\xef\xbb\xbf" + p,  # UTF-8 BOM
    lambda p: p + b"\x00" * 500,  # NUL padding (Pillow #7273)
    lambda p: b"http://ns.adobe.com/xap/1.0/\x00" + p,  # leftover APP1 signature (HEIC items)
    lambda p: p.decode().encode("utf-16-le"),
    lambda p: b"\xfe\xff" + p.decode().encode("utf-16-be"),
])
def test_packet_cleanup(wrap):
    packet = xmp_packet(f"<dc:creator>{seq('Åsa Öberg')}</dc:creator>")
    props = parse(wrap(packet))
    assert props[("http://purl.org/dc/elements/1.1/", "creator")] == ["Åsa Öberg"]


# --------------------------------------------------------------------------- hostile XMP

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
    + ']><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>&lol9;</dc:creator>'
    "</rdf:Description></rdf:RDF></x:xmpmeta>"
).encode()
XXE = (
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>&xxe;</dc:creator>'
    "</rdf:Description></rdf:RDF></x:xmpmeta>"
).encode()
EXTERNAL_DTD = b'<!DOCTYPE x:xmpmeta SYSTEM "http://127.0.0.1:9/evil.dtd">' + xmp_packet("<dc:creator>x</dc:creator>")
MALFORMED = xmp_packet(f"<dc:creator>{seq('A')}</dc:creator>").replace(b"</rdf:Description>", b"")
UNCLOSED = xmp_packet("<dc:creator>x</dc:creator>").split(b"</x:xmpmeta>")[0]
DEEP = xmp_packet("<dc:creator>" + "<rdf:Bag><rdf:li>" * 1500 + "x" + "</rdf:li></rdf:Bag>" * 1500 + "</dc:creator>")


@pytest.mark.parametrize("packet, reason", [
    (BILLION_LAUGHS, "DTD"), (XXE, "DTD"), (EXTERNAL_DTD, "DTD"), (MALFORMED, "malformed"),
    (UNCLOSED, "not terminated"), (DEEP, ""),
])
def test_hostile_xmp_is_a_container_error_and_other_containers_survive(packet, reason):
    md = md_of(jpeg(SV_EXIF, app13(SV_IIM, "match"), packet))
    errors = [e for e in md.container_errors if e.container == "XMP"]
    assert errors and reason in errors[0].reason
    assert md.creators == ["Åsa Öberg"] and md.credit == "Foto: Åsa Öberg / Malmö stad"  # EXIF/IPTC still read
    dumped = json.dumps(md.to_dict())
    assert "lollol" not in dumped and "root:" not in dumped


def test_oversized_xmp_packet_is_refused(tmp_path):
    big = xmp_packet("<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">" + "A" * (5 * 1024 * 1024)
                     + "</rdf:li></rdf:Alt></dc:description>")
    info = PngInfo()
    info.add_itxt("XML:com.adobe.xmp", big.decode())
    buf = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buf, "PNG", pnginfo=info)
    md = md_of(buf.getvalue())
    assert any(e.container == "XMP" and "limit" in e.reason for e in md.container_errors)


def test_compressed_png_text_bomb_is_capped():
    bomb = zlib.compress(b"A" * (16 * 1024 * 1024), 9)
    chunk = png_chunk(b"zTXt", b"parameters\x00\x00" + bomb)
    buf = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buf, "PNG")
    md = md_of(png_after_idat(buf.getvalue(), chunk))
    assert any("beyond" in n for n in md.notes)


# --------------------------------------------------------------------------- formats

def _png(tmp_path, after_idat: bool):
    info = PngInfo()
    info.add_text("parameters", "a lighthouse, Steps: 30, Sampler: DPM++ 2M, CFG scale: 6, Seed: 1")
    info.add_text("Author", "Åsa Öberg")  # tEXt is Latin-1: Pillow writes iTXt for non-Latin-1 only
    buf = io.BytesIO()
    im = Image.new("RGB", (8, 8))
    if after_idat:
        im.save(buf, "PNG", pnginfo=info)
        data = png_after_idat(buf.getvalue(), png_chunk(b"iTXt", itxt("XML:com.adobe.xmp", SV_XMP.decode(), compressed=True)))
    else:
        info.add_itxt("XML:com.adobe.xmp", SV_XMP.decode())
        im.save(buf, "PNG", pnginfo=info)
        data = buf.getvalue()
    # Pillow re-encodes EXIF strings as ASCII ('?'), so the eXIf chunk is written by hand, after IHDR
    data = data[:33] + png_chunk(b"eXIf", SV_EXIF) + data[33:]
    return write(tmp_path, "sv.png", data)


def _webp(tmp_path):
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, "WEBP", exif=b"Exif\x00\x00" + SV_EXIF, xmp=SV_XMP)
    return write(tmp_path, "sv.webp", buf.getvalue())


def _tiff(tmp_path):
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, "TIFF", tiffinfo={315: "Åsa Öberg".encode(), 700: SV_XMP, 33723: SV_IIM})
    return write(tmp_path, "sv.tif", buf.getvalue())


def _jpeg(tmp_path):
    return write(tmp_path, "sv.jpg", jpeg(SV_EXIF, app13(SV_IIM, "match"), SV_XMP))


@pytest.mark.parametrize("make", [_jpeg, lambda t: _png(t, False), lambda t: _png(t, True), _webp, _tiff],
                         ids=["jpeg", "png", "png-xmp-after-idat", "webp", "tiff"])
def test_same_rights_record_in_every_format(tmp_path, make):
    md = read_metadata(open_source(make(tmp_path)))
    assert md.creators == ["Åsa Öberg"]
    assert cands(md, "creators")["XMP-dc:Creator"] == ["Åsa Öberg", "Björn Ärlig"]
    assert md.cc_license == "https://creativecommons.org/licenses/by/4.0/"
    assert md.web_statement == "https://example.se/licens/123"
    assert md.cc_attribution_name == "Åsa Öberg"
    assert md.marked is True
    assert "XMP" in md.containers and "EXIF" in md.containers
    assert not md.container_errors


def test_png_text_chunks(tmp_path):
    md = read_metadata_path(_png(tmp_path, True))
    assert any(h.source == "PNG:parameters" and "Steps: 30" in h.value for h in md.ai_hints)
    assert cands(md, "creators")["PNG:Author"] == "Åsa Öberg"
    assert md.gps.present and md.gps.latitude == pytest.approx(55.605) and md.gps.longitude == pytest.approx(13.0038)


def test_tiff_iptc(tmp_path):
    md = read_metadata_path(_tiff(tmp_path))
    assert cands(md, "creators")["IPTC:By-line"] == ["Åsa Öberg", "Björn Ärlig"]
    assert md.credit == "Foto: Åsa Öberg / Malmö stad"


def test_no_pixels_are_decoded(tmp_path, monkeypatch):
    paths = [_jpeg(tmp_path), _png(tmp_path, True), _webp(tmp_path), _tiff(tmp_path)]
    srcs = [open_source(p) for p in paths]

    def refuse(self, *a, **k):
        raise AssertionError("metadata reading decoded pixels")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)
    monkeypatch.setattr(Image.Image, "load", refuse)
    for src in srcs:
        assert read_metadata(src).creators == ["Åsa Öberg"]


def test_extended_xmp_is_merged():
    guid = b"0123456789ABCDEF0123456789ABCDEF"
    ext = xmp_packet(f"<dc:creator>{seq('Åsa Öberg')}</dc:creator>")
    main = xmp_packet(f"<xmpNote:HasExtendedXMP>{guid.decode()}</xmpNote:HasExtendedXMP>")
    half = len(ext) // 2
    chunks = [segment(0xE1, b"http://ns.adobe.com/xmp/extension/\x00" + guid + struct.pack(">II", len(ext), off) + part)
              for off, part in ((half, ext[half:]), (0, ext[:half]))]
    md = md_of(jpeg(None, None, main, extra=chunks))
    assert md.creators == ["Åsa Öberg"]


# --------------------------------------------------------------------------- broken containers

def test_bad_ifd_offset_keeps_iptc_and_xmp():
    broken = b"MM\x00*" + struct.pack(">I", 0x7FFFFFF0) + SV_EXIF[8:]
    md = md_of(jpeg(broken, app13(SV_IIM, "match"), SV_XMP))
    assert any(e.container == "EXIF" for e in md.container_errors)
    assert md.creators == ["Åsa Öberg", "Björn Ärlig"]  # from XMP, digest matches
    assert md.credit == "Foto: Åsa Öberg / Malmö stad"


def test_file_cut_inside_exif_keeps_what_came_before(tmp_path):
    data = jpeg(SV_EXIF, app13(SV_IIM, "match"), SV_XMP, order="iptc,xmp,exif")
    cut = data.index(b"Exif\x00\x00") + 60
    p = write(tmp_path, "cut.jpg", data[:cut])
    md = read_metadata(open_source(p))
    assert md.credit == "Foto: Åsa Öberg / Malmö stad"
    assert "EXIF" in md.containers
    assert any("truncated" in n for n in md.notes)


def test_broken_iptc_is_its_own_error():
    bad_iim = b"\x1c\x02\x50\xff\xffshort"
    md = md_of(jpeg(SV_EXIF, app13(bad_iim), SV_XMP))
    assert any(e.container == "IPTC" for e in md.container_errors)
    assert md.creators == ["Åsa Öberg"] and md.cc_license


def test_gps_refs_and_xmp_gps():
    exif = exif_block([ascii_entry(0x0131, b"x")], gps=[
        ascii_entry(1, b"S"), rational_entry(2, [(33, 1), (52, 1), (0, 1)]),
        ascii_entry(3, b"W"), rational_entry(4, [(70, 1), (30, 1), (0, 1)])])
    md = md_of(jpeg(exif))
    assert md.gps.present and md.gps.latitude == pytest.approx(-33.8667, abs=1e-4) and md.gps.longitude == pytest.approx(-70.5)
    md = md_of(jpeg(None, None, xmp_packet("<exif:GPSLatitude>55,36.3N</exif:GPSLatitude>"
                                           "<exif:GPSLongitude>13,0.228E</exif:GPSLongitude>")))
    assert md.gps.present and md.gps.latitude == pytest.approx(55.605) and md.gps.source.startswith("XMP")
    md = md_of(jpeg(exif_block([ascii_entry(0x0131, b"x")], gps=[ascii_entry(1, b"N")])))
    assert not md.gps.present  # a GPS IFD without a position is not a position


def test_never_raises_on_mutated_files():
    """Seeded byte flips and truncations of a full fixture: every result is a Metadata."""
    rng = random.Random(20240501)
    base = jpeg(SV_EXIF, app13(SV_IIM, "match"), SV_XMP)
    for _ in range(300):
        data = bytearray(base)
        for _ in range(rng.randint(1, 12)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if rng.random() < 0.3:
            data = data[: rng.randrange(len(data))]
        md = read_metadata_bytes(bytes(data))
        json.dumps(md.to_dict())


def test_not_an_image(tmp_path):
    md = read_metadata_path(write(tmp_path, "x.jpg", b"hello, not an image"))
    assert md.containers == [] and md.creators == []


def test_stale_digest_but_iptc_lacks_the_field_falls_back_to_xmp():
    """Departure from ExifTool's MWG (which reports nothing here): use XMP and say why."""
    iptc = app13(iim(((2, 116), b"(c) Musse")), b"\x01" * 16)
    md = md_of(jpeg(None, iptc, CONFLICT_XMP))
    assert md.creators == ["Janne Långben"]
    assert md.copyright == "(c) Musse"  # IPTC has this one, and MWG picks it
    assert any("creators" in n and "stale" in n for n in md.notes)


def test_xpauthor_only_is_a_creator_fallback():
    md = md_of(jpeg(exif_block([xp_entry(0x9C9D, "Åsa Öberg;Björn Ärlig")])))
    assert md.creators == ["Åsa Öberg", "Björn Ärlig"]
    assert md.sources["creators"] == "IFD0:XPAuthor"


def _svg(doctype: str, creator: str) -> bytes:
    return (f'<?xml version="1.0"?>{doctype}<svg xmlns="http://www.w3.org/2000/svg"><metadata>'
            + xmp_packet(f"<dc:creator>{seq(creator)}</dc:creator>").decode()
            + '</metadata><rect width="1" height="1"/></svg>').encode()


def test_svg_doctype_is_not_the_packets(tmp_path):
    """An SVG's own DOCTYPE does not make its embedded XMP hostile …"""
    svg = _svg('<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">',
               "Åsa Öberg")
    assert read_metadata_path(write(tmp_path, "a.svg", svg)).creators == ["Åsa Öberg"]


def test_svg_entities_are_not_expanded_into_xmp(tmp_path):
    """… but entities it declares are never expanded inside the packet."""
    svg = _svg('<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;")
    md = read_metadata_path(write(tmp_path, "b.svg", svg))
    assert md.creators == [] and any(e.container == "XMP" for e in md.container_errors)


def test_exifread_reads_when_pillow_fails(monkeypatch):
    def broken(self, data):
        raise SyntaxError("simulated Pillow failure")

    monkeypatch.setattr(Image.Exif, "load", broken)
    md = md_of(jpeg(SV_EXIF))
    assert md.creators == ["Åsa Öberg"]
    assert md.copyright == "© 2024 Malmö stad"
    assert any("exifread" in n for n in md.notes)
