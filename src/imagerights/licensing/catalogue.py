"""The licence catalogue: every TOML file under ``licenses/`` (except brands/ and policy/)."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

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
    def from_dir(cls, root: Path) -> "Catalogue":
        licenses = []
        for path in sorted(root.rglob("*.toml")):
            rel = path.relative_to(root)
            if _NOT_LICENCES & set(rel.parts[:-1]) or str(rel) in _NOT_LICENCE_FILES:
                continue
            with path.open("rb") as fh:
                licenses.append(license_from_dict(tomllib.load(fh), source_file=str(path.relative_to(root))))
        return cls(licenses)


@cache
def default_catalogue() -> Catalogue:
    """The catalogue shipped with the package (loaded once per process)."""
    return Catalogue.from_dir(licenses_dir())
