"""Every file of corpora/malformed: read_metadata returns, within 10 s, and the file is untouched.

Each file is read in a worker process that the test can kill: a hang fails the test for
that file instead of blocking the suite (the limit is a hang guard, not a speed test —
speed is measured by bench/metadata.py).
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
from pathlib import Path

import pytest
from conftest import corpora_dir

TIMEOUT_S = 10.0


def _files() -> list[Path]:
    root = corpora_dir()
    if root is None or not (root / "malformed").is_dir():
        return []
    return sorted(p for p in (root / "malformed").rglob("*")
                  if p.is_file() and p.name not in ("exiftool.json", "MANIFEST.json"))


def _worker(conn) -> None:
    """Read files sent over ``conn``; answer with a summary or the exception that escaped."""
    from imagerights.imaging import ImageError, open_source
    from imagerights.metadata import read_metadata

    while True:
        path = conn.recv()
        if path is None:
            return
        try:
            try:
                src = open_source(path)
            except ImageError as exc:  # only for files over the size limit
                conn.send(("skipped", exc.reason))
                continue
            md = read_metadata(src)
            conn.send(("ok", {"containers": md.containers,
                              "errors": [(e.container, e.reason) for e in md.container_errors]}))
        except BaseException as exc:  # noqa: BLE001 - report, never die silently
            conn.send(("raised", f"{type(exc).__name__}: {exc}"))


class Worker:
    def __init__(self):
        self.ctx = mp.get_context("fork")
        self._start()

    def _start(self):
        self.conn, child = self.ctx.Pipe()
        self.proc = self.ctx.Process(target=_worker, args=(child,), daemon=True)
        self.proc.start()

    def read(self, path: Path, timeout: float):
        self.conn.send(str(path))
        if not self.conn.poll(timeout):
            self.proc.kill()
            self.proc.join()
            self._start()
            return ("timeout", f"no result after {timeout} s")
        return self.conn.recv()

    def close(self):
        try:
            self.conn.send(None)
        finally:
            self.proc.join(5)
            if self.proc.is_alive():
                self.proc.kill()


@pytest.fixture(scope="module")
def worker():
    w = Worker()
    yield w
    w.close()


FILES = _files()


@pytest.mark.corpus
@pytest.mark.parametrize("path", FILES or [None], ids=[str(p.relative_to(p.parents[1])) for p in FILES] or ["no-corpus"])
def test_malformed_file_is_read_safely(path, worker):
    if path is None:
        pytest.skip("corpora/malformed not found")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    status, detail = worker.read(path, TIMEOUT_S)
    after = hashlib.sha256(path.read_bytes()).hexdigest()
    assert status in ("ok", "skipped"), f"{path.name}: {status}: {detail}"
    assert before == after, f"{path.name} was modified"


def test_hang_guard_works(tmp_path, worker):
    """The guard itself: reading a FIFO nobody writes to blocks forever and must come back as a timeout."""
    import os

    fifo = tmp_path / "hang.jpg"
    os.mkfifo(fifo)
    status, _ = worker.read(fifo, 1.0)
    assert status == "timeout"
    ok_file = tmp_path / "ok.jpg"
    ok_file.write_bytes(b"\xff\xd8\xff\xd9")
    assert worker.read(ok_file, TIMEOUT_S)[0] == "ok"  # the restarted worker carries on
