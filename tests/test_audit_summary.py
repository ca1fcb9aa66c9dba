"""The audit summary computed from facts: licence expiry buckets, duplicates, AI, GPS, people, provenance."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from imagerights.audit.runner import AuditOptions, AuditRun, Row
from imagerights.audit import near
from imagerights.audit.near import distance, near_groups
from imagerights.audit.summary import duplicates, expiry, summarise
from imagerights.evaluate import evaluate
from imagerights.facts import GPS, Facts, ImageInfo, Metadata, RegistryMatch
from imagerights.licensing.catalogue import default_catalogue
from imagerights.policy import default_policy
from imagerights.sources.walk import FileItem, Walk
from imagerights.use import IntendedUse

TODAY = dt.date(2026, 6, 1)
AI_URI = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"


def row(rel, *, sha="0" * 64, phash=None, expires=None, gps=False, dst=None, creators=(), people="unknown"):
    md = Metadata(creators=list(creators), gps=GPS(present=gps), digital_source_type=dst)
    matches = [RegistryMatch("A-" + rel, 1.0, {}, {"asset_id": "A-" + rel, "license_id": "X", "expires": expires})] \
        if expires else []
    facts = Facts(path=rel, size=10, sha256=sha, image=ImageInfo("JPEG", 100, 100, "RGB", 1), metadata=md,
                  registry_matches=matches)
    result = evaluate(facts, IntendedUse(people=people, today=TODAY), default_policy(), default_catalogue())
    return Row(FileItem(Path(rel), rel), facts, result, "analysed", 0.1, phash)


def test_expiry_buckets():
    rows = [row("gone.jpg", expires="2026-05-31"), row("soon.jpg", expires="2026-06-30"),
            row("later.jpg", expires="2026-07-02"), row("today.jpg", expires="2026-06-01"), row("none.jpg")]
    soon, expired = expiry(rows, TODAY, 30)
    assert [(i["path"], i["days_left"]) for i in soon] == [("today.jpg", 0), ("soon.jpg", 29)]
    assert [(i["path"], i["days_left"]) for i in expired] == [("gone.jpg", -1)]
    assert soon[0]["asset_id"] == "A-today.jpg" and soon[0]["license_id"] == "X"


def test_duplicates_identical_and_near():
    a = "f" * 64
    base = int("0123456789abcdef" * 4, 16)
    near = f"{base ^ 0b1011:064x}"  # 3 bits apart
    far = f"{base ^ ((1 << 200) - 1):064x}"  # 200 bits apart
    rows = [row("a.jpg", sha=a, phash=f"{base:064x}"), row("copy.jpg", sha=a, phash=f"{base:064x}"),
            row("small.jpg", sha="1" * 64, phash=near), row("other.jpg", sha="2" * 64, phash=far),
            row("nohash.jpg", sha="3" * 64)]
    d = duplicates(rows)
    assert d["identical"] == [{"sha256": a, "paths": ["a.jpg", "copy.jpg"]}]
    assert d["near"] == [{"paths": ["a.jpg", "copy.jpg", "small.jpg"], "max_distance": 3}]
    # a group made only of byte-identical copies is not "near"
    assert duplicates(rows[:2])["near"] == []
    assert distance(f"{base:064x}", far) == 200


def test_near_groups_single_linkage_and_order():
    h = [0, 0b111, 0b111111, ((1 << 120) - 1) << 100]
    groups = near_groups([(f"k{i}", f"{v:064x}") for i, v in enumerate(h)], threshold=3)
    assert groups == [["k0", "k1", "k2"]]  # k0–k1 3 bits, k1–k2 3 bits: one chain
    assert near_groups([("a", "00"), ("b", None)]) == []


def test_summary_lists():
    rows = [row("ai.jpg", dst=AI_URI, creators=["Anna"]), row("gps.jpg", gps=True, creators=["Bo"]),
            row("people.jpg", people="yes", creators=["Cy"]), row("anon.jpg")]
    run = AuditRun(walk=Walk(base=Path("/x")), rows=rows, started=dt.datetime.now(dt.timezone.utc), elapsed=1.0,
                   options=AuditOptions())
    s = summarise(run, today=TODAY)
    assert s["ai_generated"] == ["ai.jpg"]
    assert s["gps"] == ["gps.jpg"]
    assert s["people_without_consent"] == ["people.jpg"]
    assert s["no_provenance"] == ["anon.jpg"]
    assert s["files"] == 4 and sum(s["verdicts"].values()) == 4
    codes = {f["code"] for f in s["findings"]}
    assert "AI001" in codes and "PRI001" in codes
    assert s["licences"] == [{"id": None, "name": "", "images": 4}]


def test_near_groups_numpy_path_agrees_with_python(monkeypatch):
    """Large folders are grouped with numpy, small ones in pure Python: the same groups either way."""
    import random

    rnd = random.Random(7)
    base = [rnd.getrandbits(256) for _ in range(30)]
    hashes = []
    for i, b in enumerate(base):  # each base hash with a few variants 0–12 bits away, and exact copies
        for k in range(3):
            v = b
            for bit in rnd.sample(range(256), rnd.randint(0, 12)):
                v ^= 1 << bit
            hashes.append((f"f{i:02d}-{k}", f"{v:064x}"))
        hashes.append((f"f{i:02d}-copy", hashes[-1][1]))
    rnd.shuffle(hashes)
    python = near_groups(hashes, threshold=24)
    monkeypatch.setattr(near, "_NUMPY_FROM", 0)
    assert near_groups(hashes, threshold=24) == python
    assert len(python) == 30 and all(len(g) == 4 for g in python)
