"""REG rules, and registry matches feeding the licence and people rules (edits, consent)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from registry_fixtures import REGISTERED, downscaled, edited

from imagerights.facts import Facts, RegistryMatch
from imagerights.findings import Severity
from imagerights.licensing.catalogue import default_catalogue
from imagerights.policy import default_policy
from imagerights.rules.base import run_rules
from imagerights.rules.context import build_context
from imagerights.use import IntendedUse

TODAY = dt.date(2026, 6, 1)


def asset(**kw) -> dict:
    base = {"asset_id": "colourbox-4711", "title": "Torget", "creators": ["Anna Andersson"],
            "source_url": "https://www.colourbox.com/image/4711", "license_id": "LicenseRef-Colourbox",
            "expires": None, "channels": [], "editorial_only": False, "consent": "none", "consent_ref": None,
            "people_present": None, "status": "active", "notes": "", "file_name": "4711.jpg"}
    base.update(kw)
    return base


def findings(record: dict, edits: dict | None = None, **use) -> dict[str, object]:
    facts = Facts(path="post.jpg")
    facts.registry_matches = [RegistryMatch(record["asset_id"], 0.93, edits or {}, record)]
    ctx = build_context(facts, IntendedUse(today=TODAY, **use), default_policy(), default_catalogue())
    return {f.code: f for f in run_rules(ctx)}


def test_expired_licence_is_an_error_with_citation():
    got = findings(asset(expires="2026-05-31"))
    f = got["REG001"]
    assert f.severity is Severity.ERROR
    assert "2026-05-31" in f.message.en and "2026-05-31" in f.message.sv
    assert f.citation.url and f.citation.text
    assert "REG002" not in got


def test_expiring_within_the_policy_window_is_a_warning():
    window = default_policy().expiry_warning_days
    soon = findings(asset(expires=(TODAY + dt.timedelta(days=window - 1)).isoformat()))
    assert soon["REG002"].severity is Severity.WARNING
    assert soon["REG002"].evidence["days_left"] == window - 1
    later = findings(asset(expires=(TODAY + dt.timedelta(days=window + 1)).isoformat()))
    assert "REG001" not in later and "REG002" not in later


def test_editorial_only_in_advertising_or_a_company_account_is_an_error():
    assert findings(asset(editorial_only=True), use="advertising")["REG003"].severity is Severity.ERROR
    assert "REG003" in findings(asset(editorial_only=True), account="company")
    assert "REG003" not in findings(asset(editorial_only=True))  # informational post by the city
    assert "REG003" not in findings(asset(editorial_only=False), use="advertising")


def test_channel_not_allowed():
    got = findings(asset(channels=["web", "print"]), channel="instagram")
    assert got["REG004"].severity is Severity.ERROR and got["REG004"].evidence["allowed"] == ["web", "print"]
    assert "REG004" not in findings(asset(channels=["social"]), channel="instagram")  # social covers platforms
    assert "REG004" not in findings(asset(channels=["web"]), channel="web")
    assert "REG004" not in findings(asset(channels=[], license_id="CC-BY-4.0"), channel="tiktok")  # any channel


def test_do_not_use_stops():
    got = findings(asset(status="do-not-use", notes="Model withdrew consent"))
    assert got["REG005"].severity is Severity.ERROR
    assert "Model withdrew consent" in got["REG005"].message.en


def test_match_info_names_the_asset_confidence_and_edits():
    got = findings(asset(expires="2027-03-31"), {"crop": {"box": [0.1, 0.1, 0.9, 0.9], "kept": 0.64},
                                                 "covered": {"fraction": 0.15, "boxes": [[0, 0.85, 1, 1]]}})
    info = got["REG006"]
    assert info.severity is Severity.INFO
    assert "colourbox-4711" in info.message.en and "93%" in info.message.en
    assert "cropped" in info.message.en and "beskuren" in info.message.sv
    assert info.evidence["edits"]["crop"]["kept"] == 0.64


def test_no_registry_match_no_reg_findings():
    ctx = build_context(Facts(path="x.jpg"), IntendedUse(today=TODAY), default_policy(), default_catalogue())
    assert not [f for f in run_rules(ctx) if f.code.startswith("REG")]


def test_detected_crop_of_an_nd_image_reaches_the_licence_rules():
    record = asset(license_id="CC-BY-ND-4.0", asset_id="flickr-1")
    got = findings(record, {"crop": {"box": [0.1, 0.1, 0.9, 0.9], "kept": 0.64}})
    assert "LIC002" in got  # ND + crop (lead's licence rules, via ctx.edits)
    got = findings(record, {"covered": {"fraction": 0.15, "boxes": [[0, 0.85, 1, 1]]}})
    assert "LIC001" in got  # ND + text on the image
    assert "LIC001" not in findings(record, {"scale": 0.5}) and "LIC002" not in findings(record, {"scale": 0.5})


def test_consent_on_record_reaches_the_people_rules():
    facts = Facts(path="post.jpg")
    record = asset(license_id="LicenseRef-Own", consent="model-release", consent_ref="Dnr 2024-17", people_present=True)
    facts.registry_matches = [RegistryMatch("own-1", 0.9, {}, record)]
    ctx = build_context(facts, IntendedUse(today=TODAY), default_policy(), default_catalogue())
    assert ctx.consent == "model_release" and ctx.people == "yes" and ctx.people_source == "registry"
    assert record["consent_ref"] == "Dnr 2024-17"


@pytest.mark.corpus
def test_check_end_to_end_nd_photo_posted_with_a_caption(corpora, tmp_path):
    """`imagerights check` of a captioned copy of a registered CC BY-ND photo: matched, the
    caption detected, the ND rule fires; the expiry recorded in the registry is checked too."""
    from imagerights.cli.main import cli

    photo = downscaled(corpora, REGISTERED[0], tmp_path)
    reg = str(tmp_path / "r.db")
    runner = CliRunner()
    r = runner.invoke(cli, ["registry", "add", str(photo), "--id", "nd-1", "--license", "CC-BY-ND-4.0",
                            "--creator", "Anna Andersson", "--expires", "2020-01-01", "--registry", reg])
    assert r.exit_code == 0, r.output
    post = edited(photo, "textband", tmp_path)
    r = runner.invoke(cli, ["check", str(post), "--format", "json", "--registry", reg, "--no-logos", "--no-faces"])
    doc = json.loads(r.stdout)
    result = doc["results"][0] if "results" in doc else doc
    codes = {f["code"] for f in result["findings"]}
    assert {"REG001", "REG006", "LIC001"} <= codes, codes
    assert result["matches"][0]["asset_id"] == "nd-1" and "covered" in result["matches"][0]["edits"]
    assert result["verdict"] == "stop"
