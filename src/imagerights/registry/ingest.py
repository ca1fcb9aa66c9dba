"""Registering images: from files + what the user says (flags, a CSV) + what the files say.

Precedence for each field, most specific first: a CSV row for that file → the command-line
flags → the file's own metadata (creator, title, licence via ``licensing.identify``, people
shown, model release). The asset id is the CSV's ``asset_id``, ``--id``, or the first 12 hex
digits of the file's sha256.

:func:`register` writes one transaction for the whole batch: an interrupted import (an
exception, Ctrl-C, a killed process) leaves no asset of it behind. Files that cannot be
registered (unreadable, not an image, already registered) are reported as skipped, with a
reason, and do not stop the others.
"""

from __future__ import annotations

import csv
import getpass
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from imagerights.imaging import ImageError, SourceImage, open_source
from imagerights.registry.store import (
    ID_PATTERN,
    Asset,
    DuplicateAsset,
    RegistryError,
    Store,
    _norm_consent as norm_consent,
    _norm_status as norm_status,
    parse_date,
)

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".jpe", ".png", ".tif", ".tiff", ".webp", ".heic", ".heif",
                            ".avif", ".gif", ".bmp", ".mpo", ".jxl"})
SIDECAR_NAMES = ("imagerights.csv", "registry.csv", "assets.csv")
# CSV columns (export writes them in this order; import reads any subset, ``path`` required).
CSV_COLUMNS = ("asset_id", "path", "title", "creators", "source_url", "license_id", "expires", "channels",
               "editorial_only", "consent", "consent_ref", "people_present", "status", "notes",
               "sha256", "file_name", "size", "width", "height", "added_at", "added_by")
LIST_SEPARATOR = ";"
# XMP-plus ModelReleaseStatus (PLUS vocabulary) → our consent statuses.
MODEL_RELEASE = {"MR-NON": "none", "MR-NAP": "not-needed", "MR-UMR": "model-release", "MR-LMR": "model-release"}


def split_list(value: Any, *, commas: bool = False) -> list[str]:
    """A ``;``-separated list (creators' names may contain commas: "Andersson, Anna");
    ``commas=True`` also splits at commas (channels)."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        parts = [str(v) for v in value]
    else:
        parts = [str(value)]
    out = []
    for p in parts:
        for q in p.split(LIST_SEPARATOR):
            out += q.split(",") if commas else [q]
    return [v.strip() for v in out if v.strip()]


def parse_bool(value: Any) -> bool | None:
    """yes/no/true/false/1/0/ja/nej → bool; empty/unknown → None; anything else is an error."""
    if value is None or isinstance(value, bool):
        return value
    v = str(value).strip().lower()
    if v in ("", "unknown", "?", "okänt", "-"):
        return None
    if v in ("1", "true", "yes", "y", "ja", "j", "x"):
        return True
    if v in ("0", "false", "no", "n", "nej"):
        return False
    raise RegistryError(f"not a yes/no value: {value!r}")


def resolve_license(text: str | None) -> str | None:
    """A licence id, URL or name → the catalogue's licence id; an unknown licence is an error."""
    if text is None or not str(text).strip():
        return None
    from imagerights.licensing.catalogue import default_catalogue
    from imagerights.licensing.identify import identify

    catalogue = default_catalogue()
    if catalogue.get(str(text).strip()) is not None:
        return catalogue.get(str(text).strip()).id
    found = identify(str(text), catalogue)
    if found is None:
        raise RegistryError(f"unknown licence {text!r} (see `imagerights licenses list`)")
    return found.id


