"""The licence catalogue: every TOML file under ``licenses/`` (except brands/ and policy/)."""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path

from imagerights.licensing.model import License, license_from_dict
from imagerights.resources import licenses_dir

# Sub-folders and files of licenses/ that hold other data, not licence definitions.
_NOT_LICENCES = {"brands", "policy"}
_NOT_LICENCE_FILES = {"channels.toml", "prohibitions.toml"}


class Catalogue:
    """All known licences and statements, by id (case-insensitive lookup)."""

    def __init__(self, licenses: list[License]):
        self.cache_source: str | None = None  # set when loaded through the user cache (from_dir)
        self.cache_key: str | None = None
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
        """Load every licence definition under ``root``. ``use_cache``: keep the loaded catalogue
        in the user's cache folder (:mod:`imagerights.cachefile`), keyed by the files' names,
        sizes and times (parsing the ~650 files with tomllib takes most of a second; the cache
        ~40 ms). A cached catalogue has its key in ``cache_key`` (for look-up tables built from it)."""
        files = _licence_files(root)
        if not use_cache:
            return cls(_parse(files))
        from imagerights import cachefile
        from imagerights.licensing import model

        source = os.path.realpath(root)
        key = cachefile.digest([_CACHE_SCHEMA, source, cachefile.code_stamp(model),
                                *(f"{rel}\0{size}\0{mtime}" for rel, _, size, mtime in files)])
        licences = cachefile.read("catalogue", source, key)
        if not isinstance(licences, list):
            licences = _parse(files)
            cachefile.write("catalogue", source, key, licences)
        cat = cls(licences)
        cat.cache_source, cat.cache_key = source, key
        return cat


_CACHE_SCHEMA = 2  # 1: the parsed TOML as JSON; 2: the License records, pickled


def _licence_files(root: Path) -> list[tuple[str, str, int, int]]:
    """(relative path with "/", full path, size, mtime) of every licence TOML file, sorted by path."""
    out = []

    def scan(folder: str, rel: str) -> None:
        with os.scandir(folder) as it:
            for entry in it:
                sub = f"{rel}/{entry.name}" if rel else entry.name
                if entry.is_dir():
                    if entry.name not in _NOT_LICENCES:
                        scan(entry.path, sub)
                elif entry.name.endswith(".toml") and entry.is_file() and sub not in _NOT_LICENCE_FILES:
                    st = entry.stat()
                    out.append((sub, entry.path, st.st_size, st.st_mtime_ns))

    scan(str(root), "")
    out.sort(key=lambda f: f[0].split("/"))
    return out


def _parse(files: list[tuple[str, str, int, int]]) -> list[License]:
    licences = []
    for rel, path, _, _ in files:
        with open(path, "rb") as fh:
            licences.append(license_from_dict(tomllib.load(fh), source_file=str(Path(rel))))
    return licences


@cache
def default_catalogue() -> Catalogue:
    """The catalogue shipped with the package (loaded once per process)."""
    return Catalogue.from_dir(licenses_dir(), use_cache=True)
