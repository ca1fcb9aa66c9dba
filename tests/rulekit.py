"""Helpers for rule tests: build facts the way readers would, without files."""

from __future__ import annotations

import datetime as dt

from imagerights.evaluate import evaluate
from imagerights.facts import Facts, Faces, ImageInfo, LicenseMatch, Metadata, RegistryMatch
from imagerights.licensing.catalogue import default_catalogue
from imagerights.policy import default_policy
from imagerights.use import IntendedUse, parse_edits


def make_facts(*, license: str | None = None, flickr: int | None = None, creators=(), title=None, source=None,
               copyright=None, credit=None, date_created=None, faces: int | None = None, asset: dict | None = None,
               edits_detected: dict | None = None, **metadata) -> Facts:
    from imagerights.licensing.identify import identify, identify_flickr_id

    cat = default_catalogue()
    md = Metadata(creators=list(creators), title=title, copyright=copyright, credit=credit,
                  cc_attribution_url=source, date_created=date_created, **metadata)
    facts = Facts(path="test.jpg", image=ImageInfo(format="JPEG", width=1200, height=800), metadata=md)
    if license is not None:
        found = identify(license, cat)
        assert found is not None, f"licence not recognised: {license}"
        facts.license = LicenseMatch(found.id, "XMP-cc:license", license)
    if flickr is not None:
        found = identify_flickr_id(flickr, cat)
        assert found is not None
        facts.license = LicenseMatch(found.id, "flickr", str(flickr))
    if faces is not None:
        facts.faces = Faces(count=faces, identifiable=faces, detector="test")
    if asset is not None:
        facts.registry_matches = [RegistryMatch(asset_id=asset.get("asset_id", "A1"), confidence=0.99,
                                                edits=edits_detected or {}, asset=asset)]
    return facts


def check(facts: Facts, *, lang="en", edits="", policy=None, today=dt.date(2026, 11, 26), **use):
    u = IntendedUse(edits=parse_edits(edits), today=today, **use)
    return evaluate(facts, u, policy or default_policy(), default_catalogue(), lang=lang)


def codes(result) -> dict[str, str]:
    return {f.code: f.severity.label for f in result.findings}
