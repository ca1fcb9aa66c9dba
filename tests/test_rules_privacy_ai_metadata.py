"""PRI, AI, MET and FIL rules on facts built in code."""

from __future__ import annotations

from imagerights.facts import GPS, Candidate, Conflict, ContainerError, FileError, Provenance
from rulekit import check, codes, make_facts

TRAINED = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
COMPOSITE_AI = "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"


def test_gps_position_warns_with_coordinates():
    r = check(make_facts(creators=["A"], copyright="Malmö stad",
                         gps=GPS(present=True, latitude=55.6059, longitude=13.0007, source="GPS IFD")))
    f = next(x for x in r.findings if x.code == "PRI001")
    assert f.severity.label == "warning"
    assert "55.60590" in f.message.en and "privacy strip" in f.message.en
    assert "GDPR" in f.citation.text


def test_owner_serial_contact():
    r = check(make_facts(creators=["A"], camera_owner="Kalle", body_serial="123",
                         creator_contact={"CiEmailWork": "a@b.se"}))
    c = codes(r)
    assert c["PRI002"] == c["PRI003"] == c["PRI005"] == "info"


def test_ai_generated_from_iptc_digital_source_type_cites_channel_rule():
    r = check(make_facts(creators=["A"], digital_source_type=TRAINED), channel="instagram")
    f = next(x for x in r.findings if x.code == "AI001")
    assert f.severity.label == "warning"
    assert "Instagram" in f.citation.text and f.citation.url.startswith("https://")


def test_ai_edited_and_not_both():
    r = check(make_facts(creators=["A"], digital_source_type=COMPOSITE_AI))
    c = codes(r)
    assert "AI002" in c and "AI001" not in c


def test_ai_generated_from_png_parameters_hint():
    r = check(make_facts(creators=["A"], ai_hints=[Candidate("PNG:parameters", "a cat, Steps: 20, Sampler: Euler a")]))
    assert "AI001" in codes(r) or "AI002" in codes(r)


def test_ai_from_c2pa_ingredient_and_invalid_credentials():
    facts = make_facts(creators=["A"])
    facts.provenance = Provenance(present=True, verified=True, state="invalid", signer="Adobe Inc.",
                                  digital_source_types=[TRAINED], codes=["assertion.dataHash.mismatch"])
    c = codes(check(facts))
    assert c["AI001"] == "warning" and c["AI004"] == "warning"


def test_no_markers_no_ai_findings():
    c = codes(check(make_facts(creators=["A"])))
    assert not [x for x in c if x.startswith("AI")]


def test_unknown_provenance():
    r = check(make_facts())
    assert codes(r)["MET001"] == "warning"


def test_conflict_is_reported_with_candidates():
    facts = make_facts(creators=["Kalle Anka"], conflicts=[Conflict("creators", "IFD0:Artist", [
        Candidate("IFD0:Artist", "Kalle Anka"), Candidate("XMP-dc:Creator", ["Janne Långben"])])])
    f = next(x for x in check(facts).findings if x.code == "MET002")
    assert "Janne Långben" in f.message.en and f.evidence["chosen"] == "IFD0:Artist"


def test_unreadable_container_is_its_own_finding():
    facts = make_facts(creators=["A"], container_errors=[ContainerError("XMP", "entities forbidden")])
    assert codes(check(facts))["MET003"] == "warning"


def test_unreadable_file_is_an_error_and_stops():
    facts = make_facts()
    facts.image.width = facts.image.height = None
    facts.errors.append(FileError("open", "cannot identify image file"))
    r = check(facts)
    assert codes(r)["FIL001"] == "error" and "MET001" not in codes(r)
    assert r.verdict == "stop"


def test_term_of_protection_hint_for_old_photos():
    r = check(make_facts(creators=["A"], copyright="Malmö stad", date_created="1952:06:01 12:00:00"))
    assert codes(r)["LIC030"] == "info"
