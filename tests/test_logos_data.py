"""Brand rules as data (licenses/brands/*.toml), the template bank, colour maths, and the
BRD rules that do not need an image (stale rules, unverified numbers, medium confidence)."""

from __future__ import annotations

import datetime as dt
import hashlib
import tomllib
from pathlib import Path

import numpy as np
import pytest

from imagerights.facts import Facts, LogoFact
from imagerights.findings import Severity
from imagerights.licensing.catalogue import default_catalogue
from imagerights.logos.bank import TEMPLATE_DIR, default_bank, knockout_mask
from imagerights.logos.brands import BrandDataError, brands_dir, load_brands, parse_brand
from imagerights.logos.colour import delta_e2000, delta_e_hex, hex_to_rgb, icc_to_srgb, srgb_to_lab
from imagerights.policy import load_policy
from imagerights.rules.base import run_rules
from imagerights.rules.context import build_context
from imagerights.use import IntendedUse

PLATFORMS = {"facebook", "instagram", "x", "youtube", "linkedin", "tiktok", "threads", "bluesky", "mastodon"}


def test_every_platform_has_a_valid_rules_file():
    brands = load_brands()
    assert set(brands) == PLATFORMS
    for b in brands.values():
        assert b.guidelines_url.startswith("http")
        assert b.current.status == "current"
        for r in b.rules.values():
            assert r.source.url.startswith("http") and r.source.status in ("current", "archived", "unverified")
            dt.date.fromisoformat(r.source.retrieved)
            assert r.text and r.text_sv


def test_outdated_versions_are_known():
    b = load_brands()
    assert b["x"].version("twitter-bird").status == "outdated"
    assert {v.id for v in b["facebook"].versions if v.status == "outdated"} == {"2019", "pre2019-square"}
    assert b["facebook"].colour.get("outdated")["1877F2"] == "2019"


def test_unverified_numbers_are_marked():
    b = load_brands()
    assert b["facebook"].size.trusted is False  # no minimum size was retrieved
    assert b["youtube"].size.trusted is True  # 20 dp, archived 2021 page
    assert b["x"].colour.rule.verified is False  # X published no usage rules with the 2023 mark
    assert b["tiktok"].geometry.trusted is False


def test_template_hashes_match_the_svgs():
    for b in load_brands().values():
        for v in b.versions:
            if not v.bundled:
                continue
            data = (TEMPLATE_DIR / "svg" / v.template).read_bytes()
            assert hashlib.sha256(data).hexdigest() == v.template_sha256, v.template


def test_no_linkedin_template_is_shipped():
    assert not list((TEMPLATE_DIR / "svg").glob("linkedin*")) and not (TEMPLATE_DIR / "svg" / "linkedin").exists()
    assert "linkedin" not in default_bank().platforms()


def test_bank_has_every_bundled_version_with_its_knockout():
    bank = default_bank()
    keys = {t.key for t in bank.templates}
    expected = {f"{b.platform}/{v.id}" for b in load_brands().values() for v in b.versions if v.bundled}
    assert keys == expected
    by = {t.key: t for t in bank.templates}
    assert by["facebook/2023"].has_knockout and by["youtube/2017"].has_knockout
    assert not by["x/2023"].has_knockout


def test_knockout_of_a_ring_is_its_hole():
    ink = np.zeros((64, 64), np.uint8)
    import cv2

    cv2.circle(ink, (32, 32), 28, 255, -1)
    cv2.circle(ink, (32, 32), 12, 0, -1)
    ko = knockout_mask(ink, "holes")
    assert ko[32, 32] == 255 and ko[32, 5] == 0


def test_bad_brand_files_are_rejected():
    with (brands_dir() / "youtube.toml").open("rb") as fh:
        data = tomllib.load(fh)
    parse_brand(data)
    bad = dict(data, source=[dict(data["source"][0], status="maybe")])
    with pytest.raises(BrandDataError):
        parse_brand(bad)
    bad = dict(data, colour=dict(data["colour"], rule="nope"))
    with pytest.raises(BrandDataError):
        parse_brand(bad)


# Sharma, Wu & Dalal (2005), table 1: (Lab1, Lab2, ΔE00)
SHARMA = [
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, -1.3802, -84.2814), (50.0, 0.0, -82.7485), 1.0000),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.49, -0.001), (50.0, -2.49, 0.0009), 7.1792),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((63.0109, -31.0961, -5.8663), (62.8187, -29.7946, -4.0864), 1.2630),
    ((2.0776, 0.0795, -1.135), (0.9033, -0.0636, -0.5514), 0.9082),
]


@pytest.mark.parametrize("a,b,expected", SHARMA)
def test_ciede2000_reference_pairs(a, b, expected):
    assert float(delta_e2000(a, b)) == pytest.approx(expected, abs=1e-4)
    assert float(delta_e2000(b, a)) == pytest.approx(expected, abs=1e-4)


def test_research_colour_distances():
    assert delta_e_hex(hex_to_rgb("0866FF"), ["1877F2"])[0] == pytest.approx(6.3, abs=0.1)
    assert delta_e_hex(hex_to_rgb("FF0000"), ["CC0000"])[0] == pytest.approx(11.0, abs=0.1)
    assert srgb_to_lab((255, 255, 255))[0] == pytest.approx(100, abs=0.01)


