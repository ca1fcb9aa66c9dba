"""The twelve deterministic logo cases of research/logos.md §(c), each as PNG and as JPEG q85,
plus whole logo files and a "follow us" strip. Scenes are generated in code (synth.py):
a 1080² texture, logos rendered from the vendored CC0 SVGs at 4× and reduced."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from imagerights.facts import Facts
from imagerights.findings import Severity
from imagerights.imaging import SourceImage
from imagerights.licensing.catalogue import default_catalogue
from imagerights.logos import find_logos, synth
from imagerights.policy import load_policy
from imagerights.rules.base import run_rules
from imagerights.rules.context import build_context
from imagerights.use import IntendedUse

CENTRE = (540, 540)
FORMATS = ["PNG", "JPEG"]


def scene(platform="facebook", version="2023", *, height=128.0, width=None, fill="0866FF", knockout="FFFFFF",
          card=1.0, angle=0.0, stretch_x=1.0, shadow=False) -> np.ndarray:
    bg = synth.texture(7)
    logo = synth.render_logo(platform, version, height=height, width=width, fill=fill, knockout=knockout,
                             angle=angle, stretch_x=stretch_x)
    if card is not None:
        # the card's margin is m × the logo's height on every side (research §c)
        lh = height if height else logo.shape[0]
        ys, xs = np.nonzero(logo[..., 3] > 16)
        cx0 = CENTRE[0] - logo.shape[1] / 2 + xs.min()
        cy0 = CENTRE[1] - logo.shape[0] / 2 + ys.min()
        m = card * (ys.max() - ys.min() + 1)
        bg[int(cy0 - m):int(cy0 + ys.max() - ys.min() + 1 + m), int(cx0 - m):int(cx0 + xs.max() - xs.min() + 1 + m)] = 255
        del lh
    if shadow:
        synth.drop_shadow(bg, logo, CENTRE, offset=(6, 6), sigma=3.0, opacity=0.6)
    synth.paste(bg, logo, CENTRE)
    return bg


def source(rgb: np.ndarray, fmt: str) -> SourceImage:
    data = synth.encode(rgb, fmt, quality=85)
    return SourceImage(path=Path(f"case.{fmt.lower()}"), data=data, pil=Image.open(io.BytesIO(data)))


def check(src: SourceImage, channel: str | None = None):
    logos = find_logos(src)
    facts = Facts(path=str(src.path), logos=logos)
    ctx = build_context(facts, IntendedUse(channel=channel), load_policy(None), default_catalogue())
    return logos, run_rules(ctx, select=["BRD"])


def codes(findings, severity: Severity | None = None) -> set[str]:
    return {f.code for f in findings if severity is None or f.severity is severity}


LOGO_CHECKS = {"BRD001", "BRD002", "BRD003", "BRD004", "BRD005", "BRD006", "BRD007", "BRD008"}


def only(logos, platform, version):
    assert len(logos) == 1, [(l.platform, l.version, l.box) for l in logos]
    assert (logos[0].platform, logos[0].version) == (platform, version)
    return logos[0]


@pytest.mark.parametrize("fmt", FORMATS)
def test_01_fb_ok(fmt):
    logos, findings = check(source(scene(), fmt))
    f = only(logos, "facebook", "2023")
    m = f.measurements
    assert f.status == "current" and m["confidence"] == "high"
    assert m["colour"]["nearest_permitted"]["hex"] == "0866FF" and m["colour"]["nearest_permitted"]["delta_e"] <= 3
    assert abs(m["rotation_deg"]) <= 2
    assert abs(m["aspect_ratio"] - 1) <= 0.04
    assert abs(m["size_px"]["height"] - 128) <= 3
    assert m["clear_space_px"] >= m["clear_space"]["required_px"]
    assert m["effects"] == [] and m["whole_file"] is False
    assert abs(f.box[0] - 476) <= 2 and abs(f.box[2] - 128) <= 3
    assert not codes(findings) & LOGO_CHECKS, [(x.code, x.message.en) for x in findings]


@pytest.mark.parametrize("fmt", FORMATS)
def test_follow_us_strip_too_tight(fmt):
    """The research's strip (48 px, 24 px apart): all three found; YouTube is too small and too close."""
    bg = synth.texture(3)
    bg[400:640, 200:880] = 255
    marks = [("facebook", "2023", "0866FF", "FFFFFF"), ("instagram", "2016", "FF0069", None),
             ("youtube", "2017", "FF0000", "FFFFFF")]
    x = 420
    for p, v, fill, ko in marks:
        logo = synth.render_logo(p, v, height=48, fill=fill, knockout=ko)
        synth.paste(bg, logo, (x + logo.shape[1] / 2, 520))
        x += logo.shape[1] + 24
    logos, findings = check(source(bg, fmt))
    assert sorted(l.platform for l in logos) == ["facebook", "instagram", "youtube"]
    yt = {x.code for x in findings if x.evidence.get("platform") == "youtube"}
    assert {"BRD005", "BRD006"} <= yt
    assert not {x.code for x in findings if x.evidence.get("platform") == "facebook"} & LOGO_CHECKS
    assert {"BRD010", "BRD011"} <= codes(findings, Severity.INFO)


