"""Benchmark the face detectors against tests/data/faces_labels.csv (identifiable people per photo).

    .venv/bin/python bench/faces.py [--corpora PATH] [--detectors yunet,haar] [--repeat 1]

Labels are counts, not boxes, so two scores are reported:

* people (count-based): per image TP = min(found, labelled), FP = found − TP, FN = labelled − TP,
  summed over the set — precision/recall of the *identifiable* count;
* images: does the image contain an identifiable person (yes/no) — what the PPL rules use.

ms/image is wall time of ``find_faces`` on a fresh SourceImage (decode at ≤ ANALYSIS_SIDE px included).
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from imagerights.imaging import open_source  # noqa: E402
from imagerights.people import detectors  # noqa: E402
from imagerights.people.faces import find_faces  # noqa: E402

LABELS = ROOT / "tests" / "data" / "faces_labels.csv"
SCORE_SWEEP = (0.5, 0.6, 0.7, 0.8, 0.9)


def load_labels(path: Path = LABELS) -> list[dict]:
    with path.open(newline="") as fh:
        rows = [r for r in csv.DictReader(line for line in fh if not line.startswith("#"))]
    for r in rows:
        r["identifiable_people"] = int(r["identifiable_people"])
    return rows


def score(pairs: list[tuple[int, int]]) -> dict:
    tp = sum(min(f, l) for f, l in pairs)
    fp = sum(max(0, f - l) for f, l in pairs)
    fn = sum(max(0, l - f) for f, l in pairs)
    itp = sum(1 for f, l in pairs if f > 0 and l > 0)
    ifp = sum(1 for f, l in pairs if f > 0 and l == 0)
    ifn = sum(1 for f, l in pairs if f == 0 and l > 0)
    div = lambda a, b: a / b if b else float("nan")  # noqa: E731
    return {"tp": tp, "fp": fp, "fn": fn, "precision": div(tp, tp + fp), "recall": div(tp, tp + fn),
            "img_precision": div(itp, itp + ifp), "img_recall": div(itp, itp + ifn), "img_fp": ifp, "img_fn": ifn}


def run(corpora: Path, name: str, rows: list[dict], repeat: int = 1) -> tuple[list[tuple[str, list[dict], int]], list[float]]:
    """Per labelled file: (path, face details, labelled count); and ms per image."""
    results, times = [], []
    for r in rows:
        path = corpora / r["path"]
        if not path.is_file():
            continue
        best = None
        faces = None
        for _ in range(repeat):
            src = open_source(path)
            t0 = time.perf_counter()
            faces = find_faces(src, name)
            dt = time.perf_counter() - t0
            best = dt if best is None else min(best, dt)
        times.append(best * 1000)
        results.append((r["path"], faces.details, r["identifiable_people"]))
    return results, times


def found(details: list[dict], min_score: float = 0.0) -> int:
    return sum(1 for d in details if d["identifiable"] and d["score"] >= min_score)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpora", default=os.environ.get("IMAGERIGHTS_CORPORA", str(ROOT.parent / "shared" / "corpora")))
    ap.add_argument("--detectors", default=",".join(detectors.available()))
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--errors", action="store_true", help="list the files where a detector's count differs")
    args = ap.parse_args()
    corpora = Path(args.corpora)
    rows = load_labels()
    print(f"{len(rows)} labelled images, {sum(r['identifiable_people'] > 0 for r in rows)} with people, "
          f"{sum(r['identifiable_people'] for r in rows)} identifiable people")
    print(f"{'detector':42} {'P(people)':>9} {'R(people)':>9} {'P(img)':>7} {'R(img)':>7} {'imgFP':>5} {'imgFN':>5} {'ms mean':>8} {'ms med':>7}")
    for name in args.detectors.split(","):
        default = detectors.YUNET_MIN_SCORE / 100 if name == "yunet" else 0.0
        if name == "yunet":  # detect down to 0.5 once; thresholds are applied to the scores afterwards
            detectors._CACHE["yunet"] = detectors.YuNetDetector(min_score=50)
        results, times = run(corpora, name, rows, args.repeat)
        label = detectors.get(name).name
        detectors._CACHE.pop("yunet", None)
        res = score([(found(d, default), want) for _p, d, want in results])
        print(f"{label:42} {res['precision']:9.3f} {res['recall']:9.3f} {res['img_precision']:7.3f} {res['img_recall']:7.3f} "
              f"{res['img_fp']:5d} {res['img_fn']:5d} {statistics.mean(times):8.1f} {statistics.median(times):7.1f}")
        if name == "yunet":
            for t in SCORE_SWEEP:
                r = score([(found(d, t), want) for _p, d, want in results])
                print(f"  score >= {t:.1f}{'':30} {r['precision']:9.3f} {r['recall']:9.3f} {r['img_precision']:7.3f} "
                      f"{r['img_recall']:7.3f} {r['img_fp']:5d} {r['img_fn']:5d}")
        if args.errors:
            for path, d, want in results:
                if found(d, default) != want:
                    print(f"    {path}: found {found(d, default)}, labelled {want}")

if __name__ == "__main__":
    main()