def normalise_fields(raw: dict[str, Any]) -> dict[str, Any]:
    """User-given fields (flags or a CSV row, strings) → typed :class:`Asset` fields.
    Empty values are dropped so they do not override anything."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if value is None or (isinstance(value, str) and not value.strip()) or value == []:
            continue
        if key in ("creators", "channels"):
            out[key] = split_list(value, commas=key == "channels")
        elif key == "license_id":
            out[key] = resolve_license(value)
        elif key == "expires":
            out[key] = parse_date(value)
        elif key == "editorial_only":
            b = parse_bool(value)
            if b is not None:
                out[key] = b
        elif key == "people_present":
            out[key] = parse_bool(value)
        elif key == "consent":
            out[key] = norm_consent(str(value))
        elif key == "status":
            out[key] = norm_status(str(value))
        elif key == "asset_id":
            if not ID_PATTERN.match(str(value).strip()):
                raise RegistryError(f"invalid asset id {value!r}: use letters, digits and . _ : - (max 64)")
            out[key] = str(value).strip()
        elif key in ("title", "source_url", "consent_ref", "notes", "added_by"):
            out[key] = str(value).strip()
    return out


def fields_from_metadata(src: SourceImage) -> tuple[dict[str, Any], str | None]:
    """Creator, title, licence, people and model release from the file's metadata.

    Returns ``(fields, problem)``; a missing or failing metadata reader yields no fields and a
    note, never an error (registration does not depend on it).
    """
    try:
        from imagerights.metadata import read_metadata
    except ImportError:
        return {}, "metadata reader not available"
    try:
        md = read_metadata(src)
    except Exception as exc:  # noqa: BLE001 - unreadable metadata is not a reason to refuse the image
        return {}, f"metadata not read: {type(exc).__name__}: {exc}"
    out: dict[str, Any] = {}
    if md.creators:
        out["creators"] = list(md.creators)
    if md.title:
        out["title"] = md.title
    url = md.cc_attribution_url or md.web_statement
    if url and "://" in url:
        out["source_url"] = url
    if md.persons_in_image:
        out["people_present"] = True
    release = (md.model_release or "").strip().upper()
    if release in MODEL_RELEASE and MODEL_RELEASE[release] != "none":
        out["consent"] = MODEL_RELEASE[release]
    try:
        from imagerights.licensing.catalogue import default_catalogue
        from imagerights.licensing.identify import identify_from_metadata

        found = identify_from_metadata(md, default_catalogue())
        if found is not None:
            out["license_id"] = found.id
    except ImportError:
        pass
    except Exception as exc:  # noqa: BLE001
        return out, f"licence not identified: {type(exc).__name__}: {exc}"
    return out, None


@dataclass
class Item:
    """One file to register and what the user said about it (already normalised)."""

    path: Path
    fields: dict[str, Any] = field(default_factory=dict)
    display: str = ""  # the path as the user gave it (reports)


@dataclass
class Report:
    """What :func:`register` did — the ``registry add/import --format json`` document."""

    added: list[dict[str, str]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    notes: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"added": self.added, "skipped": self.skipped}


def default_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name (containers): leave it empty
        return os.environ.get("USER", "")


def build_asset(src: SourceImage, fields: dict[str, Any], *, added_by: str, file_name: str) -> Asset:
    from imagerights.registry.match import upright_size

    size = upright_size(src) or (None, None)
    values = dict(fields)
    asset_id = values.pop("asset_id", None) or src.sha256[:12]
    values.pop("added_by", None)
    return Asset(asset_id=asset_id, sha256=src.sha256, file_name=file_name, size=len(src.data),
                 width=size[0], height=size[1], added_by=fields.get("added_by") or added_by, **values)


def register(store: Store, items: Iterable[Item], flags: dict[str, Any] | None = None, *,
             read_file_metadata: bool = True, added_by: str | None = None,
             progress: Callable[[Item, str], None] | None = None) -> Report:
    """Register ``items`` in one transaction; see the module docstring for precedence."""
    from imagerights.registry.match import fingerprint_source

    flags = flags or {}
    added_by = added_by if added_by is not None else default_user()
    report = Report()
    seen: dict[str, str] = {}
    with store.transaction():
        for item in items:
            shown = item.display or str(item.path)
            try:
                src = open_source(item.path)
            except (ImageError, OSError) as exc:
                report.skipped.append({"path": shown, "reason": _reason(exc)})
                continue
            if src.pil is None or src.open_stage is not None:
                report.skipped.append({"path": shown, "reason": f"not a readable image: {src.open_error}"})
                continue
            if src.sha256 in seen:
                report.skipped.append({"path": shown, "reason": f"same file as {seen[src.sha256]} (already in this batch)"})
                continue
            existing = store.find_sha256(src.sha256)
            if existing is not None:
                report.skipped.append({"path": shown, "reason": f"already registered as {existing.asset_id}"})
                continue
            fields: dict[str, Any] = {}
            if read_file_metadata:
                md_fields, problem = fields_from_metadata(src)
                fields.update(md_fields)
                if problem:
                    report.notes.append({"path": shown, "note": problem})
            fields.update(flags)
            fields.update(item.fields)
            try:
                asset = build_asset(src, fields, added_by=added_by, file_name=item.path.name)
                fingerprint = fingerprint_source(src)
                with store.transaction():  # a savepoint: a refused file does not spoil the batch
                    store.add(asset, fingerprint)
            except DuplicateAsset as exc:
                report.skipped.append({"path": shown, "reason": str(exc)})
                continue
            except ImageError as exc:
                report.skipped.append({"path": shown, "reason": _reason(exc)})
                continue
            except RegistryError as exc:
                report.skipped.append({"path": shown, "reason": str(exc)})
                continue
            seen[src.sha256] = shown
            report.added.append({"path": shown, "asset_id": asset.asset_id})
            if progress:
                progress(item, asset.asset_id)
    return report


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ImageError):
        return f"{exc.stage}: {exc.reason}"
    if isinstance(exc, OSError):
        return f"{type(exc).__name__}: {exc.strerror or exc}"
    return str(exc)


# ---------------------------------------------------------------------------------------------
# Folders and CSV files
# ---------------------------------------------------------------------------------------------

def walk_images(folder: Path) -> list[Path]:
    """Image files under ``folder`` (by suffix; hidden files and folders skipped), sorted."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in IMAGE_SUFFIXES:
                found.append(Path(root) / name)
    return found


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV (comma, semicolon or tab separated; UTF-8 with or without BOM)."""
    text = path.read_text(encoding="utf-8-sig")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    if not reader.fieldnames:
        raise RegistryError(f"{path}: empty CSV")
    names = [(n or "").strip().lower() for n in reader.fieldnames]
    if "path" not in names and "file" not in names:
        raise RegistryError(f"{path}: the CSV needs a 'path' (or 'file') column; it has {', '.join(names)}")
    rows = []
    for raw in reader:
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
        if "path" not in row:
            row["path"] = row.pop("file", "")
        rows.append(row)
    return rows


def items_from_csv(path: Path) -> list[Item]:
    """``registry import-csv``: one item per row; ``path`` is relative to the CSV's folder."""
    items = []
    for n, row in enumerate(read_csv(path), start=2):
        rel = row.get("path", "")
        if not rel:
            raise RegistryError(f"{path}:{n}: empty path")
        try:
            fields = normalise_fields({k: v for k, v in row.items() if k in CSV_COLUMNS and k != "path"})
        except RegistryError as exc:
            raise RegistryError(f"{path}:{n}: {exc}") from None
        for k in ("sha256", "file_name", "size", "width", "height", "added_at"):
            fields.pop(k, None)
        file = (path.parent / rel) if not Path(rel).is_absolute() else Path(rel)
        items.append(Item(file, fields, display=rel))
    return items


def items_from_folder(folder: Path, sidecar: Path | None = None) -> list[Item]:
    """``registry import``: every image under ``folder``, with a sidecar CSV's rows if any."""
    if sidecar is None:
        for name in SIDECAR_NAMES:
            if (folder / name).is_file():
                sidecar = folder / name
                break
    by_path: dict[Path, dict[str, Any]] = {}
    if sidecar is not None:
        for item in items_from_csv(sidecar):
            by_path[item.path.resolve()] = item.fields
    items = []
    for file in walk_images(folder):
        items.append(Item(file, by_path.get(file.resolve(), {}), display=str(file)))
    return items


def export_rows(assets: Iterable[Asset]) -> Iterable[dict[str, str]]:
    """Assets as CSV rows (:data:`CSV_COLUMNS`; lists joined with ``;``)."""
    for a in assets:
        d = a.to_dict()
        row = {}
        for col in CSV_COLUMNS:
            v = d.get(col, d.get("file_name") if col == "path" else None)
            if isinstance(v, list):
                v = LIST_SEPARATOR.join(v)
            elif isinstance(v, bool):
                v = "yes" if v else "no"
            row[col] = "" if v is None else str(v)
        yield row