@pytest.mark.parametrize("fmt", FORMATS)
def test_02_yt_ok(fmt):
    logos, findings = check(source(scene("youtube", "2017", height=90, fill="FF0000"), fmt))
    f = only(logos, "youtube", "2017")
    assert f.measurements["colour"]["nearest_permitted"]["delta_e"] <= 3
    assert abs(f.measurements["size_px"]["height"] - 90) <= 3
    assert not codes(findings) & LOGO_CHECKS, [(x.code, x.message.en) for x in findings]


@pytest.mark.parametrize("fmt", FORMATS)
def test_03_fb_recoloured(fmt):
    logos, findings = check(source(scene(fill="2E7D32"), fmt))
    f = only(logos, "facebook", "2023")
    colour = f.measurements["colour"]
    assert colour["nearest_permitted"]["delta_e"] > 10
    from imagerights.logos.colour import delta_e_hex

    assert delta_e_hex(colour["srgb"], ["0866FF"])[0] > 40  # research: ≈ 55 to #0866FF
    hit = [x for x in findings if x.code == "BRD002"]
    assert hit and hit[0].severity is Severity.ERROR
    assert "wixlib.com" in hit[0].citation.url and "approved brand assets" in hit[0].citation.text


@pytest.mark.parametrize("fmt", FORMATS)
def test_04_fb_old_blue(fmt):
    logos, findings = check(source(scene(fill="1877F2"), fmt))
    f = only(logos, "facebook", "2023")  # the 2023 shape in the 2019 blue
    old = f.measurements["colour"]["nearest_outdated"]
    assert old["hex"] == "1877F2" and old["delta_e"] <= 1.5
    assert 4.8 <= f.measurements["colour"]["nearest_permitted"]["delta_e"] <= 7.8  # ≈ 6.3 to #0866FF
    hit = [x for x in findings if x.code == "BRD002"]
    assert hit and hit[0].severity is Severity.WARNING and "outdated colour" in hit[0].message.en
    assert "BRD001" not in codes(findings)


@pytest.mark.parametrize("fmt", FORMATS)
def test_05_fb_pre2019_square(fmt):
    logos, findings = check(source(scene("facebook", "pre2019-square", fill="3B5998"), fmt))
    f = only(logos, "facebook", "pre2019-square")
    assert f.status == "outdated"
    hit = [x for x in findings if x.code == "BRD001"]
    assert hit and hit[0].severity is Severity.ERROR
    assert "approved brand assets" in hit[0].citation.text


@pytest.mark.parametrize("fmt", FORMATS)
def test_06_twitter_bird(fmt):
    logos, findings = check(source(scene("x", "twitter-bird", height=96, fill="1D9BF0", knockout=None), fmt))
    f = only(logos, "x", "twitter-bird")
    assert f.status == "outdated"
    hit = [x for x in findings if x.code == "BRD001"]
    assert hit and hit[0].severity is Severity.ERROR and "July 2023" in hit[0].message.en
    assert "web.archive.org" in hit[0].citation.url


@pytest.mark.parametrize("fmt", FORMATS)
def test_07_yt_rotated_15(fmt):
    logos, findings = check(source(scene("youtube", "2017", height=90, fill="FF0000", angle=15), fmt))
    f = only(logos, "youtube", "2017")
    assert abs(f.measurements["rotation_deg"] - 15) <= 3
    hit = [x for x in findings if x.code == "BRD003"]
    assert hit and hit[0].severity is Severity.ERROR


@pytest.mark.parametrize("fmt", FORMATS)
def test_08_fb_stretched(fmt):
    logos, findings = check(source(scene(stretch_x=1.25), fmt))
    f = only(logos, "facebook", "2023")
    assert abs(f.measurements["aspect_ratio"] - 1.25) <= 0.05
    hit = [x for x in findings if x.code == "BRD004"]
    assert hit and hit[0].severity is Severity.ERROR and "stretched wide" in hit[0].message.en


@pytest.mark.parametrize("fmt", FORMATS)
def test_09_yt_too_small(fmt):
    logos, findings = check(source(scene("youtube", "2017", height=None, width=24, fill="FF0000"), fmt))
    f = only(logos, "youtube", "2017")
    assert abs(f.measurements["size_px"]["height"] - 17) <= 2
    hit = [x for x in findings if x.code == "BRD005"]
    assert hit and hit[0].severity is Severity.ERROR
    assert 5 <= hit[0].evidence["display_dp"] <= 7.5  # ≈ 6 dp at 390 dp
    assert f.measurements["colour"]["reliable"] is False  # colour verdict: low confidence


