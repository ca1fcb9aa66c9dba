"""Remove location and personal properties from an XMP packet, safely.

The packet is attacker-controlled XML: it is parsed with defusedxml (no DTD, no entities,
no external references: billion-laughs and XXE packets are refused, never expanded) and
capped in size. The edited tree is written back by a small serializer of our own so that
the namespace prefixes stay the ones the file used (ElementTree would invent ``ns0:``).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element
from xml.sax.saxutils import escape, quoteattr

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from imagerights.privacy import fields as F

MAX_XMP_BYTES = 4 * 1024 * 1024
XPACKET_BEGIN = '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
XPACKET_END = '<?xpacket end="w"?>'
_START = re.compile(rb"<x:xmpmeta\b|<x:xapmeta\b|<rdf:RDF\b")
_ENDS = (b"</x:xmpmeta>", b"</x:xapmeta>", b"</rdf:RDF>")
XML_NS = "http://www.w3.org/XML/1998/namespace"


class XmpError(ValueError):
    """The packet is unreadable (malformed, hostile or too big)."""


@dataclass
class XmpEdit:
    removed: list[str] = field(default_factory=list)  # "XMP exif:GPSLatitude (location)"
    kept_places: list[str] = field(default_factory=list)
    changed: bool = False


def extract(packet: bytes) -> bytes:
    """The ``x:xmpmeta`` (or bare ``rdf:RDF``) element of a packet: no xpacket PIs, padding, NULs or BOM."""
    if len(packet) > MAX_XMP_BYTES:
        raise XmpError(f"XMP packet of {len(packet):,} bytes is over the {MAX_XMP_BYTES:,}-byte limit")
    m = _START.search(packet)
    if not m:
        raise XmpError("no x:xmpmeta or rdf:RDF element in the XMP packet")
    start = m.start()
    tag = m.group(0)
    close = _ENDS[0] if tag.startswith(b"<x:xmpmeta") else _ENDS[1] if tag.startswith(b"<x:xap") else _ENDS[2]
    end = packet.rfind(close)
    if end < 0:
        raise XmpError("XMP packet is not terminated")
    return packet[start:end + len(close)]


def parse(xml: bytes) -> tuple[Element, dict[str, str]]:
    """Parse with every defusedxml protection on; return the root and its prefix → URI map."""
    try:
        prefixes: dict[str, str] = {}
        for _event, (prefix, uri) in DET.iterparse(io.BytesIO(xml), events=("start-ns",), forbid_dtd=True,
                                                   forbid_entities=True, forbid_external=True):
            prefixes.setdefault(prefix, uri)
        root = DET.fromstring(xml, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise XmpError(f"XMP refused as hostile ({type(exc).__name__})") from None
    except Exception as exc:  # noqa: BLE001 - ParseError, ValueError, …
        raise XmpError(f"XMP unreadable ({type(exc).__name__}: {str(exc)[:120]})") from None
    return root, prefixes


def _split(qname: str) -> tuple[str, str]:
    if qname.startswith("{"):
        ns, _, local = qname[1:].partition("}")
        return ns, local
    return "", qname


class _Names:
    """Qualified name → ``prefix:local`` using the packet's own prefixes (new ones invented if needed)."""

    def __init__(self, prefixes: dict[str, str]):
        self.by_uri: dict[str, str] = {}
        for prefix, uri in prefixes.items():
            self.by_uri.setdefault(uri, prefix)
        self.by_uri[XML_NS] = "xml"
        self.used: dict[str, str] = {}

    def q(self, qname: str) -> str:
        ns, local = _split(qname)
        if not ns:
            return local
        prefix = self.by_uri.get(ns)
        if prefix is None:
            prefix = f"ns{len(self.by_uri)}"
            self.by_uri[ns] = prefix
        if ns != XML_NS:
            self.used[prefix] = ns
        return f"{prefix}:{local}" if prefix else local


def _label(names: _Names, qname: str) -> str:
    return "XMP " + names.q(qname)


