"""EXIF: the rights-relevant tags of IFD0, the Exif IFD and the GPS IFD.

Pillow parses the TIFF structure (it is fast and well fuzzed); its strings come back
decoded as Latin-1, which is lossless, so we re-encode them to bytes and decode with our
own policy (text.py). What Pillow drops — Exif 3.0 UTF-8 (type 129) entries — comes from
our own walker (tiff.py). When Pillow cannot parse a block at all, exifread gets a go.
Values are keyed by ExifTool family-1 names (``IFD0:Artist``) so reports and the
ExifTool comparison speak the same language.
"""

from __future__ import annotations

import io
import logging
import math
import struct
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from PIL import Image

from imagerights.metadata.blocks import Block
from imagerights.metadata.text import (
    Decoded,
    decode_exif_ascii,
    decode_exif_copyright,
    decode_ucs2le,
    decode_user_comment,
    decode_utf8,
)
from imagerights.metadata.tiff import EXIF_IFD, GPS_IFD, Tiff, TiffError

IFD0_TAGS = {
    0x010E: "ImageDescription",
    0x013B: "Artist",
    0x8298: "Copyright",
    0x0131: "Software",
    0x9C9B: "XPTitle",
    0x9C9C: "XPComment",
    0x9C9D: "XPAuthor",
    0x9C9E: "XPKeywords",
    0x9C9F: "XPSubject",
    0xC62F: "CameraSerialNumber",
}
EXIF_TAGS = {
    0x9003: "DateTimeOriginal",
    0x9011: "OffsetTimeOriginal",
    0x9286: "UserComment",
    0xA420: "ImageUniqueID",
    0xA430: "OwnerName",  # CameraOwnerName
    0xA431: "SerialNumber",  # BodySerialNumber
}
GPS_TAGS = {1: "GPSLatitudeRef", 2: "GPSLatitude", 3: "GPSLongitudeRef", 4: "GPSLongitude"}
XP_TAGS = {"XPTitle", "XPComment", "XPAuthor", "XPKeywords", "XPSubject"}

_EXIFREAD_NAMES = {f"Image {n}": f"IFD0:{n}" for n in IFD0_TAGS.values()}
_EXIFREAD_NAMES.update({
    "EXIF DateTimeOriginal": "ExifIFD:DateTimeOriginal",
    "EXIF OffsetTimeOriginal": "ExifIFD:OffsetTimeOriginal",
    "EXIF UserComment": "ExifIFD:UserComment",
    "EXIF ImageUniqueID": "ExifIFD:ImageUniqueID",
    "EXIF CameraOwnerName": "ExifIFD:OwnerName",
    "EXIF BodySerialNumber": "ExifIFD:SerialNumber",
})


class ExifError(ValueError):
    """EXIF present but unreadable."""


@dataclass
class Exif:
    values: dict[str, str] = field(default_factory=dict)  # "IFD0:Artist" → text
    gps: dict[str, Any] = field(default_factory=dict)  # GPSLatitude (deg, min, sec floats), …Ref …
    engine: str = "Pillow"
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # parts that failed (e.g. GPS IFD) while the rest was read


@contextmanager
def _quiet():
    """Pillow warns and exifread logs about corrupt data; we record problems ourselves."""
    log = logging.getLogger("exifread")
    old = log.disabled
    log.disabled = True
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield caught
    finally:
        log.disabled = old


