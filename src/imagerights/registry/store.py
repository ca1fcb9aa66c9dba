"""The registry store: the interface every backend implements, and the records it holds.

The registry is the organisation's list of images it knows the rights to: licensed stock
(Colourbox asset 4711, licensed until 2027-03-31, editorial only), CC photos it found
(Anna Andersson's CC BY-SA photo on Flickr) and its own photographs. Each image is an
:class:`Asset` (what we know about its rights) plus a :class:`Fingerprint` (what the
matcher needs to recognise edited copies of it).

Backends
--------
:class:`Store` is a small abstract interface; the matcher (``index.py``, ``match.py``),
the CLI and the rules only ever talk to it. Two implementations share one SQL
definition (``schema.py``: migrations written once, rendered per :class:`~imagerights.registry.schema.Dialect`):

* ``sqlite.py`` — :class:`~imagerights.registry.sqlite.SQLiteStore`, the default: one file in
  the user's data directory, or any path given by ``--registry`` / ``IMAGERIGHTS_REGISTRY``.
* ``postgres.py`` — an organisation-wide PostgreSQL registry (``postgresql://…``), built on
  :class:`~imagerights.registry.sql.SQLStore` exactly like SQLite is.

:func:`open_store` picks the backend from the URL.

Contract (what a backend must guarantee)
-----------------------------------------
* ``add`` inserts an asset and its fingerprint together or not at all; the same file
  (same ``sha256``) is stored once (:class:`DuplicateAsset` otherwise).
* ``transaction()`` groups writes: an import is one transaction, so an interrupted import
  (exception, Ctrl-C, killed process) leaves no partial asset. Transactions nest (only the
  outermost one commits). A write outside ``transaction()`` is its own transaction.
* ``index_rows()`` streams ``(asset_id, index_key)`` for every asset, in a stable order,
  cheaply (the in-memory index is built from it at start-up); ``fingerprint(id)`` fetches the
  full fingerprint of one asset (for verification of a candidate).
* Reads never modify the store; ``schema_version()`` is the applied migration number.
* Errors a user can fix raise :class:`RegistryError` with a message fit to print.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from abc import ABC, abstractmethod
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Iterator

CONSENT = ("none", "oral", "written", "model-release", "not-needed")
STATUS = ("active", "do-not-use")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
DEFAULT_FILE = "registry.db"


class RegistryError(Exception):
    """A registry problem the user can fix (bad URL, unknown id, newer schema, bad value …)."""


class DuplicateAsset(RegistryError):
    """The file (its sha256) or the asset id is already registered."""

    def __init__(self, message: str, existing_id: str):
        super().__init__(message)
        self.existing_id = existing_id


class UnknownAsset(RegistryError):
    pass


def _norm_consent(value: str | None) -> str:
    if value is None or value == "":
        return "none"
    v = value.strip().lower().replace("_", "-").replace(" ", "-")
    v = {"model": "model-release", "release": "model-release", "modelrelease": "model-release",
         "not-required": "not-needed", "n/a": "not-needed", "no": "none"}.get(v, v)
    if v not in CONSENT:
        raise RegistryError(f"unknown consent status {value!r}; choose from {', '.join(CONSENT)}")
    return v


def _norm_status(value: str | None) -> str:
    v = (value or "active").strip().lower().replace("_", "-").replace(" ", "-")
    v = {"dnu": "do-not-use", "blocked": "do-not-use"}.get(v, v)
    if v not in STATUS:
        raise RegistryError(f"unknown status {value!r}; choose from {', '.join(STATUS)}")
    return v


def parse_date(value: Any) -> dt.date | None:
    """An ISO date (``2027-03-31``) or None; a clear error otherwise."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise RegistryError(f"not an ISO date (YYYY-MM-DD): {value!r}") from None


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


