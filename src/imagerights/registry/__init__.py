"""The organisation's asset registry and the perceptual matching behind it.

* ``store.py`` — the :class:`Store` interface, :class:`Asset` / :class:`Fingerprint` records,
  :func:`open_store` (SQLite file by default, ``postgresql://`` for an organisation-wide registry).
* ``schema.py`` — the versioned schema, one definition for every SQL backend; ``sql.py`` the
  shared SQL implementation; ``sqlite.py`` the default backend.
* ``hashing.py`` / ``index.py`` / ``verify.py`` / ``match.py`` — fingerprints, the in-memory
  candidate index, geometric verification and the :class:`Matcher` used by ``check``.
"""

from __future__ import annotations

from typing import Any

from imagerights.registry.store import (  # noqa: F401
    CONSENT,
    STATUS,
    Asset,
    DuplicateAsset,
    Fingerprint,
    RegistryError,
    Store,
    UnknownAsset,
    open_store,
)

__all__ = ["CONSENT", "STATUS", "Asset", "DuplicateAsset", "Fingerprint", "RegistryError", "Store", "UnknownAsset",
           "open_matcher", "open_store"]


def open_matcher(registry_url: str | None = None) -> Any:
    """The :class:`~imagerights.registry.match.Matcher` for ``check`` (see ``match.open_matcher``)."""
    from imagerights.registry.match import open_matcher as _open

    return _open(registry_url)