@pytest.mark.parametrize("fmt", FORMATS)
def test_10_fb_no_clear_space(fmt):
    logos, findings = check(source(scene(card=None), fmt))
    only(logos, "facebook", "2023")
    hit = [x for x in findings if x.code == "BRD006"]
    assert hit and hit[0].severity is Severity.WARNING
    assert not codes(findings) & (LOGO_CHECKS - {"BRD006"}), [(x.code, x.message.en) for x in findings]


@pytest.mark.parametrize("fmt", FORMATS)
def test_11_fb_drop_shadow(fmt):
    logos, findings = check(source(scene(shadow=True), fmt))
    f = only(logos, "facebook", "2023")
    assert "drop-shadow" in f.measurements["effects"]
    hit = [x for x in findings if x.code == "BRD007"]
    assert hit and hit[0].severity is Severity.WARNING


def _decoys() -> np.ndarray:
    bg = synth.texture(7)
    import cv2

    cv2.circle(bg, (300, 300), 64, synth.hex_rgb("0866FF"), -1, lineType=cv2.LINE_AA)
    cv2.rectangle(bg, (600, 255), (727, 344), synth.hex_rgb("FF0000"), -1)
    im = Image.fromarray(bg)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 160) \
        if Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf").exists() else ImageFont.load_default()
    ImageDraw.Draw(im).text((430, 650), "X", fill=(255, 255, 255), font=font)
    return np.asarray(im).copy()


@pytest.mark.parametrize("fmt", FORMATS)
def test_12_decoys_negative(fmt):
    logos, findings = check(source(_decoys(), fmt))
    assert logos == [], [(l.platform, l.version, l.box, l.confidence) for l in logos]
    assert codes(findings) == set()


# ---- whole logo files ------------------------------------------------------------------------

def _logo_file(platform, version, fill, knockout=None, size=512, mark=400) -> SourceImage:
    logo = synth.render_logo(platform, version, height=mark, fill=fill, knockout=knockout)
    im = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    im.alpha_composite(Image.fromarray(logo), ((size - logo.shape[1]) // 2, (size - logo.shape[0]) // 2))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return SourceImage(path=Path(f"{platform}.png"), data=buf.getvalue(), pil=Image.open(io.BytesIO(buf.getvalue())))


def test_whole_file_x_logo_passes():
    logos, findings = check(_logo_file("x", "2023", "000000"))
    f = only(logos, "x", "2023")
    assert f.measurements["whole_file"] is True
    assert not codes(findings) & LOGO_CHECKS, [(x.code, x.message.en) for x in findings]


def test_whole_file_x_in_twitter_blue_warns():
    logos, findings = check(_logo_file("x", "2023", "1D9BF0"))
    only(logos, "x", "2023")
    hit = [x for x in findings if x.code == "BRD002"]
    assert hit and hit[0].severity is Severity.WARNING and "1D9BF0" in hit[0].message.en


def test_whole_file_white_mark_on_transparency_is_found():
    logos, _ = check(_logo_file("x", "2023", "FFFFFF"))
    f = only(logos, "x", "2023")
    assert f.measurements["colour"]["hex"] in ("FFFFFF", "FEFEFE")


def test_whole_file_outdated_facebook_jpeg():
    logo = synth.render_logo("facebook", "2019", height=300, fill="1877F2", knockout="FFFFFF")
    canvas = np.full((320, 320, 3), 255, np.uint8)
    synth.paste(canvas, logo, (160, 160))
    logos, findings = check(source(canvas, "JPEG"))
    f = only(logos, "facebook", "2019")
    assert f.measurements["whole_file"] is True and f.status == "outdated"
    assert "BRD001" in codes(findings, Severity.ERROR)
    assert "BRD006" not in codes(findings)  # clear space is not judged for a logo file


@pytest.mark.parametrize("fmt", FORMATS)
def test_follow_us_strip(fmt):
    """Facebook, Instagram and YouTube in a white band: three marks, each measured. (64 px high,
    not the research's 48 px: YouTube asks for 20 dp ≈ 56 px in a 1080 px post, and clear space
    of the icon's height, which 24 px gaps do not give.)"""
    bg = synth.texture(3)
    bg[400:640, 200:880] = 255
    marks = [("facebook", "2023", "0866FF", "FFFFFF"), ("instagram", "2016", "FF0069", None),
             ("youtube", "2017", "FF0000", "FFFFFF")]
    xs = [330, 540, 750]
    for (p, v, fill, ko), x in zip(marks, xs):
        synth.paste(bg, synth.render_logo(p, v, height=64, fill=fill, knockout=ko), (x, 520))
    logos, findings = check(source(bg, fmt))
    assert [l.platform for l in sorted(logos, key=lambda l: l.box[0])] == ["facebook", "instagram", "youtube"]
    for l in logos:
        assert l.status == "current"
        assert l.measurements["clear_space_px"] >= l.measurements["clear_space"]["required_px"] * 0.9
    assert not codes(findings) & LOGO_CHECKS, [(x.code, x.message.en) for x in findings]
