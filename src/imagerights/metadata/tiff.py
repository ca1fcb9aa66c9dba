"""A small, bounds-checked TIFF/EXIF directory walker.

Pillow parses EXIF for us, but it silently drops what it does not know — notably the
Exif 3.0 UTF-8 type (129) that may now legally carry Artist or Copyright — and TIFF
files keep their XMP (tag 700), IPTC (33723) and Photoshop resources (34377) as raw
IFD0 entries. This walker returns raw entry bytes and never reads outside ``data``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

# bytes per value for each TIFF field type; 129 = Exif 3.0 UTF-8
TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8, 129: 1}
MAX_ENTRIES = 1000  # more entries than any real IFD has: treat as corrupt

EXIF_IFD = 0x8769
GPS_IFD = 0x8825


class TiffError(ValueError):
    """The TIFF structure is unreadable (bad header, IFD offset outside the data …)."""


@dataclass
class Entry:
    tag: int
    type: int
    count: int
    raw: bytes  # the value bytes (may be shorter than declared when the data is truncated)
    truncated: bool = False


class Tiff:
    """A TIFF structure (an EXIF block or a whole TIFF file) held in memory."""

    def __init__(self, data: bytes):
        if data.startswith(b"Exif\x00\x00") or data.startswith(b"Exif\x00\xff"):
            data = data[6:]
        if len(data) < 8:
            raise TiffError("EXIF block shorter than a TIFF header")
        order = data[:2]
        if order == b"II":
            self.endian = "<"
        elif order == b"MM":
            self.endian = ">"
        else:
            raise TiffError(f"not a TIFF header (byte order {order!r})")
        magic = struct.unpack(self.endian + "H", data[2:4])[0]
        if magic != 42:
            raise TiffError(f"unsupported TIFF magic {magic}" + (" (BigTIFF)" if magic == 43 else ""))
        self.data = data
        self.ifd0_offset = struct.unpack(self.endian + "I", data[4:8])[0]

    @property
    def big_endian(self) -> bool:
        return self.endian == ">"

    def u16(self, raw: bytes) -> int:
        return struct.unpack(self.endian + "H", raw[:2])[0]

    def u32(self, raw: bytes) -> int:
        return struct.unpack(self.endian + "I", raw[:4])[0]

    def ifd(self, offset: int | None = None, wanted: frozenset[int] | set[int] | None = None) -> dict[int, Entry]:
        """The entries of the IFD at ``offset`` (IFD0 by default); only the ``wanted`` tags if given
        (values of other tags are never sliced). Raises TiffError if the directory is unreadable."""
        if offset is None:
            offset = self.ifd0_offset
        data = self.data
        if offset < 8 or offset + 2 > len(data):
            raise TiffError(f"IFD offset {offset} outside the {len(data)}-byte EXIF block")
        n = self.u16(data[offset:offset + 2])
        if n > MAX_ENTRIES:
            raise TiffError(f"IFD at {offset} claims {n} entries")
        entries: dict[int, Entry] = {}
        pos = offset + 2
        for _ in range(n):
            if pos + 12 > len(data):
                break  # truncated directory: keep what we have
            tag, typ = struct.unpack(self.endian + "HH", data[pos:pos + 4])
            if wanted is not None and tag not in wanted:
                pos += 12
                continue
            count = self.u32(data[pos + 4:pos + 8])
            size = TYPE_SIZES.get(typ)
            if size is None:
                pos += 12
                continue
            total = size * count
            if total <= 4:
                raw = data[pos + 8:pos + 8 + total]
                truncated = False
            else:
                start = self.u32(data[pos + 8:pos + 12])
                raw = data[start:start + total] if start < len(data) else b""
                truncated = len(raw) < total
            entries.setdefault(tag, Entry(tag, typ, count, raw, truncated))
            pos += 12
        return entries

    def next_ifd(self, offset: int | None = None) -> int:
        """The offset of the directory after the one at ``offset`` (IFD1, where a camera keeps
        its preview, after IFD0); 0 if there is none or the link is unreadable."""
        if offset is None:
            offset = self.ifd0_offset
        data = self.data
        if offset < 8 or offset + 2 > len(data):
            return 0
        link = offset + 2 + 12 * self.u16(data[offset:offset + 2])
        return self.u32(data[link:link + 4]) if link + 4 <= len(data) else 0

    def number(self, entry: Entry | None) -> int | None:
        """The first value of an offset-like entry (SHORT, LONG, SLONG or IFD, read unsigned)."""
        if entry is None or entry.type not in (3, 4, 9, 13) or len(entry.raw) < (2 if entry.type == 3 else 4):
            return None
        return self.u16(entry.raw) if entry.type == 3 else self.u32(entry.raw)

    def sub_ifd(self, parent: dict[int, Entry], tag: int, wanted: frozenset[int] | set[int] | None = None) -> dict[int, Entry]:
        """A sub-directory (Exif IFD, GPS IFD) pointed to by ``tag`` in ``parent``; {} if absent."""
        offset = self.number(parent.get(tag))
        return {} if offset is None else self.ifd(offset, wanted)
