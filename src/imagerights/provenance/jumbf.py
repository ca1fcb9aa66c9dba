"""Find Content Credentials (C2PA manifest stores) by their bytes, without the C2PA SDK.

A C2PA manifest store is a JUMBF superbox whose description box (``jumd``) carries the
C2PA type UUID ``63327061-0011-0010-8000-00AA00389B71`` and the label ``c2pa``. Each
container puts it somewhere else (C2PA spec §A "Embedding manifests"):

* JPEG: APP11 segments ``FF EB`` with the JPEG-XT header ``JP`` + box instance + sequence;
* PNG: a ``caBX`` chunk;
* RIFF (WebP, WAV, AVI): a ``C2PA`` chunk;
* ISO BMFF (HEIF/HEIC, AVIF, MP4/MOV): a top-level ``uuid`` box with the C2PA UUID
  ``D8FEC3D6-1B0E-483C-9297-5828877EC481``;
* TIFF/DNG (tag 52545), GIF (application extension ``C2PA_GIF``) and others: found by the
  JUMBF signature itself.

A manifest may also live *outside* the file: XMP ``dcterms:provenance`` then holds its URL
(a "remote manifest"). We report that URL but never fetch it.

This is detection only: whether the manifest is intact, signed by whom and what it claims
needs the SDK (``imagerights[c2pa]``).
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

# jumd box: type "jumd", then the 16-byte content-type UUID whose first 4 bytes spell "c2pa"
C2PA_JUMD = b"jumd" + b"c2pa\x00\x11\x00\x10\x80\x00\x00\xaa\x00\x38\x9b\x71"
BMFF_C2PA_UUID = bytes.fromhex("D8FEC3D61B0E483C92975828877EC481")
_PROVENANCE = re.compile(rb"""dcterms:provenance\s*(?:=\s*["']([^"'<>]{1,2000})["']|>\s*([^<\s]{1,2000})\s*<)""")
MAX_SCAN = 64 * 1024 * 1024  # byte-level search window for the generic signature


@dataclass
class Detection:
    """Where Content Credentials were found (``container``) and/or where they point (``remote_url``)."""

    container: str = ""  # "JPEG APP11", "PNG caBX", "RIFF C2PA", "BMFF uuid", "JUMBF" (generic) or ""
    remote_url: str | None = None

    @property
    def present(self) -> bool:
        return bool(self.container or self.remote_url)

    @property
    def embedded(self) -> bool:
        return bool(self.container)


def _jpeg_app11(data: bytes) -> bool:
    """Walk the JPEG segments up to SOS looking for an APP11 JUMBF segment holding a C2PA store."""
    pos = 2
    n = len(data)
    while pos + 4 <= n:
        if data[pos] != 0xFF:
            return False
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        if marker in (0xDA, 0xD9):  # start of scan / end of image: metadata segments come before
            return False
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        if length < 2:
            return False
        payload = data[pos + 4:pos + 2 + length]
        if marker == 0xEB and payload[:2] == b"JP" and C2PA_JUMD in payload[:80]:
            return True
        pos += 2 + length
    return False


def _png_cabx(data: bytes) -> bool:
    pos = 8
    n = len(data)
    while pos + 8 <= n:
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        ctype = data[pos + 4:pos + 8]
        if ctype == b"caBX":
            return True
        if ctype == b"IEND" or length > n:
            return False
        pos += 12 + length
    return False


def _riff_c2pa(data: bytes) -> bool:
    pos = 12
    n = len(data)
    while pos + 8 <= n:
        ctype = data[pos:pos + 4]
        (length,) = struct.unpack("<I", data[pos + 4:pos + 8])
        if ctype == b"C2PA":
            return True
        pos += 8 + length + (length & 1)
    return False


def _bmff_uuid(data: bytes) -> bool:
    pos = 0
    n = len(data)
    while pos + 8 <= n:
        (size,) = struct.unpack(">I", data[pos:pos + 4])
        btype = data[pos + 4:pos + 8]
        header = 8
        if size == 1 and pos + 16 <= n:
            (size,) = struct.unpack(">Q", data[pos + 8:pos + 16])
            header = 16
        elif size == 0:
            size = n - pos
        if btype == b"uuid" and data[pos + header:pos + header + 16] == BMFF_C2PA_UUID:
            return True
        if size < header:
            return False
        pos += size
    return False


def remote_manifest_url(data: bytes) -> str | None:
    """The URL in XMP ``dcterms:provenance`` (a manifest stored in the cloud), if any."""
    idx = data.find(b"dcterms:provenance", 0, MAX_SCAN)
    if idx < 0:
        return None
    m = _PROVENANCE.search(data, idx, idx + 4200)
    if not m:
        return None
    raw = m.group(1) or m.group(2) or b""
    try:
        url = raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        return None
    return url if url.startswith(("http://", "https://")) else None


def detect(data: bytes) -> Detection:
    """Locate a C2PA manifest store in ``data`` (never raises)."""
    det = Detection()
    try:
        head = data[:16]
        if head.startswith(b"\xff\xd8"):
            if _jpeg_app11(data):
                det.container = "JPEG APP11"
        elif head.startswith(b"\x89PNG\r\n\x1a\n"):
            if _png_cabx(data):
                det.container = "PNG caBX"
        elif head[:4] == b"RIFF" and len(data) >= 12:
            if _riff_c2pa(data):
                det.container = "RIFF C2PA"
        elif head[4:8] == b"ftyp":
            if _bmff_uuid(data):
                det.container = "BMFF uuid"
        if not det.container and C2PA_JUMD in data[:MAX_SCAN]:
            det.container = "JUMBF"
        det.remote_url = remote_manifest_url(data)
    except Exception:  # noqa: BLE001 - detection must never break a check
        pass
    return det
