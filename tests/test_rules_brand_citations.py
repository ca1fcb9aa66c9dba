"""Brand-rule findings cite the platform's rule in the reader's language (the TOML's text_sv)."""

from __future__ import annotations

import datetime as dt

from imagerights.facts import Facts, LogoFact
from imagerights.licensing.catalogue import default_catalogue
from imagerights.logos.brands import load_brands
from imagerights.policy import load_policy
from imagerights.rules.base import IntendedUse, run_rules
from imagerights.rules.context import build_context


def _findings(version: str, status: str):
    logo = LogoFact("x", version, status, 0.97, (10, 10, 100, 100),
                    {"confidence": "high", "size_px": {"width": 100, "height": 100}, "reference_px": 100,
                     "image_width_px": 1080, "effects": [], "whole_file": False})
    use = IntendedUse(today=dt.date(2026, 12, 1))
    ctx = build_context(Facts(path="poster.png", logos=[logo]), use, load_policy(None), default_catalogue())
    return run_rules(ctx, select=["BRD001"])


def test_outdated_logo_citation_in_swedish_and_english():
    found = _findings("twitter-bird", "outdated")
    assert [f.code for f in found] == ["BRD001"]
    rule = load_brands()["x"].version_rule
    sv, en = found[0].to_dict("sv")["citation"], found[0].to_dict("en")["citation"]
    assert rule.text_sv and rule.text_sv in sv["text"] and "hämtad" in sv["text"]
    assert rule.text in en["text"] and "retrieved" in en["text"]
    assert sv["url"] == en["url"] == rule.source.url
