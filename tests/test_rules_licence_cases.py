"""The fifteen test cases of research/licenses.md §(c): the findings part (R-rules).

Identification and credit strings are tested in test_attribution.py / test_licensing_identify.py.
"""

from __future__ import annotations

from rulekit import check, codes, make_facts


def test_case01_by40_without_source_warns_r13():
    r = check(make_facts(license="https://creativecommons.org/licenses/by/4.0/?ref=openverse",
                         creators=["Creator"], title="Title"))
    assert r.facts.license.id == "CC-BY-4.0"
    assert codes(r)["ATT003"] == "warning"
    assert r.verdict == "review"


def test_case02_bysa40_no_title_needed():
    r = check(make_facts(license="CC BY-SA 4.0", creators=["Anna A"], source="https://www.flickr.com/photos/a/1"))
    assert "ATT002" not in codes(r)
    assert "ATT003" not in codes(r)


def test_case03_by20_title_required_r12():
    r = check(make_facts(license="http://creativecommons.org/licenses/by/2.0", creators=["tvol"],
                         source="https://www.flickr.com/photos/tvol/1"))
    assert r.facts.license.id == "CC-BY-2.0"
    assert codes(r)["ATT002"] == "error"
    assert r.verdict == "stop"
    with_title = check(make_facts(license="http://creativecommons.org/licenses/by/2.0", creators=["tvol"],
                                  title="Creative Commons 10th Birthday Celebration San Francisco",
                                  source="https://www.flickr.com/photos/tvol/1"))
    assert "ATT002" not in codes(with_title)


def test_case03_planned_credit_without_title_is_an_error():
    r = check(make_facts(license="CC BY 2.0", creators=["tvol"], title="Birthday",
                         source="https://www.flickr.com/photos/tvol/1"),
              credit="Foto: tvol (CC BY 2.0)")
    assert codes(r)["ATT002"] == "error"


def test_case04_swedish_port_is_ported_and_nc():
    r = check(make_facts(license="Creative Commons Erkännande-IckeKommersiell-DelaLika 2.5 Sverige licens.",
                         creators=["Linnéuniversitetet"], title="Logga"))
    assert r.facts.license.id == "LicenseRef-CC-BY-NC-SA-2.5-SE"
    c = codes(r)
    assert c["LIC016"] == "info"
    assert c["LIC004"] == "info"
    assert "ATT002" not in c


def test_case05_nd_with_text_overlay_is_r1_error():
    r = check(make_facts(license="https://creativecommons.org/licenses/by-nd/4.0/deed.sv", creators=["Erik E"],
                         title="Bron", source="https://example.org/bron"), edits="text")
    assert codes(r)["LIC001"] == "error"
    assert r.verdict == "stop"
    lic001 = next(f for f in r.findings if f.code == "LIC001")
    assert "2(a)(1)" in lic001.citation.text and lic001.citation.url.startswith("https://creativecommons.org/")


def test_case06_nd_with_resize_is_fine():
    r = check(make_facts(license="https://creativecommons.org/licenses/by-nd/4.0/deed.sv", creators=["Erik E"],
                         title="Bron", source="https://example.org/bron"), edits="resize", people="no")
    c = codes(r)
    assert "LIC001" not in c and "LIC002" not in c and "ATT004" not in c
    assert r.verdict == "ok"


def test_nd_crop_is_a_warning_r2():
    r = check(make_facts(license="CC BY-ND 4.0", creators=["Erik E"], source="https://example.org/b"), edits="crop")
    assert codes(r)["LIC002"] == "warning"


def test_case07_nc_in_company_account_is_r3_error():
    r = check(make_facts(flickr=2, creators=["Lisa L"], title="Konsert", source="https://www.flickr.com/photos/l/2"),
              account="company")
    assert r.facts.license.id == "CC-BY-NC-2.0"
    assert codes(r)["LIC003"] == "error"


def test_case07_nc_in_advertising_is_r3_error_and_informational_is_r4_info():
    f = dict(flickr=2, creators=["Lisa L"], title="Konsert", source="https://www.flickr.com/photos/l/2")
    assert codes(check(make_facts(**f), use="advertising"))["LIC003"] == "error"
    info = codes(check(make_facts(**f)))
    assert info["LIC004"] == "info" and "LIC003" not in info


def test_case08_sa_adapted_under_nc_nd_is_r5_and_r6():
    r = check(make_facts(flickr=5, creators=["Per P"], title="Torg", source="https://www.flickr.com/photos/p/5"),
              edits="crop,text", publish_license="CC-BY-NC-ND-4.0")
    assert r.facts.license.id == "CC-BY-SA-2.0"
    c = codes(r)
    assert c["LIC005"] == "error"
    assert c["LIC006"] == "error"
    assert "ATT004" in c  # change note required


