"""Every file of ../shared/corpora/malformed gets a result or a per-file error finding through
the whole check pipeline: no traceback, no hang (each under 10 s), originals byte-identical."""

from __future__ import annotations

import hashlib
import json
import os
import select
import subprocess
import sys
import time

import pytest

PER_FILE_SECONDS = 10

WORKER = r"""
import json, sys, time, warnings
warnings.simplefilter("ignore")
from imagerights.analyse import AnalyseOptions, analyse
from imagerights.evaluate import evaluate
from imagerights.licensing.catalogue import default_catalogue
from imagerights.policy import default_policy
from imagerights.use import IntendedUse
cat, pol, use = default_catalogue(), default_policy(), IntendedUse()
for line in sys.stdin:
    path = line.rstrip("\n")
    t = time.perf_counter()
    try:
        r = evaluate(analyse(path, AnalyseOptions()), use, pol, cat)
        out = {"path": path, "verdict": r.verdict, "codes": [f.code for f in r.findings], "ok": True}
    except BaseException as exc:  # the test fails on this: no exception may escape the pipeline
        out = {"path": path, "ok": False, "error": f"{type(exc).__name__}: {exc}"}
    out["seconds"] = time.perf_counter() - t
    print(json.dumps(out), flush=True)
"""


def _files(root):
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name not in ("MANIFEST.json", "exiftool.json"))


def _start():
    return subprocess.Popen([sys.executable, "-c", WORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})


@pytest.mark.corpus
@pytest.mark.slow
def test_every_malformed_file_gives_a_result(corpora):
    files = _files(corpora / "malformed")
    assert len(files) > 50
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    proc = _start()
    results, problems = {}, []
    for p in files:
        proc.stdin.write(f"{p}\n")
        proc.stdin.flush()
        # the first file also pays for the worker's imports
        ready, _, _ = select.select([proc.stdout], [], [], PER_FILE_SECONDS + (30 if not results else 0))
        if not ready:
            proc.kill()
            problems.append(f"{p.name}: no result within {PER_FILE_SECONDS} s (hang)")
            proc = _start()
            continue
        line = proc.stdout.readline()
        if not line:
            problems.append(f"{p.name}: worker died (crash)")
            proc = _start()
            continue
        out = json.loads(line)
        results[p] = out
        if not out["ok"]:
            problems.append(f"{p.name}: {out['error']}")
        elif out["seconds"] > PER_FILE_SECONDS and len(results) > 1:
            problems.append(f"{p.name}: {out['seconds']:.1f} s")
    proc.stdin.close()
    proc.wait(timeout=30)
    assert not problems, "\n".join(problems)
    assert len(results) == len(files)
    for p, out in results.items():
        assert out["verdict"] in ("ok", "review", "stop")
    # a file that is not an image at all must say so
    unreadable = [p for p, o in results.items() if "FIL001" in o["codes"] or "FIL002" in o["codes"]]
    assert unreadable, "expected some files to be reported unreadable"
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    assert before == after, "an original file was modified"
