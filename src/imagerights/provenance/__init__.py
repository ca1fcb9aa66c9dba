"""Content Credentials (C2PA): read offline, never fetch, never raise.

``read_provenance(src)`` returns ``None`` when the file has no C2PA manifest at all
(embedded or referenced), else a :class:`~imagerights.facts.Provenance`:

* with the ``imagerights[c2pa]`` extra: validated by c2pa-python (signer, claim generator,
  actions with software agents, ingredients, digital source types, validation state);
* without it: found by its bytes (``jumbf.detect``) and reported as
  "Content Credentials present, not verified — install imagerights[c2pa]".
"""

from __future__ import annotations

from imagerights.facts import Provenance
from imagerights.provenance import jumbf
from imagerights.provenance.sdk import HAVE_SDK, read_with_sdk, sniff_mime

NOT_VERIFIED_NOTE = "Content Credentials present, not verified — install imagerights[c2pa]"
REMOTE_NOTE = "remote credentials not checked (offline)"


def read_provenance(src) -> Provenance | None:
    """Content Credentials of ``src`` (a :class:`~imagerights.imaging.SourceImage`) or ``None``."""
    try:
        return _read(src.data, src.format)
    except Exception as exc:  # noqa: BLE001 - a reader never raises: report what we know
        det = jumbf.detect(src.data)
        if not det.present:
            return None
        return Provenance(present=True, verified=False, state="not_verified", container=det.container,
                          remote_url=det.remote_url, note=f"Content Credentials present, not read ({type(exc).__name__})")


def read_provenance_bytes(data: bytes, pil_format: str | None = None) -> Provenance | None:
    """The same for raw bytes (used by tests and the CLI when Pillow cannot open the file)."""
    try:
        return _read(data, pil_format)
    except Exception:  # noqa: BLE001
        return None


def _read(data: bytes, pil_format: str | None) -> Provenance | None:
    det = jumbf.detect(data)
    if not det.present:
        return None
    if not det.embedded:  # only a cloud reference: never fetched
        return Provenance(present=True, verified=False, state="not_verified", remote_url=det.remote_url,
                          note=f"{REMOTE_NOTE}: {det.remote_url}")
    mime = sniff_mime(data, pil_format)
    if not HAVE_SDK or mime is None:
        note = NOT_VERIFIED_NOTE if not HAVE_SDK else "Content Credentials present, not verified (format not supported by the C2PA SDK)"
        return Provenance(present=True, verified=False, state="not_verified", container=det.container,
                          remote_url=det.remote_url, note=note)
    prov = read_with_sdk(data, mime, det.remote_url)
    if prov is None:  # the bytes looked like C2PA but the SDK found no manifest store
        return Provenance(present=True, verified=False, state="not_verified", container=det.container,
                          note="C2PA data found but no readable manifest store")
    prov.container = det.container
    return prov


__all__ = ["read_provenance", "read_provenance_bytes", "NOT_VERIFIED_NOTE", "REMOTE_NOTE", "HAVE_SDK"]
