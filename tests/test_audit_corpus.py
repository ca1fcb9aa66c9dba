"""Audit the shared corpora: every malformed, hostile or bomb file gets its row, within the time
limit, with bounded memory; the full pipeline (faces, logos) runs here."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from imagerights.audit.runner import AuditOptions, run_audit
from imagerights.evaluate import evaluate
from imagerights.licensing.catalogue import default_catalogue
from imagerights.policy import default_policy
from imagerights.sources.sniff import sniff_bytes
from imagerights.use import IntendedUse

pytestmark = pytest.mark.corpus


def evaluator():
    use, policy, catalogue = IntendedUse(), default_policy(), default_catalogue()
    return lambda facts: evaluate(facts, use, policy, catalogue, lang="sv")


def corpus_files(root: Path) -> set[str]:
    out = set()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        out |= {(Path(dirpath) / f).relative_to(root).as_posix() for f in filenames if not f.startswith(".")}
    return out


@pytest.mark.slow
def test_every_malformed_file_gets_a_row_in_time(corpora):
    root = corpora / "malformed"
    run = run_audit([root], AuditOptions(jobs=2, timeout=10, registry=False, all_files=True), evaluator())
    assert not run.partial
    assert {r.rel for r in run.rows} == corpus_files(root)
    assert not [r.rel for r in run.rows if r.status in ("timeout", "crashed")]
    slowest = max(run.rows, key=lambda r: r.seconds)
    assert slowest.seconds < 10, (slowest.rel, slowest.seconds)
    assert run.peak_worker_rss_mb is not None and run.peak_worker_rss_mb < 2048, run.peak_worker_rss_mb
    by_path = {r.rel: r for r in run.rows}
    for item in json.loads((root / "MANIFEST.json").read_text()):
        row = by_path[item["file"]]
        if item["category"] == "decompression_bomb" and row.facts.image.format is None:
            assert row.result.verdict == "stop"
    bombs = [r for r in run.rows if any(e.stage == "bomb" for e in r.facts.errors)]
    assert bombs and all(any(f.code == "FIL002" for f in r.result.findings) for r in bombs)


def test_without_all_files_only_non_images_are_skipped(corpora):
    root = corpora / "malformed"
    run = run_audit([root], AuditOptions(jobs=2, timeout=10, registry=False, faces=False, logos=False), evaluator())
    rows = {r.rel for r in run.rows}
    skipped = {s.rel: s.reason for s in run.walk.skipped}
    assert rows | set(skipped) == corpus_files(root)
    for rel, reason in skipped.items():
        assert reason == "not-an-image"
        assert sniff_bytes((root / rel).read_bytes()[:64]) is None
    assert "MANIFEST.json" in skipped
