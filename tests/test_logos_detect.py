"""Detector behaviours found on bench/logos.py, as small deterministic scenes (made in code):
the version of a recoloured or black mark comes from its shape, the ink colour of a mark
that holds a second colour, a thin black mark on a two-tone background, a black mark over a
near-black shadow, a red mark on a red-orange area."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from imagerights.imaging import SourceImage
from imagerights.logos import find_logos, synth
from imagerights.logos.match import _main_colour, local_background


def _source(rgb: np.ndarray, fmt: str = "JPEG") -> SourceImage:
    data = synth.encode(rgb, fmt, quality=85)
    return SourceImage(path=Path(f"scene.{fmt.lower()}"), data=data, pil=Image.open(io.BytesIO(data)))


def _scene(platform: str, version: str, *, height: float, fill: str, knockout: str | None = None,
           bg: tuple[int, int, int] = (200, 200, 200), angle: float = 0.0, stretch_x: float = 1.0) -> np.ndarray:
    canvas = np.empty((400, 400, 3), np.uint8)
    canvas[:] = bg
    logo = synth.render_logo(platform, version, height=height, fill=fill, knockout=knockout, angle=angle,
                             stretch_x=stretch_x)
    synth.paste(canvas, logo, (200, 200))
    return canvas


@pytest.mark.parametrize("platform,version,height,fill,knockout", [
    ("facebook", "2019", 48, "F57C00", "FFFFFF"),      # recoloured orange: no version's blue
    ("facebook", "2023", 48, "F57C00", "FFFFFF"),
    ("youtube", "pre2017", 48, "2E7D32", "FFFFFF"),    # recoloured green
    ("youtube", "2017", 48, "2E7D32", "FFFFFF"),
    ("threads", "2023", 24, "000000", None),           # black: colour says nothing
    ("threads", "2026", 24, "000000", None),
])
def test_version_of_a_recoloured_or_black_mark_comes_from_its_shape(platform, version, height, fill, knockout):
    logos = find_logos(_source(_scene(platform, version, height=height, fill=fill, knockout=knockout)))
    assert [(f.platform, f.version) for f in logos] == [(platform, version)]


def test_facebook_on_red_is_found_in_its_own_blue():
    """A Facebook disc on red: the candidate holds the blue disc and the white "f"; the ink
    is the blue, not a mean of blue and white."""
    rgb = _scene("facebook", "2019", height=48, fill="1877F2", knockout="FFFFFF", bg=(150, 20, 40), stretch_x=1.25)
    logos = find_logos(_source(rgb))
    assert [(f.platform, f.version) for f in logos] == [("facebook", "2019")]


def test_main_colour_keeps_a_thin_glyph_whole():
    """Edge pixels of a thin glyph (mixes of ink and surroundings) are not a second colour."""
    out = np.array([255, 255, 255], np.float32)
    ink = np.array([255, 0, 105], np.float32)
    t = np.linspace(0.2, 1.0, 40, dtype=np.float32)[:, None]
    mixes = out * (1 - t) + ink * t
    assert len(_main_colour(mixes, out)) == len(mixes)
    # a blue disc with a white "f" on red: the white goes
    blue = np.tile(np.array([24, 119, 242], np.float32), (60, 1))
    white = np.tile(np.array([250, 250, 250], np.float32), (20, 1))
    kept = _main_colour(np.concatenate([blue, white]), np.array([150, 20, 40], np.float32))
    assert len(kept) == 60 and np.allclose(kept.mean(axis=0), blue[0])


def test_local_background_follows_a_two_tone_background():
    crop = np.zeros((30, 30, 3), np.uint8)
    crop[:, :15] = (40, 60, 30)  # dark grass
    crop[:, 15:] = (230, 230, 230)  # white
    own = np.zeros((30, 30), np.uint8)
    own[12:18, 5:25] = 1  # a black bar across both
    bg = local_background(crop, own)
    assert np.abs(bg[15, 3, :3] - (40, 60, 30)).max() < 30
    assert np.abs(bg[15, 27, :3] - (230, 230, 230)).max() < 30


@pytest.mark.parametrize("height", [32, 64])
def test_black_x_on_a_two_tone_background(height):
    """The X's hollow stroke shows the background: half grass, half white. With the ring's
    mean as the only background colour the grass counted as half ink (32 px: score 0.53)."""
    canvas = np.empty((400, 400, 3), np.uint8)
    canvas[:, :200] = (120, 140, 100)
    canvas[:, 200:] = (225, 220, 215)
    logo = synth.render_logo("x", "2023", height=height, fill="000000")
    synth.paste(canvas, logo, (200, 200))
    logos = find_logos(_source(canvas))
    assert [(f.platform, f.version) for f in logos] == [("x", "2023")]


@pytest.mark.parametrize("platform,version", [("threads", "2026"), ("tiktok", "current")])
def test_black_mark_over_a_near_black_shadow(platform, version):
    """A black mark on a dark grey area (48) crossed by a darker shadow (14): every grey cut
    from 16 up joins the mark and the shadow into one region; the cut at 8 separates them."""
    canvas = np.full((400, 400, 3), 48, np.uint8)
    canvas[:, 190:204] = 14
    logo = synth.render_logo(platform, version, height=48, fill="000000")
    synth.paste(canvas, logo, (200, 200))
    logos = find_logos(_source(canvas))
    assert [(f.platform, f.version) for f in logos] == [(platform, version)]


@pytest.mark.parametrize("area", [(200, 40, 10), (190, 45, 30)])
def test_red_youtube_on_a_red_orange_area(area):
    """A YouTube mark (FF0000) on a red-orange area of the same brightness that touches it:
    every grey cut and every lower red-green cut merges the two; the cut for the purest reds
    separates them."""
    canvas = np.full((400, 400, 3), (235, 225, 210), np.uint8)
    canvas[150:250, 60:200] = area
    logo = synth.render_logo("youtube", "2017", height=48, fill="FF0000", knockout="FFFFFF")
    synth.paste(canvas, logo, (200, 200))
    logos = find_logos(_source(canvas))
    assert [(f.platform, f.version) for f in logos] == [("youtube", "2017")]


def test_black_is_a_known_colour_only_for_marks_that_are_black():
    """X 2023, Threads and TikTok are black by their brand rules; the Twitter bird is not."""
    from imagerights.logos.bank import default_bank
    from imagerights.logos.detect import _black_fill

    bank = default_bank()
    black = {t.key for t, b in zip(bank.templates, _black_fill(bank)) if b}
    assert {"x/2023", "threads/2023", "threads/2026", "tiktok/current"} <= black
    assert not black & {"x/twitter-bird", "facebook/2023", "youtube/2017", "bluesky/2023"}


@pytest.mark.parametrize("seed,version", [(1, "2026"), (2, "2023"), (3, "2023")])
def test_thin_black_glyph_on_a_textured_background(seed, version):
    """An 18 px black Threads glyph on a textured beige area: its outline is cut at one grey
    level only, and the mean of the pixels inside it is a dark grey (anti-aliased edges), so
    the colour gate dropped it. (Textures on which it was missed before the thin-black test.)"""
    import cv2

    rng = np.random.default_rng(seed)
    base = cv2.GaussianBlur(rng.normal(0, 1, (400, 400, 3)).astype(np.float32), (0, 0), 6)
    canvas = np.clip(base / base.std() * 30 + np.array([150, 148, 120], np.float32), 0, 255).astype(np.uint8)
    logo = synth.render_logo("threads", version, height=18, fill="000000")
    synth.paste(canvas, logo, (200, 200))
    logos = find_logos(_source(canvas))
    assert [(f.platform, f.version) for f in logos] == [("threads", version)]


@pytest.mark.parametrize("height,bg,angle,stretch", [(20, (72, 65, 49), 45, 0.8), (18, (89, 82, 71), -30, 1.25)])
def test_small_instagram_glyph_is_compared_with_its_blurriest_rendering(height, bg, angle, stretch):
    """An 18-20 px Instagram glyph in its pink on an olive area, turned and stretched: after
    JPEG its strokes are softer than the template of its own size (0.79-0.82); against the
    smallest rendering, which is as soft, it scores above 0.85. Missed before that."""
    rng = np.random.default_rng(1)
    canvas = np.clip(np.array(bg, np.float32) + rng.normal(0, 6, (240, 240, 3)), 0, 255).astype(np.uint8)
    logo = synth.render_logo("instagram", "2016", height=height, fill="FF0069", angle=angle, stretch_x=stretch)
    synth.paste(canvas, logo, (120, 120))
    logos = find_logos(_source(canvas))
    assert [(f.platform, f.version) for f in logos] == [("instagram", "2016")]


@pytest.mark.parametrize("height,angle,stretch", [(24, 0, 1.0), (48, 30, 1.25)])
def test_blue_mark_on_a_teal_area_is_cut_on_the_blue_side(height, angle, stretch):
    """A Bluesky mark recoloured 1E88E5 on a teal area of nearly its brightness and red-green
    value: only a blue-yellow cut beyond the usual ones (at 182) separates the two."""
    rng = np.random.default_rng(2)
    canvas = np.clip(np.array((20, 126, 150), np.float32) + rng.normal(0, 2, (240, 240, 3)), 0, 255).astype(np.uint8)
    logo = synth.render_logo("bluesky", "2023", height=height, fill="1E88E5", angle=angle, stretch_x=stretch)
    synth.paste(canvas, logo, (120, 120))
    logos = find_logos(_source(canvas))
    assert [(f.platform, f.version) for f in logos] == [("bluesky", "2023")]


def test_alternative_cut_is_the_widest_from_another_map():
    """A small group's second chance (candidates._alternative): the widest cut from another
    map whose box is at most 1.3× the middle cut's; not one from the same map, not a leak."""
    from imagerights.logos.candidates import Candidate, _alternative

    def square(x, y, w, h):
        return np.array([[[x, y]], [[x + w - 1, y]], [[x + w - 1, y + h - 1]], [[x, y + h - 1]]], np.int32)

    middle = Candidate(square(10, 10, 20, 20), (10, 10, 20, 20), 4, "rg", 110, 1)
    group = [(square(10, 10, 20, 20), "rg", 110, 1),
             (square(9, 9, 22, 22), "rg", 92, 1),  # wider, but the same map
             (square(9, 9, 22, 21), "grey", 96, 0),  # wider, another map: this one
             (square(0, 0, 40, 40), "by", 146, 1)]  # a leak (4× the area)
    alt = _alternative(group, middle)
    assert alt is not None and (alt.channel, alt.level, alt.box) == ("grey", 96, (9, 9, 22, 21))
    assert _alternative(group[:2], middle) is None


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_16px_black_x_whose_strokes_the_median_removes(seed, monkeypatch):
    """A 16 px black X on a beige texture is drawn in one-pixel strokes, which the 3×3 median
    of the candidate maps removes: no outline held it (3 misses on bench/logos.py). The thin
    dark second look (candidates.thin_dark) cuts it from the unfiltered grey; without that
    look it is not found."""
    import cv2

    from imagerights.logos import candidates

    rng = np.random.default_rng(seed)
    base = cv2.GaussianBlur(rng.normal(0, 1, (200, 200, 3)).astype(np.float32), (0, 0), 5)
    canvas = np.clip(base / base.std() * 12 + np.array([200, 180, 140], np.float32), 0, 255).astype(np.uint8)
    synth.paste(canvas, synth.render_logo("x", "2023", height=16, fill="000000"), (100, 100))
    src = _source(canvas)
    assert [(f.platform, f.version) for f in find_logos(src)] == [("x", "2023")]
    monkeypatch.setattr(candidates, "thin_dark", lambda raw, grey: [])
    assert find_logos(_source(canvas)) == []


