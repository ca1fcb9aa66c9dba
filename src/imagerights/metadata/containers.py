"""Find the raw metadata blocks (EXIF, XMP, IPTC, PNG text) in a file's bytes.

Why our own walkers instead of ``im.info``: they work when Pillow cannot open the
file (truncated, corrupt, HEIC without pillow-heif, sidecar .xmp), they see PNG text
chunks that sit after IDAT without decoding a single pixel, and they treat every
format the same way. Each walker only slices ``data``; lengths are checked against
the buffer so a lying length field can cut a block short but never read outside it.
Parsing the blocks is left to exif.py, iptc.py and xmp.py; PNG and ISO-BMFF walkers
live in png.py and bmff.py.
"""

from __future__ import annotations

import re
import struct
import zlib

from imagerights.metadata.blocks import MAX_CHUNKS, Block, Blocks, PngText, add_photoshop_irb, iter_irb  # noqa: F401
from imagerights.metadata.bmff import walk_bmff
from imagerights.metadata.png import walk_png
from imagerights.metadata.tiff import Tiff, TiffError

__all__ = ["Block", "Blocks", "PngText", "iter_irb", "locate", "sniff"]

XMP_SIG = b"http://ns.adobe.com/xap/1.0/\x00"
XMP_SIG_ALT = b"XMP\x00://ns.adobe.com/xap/1.0/\x00"
EXT_XMP_SIG = b"http://ns.adobe.com/xmp/extension/\x00"
PS_SIG = b"Photoshop 3.0\x00"
C2PA_TIFF_TAG = 0xCD41  # where c2pa-rs stores the JUMBF manifest store in TIFF


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
        add_photoshop_irb(b"".join(ps_parts), blocks, "JPEG APP13")


def _extended_xmp(seg: bytes, blocks: Blocks) -> None:
    """JPEG ExtendedXMP chunk: GUID(32) + full length(4) + offset(4) + data."""
    if len(seg) < 40:
        return
    guid = seg[:32]
    offset = struct.unpack(">I", seg[36:40])[0]
    blocks.extended_xmp.setdefault(guid, {})[offset] = seg[40:]


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
        add_photoshop_irb(ifd0[34377].raw, blocks, "TIFF tag 34377")
        if 33723 in ifd0:
            del blocks.iptc[before:]  # the IPTC tag is the standard place; the IRB copy only adds the digest


# --------------------------------------------------------------------------- PSD

def _walk_psd(data: bytes, blocks: Blocks) -> None:
    pos = 26
    cm_len = struct.unpack(">I", data[pos:pos + 4])[0]
    pos += 4 + cm_len
    ir_len = struct.unpack(">I", data[pos:pos + 4])[0]
    add_photoshop_irb(data[pos + 4:pos + 4 + ir_len], blocks, "PSD image resources")


_WALKERS = {
    "JPEG": _walk_jpeg,
    "PNG": walk_png,
    "WEBP": _walk_webp,
    "TIFF": _walk_tiff,
    "HEIF": walk_bmff,
    "AVIF": walk_bmff,
    "JXL": walk_bmff,
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
            # start at the packet's own <?xpacket …?> if it is right before; a DOCTYPE further up
            # belongs to the host document (SVG), not to the packet
            start = data.rfind(b"<?xpacket begin", max(0, m.start() - 200), m.start())
            begin = start if start >= 0 else m.start()
            blocks.xmp.append(Block(data[begin:], f"XMP packet found by byte scan at {begin}"))
    if not blocks.iptc:
        i = data.find(b"8BIM\x04\x04")
        if i >= 0:
            add_photoshop_irb(data[i:], blocks, f"8BIM resource found by byte scan at {i}")
    if not blocks.c2pa and b"c2pa" in data and (b"jumb" in data or b"jumd" in data):
        blocks.c2pa = True