@dataclass
class Asset:
    """What the organisation knows about one registered image's rights.

    ``channels`` empty means "any channel". ``people_present`` None means "not recorded".
    ``consent`` is one of :data:`CONSENT`; ``consent_ref`` points at the signed form,
    the case number or the agreement. ``status`` ``do-not-use`` stops every use.
    """

    asset_id: str
    sha256: str
    title: str = ""
    creators: list[str] = field(default_factory=list)
    source_url: str | None = None
    license_id: str | None = None
    expires: dt.date | None = None
    channels: list[str] = field(default_factory=list)
    editorial_only: bool = False
    consent: str = "none"
    consent_ref: str | None = None
    people_present: bool | None = None
    status: str = "active"
    notes: str = ""
    file_name: str = ""
    size: int | None = None
    width: int | None = None
    height: int | None = None
    added_at: str = ""
    added_by: str = ""
    updated_at: str | None = None

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        if not ID_PATTERN.match(self.asset_id or ""):
            raise RegistryError(f"invalid asset id {self.asset_id!r}: use letters, digits and . _ : - (max 64)")
        if not re.fullmatch(r"[0-9a-f]{64}", self.sha256 or ""):
            raise RegistryError(f"invalid sha256 {self.sha256!r}")
        self.consent = _norm_consent(self.consent)
        self.status = _norm_status(self.status)
        self.expires = parse_date(self.expires)
        self.creators = [c.strip() for c in self.creators if c and c.strip()]
        self.channels = [c.strip().lower() for c in self.channels if c and c.strip()]
        self.editorial_only = bool(self.editorial_only)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-able record (``RegistryMatch.asset``, ``registry show``, ``export``)."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["expires"] = self.expires.isoformat() if self.expires else None
        out["creators"] = list(self.creators)
        out["channels"] = list(self.channels)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Asset":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def with_changes(self, **changes: Any) -> "Asset":
        return replace(self, **changes)


# Fields ``update`` may change (identity, file facts and timestamps are not editable).
EDITABLE = ("title", "creators", "source_url", "license_id", "expires", "channels", "editorial_only",
            "consent", "consent_ref", "people_present", "status", "notes")


@dataclass
class Fingerprint:
    """What the matcher stores per asset; opaque bytes to the store (``hashing.py`` defines them).

    * ``algo`` — fingerprint algorithm version; a new version means "re-fingerprint".
    * ``index_key`` — the compact row of the in-memory candidate index (tens of bytes).
    * ``hashes`` — the full global hashes (all canonical crops), used to score candidates.
    * ``features`` — local features (keypoints + binary descriptors) for geometric verification.
    * ``thumb`` — a small image of the original, to explain how a copy differs (covered, recoloured).
    """

    algo: int
    index_key: bytes
    hashes: bytes
    features: bytes | None = None
    thumb: bytes | None = None

    @property
    def nbytes(self) -> int:
        return sum(len(b or b"") for b in (self.index_key, self.hashes, self.features, self.thumb))


@dataclass(frozen=True)
class IndexChanges:
    """What changed in the registry after a generation (see :meth:`Store.index_changes`).

    Entries give each touched asset's *current* state, so applying them is idempotent.
    """

    seq: int  # the generation these changes bring the reader up to; pass it next time
    upserts: list[tuple[str, bytes]]  # (asset_id, index_key) to add or replace in the index
    removed: list[str]  # ids to drop (deleted, or now fingerprinted with another algorithm)
    changed: list[str]  # every id touched, metadata edits too (for caches of Asset records)


