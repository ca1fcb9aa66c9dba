"""Audit throughput next to its peers, on the same files in the same run.

    .venv/bin/python bench/audit.py [--copies 4] [--jobs 2] [--imagededup-python /path/to/python]

Copies the photographs of ``shared/corpora/photos`` ``--copies`` times into a temporary folder
(flat, so every tool sees the same files), reads them once into the page cache, then times:

* ``imagerights audit`` (full: metadata, licence, provenance, faces, logos, registry, pHash, rules;
  run with ``--incremental`` on an empty cache), then the same again (nothing changed: from the cache)
* ``imagerights audit --fast`` (metadata + SHA-256 + pHash of the embedded preview, rules)
* ``exiftool -j -r`` (metadata only; the reference reader)
* imagededup ``PHash().find_duplicates`` (hashing only), in a separate interpreter when given
  (imagededup requires torch for its CNN method; only its hashing path is timed here)

Wall time includes each tool's start-up; "in-process" is the tool's own timing where it reports
one. ``--fast`` and ExifTool run ``--repeat`` times (default 3), alternately, and the median run of
each is reported (a second-long run is at the mercy of whatever else the machine does).
Targets (issue #4, 2 cores): full audit ≥ 20 images/s; fast mode ≥ 10× ExifTool's files/s.
Results are printed as a Markdown table and written to bench/out/audit.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from imagerights.sources.sniff import named_like_image, sniff_bytes  # noqa: E402

IMAGEDEDUP_SCRIPT = r"""
import importlib, importlib.util, json, sys, time, types
def phash_class():
    try:
        from imagededup.methods import PHash
        return PHash, "imagededup.methods (full install)"
    except ImportError as exc:  # torch/torchvision missing: import the hashing module without the CNN package init
        spec = importlib.util.find_spec("imagededup")
        if spec is None:
            raise
        base = spec.submodule_search_locations[0]
        for name, sub in (("imagededup", ""), ("imagededup.methods", "/methods"), ("imagededup.utils", "/utils")):
            mod = types.ModuleType(name)
            mod.__path__ = [base + sub]
            sys.modules[name] = mod
        from imagededup.methods.hashing import PHash
        return PHash, f"imagededup.methods.hashing only ({exc.name} not installed)"
PHash, how = phash_class()
import imagededup
folder, jobs = sys.argv[1], int(sys.argv[2])
t = time.perf_counter()
dups = PHash(verbose=False).find_duplicates(image_dir=folder, max_distance_threshold=10,
                                           num_enc_workers=jobs, num_dist_workers=jobs)
elapsed = time.perf_counter() - t
try:
    from importlib.metadata import version
    ver = version("imagededup")
except Exception:
    ver = "?"
