"""ISO base media file format (HEIF/HEIC, AVIF, JPEG XL container): find the Exif and XMP items.

HEIF keeps metadata as items: ``iinf`` names them (type ``Exif``, or ``mime`` with content
type ``application/rdf+xml``), ``iloc`` says where their bytes are. JPEG XL uses plain
``Exif`` and ``xml `` boxes. This lets us read HEIC without pillow-heif.
"""

from __future__ import annotations

import struct

from imagerights.metadata.blocks import MAX_CHUNKS, Block, Blocks

XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")


def _header(data: bytes, pos: int, end: int) -> tuple[bytes, int, int] | None:
    """(type, header length, declared size) of the box at ``pos``; a size-0 box runs to ``end``.
    None if its 64-bit size field is cut off."""
    size = struct.unpack(">I", data[pos:pos + 4])[0]
    btype = data[pos + 4:pos + 8]
    if size == 1:
        if pos + 16 > end:
            return None
        return btype, 16, struct.unpack(">Q", data[pos + 8:pos + 16])[0]
    return btype, 8, (end - pos if size == 0 else size)


def _boxes(data: bytes, start: int, end: int):
    """Yield (type, body start, body end) for the boxes in data[start:end]."""
    pos = start
    count = 0
    while pos + 8 <= end and count < MAX_CHUNKS:
        count += 1
        head = _header(data, pos, end)
        if head is None:
            return
        btype, header, size = head
        if size < header:
            raise ValueError(f"box {btype!r} at {pos} has size {size}")
        yield btype, pos + header, min(pos + size, end)
        pos += size


def shortfall(data: bytes) -> int:
    """How many bytes the file lacks: its top-level boxes claim more than it holds when it was
    cut short (0 = complete, or not a box structure this can judge)."""
    pos, n = 0, len(data)
    for _ in range(MAX_CHUNKS):
        if pos + 8 > n:
            return 0
        head = _header(data, pos, n)
        if head is None or head[2] < head[1]:
            return 0
        if pos + head[2] > n:
            return pos + head[2] - n
        pos += head[2]
    return 0


def walk_bmff(data: bytes, blocks: Blocks) -> None:
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
