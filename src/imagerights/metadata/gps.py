"""GPS position from EXIF (GPS IFD) or XMP (``exif:GPSLatitude``): present? where?

Not a rights field, but a privacy one: a municipality should not post the home address of
the person in the picture. "Present" follows ExifTool's Composite:GPSPosition: latitude
and longitude are both there and numeric (0,0 included — it is still a GPS record).
Coordinates outside ±90/±180 are reported as present without a position.
"""

from __future__ import annotations

import re
from typing import Any

from imagerights.facts import GPS


def _dms(values: Any) -> float | None:
    if isinstance(values, (int, float)):
        return float(values)
    if not isinstance(values, tuple) or not values or any(v is None for v in values):
        return None
    parts = list(values) + [0.0] * (3 - len(values))
    return parts[0] + parts[1] / 60.0 + parts[2] / 3600.0


def from_exif(gps: dict[str, Any]) -> tuple[float, float] | None:
    lat, lon = _dms(gps.get("GPSLatitude")), _dms(gps.get("GPSLongitude"))
    if lat is None or lon is None:
        return None
    if str(gps.get("GPSLatitudeRef", "")).upper().startswith("S"):
        lat = -lat
    if str(gps.get("GPSLongitudeRef", "")).upper().startswith("W"):
        lon = -lon
    return lat, lon


_XMP_COORD = re.compile(r"^\s*(-?\d+(?:\.\d+)?)(?:,(\d+(?:\.\d+)?))?(?:,(\d+(?:\.\d+)?))?\s*([NSEW])?\s*$", re.I)


def parse_xmp_coordinate(text: str | None) -> float | None:
    """XMP GPSCoordinate: ``DDD,MM,SSk`` or ``DDD,MM.mmk`` (k = N/S/E/W), or a plain decimal."""
    if not text:
        return None
    m = _XMP_COORD.match(text)
    if not m:
        return None
    deg = float(m.group(1))
    value = abs(deg) + float(m.group(2) or 0) / 60.0 + float(m.group(3) or 0) / 3600.0
    if deg < 0 or (m.group(4) or "").upper() in ("S", "W"):
        value = -value
    return value


def build(exif_gps: dict[str, Any] | None, xmp_lat: str | None, xmp_lon: str | None, notes: list[str]) -> GPS:
    """The GPS fact, EXIF first, then XMP."""
    pos = from_exif(exif_gps) if exif_gps else None
    source = "GPS:GPSLatitude/GPSLongitude" if pos else ""
    if pos is None:
        lat, lon = parse_xmp_coordinate(xmp_lat), parse_xmp_coordinate(xmp_lon)
        if lat is not None and lon is not None:
            pos, source = (lat, lon), "XMP-exif:GPSLatitude/GPSLongitude"
    if pos is None:
        return GPS()
    lat, lon = pos
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        notes.append(f"GPS position out of range ({lat:.5f}, {lon:.5f}): present but not usable")
        return GPS(present=True, source=source)
    if lat == 0.0 and lon == 0.0:
        notes.append("GPS position is 0,0 (often a camera without a fix)")
    return GPS(present=True, latitude=round(lat, 7), longitude=round(lon, 7), source=source)
