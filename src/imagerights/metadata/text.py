"""Turning the bytes of metadata strings into text, the way careful readers do.

Why this module exists: every container has its own idea of a character set, and
Swedish names (Åsa Öberg, Malmö) are exactly what breaks when a reader guesses wrong.

* EXIF "ASCII" (type 2) is written as UTF-8 by modern tools (MWG, Exif 3.0) and as
  cp1252/Latin-1 by older Windows software: strict UTF-8 first, else cp1252 — and the
  caller is told that the encoding was guessed.
* EXIF type 129 (Exif 3.0) is UTF-8 by definition.
* XP* tags (XPAuthor …) are always UCS-2 little-endian.
* UserComment starts with an 8-byte character-code prefix.
* IPTC-IIM honours 1:90 (``ESC % G`` = UTF-8); without it, UTF-8 if valid else cp1252
  (ExifTool's default).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UTF8_MARKER = b"\x1b%G"  # ISO 2022 escape for UTF-8 in IPTC 1:90

# cp1252 leaves five bytes undefined; Latin-1 gives them a (control) code point instead.
_CP1252_HOLES = frozenset(b"\x81\x8d\x8f\x90\x9d")

# "Ã¥", "Ã¶", "Ã…": UTF-8 bytes that were decoded as Latin-1/cp1252 and re-encoded as UTF-8.
_DOUBLE_ENCODED = re.compile("[\u00c2\u00c3][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]")


@dataclass
class Decoded:
    """A decoded string and how it was decoded (``encoding``; ``guessed`` when the bytes did not say)."""

    text: str
    encoding: str
    guessed: bool = False

    @property
    def suspicious(self) -> bool:
        """True when the text looks double-encoded (UTF-8 read as Latin-1 and written again)."""
        return bool(_DOUBLE_ENCODED.search(self.text))


def decode_legacy(raw: bytes) -> Decoded:
    """Bytes without a declared charset: strict UTF-8 if valid, else cp1252 (guessed)."""
    if raw.isascii():
        return Decoded(raw.decode("ascii"), "ascii")
    try:
        return Decoded(raw.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if any(b in _CP1252_HOLES for b in raw):
        return Decoded(raw.decode("latin-1"), "latin-1", guessed=True)
    return Decoded(raw.decode("cp1252"), "cp1252", guessed=True)


def strip_nuls(raw: bytes) -> bytes:
    """Trailing NUL padding and blanks go; inner bytes stay."""
    return raw.rstrip(b"\x00").rstrip(b" \x00")


def decode_exif_ascii(raw: bytes) -> Decoded:
    """An EXIF ASCII value: cut at the first NUL (as ExifTool does), then UTF-8 → cp1252."""
    raw = raw.split(b"\x00", 1)[0]
    d = decode_legacy(raw)
    d.text = d.text.rstrip()
    return d


def decode_exif_copyright(raw: bytes) -> Decoded:
    """EXIF Copyright is ``photographer NUL editor NUL``: both parts are kept, joined by a newline.

    This is how ExifTool shows it. A single space stands for "no photographer notice", so
    an editor-only value comes out as just the editor part.
    """
    parts = raw.split(b"\x00")
    photographer = parts[0].rstrip(b" ")
    editor = parts[1].rstrip(b" ") if len(parts) > 1 else b""
    first = decode_legacy(photographer)
    if not editor:
        first.text = first.text.rstrip()
        return first
    second = decode_legacy(editor)
    text = "\n".join(p for p in (first.text.strip(), second.text.strip()) if p)
    guessed = first.guessed or second.guessed
    enc = first.encoding if first.encoding == second.encoding else f"{first.encoding}+{second.encoding}"
    return Decoded(text, enc, guessed)


def decode_utf8(raw: bytes) -> Decoded:
    """Exif 3.0 UTF-8 (type 129): UTF-8 by definition; invalid bytes are replaced, not guessed."""
    raw = raw.split(b"\x00", 1)[0]
    try:
        return Decoded(raw.decode("utf-8").rstrip(), "utf-8")
    except UnicodeDecodeError:
        return Decoded(raw.decode("utf-8", "replace").rstrip(), "utf-8", guessed=True)


def decode_ucs2le(raw: bytes) -> Decoded:
    """Windows XP* tags: UCS-2 little-endian, NUL terminated."""
    if len(raw) % 2:
        raw = raw[:-1]
    text = raw.decode("utf-16-le", "replace")
    return Decoded(text.split("\x00", 1)[0].rstrip(), "utf-16-le")


def decode_user_comment(raw: bytes, big_endian: bool = False) -> Decoded:
    """EXIF UserComment: 8-byte code (``ASCII``, ``UNICODE``, ``JIS`` or NULs) + text."""
    if len(raw) < 8:
        return decode_legacy(strip_nuls(raw))
    code, body = raw[:8], raw[8:]
    if code.rstrip(b"\x00 ") in (b"ASCII", b""):
        d = decode_legacy(body.split(b"\x00", 1)[0])
        d.text = d.text.rstrip()
        return d
    if code.rstrip(b"\x00 ") == b"UNICODE":
        return _decode_utf16_guess(body, big_endian)
    if code.rstrip(b"\x00 ") == b"JIS":
        for enc in ("iso2022_jp", "shift_jis", "euc_jp"):
            try:
                return Decoded(body.split(b"\x00", 1)[0].decode(enc).rstrip(), enc)
            except UnicodeDecodeError:
                continue
        return Decoded(body.decode("latin-1").rstrip("\x00 "), "latin-1", guessed=True)
    d = decode_legacy(strip_nuls(raw))  # invalid code: keep everything (ExifTool does too)
    d.guessed = True
    return d


def _decode_utf16_guess(body: bytes, big_endian: bool) -> Decoded:
    """UTF-16 in UserComment: BOM if present, else the EXIF byte order, unless the other order
    gives clearly more ASCII (Microsoft writes little-endian into big-endian EXIF)."""
    if body[:2] in (b"\xff\xfe", b"\xfe\xff"):
        enc = "utf-16-le" if body[:2] == b"\xff\xfe" else "utf-16-be"
        body = body[2:]
    else:
        if len(body) % 2:
            body = body[:-1]
        even_zero = sum(1 for b in body[0::2] if b == 0)
        odd_zero = sum(1 for b in body[1::2] if b == 0)
        if even_zero != odd_zero:
            enc = "utf-16-be" if even_zero > odd_zero else "utf-16-le"
        else:
            enc = "utf-16-be" if big_endian else "utf-16-le"
    text = body.decode(enc, "replace").split("\x00", 1)[0].rstrip()
    return Decoded(text, enc)


def iptc_is_utf8(charset_1_90: bytes | None) -> bool:
    """True when IPTC record 1:90 declares UTF-8 (``ESC % G``, optionally ``ESC % / I`` forms)."""
    if not charset_1_90:
        return False
    return UTF8_MARKER in charset_1_90 or charset_1_90.startswith(b"\x1b%/I")


def decode_iptc(raw: bytes, utf8: bool) -> Decoded:
    """An IIM dataset value: UTF-8 when 1:90 says so, else UTF-8 if valid else cp1252."""
    raw = raw.rstrip(b"\x00")
    if utf8:
        try:
            return Decoded(raw.decode("utf-8"), "utf-8")
        except UnicodeDecodeError:
            d = decode_legacy(raw)  # declared UTF-8 but is not: say so
            d.guessed = True
            return d
    return decode_legacy(raw)


def decode_png_latin1(raw: bytes) -> str:
    """PNG tEXt/zTXt are Latin-1 by specification."""
    return raw.decode("latin-1")


_WS = re.compile(r"\s+")


def clean(text: str | None) -> str | None:
    """Trim; an empty or blank value is no value."""
    if text is None:
        return None
    text = text.replace("\x00", "").strip()
    return text or None


def normalise(text: str) -> str:
    """For comparing values across containers: case, whitespace and ©/(c) spelling ignored."""
    t = text.casefold().replace("(c)", "©").replace("copyright ©", "©")
    return _WS.sub(" ", t).strip()
