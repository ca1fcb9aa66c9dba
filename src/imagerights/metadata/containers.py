"""Find the raw metadata blocks (EXIF, XMP, IPTC, PNG text) in a file's bytes.

Why our own walkers instead of ``im.info``: they work when Pillow cannot open the
file (truncated, corrupt, HEIC without pillow-heif, sidecar .xmp), they see PNG text
chunks that sit after IDAT without decoding a single pixel, and they treat every
format the same way. Each walker only slices ``data``; lengths are checked against
the buffer so a lying length field can cut a block short but never read outside it.
Parsing the blocks is left to exif.py, iptc.py and xmp.py.
"""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass, field

from imagerights.metadata.tiff import Tiff, TiffError

MAX_TEXT_BYTES = 4 * 1024 * 1024  # cap on decompressed PNG text (zTXt/iTXt): zip bombs stop here
MAX_CHUNKS = 100_000

XMP_SIG = b"http://ns.adobe.com/xap/1.0/\x00"
XMP_SIG_ALT = b"XMP\x00://ns.adobe.com/xap/1.0/\x00"
EXT_XMP_SIG = b"http://ns.adobe.com/xmp/extension/\x00"
PS_SIG = b"Photoshop 3.0\x00"
C2PA_TIFF_TAG = 0xCD41  # where c2pa-rs stores the JUMBF manifest store in TIFF
XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")


@dataclass
class Block:
    """One raw metadata block and where it was found (for notes and error messages)."""

    data: bytes
    where: str
    truncated: bool = False


@dataclass
class PngText:
    chunk: str  # tEXt / zTXt / iTXt
    keyword: str
    text: str


@dataclass
class Blocks:
    """All raw metadata found in one file."""

    format: str = "unknown"
    exif: list[Block] = field(default_factory=list)
    xmp: list[Block] = field(default_factory=list)
    extended_xmp: dict[bytes, dict[int, bytes]] = field(default_factory=dict)  # guid → offset → chunk
    iptc: list[Block] = field(default_factory=list)  # raw IIM datasets
    irb: list[Block] = field(default_factory=list)  # Photoshop image resource blocks (8BIM …)
    png_text: list[PngText] = field(default_factory=list)
    comments: list[bytes] = field(default_factory=list)  # JPEG COM
    c2pa: bool = False
    structure_error: str | None = None  # the walker stopped early: reason
    notes: list[str] = field(default_factory=list)


