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
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from PIL import Image

from imagerights.metadata.containers import Block
from imagerights.metadata.text import (
    Decoded,
    decode_exif_ascii,
    decode_exif_copyright,
    decode_legacy,
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
    """Read one EXIF block (a TIFF structure). Raises ExifError when nothing can be read."""
    try:
        tiff: Tiff | None = Tiff(block.data)
    except TiffError as exc:
        raise ExifError(str(exc)) from exc
    out = Exif()
    try:
        _read_with_pillow(block.data, out)
    except Exception as exc:  # noqa: BLE001 - any parser failure means: try the fallback
        out.values.clear()
        out.gps.clear()
        pillow_reason = f"{type(exc).__name__}: {exc}"
        try:
            _read_with_exifread(block.data, out)
        except Exception as exc2:  # noqa: BLE001
            raise ExifError(f"Pillow: {pillow_reason}; exifread: {type(exc2).__name__}: {exc2}") from exc2
        if out.values or out.gps:
            out.notes.append(f"Pillow could not parse EXIF ({pillow_reason}); read with exifread")
    try:
        _add_utf8_entries(tiff, out)
    except TiffError as exc:
        if not out.values and not out.gps:
            raise ExifError(str(exc)) from exc
    if block.truncated:
        out.notes.append(f"EXIF block ({block.where}) is truncated: tags past the cut are missing")
    return out


def _read_with_pillow(data: bytes, out: Exif) -> None:
    exif = Image.Exif()
    with _quiet() as caught:
        exif.load(data)
        ifd0 = {k: exif[k] for k in list(exif.keys()) if k in IFD0_TAGS}
        sub: dict[int, Any] = {}
        gps: dict[int, Any] = {}
        try:
            sub = exif.get_ifd(EXIF_IFD)
        except Exception as exc:  # noqa: BLE001
            out.errors.append(f"Exif sub-IFD unreadable: {type(exc).__name__}: {exc}")
        try:
            gps = exif.get_ifd(GPS_IFD)
        except Exception as exc:  # noqa: BLE001
            out.errors.append(f"GPS IFD unreadable: {type(exc).__name__}: {exc}")
    for w in caught:
        msg = str(w.message)
        if "corrupt" in msg.lower() or "unknown" in msg.lower():
            out.notes.append(f"EXIF: {msg.strip()}")
    if exif._info is None or (not len(exif._info) and not ifd0):  # noqa: SLF001 - Pillow keeps IFD0 there
        raise ExifError("no IFD0 entries")
    big = exif.endian == ">"
    for tag, name in IFD0_TAGS.items():
        if tag in ifd0:
            _put(out, f"IFD0:{name}", ifd0[tag], big)
    for tag, name in EXIF_TAGS.items():
        if tag in sub:
            _put(out, f"ExifIFD:{name}", sub[tag], big)
    for tag, name in GPS_TAGS.items():
        if tag in gps:
            out.gps[name] = _gps_value(gps[tag])


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


def _add_utf8_entries(tiff: Tiff | None, out: Exif) -> None:
    """Exif 3.0 type-129 (UTF-8) entries that Pillow skipped."""
    if tiff is None:
        return
    ifd0 = tiff.ifd()
    groups = [("IFD0", ifd0, IFD0_TAGS)]
    try:
        groups.append(("ExifIFD", tiff.sub_ifd(ifd0, EXIF_IFD), EXIF_TAGS))
    except TiffError:
        pass
    for group, entries, names in groups:
        for tag, name in names.items():
            e = entries.get(tag)
            if e is None or e.type != 129:
                continue
            key = f"{group}:{name}"
            if out.values.get(key):
                continue
            _store(out, key, decode_utf8(e.raw))
            out.notes.append(f"{key} is an Exif 3.0 UTF-8 (type 129) value")


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


def ascii_legacy(raw: bytes) -> Decoded:
    """Exposed for PNG/COM readers: same policy as EXIF ASCII."""
    return decode_legacy(raw)
