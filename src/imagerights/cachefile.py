"""Derived data kept between runs in the user's cache folder: built once, loaded in milliseconds.

The licence catalogue (~650 TOML files: most of a second to parse, ~90 ms from JSON) and its
look-up tables are loaded by every command and by every audit's worker fork server; from a
pickle they load in ~40 ms. Each entry is keyed by a digest of everything it was built from
(the data files' names, sizes and times, and the code that builds it), so an edit or an upgrade
simply misses and rebuilds.

Pickle runs code when loaded, so a file is only read if it belongs to this user and nobody else
may write to it or to its folder (the same test ssh applies to its keys); anything else is
ignored and rebuilt. Nothing here is ever needed: every failure is a miss.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import time
from pathlib import Path
from typing import Any, Iterable

SCHEMA = 1
PRUNE_DAYS = 30


def cache_dir() -> Path:
    """``$IMAGERIGHTS_CACHE_DIR``, else ``$IMAGERIGHTS_DATA_DIR/cache``, else the platform's user cache folder."""
    env = os.environ.get("IMAGERIGHTS_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    data = os.environ.get("IMAGERIGHTS_DATA_DIR")
    if data:
        return Path(data).expanduser() / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir("imagerights", appauthor=False))


def digest(parts: Iterable[Any]) -> str:
    h = hashlib.sha256(f"{SCHEMA}".encode())
    for part in parts:
        h.update(b"\0" + str(part).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def code_stamp(*modules: Any) -> tuple:
    """Size and time of the modules' source files: part of a key, so editing the code that builds
    an entry (an editable install) invalidates it like an upgrade does."""
    out = []
    for mod in modules:
        try:
            st = os.stat(mod.__file__)
            out.append((mod.__name__, st.st_size, st.st_mtime_ns))
        except (AttributeError, TypeError, OSError):
            out.append((getattr(mod, "__name__", "?"), None))
    return tuple(out)


def _prefix(name: str, source: str) -> str:
    return f"{name}-{digest([source])[:12]}"


def _path(name: str, source: str, key: str) -> Path:
    return cache_dir() / f"{_prefix(name, source)}-{key[:24]}.pickle"


def _trusted(path: Path) -> bool:
    try:
        for p in (path, path.parent):
            st = os.stat(p)
            if hasattr(os, "getuid") and st.st_uid != os.getuid():
                return False
            if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
                return False
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def read(name: str, source: str, key: str) -> Any | None:
    """The object stored as ``name`` built from ``source`` (e.g. a folder) with content ``key``,
    or None (missing, stale, foreign or unreadable)."""
    try:
        path = _path(name, source, key)
        if not _trusted(path):
            return None
        with open(path, "rb") as fh:
            stored_key, obj = pickle.load(fh)
        return obj if stored_key == key else None
    except Exception:  # noqa: BLE001 - a broken cache entry is a miss
        return None


def write(name: str, source: str, key: str, obj: Any) -> None:
    """Store ``obj`` atomically (readers see the old entry or the new one, never half). Older
    entries of the same ``name`` and ``source`` are removed, and any of the same ``name`` unused
    for :data:`PRUNE_DAYS` by its access time (another checkout or version, since gone); entries
    of other sources stay, so two installations do not keep replacing each other's."""
    try:
        path = _path(name, source, key)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((key, obj), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        same_source = _prefix(name, source) + "-"
        cutoff = time.time() - PRUNE_DAYS * 86400
        for old in path.parent.glob(f"{name}-*.pickle"):
            if old == path:
                continue
            if old.name.startswith(same_source) or old.stat().st_atime < cutoff:
                old.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 - no cache then; the caller has built the object anyway
        pass