class Store(ABC):
    """The registry storage interface (see the module docstring for the contract)."""

    url: str

    # --- lifecycle -------------------------------------------------------------------------
    @abstractmethod
    def schema_version(self) -> int:
        """The applied schema version (the highest migration number)."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection; the store is unusable afterwards."""

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @abstractmethod
    def transaction(self) -> AbstractContextManager[None]:
        """Group writes atomically; nests; rolls back on any exception (incl. KeyboardInterrupt)."""

    # --- writes ----------------------------------------------------------------------------
    @abstractmethod
    def add(self, asset: Asset, fingerprint: Fingerprint) -> None:
        """Insert asset + fingerprint. :class:`DuplicateAsset` if its sha256 or id exists."""

    @abstractmethod
    def update(self, asset_id: str, **changes: Any) -> Asset:
        """Change :data:`EDITABLE` fields of an asset; returns the new record."""

    @abstractmethod
    def set_fingerprint(self, asset_id: str, fingerprint: Fingerprint) -> None:
        """Replace an asset's fingerprint (re-fingerprinting after an algorithm change)."""

    @abstractmethod
    def remove(self, asset_id: str) -> bool:
        """Delete the asset and its fingerprint; False if it did not exist."""

    # --- reads -----------------------------------------------------------------------------
    @abstractmethod
    def get(self, asset_id: str) -> Asset | None:
        ...

    @abstractmethod
    def find_sha256(self, sha256: str) -> Asset | None:
        ...

    @abstractmethod
    def resolve(self, id_or_prefix: str) -> str:
        """The full id for an id or a unique id prefix (≥4 chars); :class:`UnknownAsset` otherwise."""

    @abstractmethod
    def assets(self, *, status: str | None = None, license_id: str | None = None) -> Iterator[Asset]:
        """All assets ordered by id, optionally filtered."""

    @abstractmethod
    def count(self) -> int:
        ...

    @abstractmethod
    def fingerprint(self, asset_id: str) -> Fingerprint | None:
        ...

    @abstractmethod
    def fingerprints(self, asset_ids: list[str]) -> dict[str, Fingerprint]:
        """Several fingerprints in one round trip (verification of the top candidates)."""

    def fingerprint_hashes(self, asset_ids: list[str]) -> dict[str, bytes]:
        """Only the ``hashes`` of several fingerprints (scoring candidates needs no more; a
        backend may override this to skip reading the features and thumbnails)."""
        return {k: v.hashes for k, v in self.fingerprints(asset_ids).items()}

    @abstractmethod
    def index_rows(self, algo: int) -> Iterator[tuple[str, bytes]]:
        """``(asset_id, index_key)`` of every asset fingerprinted with ``algo``, ordered by id."""

    @abstractmethod
    def stale_fingerprints(self, algo: int) -> list[str]:
        """Ids of assets whose fingerprint is missing or of another algorithm version."""

    @abstractmethod
    def changed_token(self) -> str:
        """A value that changes whenever assets are added/removed (to cache the index)."""

    def change_seq(self) -> int:
        """The registry's generation: grows with every committed write transaction."""
        return 0

    def index_changes(self, algo: int, since: int) -> IndexChanges | None:
        """Index rows changed after generation ``since``; None means "reload everything"
        (no change log, history pruned, or ``since`` is from another registry)."""
        return None


# --------------------------------------------------------------------------------------------
# Where the registry lives
# --------------------------------------------------------------------------------------------

def data_dir() -> Path:
    """The user's data directory: ``$IMAGERIGHTS_DATA_DIR`` or platformdirs' user data dir."""
    env = os.environ.get("IMAGERIGHTS_DATA_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("imagerights", appauthor=False))


def default_registry_path() -> Path:
    return data_dir() / DEFAULT_FILE


def registry_url(url: str | os.PathLike | None = None) -> str:
    """The registry to use: the argument, else ``$IMAGERIGHTS_REGISTRY``, else the default file."""
    if url:
        return str(url)
    env = os.environ.get("IMAGERIGHTS_REGISTRY")
    if env:
        return env
    return str(default_registry_path())


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def is_default(url: str | os.PathLike | None) -> bool:
    return not url and not os.environ.get("IMAGERIGHTS_REGISTRY")


def sqlite_path(url: str) -> Path:
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///"):]).expanduser()
    if url.startswith("sqlite://"):
        return Path(url[len("sqlite://"):]).expanduser()
    if "://" in url:
        from imagerights.registry.urls import redact  # a mistyped scheme may still carry a password

        raise RegistryError(f"unsupported registry URL {redact(url)!r}: use a file path, sqlite:///path "
                            "or postgresql://…")
    return Path(url).expanduser()


def open_store(url: str | os.PathLike | None = None, *, create: bool = True, readonly: bool = False) -> Store:
    """Open (and migrate) the registry at ``url`` (see :func:`registry_url`).

    ``create=False`` raises :class:`RegistryError` when a SQLite file does not exist, instead
    of creating it. ``readonly`` opens without writing (no migration; fails on an old schema).
    """
    resolved = registry_url(url)
    if is_postgres(resolved):
        try:
            from imagerights.registry.postgres import PostgresStore  # type: ignore[import-not-found]
        except ImportError as exc:
            raise RegistryError(f"PostgreSQL registry support is not available ({exc}); "
                                "install imagerights[postgres]") from None
        return PostgresStore(resolved, readonly=readonly)
    from imagerights.registry.sqlite import SQLiteStore

    path = sqlite_path(resolved)
    if not path.exists() and not create:
        raise RegistryError(f"registry {path} does not exist")
    return SQLiteStore(path, readonly=readonly)
