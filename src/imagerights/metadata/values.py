"""Small value normalisers used by reconcile.py: dates, PLUS vocabulary codes, XMP structs.

Each takes what a container holds and returns plain JSON-able values.
"""

from __future__ import annotations

import re
from typing import Any

from imagerights.metadata.text import clean
from imagerights.metadata.xmp import NS, Props, as_list, as_text


def xmp_value(props: Props | None, prefix: str, local: str) -> Any:
    if not props:
        return None
    return props.get((NS[prefix], local))


def vocab_code(value: str | None) -> str | None:
    """``http://ns.useplus.org/ldf/vocab/MR-NON`` → ``MR-NON``; other values as found."""
    if not value:
        return None
    m = re.search(r"((?:MR|PR|DMI)-[A-Z-]+)\s*$", value.strip())
    return m.group(1) if m else value.strip()


def split_list(value: str) -> list[str]:
    """XPAuthor / PNG Author holding several names: "A; B" or "A;B"."""
    return [x.strip() for x in value.split(";") if x.strip()]


def exif_date(dt: Any, offset: Any) -> str | None:
    if not isinstance(dt, str):
        return None
    m = re.match(r"^\s*(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?", dt)
    if not m or m.group(1) == "0000":
        return clean(dt) if dt.strip(" :0") else None
    iso = f"{m.group(1)}-{m.group(2)}-{m.group(3)}T{m.group(4)}:{m.group(5)}:{m.group(6) or '00'}"
    if isinstance(offset, str) and re.match(r"^[+-]\d{2}:\d{2}$", offset.strip()):
        iso += offset.strip()
    return iso


def iptc_date(d: Any, t: Any) -> str | None:
    if not isinstance(d, str):
        return None
    m = re.match(r"^(\d{4})(\d{2})(\d{2})$", d.strip())
    if not m:
        return clean(d)
    iso = f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    if isinstance(t, str):
        tm = re.match(r"^(\d{2})(\d{2})(\d{2})(?:([+-])(\d{2})(\d{2}))?$", t.strip())
        if tm:
            iso += f"T{tm.group(1)}:{tm.group(2)}:{tm.group(3)}"
            if tm.group(4):
                iso += f"{tm.group(4)}{tm.group(5)}:{tm.group(6)}"
    return iso


def licensors(raw: Any) -> list[dict[str, str]]:
    items = raw if isinstance(raw, list) else ([raw] if isinstance(raw, dict) else [])
    out = []
    for it in items:
        if not isinstance(it, dict):
            continue
        rec = {}
        for key, local in (("name", "LicensorName"), ("url", "LicensorURL"), ("email", "LicensorEmail"), ("id", "LicensorID")):
            v = clean(as_text(it.get(local)))
            if v:
                rec[key] = v
        if rec:
            out.append(rec)
    return out


CONTACT_KEYS = {"CiEmailWork": "email", "CiUrlWork": "url", "CiTelWork": "phone", "CiAdrExtadr": "address",
            "CiAdrCity": "city", "CiAdrRegion": "region", "CiAdrPcode": "postal_code", "CiAdrCtry": "country"}


def contact(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        return {}
    out = {}
    for local, key in CONTACT_KEYS.items():
        v = clean(as_text(raw.get(local)))
        if v:
            out[key] = v
    return out


def persons(x: Props | None) -> list[str]:
    names: list[str] = []
    for v in as_list(xmp_value(x, "iptcExt", "PersonInImage")):
        if clean(v) and v.strip() not in names:
            names.append(v.strip())
    details = xmp_value(x, "iptcExt", "PersonInImageWDetails")
    for d in details if isinstance(details, list) else ([details] if isinstance(details, dict) else []):
        if isinstance(d, dict):
            n = clean(as_text(d.get("PersonName")))
            if n and n not in names:
                names.append(n)
    return names
