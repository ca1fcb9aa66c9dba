"""Benchmark: imagerights' metadata readers against ExifTool over the same files.

    .venv/bin/python bench/metadata.py [--photos] [--repeat 3] [--corpora DIR]

Files: every file ExifTool can be asked about under corpora/metadata (minus its reference
JSON/TSV and _reference/) and corpora/synthetic (+ corpora/photos with --photos).

* ours      — ``read_metadata(open_source(path))`` for every file in this process (file read,
              Pillow header open, EXIF/IPTC/XMP reading, MWG reconciliation); best of N runs.
* ours (read_metadata only) — the same without open_source (bytes already in memory).
* exiftool  — one ``exiftool -j -G1 -a -@ list`` process over the same list (all tags, as
              the oracle output is made), wall time including its start-up; best of N runs.
              Also ``-fast2`` with only the rights tags we read, for a fairer comparison.

Needs exiftool on PATH (``apt-get install libimage-exiftool-perl``). Prints a table; not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from imagerights.imaging import open_source  # noqa: E402
from imagerights.metadata import read_metadata  # noqa: E402

RIGHTS_TAGS = [
    "-EXIF:Artist", "-EXIF:Copyright", "-EXIF:ImageDescription", "-EXIF:Software", "-EXIF:XPAuthor",
    "-EXIF:UserComment", "-EXIF:DateTimeOriginal", "-EXIF:OwnerName", "-EXIF:SerialNumber", "-GPS:all",
    "-IPTC:By-line", "-IPTC:CopyrightNotice", "-IPTC:Credit", "-IPTC:Source", "-IPTC:Caption-Abstract",
    "-IPTC:ObjectName", "-IPTC:CodedCharacterSet", "-CurrentIPTCDigest", "-IPTCDigest",
    "-XMP-dc:all", "-XMP-xmpRights:all", "-XMP-photoshop:Credit", "-XMP-photoshop:Source", "-XMP-cc:all",
    "-XMP-plus:all", "-XMP-iptcExt:all", "-XMP-iptcCore:all", "-XMP-xmp:CreatorTool", "-XMP-xmpMM:History",
    "-PNG:all",
]


def corpus_files(corpora: Path, photos: bool) -> list[Path]:
    roots = [corpora / "metadata", corpora / "synthetic"] + ([corpora / "photos"] if photos else [])
    skip_suffix = {".json", ".tsv", ".md", ".txt"}
    files = []
    for root in roots:
        for p in sorted(root.rglob("*")):
            if p.is_file() and p.suffix.lower() not in skip_suffix and "_reference" not in p.parts:
                files.append(p)
    return files


Timing = tuple[float, float]  # (wall seconds, CPU seconds): CPU time is the steadier one on a shared box


def time_ours(files: list[Path], repeat: int) -> tuple[Timing, Timing]:
    for p in files[:5]:  # warm imports and caches once
        read_metadata(open_source(p))
    best_full = best_read = (float("inf"), float("inf"))
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        srcs = []
        for p in files:
            src = open_source(p)
            read_metadata(src)
            srcs.append(src)
        best_full = min(best_full, (time.perf_counter() - t0, time.process_time() - c0))
        t0, c0 = time.perf_counter(), time.process_time()
        for src in srcs:
            read_metadata(src)
        best_read = min(best_read, (time.perf_counter() - t0, time.process_time() - c0))
    return best_full, best_read


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def time_exiftool(files: list[Path], repeat: int, extra: list[str]) -> tuple[Timing, int]:
    with tempfile.NamedTemporaryFile("w", suffix=".args", delete=False, encoding="utf-8") as fh:
        fh.write("\n".join(str(p) for p in files))
        argfile = fh.name
    try:
        best, count = (float("inf"), float("inf")), 0
        for _ in range(repeat):
            t0, c0 = time.perf_counter(), _children_cpu()
            out = subprocess.run(["exiftool", "-j", "-G1", "-a", *extra, "-@", argfile],
                                 capture_output=True, check=False).stdout
            best = min(best, (time.perf_counter() - t0, _children_cpu() - c0))
            count = len(json.loads(out or b"[]"))
        return best, count
    finally:
        os.unlink(argfile)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpora", type=Path, default=Path(os.environ.get("IMAGERIGHTS_CORPORA", ROOT.parent / "shared" / "corpora")))
    ap.add_argument("--photos", action="store_true", help="include corpora/photos (larger files)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    files = corpus_files(args.corpora, args.photos)
    n = len(files)
    size = sum(p.stat().st_size for p in files)
    full, read_only = time_ours(files, args.repeat)
    rows = [("imagerights open_source + read_metadata", n, full),
            ("imagerights read_metadata only", n, read_only)]
    if shutil.which("exiftool"):
        version = subprocess.run(["exiftool", "-ver"], capture_output=True, text=True).stdout.strip()
        et_all, et_n = time_exiftool(files, args.repeat, [])
        et_fast, _ = time_exiftool(files, args.repeat, ["-fast2", *RIGHTS_TAGS])
        rows += [(f"exiftool {version} -j -G1 -a (all tags)", et_n, et_all),
                 (f"exiftool {version} -fast2, rights tags only", et_n, et_fast)]
    else:
        print("exiftool not on PATH: only our figures are shown", file=sys.stderr)
        et_all = et_fast = None

    print(f"\n{n} files, {size / 1e6:.1f} MB ({', '.join(r.name for r in (args.corpora / 'metadata', args.corpora / 'synthetic'))}"
          f"{', photos' if args.photos else ''}); best of {args.repeat}\n")
    print(f"{'reader':46} {'files':>5} {'wall s':>7} {'ms/file':>8} {'CPU s':>7} {'CPU ms/file':>11}")
    for name, count, (wall, cpu) in rows:
        k = 1000 / max(count, 1)
        print(f"{name:46} {count:>5} {wall:>7.3f} {wall * k:>8.2f} {cpu:>7.3f} {cpu * k:>11.2f}")
    if et_all is not None:
        for label, et in (("all tags", et_all), ("-fast2 rights tags", et_fast)):
            print(f"exiftool ({label}) / ours (open+read) per file: wall {et[0] / et_n / (full[0] / n):5.1f}x, "
                  f"CPU {et[1] / et_n / (full[1] / n):5.1f}x")


if __name__ == "__main__":
    main()
