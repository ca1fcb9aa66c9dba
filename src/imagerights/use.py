"""The intended use of an image: how the communicator plans to publish it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

USES = ("informational", "advertising")
ACCOUNTS = ("city", "company")
EDITS = ("crop", "text", "filter", "composite", "resize", "ai_edit")
PEOPLE = ("yes", "no", "unknown")

# Edits that make an adaptation ("Adapted Material") vs. technical changes (CC 4.0 §2(a)(4)).
ADAPTING_EDITS = frozenset({"text", "filter", "composite", "ai_edit"})
TECHNICAL_EDITS = frozenset({"resize"})


@dataclass(frozen=True)
class IntendedUse:
    use: str = "informational"
    account: str = "city"
    edits: frozenset[str] = field(default_factory=frozenset)
    publish_license: str | None = None  # licence id the post will carry (the account's CC licence), if any
    channel: str | None = None
    people: str = "unknown"  # override for "identifiable people" (yes/no/unknown)
    credit: str | None = None  # the credit line the communicator plans to use, to be verified
    today: dt.date = field(default_factory=dt.date.today)

    @property
    def commercial(self) -> bool:
        """Municipal companies' communication counts as advertising (Malmö handbook)."""
        return self.use == "advertising" or self.account == "company"

    @property
    def modified(self) -> bool:
        return bool(self.edits - TECHNICAL_EDITS)

    @property
    def adapted(self) -> bool:
        return bool(self.edits & ADAPTING_EDITS)

    def to_dict(self) -> dict:
        return {
            "use": self.use,
            "account": self.account,
            "edits": sorted(self.edits),
            "publish_license": self.publish_license,
            "channel": self.channel,
            "people": self.people,
            "credit": self.credit,
        }


def parse_edits(text: str | None) -> frozenset[str]:
    if not text:
        return frozenset()
    aliases = {"text_overlay": "text", "cropped": "crop", "scale": "resize", "collage": "composite"}
    out = set()
    for part in text.split(","):
        part = part.strip().lower()
        if not part or part == "none":
            continue
        part = aliases.get(part, part)
        if part not in EDITS:
            raise ValueError(f"unknown edit {part!r}; choose from {', '.join(EDITS)}")
        out.add(part)
    return frozenset(out)
