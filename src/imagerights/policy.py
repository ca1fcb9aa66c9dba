"""The organisation's policy, loaded from a TOML data file (``licenses/policy/``).

The default models Malmö stad's social-media handbook; ``--policy FILE`` or the
``IMAGERIGHTS_POLICY`` environment variable replaces it.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from imagerights.resources import licenses_dir

DEFAULT_POLICY = "malmo-stad.toml"


@dataclass(frozen=True)
class Policy:
    organisation: str
    organisation_en: str = ""
    handbook: dict[str, str] = field(default_factory=dict)
    own_format_sv: str = "Foto: {organisation}/{name}"
    own_format_en: str = "Photo: {organisation}/{name}"
    lead_word_sv: str = "Foto"
    lead_word_en: str = "Photo"
    own_patterns: tuple[str, ...] = ()
    image_bank_hosts: tuple[str, ...] = ()
    stock_hosts: tuple[str, ...] = ()
    stock_patterns: tuple[str, ...] = ()
    free_bank_hosts: tuple[str, ...] = ()
    free_bank_licenses: tuple[str, ...] = ()
    account_licenses: dict[str, str] = field(default_factory=dict)
    block: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()
    expiry_warning_days: int = 30
    # World Bank "high-income economy" (the CC Developing Nations licence forbids use there)
    high_income_nation: bool = True
    source_file: str = ""

    def handbook_url(self, key: str = "images_url") -> str:
        return self.handbook.get(key, "") or self.handbook.get("images_url", "")

    def handbook_name(self) -> str:
        return self.handbook.get("name", f"{self.organisation} handbook")

    def is_own_text(self, text: str | None) -> bool:
        return bool(text) and any(re.search(p, text) for p in self.own_patterns)

    def is_stock_text(self, text: str | None) -> bool:
        return bool(text) and any(re.search(p, text) for p in self.stock_patterns)

    def account_license(self, account: str) -> str:
        return self.account_licenses.get(account, "")

    def is_blocking(self, code: str) -> bool:
        return any(code.startswith(b) for b in self.block)


def policy_from_dict(data: dict[str, Any], source_file: str = "") -> Policy:
    if data.get("schema_version", 1) != 1:
        raise ValueError(f"{source_file}: unsupported policy schema_version {data.get('schema_version')!r}")
    if "organisation" not in data:
        raise ValueError(f"{source_file}: policy needs 'organisation'")
    credit = data.get("credit", {})
    own = data.get("own_images", {})
    src = data.get("sources", {})
    fnd = data.get("findings", {})
    for pattern in [*own.get("patterns", []), *src.get("stock_patterns", [])]:
        re.compile(pattern)  # fail early on a bad pattern
    return Policy(
        organisation=data["organisation"],
        organisation_en=data.get("organisation_en", data["organisation"]),
        handbook=dict(data.get("handbook", {})),
        own_format_sv=credit.get("own_format_sv", Policy.own_format_sv),
        own_format_en=credit.get("own_format_en", Policy.own_format_en),
        lead_word_sv=credit.get("lead_word_sv", "Foto"),
        lead_word_en=credit.get("lead_word_en", "Photo"),
        own_patterns=tuple(own.get("patterns", [])),
        image_bank_hosts=tuple(own.get("image_bank_hosts", [])),
        stock_hosts=tuple(src.get("stock_hosts", [])),
        stock_patterns=tuple(src.get("stock_patterns", [])),
        free_bank_hosts=tuple(src.get("free_bank_hosts", [])),
        free_bank_licenses=tuple(src.get("free_bank_licenses", [])),
        account_licenses={k: v.get("license", "") for k, v in data.get("accounts", {}).items()},
        block=tuple(fnd.get("block", [])),
        severity=dict(fnd.get("severity", {})),
        ignore=tuple(fnd.get("ignore", [])),
        expiry_warning_days=int(fnd.get("expiry_warning_days", 30)),
        high_income_nation=bool(data.get("high_income_nation", True)),
        source_file=source_file,
    )


def load_policy(path: str | os.PathLike | None = None) -> Policy:
    """Load ``path``, else ``$IMAGERIGHTS_POLICY``, else the shipped default."""
    chosen = path or os.environ.get("IMAGERIGHTS_POLICY")
    if chosen:
        p = Path(chosen)
        with p.open("rb") as fh:
            return policy_from_dict(tomllib.load(fh), str(p))
    return default_policy()


@cache
def default_policy() -> Policy:
    p = licenses_dir() / "policy" / DEFAULT_POLICY
    with p.open("rb") as fh:
        return policy_from_dict(tomllib.load(fh), str(p))
