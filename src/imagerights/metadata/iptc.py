"""IPTC-IIM (the "legacy IPTC" block): datasets, character set and the MWG digest.

IIM is a flat run of datasets ``0x1C record dataset length value``. We parse it from the
raw block ourselves (Pillow's ``getiptcinfo`` needs an opened image, and the whole point
is to still read IPTC when the image does not open) and decode text per 1:90.

The digest matters for reconciliation: Photoshop resource 0x0425 stores the MD5 of the
IIM block as it was when an XMP-aware tool last synchronised IIM and XMP. If it differs
from the MD5 of the current block, a non-XMP tool edited IIM afterwards, and MWG says
IIM wins over XMP.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass, field

from imagerights.metadata.blocks import Block, iter_irb
from imagerights.metadata.text import decode_iptc, iptc_is_utf8

# (record, dataset) → (ExifTool tag name, repeatable, IIM byte limit)
DATASETS: dict[tuple[int, int], tuple[str, bool, int]] = {
    (2, 5): ("ObjectName", False, 64),
    (2, 40): ("SpecialInstructions", False, 256),
    (2, 55): ("DateCreated", False, 8),
    (2, 60): ("TimeCreated", False, 11),
    (2, 80): ("By-line", True, 32),
    (2, 85): ("By-lineTitle", True, 32),
    (2, 110): ("Credit", False, 32),
    (2, 115): ("Source", False, 32),
    (2, 116): ("CopyrightNotice", False, 128),
    (2, 118): ("Contact", True, 128),
    (2, 120): ("Caption-Abstract", False, 2000),
    (2, 122): ("Writer-Editor", True, 32),
}
LIMITS = {name: limit for name, _rep, limit in DATASETS.values()}


class IptcError(ValueError):
    """The IIM block is present but not IIM."""


@dataclass
class Iptc:
    """Decoded IIM values keyed by ExifTool tag name (repeatable ones are lists)."""

    values: dict[str, str | list[str]] = field(default_factory=dict)
    raw_lengths: dict[str, list[int]] = field(default_factory=dict)  # byte lengths, for truncation recovery
    utf8: bool = False
    current_digest: str | None = None  # MD5 of the IIM block as it is now
    stored_digest: str | None = None  # Photoshop 0x0425 (written by XMP-aware tools)
    notes: list[str] = field(default_factory=list)

    @property
    def digest_matches(self) -> bool | None:
        """True/False when a stored digest exists, None when there is none."""
        if self.stored_digest is None:
            return None
        return self.stored_digest == self.current_digest


def datasets(data: bytes):
    """Yield (record, dataset, value bytes) for each dataset; stop at the first malformed one."""
    pos, n = 0, len(data)
    while pos + 5 <= n:
        if data[pos] != 0x1C:
            if data[pos] == 0 and not data[pos:].strip(b"\x00"):
                return  # NUL padding at the end
            raise IptcError(f"IIM tag marker expected at byte {pos}, found {data[pos]:#04x}")
        rec, ds = data[pos + 1], data[pos + 2]
        length = struct.unpack(">H", data[pos + 3:pos + 5])[0]
        header = 5
        if length & 0x8000:  # extended dataset: the next n bytes hold the length
            nbytes = length & 0x7FFF
            if nbytes > 8 or pos + 5 + nbytes > n:
                raise IptcError(f"bad extended IIM length at byte {pos}")
            length = int.from_bytes(data[pos + 5:pos + 5 + nbytes], "big")
            header += nbytes
        value = data[pos + header:pos + header + length]
        if len(value) < length:
            raise IptcError(f"IIM dataset {rec}:{ds} at byte {pos} runs past the block")
        yield rec, ds, value
        pos += header + length


def read_iptc(iim: Block, irb_blocks: list[Block]) -> Iptc:
    """Decode one IIM block (and find the stored digest in the Photoshop resources)."""
    out = Iptc(current_digest=hashlib.md5(iim.data).hexdigest())
    for b in irb_blocks:
        for rid, payload in iter_irb(b.data):
            if rid == 0x0425 and len(payload) == 16:
                out.stored_digest = payload.hex()
                break
    raw_items: list[tuple[int, int, bytes]] = []
    charset: bytes | None = None
    try:
        for rec, ds, value in datasets(iim.data):
            if (rec, ds) == (1, 90):
                charset = value
            raw_items.append((rec, ds, value))
    except IptcError as exc:
        if not raw_items:
            raise
        out.notes.append(f"IPTC: {exc}; datasets before it were kept")
    out.utf8 = iptc_is_utf8(charset)
    guessed = False
    for rec, ds, value in raw_items:
        spec = DATASETS.get((rec, ds))
        if spec is None:
            continue
        name, repeatable, _limit = spec
        d = decode_iptc(value, out.utf8)
        guessed |= d.guessed and d.encoding != "ascii"
        text = d.text.strip()
        if not text:
            continue
        out.raw_lengths.setdefault(name, []).append(len(value.rstrip(b"\x00")))
        if repeatable:
            lst = out.values.setdefault(name, [])
            assert isinstance(lst, list)
            lst.append(text)
        else:
            out.values.setdefault(name, text)
    if guessed:
        why = "although 1:90 declares UTF-8" if out.utf8 else "and there is no 1:90 character set"
        out.notes.append(f"IPTC text is not valid UTF-8 {why}: decoded as cp1252")
    return out