def sniff(data: bytes) -> str:
    """The container format from magic bytes (never from the file name)."""
    if data[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if data[:12] == b"\x00\x00\x00\x0cJXL \r\n\x87\n":
        return "JXL"
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in (b"avif", b"avis"):
            return "AVIF"
        return "HEIF"
    if data[:4] == b"8BPS":
        return "PSD"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    return "unknown"


def locate(data: bytes) -> Blocks:
    """Walk the file structure and collect raw blocks; fall back to byte scans where needed."""
    fmt = sniff(data)
    blocks = Blocks(format=fmt)
    walker = _WALKERS.get(fmt)
    if walker is not None:
        try:
            walker(data, blocks)
        except (IndexError, struct.error, ValueError, TiffError, zlib.error) as exc:
            blocks.structure_error = f"{fmt} structure unreadable: {type(exc).__name__}: {exc}"
    if walker is None or blocks.structure_error:
        _scan(data, blocks)
    if fmt in ("JPEG", "TIFF") and not blocks.iptc:
        try:
            _trailers(data, blocks)
        except (IndexError, struct.error, ValueError) as exc:
            blocks.notes.append(f"file trailer unreadable: {exc}")
    return blocks


# --------------------------------------------------------------------------- JPEG

def _walk_jpeg(data: bytes, blocks: Blocks) -> None:
    pos, n = 2, len(data)
    ps_parts: list[bytes] = []
    while pos + 4 <= n:
        if data[pos] != 0xFF:
            blocks.structure_error = f"JPEG marker expected at byte {pos}"
            break
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0x01, 0xD8) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        if marker in (0xD9, 0xDA):  # EOI, start of scan: metadata segments are over
            break
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        if length < 2:
            blocks.structure_error = f"JPEG segment length {length} at byte {pos}"
            break
        end = pos + 2 + length
        seg = data[pos + 4:end]
        truncated = end > n
        where = f"JPEG APP{marker - 0xE0} at {pos}" if 0xE0 <= marker <= 0xEF else f"JPEG marker {marker:#x} at {pos}"
        if marker == 0xE1:
            if seg.startswith(b"Exif\x00"):
                if blocks.exif and blocks.exif[0].where.startswith("JPEG"):
                    # EXIF continued in a further APP1 (multi-segment EXIF): ExifTool and Pillow join them
                    first = blocks.exif[0]
                    blocks.exif[0] = Block(first.data + seg[6:], first.where, first.truncated or truncated)
                    blocks.notes.append("EXIF spans several APP1 segments: joined")
                else:
                    blocks.exif.append(Block(seg[6:], where, truncated))
            elif seg.startswith(XMP_SIG):
                blocks.xmp.append(Block(seg[len(XMP_SIG):], where, truncated))
            elif seg.startswith(XMP_SIG_ALT):
                blocks.xmp.append(Block(seg[len(XMP_SIG_ALT):], where, truncated))
            elif seg.startswith(EXT_XMP_SIG):
                _extended_xmp(seg[len(EXT_XMP_SIG):], blocks)
        elif marker == 0xED and seg.startswith(PS_SIG):
            ps_parts.append(seg[len(PS_SIG):])
        elif marker == 0xEB and seg[:2] == b"JP" and b"c2pa" in seg[:64]:
            blocks.c2pa = True
        elif marker == 0xFE:
            blocks.comments.append(seg)
        if truncated:
            blocks.notes.append(f"JPEG segment at byte {pos} runs past the end of the file (truncated)")
            break
        pos = end
    if ps_parts:
        _photoshop_irb(b"".join(ps_parts), blocks, "JPEG APP13")


def _extended_xmp(seg: bytes, blocks: Blocks) -> None:
    """JPEG ExtendedXMP chunk: GUID(32) + full length(4) + offset(4) + data."""
    if len(seg) < 40:
        return
    guid = seg[:32]
    offset = struct.unpack(">I", seg[36:40])[0]
    blocks.extended_xmp.setdefault(guid, {})[offset] = seg[40:]


# --------------------------------------------------------------------------- Photoshop IRB

def _photoshop_irb(data: bytes, blocks: Blocks, where: str) -> None:
    """Photoshop image resources (8BIM blocks): 0x0404 IPTC, 0x0424 XMP, 0x0422 EXIF, 0x0425 digest."""
    blocks.irb.append(Block(data, where))
    for rid, payload in iter_irb(data):
        if rid == 0x0404:
            blocks.iptc.append(Block(payload, f"{where} 8BIM 0x0404"))
        elif rid == 0x0424 and not blocks.xmp:
            blocks.xmp.append(Block(payload, f"{where} 8BIM 0x0424"))
        elif rid == 0x0422 and not blocks.exif:
            blocks.exif.append(Block(payload, f"{where} 8BIM 0x0422"))


def iter_irb(data: bytes):
    """Yield (resource id, data) for each well-formed 8BIM resource; stop at the first bad one."""
    pos, n = 0, len(data)
    while pos + 12 <= n:
        if data[pos:pos + 4] not in (b"8BIM", b"PHUT", b"AgHg", b"DCSR", b"MeSa"):
            break
        rid = struct.unpack(">H", data[pos + 4:pos + 6])[0]
        name_len = data[pos + 6]
        name_total = 1 + name_len
        name_total += name_total % 2
        p = pos + 6 + name_total
        if p + 4 > n:
            break
        size = struct.unpack(">I", data[p:p + 4])[0]
        start = p + 4
        payload = data[start:start + size]
        yield rid, payload
        pos = start + size + (size % 2)


