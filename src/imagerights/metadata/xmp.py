"""XMP: from a raw packet to namespace-qualified properties, safely.

Why not Pillow's ``getxmp()``: it strips namespaces (any namespace could then spoof
``DigitalSourceType``), turns a one-item list into a dict and does not catch hostile
packets. Here the packet is cleaned (signature, BOM, padding), capped in size, refused
if it declares a DTD (billion laughs, XXE), parsed with defusedxml, and read as RDF:

* ``rdf:Seq`` / ``rdf:Bag`` → list; ``rdf:Alt`` with ``xml:lang`` → :class:`LangAlt`
* ``rdf:resource="…"`` → the URI; ``rdf:parseType="Resource"``, a nested
  ``rdf:Description`` or attribute shorthand → a struct (dict of local name → value)
* properties written as attributes of ``rdf:Description`` count like elements
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from imagerights.metadata.text import decode_legacy

MAX_PACKET_BYTES = 4 * 1024 * 1024

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XML = "http://www.w3.org/XML/1998/namespace"
NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "iptcCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
    "iptcExt": "http://iptc.org/std/Iptc4xmpExt/2008-02-29/",
    "plus": "http://ns.useplus.org/ldf/xmp/1.0/",
    "cc": "http://creativecommons.org/ns#",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "stEvt": "http://ns.adobe.com/xap/1.0/sType/ResourceEvent#",
    "exif": "http://ns.adobe.com/exif/1.0/",
    "exifEX": "http://cipa.jp/exif/1.0/",
    "aux": "http://ns.adobe.com/exif/1.0/aux/",
    "tiff": "http://ns.adobe.com/tiff/1.0/",
    "pur": "http://prismstandard.org/namespaces/prismusagerights/2.1/",
    "xmpNote": "http://ns.adobe.com/xmp/note/",
}
GROUP = {uri: prefix for prefix, uri in NS.items()}

# The properties the readers use. Packets from Lightroom/Photoshop carry hundreds of others
# (develop settings, history, subject codes); their values are never built.
_USED = {
    "dc": ("creator", "rights", "description", "title"),
    "photoshop": ("Credit", "Source", "DateCreated"),
    "xmpRights": ("UsageTerms", "WebStatement", "Marked"),
    "cc": ("license", "attributionName", "attributionURL", "morePermissions"),
    "plus": ("Licensor", "ModelReleaseStatus", "PropertyReleaseStatus", "DataMining"),
    "iptcExt": ("DigitalSourceType", "PersonInImage", "PersonInImageWDetails", "AISystemUsed",
                "AISystemVersionUsed", "AIPromptInformation", "AIPromptWriterName"),
    "iptcCore": ("CreatorContactInfo",),
    "xmp": ("CreatorTool",),
    "xmpMM": ("History",),
    "exif": ("GPSLatitude", "GPSLongitude"),
    "exifEX": ("CameraOwnerName", "BodySerialNumber"),
    "aux": ("OwnerName", "SerialNumber"),
    "tiff": ("Artist",),
    "pur": ("creditLine",),
    "xmpNote": ("HasExtendedXMP",),
}
# (namespace, lower-case local name) → canonical local name: old toolkits wrote e.g. ``dc:Creator``
Wanted = dict[tuple[str, str], str]
RIGHTS_PROPERTIES: Wanted = {(NS[prefix], local.lower()): local for prefix, locals_ in _USED.items() for local in locals_}

_START = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?x[ma]pmeta[\s>]|<rdf:RDF[\s>]")
_END_META = re.compile(r"</(?:[A-Za-z_][\w.-]*:)?x[ma]pmeta\s*>")
_END_RDF = re.compile(r"</rdf:RDF\s*>")
_END8 = (re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?x[ma]pmeta\s*>"), re.compile(rb"</rdf:RDF\s*>"))
_DTD = re.compile(r"<!(?:DOCTYPE|ENTITY)", re.I)


class XmpError(ValueError):
    """The XMP packet is present but unreadable (malformed, hostile or too large)."""


class LangAlt(dict):
    """An ``rdf:Alt`` of language alternatives: ``{"x-default": …, "sv-SE": …}`` in file order."""


Props = dict[tuple[str, str], Any]  # (namespace URI, local name) → value


def packet_text(raw: bytes) -> str:
    """Decode and trim a packet to ``<x:xmpmeta …>…</x:xmpmeta>`` (or the bare ``rdf:RDF``).

    Handles a leftover APP1 signature, UTF-8 BOM, UTF-16/32 packets and NUL/space padding.
    """
    sig = raw.find(b"http://ns.adobe.com/xap/1.0/\x00", 0, 64)
    if sig >= 0:
        raw = raw[sig + 29:]
    raw = raw[: MAX_PACKET_BYTES * 4]
    end8 = _END8[0].search(raw) or _END8[1].search(raw)
    if end8:  # 8-bit packet: cut trailing bytes (padding, rest of the file) before decoding
        raw = raw[:end8.end()]
    text = _decode(raw)
    m = _START.search(text)
    if not m:
        raise XmpError("no <x:xmpmeta> or <rdf:RDF> element in the XMP packet")
    tag_end = text.find(">", m.start())
    end = (_END_RDF if m.group().startswith("<rdf:") else _END_META).search(text, m.start())
    if _DTD.search(text, 0, end.end() if end else m.start() + MAX_PACKET_BYTES):
        raise XmpError("XMP packet declares a DTD or entities (refused: possible billion-laughs/XXE attack)")
    if tag_end > 0 and text[tag_end - 1] == "/":  # <x:xmpmeta …/>: an empty packet
        return text[m.start():tag_end + 1]
    if not end:
        raise XmpError("XMP packet is not terminated (no closing </x:xmpmeta>)")
    body = text[m.start():end.end()]
    if len(body) > MAX_PACKET_BYTES:
        raise XmpError(f"XMP packet of {len(body):,} characters exceeds the {MAX_PACKET_BYTES:,} limit")
    if body.startswith("<rdf:RDF") and "xmlns:rdf" not in body[:2000]:
        body = body.replace("<rdf:RDF", f'<rdf:RDF xmlns:rdf="{RDF}"', 1)
    return body


def _decode(raw: bytes) -> str:
    """XMP is UTF-8, -16 or -32 (ISO 16684-1); tell them apart by BOM or by the NULs around the first ``<``."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                     (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if raw.startswith(bom):
            return raw[len(bom):].decode(enc, "replace")
    lt = raw.find(b"<")
    if lt >= 0 and raw[lt + 1:lt + 2] == b"\x00" or lt >= 1 and raw[lt - 1:lt] == b"\x00":
        after, before = raw[lt + 1:lt + 4], raw[max(0, lt - 3):lt]
        if after == b"\x00\x00\x00":
            return raw[lt:].decode("utf-32-le", "replace")
        if before == b"\x00\x00\x00" and raw[lt + 1:lt + 2] != b"\x00":
            return raw[lt - 3:].decode("utf-32-be", "replace")
        if after[:1] == b"\x00" and after[1:2] != b"\x00":
            if lt >= 1 and raw[lt - 1:lt] == b"\x00" and raw[lt + 2:lt + 3] != b"\x00":
                return raw[lt - 1:].decode("utf-16-be", "replace")
            return raw[lt:].decode("utf-16-le", "replace")
    return decode_legacy(raw).text  # must be UTF-8; cp1252 written by broken tools is recovered


