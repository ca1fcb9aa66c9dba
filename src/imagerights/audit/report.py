"""The ``imagerights.audit/1`` document: what every audit renderer (JSON, CSV, SARIF, HTML, text) takes.

``results`` are exactly the ``imagerights.check/1`` result objects ``check --format json`` prints,
with paths relative to ``root`` and one extra member, ``audit`` (size, perceptual hash). The
document is deterministic for a given tree, policy and options except ``generated`` and
``summary.run`` (timings, cache statistics): an interrupted run finished with ``--incremental``
gives the same document as a clean run.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from imagerights import __version__
from imagerights.audit.runner import AuditRun

SCHEMA_AUDIT = "imagerights.audit/1"


def result_object(row, lang: str, shared: dict[int, dict] | None = None) -> dict[str, Any]:
    """The row's ``check`` result object. ``shared``: results already built in this report, by
    their findings list — byte-identical copies share their original's (``runner.for_copy``), so
    a copy's object is the original's with its own ``path`` (the members are the same objects)."""
    key = id(row.result.findings)
    base = shared.get(key) if shared is not None else None
    if base is None:
        base = row.result.to_dict(lang)
        if shared is not None:
            shared[key] = base
    out = dict(base)
    out["path"] = row.rel
    out["audit"] = {"size": row.facts.size, "phash": row.phash}
    return out


def build_report(run: AuditRun, summary: dict[str, Any], *, lang: str, use: dict[str, Any] | None = None,
                 policy: Any = None, rules: dict[str, Any] | None = None) -> dict[str, Any]:
    opts = run.options
    shared: dict[int, dict] = {}
    return {
        "schema": SCHEMA_AUDIT,
        "tool": {"name": "imagerights", "version": __version__},
        "generated": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        "lang": lang,
        "root": str(run.walk.base),
        "partial": run.partial,
        "not_audited": list(run.not_audited),
        "use": use or {},
        "policy": ({"organisation": policy.organisation, "file": policy.source_file} if policy is not None else None),
        "options": {"fast": opts.fast, "incremental": opts.incremental, "timeout": opts.timeout,
                    "exclude": list(opts.exclude), "all_files": opts.all_files, "registry": opts.registry,
                    "logos": opts.logos, "faces": opts.faces},
        "summary": summary,
        "rules": rules or {},
        "skipped": [s.to_dict() for s in run.walk.skipped],
        "results": [result_object(row, lang, shared) for row in run.rows],
    }


def thumbnails(run: AuditRun) -> dict[str, str]:
    """``path → data: URI`` of every preview (the HTML report embeds them; JSON does not)."""
    out = {}
    for row in run.rows:
        if row.thumb:
            mime, data = row.thumb
            if mime in ("image/webp", "image/jpeg", "image/png"):
                out[row.rel] = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return out
