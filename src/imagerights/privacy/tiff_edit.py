"""Edit a TIFF structure (an EXIF block or a whole TIFF file) in place, without re-layout.

Removing a tag means: drop its entry from the IFD (the entry list is compacted and the
freed slot zeroed) and overwrite its out-of-line value with zero bytes — so the data is
gone from the file, not merely unreferenced. Sub-IFDs (GPS) and the EXIF thumbnail IFD are
zeroed the same way. Nothing moves, so every offset that stays (strips, tiles, other values,
MakerNote-internal offsets of other tags) stays valid and the pixels are untouched.

Zeroing is restricted to bytes no kept structure uses: a malformed file whose removed
value overlaps a kept value (or image data) keeps the overlapping bytes.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from imagerights.privacy import fields as F

TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8, 129: 1}
MAX_IFDS = 512  # page chains in hostile files can loop
MAX_ENTRIES = 4096


class TiffError(ValueError):
    """The structure cannot be edited safely."""


@dataclass
class Entry:
    tag: int
    typ: int
    count: int
    raw: bytes  # the 4 value/offset bytes
    pos: int  # absolute position of the 12-byte entry

    def size(self) -> int:
        return TYPE_SIZES.get(self.typ, 1) * self.count


@dataclass
class Edit:
    """What an edit removed and found (names for the report)."""

    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    xmp: list[tuple[int, int, int]] = field(default_factory=list)  # (entry pos, value offset, count) of tag 700


class TiffEditor:
    def __init__(self, buf: bytearray, base: int = 0, end: int | None = None, exif_block: bool = True):
        self.buf = buf
        self.base = base
        self.end = len(buf) if end is None else end
        self.exif_block = exif_block  # IFD1 is a thumbnail (EXIF) rather than a page (TIFF file)
        order = bytes(buf[base:base + 2])
        if order == b"II":
            self.e = "<"
        elif order == b"MM":
            self.e = ">"
        else:
            raise TiffError("not a TIFF structure (byte order mark missing)")
        (magic,) = struct.unpack(self.e + "H", buf[base + 2:base + 4])
        if magic == 43:
            raise TiffError("BigTIFF is not supported")
        if magic != 42:
            raise TiffError(f"not a TIFF structure (magic {magic})")
        self.zero: list[tuple[int, int]] = []  # absolute ranges to clear
        self.keep: list[tuple[int, int]] = [(base, base + 8)]
        self.edit = Edit()
        self._seen: set[int] = set()

    # ---- low level ------------------------------------------------------------------------
    def u16(self, pos: int) -> int:
        return struct.unpack(self.e + "H", self.buf[pos:pos + 2])[0]

    def u32(self, pos: int) -> int:
        return struct.unpack(self.e + "I", self.buf[pos:pos + 4])[0]

    def abs(self, off: int) -> int:
        return self.base + off

    def in_bounds(self, start: int, length: int) -> bool:
        return self.base <= start and start + length <= self.end and length >= 0

    def entries(self, ifd: int) -> list[Entry]:
        pos = self.abs(ifd)
        if not self.in_bounds(pos, 2):
            raise TiffError(f"IFD offset {ifd} outside the data")
        n = self.u16(pos)
        if n > MAX_ENTRIES or not self.in_bounds(pos, 2 + 12 * n + 4):
            raise TiffError(f"IFD at {ifd} has an impossible entry count {n}")
        out = []
        for i in range(n):
            p = pos + 2 + 12 * i
            tag, typ, count = struct.unpack(self.e + "HHI", self.buf[p:p + 8])
            out.append(Entry(tag, typ, count, bytes(self.buf[p + 8:p + 12]), p))
        return out

    def value_range(self, ent: Entry) -> tuple[int, int] | None:
        """Absolute byte range of an out-of-line value (None when it fits in the entry)."""
        size = ent.size()
        if size <= 4:
            return None
        off = struct.unpack(self.e + "I", ent.raw)[0]
        start = self.abs(off)
        if not self.in_bounds(start, size):
            return None  # broken offset: nothing of ours to clear there
        return start, start + size

    def offsets(self, ent: Entry) -> list[int]:
        """Values of a SHORT/LONG array tag (strip offsets and counts)."""
        size = ent.size()
        if ent.typ not in (3, 4) or ent.count > 1_000_000:
            return []
        fmt = self.e + ("H" if ent.typ == 3 else "I") * ent.count
        if size <= 4:
            return list(struct.unpack(fmt, ent.raw[:size]))
        rng = self.value_range(ent)
        if rng is None:
            return []
        return list(struct.unpack(fmt, self.buf[rng[0]:rng[1]]))

    # ---- structure walk -----------------------------------------------------------------
    def _keep_ifd(self, ifd: int, ents: list[Entry]) -> None:
        pos = self.abs(ifd)
        self.keep.append((pos, pos + 2 + 12 * len(ents) + 4))
        for ent in ents:
            rng = self.value_range(ent)
            if rng:
                self.keep.append(rng)
        by_tag = {e.tag: e for e in ents}
        for off_tag, cnt_tag in ((F.STRIP_OFFSETS, F.STRIP_COUNTS), (F.TILE_OFFSETS, F.TILE_COUNTS),
                                 (F.THUMB_OFFSET, F.THUMB_LENGTH)):
            if off_tag in by_tag and cnt_tag in by_tag:
                for off, cnt in zip(self.offsets(by_tag[off_tag]), self.offsets(by_tag[cnt_tag])):
                    start = self.abs(off)
                    if self.in_bounds(start, cnt):
                        self.keep.append((start, start + cnt))

    def _drop_ifd(self, ifd: int, label: str) -> int:
        """Mark a whole (sub-)IFD and its values for zeroing; returns the number of tags."""
        if ifd in self._seen:
            return 0
        self._seen.add(ifd)
        try:
            ents = self.entries(ifd)
        except TiffError:
            return 0
        pos = self.abs(ifd)
        self.zero.append((pos, pos + 2 + 12 * len(ents) + 4))
        by_tag = {e.tag: e for e in ents}
        for ent in ents:
            rng = self.value_range(ent)
            if rng:
                self.zero.append(rng)
        if F.THUMB_OFFSET in by_tag and F.THUMB_LENGTH in by_tag:  # the thumbnail JPEG itself
            for off, cnt in zip(self.offsets(by_tag[F.THUMB_OFFSET]), self.offsets(by_tag[F.THUMB_LENGTH])):
                if self.in_bounds(self.abs(off), cnt):
                    self.zero.append((self.abs(off), self.abs(off) + cnt))
        return len(ents)

    def _rewrite_ifd(self, ifd: int, ents: list[Entry], keep: list[Entry], next_ifd: int | None) -> None:
        """Write ``keep`` back over the IFD at ``ifd`` (compacted), then the next-IFD pointer."""
        pos = self.abs(ifd)
        old_len = 2 + 12 * len(ents) + 4
        if next_ifd is None:
            next_ifd = self.u32(pos + 2 + 12 * len(ents))
        out = bytearray(struct.pack(self.e + "H", len(keep)))
        for ent in keep:
            out += struct.pack(self.e + "HHI", ent.tag, ent.typ, ent.count) + ent.raw
        out += struct.pack(self.e + "I", next_ifd)
        out += bytes(old_len - len(out))
        self.buf[pos:pos + old_len] = out

    def _sub_ifd(self, ent: Entry) -> int | None:
        if ent.typ not in (4, 9, 13) or ent.count < 1:
            return None
        return struct.unpack(self.e + "I", ent.raw)[0]

    def _process_ifd(self, ifd: int, where: str, depth: int = 0) -> None:
        if ifd in self._seen or depth > 4:
            return
        self._seen.add(ifd)
        ents = self.entries(ifd)
        keep: list[Entry] = []
        for ent in ents:
            name = F.REMOVED_TAGS.get(ent.tag)
            if ent.tag == F.TAG_GPS_IFD:
                sub = self._sub_ifd(ent)
                n = self._drop_ifd(sub, "GPS") if sub is not None else 0
                self.edit.removed.append(f"EXIF GPS IFD ({n} tags)")
                continue
            if name:
                rng = self.value_range(ent)
                if rng:
                    self.zero.append(rng)
                self.edit.removed.append(f"EXIF {where}:{name}")
                continue
            if ent.tag in F.RIGHTS_TAGS:
                self.edit.kept.append(f"EXIF {where}:{F.RIGHTS_TAGS[ent.tag]}")
            elif ent.tag == F.TAG_IPTC:
                self.edit.kept.append(f"IPTC ({where} tag 33723, unchanged)")
            keep.append(ent)
        if len(keep) != len(ents):
            self._rewrite_ifd(ifd, ents, keep, None)
        ents_now = self.entries(ifd)
        self._keep_ifd(ifd, ents_now)
        for ent in ents_now:
            if ent.tag == F.TAG_XMP and ent.typ in (1, 7):
                rng = self.value_range(ent)
                if rng:
                    self.edit.xmp.append((ent.pos, rng[0], ent.count))
            if ent.tag in (F.TAG_EXIF_IFD, F.TAG_INTEROP_IFD):
                sub = self._sub_ifd(ent)
                if sub is not None:
                    try:
                        self._process_ifd(sub, "ExifIFD" if ent.tag == F.TAG_EXIF_IFD else "InteropIFD", depth + 1)
                    except TiffError as exc:
                        raise TiffError(f"{where} sub-IFD: {exc}") from None

    def strip(self) -> Edit:
        """Remove location and personal tags (see ``fields``) from every IFD; return what changed."""
        first = self.u32(self.base + 4)
        ifd = first
        index = 0
        prev_next_pos: int | None = None
        while ifd and index < MAX_IFDS:
            if ifd in self._seen:
                break
            if self.exif_block and index == 1:
                n = self._drop_ifd(ifd, "IFD1")
                self.edit.removed.append(f"EXIF IFD1 thumbnail ({n} tags)")
                if prev_next_pos is not None:
                    self.buf[prev_next_pos:prev_next_pos + 4] = bytes(4)
                break
            self._process_ifd(ifd, "IFD0" if index == 0 else f"IFD{index}")
            count = self.u16(self.abs(ifd))
            prev_next_pos = self.abs(ifd) + 2 + 12 * count
            ifd = self.u32(prev_next_pos)
            index += 1
        self._apply_zero()
        return self.edit

    def _apply_zero(self) -> None:
        keep = sorted(self.keep)
        for start, end in self.zero:
            cuts = [(start, end)]
            for ks, ke in keep:
                nxt = []
                for s, e in cuts:
                    if ke <= s or ks >= e:
                        nxt.append((s, e))
                    else:
                        if s < ks:
                            nxt.append((s, ks))
                        if ke < e:
                            nxt.append((ke, e))
                cuts = nxt
            for s, e in cuts:
                self.buf[s:e] = bytes(e - s)

    # ---- tag 700 (XMP) in TIFF files ----------------------------------------------------
    def replace_value(self, entry_pos: int, old_start: int, old_count: int, new: bytes) -> None:
        """Put ``new`` as the value of the entry at ``entry_pos``: in place when it fits
        (``new`` must then be exactly ``old_count`` bytes, padded by the caller), else
        appended at the end of the file, the old bytes zeroed."""
        if len(new) == old_count:
            self.buf[old_start:old_start + old_count] = new
            return
        self.buf[old_start:old_start + old_count] = bytes(old_count)
        if len(self.buf) % 2:
            self.buf += b"\x00"
        off = len(self.buf) - self.base
        self.buf += new
        self.buf[entry_pos + 4:entry_pos + 8] = struct.pack(self.e + "I", len(new))
        self.buf[entry_pos + 8:entry_pos + 12] = struct.pack(self.e + "I", off)


def scan(buf: bytes, base: int = 0, exif_block: bool = True) -> dict[str, list[str]]:
    """Read-only check: which removed-policy tags and sub-IFDs are still referenced.

    Returns ``{"present": [...], "rights": [...]}`` — used to verify a stripped file.
    """
    ed = TiffEditor(bytearray(buf), base, exif_block=exif_block)
    present: list[str] = []
    rights: list[str] = []
    seen: set[int] = set()

    def walk(ifd: int, where: str, depth: int) -> None:
        if ifd in seen or depth > 4:
            return
        seen.add(ifd)
        for ent in ed.entries(ifd):
            if ent.tag == F.TAG_GPS_IFD:
                present.append(f"{where}:GPSInfo")
            elif ent.tag in F.REMOVED_TAGS:
                present.append(f"{where}:{F.REMOVED_TAGS[ent.tag]}")
            elif ent.tag in F.RIGHTS_TAGS:
                rng = ed.value_range(ent)
                value = bytes(buf[rng[0]:rng[1]]) if rng else ent.raw[:ent.size()]
                rights.append(f"{where}:{F.RIGHTS_TAGS[ent.tag]}={value.hex()}")
            if ent.tag in (F.TAG_EXIF_IFD, F.TAG_INTEROP_IFD):
                sub = ed._sub_ifd(ent)
                if sub is not None:
                    walk(sub, "ExifIFD" if ent.tag == F.TAG_EXIF_IFD else "InteropIFD", depth + 1)

    ifd = ed.u32(base + 4)
    index = 0
    while ifd and index < MAX_IFDS and ifd not in seen:
        if exif_block and index == 1:
            present.append("IFD1 (thumbnail)")
            break
        walk(ifd, f"IFD{index}", 0)
        count = ed.u16(ed.abs(ifd))
        ifd = ed.u32(ed.abs(ifd) + 2 + 12 * count)
        index += 1
    return {"present": present, "rights": sorted(rights)}
