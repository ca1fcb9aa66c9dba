"""PPL rules (R8, R9, R10 and consent) fire on detected or declared people and are cleared by consent."""

from __future__ import annotations

from rulekit import check, codes, make_facts

ASSET = {"asset_id": "A1", "title": "Kalas", "creators": ["Anna Andersson"], "license_id": "LicenseRef-Own",
         "source_url": None, "expires": None, "channels": [], "editorial_only": False, "consent": "none",
         "people_present": True, "status": "active"}


def test_r10_company_with_detected_faces_and_no_consent_stops():
    r = check(make_facts(creators=["Anna Andersson"], copyright="Malmö stad", faces=3), account="company")
    c = codes(r)
    assert c["PPL010"] == "error"
    f = next(x for x in r.findings if x.code == "PPL010")
    assert "3 identifiable faces" in f.message.en and "3 identifierbara ansikten" in f.message.sv
    assert "1978:800" in f.citation.text and f.citation.url
    assert r.verdict == "stop"


def test_r10_cleared_by_consent_record():
    asset = {**ASSET, "consent": "written", "consent_ref": "Dnr 2026-123"}
    r = check(make_facts(creators=["Anna Andersson"], copyright="Malmö stad", faces=3, asset=asset), account="company")
    assert "PPL010" not in codes(r)
    assert r.context.consent == "written"


def test_r8_cleared_by_model_release_only():
    written = check(make_facts(copyright="Malmö stad", creators=["A"], faces=1, asset={**ASSET, "consent": "written"}))
    assert "PPL008" in codes(written)  # handbook: never CC on images with identifiable people
    release = check(make_facts(copyright="Malmö stad", creators=["A"], faces=1, asset={**ASSET, "consent": "model_release"}))
    assert "PPL008" not in codes(release)


def test_r9_cleared_by_consent():
    f = dict(license="Unsplash License", creators=["Jane"], source="https://unsplash.com/photos/x")
    assert "PPL009" in codes(check(make_facts(**f), people="yes"))
    asset = {**ASSET, "license_id": "LicenseRef-Unsplash", "consent": "written"}
    assert "PPL009" not in codes(check(make_facts(**f, asset=asset), people="yes"))


def test_people_flag_overrides_detection():
    r = check(make_facts(copyright="Malmö stad", creators=["A"], faces=2), people="no", account="company")
    assert "PPL010" not in codes(r)
    assert r.context.people_source == "flag"


def test_no_faces_means_no_people_findings():
    r = check(make_facts(copyright="Malmö stad", creators=["A"], faces=0), account="company")
    assert not [c for c in codes(r) if c.startswith("PPL")]


def test_city_informational_people_without_consent_is_a_warning():
    r = check(make_facts(license="CC BY 4.0", creators=["A"], source="https://example.org/x", faces=1))
    assert codes(r)["PPL011"] == "warning"


def test_person_in_image_metadata_counts_as_people_and_privacy():
    r = check(make_facts(creators=["A"], copyright="Malmö stad", persons_in_image=["Kalle Anka"]), account="company")
    c = codes(r)
    assert c["PPL010"] == "error" and c["PRI004"] == "warning"
    assert r.context.people_source == "metadata"


def test_model_release_none_with_people():
    r = check(make_facts(creators=["A"], copyright="Malmö stad", model_release="MR-NON"), people="yes")
    assert codes(r)["PPL012"] == "warning"


def test_unknown_people_is_info_only():
    r = check(make_facts(license="CC BY 4.0", creators=["A"], source="https://example.org/x"))
    assert codes(r)["PPL013"] == "info"
