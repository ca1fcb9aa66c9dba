"""The rule framework: stable unique codes, both languages, citations with URLs, selection, policy."""

from __future__ import annotations

import re

import pytest

from imagerights.findings import Severity, verdict
from imagerights.policy import default_policy, load_policy
from imagerights.rules import RULES
from rulekit import check, codes, make_facts


def test_rule_codes_are_stable_and_documented():
    assert len(RULES) >= 40
    for code, r in RULES.items():
        assert re.fullmatch(r"(LIC|ATT|PPL|PRI|AI|MET|REG|BRD|FIL)\d{3}", code), code
        assert r.summary.en and r.summary.sv and r.summary.en != r.summary.sv, code
        assert r.citation.text, code
        assert r.citation.url.startswith("https://"), f"{code} cites no URL"


def test_every_emitted_finding_has_both_languages_and_a_url():
    facts = make_facts(flickr=5, creators=["Per P"], faces=2, copyright="Per P",
                       digital_source_type="http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia")
    r = check(facts, edits="crop,text,filter", publish_license="CC-BY-NC-ND-4.0", account="company")
    assert len(r.findings) >= 5
    for f in r.findings:
        assert f.message.en and f.message.sv
        assert f.citation.url.startswith("https://"), f.code


def test_select_and_ignore_by_prefix():
    from dataclasses import replace

    from imagerights.evaluate import evaluate
    from imagerights.licensing.catalogue import default_catalogue
    from imagerights.use import IntendedUse

    facts = make_facts(flickr=2, creators=["L"], title="K", source="https://www.flickr.com/photos/l/2")
    use = IntendedUse(account="company", people="yes")
    only_lic = evaluate(facts, use, default_policy(), default_catalogue(), select=["LIC"])
    assert only_lic.findings and all(f.code.startswith("LIC") for f in only_lic.findings)
    no_lic = evaluate(facts, use, default_policy(), default_catalogue(), ignore=["LIC003"])
    assert "LIC003" not in codes(no_lic)
    stricter = replace(default_policy(), block=("PPL013",), severity={"LIC004": "warning"})
    r = check(make_facts(flickr=2, creators=["L"], title="K", source="https://x.org/1"), policy=stricter)
    assert codes(r)["LIC004"] == "warning"
    assert any(f.blocking for f in r.findings if f.code == "PPL013") and r.verdict == "stop"


def test_verdicts():
    assert verdict([]) == "ok"
    r = check(make_facts(license="CC BY 4.0", creators=["A"], source="https://example.org/a"), people="no")
    assert r.verdict == "ok", codes(r)
    assert all(f.severity is Severity.INFO for f in r.findings)


def test_policy_file_replaces_default(tmp_path):
    p = tmp_path / "policy.toml"
    p.write_text('schema_version = 1\norganisation = "Lunds kommun"\n[own_images]\npatterns = ["(?i)lunds kommun"]\n'
                 '[accounts.city]\nlicense = ""\n', encoding="utf-8")
    pol = load_policy(p)
    assert pol.organisation == "Lunds kommun"
    r = check(make_facts(copyright="Lunds kommun", creators=["Per"]), policy=pol, people="yes")
    assert r.context.origin == "own"
    assert "PPL008" not in codes(r)  # this organisation offers no CC licence on its accounts


def test_bad_policy_is_a_clear_error(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text('schema_version = 1\n[own_images]\npatterns = ["("]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="organisation"):
        load_policy(p)
