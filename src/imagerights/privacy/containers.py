"""Lossless, container-level metadata edits for JPEG, PNG, WebP and TIFF.

Each function takes the original bytes and returns ``(new bytes, Changes)``. Image data is
copied byte for byte (JPEG entropy-coded scans, PNG IDAT, WebP VP8/VP8L/ALPH, TIFF strips):
nothing is decoded or re-encoded here.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field

from imagerights.privacy import fields as F
from imagerights.privacy.tiff_edit import TiffEditor, TiffError
from imagerights.privacy.xmp_edit import XmpError, strip_packet, wrap

EXIF_HEADER = b"Exif\x00\x00"
XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
EXT_XMP_HEADER = b"http://ns.adobe.com/xmp/extension/\x00"
MAX_TEXT_CHUNK = 8 * 1024 * 1024


class StripError(ValueError):
    """The file cannot be stripped safely (nothing is written)."""


@dataclass
class Changes:
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _exif(payload: bytes, ch: Changes, exif_block: bool = True) -> bytes:
    """Strip a TIFF-structured EXIF block (no ``Exif\\0\\0`` prefix); unreadable → removed whole."""
    buf = bytearray(payload)
    try:
        edit = TiffEditor(buf, 0, exif_block=exif_block).strip()
    except (TiffError, struct.error, IndexError) as exc:
        ch.removed.append(f"EXIF block (unreadable, removed whole: {exc})")
        return b""
    ch.removed += edit.removed
    ch.kept += edit.kept
    return bytes(buf)


def _xmp(packet: bytes, ch: Changes, size: int | None = None) -> bytes:
    """Edited XMP packet; an unreadable (malformed or hostile) packet is removed whole."""
    try:
        new, edit = strip_packet(packet, size)
    except XmpError as exc:
        ch.removed.append(f"XMP packet (removed whole: {exc})")
        ch.notes.append("the XMP packet could not be read safely, so its rights fields were removed too")
        return b""
    ch.removed += edit.removed
    ch.kept += ["XMP packet (rights properties)"]
    ch.kept += [f"{p} (place name — review)" for p in edit.kept_places]
    return new


def _has_location(blob: bytes) -> bool:
    return any(m in blob for m in F.LOCATION_MARKERS)


# ---- JPEG --------------------------------------------------------------------------------

def jpeg_segments(data: bytes) -> tuple[list[tuple[int, bytes]], int, int]:
    """Marker segments before the first SOS as ``(marker, payload)``, the SOS position and the
    position just after EOI (``len(data)`` when EOI is missing)."""
    if not data.startswith(b"\xff\xd8"):
        raise StripError("not a JPEG file")
    segs: list[tuple[int, bytes]] = []
    pos, n = 2, len(data)
    while True:
        if pos + 4 > n:
            raise StripError("JPEG ends before the image data")
        if data[pos] != 0xFF:
            raise StripError(f"JPEG marker expected at byte {pos}")
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if marker == 0xDA:
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        if length < 2 or pos + 2 + length > n:
            raise StripError(f"JPEG segment at byte {pos} is truncated")
        segs.append((marker, data[pos + 4:pos + 2 + length]))
        pos += 2 + length
    sos = pos
    # walk the scans: markers inside entropy-coded data are FF00 (stuffing) or RSTn
    while pos < n - 1:
        if data[pos] != 0xFF:
            pos += 1
            continue
        marker = data[pos + 1]
        if marker == 0x00 or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            pos += 1 if marker == 0xFF else 2
            continue
        if marker == 0xD9:
            return segs, sos, pos + 2
        if pos + 4 > n:
            break
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])  # DHT, SOS, DQT… between scans
        pos += 2 + max(length, 2)
    return segs, sos, n


def _segment(marker: int, payload: bytes) -> bytes:
    if len(payload) + 2 > 0xFFFF:
        raise StripError("edited JPEG segment does not fit in 64 KB")
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


def strip_jpeg(data: bytes) -> tuple[bytes, Changes]:
    ch = Changes()
    segs, sos, eoi_end = jpeg_segments(data)
    out = bytearray(b"\xff\xd8")
    c2pa = [p for m, p in segs if m == 0xEB and p[:2] == b"JP"]
    drop_c2pa = bool(c2pa) and _has_location(b"".join(c2pa))
    for marker, payload in segs:
        if marker == 0xE1 and payload.startswith(EXIF_HEADER):
            body = _exif(payload[6:], ch)
            if body:
                out += _segment(marker, EXIF_HEADER + body)
            continue
        if marker == 0xE1 and payload.startswith(XMP_HEADER):
            packet = _xmp(payload[len(XMP_HEADER):], ch)
            if packet:
                out += _segment(marker, XMP_HEADER + packet)
            continue
        if marker == 0xE1 and payload.startswith(EXT_XMP_HEADER):
            if "XMP ExtendedXMP segments" not in ch.removed:
                ch.removed.append("XMP ExtendedXMP segments")
            continue
        if marker == 0xE2 and payload.startswith(b"MPF\x00"):
            ch.removed.append("MPF index of embedded secondary images")
            continue
        if marker == 0xE6 and payload.startswith(b"GoPro"):
            ch.removed.append("GoPro APP6 (camera serial number, telemetry)")
            continue
        if marker == 0xEB and payload[:2] == b"JP":
            if drop_c2pa:
                if "Content Credentials (they contain location data)" not in ch.removed:
                    ch.removed.append("Content Credentials (they contain location data)")
                continue
            if "Content Credentials (C2PA)" not in ch.kept:
                ch.kept.append("Content Credentials (C2PA)")
                ch.notes.append("the Content Credentials are kept but will no longer validate: the file changed after signing")
        if marker == 0xED:
            ch.kept.append("IPTC/Photoshop APP13 (unchanged)")
        out += _segment(marker, payload)
    out += data[sos:eoi_end]
    if eoi_end < len(data):
        ch.removed.append(f"{len(data) - eoi_end:,} bytes after the end of the image (embedded images or trailer data)")
    return bytes(out), ch


# ---- PNG ---------------------------------------------------------------------------------

PNG_SIG = b"\x89PNG\r\n\x1a\n"


def _chunk(ctype: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + ctype + payload + struct.pack(">I", zlib.crc32(ctype + payload) & 0xFFFFFFFF)


def _inflate(payload: bytes) -> bytes:
    d = zlib.decompressobj()
    out = d.decompress(payload, MAX_TEXT_CHUNK + 1)
    if len(out) > MAX_TEXT_CHUNK or d.unconsumed_tail:
        raise StripError("compressed text chunk is too large")
    return out


def _png_itxt(payload: bytes, ch: Changes) -> bytes | None:
    """iTXt: keyword\\0 flag method lang\\0 translated\\0 text. Returns the new chunk payload (None = drop)."""
    keyword, _, rest = payload.partition(b"\x00")
    if keyword != b"XML:com.adobe.xmp":
        if keyword.lower().startswith(b"raw profile type"):
            return _png_raw_profile(keyword, payload, ch, itxt=True)
        return payload
    if len(rest) < 2:
        return payload
    flag, method, rest = rest[0], rest[1], rest[2:]
    lang, _, rest = rest.partition(b"\x00")
    translated, _, text = rest.partition(b"\x00")
    if flag:
        text = _inflate(text)
    packet = _xmp(text, ch)
    if not packet:
        return None
    return keyword + b"\x00" + b"\x00\x00" + lang + b"\x00" + translated + b"\x00" + packet


def _png_raw_profile(keyword: bytes, payload: bytes, ch: Changes, itxt: bool = False) -> bytes | None:
    """ImageMagick's hex "Raw profile type exif/xmp/app1": location inside → removed whole (reported)."""
    if _has_location(payload) or b"exif" in keyword.lower() or b"app1" in keyword.lower() or b"xmp" in keyword.lower():
        ch.removed.append(f"PNG text chunk '{keyword.decode('latin-1')}' (hex-encoded metadata copy)")
        return None
    return payload


