"""What one worker process does with one file: read it once, analyse it, hash it, preview it.

Runs in a child process (:mod:`.pool`): a decoder that hangs, crashes or eats memory takes only
its worker down, and the pool replaces it. The worker ignores Ctrl-C (the main process decides
what an interruption means) and caps its own address space (``memory_mb``) so one hostile file
gets a ``MemoryError`` — a finding — instead of the machine's memory.
"""

from __future__ import annotations

import io
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from imagerights.facts import Facts, FileError


@dataclass(frozen=True)
class WorkerConfig:
    fast: bool = False  # metadata + hashes only (AnalyseOptions.metadata_only)
    logos: bool = True
    faces: bool = True
    provenance: bool = True
    registry: bool = True
    registry_url: str | None = None
    thumbnails: bool = False
    cache_path: str | None = None  # read-only sha256 look-ups (incremental mode)
    cache_fp: str | None = None
    memory_mb: int | None = None


@dataclass
class FileOutcome:
    """What a worker sends back for one file."""

    facts: Facts
    phash: str | None = None
    thumb: tuple[str, bytes] | None = None
    seconds: float = 0.0
    reused: bool = False  # facts came from the cache (same content under another name/time)
    transient: bool = False  # a timeout or crash: not cached, tried again next run
    same_content: bool = False  # facts of a byte-identical file analysed in this audit (runner.group_identical)
    peak_rss_mb: float | None = None  # the worker's peak resident memory so far (evidence that memory is bounded)
    cpu_seconds: float = 0.0  # CPU time the worker spent on this file (all its threads)


def peak_rss_mb() -> float | None:
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # kB on Linux
    except (ImportError, OSError):
        return None


class WorkerState:
    """Per-process state, built once: analysis options (with the registry matcher) and the cache view."""

    def __init__(self, cfg: WorkerConfig):
        from imagerights.analyse import AnalyseOptions

        self.cfg = cfg
        self.side = decode_side(cfg)
        matcher = open_matcher(cfg.registry_url) if cfg.registry else None
        self.options = AnalyseOptions(matcher=matcher, logos=cfg.logos, faces=cfg.faces,
                                      provenance=cfg.provenance, metadata_only=cfg.fast,
                                      licence=False)  # the main process identifies it (runner)
        self.lookup = None
        if cfg.cache_path and cfg.cache_fp:
            from imagerights.audit.cache import Sha256Lookup

            self.lookup = Sha256Lookup(Path(cfg.cache_path), cfg.cache_fp)


def open_matcher(url: str | None):
    """The registry matcher, or None when there is no registry support or no registry."""
    try:
        from imagerights.registry import open_matcher as _open
    except ImportError:
        return None
    try:
        return _open(url)
    except Exception:  # noqa: BLE001 - the main process already told the user
        return None


def limit_memory(memory_mb: int | None) -> None:
    if not memory_mb:
        return
    try:
        import resource

        limit = int(memory_mb) * 1024 * 1024
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):  # not on this platform
        pass


def quiet_libraries(heavy: bool = True) -> None:
    """One thread per worker: the pool already uses every core. ``--fast`` (not ``heavy``) never
    runs OpenCV, and importing it just to set this would cost each of its workers ~0.1 s."""
    import sys

    from imagerights import imaging

    imaging.HEIF_DECODE_THREADS = 1  # libheif would start 4 decoding threads per HEIC
    if not heavy and "cv2" not in sys.modules:
        return
    try:
        import cv2

        cv2.setNumThreads(1)
    except Exception:  # noqa: BLE001
        pass


def audit_file(path: str, state: WorkerState) -> FileOutcome:
    """Analyse one file; never raises (every failure is a :class:`FileError` in the facts)."""
    from imagerights.analyse import analyse
    from imagerights.imaging import ImageError, open_source

    started = time.perf_counter()
    facts = Facts(path=path)
    try:
        src = open_source(path)
    except ImageError as exc:
        facts.errors.append(FileError(exc.stage, exc.reason))
        return FileOutcome(facts, seconds=time.perf_counter() - started)
    except MemoryError:
        facts.errors.append(FileError("open", "out of memory while reading the file"))
        return FileOutcome(facts, seconds=time.perf_counter() - started)
    except OSError as exc:
        facts.errors.append(FileError("open", f"{type(exc).__name__}: {exc.strerror or exc}"))
        return FileOutcome(facts, seconds=time.perf_counter() - started)

    if state.lookup is not None:
        hit = state.lookup(src.sha256)
        if hit is not None and (hit.thumb is not None or not state.cfg.thumbnails or hit.phash is None):
            hit.facts.path = path
            return FileOutcome(hit.facts, hit.phash, hit.thumb, time.perf_counter() - started, reused=True)

    if not state.cfg.fast:
        prefetch(src, state)
    facts = analyse(path, state.options, src=src)
    phash, thumb = derive(src, state.cfg)
    if phash is None and not state.cfg.fast:
        _note_decode_failure(src, facts)
    return FileOutcome(facts, phash, thumb, time.perf_counter() - started)


