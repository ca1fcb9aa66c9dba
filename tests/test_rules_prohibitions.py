"""LIC024/LIC025: what a licence forbids outright (its `prohibits` terms, read through
licenses/prohibitions.toml), against the organisation's policy and the planned use."""

from __future__ import annotations

import dataclasses

import pytest

from imagerights.cli.common import build_use
from imagerights.evaluate import evaluate
from imagerights.facts import Facts, LicenseMatch, Metadata
from imagerights.licensing.catalogue import default_catalogue
from imagerights.licensing.prohibitions import APPLIES, prohibition, vocabulary
from imagerights.policy import load_policy


def findings(licence_id, use="informational", account="city", edits="", policy=None, lang="en"):
    facts = Facts(path="x.jpg", metadata=Metadata(creators=["Anna Berg"], title="Torget"),
                  license=LicenseMatch(licence_id, "XMP-cc:license", ""))
    result = evaluate(facts, build_use(use, account, edits, None, None, "unknown"), policy or load_policy(None),
                      default_catalogue(), lang=lang)
    return {f.code: f for f in result.findings}, result


def test_every_prohibits_term_in_the_licence_data_is_in_the_vocabulary():
    terms = {t for lic in default_catalogue() for t in lic.prohibits}
    assert terms and terms <= set(vocabulary()), terms - set(vocabulary())
    assert all(p.applies in APPLIES and p.en and p.sv for p in vocabulary().values())


def test_developing_nations_licence_stops_a_swedish_organisation():
    got, result = findings("LicenseRef-CC-DEVNATIONS-2.0", lang="sv")
    f = got["LIC024"]
    assert result.verdict == "stop" and f.evidence["prohibits"] == "high-income-nation-use"
    assert "höginkomstland" in f.message.sv and "Malmö stad" in f.message.sv
    assert f.citation.url.endswith("/licenses/devnations/2.0/legalcode") and "förbjuder" in f.citation.get("sv")
    # an organisation in a developing nation may use it
    elsewhere = dataclasses.replace(load_policy(None), high_income_nation=False)
    assert "LIC024" not in findings("LicenseRef-CC-DEVNATIONS-2.0", policy=elsewhere)[0]


def test_sampling_licence_forbids_advertising_and_whole_copies():
    plain = findings("LicenseRef-CC-SAMPLING-1.0")[0]
    assert [f.evidence["prohibits"] for c, f in plain.items() if c == "LIC024"] == ["copies-of-whole-work"]
    adapted = findings("LicenseRef-CC-SAMPLING-1.0", edits="composite")[0]
    assert "LIC024" not in adapted  # a transformation is what the licence allows
    company = findings("LicenseRef-CC-SAMPLING-1.0", account="company", edits="composite")[0]
    assert company["LIC024"].evidence["prohibits"] == "advertising"
    assert "municipal company" in company["LIC024"].message.en


def test_nc_licences_are_left_to_lic003():
    got = findings("CC-BY-NC-4.0", use="advertising")[0]
    assert "LIC003" in got and "LIC024" not in got and "LIC025" not in got


def test_free_bank_terms_are_listed_for_the_user():
    got, result = findings("LicenseRef-Pixabay", lang="sv")
    f = got["LIC025"]
    assert f.severity.name.lower() == "info" and "LIC024" not in got
    assert "stötande användning av identifierbara personer" in f.message.sv
    assert f.citation.url.startswith("https://pixabay.com/")


@pytest.mark.parametrize("term", ["no-such-term", "use-on-mars"])
def test_an_unknown_term_is_shown_for_a_person_to_check(term):
    p = prohibition(term)
    assert p.applies == "manual" and p.en == term.replace("-", " ")