# --------------------------------------------------------------------------- PNG

def _walk_png(data: bytes, blocks: Blocks) -> None:
    pos, n, count = 8, len(data), 0
    while pos + 8 <= n and count < MAX_CHUNKS:
        count += 1
        length = struct.unpack(">I", data[pos:pos + 4])[0]
        ctype = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        truncated = pos + 8 + length > n
        where = f"PNG {ctype.decode('latin-1')} at {pos}"
        if ctype == b"eXIf":
            blocks.exif.append(Block(body, where, truncated))
        elif ctype in (b"tEXt", b"zTXt", b"iTXt"):
            _png_text(ctype.decode(), body, blocks, where)
        elif ctype == b"caBX":
            blocks.c2pa = True
        elif ctype == b"IEND":
            break
        if truncated:
            blocks.notes.append(f"PNG chunk {ctype!r} at byte {pos} runs past the end of the file (truncated)")
            break
        pos += 12 + length


def _inflate(raw: bytes) -> bytes:
    d = zlib.decompressobj()
    out = d.decompress(raw, MAX_TEXT_BYTES)
    if d.unconsumed_tail:
        raise ValueError(f"compressed text expands beyond {MAX_TEXT_BYTES} bytes")
    return out


def _png_text(ctype: str, body: bytes, blocks: Blocks, where: str) -> None:
    key, sep, rest = body.partition(b"\x00")
    if not sep:
        return
    keyword = key.decode("latin-1", "replace")
    try:
        if ctype == "tEXt":
            raw, utf8 = rest, False
        elif ctype == "zTXt":
            raw, utf8 = _inflate(rest[1:]), False
        else:  # iTXt: flag, method, language\0, translated keyword\0, text
            flag = rest[0] if rest else 0
            rest = rest[2:]
            _lang, _, rest = rest.partition(b"\x00")
            _tkey, _, rest = rest.partition(b"\x00")
            raw, utf8 = (_inflate(rest) if flag else rest), True
    except (ValueError, zlib.error) as exc:
        blocks.notes.append(f"{where} text {keyword!r} unreadable: {exc}")
        return
    if keyword == "XML:com.adobe.xmp":
        blocks.xmp.append(Block(raw, where))
        return
    if keyword.startswith("Raw profile type "):
        _raw_profile(keyword[17:].lower(), raw, blocks, where)
        return
    text = raw.decode("utf-8", "replace") if utf8 else raw.decode("latin-1")
    blocks.png_text.append(PngText(ctype, keyword, text))


def _raw_profile(kind: str, raw: bytes, blocks: Blocks, where: str) -> None:
    """ImageMagick 'Raw profile type exif/iptc/xmp': ``\\nname\\n  length\\nhex…``."""
    parts = raw.split(b"\n", 3)
    if len(parts) < 4:
        return
    try:
        payload = bytes.fromhex(parts[3].decode("ascii", "replace").replace("\n", "").replace(" ", ""))
    except ValueError:
        blocks.notes.append(f"{where} raw {kind} profile is not valid hex")
        return
    if kind in ("exif", "app1"):
        if payload.startswith(XMP_SIG):
            blocks.xmp.append(Block(payload[len(XMP_SIG):], where))
        else:
            blocks.exif.append(Block(payload[6:] if payload.startswith(b"Exif\x00") else payload, where))
    elif kind in ("iptc", "8bim"):
        if payload.startswith(b"8BIM"):
            _photoshop_irb(payload, blocks, where)
        else:
            blocks.iptc.append(Block(payload, where))
    elif kind == "xmp":
        blocks.xmp.append(Block(payload, where))


# --------------------------------------------------------------------------- WebP

