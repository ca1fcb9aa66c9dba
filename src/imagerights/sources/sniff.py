"""What kind of file is this? Decided from the first bytes, never from the name.

A shared folder holds ``photo.jpg`` files that are really PNGs, HEIC files renamed to
``.jpg`` by a phone export, and ``.docx`` files next to them. The audit walks every file,
reads :data:`SNIFF_BYTES` bytes and asks :func:`sniff_bytes` whether they start like an
image format Pillow (or its HEIF plug-in) can open. The file's extension is only used to
decide that a file *claims* to be an image (:func:`named_like_image`): such a file is
audited even when its content is not an image, so that the report says so.
"""

from __future__ import annotations

import re

SNIFF_BYTES = 64

# ISO base media (HEIF/AVIF) brands that are still images, not video (ISO/IEC 23008-12, AV1 image format).
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs",
                b"mif1", b"msf1", b"mif2", b"avif", b"avis", b"avio"}

IMAGE_EXTENSIONS = frozenset({
    "jpg", "jpeg", "jpe", "jfif", "png", "apng", "gif", "tif", "tiff", "bmp", "dib", "webp",
    "heic", "heif", "hif", "avif", "jp2", "j2k", "jpf", "jpx", "jxl", "psd", "ico", "cur",
    "pcx", "ppm", "pgm", "pbm", "pnm", "tga", "mpo", "dng", "cr2", "nef", "arw", "orf", "rw2",
    "eps", "svg", "fli", "flc", "dds", "icns", "qoi", "sgi", "xbm",
})


def sniff_bytes(head: bytes) -> str | None:
    """The image format the bytes start with (lower-case short name), or None.

    Signatures come from the formats' own specifications (JPEG SOI marker, PNG signature,
    TIFF byte-order mark + 42/43, RIFF/WEBP, ISO-BMFF ``ftyp`` brands …).
    """
    h = head
    if h[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if h[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if h[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if h[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    if h[:4] == b"RIFF" and h[8:12] == b"WEBP":
        return "webp"
    if h[4:8] == b"ftyp":
        brands = {h[8:12]} | {h[i:i + 4] for i in range(16, min(len(h), 40), 4)}
        if brands & _HEIF_BRANDS:
            return "avif" if brands & {b"avif", b"avis", b"avio"} and h[8:12] != b"heic" else "heif"
        return None  # mp4, mov, 3gp …: video, not an image
    if h[:12] == b"\x00\x00\x00\x0cjP  \r\n\x87\n" or h[:4] == b"\xff\x4f\xff\x51":
        return "jpeg2000"
    if h[:2] == b"\xff\x0a" or h[:12] == b"\x00\x00\x00\x0cJXL \r\n\x87\n":
        return "jxl"
    if h[:2] == b"BM" and len(h) >= 18 and int.from_bytes(h[14:18], "little") in (12, 16, 40, 52, 56, 64, 108, 124):
        return "bmp"
    if h[:4] == b"8BPS":
        return "psd"
    if h[:4] in (b"\x00\x00\x01\x00", b"\x00\x00\x02\x00") and len(h) >= 6 and 0 < int.from_bytes(h[4:6], "little") < 256:
        return "ico"
    if h[:4] == b"icns":
        return "icns"
    if h[:4] == b"qoif":
        return "qoi"
    if h[:4] == b"DDS ":
        return "dds"
    if h[:3] == b"PGF":
        return "pgf"
    if len(h) >= 2 and h[0] == 0x0A and h[1] in (0, 2, 3, 4, 5) and len(h) >= 3 and h[2] in (0, 1):
        return "pcx"
    if len(h) >= 6 and h[4:6] in (b"\x11\xaf", b"\x12\xaf"):
        return "fli"
    if re.match(rb"P[1-7][\s#]", h[:3]):
        return "pnm"
    if h[:4] == b"%!PS" or h[:4] == b"\xc5\xd0\xd3\xc6":
        return "eps"
    return None


def named_like_image(name: str) -> bool:
    """True when the file name's extension says "image" (content may still disagree)."""
    _, dot, ext = name.rpartition(".")
    return bool(dot) and ext.lower() in IMAGE_EXTENSIONS