def strip_png(data: bytes) -> tuple[bytes, Changes]:
    ch = Changes()
    if not data.startswith(PNG_SIG):
        raise StripError("not a PNG file")
    out = bytearray(PNG_SIG)
    pos, n = 8, len(data)
    chunks = []
    while pos + 8 <= n:
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        ctype = data[pos + 4:pos + 8]
        if pos + 12 + length > n:
            raise StripError(f"PNG chunk {ctype!r} is truncated")
        chunks.append((ctype, data[pos + 8:pos + 8 + length], data[pos:pos + 12 + length]))
        pos += 12 + length
        if ctype == b"IEND":
            break
    if not chunks or chunks[-1][0] != b"IEND":
        raise StripError("PNG has no IEND chunk")
    cabx = b"".join(p for t, p, _ in chunks if t == b"caBX")
    for ctype, payload, raw in chunks:
        if ctype == b"eXIf":
            body = payload[6:] if payload.startswith(EXIF_HEADER) else payload
            new = _exif(body, ch)
            if new:
                out += _chunk(ctype, new)
            continue
        if ctype == b"iTXt":
            new = _png_itxt(payload, ch)
            if new is not None:
                out += raw if new is payload else _chunk(ctype, new)
            continue
        if ctype in (b"tEXt", b"zTXt"):
            keyword = payload.partition(b"\x00")[0]
            if keyword.lower().startswith(b"raw profile type"):
                if _png_raw_profile(keyword, payload, ch) is None:
                    continue
            out += raw
            continue
        if ctype == b"caBX":
            if _has_location(cabx):
                ch.removed.append("Content Credentials (they contain location data)")
                continue
            ch.kept.append("Content Credentials (C2PA)")
            ch.notes.append("the Content Credentials are kept but will no longer validate: the file changed after signing")
        out += raw
    if pos < n:
        ch.removed.append(f"{n - pos:,} bytes after the PNG end chunk")
    return bytes(out), ch