print(json.dumps({"files": len(dups), "seconds": elapsed, "how": how, "version": ver}))
"""


def collect(corpus: Path) -> list[Path]:
    files = []
    for p in sorted(corpus.rglob("*")):
        if p.is_file() and not p.name.startswith("."):
            with p.open("rb") as fh:
                head = fh.read(64)
            if sniff_bytes(head) or named_like_image(p.name):
                files.append(p)
    return files


def make_folder(files: list[Path], copies: int, dest: Path, distinct: bool = False) -> int:
    """``copies`` copies of every file. ``distinct``: every JPEG copy gets a few bytes after its
    end-of-image marker (decoders ignore them), so it is a different file to every tool — no tool
    can recognise it as a copy; other formats are copied as they are."""
    dest.mkdir(parents=True, exist_ok=True)
    n = 0
    for c in range(copies):
        for p in files:
            out = dest / f"c{c}_{p.parent.name}_{p.name}"
            data = p.read_bytes()
            if distinct and c and data[:3] == b"\xff\xd8\xff":
                data += f"imagerights-bench-copy-{c}".encode()
            out.write_bytes(data)
            n += 1
    for p in dest.iterdir():  # into the page cache: we time the tools, not the disk
        p.read_bytes()
    return n


def timed(cmd: list[str], env: dict | None = None, stdout=subprocess.DEVNULL) -> tuple[float, subprocess.CompletedProcess]:
    t = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=stdout, stderr=subprocess.PIPE, text=True)
    return time.perf_counter() - t, done


def audit(folder: Path, jobs: int, extra: list[str], env: dict, out: Path) -> dict:
    cmd = [sys.executable, "-m", "imagerights", "audit", str(folder), "--jobs", str(jobs), "--format", "json",
           "-o", str(out), "--fail-on", "never", "-q", *extra]
    wall, done = timed(cmd, env)
    if done.returncode != 0:
        raise SystemExit(f"audit failed ({done.returncode}): {done.stderr[-2000:]}")
    doc = json.loads(out.read_text())
    run = doc["summary"]["run"]
    slowest = run["slowest"][0] if run.get("slowest") else {"path": "", "seconds": 0}
    statuses = run.get("statuses", {})
    return {"files": doc["summary"]["files"], "wall": wall, "inproc": run["elapsed_seconds"],
            "peak_rss_mb": run.get("peak_worker_rss_mb"), "slowest": slowest,
            "analysed": statuses.get("analysed", 0), "same_content": statuses.get("same-content", 0),
            "cached": statuses.get("cached", 0), "worker_cpu": run.get("worker_cpu_seconds"),
            "fil": sum(f["images"] for f in doc["summary"]["findings"] if f["code"].startswith("FIL00") and f["code"] != "FIL004")}


def exiftool(folder: Path) -> dict | None:
    exe = shutil.which("exiftool")
    if not exe:
        return None
    version = subprocess.run([exe, "-ver"], capture_output=True, text=True).stdout.strip()
    with tempfile.TemporaryFile("w+") as out:
        wall, done = timed([exe, "-j", "-r", "-q", "-q", str(folder)], stdout=out)
        out.seek(0)
        files = len(json.load(out))
    return {"files": files, "wall": wall, "version": version}


def imagededup(python: str | None, folder: Path, jobs: int) -> dict | None:
    if not python:
        return None
    wall, done = timed([python, "-c", IMAGEDEDUP_SCRIPT, str(folder), str(jobs)], stdout=subprocess.PIPE)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"}
    res = json.loads(done.stdout.strip().splitlines()[-1])
    res["wall"] = wall
    return res


def median_run(runs: list[dict]) -> dict:
    return sorted(runs, key=lambda r: r["wall"])[len(runs) // 2]


def walls(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values) + " s"


def rate(files: int, seconds: float | None) -> str:
    return f"{files / seconds:.1f}" if seconds else "–"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=Path(os.environ.get("IMAGERIGHTS_CORPORA", ROOT.parent / "shared" / "corpora")) / "photos")
    ap.add_argument("--copies", type=int, default=4)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--imagededup-python", default=None, help="an interpreter where imagededup is installed")
    ap.add_argument("--skip-full", action="store_true", help="only --fast, ExifTool and imagededup (quick)")
    ap.add_argument("--distinct", action="store_true",
                    help="make JPEG copies byte-distinct (trailing bytes), so identical-content reuse cannot apply")
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs of --fast and of ExifTool, interleaved; the median wall time is reported")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "audit.json")
    args = ap.parse_args()

    files = collect(args.corpus)
    tmp = Path(tempfile.mkdtemp(prefix="imagerights-bench-audit-"))
    try:
        folder = tmp / "media"
        n = make_folder(files, args.copies, folder, args.distinct)
        env = {**os.environ, "IMAGERIGHTS_DATA_DIR": str(tmp / "data"), "IMAGERIGHTS_CACHE_DIR": str(tmp / "cache")}
        # as installed by pip (which byte-compiles): a sandbox's PYTHONDONTWRITEBYTECODE would make
        # every process, and the workers' fork server, compile ~100 modules again (~0.3 s each)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        print(f"{n} files ({len(files)} photographs × {args.copies}{', distinct JPEG copies' if args.distinct else ''}) "
              f"in {folder}, {args.jobs} jobs", file=sys.stderr)
        results = {"files": n, "jobs": args.jobs, "cpus": os.cpu_count(), "distinct": args.distinct}
        # the licence catalogue's parse cache (user cache dir) is built by the first run on a machine
        # (~1.6 s, once); every later run reads it: warm it so each tool below is timed as it runs daily
        results["first_run_catalogue_seconds"] = timed([sys.executable, "-m", "imagerights", "licenses", "list"], env)[0]
        # the full audit runs with --incremental on an empty cache (what a first run costs), so that
        # the unchanged re-run after it can be timed without analysing everything twice
        full = again = unique = None
        if not args.skip_full:
            # the same photographs once each: what the audit costs per distinct image (in the copied
            # folder, byte-identical copies are analysed once and share the facts)
            single = tmp / "unique"
            single.mkdir()
            for p in folder.glob("c0_*"):
                os.link(p, single / p.name)
            results["audit_full_unique"] = unique = audit(single, args.jobs, [], env, tmp / "unique.json")
            results["audit_full"] = full = audit(folder, args.jobs, ["--incremental"], env, tmp / "full.json")
            results["audit_incremental_rerun"] = again = audit(folder, args.jobs, ["--incremental"], env,
                                                               tmp / "again.json")
        # the quick runs are short enough for the machine's noise to matter: both tools run
        # --repeat times, alternately, and each is represented by its median run
        ex_runs, fast_runs = [], []
        for _ in range(max(1, args.repeat)):
            ex_runs.append(exiftool(folder))
            fast_runs.append(audit(folder, args.jobs, ["--fast"], env, tmp / "fast.json"))
        results["audit_fast"] = fast = median_run(fast_runs)
        results["audit_fast_walls"] = [r["wall"] for r in fast_runs]
        results["exiftool"] = ex = median_run(ex_runs) if all(ex_runs) else None
        results["exiftool_walls"] = [r["wall"] for r in ex_runs if r]
        results["imagededup"] = idd = imagededup(args.imagededup_python, folder, args.jobs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    def work(r: dict) -> str:
        n = r["analysed"] + r["cached"]
        cpu = f"; worker CPU {1000 * r['worker_cpu'] / n:.0f} ms per analysed file" if r.get("worker_cpu") and n else ""
        return f"analysed {r['analysed']}, identical copies {r['same_content']}{cpu}"

    rows = []
    if full:
        rows.append((f"imagerights audit (full), ×{args.copies} folder", full["files"], full["wall"], full["inproc"],
                     f"{work(full)}; peak worker RSS {full['peak_rss_mb']} MB; slowest {full['slowest']['seconds']:.2f} s"))
    if unique:
        rows.append(("imagerights audit (full), each photograph once", unique["files"], unique["wall"],
                     unique["inproc"], work(unique)))
    rows.append((f"imagerights audit --fast (metadata + hashes), ×{args.copies} folder", fast["files"], fast["wall"],
                 fast["inproc"], f"{work(fast)}; peak worker RSS {fast['peak_rss_mb']} MB; "
                 f"median of {walls(results['audit_fast_walls'])}"))
    if again:
        rows.append(("imagerights audit --incremental, unchanged re-run", again["files"], again["wall"],
                     again["inproc"], "facts from the cache, rules evaluated afresh"))
    if ex:
        rows.append((f"exiftool {ex['version']} -j -r (metadata only)", ex["files"], ex["wall"], None,
                     f"1 process; median of {walls(results['exiftool_walls'])}"))
    if idd and "error" not in idd:
        rows.append((f"imagededup {idd['version']} PHash find_duplicates (hashing only)", idd["files"], idd["wall"],
                     idd["seconds"], idd["how"]))
    elif idd:
        rows.append(("imagededup PHash", 0, None, None, f"failed: {idd['error']}"))
    else:
        rows.append(("imagededup PHash", 0, None, None, "not run (pass --imagededup-python)"))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    results["load_average_1min_end"] = load
    print(f"\n{n} files, {args.jobs} jobs, {os.cpu_count()} CPUs, load average at the end {load}\n")
    print("| tool | files | wall s | files/s (wall) | files/s (in-process) | notes |")
    print("|---|---|---|---|---|---|")
    for name, files_, wall, inproc, note in rows:
        print(f"| {name} | {files_} | {wall:.2f} | {rate(files_, wall)} | {rate(files_, inproc)} | {note} |"
              if wall else f"| {name} | – | – | – | – | {note} |")
    if ex:
        ratio = (fast["files"] / fast["wall"]) / (ex["files"] / ex["wall"])
        if full:
            print(f"\nfull audit: {full['files'] / full['wall']:.1f} images/s on the ×{args.copies} folder, "
                  f"{unique['files'] / unique['wall']:.1f} on distinct photographs (target ≥ 20)")
        print(f"fast mode: {ratio:.1f}× ExifTool's files/s (target ≥ 10×)")
        results["fast_vs_exiftool"] = ratio
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