def test_icc_profile_is_applied():
    from PIL import ImageCms

    lab_profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    same, converted = icc_to_srgb(np.array([[8, 102, 255]]), lab_profile)
    assert not converted and same[0].tolist() == [8, 102, 255]
    out, converted = icc_to_srgb(np.array([[8, 102, 255]]), b"not a profile")
    assert not converted


def _facts(*logos: LogoFact) -> Facts:
    return Facts(path="x.png", logos=list(logos))


def _run(facts: Facts, today: dt.date | None = None, channel: str | None = None):
    use = IntendedUse(channel=channel, today=today or dt.date(2026, 12, 1))
    return run_rules(build_context(facts, use, load_policy(None), default_catalogue()), select=["BRD"])


def _logo(platform="facebook", version="2023", status="current", **m) -> LogoFact:
    base = {"confidence": "high", "colour": {"hex": "0866FF", "reliable": True,
                                             "nearest_permitted": {"hex": "0866FF", "delta_e": 0.5}},
            "rotation_deg": 0.0, "aspect_ratio": 1.0, "aspect_ratio_error": 0.0,
            "size_px": {"width": 100, "height": 100}, "reference_px": 100, "image_width_px": 1080,
            "clear_space_px": 80, "clear_space": {"required_px": 50}, "effects": [], "whole_file": False}
    base.update(m)
    return LogoFact(platform, version, status, 0.97, (10, 10, 100, 100), base)


def test_nothing_looked_for_means_no_findings():
    assert _run(Facts(path="x.png", logos=None)) == []
    assert _run(Facts(path="x.png", logos=[])) == []


def test_clean_logo_gets_only_the_trademark_and_presence_notes():
    findings = _run(_facts(_logo()))
    assert {f.code for f in findings} == {"BRD010", "BRD011"}
    assert all(f.severity is Severity.INFO for f in findings)
    assert all(f.message.sv and f.message.en and f.citation.url for f in findings)


def test_stale_rules_warn_after_180_days():
    late = load_brands()["facebook"].last_reviewed + dt.timedelta(days=181)
    findings = _run(_facts(_logo()), today=late)
    stale = [f for f in findings if f.code == "BRD009"]
    assert stale and stale[0].severity is Severity.WARNING
    assert "BRD009" not in {f.code for f in _run(_facts(_logo()), today=late - dt.timedelta(days=2))}


def test_unverified_numbers_give_warnings_not_errors():
    # Facebook has no verified minimum size: a tiny Facebook logo is a warning
    small = _run(_facts(_logo(reference_px=20, size_px={"width": 20, "height": 20})))
    hit = [f for f in small if f.code == "BRD005"]
    assert hit and hit[0].severity is Severity.WARNING and "could not be verified" in hit[0].message.en
    # YouTube's 20 dp is from an archived page: an error
    yt = _run(_facts(_logo("youtube", "2017", reference_px=20, colour={"hex": "FF0000", "reliable": False,
                                                                         "nearest_permitted": {"hex": "FF0000", "delta_e": 1}})))
    assert [f.severity for f in yt if f.code == "BRD005"] == [Severity.ERROR]


def test_medium_confidence_is_a_possible_logo_and_caps_errors():
    findings = _run(_facts(_logo(confidence="medium", rotation_deg=30.0)))
    possible = [f for f in findings if f.code == "BRD008"]
    assert possible and "Possible Facebook logo" in possible[0].message.en and "please check" in possible[0].message.en
    assert "Möjlig" in possible[0].message.sv
    rot = [f for f in findings if f.code == "BRD003"]
    assert rot and rot[0].severity is Severity.WARNING and rot[0].message.en.startswith("Possible")


def test_linkedin_needs_permission():
    findings = _run(_facts(_logo("linkedin", "in-bug", colour={"hex": "0A66C2", "reliable": True,
                                                               "nearest_permitted": {"hex": "0A66C2", "delta_e": 0.3}})))
    presence = [f for f in findings if f.code == "BRD011"]
    assert presence and presence[0].severity is Severity.WARNING and "permission" in presence[0].message.en


def test_channel_sets_the_display_width():
    big = _logo("youtube", "2017", reference_px=60, colour={"hex": "FF0000", "reliable": True,
                                                            "nearest_permitted": {"hex": "FF0000", "delta_e": 1}})
    assert "BRD005" not in {f.code for f in _run(_facts(big), channel="instagram")}  # 60 px ≈ 21.7 dp


def test_brand_toml_files_parse_with_tomllib():
    for f in Path(brands_dir()).glob("*.toml"):
        with f.open("rb") as fh:
            tomllib.load(fh)


def test_committed_masks_match_the_svgs():
    """scripts/render_logo_templates.py --check: the masks in the package are rebuilt from the SVGs."""
    import subprocess
    import sys

    pytest.importorskip("resvg_py")
    root = Path(__file__).resolve().parent.parent
    r = subprocess.run([sys.executable, str(root / "scripts" / "render_logo_templates.py"), "--check"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
