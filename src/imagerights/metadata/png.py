"""PNG: chunks walked without decoding pixels (text after IDAT included), text decoded with caps.

eXIf → EXIF; iTXt/zTXt/tEXt ``XML:com.adobe.xmp`` → XMP; ImageMagick ``Raw profile type
exif/iptc/xmp`` → the matching block; every other text chunk is kept (``parameters``,
``prompt``, ``Author`` …). Compressed text stops at MAX_TEXT_BYTES (zip bombs).
"""

from __future__ import annotations

import struct
import zlib

from imagerights.metadata.blocks import MAX_CHUNKS, Block, Blocks, PngText, add_photoshop_irb

MAX_TEXT_BYTES = 4 * 1024 * 1024
XMP_SIG = b"http://ns.adobe.com/xap/1.0/\x00"


def walk_png(data: bytes, blocks: Blocks) -> None:
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
            add_photoshop_irb(payload, blocks, where)
        else:
            blocks.iptc.append(Block(payload, where))
    elif kind == "xmp":
        blocks.xmp.append(Block(payload, where))