def read_exif(block: Block) -> Exif:
    """Read one EXIF block (a TIFF structure). Raises ExifError when nothing can be read.

    IFD0 (where Artist, Copyright, ImageDescription, XP* live) is parsed by Pillow. The Exif
    and GPS sub-IFDs are read with our walker for just the tags we need: Pillow's
    ``get_ifd`` converts every entry of the Exif IFD, MakerNote included, and costs four
    times as much as all the rest of the metadata reading together. The walker also picks
    up Exif 3.0 UTF-8 (type 129) entries, which Pillow skips. If Pillow cannot parse IFD0
    (an exception, or no entries at all), exifread reads the block instead.
    """
    try:
        tiff = Tiff(block.data)
    except TiffError as exc:
        raise ExifError(str(exc)) from exc
    out = Exif()
    try:
        _ifd0_with_pillow(block.data, out)
    except Exception as exc:  # noqa: BLE001 - any parser failure means: try the fallback
        out.values.clear()
        pillow_reason = f"{type(exc).__name__}: {exc}"
        try:
            _read_with_exifread(block.data, out)
        except Exception as exc2:  # noqa: BLE001
            out.errors.append(f"exifread: {type(exc2).__name__}: {exc2}")
        if out.values or out.gps:
            out.notes.append(f"Pillow could not parse EXIF ({pillow_reason}); read with exifread")
    walker_error = _sub_ifds_with_walker(tiff, out)
    if walker_error and not out.values and not out.gps:
        raise ExifError(walker_error)
    if block.truncated:
        out.notes.append(f"EXIF block ({block.where}) is truncated: tags past the cut are missing")
    return out


def _ifd0_with_pillow(data: bytes, out: Exif) -> None:
    exif = Image.Exif()
    with _quiet() as caught:
        exif.load(data)
        info = exif._info  # noqa: SLF001 - IFD0 as Pillow parsed it (``get`` would hide sub-IFD pointers)
        if info is None:
            raise ExifError("no IFD0")
        if not len(info):
            raise ExifError("IFD0 is empty or unreadable")
        ifd0 = {tag: info[tag] for tag in IFD0_TAGS if tag in info}
    for w in caught:
        msg = str(w.message)
        if "corrupt" in msg.lower() or "unknown" in msg.lower():
            out.notes.append(f"EXIF: {msg.strip()}")
    big = exif.endian == ">"
    for tag, name in IFD0_TAGS.items():
        if tag in ifd0:
            _put(out, f"IFD0:{name}", ifd0[tag], big)


_IFD0_WANTED = frozenset(IFD0_TAGS) | {EXIF_IFD, GPS_IFD}
_EXIF_WANTED = frozenset(EXIF_TAGS)
_GPS_WANTED = frozenset(GPS_TAGS)


def _sub_ifds_with_walker(tiff: Tiff, out: Exif) -> str | None:
    """Exif/GPS sub-IFD tags and type-129 values; returns the reason if IFD0 is unreadable."""
    try:
        ifd0 = tiff.ifd(wanted=_IFD0_WANTED)
    except TiffError as exc:
        return str(exc)
    for tag, name in IFD0_TAGS.items():  # Exif 3.0 UTF-8 values Pillow skipped
        e = ifd0.get(tag)
        if e is not None and e.type == 129 and not out.values.get(f"IFD0:{name}"):
            _store(out, f"IFD0:{name}", decode_utf8(e.raw))
            out.notes.append(f"IFD0:{name} is an Exif 3.0 UTF-8 (type 129) value")
    big = tiff.big_endian
    try:
        sub = tiff.sub_ifd(ifd0, EXIF_IFD, _EXIF_WANTED)
    except TiffError as exc:
        out.errors.append(f"Exif sub-IFD unreadable: {exc}")
        sub = {}
    for tag, name in EXIF_TAGS.items():
        e = sub.get(tag)
        if e is None or out.values.get(f"ExifIFD:{name}"):
            continue
        if e.type == 129:
            _store(out, f"ExifIFD:{name}", decode_utf8(e.raw))
        elif e.type in (1, 2, 7):
            _put(out, f"ExifIFD:{name}", e.raw, big)
    try:
        gps = tiff.sub_ifd(ifd0, GPS_IFD, _GPS_WANTED)
    except TiffError as exc:
        out.errors.append(f"GPS IFD unreadable: {exc}")
        gps = {}
    for tag, name in GPS_TAGS.items():
        e = gps.get(tag)
        if e is None or name in out.gps:
            continue
        if e.type in (2, 129):
            out.gps[name] = e.raw.split(b"\x00", 1)[0].decode("latin-1").strip()
        elif e.type in (5, 10) and e.count and len(e.raw) >= 8:
            fmt = tiff.endian + ("I" if e.type == 5 else "i") * (2 * min(e.count, 3))
            n = struct.calcsize(fmt)
            if len(e.raw) >= n:
                nums = struct.unpack(fmt, e.raw[:n])
                out.gps[name] = tuple(_num(a / b) if b else None for a, b in zip(nums[0::2], nums[1::2]))
    return None