def test_x_needs_less_than_the_other_distinct_marks():
    """X's mark is the furthest from any blob (photo outlines score at most 0.73 against it),
    so a 16 px recoloured X needs 0.86, not the 0.89 of other distinct marks (Threads, TikTok,
    Instagram's glyph), and a black one 0.82."""
    from imagerights.logos import detect
    from imagerights.logos.bank import default_bank

    bank = default_bank()
    extra = {t.key: detect._extra(t) for t in bank.templates}
    assert extra["x/2023"] == -detect.VERY_DISTINCT_RELIEF
    assert extra["threads/2023"] == extra["tiktok/current"] == extra["instagram/2016"] == -detect.DISTINCT_RELIEF
    assert extra["x/twitter-bird"] == detect.BLOBBY_EXTRA
    small_recoloured = detect.OTHER_THRESHOLD + detect.SMALL_EXTRA + extra["x/2023"]
    assert small_recoloured == pytest.approx(0.86)


def _flat_case(colour, *, noise: float = 0.0, channel: str = "rg", side: int = 20, bg=(128, 128, 128)):
    import cv2

    from imagerights.logos.candidates import Candidate

    px = np.empty((30, 30, 3), np.float32)
    px[:] = bg
    own = np.zeros((30, 30), np.uint8)
    cv2.circle(own, (15, 15), 8, 1, -1)
    px[own > 0] = colour
    px += np.random.default_rng(0).normal(0, noise, px.shape).astype(np.float32)
    px = np.clip(px, 0, 255).astype(np.uint8)
    cand = Candidate(None, (5, 5, side, side), 1, channel, 110, 1)
    return px, own, cand, cv2.mean(px, own)[:3]


def test_flat_saturated_single_level_outline_is_examined():
    """A single-level outline in a colour no platform uses (a mark recoloured green) is
    examined when it is cut by colour, saturated, flat and stands out from its crop; photo
    texture (spread colours), greys, grey-map cuts and large areas are not."""
    from imagerights.logos.match import _flat_saturated

    green = (46, 125, 50)
    assert _flat_saturated(*_flat_case(green))
    assert not _flat_saturated(*_flat_case(green, channel="grey"))  # cut by brightness
    assert not _flat_saturated(*_flat_case(green, noise=30))  # textured, not flat
    assert not _flat_saturated(*_flat_case((110, 120, 115)))  # not saturated
    assert not _flat_saturated(*_flat_case(green, side=80))  # a wall or a garment
    assert not _flat_saturated(*_flat_case(green, bg=(70, 140, 60)))  # close to its surroundings
