"""Platform brand rules as data: ``licenses/brands/<platform>.toml``, read once and cached.

Each file lists the platform's mark versions (current and outdated, with dates and the
template they are recognised by), permitted and outdated colours, geometry tolerances,
minimum size, clear space, forbidden effects, and the rules these come from, each with its
source URL, retrieval date and status (``current`` live page, ``archived`` copy, or
``unverified``). A rule or number that could not be verified gives warnings, never errors.
The rules (``rules/brands.py``) and the detector read these records; neither reads files.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from imagerights.resources import licenses_dir

SOURCE_STATUSES = ("current", "archived", "unverified")
SEVERITIES = ("error", "warning", "info")
REVIEW_MAX_DAYS = 180


class BrandDataError(ValueError):
    """A brand rules file is malformed (a data bug: raised when the data is loaded)."""


@dataclass(frozen=True)
class Source:
    id: str
    url: str
    title: str
    retrieved: str
    status: str


@dataclass(frozen=True)
class BrandRule:
    id: str
    severity: str
    source: Source
    kind: str
    text: str
    text_sv: str
    verified: bool = True  # False: the rule (or the source it was taken from) is not verified
    also: tuple[Source, ...] = ()
    note: str = ""

    @property
    def citation(self) -> str:
        return f"{self.source.title}: “{self.text}” ({self.kind}; {self.source.status}, retrieved {self.source.retrieved})"


@dataclass(frozen=True)
class Version:
    id: str
    label: str
    status: str  # current / outdated
    since: str = ""
    until: str = ""
    template: str = ""
    template_sha256: str = ""
    fill: str = ""
    knockout: str = "none"
    knockout_fill: str = ""
    bundled: bool = True
    message_en: str = ""
    message_sv: str = ""


@dataclass(frozen=True)
class Check:
    """One section of a brand file ([colour], [size], …): its rule and its numbers."""

    rule: BrandRule
    values: dict[str, Any]
    verified: bool = True  # False: the numbers were not verified

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    @property
    def trusted(self) -> bool:
        """Both the rule and its numbers are verified: findings may be errors."""
        return self.verified and self.rule.verified


@dataclass(frozen=True)
class Brand:
    platform: str
    display_name: str
    owner: str
    last_reviewed: dt.date
    reviewed_by: str
    guidelines_url: str
    permitted_use: tuple[str, ...]
    sources: dict[str, Source]
    rules: dict[str, BrandRule]
    versions: tuple[Version, ...]
    colour: Check
    geometry: Check
    size: Check
    clear_space: Check
    effects: Check
    presence: BrandRule | None
    version_rule: BrandRule
    permission_required: bool = False  # any use needs the owner's prior approval (LinkedIn)
    file: str = ""

    def version(self, vid: str) -> Version | None:
        return next((v for v in self.versions if v.id == vid), None)

    @property
    def current(self) -> Version:
        return next((v for v in self.versions if v.status == "current"), self.versions[0])

    def review_age(self, today: dt.date) -> int:
        return (today - self.last_reviewed).days

    def review_overdue(self, today: dt.date) -> bool:
        return self.review_age(today) > REVIEW_MAX_DAYS


@dataclass(frozen=True)
class Display:
    default_width_dp: float = 390.0
    channels: dict[str, float] = field(default_factory=dict)

    def width_dp(self, channel: str | None) -> float:
        return float(self.channels.get((channel or "").lower(), self.default_width_dp))


def _need(d: dict, key: str, where: str) -> Any:
    if key not in d:
        raise BrandDataError(f"{where}: missing {key!r}")
    return d[key]


def _parse_date(text: Any, where: str) -> dt.date:
    if isinstance(text, dt.date):
        return text
    try:
        return dt.date.fromisoformat(str(text))
    except ValueError as exc:
        raise BrandDataError(f"{where}: bad date {text!r}") from exc


def _check(data: dict, section: str, rules: dict[str, BrandRule], where: str) -> Check:
    values = dict(_need(data, section, where))
    rid = _need(values, "rule", f"{where} [{section}]")
    if rid not in rules:
        raise BrandDataError(f"{where} [{section}]: unknown rule {rid!r}")
    return Check(rules[rid], values, bool(values.get("verified", True)))


def parse_brand(data: dict, where: str = "<brand>") -> Brand:
    """Validate and convert one brand file's TOML table."""
    if data.get("schema_version") != 1:
        raise BrandDataError(f"{where}: schema_version must be 1")
    sources = {}
    for s in _need(data, "source", where):
        src = Source(_need(s, "id", where), _need(s, "url", where), s.get("title", ""),
                     str(_need(s, "retrieved", where)), _need(s, "status", where))
        if src.status not in SOURCE_STATUSES:
            raise BrandDataError(f"{where}: source {src.id}: status must be one of {SOURCE_STATUSES}")
        _parse_date(src.retrieved, f"{where}: source {src.id}")
        sources[src.id] = src
    rules = {}
    for r in _need(data, "rule", where):
        rid = _need(r, "id", where)
        sid = _need(r, "source", f"{where}: rule {rid}")
        if sid not in sources:
            raise BrandDataError(f"{where}: rule {rid}: unknown source {sid!r}")
        sev = _need(r, "severity", f"{where}: rule {rid}")
        if sev not in SEVERITIES:
            raise BrandDataError(f"{where}: rule {rid}: severity must be one of {SEVERITIES}")
        also = tuple(sources[a] for a in r.get("also", []) if a in sources)
        verified = bool(r.get("verified", True)) and sources[sid].status != "unverified"
        rules[rid] = BrandRule(rid, sev, sources[sid], r.get("kind", ""), _need(r, "text", f"{where}: rule {rid}"),
                               r.get("text_sv", r["text"]), verified, also, r.get("note", ""))
    versions = []
    for v in _need(data, "version", where):
        ver = Version(
            id=str(_need(v, "id", where)), label=v.get("label", str(v["id"])), status=_need(v, "status", where),
            since=str(v.get("since", "")), until=str(v.get("until", "")), template=v.get("template", ""),
            template_sha256=v.get("template_sha256", ""), fill=str(v.get("fill", "")).upper(),
            knockout=v.get("knockout", "none"), knockout_fill=str(v.get("knockout_fill", "")).upper(),
            bundled=bool(v.get("bundled", True)), message_en=v.get("message_en", ""), message_sv=v.get("message_sv", ""),
        )
        if ver.status not in ("current", "outdated"):
            raise BrandDataError(f"{where}: version {ver.id}: status must be current or outdated")
        if ver.knockout not in ("none", "hull", "holes"):
            raise BrandDataError(f"{where}: version {ver.id}: knockout must be none, hull or holes")
        versions.append(ver)
    if not any(v.status == "current" for v in versions):
        raise BrandDataError(f"{where}: no current version")
    colour = _check(data, "colour", rules, where)
    for hexes in (colour.get("permitted", []), list(colour.get("outdated", {}))):
        for h in hexes:
            if len(str(h)) != 6 or any(c not in "0123456789abcdefABCDEF" for c in str(h)):
                raise BrandDataError(f"{where} [colour]: bad hex {h!r}")
    presence = None
    if "presence" in data:
        presence = rules.get(data["presence"].get("rule", ""))
    # outdated versions cite [version_rule] when given, else the no-modification rule of [geometry]
    version_rule = (_check(data, "version_rule", rules, where).rule if "version_rule" in data
                    else _check(data, "geometry", rules, where).rule)
    return Brand(
        platform=_need(data, "platform", where), display_name=data.get("display_name", data["platform"]),
        owner=data.get("owner", ""), last_reviewed=_parse_date(_need(data, "last_reviewed", where), where),
        reviewed_by=data.get("reviewed_by", ""), guidelines_url=_need(data, "guidelines_url", where),
        permitted_use=tuple(data.get("permitted_use", [])), sources=sources, rules=rules, versions=tuple(versions),
        colour=colour, geometry=_check(data, "geometry", rules, where), size=_check(data, "size", rules, where),
        clear_space=_check(data, "clear_space", rules, where), effects=_check(data, "effects", rules, where),
        presence=presence, version_rule=version_rule,
        permission_required=bool(data.get("permission_required", False)), file=where,
    )


def brands_dir() -> Path:
    return licenses_dir() / "brands"


@cache
def load_brands(directory: str | None = None) -> dict[str, Brand]:
    """Every platform's rules, keyed by platform id (read once per process)."""
    d = Path(directory) if directory else brands_dir()
    out: dict[str, Brand] = {}
    for f in sorted(d.glob("*.toml")):
        if f.name.startswith("_"):
            continue
        with f.open("rb") as fh:
            brand = parse_brand(tomllib.load(fh), where=f.name)
        out[brand.platform] = brand
    return out


@cache
def load_display(directory: str | None = None) -> Display:
    f = (Path(directory) if directory else brands_dir()) / "_display.toml"
    if not f.is_file():
        return Display()
    with f.open("rb") as fh:
        data = tomllib.load(fh)
    return Display(float(data.get("default_width_dp", 390)), {k.lower(): float(v) for k, v in data.get("channels", {}).items()})


def knockout_modes() -> dict[str, str]:
    """``platform/version`` (and ``platform`` for its first version) → knock-out mode."""
    out: dict[str, str] = {}
    for b in load_brands().values():
        for v in b.versions:
            out[f"{b.platform}/{v.id}"] = v.knockout
        out.setdefault(b.platform, b.versions[0].knockout)
    return out