# ---- WebP (RIFF) -------------------------------------------------------------------------

def strip_webp(data: bytes) -> tuple[bytes, Changes]:
    ch = Changes()
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise StripError("not a WebP file")
    (riff_size,) = struct.unpack("<I", data[4:8])
    end = min(len(data), 8 + riff_size)
    pos = 12
    body = bytearray()
    vp8x_at = None
    has_exif = has_xmp = False
    chunks = []
    while pos + 8 <= end:
        ctype = data[pos:pos + 4]
        (length,) = struct.unpack("<I", data[pos + 4:pos + 8])
        if pos + 8 + length > end:
            raise StripError(f"WebP chunk {ctype!r} is truncated")
        chunks.append((ctype, data[pos + 8:pos + 8 + length]))
        pos += 8 + length + (length & 1)
    c2pa = b"".join(p for t, p in chunks if t == b"C2PA")
    for ctype, payload in chunks:
        if ctype == b"EXIF":
            prefix = EXIF_HEADER if payload.startswith(EXIF_HEADER) else b""
            new = _exif(payload[len(prefix):], ch)
            if not new:
                continue
            payload = prefix + new
            has_exif = True
        elif ctype == b"XMP ":
            payload = _xmp(payload, ch)
            if not payload:
                continue
            has_xmp = True
        elif ctype == b"C2PA":
            if _has_location(c2pa):
                ch.removed.append("Content Credentials (they contain location data)")
                continue
            ch.kept.append("Content Credentials (C2PA)")
            ch.notes.append("the Content Credentials are kept but will no longer validate: the file changed after signing")
        if ctype == b"VP8X":
            vp8x_at = len(body) + 8
        body += ctype + struct.pack("<I", len(payload)) + payload + (b"\x00" if len(payload) & 1 else b"")
    if vp8x_at is not None:  # flags: bit 3 EXIF, bit 2 XMP
        flags = body[vp8x_at]
        flags = (flags | 0x08) if has_exif else (flags & ~0x08)
        flags = (flags | 0x04) if has_xmp else (flags & ~0x04)
        body[vp8x_at] = flags & 0xFF
    if end < len(data):
        ch.removed.append(f"{len(data) - end:,} bytes after the RIFF container")
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + bytes(body), ch


# ---- TIFF --------------------------------------------------------------------------------

def strip_tiff(data: bytes) -> tuple[bytes, Changes]:
    ch = Changes()
    buf = bytearray(data)
    try:
        editor = TiffEditor(buf, 0, exif_block=False)
        edit = editor.strip()
    except (TiffError, struct.error, IndexError) as exc:
        raise StripError(f"TIFF structure cannot be edited safely: {exc}") from None
    ch.removed += edit.removed
    ch.kept += edit.kept
    # XMP (tag 700): edited in place when the new packet fits, else appended
    for entry_pos, start, count in sorted(edit.xmp, key=lambda x: -x[1]):
        packet = bytes(buf[start:start + count])
        new = _xmp(packet, ch, size=count)
        if new == packet:
            continue
        if not new:  # unreadable packet: replaced by an empty one (NULs if even that does not fit)
            empty = wrap('<x:xmpmeta xmlns:x="adobe:ns:meta/"/>', size=count)
            buf[start:start + count] = empty if len(empty) == count else bytes(count)
            continue
        editor.replace_value(entry_pos, start, count, new)
    return bytes(buf), ch


STRIPPERS = {"JPEG": strip_jpeg, "MPO": strip_jpeg, "PNG": strip_png, "WEBP": strip_webp, "TIFF": strip_tiff}
