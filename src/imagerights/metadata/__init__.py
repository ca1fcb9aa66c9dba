"""Rights metadata readers: EXIF, IPTC-IIM and XMP → one :class:`~imagerights.facts.Metadata`.

``read_metadata(src)`` reads what an image says about its authors, rights, licence and
origin — facts only, no verdicts. Each container is read on its own: a broken EXIF
block never hides the IPTC or XMP beside it, and becomes a ``ContainerError`` of its
own. Nothing here decodes pixels, and nothing raises for a bad file.

Modules: containers (find raw blocks in the bytes), tiff (IFD walker), exif, iptc, xmp
(safe RDF reader), text (character sets), gps, ai (generator hints), reconcile (MWG).
"""

from __future__ import annotations

from pathlib import Path

from imagerights.facts import ContainerError, Metadata
from imagerights.imaging import SourceImage, open_source
from imagerights.metadata import exif as exif_mod
from imagerights.metadata import iptc as iptc_mod
from imagerights.metadata import xmp as xmp_mod
from imagerights.metadata.blocks import Blocks
from imagerights.metadata.containers import locate
from imagerights.metadata.reconcile import Found, reconcile
from imagerights.metadata.text import decode_legacy

__all__ = ["read_metadata", "read_metadata_path", "read_metadata_bytes"]


def read_metadata(src: SourceImage) -> Metadata:
    """All rights metadata of one opened source. Never raises for a bad file."""
    return read_metadata_bytes(src.data)


def read_metadata_path(path: str | Path) -> Metadata:
    """Convenience: open ``path`` (read-only) and read its metadata."""
    return read_metadata(open_source(path))


def read_metadata_bytes(data: bytes) -> Metadata:
    md = Metadata()
    try:
        blocks = locate(data)
    except Exception as exc:  # noqa: BLE001 - a walker bug must not cost the other readers
        blocks = Blocks()
        md.container_errors.append(ContainerError("file", f"structure walk failed: {type(exc).__name__}: {exc}"))
    if blocks.structure_error:
        md.notes.append(blocks.structure_error)
    md.notes.extend(blocks.notes)

    found = Found()
    found.exif = _guard(md, "EXIF", lambda: _read_exif(blocks, data, md))
    found.iptc = _guard(md, "IPTC", lambda: _read_iptc(blocks, md))
    found.xmp = _guard(md, "XMP", lambda: _read_xmp(blocks, md))
    found.png_text = blocks.png_text
    found.comments = [decode_legacy(c.rstrip(b"\x00")).text for c in blocks.comments]
    if blocks.png_text:
        md.containers.append("PNG-text")
    if blocks.c2pa:
        md.containers.append("C2PA")
    try:
        reconcile(found, md)
    except Exception as exc:  # noqa: BLE001 - a reconcile bug must not lose what was read
        md.container_errors.append(ContainerError("reconcile", f"{type(exc).__name__}: {exc}"))
    return md


def _guard(md: Metadata, container: str, fn):
    """Run one container reader; its failure becomes a ContainerError of its own."""
    try:
        return fn()
    except MemoryError:
        md.container_errors.append(ContainerError(container, "out of memory while reading"))
    except RecursionError:
        md.container_errors.append(ContainerError(container, "nesting too deep"))
    except Exception as exc:  # noqa: BLE001
        reason = str(exc) if isinstance(exc, ValueError) else f"{type(exc).__name__}: {exc}"
        md.container_errors.append(ContainerError(container, reason))
    return None


def _read_exif(blocks: Blocks, data: bytes, md: Metadata) -> exif_mod.Exif | None:
    if not blocks.exif:
        # exifread gets a go where our walk could not finish. A HEIF, AVIF or JPEG XL file walked
        # to the end without an Exif item or box has none: exifread looks for the same ones (it
        # found none in any such file of the corpora), and importing it costs a worker ~25 ms.
        if blocks.structure_error:
            found = exif_mod.read_exif_file(data)
            if found is not None:
                md.containers.append("EXIF")
                md.notes.append("EXIF located and read by exifread")
                md.notes.extend(found.notes)
            return found
        return None
    md.containers.append("EXIF")
    if len(blocks.exif) > 1:
        md.notes.append(f"{len(blocks.exif)} EXIF blocks; the first ({blocks.exif[0].where}) was read")
    result = exif_mod.read_exif(blocks.exif[0])
    md.notes.extend(result.notes)
    for err in result.errors:
        md.container_errors.append(ContainerError("EXIF", err))
    return result


def _read_iptc(blocks: Blocks, md: Metadata) -> iptc_mod.Iptc | None:
    if not blocks.iptc:
        return None
    md.containers.append("IPTC")
    block = blocks.iptc[0]
    if not block.data.strip(b"\x00"):
        return None  # an empty IPTC resource (Photoshop writes them): nothing to read
    result = iptc_mod.read_iptc(block, blocks.irb)
    md.notes.extend(result.notes)
    return result


def _read_xmp(blocks: Blocks, md: Metadata) -> xmp_mod.Props | None:
    if not blocks.xmp:
        return None
    md.containers.append("XMP")
    if len(blocks.xmp) > 1:
        md.notes.append(f"{len(blocks.xmp)} XMP packets; the first ({blocks.xmp[0].where}) was read")
    props = xmp_mod.parse(blocks.xmp[0].data)
    ext = _extended_xmp(blocks, props, md)
    if ext:
        for k, v in ext.items():
            props.setdefault(k, v)
    return props


def _extended_xmp(blocks: Blocks, props: xmp_mod.Props, md: Metadata) -> xmp_mod.Props | None:
    """JPEG ExtendedXMP: chunks with the GUID named by xmpNote:HasExtendedXMP, joined in order."""
    guid = props.get((xmp_mod.NS["xmpNote"], "HasExtendedXMP"))
    if not blocks.extended_xmp:
        return None
    if not isinstance(guid, str) or guid.encode() not in blocks.extended_xmp:
        md.notes.append("ExtendedXMP present but not referenced by the main packet: ignored")
        return None
    chunks = blocks.extended_xmp[guid.encode()]
    joined = b"".join(chunks[o] for o in sorted(chunks))
    if len(joined) > xmp_mod.MAX_PACKET_BYTES:
        md.container_errors.append(ContainerError("XMP", f"ExtendedXMP of {len(joined):,} bytes exceeds the limit"))
        return None
    try:
        return xmp_mod.parse(joined)
    except xmp_mod.XmpError as exc:
        md.container_errors.append(ContainerError("XMP", f"ExtendedXMP: {exc}"))
        return None
