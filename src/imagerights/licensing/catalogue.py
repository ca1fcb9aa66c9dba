"""The licence catalogue: every TOML file under ``licenses/`` (except brands/ and policy/)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from imagerights.licensing.model import License, license_from_dict
from imagerights.resources import licenses_dir

# Sub-folders and files of licenses/ that hold other data, not licence definitions.
_NOT_LICENCES = {"brands", "policy"}
_NOT_LICENCE_FILES = {"channels.toml"}


class Catalogue:
    """All known licences and statements, by id (case-insensitive lookup)."""

    def __init__(self, licenses: list[License]):
        self._by_id: dict[str, License] = {}
        for lic in licenses:
            key = lic.id.lower()
            if key in self._by_id:
                raise ValueError(f"duplicate licence id {lic.id!r} ({lic.source_file} and {self._by_id[key].source_file})")
            self._by_id[key] = lic

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self):
        return iter(sorted(self._by_id.values(), key=lambda l: l.id))

    def __contains__(self, license_id: str) -> bool:
        return license_id.lower() in self._by_id

    def get(self, license_id: str) -> License | None:
        return self._by_id.get(license_id.lower())

    def __getitem__(self, license_id: str) -> License:
        lic = self.get(license_id)
        if lic is None:
            raise KeyError(license_id)
        return lic

    @classmethod
    def from_dir(cls, root: Path, *, use_cache: bool = False) -> "Catalogue":
        """Load every licence definition under ``root``. ``use_cache``: keep the parsed TOML
        in the user's cache directory, keyed by the files' names, sizes and times (parsing
        the ~650 files with tomllib takes most of a second; the cache a few milliseconds)."""
        paths = [p for p in sorted(root.rglob("*.toml")) if _is_licence_file(p.relative_to(root))]
        docs = _cached_docs(root, paths) if use_cache else None
        if docs is None:
            docs = []
            for path in paths:
                with path.open("rb") as fh:
                    docs.append((str(path.relative_to(root)), tomllib.load(fh)))
            if use_cache:
                _store_docs(root, paths, docs)
        return cls([license_from_dict(doc, source_file=rel) for rel, doc in docs])


def _is_licence_file(rel: Path) -> bool:
    return not (_NOT_LICENCES & set(rel.parts[:-1]) or str(rel) in _NOT_LICENCE_FILES)


# ---- parse cache ------------------------------------------------------------------------
_CACHE_SCHEMA = 1


def _cache_key(root: Path, paths: list[Path]) -> str:
    h = hashlib.sha256(f"{_CACHE_SCHEMA}\0{root.resolve()}".encode())
    for p in paths:
        st = p.stat()
        h.update(f"\0{p.relative_to(root)}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    return h.hexdigest()


def _cache_file(key: str) -> Path | None:
    try:
        from imagerights.audit.cache import cache_dir
    except ImportError:  # pragma: no cover - the audit package is part of imagerights
        return None
    return cache_dir() / f"catalogue-{key[:24]}.json"


def _encode(obj: Any) -> Any:
    if isinstance(obj, dt.datetime | dt.date | dt.time):
        return {"$t": type(obj).__name__, "v": obj.isoformat()}
    if isinstance(obj, dict):
        return {k: _encode(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_encode(v) for v in obj]
    return obj


def _decode_hook(obj: dict) -> Any:
    if len(obj) == 2 and "$t" in obj and "v" in obj:
        return getattr(dt, obj["$t"]).fromisoformat(obj["v"])
    return obj


def _cached_docs(root: Path, paths: list[Path]) -> list[tuple[str, dict]] | None:
    try:
        key = _cache_key(root, paths)
        path = _cache_file(key)
        if path is None or not path.is_file():
            return None
        data = json.loads(path.read_text(encoding="utf-8"), object_hook=_decode_hook)
        if data.get("key") != key:
            return None
        return [(rel, doc) for rel, doc in data["docs"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # an unreadable cache is simply rebuilt


def _store_docs(root: Path, paths: list[Path], docs: list[tuple[str, dict]]) -> None:
    try:
        key = _cache_key(root, paths)
        path = _cache_file(key)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"key": key, "docs": [[rel, _encode(doc)] for rel, doc in docs]},
                                  ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
        for old in path.parent.glob("catalogue-*.json"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # no cache then; the catalogue itself is loaded


@cache
def default_catalogue() -> Catalogue:
    """The catalogue shipped with the package (loaded once per process)."""
    return Catalogue.from_dir(licenses_dir(), use_cache=True)
