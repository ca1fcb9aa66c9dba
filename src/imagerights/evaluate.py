"""Facts → findings → result: run the rules and build the credit line for one image."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from imagerights.facts import Facts
from imagerights.findings import Finding, Severity, verdict
from imagerights.rules.base import Context, run_rules
from imagerights.rules.context import build_context
from imagerights.use import IntendedUse

SCHEMA_CHECK = "imagerights.check/1"


@dataclass
class Result:
    path: str
    verdict: str
    facts: Facts
    context: Context
    findings: list[Finding]
    attribution: dict[str, str] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def at_or_above(self, level: Severity) -> list[Finding]:
        return [f for f in self.findings if f.severity >= level or f.blocking]

    def summary_facts(self) -> dict[str, Any]:
        """The stable ``facts`` object of ``imagerights.check/1``."""
        f, md, ctx = self.facts, self.facts.metadata, self.context
        lic = ctx.license
        return {
            "format": f.image.format,
            "width": f.image.width,
            "height": f.image.height,
            "sha256": f.sha256,
            "creators": md.creators,
            "copyright": md.copyright,
            "credit": md.credit,
            "title": md.title,
            "source": md.source,
            "usage_terms": md.usage_terms,
            "web_statement": md.web_statement,
            "license": (
                {"id": lic.id, "found_in": f.license.found_in if f.license else "registry",
                 "name": lic.names.short, "kind": lic.kind, "url": lic.canonical_url}
                if lic else None
            ),
            "origin": ctx.origin,
            "people": ctx.people,
            "people_source": ctx.people_source,
            "consent": ctx.consent,
            "gps": md.gps.present,
            "digital_source_type": md.digital_source_type,
            "model_release": md.model_release,
            "date_created": md.date_created,
            "sources": md.sources,
            "containers": md.containers,
            "edits": sorted(ctx.edits),
            "faces": ({"count": f.faces.count, "identifiable": f.faces.identifiable} if f.faces else None),
            "logos": ([{"platform": l.platform, "version": l.version, "status": l.status,
                        "confidence": l.confidence, "box": list(l.box)} for l in f.logos]
                      if f.logos is not None else None),
            "provenance": ({"present": f.provenance.present, "state": f.provenance.state,
                            "signer": f.provenance.signer,
                            "digital_source_types": f.provenance.digital_source_types}
                           if f.provenance and f.provenance.present else None),
        }

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "path": self.path,
            "verdict": self.verdict,
            "facts": self.summary_facts(),
            "findings": [fd.to_dict(lang) for fd in self.findings],
            "attribution": self.attribution,
            "matches": [
                {"asset_id": m.asset_id, "confidence": round(m.confidence, 4), "edits": m.edits}
                for m in self.facts.registry_matches
            ],
            **self.extra,
        }


def evaluate(facts: Facts, use: IntendedUse, policy, catalogue, *, lang: str = "en",
             select: Iterable[str] | None = None, ignore: Iterable[str] | None = None,
             credit_overrides: dict[str, Any] | None = None) -> Result:
    from imagerights.licensing.attribution import credit_from_context, render_attribution

    ctx = build_context(facts, use, policy, catalogue)
    findings = run_rules(ctx, select=select, ignore=ignore)
    attribution = None
    if not any(e.stage in ("open", "bomb") for e in facts.errors) or facts.metadata.creators:
        credit = credit_from_context(ctx, overrides=credit_overrides)
        if credit is not None:
            attribution = render_attribution(credit, lang, policy)
    return Result(path=facts.path, verdict=verdict(findings), facts=facts, context=ctx,
                  findings=findings, attribution=attribution)