def _walk_webp(data: bytes, blocks: Blocks) -> None:
    pos, n, count = 12, len(data), 0
    while pos + 8 <= n and count < MAX_CHUNKS:
        count += 1
        fourcc = data[pos:pos + 4]
        size = struct.unpack("<I", data[pos + 4:pos + 8])[0]
        body = data[pos + 8:pos + 8 + size]
        truncated = pos + 8 + size > n
        where = f"WebP {fourcc.decode('latin-1')} at {pos}"
        if fourcc == b"EXIF":
            blocks.exif.append(Block(body[6:] if body.startswith(b"Exif\x00") else body, where, truncated))
        elif fourcc == b"XMP ":
            blocks.xmp.append(Block(body, where, truncated))
        elif fourcc == b"C2PA":
            blocks.c2pa = True
        if truncated:
            blocks.notes.append(f"WebP chunk {fourcc!r} runs past the end of the file (truncated)")
            break
        pos += 8 + size + (size % 2)


# --------------------------------------------------------------------------- TIFF

def _walk_tiff(data: bytes, blocks: Blocks) -> None:
    tiff = Tiff(data)
    blocks.exif.append(Block(data, "TIFF IFD0"))
    ifd0 = tiff.ifd(wanted={700, 33723, 34377, C2PA_TIFF_TAG})
    blocks.c2pa = C2PA_TIFF_TAG in ifd0
    if 700 in ifd0:
        blocks.xmp.append(Block(ifd0[700].raw, "TIFF tag 700", ifd0[700].truncated))
    if 33723 in ifd0:
        blocks.iptc.append(Block(ifd0[33723].raw, "TIFF tag 33723", ifd0[33723].truncated))
    if 34377 in ifd0:
        before = len(blocks.iptc)
        _photoshop_irb(ifd0[34377].raw, blocks, "TIFF tag 34377")
        if 33723 in ifd0:
            del blocks.iptc[before:]  # the IPTC tag is the standard place; the IRB copy only adds the digest


# --------------------------------------------------------------------------- ISO BMFF (HEIF, AVIF, JPEG XL)

def _boxes(data: bytes, start: int, end: int):
    """Yield (type, body start, body end) for the boxes in data[start:end]."""
    pos = start
    count = 0
    while pos + 8 <= end and count < MAX_CHUNKS:
        count += 1
        size = struct.unpack(">I", data[pos:pos + 4])[0]
        btype = data[pos + 4:pos + 8]
        header = 8
        if size == 1:
            if pos + 16 > end:
                return
            size = struct.unpack(">Q", data[pos + 8:pos + 16])[0]
            header = 16
        elif size == 0:
            size = end - pos
        if size < header:
            raise ValueError(f"box {btype!r} at {pos} has size {size}")
        yield btype, pos + header, min(pos + size, end)
        pos += size


def _walk_bmff(data: bytes, blocks: Blocks) -> None:
    n = len(data)
    for btype, s, e in _boxes(data, 0, n):
        if btype == b"meta":
            _bmff_meta(data, s + 4, e, blocks)
        elif btype == b"Exif" and e - s > 4:  # JPEG XL: 4-byte offset, then TIFF
            off = struct.unpack(">I", data[s:s + 4])[0]
            blocks.exif.append(Block(data[s + 4 + off:e], "JXL Exif box"))
        elif btype == b"xml ":
            blocks.xmp.append(Block(data[s:e], "JXL xml box"))
        elif btype == b"uuid" and data[s:s + 16] == XMP_UUID:
            blocks.xmp.append(Block(data[s + 16:e], "BMFF XMP uuid box"))
        elif btype in (b"jumb", b"c2pa"):
            blocks.c2pa = True
        elif btype == b"uuid" and b"c2pa" in data[s + 16:s + 64]:
            blocks.c2pa = True
        elif btype == b"brob":
            blocks.notes.append("JPEG XL brotli-compressed metadata box not read")


