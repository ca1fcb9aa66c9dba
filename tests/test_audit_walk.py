"""The folder walk: content sniffing, hidden/system files, --exclude, stable order, links, FIFOs, errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from imagerights.sources import walk as walk_mod
from imagerights.sources.sniff import named_like_image, sniff_bytes
from imagerights.sources.walk import excluded, walk
from test_audit_tree import jpeg_bytes, photo, png_bytes


def test_sniff_recognises_formats_by_content():
    assert sniff_bytes(jpeg_bytes(photo(1))[:64]) == "jpeg"
    assert sniff_bytes(png_bytes(photo(1))[:64]) == "png"
    assert sniff_bytes(b"GIF89a" + b"\0" * 20) == "gif"
    assert sniff_bytes(b"II*\x00\x08\x00\x00\x00") == "tiff"
    assert sniff_bytes(b"RIFF\x10\x00\x00\x00WEBPVP8 ") == "webp"
    assert sniff_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic") == "heif"
    assert sniff_bytes(b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1") == "avif"
    assert sniff_bytes(b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2mp41") is None  # a video
    assert sniff_bytes(b"RIFF\x10\x00\x00\x00AVI LIST") is None
    assert sniff_bytes(b"%PDF-1.7\n") is None
    assert sniff_bytes(b"<?xpacket begin") is None
    assert sniff_bytes(b"") is None
    assert named_like_image("IMG_0001.JPG") and named_like_image("a.heic")
    assert not named_like_image("notes.txt") and not named_like_image("jpg")


def test_content_not_extension_decides(tmp_path):
    (tmp_path / "photo.dat").write_bytes(png_bytes(photo(1)))  # an image with a strange name
    (tmp_path / "fake.jpg").write_text("not an image")  # claims to be an image: audited, will fail
    (tmp_path / "notes.txt").write_text("text")  # neither: skipped, listed
    w = walk(tmp_path)
    kinds = {f.rel: f.kind for f in w.files}
    assert kinds == {"fake.jpg": None, "photo.dat": "png"}
    assert [(s.rel, s.reason) for s in w.skipped] == [("notes.txt", "not-an-image")]
    w_all = walk(tmp_path, all_files=True)
    assert [f.rel for f in w_all.files] == ["fake.jpg", "notes.txt", "photo.dat"]


def test_hidden_and_system_files_are_skipped_and_counted(tmp_path):
    for name in (".DS_Store", "Thumbs.db", "desktop.ini", "._photo.jpg", "ok.jpg"):
        (tmp_path / name).write_bytes(jpeg_bytes(photo(1)))
    for d in (".git", "@eaDir", "__MACOSX"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "x.jpg").write_bytes(jpeg_bytes(photo(2)))
    w = walk(tmp_path)
    assert [f.rel for f in w.files] == ["ok.jpg"]
    assert w.hidden == 7


def test_exclude_globs(tmp_path):
    for rel in ("keep/a.jpg", "old/2019/b.jpg", "old/2020/c.jpg", "x/tmp.jpg", "x/y.tmp.jpg"):
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(jpeg_bytes(photo(3)))
    w = walk(tmp_path, exclude=["old/2019", "*.tmp.jpg", "tmp.jpg"])
    assert [f.rel for f in w.files] == ["keep/a.jpg", "old/2020/c.jpg"]
    assert w.excluded == 3
    assert excluded("a/b/c.jpg", "c.jpg", ["a/*"]) and not excluded("a.jpg", "a.jpg", ["b/*"])


def test_order_is_stable_and_depth_first(tmp_path):
    names = ["b/2.jpg", "a/z.jpg", "a/b/1.jpg", "A.jpg", "c.jpg", "a/a.jpg", "é.jpg"]
    for rel in names:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 16)
    first = [f.rel for f in walk(tmp_path).files]
    assert first == ["A.jpg", "a/a.jpg", "a/b/1.jpg", "a/z.jpg", "b/2.jpg", "c.jpg", "é.jpg"]
    assert [f.rel for f in walk(tmp_path).files] == first


def test_symlink_loops_broken_links_and_linked_folders(tmp_path):
    (tmp_path / "real" / "sub").mkdir(parents=True)
    (tmp_path / "real" / "sub" / "p.jpg").write_bytes(jpeg_bytes(photo(4)))
    os.symlink(tmp_path / "real", tmp_path / "real" / "sub" / "loop")  # points at an ancestor
    os.symlink(tmp_path / "real", tmp_path / "alias")  # the same folder a second time
    os.symlink(tmp_path / "nowhere", tmp_path / "dangling.jpg")
    os.symlink("self.jpg", tmp_path / "self.jpg")  # a link to itself (ELOOP)
    w = walk(tmp_path)
    assert [f.rel for f in w.files] == ["alias/sub/p.jpg"]  # 'alias' sorts before 'real'
    reasons = {s.rel: s.reason for s in w.skipped}
    assert reasons == {"alias/sub/loop": "symlink-loop", "dangling.jpg": "broken-link", "real": "already-walked",
                       "self.jpg": "symlink-loop"}


def test_fifo_named_like_an_image_is_a_row_never_opened(tmp_path):
    os.mkfifo(tmp_path / "pipe.jpg")
    os.mkfifo(tmp_path / "pipe")
    w = walk(tmp_path)  # must not hang
    assert [(f.rel, f.problem) for f in w.files] == [("pipe.jpg", "a FIFO (named pipe), not a regular file: not read")]
    assert [(s.rel, s.reason) for s in w.skipped] == [("pipe", "special-file")]


def test_unreadable_file_and_folder(tmp_path, monkeypatch):
    (tmp_path / "locked.jpg").write_bytes(jpeg_bytes(photo(5)))
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "x.jpg").write_bytes(jpeg_bytes(photo(6)))
    os.chmod(tmp_path / "locked.jpg", 0)
    os.chmod(tmp_path / "secret", 0)
    try:
        if os.access(tmp_path / "locked.jpg", os.R_OK):  # running as root: chmod does not stop reads
            real_head, real_scandir = walk_mod.read_head, os.scandir

            def read_head(path):
                if Path(path).name == "locked.jpg":
                    raise PermissionError(13, "Permission denied")
                return real_head(path)

            def scandir(path="."):
                if Path(path).name == "secret":
                    raise PermissionError(13, "Permission denied")
                return real_scandir(path)

            monkeypatch.setattr(walk_mod, "read_head", read_head)
            monkeypatch.setattr(walk_mod.os, "scandir", scandir)
        w = walk(tmp_path)
    finally:
        os.chmod(tmp_path / "locked.jpg", 0o644)
        os.chmod(tmp_path / "secret", 0o755)
    assert [(f.rel, f.problem) for f in w.files] == [("locked.jpg", "cannot be read: Permission denied")]
    assert [(s.rel, s.reason, s.detail) for s in w.skipped] == [("secret", "unreadable-folder", "Permission denied")]


def test_named_files_and_relative_paths(tmp_path, monkeypatch):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.jpg").write_bytes(jpeg_bytes(photo(1)))
    (tmp_path / "README").write_text("hello")
    monkeypatch.chdir(tmp_path)
    w = walk(["d/a.jpg", "README"])
    assert w.base == tmp_path
    assert [f.rel for f in w.files] == ["d/a.jpg", "README"]  # named explicitly: always a row
    assert walk(tmp_path / "d").base == tmp_path / "d"


def test_walk_reads_only_the_head(tmp_path, monkeypatch):
    big = tmp_path / "big.jpg"
    big.write_bytes(jpeg_bytes(photo(1)) + b"\0" * 1_000_000)
    reads = []
    real_read = os.read
    monkeypatch.setattr(walk_mod.os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    walk(tmp_path)
    assert reads == [64]
