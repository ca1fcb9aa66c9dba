"""Raw metadata blocks as the container walkers find them, and Photoshop resource blocks.

Shared by the walkers (containers.py, png.py, bmff.py) and the readers (exif.py, iptc.py, xmp.py).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

MAX_CHUNKS = 100_000  # more chunks/boxes/entries than any real file has: stop walking


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


def add_photoshop_irb(data: bytes, blocks: Blocks, where: str) -> None:
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
