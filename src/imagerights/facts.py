"""The facts an image becomes: plain records, no I/O and no judgement.

Readers (``metadata/``, ``registry/``, ``logos/``, ``people/``, ``provenance/``)
produce these; rules (``rules/``) read them; renderers show them.
Every record converts to JSON-ready dicts with ``to_dict``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, is_dataclass
from typing import Any


def _plain(obj: Any) -> Any:
    if is_dataclass(obj) and not isinstance(obj, type):
        return {k: _plain(v) for k, v in asdict(obj).items()}
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [_plain(v) for v in obj]
    return obj


@dataclass
class Candidate:
    """One value of a field as found in one place (e.g. ``IFD0:Artist``)."""

    source: str
    value: Any


@dataclass
class Conflict:
    """The containers disagree about a field; ``chosen`` names the source the MWG rule picked."""

    field: str
    chosen: str
    candidates: list[Candidate]


@dataclass
class ContainerError:
    """A metadata container (EXIF, IPTC, XMP, C2PA, …) that was present but could not be read."""

    container: str
    reason: str


@dataclass
class GPS:
    present: bool = False
    latitude: float | None = None
    longitude: float | None = None
    source: str = ""


@dataclass
class Metadata:
    """Rights metadata reconciled from EXIF, IPTC-IIM and XMP (MWG rule where it applies)."""

    creators: list[str] = field(default_factory=list)
    copyright: str | None = None
    credit: str | None = None
    source: str | None = None  # IPTC Source / photoshop:Source (supply chain), not a URL
    title: str | None = None
    description: str | None = None
    usage_terms: str | None = None
    web_statement: str | None = None
    licensors: list[dict[str, str]] = field(default_factory=list)  # [{"name", "url"}]
    cc_license: str | None = None
    cc_attribution_name: str | None = None
    cc_attribution_url: str | None = None
    cc_more_permissions: str | None = None
    marked: bool | None = None  # xmpRights:Marked
    model_release: str | None = None  # PLUS vocab code, e.g. "MR-NON"
    property_release: str | None = None
    digital_source_type: str | None = None  # full IPTC NewsCodes URI
    ai_hints: list[Candidate] = field(default_factory=list)  # PNG parameters/prompt, UserComment, AI 2025.1 fields
    software: list[str] = field(default_factory=list)  # EXIF Software, xmp:CreatorTool, history agents
    date_created: str | None = None  # ISO 8601 when parseable, else as found
    gps: GPS = field(default_factory=GPS)
    camera_owner: str | None = None
    body_serial: str | None = None
    persons_in_image: list[str] = field(default_factory=list)
    creator_contact: dict[str, str] = field(default_factory=dict)
    data_mining: str | None = None
    # Where each reconciled value came from, e.g. {"creators": "XMP-dc:Creator"}.
    sources: dict[str, str] = field(default_factory=dict)
    # Every value seen for reconciled fields, for reports and conflict findings.
    candidates: dict[str, list[Candidate]] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    containers: list[str] = field(default_factory=list)  # containers found: EXIF, IPTC, XMP, C2PA, PNG-text …
    container_errors: list[ContainerError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. "EXIF Artist decoded as cp1252"

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)


@dataclass
class LicenseMatch:
    """A licence recognised from something found in the file, the registry or the user's flags."""

    id: str
    found_in: str  # e.g. "XMP-cc:license", "XMP-xmpRights:UsageTerms", "registry", "flag"
    raw: str = ""
    note: str = ""  # e.g. "There is no CC BY 4.0 SE port; read as CC BY 4.0." (licensing.identify)

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)


@dataclass
class ImageInfo:
    format: str | None = None  # sniffed from content (Pillow format name)
    width: int | None = None
    height: int | None = None
    mode: str | None = None
    frames: int | None = None


@dataclass
class RegistryMatch:
    asset_id: str
    confidence: float
    edits: dict[str, Any] = field(default_factory=dict)
    asset: dict[str, Any] = field(default_factory=dict)  # the asset record (licence, expiry, consent …)


@dataclass
class LogoFact:
    platform: str
    version: str
    status: str  # "current" / "outdated"
    confidence: float
    box: tuple[int, int, int, int]  # x, y, w, h in image pixels
    measurements: dict[str, Any] = field(default_factory=dict)  # colour, rotation, aspect, size, clear space …


@dataclass
class Faces:
    count: int = 0
    identifiable: int = 0
    boxes: list[tuple[int, int, int, int]] = field(default_factory=list)
    detector: str = ""
    # added for issue #6: per face {box, score, pose, size (short side / image short side), identifiable}
    details: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Provenance:
    """Content Credentials (C2PA) as read offline."""

    present: bool = False
    verified: bool = False  # False when the c2pa extra is missing
    state: str = ""  # valid / invalid / untrusted / not_verified
    signer: str | None = None
    claim_generator: str | None = None
    actions: list[dict[str, Any]] = field(default_factory=list)
    digital_source_types: list[str] = field(default_factory=list)  # active manifest and ingredients
    codes: list[str] = field(default_factory=list)  # validation status codes
    note: str = ""
    # added for issue #6 (provenance reader); all optional
    container: str = ""  # where the manifest store was found: "JPEG APP11", "PNG caBX", … ("" = remote only)
    remote_url: str | None = None  # XMP dcterms:provenance (never fetched)
    signed_at: str | None = None
    ingredients: list[dict[str, Any]] = field(default_factory=list)  # {title, relationship, has_manifest, generator}
    training_mining: dict[str, str] = field(default_factory=dict)  # CAWG entries, e.g. {"cawg.ai_generative_training": "notAllowed"}
    info_codes: list[str] = field(default_factory=list)  # informational validation codes


@dataclass
class FileError:
    """The file as a whole could not be read (or a reader failed): becomes an error finding."""

    stage: str  # "open", "metadata", "hash", "logos", "faces", "timeout", "bomb" …
    reason: str


@dataclass
class Facts:
    path: str
    size: int | None = None
    sha256: str | None = None
    image: ImageInfo = field(default_factory=ImageInfo)
    metadata: Metadata = field(default_factory=Metadata)
    license: LicenseMatch | None = None
    registry_matches: list[RegistryMatch] = field(default_factory=list)
    logos: list[LogoFact] | None = None  # None = not looked for
    faces: Faces | None = None  # None = not looked for
    provenance: Provenance | None = None
    errors: list[FileError] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)
