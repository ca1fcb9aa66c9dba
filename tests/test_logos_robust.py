"""find_logos runs inside every check and audit: odd images must give an answer, not an
exception; the CLI's ``logos check`` and ``logos rules``; logo facts inside ``analyse``."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from imagerights.analyse import AnalyseOptions, analyse
from imagerights.cli.main import cli
from imagerights.imaging import open_source
from imagerights.logos import find_logos, synth


def _save(tmp_path, name: str, im: Image.Image, **kw) -> str:
    p = tmp_path / name
    im.save(p, **kw)
    return str(p)


ODD = {
    "1px.png": lambda: Image.new("RGB", (1, 1), (8, 102, 255)),
    "tiny.png": lambda: Image.new("RGB", (11, 7), (255, 0, 0)),
    "line.png": lambda: Image.new("RGB", (4000, 3), (0, 0, 0)),
    "grey.png": lambda: Image.fromarray(synth.texture(1, (300, 400))).convert("L"),
    "bilevel.png": lambda: Image.fromarray(synth.texture(2, (200, 200))).convert("1"),
    "palette.png": lambda: Image.fromarray(synth.texture(3, (200, 260))).convert("P"),
    "transparent.png": lambda: Image.new("RGBA", (300, 300), (0, 0, 0, 0)),
    "la.png": lambda: Image.new("LA", (120, 90), (0, 0)),
    "i16.png": lambda: Image.fromarray((np.arange(200 * 200).reshape(200, 200) % 65535).astype(np.uint16)),
    "cmyk.jpg": lambda: Image.fromarray(synth.texture(4, (240, 320))).convert("CMYK"),
    "flat.png": lambda: Image.new("RGB", (640, 480), (255, 255, 255)),
    "wide.jpg": lambda: Image.fromarray(synth.texture(5, (200, 2400))),
}


@pytest.mark.parametrize("name", sorted(ODD))
def test_odd_images_do_not_raise(tmp_path, name):
    path = _save(tmp_path, name, ODD[name]())
    src = open_source(path)
    logos = find_logos(src)
    assert isinstance(logos, list)
    for f in logos:
        assert f.platform and len(f.box) == 4


def test_large_photo_is_analysed_on_a_reduced_copy(tmp_path):
    """A 4000 px image: the mark is found and its box is reported in original pixels."""
    bg = np.full((3000, 4000, 3), 235, np.uint8)
    logo = synth.render_logo("youtube", "2017", height=300, fill="FF0000", knockout="FFFFFF")
    box = synth.paste(bg, logo, (2000, 1500))
    path = _save(tmp_path, "big.jpg", Image.fromarray(bg), quality=90)
    logos = find_logos(open_source(path))
    assert [(f.platform, f.version) for f in logos] == [("youtube", "2017")]
    x, y, w, h = logos[0].box
    assert abs(x - box[0]) <= 8 and abs(w - box[2]) <= 10
    assert abs(logos[0].measurements["size_px"]["height"] - 300) <= 10
    assert logos[0].measurements["image_width_px"] == 4000


def test_analyse_puts_logo_facts_in_check(tmp_path):
    bg = synth.texture(7)
    synth.paste(bg, synth.render_logo("x", "twitter-bird", height=96, fill="1D9BF0"), (540, 540), card_margin=1.0)
    path = _save(tmp_path, "post.png", Image.fromarray(bg))
    facts = analyse(path, AnalyseOptions(logos=True, faces=False, provenance=False))
    assert facts.logos is not None and [(f.platform, f.version) for f in facts.logos] == [("x", "twitter-bird")]
    assert not [e for e in facts.errors if e.stage == "logos"]
    off = analyse(path, AnalyseOptions(logos=False, faces=False, provenance=False))
    assert off.logos is None


def test_cli_logos_check_json_and_exit_code(tmp_path):
    bg = synth.texture(7)
    synth.paste(bg, synth.render_logo("facebook", "pre2019-square", height=128, fill="3B5998", knockout="FFFFFF"),
                (540, 540), card_margin=1.0)
    bad = _save(tmp_path, "old.png", Image.fromarray(bg))
    clean = _save(tmp_path, "clean.png", Image.fromarray(synth.texture(9)))
    r = CliRunner().invoke(cli, ["logos", "check", bad, clean, "--format", "json", "--lang", "sv"])
    assert r.exit_code == 1, r.output
    doc = json.loads(r.output)
    assert doc["schema"] == "imagerights.logos/1"
    first, second = doc["files"]
    assert first["verdict"] == "stop" and first["logos"][0]["version"] == "pre2019-square"
    brd001 = [f for f in first["findings"] if f["code"] == "BRD001"]
    assert brd001 and "fyrkantiga" in brd001[0]["message"] and brd001[0]["citation"]["url"].startswith("https://")
    assert second["logos"] == [] and second["verdict"] == "ok"


def test_cli_logos_check_text(tmp_path):
    bg = synth.texture(7)
    synth.paste(bg, synth.render_logo("youtube", "2017", height=90, fill="FF0000", knockout="FFFFFF", angle=15),
                (540, 540), card_margin=1.0)
    path = _save(tmp_path, "yt.jpg", Image.fromarray(bg), quality=85)
    r = CliRunner().invoke(cli, ["logos", "check", path, "--lang", "en"])
    assert r.exit_code == 1
    assert "youtube" in r.output and "BRD003" in r.output and "rotated" in r.output


def test_cli_logos_check_unreadable(tmp_path):
    p = tmp_path / "broken.png"
    p.write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    r = CliRunner().invoke(cli, ["logos", "check", str(p)])
    assert r.exit_code == 2


def test_cli_logos_rules():
    r = CliRunner().invoke(cli, ["logos", "rules", "youtube", "--lang", "en"])
    assert r.exit_code == 0, r.output
    assert "20 dp" in r.output and "web.archive.org" in r.output and "last reviewed" in r.output
    r = CliRunner().invoke(cli, ["logos", "rules", "twitter", "--format", "json"])
    doc = json.loads(r.output)
    assert doc["brands"][0]["platform"] == "x"
    assert any(v["id"] == "twitter-bird" and v["status"] == "outdated" for v in doc["brands"][0]["versions"])
    r = CliRunner().invoke(cli, ["logos", "rules"])
    assert r.exit_code == 0 and "Mastodon" in r.output and "LinkedIn" in r.output
    r = CliRunner().invoke(cli, ["logos", "rules", "myspace"])
    assert r.exit_code == 2


@pytest.mark.corpus
def test_real_photos_without_logos(corpora):
    """A few real photographs (kodak, skimage): no platform logo is reported."""
    photos = sorted((corpora / "photos" / "kodak").glob("*.png"))[:8] + sorted((corpora / "photos" / "skimage").glob("*"))[:4]
    found = []
    for p in photos:
        found += [(p.name, f.platform, f.box) for f in find_logos(open_source(p))]
    assert found == []
