"""The rule framework: every rule has a stable code, a default severity, a summary in
Swedish and English and a citation; its check is a pure function of a :class:`Context`.

A rule module declares rules with :func:`rule` and yields :class:`Hit` objects;
:func:`run_rules` turns hits into :class:`~imagerights.findings.Finding` objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from imagerights.facts import Facts
from imagerights.findings import Citation, Finding, Message, Severity
from imagerights.use import IntendedUse


@dataclass
class Hit:
    """What a rule check yields: the message and evidence of one finding."""

    en: str
    sv: str
    evidence: dict[str, Any] = field(default_factory=dict)
    severity: Severity | None = None  # None = the rule's default
    citation: Citation | None = None  # None = the rule's default


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    family: str
    severity: Severity
    summary: Message
    citation: Citation
    check: Callable[["Context"], Iterable[Hit]]


RULES: dict[str, Rule] = {}


def rule(code: str, name: str, *, family: str, severity: Severity, en: str, sv: str,
         cite: str, url: str = "") -> Callable:
    """Register a rule. ``en``/``sv`` summarise what the rule checks (for ``rules list``)."""

    def deco(fn: Callable[["Context"], Iterable[Hit]]) -> Callable:
        if code in RULES:
            raise ValueError(f"rule code {code} registered twice")
        RULES[code] = Rule(code, name, family, severity, Message(en, sv), Citation(cite, url), fn)
        return fn

    return deco


@dataclass(frozen=True)
class Context:
    """Everything a rule may look at. Built by :func:`imagerights.rules.context.build_context`."""

    facts: Facts
    use: IntendedUse
    policy: Any  # imagerights.policy.Policy
    catalogue: Any  # imagerights.licensing.catalogue.Catalogue
    license: Any  # imagerights.licensing.model.License | None
    origin: str  # own / image_bank / stock / free_bank / cc / public_domain / unknown
    people: str  # yes / no / unknown (flag overrides detection)
    people_source: str  # "flag", "faces", "registry", "metadata" or ""
    consent: str | None  # consent status on record (registry), if any
    asset: dict[str, Any] | None  # the best registry match's asset record
    edits: frozenset[str]  # planned edits ∪ edits detected against the registry original


def selected(code: str, select: Iterable[str] | None, ignore: Iterable[str] | None) -> bool:
    """ruff-style selection: a code is selected by an exact code or a prefix (``LIC``, ``LIC0``)."""
    if select and not any(code.startswith(s) for s in select):
        return False
    if ignore and any(code.startswith(s) for s in ignore):
        return False
    return True


def run_rules(ctx: Context, *, select: Iterable[str] | None = None, ignore: Iterable[str] | None = None) -> list[Finding]:
    """Run every registered (and selected) rule; apply the policy's severity overrides and blocks."""
    import imagerights.rules  # noqa: F401  (registers all rule modules)

    policy = ctx.policy
    select = list(select or []) or None
    ignore = list(ignore or []) + list(getattr(policy, "ignore", []) or [])
    findings: list[Finding] = []
    for code in sorted(RULES):
        spec = RULES[code]
        if not selected(code, select, ignore):
            continue
        for hit in spec.check(ctx) or ():
            severity = hit.severity or spec.severity
            override = getattr(policy, "severity", {}).get(code)
            if override:
                severity = Severity.parse(override)
            findings.append(
                Finding(
                    code=code,
                    severity=severity,
                    message=Message(hit.en, hit.sv),
                    citation=hit.citation or spec.citation,
                    evidence=hit.evidence,
                    blocking=bool(policy and policy.is_blocking(code)),
                )
            )
    findings.sort(key=lambda f: (-int(f.severity), f.code))
    return findings