def parse(raw: bytes, wanted: Wanted | None = RIGHTS_PROPERTIES) -> Props:
    """Raw packet bytes → properties (only ``wanted`` ones; all with ``None``).
    Raises :class:`XmpError` for anything unreadable."""
    body = packet_text(raw)
    try:
        root = DET.fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise XmpError(f"XMP refused by defusedxml: {type(exc).__name__}") from exc
    except ParseError as exc:
        raise XmpError(f"malformed XMP: {exc}") from exc
    return read_rdf(root, wanted)


def _q(ns: str, local: str) -> str:
    return f"{{{ns}}}{local}"


_RDF_DESC, _RDF_RDF = _q(RDF, "Description"), _q(RDF, "RDF")
_RDF_LI, _RDF_RES, _RDF_PT = _q(RDF, "li"), _q(RDF, "resource"), _q(RDF, "parseType")
_RDF_VALUE, _RDF_ABOUT, _RDF_ID, _RDF_NODEID = _q(RDF, "value"), _q(RDF, "about"), _q(RDF, "ID"), _q(RDF, "nodeID")
_XML_LANG = _q(XML, "lang")
_CONTAINERS = {_q(RDF, "Seq"), _q(RDF, "Bag"), _q(RDF, "Alt")}
_SKIP_ATTRS = {_RDF_ABOUT, _RDF_ID, _RDF_NODEID, _RDF_PT, _XML_LANG, _q(RDF, "datatype")}


def split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def read_rdf(root: Element, wanted: Wanted | None = None) -> Props:
    """Collect the properties of every top-level ``rdf:Description`` (first value wins)."""
    props: Props = {}
    rdf = root if root.tag == _RDF_RDF else root.find(f".//{_RDF_RDF}")
    if rdf is None:
        return props
    for desc in rdf:
        for key, value in _node_properties(desc, wanted).items():
            props.setdefault(key, value)
    return props