def _bmff_meta(data: bytes, start: int, end: int, blocks: Blocks) -> None:
    items: dict[int, tuple[bytes, str]] = {}
    locations: dict[int, list[tuple[int, int]]] = {}
    methods: dict[int, int] = {}
    idat = (0, 0)
    for btype, s, e in _boxes(data, start, end):
        if btype == b"iinf":
            items = _iinf(data, s, e)
        elif btype == b"iloc":
            locations, methods = _iloc(data, s, e)
        elif btype == b"idat":
            idat = (s, e)
    for item_id, (itype, content_type) in items.items():
        kind = "exif" if itype == b"Exif" else "xmp" if (itype == b"mime" and "rdf+xml" in content_type) else None
        if kind is None or item_id not in locations:
            continue
        base = idat[0] if methods.get(item_id) == 1 else 0
        payload = b"".join(data[base + o:base + o + ln] for o, ln in locations[item_id])
        where = f"HEIF item {item_id} ({itype.decode('latin-1')})"
        if kind == "exif":
            if len(payload) < 4:
                continue
            off = struct.unpack(">I", payload[:4])[0]
            body = payload[4 + off:] if 4 + off < len(payload) else payload[4:]
            i = min((x for x in (body.find(b"II*\x00"), body.find(b"MM\x00*")) if x >= 0), default=-1)
            if i > 0:
                body = body[i:]
            blocks.exif.append(Block(body, where))
        else:
            blocks.xmp.append(Block(payload, where))


def _iinf(data: bytes, s: int, e: int) -> dict[int, tuple[bytes, str]]:
    version = data[s]
    pos = s + 4 + (2 if version == 0 else 4)
    items: dict[int, tuple[bytes, str]] = {}
    for btype, bs, be in _boxes(data, pos, e):
        if btype != b"infe":
            continue
        v = data[bs]
        if v < 2:
            continue
        p = bs + 4
        if v == 2:
            item_id = struct.unpack(">H", data[p:p + 2])[0]
            p += 2
        else:
            item_id = struct.unpack(">I", data[p:p + 4])[0]
            p += 4
        p += 2  # protection index
        itype = data[p:p + 4]
        p += 4
        name_end = data.find(b"\x00", p, be)
        content_type = ""
        if itype == b"mime" and name_end >= 0:
            ct_end = data.find(b"\x00", name_end + 1, be)
            content_type = data[name_end + 1:ct_end if ct_end >= 0 else be].decode("latin-1")
        items[item_id] = (itype, content_type)
    return items


def _read_uint(data: bytes, pos: int, size: int) -> tuple[int, int]:
    if size == 0:
        return 0, pos
    if pos + size > len(data):
        raise ValueError("iloc runs past the data")
    return int.from_bytes(data[pos:pos + size], "big"), pos + size


def _iloc(data: bytes, s: int, e: int) -> tuple[dict[int, list[tuple[int, int]]], dict[int, int]]:
    version = data[s]
    pos = s + 4
    offset_size, length_size = data[pos] >> 4, data[pos] & 15
    base_size, index_size = data[pos + 1] >> 4, (data[pos + 1] & 15 if version in (1, 2) else 0)
    pos += 2
    count, pos = _read_uint(data, pos, 2 if version < 2 else 4)
    locations: dict[int, list[tuple[int, int]]] = {}
    methods: dict[int, int] = {}
    for _ in range(min(count, MAX_CHUNKS)):
        item_id, pos = _read_uint(data, pos, 2 if version < 2 else 4)
        method = 0
        if version in (1, 2):
            m, pos = _read_uint(data, pos, 2)
            method = m & 15
        pos += 2  # data reference index
        base, pos = _read_uint(data, pos, base_size)
        n_ext, pos = _read_uint(data, pos, 2)
        extents = []
        for _ in range(min(n_ext, 1000)):
            if index_size:
                _, pos = _read_uint(data, pos, index_size)
            off, pos = _read_uint(data, pos, offset_size)
            ln, pos = _read_uint(data, pos, length_size)
            extents.append((base + off, ln))
        locations[item_id] = extents
        methods[item_id] = method
        if pos > e:
            break
    return locations, methods


