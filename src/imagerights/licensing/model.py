"""The licence record, as defined by the TOML files in ``licenses/``.

Schema (``schema_version = 1``) follows ``shared/research/licenses.md`` §(a):
``id kind status retired_on family unit version jurisdiction spdx canonical_url
legalcode_url deed_url`` and the tables ``[names] [match] [permissions]
[conditions] [clauses] [not_covered] [attribution] [stock]``.

Also read (all optional): ``replaced_by category identifier language_default
source_data clauses_source prohibits citations``, ``[notes]`` (``en``/``sv``) and
``[[date_rules]]`` (e.g. Pixabay: uploads before a date are CC0).

``match.url_paths``: entries starting with ``/`` are paths on creativecommons.org
(``/licenses/by-sa/4.0/``); others are ``host/path`` prefixes on other sites
(``flickr.com/commons/usage/``). ``match.url_hosts``: any page on that host.

``conditions.adapter_licenses`` (the CC FAQ adapter chart) holds tokens: ``any``; a
licence id; ``unit:<unit>`` or ``unit:<unit>@>=<version>`` (any CC licence of that
unit, any jurisdiction); ``pd`` (CC0 / PDM); ``by-sa-compatible`` /
``by-nc-sa-compatible`` (CC's list of compatible licences); a leading ``~`` marks
"allowed but not recommended" (the chart's yellow).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

KINDS = (
    "cc-license",
    "cc-pd-tool",
    "platform-license",
    "stock-license",
    "own",
    "all-rights-reserved",
    "statement",
)


@dataclass(frozen=True)
class Names:
    short: str
    en: str
    sv: str = ""
    aliases: tuple[str, ...] = ()

    def get(self, lang: str) -> str:
        return (self.sv or self.en) if lang == "sv" else self.en


@dataclass(frozen=True)
class Match:
    url_paths: tuple[str, ...] = ()
    url_hosts: tuple[str, ...] = ()
    flickr_license_ids: tuple[int, ...] = ()
    metadata_credit_regex: str = ""


@dataclass(frozen=True)
class Permissions:
    share: bool = False
    commercial: bool = False
    adapt: bool = False
    share_adapted: bool = False


@dataclass(frozen=True)
class Conditions:
    attribution: str = "none"  # required / recommended / none / required_editorial
    share_alike: bool = False
    adapter_licenses: tuple[str, ...] = ()
    indicate_modifications: str = "not_required"  # always / adaptations / not_required
    title_required: bool = False
    link_to_license: str = "none"  # required / recommended / none
    link_to_source: str = "none"  # if_practicable / required / recommended / none
    no_endorsement: bool = False
    no_additional_restrictions: bool = False
    relicense_allowed: bool = True
    credit_format: str = ""  # e.g. "Colourbox.com / {photographer}"
    credit_format_sv: str = ""
    credit_format_en: str = ""
    notice: bool = False  # licence notices must be kept intact (cc:requires Notice)
    retain_notices: tuple[str, ...] = ()  # copyright / license / disclaimer / previous_modifications
    remove_credit_on_request: bool = False


@dataclass(frozen=True)
class License:
    id: str
    kind: str
    names: Names
    status: str = "active"  # active / superseded / retired
    retired_on: dt.date | None = None
    family: str = ""
    unit: str = ""
    version: str = ""
    jurisdiction: str = ""
    spdx: str = ""
    canonical_url: str = ""
    legalcode_url: str = ""
    deed_url: str = ""  # may contain {lang}
    match: Match = field(default_factory=Match)
    permissions: Permissions = field(default_factory=Permissions)
    conditions: Conditions = field(default_factory=Conditions)
    clauses: dict[str, str] = field(default_factory=dict)  # rule topic → clause ("§3(a)(1)(B)")
    stock: dict[str, Any] = field(default_factory=dict)
    attribution_verb: str = "licensed"  # licensed / marked
    source_file: str = ""
    replaced_by: str = ""  # id of the current version (superseded licences)
    category: str = ""  # cc-legal-tools category: licenses / publicdomain
    identifier: str = ""  # CC's identifier, e.g. "CC BY-NC-SA 2.5 SE"
    language_default: str = ""
    source_data: str = ""
    clauses_source: str = ""  # where the clause numbers come from (ports: the unported numbering)
    prohibits: tuple[str, ...] = ()  # e.g. "commercial-use", "high-income-nation-use", "advertising"
    citations: tuple[str, ...] = ()  # URLs of the terms (non-CC definitions)
    notes: dict[str, str] = field(default_factory=dict)  # {"en": …, "sv": …}
    date_rules: tuple[dict[str, Any], ...] = ()  # [{"before": date, "license": id, "basis": …}]

    # ---- derived properties used by rules and attribution -------------------------------
    @property
    def is_cc(self) -> bool:
        return self.kind in ("cc-license", "cc-pd-tool")

    @property
    def is_pd_tool(self) -> bool:
        return self.kind == "cc-pd-tool"

    @property
    def nd(self) -> bool:
        return not self.permissions.share_adapted

    @property
    def nc(self) -> bool:
        return not self.permissions.commercial

    @property
    def sa(self) -> bool:
        return self.conditions.share_alike

    @property
    def retired(self) -> bool:
        return self.status == "retired"

    @property
    def ported(self) -> bool:
        return bool(self.jurisdiction) and self.jurisdiction != "igo"

    @property
    def version_tuple(self) -> tuple[int, ...]:
        try:
            return tuple(int(p) for p in self.version.split("."))
        except ValueError:
            return ()

    def deed(self, lang: str = "en") -> str:
        """The human-readable deed: Swedish deed for ``sv``, canonical URL otherwise."""
        if lang != "en" and self.deed_url and "{lang}" in self.deed_url:
            return self.deed_url.format(lang=lang)
        return self.canonical_url or self.deed_url.replace("deed.{lang}", "")

    def clause(self, topic: str) -> str:
        return self.clauses.get(topic, "")

    def note(self, lang: str = "en") -> str:
        return self.notes.get(lang) or self.notes.get("en", "")

    def license_on(self, date: dt.date | None) -> str | None:
        """The licence id a ``[[date_rules]]`` entry gives for material dated ``date``, if any."""
        if date is None:
            return None
        for r in self.date_rules:
            before = _date(r.get("before"))
            if before is not None and date < before and r.get("license"):
                return str(r["license"])
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "retired_on": self.retired_on.isoformat() if self.retired_on else None,
            "spdx": self.spdx,
            "names": {"short": self.names.short, "en": self.names.en, "sv": self.names.sv},
            "canonical_url": self.canonical_url,
            "unit": self.unit,
            "version": self.version,
            "jurisdiction": self.jurisdiction,
            "permissions": asdict(self.permissions),
        }


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _tuple(value: Any) -> tuple:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(value)
    return (value,)


def license_from_dict(data: dict[str, Any], source_file: str = "") -> License:
    """Build a :class:`License` from a parsed TOML document; unknown keys are ignored."""
    if data.get("schema_version", 1) != 1:
        raise ValueError(f"{source_file}: unsupported schema_version {data.get('schema_version')!r}")
    for key in ("id", "kind", "names"):
        if key not in data:
            raise ValueError(f"{source_file}: missing required key {key!r}")
    if data["kind"] not in KINDS:
        raise ValueError(f"{source_file}: unknown kind {data['kind']!r}")
    n = data["names"]
    m = data.get("match", {})
    p = data.get("permissions", {})
    c = data.get("conditions", {})
    return License(
        id=data["id"],
        kind=data["kind"],
        names=Names(short=n.get("short", data["id"]), en=n.get("en", n.get("short", data["id"])),
                    sv=n.get("sv", ""), aliases=_tuple(n.get("aliases"))),
        status=data.get("status", "active"),
        retired_on=_date(data.get("retired_on")),
        family=data.get("family", ""),
        unit=data.get("unit", ""),
        version=str(data.get("version", "")),
        jurisdiction=data.get("jurisdiction", ""),
        spdx=data.get("spdx", ""),
        canonical_url=data.get("canonical_url", ""),
        legalcode_url=data.get("legalcode_url", ""),
        deed_url=data.get("deed_url", ""),
        match=Match(
            url_paths=_tuple(m.get("url_paths")),
            url_hosts=_tuple(m.get("url_hosts")),
            flickr_license_ids=tuple(int(i) for i in _tuple(m.get("flickr_license_ids"))),
            metadata_credit_regex=m.get("metadata_credit_regex", ""),
        ),
        permissions=Permissions(
            share=bool(p.get("share", False)),
            commercial=bool(p.get("commercial", False)),
            adapt=bool(p.get("adapt", False)),
            share_adapted=bool(p.get("share_adapted", False)),
        ),
        conditions=Conditions(
            attribution=c.get("attribution", "none"),
            share_alike=bool(c.get("share_alike", False)),
            adapter_licenses=_tuple(c.get("adapter_licenses")),
            indicate_modifications=c.get("indicate_modifications", "not_required"),
            title_required=bool(c.get("title_required", False)),
            link_to_license=c.get("link_to_license", "none"),
            link_to_source=c.get("link_to_source", "none"),
            no_endorsement=bool(c.get("no_endorsement", False)),
            no_additional_restrictions=bool(c.get("no_additional_restrictions", False)),
            relicense_allowed=bool(c.get("relicense_allowed", True)),
            credit_format=c.get("credit_format", ""),
            credit_format_sv=c.get("credit_format_sv", ""),
            credit_format_en=c.get("credit_format_en", ""),
            notice=bool(c.get("notice", False)),
            retain_notices=_tuple(c.get("retain_notices")),
            remove_credit_on_request=bool(c.get("remove_credit_on_request", False)),
        ),
        clauses=dict(data.get("clauses", {})),
        stock=dict(data.get("stock", {})),
        attribution_verb=data.get("attribution", {}).get("verb", "licensed"),
        source_file=source_file,
        replaced_by=data.get("replaced_by", ""),
        category=data.get("category", ""),
        identifier=data.get("identifier", ""),
        language_default=data.get("language_default", ""),
        source_data=data.get("source_data", ""),
        clauses_source=data.get("clauses_source", ""),
        prohibits=_tuple(data.get("prohibits")),
        citations=_tuple(data.get("citations")),
        notes={k: str(v) for k, v in data.get("notes", {}).items()},
        date_rules=tuple(dict(r) for r in data.get("date_rules", [])),
    )