def _raw(value: Any) -> bytes | None:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("latin-1", "replace")  # Pillow decoded Latin-1: this gives the bytes back
    if isinstance(value, tuple) and all(isinstance(x, int) for x in value):
        try:
            return bytes(value)
        except ValueError:
            return None
    return None


def _put(out: Exif, key: str, value: Any, big_endian: bool) -> None:
    raw = _raw(value)
    if raw is None:
        return
    name = key.split(":", 1)[1]
    d: Decoded
    if name in XP_TAGS:
        d = decode_ucs2le(raw)
    elif name == "UserComment":
        d = decode_user_comment(raw, big_endian)
    elif name == "Copyright":
        d = decode_exif_copyright(raw)
    else:
        d = decode_exif_ascii(raw)
    _store(out, key, d)


def _store(out: Exif, key: str, d: Decoded) -> None:
    if not d.text.strip():
        out.values.setdefault(key, "")  # present but blank: MWG skips blank EXIF values
        return
    out.values[key] = d.text
    if d.guessed:
        out.notes.append(f"{key} is not UTF-8: decoded as {d.encoding}")
    elif d.suspicious:
        out.notes.append(f"{key} looks double-encoded (UTF-8 read as Latin-1 and saved again): {d.text!r}")


def _gps_value(v: Any) -> Any:
    if isinstance(v, (str, bytes)):
        s = v.decode("latin-1") if isinstance(v, bytes) else v
        return s.strip("\x00 ")
    if isinstance(v, tuple):
        return tuple(_num(x) for x in v)
    return _num(v)


def _num(x: Any) -> float | None:
    try:
        f = float(x)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return None if math.isnan(f) or math.isinf(f) else f


def _read_with_exifread(data: bytes, out: Exif) -> None:
    """Fallback: exifread's EXIF parser (it survives some damage Pillow refuses)."""
    import exifread

    with _quiet():
        tags = exifread.process_file(io.BytesIO(data), details=False, extract_thumbnail=False)
    out.engine = "exifread"
    for er_name, key in _EXIFREAD_NAMES.items():
        tag = tags.get(er_name)
        if tag is None:
            continue
        vals = tag.values
        name = key.split(":", 1)[1]
        if isinstance(vals, list) and all(isinstance(x, int) for x in vals):
            _put(out, key, bytes(x & 0xFF for x in vals), False)
        elif isinstance(vals, bytes):
            _put(out, key, vals, False)
        elif isinstance(vals, str):
            if name in XP_TAGS:
                continue  # exifread mangles UCS-2; better nothing than a wrong name
            _store(out, key, Decoded(vals.rstrip("\x00 "), "utf-8"))
    for tag_id, name in GPS_TAGS.items():
        tag = tags.get(f"GPS {name}")
        if tag is None:
            continue
        vals = tag.values
        if isinstance(vals, (str, bytes)):
            out.gps[name] = _gps_value(vals)
        elif isinstance(vals, list):
            out.gps[name] = tuple(_num(getattr(x, "num", x) / getattr(x, "den", 1)) if getattr(x, "den", 1) else None for x in vals)


def read_exif_file(data: bytes) -> Exif | None:
    """exifread over a whole file whose EXIF we could not locate ourselves (exotic containers)."""
    out = Exif(engine="exifread")
    try:
        _read_with_exifread(data, out)
    except Exception:  # noqa: BLE001 - exifread raises many things on non-EXIF data
        return None
    if not out.values and not out.gps:
        return None
    return out