def strip_tree(root: Element, names: _Names) -> XmpEdit:
    """Remove every element/attribute the policy removes, anywhere in the tree."""
    result = XmpEdit()

    def visit(el: Element) -> None:
        for attr in list(el.attrib):
            ns, local = _split(attr)
            why = F.xmp_removal_reason(ns, local)
            if why:
                del el.attrib[attr]
                result.removed.append(f"{_label(names, attr)} ({why})")
                result.changed = True
            elif (ns, local) in F.PLACE_NAMES:
                result.kept_places.append(f"{_label(names, attr)} = {el.attrib[attr][:80]}")
        for child in list(el):
            ns, local = _split(child.tag)
            why = F.xmp_removal_reason(ns, local)
            if why:
                el.remove(child)
                result.removed.append(f"{_label(names, child.tag)} ({why})")
                result.changed = True
                continue
            if (ns, local) in F.PLACE_NAMES:
                text = " ".join(t.strip() for t in child.itertext() if t.strip())
                result.kept_places.append(f"{_label(names, child.tag)} = {text[:80]}")
            visit(child)

    visit(root)
    return result


def serialize(root: Element, names: _Names) -> str:
    """Write the tree back with the original prefixes; all namespace declarations on the root."""
    parts: list[str] = []

    def write(el: Element, is_root: bool) -> None:
        tag = names.q(el.tag)
        attrs = [(names.q(k), v) for k, v in el.attrib.items()]
        children = list(el)
        body: list[str] = []
        if el.text:
            body.append(escape(el.text))
        inner_start = len(parts)
        for child in children:
            write(child, False)
            if child.tail:
                parts.append(escape(child.tail))
        inner = "".join(parts[inner_start:])
        del parts[inner_start:]
        decl = ""
        if is_root:
            decl = "".join(f" xmlns:{p}={quoteattr(u)}" if p else f" xmlns={quoteattr(u)}"
                           for p, u in sorted(names.used.items()))
        attr_text = "".join(f" {k}={quoteattr(v)}" for k, v in attrs)
        content = "".join(body) + inner
        if content:
            parts.append(f"<{tag}{decl}{attr_text}>{content}</{tag}>")
        else:
            parts.append(f"<{tag}{decl}{attr_text}/>")

    # first pass registers every prefix in use, second writes with the complete declaration list
    write(root, True)
    parts.clear()
    write(root, True)
    return "".join(parts)


def wrap(xml: str, size: int | None = None) -> bytes:
    """An xpacket around ``xml``; padded with spaces to exactly ``size`` bytes when given and possible."""
    head = XPACKET_BEGIN.encode("utf-8") + xml.encode("utf-8") + b"\n"
    tail = XPACKET_END.encode("ascii")
    if size is not None:
        pad = size - len(head) - len(tail)
        if pad >= 0:
            return head + b" " * pad + tail
    return head + b" " * 256 + tail  # a little room for later in-place editors, as XMP recommends


def strip_packet(packet: bytes, size: int | None = None) -> tuple[bytes, XmpEdit]:
    """Edited packet and what changed. Raises :class:`XmpError` for unreadable packets."""
    xml = extract(packet)
    root, prefixes = parse(xml)
    names = _Names(prefixes)
    result = strip_tree(root, names)
    if not result.changed:
        return packet, result
    return wrap(serialize(root, names), size), result


def properties(packet: bytes) -> tuple[list[str], list[str]]:
    """(removed-policy properties present, rights properties with values) — for verification.

    Rights properties are listed as ``prefix:path=value`` strings so that two packets can be
    compared regardless of how they were serialized.
    """
    xml = extract(packet)
    root, prefixes = parse(xml)
    names = _Names(prefixes)
    present: list[str] = []
    rights: list[str] = []

    def visit(el: Element, path: str, in_rights: bool) -> None:
        for attr, value in el.attrib.items():
            ns, local = _split(attr)
            if F.xmp_removal_reason(ns, local):
                present.append(names.q(attr))
            elif in_rights or ns in F.RIGHTS_NAMESPACES:
                if ns != F.NS_RDF:
                    rights.append(f"{path}/{F.RIGHTS_NAMESPACES.get(ns, ns)}:{local}={value}")
        for child in el:
            ns, local = _split(child.tag)
            if F.xmp_removal_reason(ns, local):
                present.append(names.q(child.tag))
                continue
            rights_here = in_rights or ns in F.RIGHTS_NAMESPACES
            step = path if ns == F.NS_RDF else f"{path}/{F.RIGHTS_NAMESPACES.get(ns, local)}:{local}"
            if rights_here and child.text and child.text.strip() and len(child) == 0:
                lang = child.attrib.get(f"{{{XML_NS}}}lang", "")
                rights.append(f"{step}{'@' + lang if lang else ''}={child.text.strip()}")
            visit(child, step, rights_here)

    visit(root, "", False)
    return present, sorted(rights)
