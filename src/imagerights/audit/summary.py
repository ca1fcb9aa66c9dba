"""The numbers a manager reads at a glance, computed once here and handed to every renderer.

Everything is derived from the rows' facts and findings (no file is read again):
verdict and finding counts, licences, images nobody knows the source of, registry licences that
expire soon or have expired, identical and near-identical copies inside the folder, AI-generated
images, images with a GPS position, and images with people but no consent on record.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from imagerights.audit.runner import STATUSES, AuditRun, Row
from imagerights.audit.near import NEAR_THRESHOLD, distance, near_groups
from imagerights.findings import VERDICTS

TOP_SLOWEST = 5


def _asset(row: Row) -> dict[str, Any] | None:
    matches = row.facts.registry_matches
    return matches[0].asset if matches else None


def _ai_generated(row: Row) -> bool:
    """The same signals rule AI001 uses (``provenance.ai.ai_signals``), independent of --select/--ignore."""
    try:
        from imagerights.provenance.ai import ai_signals

        return any(s.get("kind") == "generated" for s in ai_signals(row.facts))
    except ImportError:  # pragma: no cover - fallback while the provenance reader is absent
        generated = ("trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia", "algorithmicMedia")
        dst = row.facts.metadata.digital_source_type or ""
        types = [dst, *(row.facts.provenance.digital_source_types if row.facts.provenance else [])]
        return any(t.rstrip("/").rsplit("/", 1)[-1] in generated for t in types if t)


def _no_provenance(row: Row) -> bool:
    """Nobody knows where it came from: origin unknown, no creator, no licence, no registry match."""
    ctx = row.result.context
    md = row.facts.metadata
    if row.facts.image.format is None and row.facts.errors:
        return False  # not an image we could read: counted under the FIL findings instead
    return (ctx.origin == "unknown" and ctx.license is None and not row.facts.registry_matches
            and not md.creators and not md.copyright and not md.credit)


def expiry(rows: list[Row], today: dt.date, window_days: int) -> tuple[list[dict], list[dict]]:
    """Registry licences that expire within ``window_days`` (and those already expired)."""
    soon, expired = [], []
    for row in rows:
        asset = _asset(row)
        if not asset or not asset.get("expires"):
            continue
        try:
            until = dt.date.fromisoformat(str(asset["expires"])[:10])
        except ValueError:
            continue
        days = (until - today).days
        item = {"path": row.rel, "asset_id": asset.get("asset_id"), "license_id": asset.get("license_id"),
                "expires": until.isoformat(), "days_left": days}
        if days < 0:
            expired.append(item)
        elif days <= window_days:
            soon.append(item)
    soon.sort(key=lambda i: (i["days_left"], i["path"]))
    expired.sort(key=lambda i: (i["days_left"], i["path"]))
    return soon, expired


def duplicates(rows: list[Row], threshold: int = NEAR_THRESHOLD) -> dict[str, list[dict]]:
    """Identical files (same sha256) and near-identical ones (perceptual hash within ``threshold``).

    A near group is reported only when it holds at least two different files (contents); copies
    that are byte-identical are already in ``identical``.
    """
    by_sha: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if row.facts.sha256:
            by_sha[row.facts.sha256].append(row.rel)
    identical = [{"sha256": sha, "paths": paths} for sha, paths in by_sha.items() if len(paths) > 1]
    identical.sort(key=lambda g: (-len(g["paths"]), g["paths"][0]))

    hashes = {row.rel: row.phash for row in rows if row.phash}
    sha_of = {row.rel: row.facts.sha256 for row in rows}
    near = []
    for group in near_groups(hashes.items(), threshold):
        if len({sha_of[p] for p in group}) < 2:
            continue
        worst = max(distance(hashes[a], hashes[b]) for i, a in enumerate(group) for b in group[i + 1:]) \
            if len(group) <= 50 else None
        near.append({"paths": group, "max_distance": worst})
    return {"identical": identical, "near": near, "threshold_bits": threshold}


def rules_used(rows: list[Row]) -> dict[str, dict[str, Any]]:
    """Metadata of every rule that produced a finding (for SARIF, legends and charts)."""
    from imagerights.rules.base import RULES

    out: dict[str, dict[str, Any]] = {}
    for code in sorted({f.code for row in rows for f in row.result.findings}):
        spec = RULES.get(code)
        if spec is None:
            out[code] = {"name": code, "family": "", "severity": "", "summary": {"en": "", "sv": ""},
                         "citation": {"text": "", "url": ""}}
            continue
        out[code] = {"name": spec.name, "family": spec.family, "severity": spec.severity.label,
                     "summary": {"en": spec.summary.en, "sv": spec.summary.sv},
                     "citation": spec.citation.to_dict()}
    return out


def summarise(run: AuditRun, *, today: dt.date | None = None, expiry_days: int = 30) -> dict[str, Any]:
    rows = run.rows
    today = today or dt.date.today()
    verdicts = Counter(r.result.verdict for r in rows)
    images_by_code: Counter = Counter()
    count_by_code: Counter = Counter()
    severity_of: dict[str, str] = {}
    for r in rows:
        codes = [f.code for f in r.result.findings]
        count_by_code.update(codes)
        images_by_code.update(set(codes))
        for f in r.result.findings:
            severity_of.setdefault(f.code, f.severity.label)
    findings = [{"code": c, "severity": severity_of[c], "images": images_by_code[c], "count": count_by_code[c]}
                for c in images_by_code]
    findings.sort(key=lambda f: (-f["images"], f["code"]))

    licences: Counter = Counter()
    names: dict[str, str] = {}
    for r in rows:
        lic = r.result.context.license
        key = lic.id if lic is not None else None
        licences[key] += 1
        if lic is not None:
            names[lic.id] = lic.names.short
    licence_list = [{"id": k, "name": names.get(k, "") if k else "", "images": n} for k, n in licences.items()]
    licence_list.sort(key=lambda l: (-l["images"], l["id"] or "~"))

    soon, expired = expiry(rows, today, expiry_days)
    slowest = sorted((r for r in rows if r.status not in ("cached", "same-content")), key=lambda r: -r.seconds)[:TOP_SLOWEST]
    skipped_reasons = Counter(s.reason for s in run.walk.skipped)
    return {
        "files": len(rows),
        "verdicts": {v: verdicts.get(v, 0) for v in VERDICTS},
        "findings": findings,
        "licences": licence_list,
        "origins": dict(sorted(Counter(r.result.context.origin for r in rows).items())),
        "no_provenance": [r.rel for r in rows if _no_provenance(r)],
        "expiring": soon,
        "expired": expired,
        "expiry_window_days": expiry_days,
        "duplicates": duplicates(rows),
        "ai_generated": [r.rel for r in rows if _ai_generated(r)],
        "gps": [r.rel for r in rows if r.facts.metadata.gps.present],
        "people_without_consent": [r.rel for r in rows
                                   if r.result.context.people == "yes" and not r.result.context.consent],
        "not_images": skipped_reasons.get("not-an-image", 0),
        "skipped": dict(sorted(skipped_reasons.items())),
        "hidden": run.walk.hidden,
        "excluded": run.walk.excluded,
        "run": {
            "started": run.started.replace(microsecond=0).isoformat(),
            "elapsed_seconds": round(run.elapsed, 3),
            "files_per_second": round(len(rows) / run.elapsed, 2) if run.elapsed > 0 else None,
            "jobs": run.jobs,
            "mode": "fast" if run.options.fast else "full",
            "incremental": run.options.incremental,
            "statuses": {s: run.count(s) for s in STATUSES},
            "workers_replaced": run.workers_replaced,
            "peak_worker_rss_mb": round(run.peak_worker_rss_mb, 1) if run.peak_worker_rss_mb else None,
            "worker_cpu_seconds": round(run.worker_cpu_seconds, 3),
            "slowest": [{"path": r.rel, "seconds": round(r.seconds, 3)} for r in slowest],
        },
    }