def test_sa_adapted_under_later_bysa_is_allowed():
    r = check(make_facts(flickr=5, creators=["Per P"], title="Torg", source="https://www.flickr.com/photos/p/5"),
              edits="crop,text", publish_license="CC-BY-SA-4.0")
    c = codes(r)
    assert "LIC005" not in c and "LIC006" not in c


def test_r7_by_adapted_under_city_licence_is_ok():
    r = check(make_facts(license="CC BY 4.0", creators=["Ada"], source="https://example.org/a"),
              edits="text", publish_license="CC-BY-NC-ND-4.0")
    c = codes(r)
    assert c["LIC007"] == "info"
    assert "LIC006" not in c


def test_r6_unmodified_third_party_image_under_city_licence():
    r = check(make_facts(license="CC BY 4.0", creators=["Ada"], source="https://example.org/a"),
              publish_license="CC-BY-NC-ND-4.0")
    assert codes(r)["LIC006"] == "error"


def test_case09_cc0_is_r19_info():
    r = check(make_facts(license="https://creativecommons.org/publicdomain/zero/1.0/deed.sv",
                         creators=["Creator"], title="Title"), people="no")
    assert r.facts.license.id == "CC0-1.0"
    assert codes(r)["LIC019"] == "info"
    assert r.verdict == "ok"


def test_case10_pdm_is_r19_info():
    r = check(make_facts(license="Public Domain Mark 1.0", creators=["Creator"], title="Title"))
    assert r.facts.license.id == "CC-PDM-1.0"
    assert codes(r)["LIC019"] == "info"


def test_case11_no_known_copyright_restrictions_is_r17_warning():
    r = check(make_facts(flickr=7, creators=["Example Museum"], title="T",
                         source="https://www.flickr.com/photos/museum/1"))
    assert codes(r)["LIC017"] == "warning"


def test_case12_sampling_plus_is_retired_r15():
    r = check(make_facts(license="https://creativecommons.org/licenses/sampling+/1.0/", creators=["X"], title="Y"))
    assert r.facts.license.id == "LicenseRef-CC-SAMPLING-PLUS-1.0"
    assert codes(r)["LIC015"] == "warning"


def test_case13_by_nd_nc_old_order():
    r = check(make_facts(license="http://creativecommons.org/licenses/by-nd-nc/1.0/", creators=["X"]),
              edits="text")
    assert r.facts.license.id == "CC-BY-NC-ND-1.0"
    c = codes(r)
    assert c["ATT002"] == "error"  # title required (1.0) and not known
    assert c["LIC001"] == "error"  # no adaptations


def test_case14_unsplash_people_r9_warning_and_error_for_company():
    f = dict(license="Unsplash License", creators=["Jane Doe"], source="https://unsplash.com/photos/abc")
    r = check(make_facts(**f), people="yes")
    assert codes(r)["PPL009"] == "warning"
    company = check(make_facts(**f), people="yes", account="company")
    assert codes(company)["PPL009"] == "error"
    assert company.verdict == "stop"


def test_case15_own_image_with_people_never_cc_r8():
    r = check(make_facts(creators=["Anna Andersson"], copyright="Malmö stad"), people="yes")
    assert r.context.origin == "own"
    assert codes(r)["PPL008"] == "error"
    no_people = check(make_facts(creators=["Anna Andersson"], copyright="Malmö stad"), people="no")
    assert "PPL008" not in codes(no_people)


def test_reserve_pixabay_before_2019_is_cc0_r20():
    r = check(make_facts(license="Pixabay License", creators=["P"], date_created="2018:05:01 10:00:00"))
    f = next(x for x in r.findings if x.code == "LIC020")
    assert f.evidence["applies"] == "CC0-1.0"
    later = check(make_facts(license="Pixabay License", creators=["P"], date_created="2020:05:01 10:00:00"))
    assert "LIC020" not in codes(later)


def test_reserve_badge_url_and_nonexistent_swedish_4_port():
    assert check(make_facts(license="https://i.creativecommons.org/l/by-sa/3.0/88x31.png", creators=["X"], title="Y")).facts.license.id == "CC-BY-SA-3.0"
    r = check(make_facts(license="Creative Commons Erkännande 4.0 Sverige", creators=["X"]))
    assert r.facts.license.id == "CC-BY-4.0"


def test_reserve_stock_editorial_asset_in_campaign_is_an_error():
    asset = {"asset_id": "4711", "license_id": "LicenseRef-Colourbox", "editorial_only": True, "creators": ["Foto Grafsson"],
             "expires": "2027-03-31", "channels": [], "consent": "none", "status": "active"}
    r = check(make_facts(asset=asset), use="advertising")
    assert r.context.origin == "stock"
    assert any(f.severity.label == "error" for f in r.findings if f.code.startswith(("REG", "LIC"))), codes(r)