def _key(tag: str, wanted: Wanted | None) -> tuple[str, str] | None:
    ns, local = split(tag)
    if wanted is None:
        return ns, local
    canon = wanted.get((ns, local.lower()))
    return (ns, canon) if canon else None


def _node_properties(node: Element, wanted: Wanted | None = None) -> dict[tuple[str, str], Any]:
    out: dict[tuple[str, str], Any] = {}
    for name, value in node.attrib.items():
        if name in _SKIP_ATTRS or name.startswith(f"{{{RDF}}}") or name.startswith("xmlns"):
            continue
        key = _key(name, wanted)
        if key is not None:
            out.setdefault(key, value.strip())
    for child in node:
        if child.tag == _RDF_VALUE:
            continue
        key = _key(child.tag, wanted)
        if key is not None and key not in out:
            out[key] = _value(child)
    return out


def _value(elem: Element) -> Any:
    """The value of one property element (text, URI, list, lang-alt or struct)."""
    res = elem.get(_RDF_RES)
    if res is not None:
        return res.strip()
    children = list(elem)
    if elem.get(_RDF_PT) == "Resource":
        return _struct(elem)
    if children:
        first = children[0]
        if first.tag in _CONTAINERS:
            return _container(first)
        if first.tag == _RDF_DESC:
            return _struct(first)
        return _struct(elem)  # elements directly inside a property: treat as a struct
    attrs = {k: v for k, v in elem.attrib.items() if k not in _SKIP_ATTRS and not k.startswith(f"{{{RDF}}}")}
    if attrs:
        return _struct(elem)
    return (elem.text or "").strip()


def _struct(node: Element) -> Any:
    props = _node_properties(node)
    value = node.find(_RDF_VALUE)
    if value is not None:  # qualified value: the rdf:value is the value
        return _value(value)
    return {local: v for (_ns, local), v in props.items()}


def _container(container: Element) -> Any:
    items = [li for li in container if li.tag == _RDF_LI]
    if container.tag == _q(RDF, "Alt") and any(li.get(_XML_LANG) for li in items):
        alt = LangAlt()
        for li in items:
            lang = li.get(_XML_LANG) or "x-default"
            alt.setdefault(lang, _value(li))
        return alt
    return [_value(li) for li in items]


# --------------------------------------------------------------------------- helpers for readers

def choose_lang(alt: Any, prefer: tuple[str, ...] = ("sv-SE", "sv")) -> tuple[str | None, str | None]:
    """Pick from a lang-alt: exact ``sv-SE`` → any ``sv*`` → ``x-default`` → first. Returns (lang, text)."""
    if not isinstance(alt, dict):
        if isinstance(alt, list):
            alt = next((a for a in alt if isinstance(a, str) and a), None)
        return (None, alt if isinstance(alt, str) else None)
    if not alt:
        return None, None
    lower = {k.lower(): k for k in alt}
    if prefer and prefer[0].lower() in lower:
        k = lower[prefer[0].lower()]
        return k, _text(alt[k])
    for k in alt:
        if k.lower() == "sv" or k.lower().startswith("sv-"):
            return k, _text(alt[k])
    if "x-default" in lower:
        k = lower["x-default"]
        return k, _text(alt[k])
    k = next(iter(alt))
    return k, _text(alt[k])


def _text(v: Any) -> str | None:
    if isinstance(v, str):
        return v
    if isinstance(v, list):
        return "; ".join(x for x in v if isinstance(x, str)) or None
    return None


def as_list(v: Any) -> list[str]:
    """A list property (or a lone text written without a container) as a list of strings."""
    if v is None:
        return []
    if isinstance(v, LangAlt):
        _, t = choose_lang(v)
        return [t] if t else []
    if isinstance(v, list):
        out = []
        for x in v:
            if isinstance(x, str):
                out.append(x)
            elif isinstance(x, LangAlt):
                t = choose_lang(x)[1]
                if t:
                    out.append(t)
        return [x for x in out if x]
    if isinstance(v, str):
        return [v] if v else []
    return []


def as_text(v: Any) -> str | None:
    """A simple property as text (first item of a list; the chosen language of a lang-alt)."""
    if isinstance(v, LangAlt):
        return choose_lang(v)[1]
    if isinstance(v, list):
        items = as_list(v)
        return items[0] if items else None
    if isinstance(v, str):
        return v
    return None


def tag_name(ns: str, local: str) -> str:
    """ExifTool-style family-1 name, e.g. ``XMP-dc:Creator``."""
    group = GROUP.get(ns, ns.rstrip("/#").rsplit("/", 1)[-1] or "unknown")
    return f"XMP-{group}:{local[:1].upper()}{local[1:]}"
