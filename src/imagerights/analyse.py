"""Sources → facts: read one file once and collect every fact the rules need.

Readers never decide verdicts; a reader that fails becomes a :class:`FileError`
in the facts (and an error finding later), never an exception out of here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from imagerights.facts import Facts, FileError, ImageInfo
from imagerights.imaging import ImageError, SourceImage, open_source


@dataclass
class AnalyseOptions:
    """Which optional fact finders run. ``matcher`` is a registry matcher (``registry.match.Matcher``)."""

    matcher: Any = None
    logos: bool = True
    faces: bool = True
    provenance: bool = True
    metadata_only: bool = False  # audit's fast mode: metadata (+hash) only
    # The licence named in the metadata. An audit identifies it in its main process instead
    # (licensing.identify.identify_licence), which has the licence catalogue loaded for the
    # rules anyway: its workers, and the fork server they start from, need not load it (~50 ms).
    licence: bool = True


def _guard(facts: Facts, stage: str, fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except ImageError as exc:
        facts.errors.append(FileError(exc.stage, exc.reason))
    except MemoryError:
        facts.errors.append(FileError(stage, "out of memory while reading"))
    except Exception as exc:  # noqa: BLE001 - one reader's failure is one finding
        facts.errors.append(FileError(stage, f"{type(exc).__name__}: {exc}"))
    return None


def analyse(path: str | Path, options: AnalyseOptions | None = None, src: SourceImage | None = None) -> Facts:
    """Collect facts about one image file."""
    from imagerights.metadata import read_metadata

    options = options or AnalyseOptions()
    facts = Facts(path=str(path))
    if src is None:
        try:
            src = open_source(path)
        except ImageError as exc:
            facts.errors.append(FileError(exc.stage, exc.reason))
            return facts
        except OSError as exc:
            facts.errors.append(FileError("open", f"{type(exc).__name__}: {exc.strerror or exc}"))
            return facts
    facts.size = len(src.data)
    facts.sha256 = src.sha256
    if src.pil is not None:
        facts.image = ImageInfo(format=src.pil.format, width=src.pil.width, height=src.pil.height,
                                mode=src.pil.mode, frames=_guard(facts, "open", lambda: getattr(src.pil, "n_frames", 1)))
    if src.open_error:
        facts.errors.append(FileError(src.open_stage or "open", src.open_error))

    md = _guard(facts, "metadata", lambda: read_metadata(src))
    if md is not None:
        facts.metadata = md
    if options.licence:
        from imagerights.licensing.catalogue import default_catalogue
        from imagerights.licensing.identify import identify_licence

        identify_licence(facts, default_catalogue())

    if options.provenance:
        from imagerights.provenance import read_provenance

        facts.provenance = _guard(facts, "provenance", lambda: read_provenance(src))
    decodable = src.pil is not None and src.open_stage is None
    if not decodable:
        return facts
    sides = _working_sides(options)
    # Decode once, at the largest size any reader needs; the others are scaled from it.
    if sides and _guard(facts, "decode", lambda: src.rgb(max(sides))) is None:
        return facts
    if options.matcher is not None:
        facts.registry_matches = _guard(facts, "registry", lambda: options.matcher.match_source(src)) or []
    if options.metadata_only:
        return facts
    if options.logos:
        from imagerights.logos import find_logos

        facts.logos = _guard(facts, "logos", lambda: find_logos(src))
    if options.faces:
        from imagerights.people import find_faces

        facts.faces = _guard(facts, "faces", lambda: find_faces(src))
    return facts


def _working_sides(options: AnalyseOptions) -> list[int]:
    """The decode sizes (longest side, px) the pixel readers that will run work at.

    An empty registry needs no pixels (only its SHA-256 look-up runs), so ``--fast`` with no
    registered assets decodes nothing."""
    sides = []
    if options.matcher is not None and _has_assets(options.matcher):
        from imagerights.registry.hashing import HASH_SIDE

        sides.append(HASH_SIDE)
    if not options.metadata_only:
        if options.logos:
            from imagerights.logos.detect import WORK_MAX_SIDE

            sides.append(WORK_MAX_SIDE)
        if options.faces:
            from imagerights.people.faces import working_side

            sides.append(working_side())
    return sides


def _has_assets(matcher: Any) -> bool:
    try:
        return len(matcher) > 0
    except Exception:  # noqa: BLE001 - unknown matcher type: assume it needs pixels
        return True


def apply_flags(facts: Facts, *, title: str | None = None, author: str | None = None,
                source: str | None = None, license_text: str | None = None, catalogue=None) -> Facts:
    """Facts given on the command line win over the file's metadata (recorded as source "flag")."""
    md = facts.metadata
    if title:
        md.title = title
        md.sources["title"] = "flag"
    if author:
        md.creators = [a.strip() for a in author.split(";") if a.strip()]
        md.cc_attribution_name = None
        md.sources["creators"] = "flag"
    if source:
        md.cc_attribution_url = source
        md.sources["source_url"] = "flag"
    if license_text:
        from imagerights.facts import LicenseMatch
        from imagerights.licensing.catalogue import default_catalogue
        from imagerights.licensing.identify import identify

        found = identify(license_text, catalogue or default_catalogue())
        if found is None:
            raise ValueError(f"licence not recognised: {license_text!r} (see 'imagerights licenses list')")
        facts.license = LicenseMatch(id=found.id, found_in="flag", raw=license_text)
    return facts