def _note_decode_failure(src, facts: Facts) -> None:
    """The audit decodes every image (for its hash) even when no other reader does (``--no-faces
    --no-logos``): a file that cannot be decoded — truncated, corrupt — is a fact worth a finding."""
    from imagerights.imaging import ImageError

    if src.pil is None or src.open_stage is not None or any(e.stage in ("decode", "open", "bomb") for e in facts.errors):
        return
    try:
        src.rgb(512)
    except ImageError as exc:
        facts.errors.append(FileError(exc.stage, exc.reason))
    except MemoryError:
        facts.errors.append(FileError("decode", "out of memory while decoding"))
    except Exception as exc:  # noqa: BLE001
        facts.errors.append(FileError("decode", f"{type(exc).__name__}: {exc}"))


def decode_side(cfg: WorkerConfig) -> int:
    """The largest size any reader of this audit decodes at: decoded once, scaled for the others."""
    sides = [512]  # registry hashing, near-duplicate hash, preview
    if cfg.logos:
        try:
            from imagerights.logos.detect import WORK_MAX_SIDE

            sides.append(int(WORK_MAX_SIDE))
        except (ImportError, AttributeError, TypeError, ValueError):
            pass
    if cfg.faces:
        try:
            from imagerights.people.faces import working_side

            sides.append(working_side())
        except (ImportError, AttributeError, TypeError, ValueError):
            pass
    return max(sides)


def prefetch(src, state: "WorkerState") -> None:
    """Decode once at the largest size needed (``SourceImage.rgb`` scales smaller requests from it).
    A failure is not reported here: the readers that need the pixels report it as their finding."""
    if src.pil is None or src.open_stage is not None:
        return
    try:
        src.rgb(state.side)
    except Exception:  # noqa: BLE001
        pass


def derive(src, cfg: WorkerConfig) -> tuple[str | None, tuple[str, bytes] | None]:
    """Perceptual hash and preview, from pixels already decoded by the readers where possible."""
    from imagerights.audit.similar import exif_preview, hash_pixels, perceptual_hash, preview_pixels
    from imagerights.audit.thumbnail import make_thumbnail

    if src.pil is None or src.open_stage is not None:
        return None, None
    if cfg.fast:  # no full decode: the camera's own preview, if it stored one
        preview = exif_preview(src)
        pixels = preview_pixels(preview) if preview else None
        if pixels is None and cfg.thumbnails:
            try:
                pixels = src.rgb(320)
            except Exception:  # noqa: BLE001
                pixels = None
        if pixels is None:
            return None, None
        try:
            phash = hash_pixels(pixels, fast=True)
        except Exception:  # noqa: BLE001
            phash = None
        return phash, make_thumbnail(pixels) if cfg.thumbnails else None
    phash = perceptual_hash(src)
    thumb = None
    if cfg.thumbnails:
        try:
            thumb = make_thumbnail(src.rgb(512))
        except Exception:  # noqa: BLE001
            thumb = None
    return phash, thumb


def _warm_up(state: WorkerState) -> None:
    """Load every reader's models on a tiny generated image, so the first real file's time limit
    measures that file and not the start-up."""
    try:
        import numpy as np
        from PIL import Image

        from imagerights.analyse import analyse
        from imagerights.imaging import SourceImage

        yy, xx = np.mgrid[0:96, 0:128]
        arr = np.stack([xx * 2, yy * 2, (xx + yy)], axis=-1).astype(np.uint8)
        buf = io.BytesIO()
        Image.fromarray(arr).save(buf, "PNG")
        src = SourceImage(path=Path("warm-up.png"), data=buf.getvalue())
        src.pil = Image.open(io.BytesIO(src.data))
        analyse("warm-up.png", state.options, src=src)
        derive(src, state.cfg)
    except Exception:  # noqa: BLE001
        pass


def silence_stderr() -> None:
    """Decoders (libtiff, libjpeg) print to file descriptor 2; on a terminal that tears the progress
    bar apart, and every failure already becomes a finding. ``IMAGERIGHTS_DEBUG=1`` keeps it."""
    import warnings

    warnings.simplefilter("ignore")
    to_devnull(2)


def to_devnull(*fds: int) -> None:
    """Point file descriptors ``fds`` at /dev/null, unless ``IMAGERIGHTS_DEBUG=1`` asks to see them."""
    if os.environ.get("IMAGERIGHTS_DEBUG"):
        return
    try:
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in fds:
            os.dup2(devnull, fd)
        os.close(devnull)
    except OSError:
        pass


def worker_main(conn, cfg: WorkerConfig) -> None:
    """The child process: ``("ready",)`` once set up, then one reply per ``(index, path)`` task."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    silence_stderr()
    try:
        quiet_libraries(heavy=not cfg.fast)
        state = WorkerState(cfg)
        _warm_up(state)
        limit_memory(cfg.memory_mb)
    except BaseException as exc:  # noqa: BLE001
        conn.send(("init-error", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready",))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, path = task
        try:
            cpu = time.process_time()
            outcome: Any = audit_file(path, state)
            outcome.cpu_seconds = time.process_time() - cpu
            outcome.peak_rss_mb = peak_rss_mb()
            conn.send(("ok", index, outcome))
        except MemoryError:
            facts = Facts(path=path, errors=[FileError("decode", "out of memory (worker memory limit)")])
            conn.send(("ok", index, FileOutcome(facts)))
        except BaseException as exc:  # noqa: BLE001 - report, keep serving
            facts = Facts(path=path, errors=[FileError("decode", f"{type(exc).__name__}: {exc}")])
            try:
                conn.send(("ok", index, FileOutcome(facts)))
            except Exception:  # noqa: BLE001 - e.g. an unpicklable exception text: give up this worker
                return
