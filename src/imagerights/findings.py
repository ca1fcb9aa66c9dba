"""Findings: what the rules say about an image, and the verdict they add up to.

A finding has a stable code (like a linter's), a severity, a message in Swedish
and English, a citation (licence clause, handbook rule, law or brand guideline,
with URL) and the evidence it was based on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> "Severity":
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (error, warning, info)") from None


@dataclass(frozen=True)
class Citation:
    """Where a rule comes from: a licence clause, a handbook rule, a law, a brand guideline."""

    text: str
    url: str = ""
    text_sv: str = ""  # the citation in Swedish, where the source data has one (brand rules)

    def get(self, lang: str = "en") -> str:
        return self.text_sv if lang == "sv" and self.text_sv else self.text

    def to_dict(self, lang: str = "en") -> dict[str, str]:
        return {"text": self.get(lang), "url": self.url}


@dataclass(frozen=True)
class Message:
    en: str
    sv: str

    def get(self, lang: str) -> str:
        return self.sv if lang == "sv" else self.en


@dataclass
class Finding:
    code: str
    severity: Severity
    message: Message
    citation: Citation
    evidence: dict[str, Any] = field(default_factory=dict)
    blocking: bool = False  # the organisation's policy says this finding stops publication

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.label,
            "message": self.message.get(lang),
            "messages": {"en": self.message.en, "sv": self.message.sv},
            "citation": self.citation.to_dict(lang),
            "evidence": self.evidence,
            "blocking": self.blocking,
        }


VERDICTS = ("ok", "review", "stop")


def verdict(findings: list[Finding]) -> str:
    """``stop`` if any finding is an error or blocking, ``review`` if any warning, else ``ok``."""
    if any(f.severity is Severity.ERROR or f.blocking for f in findings):
        return "stop"
    if any(f.severity is Severity.WARNING for f in findings):
        return "review"
    return "ok"


def worst(findings: list[Finding]) -> Severity | None:
    return max((f.severity for f in findings), default=None)
