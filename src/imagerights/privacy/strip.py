"""``strip_file``: a privacy-safe copy of an image — location and personal data out, rights in.

Guarantees:

* the original is opened read-only and never written; the copy goes to a new path (never the
  input path, never over an existing file unless ``force``), through a temporary file in the
  same folder that is renamed into place only after verification;
* the pixels are not re-encoded (segment/chunk-level edits; see ``containers``);
* the result is read back and verified: no removed field left, every rights field unchanged,
  the decoded pixels identical. A copy that fails verification is deleted and
  :class:`StripError` raised.

What is removed and kept is documented in :mod:`imagerights.privacy.fields`.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, UnidentifiedImageError

from imagerights.imaging import MAX_FILE_BYTES, MAX_PIXELS
from imagerights.privacy import fields as F
from imagerights.privacy.containers import (EXIF_HEADER, EXT_XMP_HEADER, STRIPPERS, XMP_HEADER, StripError,
                                            jpeg_segments)
from imagerights.privacy.tiff_edit import TiffError
from imagerights.privacy.tiff_edit import scan as scan_tiff
from imagerights.privacy.xmp_edit import XmpError
from imagerights.privacy.xmp_edit import properties as xmp_properties

SUPPORTED = ("JPEG", "PNG", "WEBP", "TIFF")


@dataclass
class StripReport:
    """What ``strip_file`` did. ``removed``/``kept`` name fields the way the report shows them."""

    source: str
    output: str
    format: str
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    verified: bool = False
    pixels_identical: bool = False
    problems: list[str] = field(default_factory=list)
    source_sha256: str = ""
    output_sha256: str = ""
    bytes_in: int = 0
    bytes_out: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# ---- reading metadata back (verification) -------------------------------------------------

@dataclass
class Inventory:
    """Privacy-relevant and rights-relevant content of one file, as our own readers see it."""

    present: list[str] = field(default_factory=list)  # removed-policy fields still there
    rights: list[str] = field(default_factory=list)  # rights fields with values
    unreadable: list[str] = field(default_factory=list)


def _inv_exif(block: bytes, inv: Inventory, exif_block: bool = True) -> None:
    try:
        res = scan_tiff(block, 0, exif_block=exif_block)
    except (TiffError, Exception) as exc:  # noqa: BLE001
        inv.unreadable.append(f"EXIF: {exc}")
        return
    inv.present += res["present"]
    inv.rights += res["rights"]


def _inv_xmp(packet: bytes, inv: Inventory) -> None:
    try:
        present, rights = xmp_properties(packet)
    except XmpError as exc:
        inv.unreadable.append(f"XMP: {exc}")
        return
    inv.present += [f"XMP {p}" for p in present]
    inv.rights += rights


def inventory(data: bytes, fmt: str) -> Inventory:
    inv = Inventory()
    if fmt in ("JPEG", "MPO"):
        segs, _sos, eoi_end = jpeg_segments(data)
        for marker, payload in segs:
            if marker == 0xE1 and payload.startswith(EXIF_HEADER):
                _inv_exif(payload[6:], inv)
            elif marker == 0xE1 and payload.startswith(XMP_HEADER):
                _inv_xmp(payload[len(XMP_HEADER):], inv)
            elif marker == 0xE1 and payload.startswith(EXT_XMP_HEADER):
                inv.present.append("XMP ExtendedXMP")
            elif marker == 0xED:
                inv.rights.append("APP13=" + hashlib.sha256(payload).hexdigest())
            elif marker == 0xE2 and payload.startswith(b"MPF\x00"):
                inv.present.append("MPF")
        if eoi_end < len(data):
            inv.present.append("data after end of image")
    elif fmt == "PNG":
        from imagerights.privacy.containers import _inflate  # noqa: PLC0415

        pos = 8
        while pos + 8 <= len(data):
            length = int.from_bytes(data[pos:pos + 4], "big")
            ctype = data[pos + 4:pos + 8]
            payload = data[pos + 8:pos + 8 + length]
            if ctype == b"eXIf":
                _inv_exif(payload[6:] if payload.startswith(EXIF_HEADER) else payload, inv)
            elif ctype == b"iTXt" and payload.startswith(b"XML:com.adobe.xmp\x00"):
                rest = payload[len(b"XML:com.adobe.xmp\x00"):]
                flag, rest = rest[0], rest[2:]
                rest = rest.partition(b"\x00")[2].partition(b"\x00")[2]
                try:
                    _inv_xmp(_inflate(rest) if flag else rest, inv)
                except Exception as exc:  # noqa: BLE001
                    inv.unreadable.append(f"XMP: {exc}")
            elif ctype in (b"tEXt", b"zTXt", b"iTXt"):
                key = payload.partition(b"\x00")[0]
                if key.lower().startswith(b"raw profile type") and key.lower() != b"raw profile type iptc":
                    inv.present.append(f"PNG {key.decode('latin-1')}")
                elif key in (b"Author", b"Copyright", b"Description", b"Source", b"Disclaimer"):
                    inv.rights.append(f"PNG:{key.decode('latin-1')}=" + hashlib.sha256(payload).hexdigest())
            pos += 12 + length
            if ctype == b"IEND":
                break
        if pos < len(data):
            inv.present.append("data after IEND")
    elif fmt == "WEBP":
        pos, end = 12, min(len(data), 8 + int.from_bytes(data[4:8], "little"))
        while pos + 8 <= end:
            ctype = data[pos:pos + 4]
            length = int.from_bytes(data[pos + 4:pos + 8], "little")
            payload = data[pos + 8:pos + 8 + length]
            if ctype == b"EXIF":
                _inv_exif(payload[6:] if payload.startswith(EXIF_HEADER) else payload, inv)
            elif ctype == b"XMP ":
                _inv_xmp(payload, inv)
            pos += 8 + length + (length & 1)
    elif fmt == "TIFF":
        _inv_exif(data, inv, exif_block=False)
        try:
            from imagerights.privacy.tiff_edit import TiffEditor  # noqa: PLC0415

            ed = TiffEditor(bytearray(data), 0, exif_block=False)
            ed.strip()  # on a copy: only to find tag 700 and 33723 values
            for _pos, start, count in ed.edit.xmp:
                _inv_xmp(bytes(data[start:start + count]), inv)
        except Exception as exc:  # noqa: BLE001
            inv.unreadable.append(f"TIFF: {exc}")
    return inv


def _pixels(data: bytes) -> list[np.ndarray]:
    frames = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        im = Image.open(io.BytesIO(data))
        if im.width * im.height > MAX_PIXELS:
            raise StripError("image too large to verify its pixels")
        for i in range(min(getattr(im, "n_frames", 1), 16)):
            im.seek(i)
            im.load()
            frames.append(np.asarray(im).copy())
    return frames


def verify(original: bytes, stripped: bytes, fmt: str) -> tuple[list[str], bool]:
    """Problems found when reading the copy back, and whether the pixels are identical."""
    problems: list[str] = []
    before = inventory(original, fmt)
    after = inventory(stripped, fmt)
    if after.present:
        problems.append("still present after stripping: " + ", ".join(sorted(set(after.present))))
    if after.unreadable:
        problems.append("copy has unreadable metadata: " + "; ".join(after.unreadable))
    lost = sorted(set(before.rights) - set(after.rights))
    if lost and not before.unreadable:
        problems.append(f"{len(lost)} rights field value(s) changed or lost: " + "; ".join(x[:100] for x in lost[:5]))
    pixels = False
    try:
        before_px = _pixels(original)
    except Exception as exc:  # noqa: BLE001
        why = "Pillow cannot identify the image" if isinstance(exc, UnidentifiedImageError) else f"{type(exc).__name__}: {exc}"
        problems.append(f"the original's pixels do not decode ({why}), so the copy cannot be verified")
        return problems, pixels
    try:
        after_px = _pixels(stripped)
        pixels = len(before_px) == len(after_px) and all(
            x.shape == y.shape and np.array_equal(x, y) for x, y in zip(before_px, after_px))
        if not pixels:
            problems.append("decoded pixels differ from the original")
    except Exception as exc:  # noqa: BLE001
        problems.append(f"copy does not decode: {type(exc).__name__}: {exc}")
    return problems, pixels


# ---- the public entry point ---------------------------------------------------------------

def _sniff(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if data[:4] in (b"II+\x00", b"MM\x00+"):
        return "BigTIFF"
    return None


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.resolve() == b.resolve():
            return True
        return b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def strip_bytes(data: bytes) -> tuple[bytes, StripReport]:
    """Strip in memory (no files): the new bytes and a report without paths."""
    fmt = _sniff(data)
    if fmt not in SUPPORTED:
        raise StripError(f"unsupported format {fmt or 'unknown'}: privacy strip handles JPEG, PNG, WebP and TIFF")
    new, ch = STRIPPERS[fmt](data)
    report = StripReport(source="", output="", format=fmt, removed=list(dict.fromkeys(ch.removed)),
                         kept=list(dict.fromkeys(ch.kept)), notes=list(dict.fromkeys(ch.notes)), bytes_in=len(data), bytes_out=len(new),
                         source_sha256=hashlib.sha256(data).hexdigest(), output_sha256=hashlib.sha256(new).hexdigest())
    problems, pixels = verify(data, new, fmt)
    report.problems = problems
    report.pixels_identical = pixels
    report.verified = not problems
    return new, report


def strip_file(src_path: str | os.PathLike, dst_path: str | os.PathLike, force: bool = False) -> StripReport:
    """Write a privacy-safe copy of ``src_path`` to ``dst_path`` and return what was done.

    Raises :class:`StripError` (nothing written) when the paths are unsafe, the format is not
    supported, the structure cannot be edited safely, or the copy fails verification.
    """
    src, dst = Path(src_path), Path(dst_path)
    if not src.is_file():
        raise StripError(f"{src}: no such file")
    if _same_file(src, dst):
        raise StripError("refusing to write onto the input file: choose another output path")
    if dst.exists() and not force:
        raise StripError(f"{dst} exists: use --force to overwrite it")
    if dst.exists() and dst.is_dir():
        raise StripError(f"{dst} is a folder")
    if src.stat().st_size > MAX_FILE_BYTES:
        raise StripError(f"{src} is larger than {MAX_FILE_BYTES:,} bytes")
    with src.open("rb") as fh:  # read-only
        data = fh.read()
    new, report = strip_bytes(data)
    report.source, report.output = str(src), str(dst)
    if not report.verified:
        raise StripError("the stripped copy failed verification, nothing written: " + "; ".join(report.problems))
    dst.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".imagerights-strip-", suffix=dst.suffix, dir=str(dst.parent))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(new)
        with open(tmp, "rb") as fh:  # read back what landed on disk
            if hashlib.sha256(fh.read()).hexdigest() != report.output_sha256:
                raise StripError("the copy on disk differs from what was written")
        os.replace(tmp, dst)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return report