# --------------------------------------------------------------------------- PSD

def _walk_psd(data: bytes, blocks: Blocks) -> None:
    pos = 26
    cm_len = struct.unpack(">I", data[pos:pos + 4])[0]
    pos += 4 + cm_len
    ir_len = struct.unpack(">I", data[pos:pos + 4])[0]
    _photoshop_irb(data[pos + 4:pos + 4 + ir_len], blocks, "PSD image resources")


_WALKERS = {
    "JPEG": _walk_jpeg,
    "PNG": _walk_png,
    "WEBP": _walk_webp,
    "TIFF": _walk_tiff,
    "HEIF": _walk_bmff,
    "AVIF": _walk_bmff,
    "JXL": _walk_bmff,
    "PSD": _walk_psd,
}


# --------------------------------------------------------------------------- trailers

def _trailers(data: bytes, blocks: Blocks) -> None:
    """IPTC kept in a trailer after the image: FotoWare FotoStation (common in Nordic picture
    archives) and AFCP. ExifTool reads both (as IPTC2); we use them when the standard place is empty."""
    end = len(data)
    for _ in range(16):  # FotoStation records, read backwards from the end
        if end < 10:
            break
        tag, size, sig = struct.unpack(">HII", data[end - 10:end])
        if sig != 0xA1B2C3D4 or size < 10 or size > end:
            break
        if tag == 1:
            blocks.iptc.append(Block(data[end - size:end - 10], "FotoStation trailer"))
            blocks.notes.append("IPTC read from a FotoStation trailer (not the standard place)")
        end -= size
    if blocks.iptc or len(data) < 24 or data[-12:-9] != b"AXS" or data[-9:-8] not in (b"!", b"*"):
        return
    endian = ">" if data[-9:-8] == b"!" else "<"
    start = struct.unpack(endian + "I", data[-8:-4])[0]
    if start + 12 > len(data) or data[start:start + 3] != b"AXS":
        return
    count = struct.unpack(endian + "H", data[start + 6:start + 8])[0]
    pos = start + 12
    for _ in range(min(count, 256)):
        tag = data[pos:pos + 4]
        size, offset = struct.unpack(endian + "II", data[pos + 4:pos + 12])
        if tag == b"IPTC" and offset + size <= len(data):
            blocks.iptc.append(Block(data[offset:offset + size], "AFCP trailer"))
            blocks.notes.append("IPTC read from an AFCP trailer (not the standard place)")
            return
        pos += 12


# --------------------------------------------------------------------------- byte scans (fallback)

_XMP_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?x[ma]pmeta[\s>]|<rdf:RDF[\s>]")


def _scan(data: bytes, blocks: Blocks) -> None:
    """For formats we do not walk (GIF, SVG, sidecar .xmp, unknown) or when the walk broke:
    look for an XMP packet and a Photoshop IPTC resource by their signatures."""
    if not blocks.xmp:
        m = _XMP_START.search(data)
        if m:
            start = data.rfind(b"<?xpacket begin", max(0, m.start() - 200), m.start())
            doctype = data.rfind(b"<!DOCTYPE", 0, m.start())
            start = doctype if doctype >= 0 and (start < 0 or doctype < start) and m.start() - doctype < 1_000_000 else start
            begin = start if start >= 0 else m.start()
            blocks.xmp.append(Block(data[begin:], f"XMP packet found by byte scan at {begin}"))
    if not blocks.iptc:
        i = data.find(b"8BIM\x04\x04")
        if i >= 0:
            _photoshop_irb(data[i:], blocks, f"8BIM resource found by byte scan at {i}")
    if not blocks.c2pa and b"c2pa" in data and (b"jumb" in data or b"jumd" in data):
        blocks.c2pa = True
