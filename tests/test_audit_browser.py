"""The HTML report in a real browser (headless Chromium): it renders the summary and the cards,
its script runs (filters, counts), and the screenshot is a page, not a blank."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from test_audit_tree import EXPECTED_ROWS, audit, build_tree


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("headless Chromium not installed (Debian: apt-get install -y chromium)")


def run_chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "chromium-profile"
    profile.mkdir(exist_ok=True)
    cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
           f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, timeout=180, text=True)


@pytest.fixture(scope="module")
def html_report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    root = build_tree(tmp / "media", None)
    os.chmod(root / "broken" / "locked.jpg", 0o644)  # readable here: this test is about the page
    out = tmp / "rapport.html"
    code, output = audit([str(root), "--format", "html", "-o", str(out), "--lang", "sv", "--no-registry", "-q"])
    assert code == 1, output
    return tmp, out


def test_the_report_renders_and_its_script_runs(html_report):
    tmp, page = html_report
    done = run_chromium(tmp, "--virtual-time-budget=5000", "--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert 'data-ready="1"' in dom, "the report's script did not run"
    assert dom.count('<article class="card') == len(EXPECTED_ROWS)
    assert f"visar {len(EXPECTED_ROWS)} av {len(EXPECTED_ROWS)}" in dom
    assert "Bildrättsrevision" in dom and 'class="tiles"' in dom and 'class="stack"' in dom


def test_filters_from_the_address_hide_rows_and_cards(html_report):
    tmp, page = html_report
    done = run_chromium(tmp, "--virtual-time-budget=5000", "--dump-dom", page.as_uri() + "#code=FIL002")
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert "visar 1 av" in dom
    shown_cards = re.findall(r'<article class="card (?:ok|review|stop)" id="card-\d+"', dom)
    assert len(shown_cards) == 1


def test_screenshot_shows_a_page_not_a_blank(html_report):
    tmp, page = html_report
    shot = tmp / "rapport.png"
    done = run_chromium(tmp, f"--screenshot={shot}", "--window-size=1280,1600", "--virtual-time-budget=5000",
                        page.as_uri())
    assert done.returncode == 0 and shot.is_file(), done.stderr[-2000:]
    arr = np.asarray(Image.open(shot).convert("RGB")).astype(np.int16)
    assert arr.shape[:2] == (1600, 1280)
    assert arr.std() > 20, "the screenshot is (nearly) one colour"
    assert len(np.unique(arr.reshape(-1, 3), axis=0)) > 500  # text, charts and previews, not a flat page
    header = arr[5:40, 5:400].reshape(-1, 3).mean(axis=0)
    assert header[2] > header[0] and header.sum() < 250, header  # the dark-blue title bar is at the top
    keep = os.environ.get("IMAGERIGHTS_KEEP_SCREENSHOT")
    if keep:
        shutil.copy(shot, keep)
