"""AI signals: the union of everything in the facts that says "made or edited by AI".

Sources (research/metadata.md §1.4, §1.6, §3, §7.3 step 5), most credible first:

1. Content Credentials (C2PA) actions' ``digitalSourceType`` — active manifest and every
   ingredient manifest (an image edited in Photoshop from a Firefly image is both
   "edited" now and "generated" in its ingredient);
2. IPTC Digital Source Type in XMP (``facts.metadata.digital_source_type``);
3. generator traces the metadata reader collected in ``facts.metadata.ai_hints``: PNG
   ``parameters``/``prompt``/``workflow`` chunks, A1111 text in EXIF UserComment, IPTC 2025.1
   AI fields, generator names in Software/CreatorTool.

A non-AI claim from one source never cancels an AI claim from another, and the absence of
signals means "no AI markers found" — metadata is trivially stripped — never "not AI".

Pure function over facts: no I/O, no verdicts (the AI rules in ``rules/provenance.py`` decide).
"""

from __future__ import annotations

from typing import Any

DST_PREFIX = "http://cv.iptc.org/newscodes/digitalsourcetype/"

# IPTC digital source type term → our kind (research/metadata.md §1.4 and §3 "Presenting results")
DST_KIND = {
    "trainedAlgorithmicMedia": "generated",
    "compositeWithTrainedAlgorithmicMedia": "edited",
    "compositeSynthetic": "edited",
    "algorithmicMedia": "synthetic",
    "trainedAlgorithmicData": "synthetic",  # C2PA-only term for data, not images
}

NO_MARKERS = "no AI markers found"


def dst_term(value: str | None) -> str | None:
    """The bare term of a digital source type value (URI or term, stray spaces removed)."""
    if not value or not isinstance(value, str):
        return None
    v = value.strip()
    for prefix in (DST_PREFIX, DST_PREFIX.replace("http://", "https://")):
        if v.startswith(prefix):
            v = v[len(prefix):]
    return v.strip("/ ") or None


def dst_kind(value: str | None) -> str | None:
    return DST_KIND.get(dst_term(value) or "")


def _c2pa_signals(prov) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if prov is None or not getattr(prov, "present", False):
        return out
    trust = prov.state or "not_verified"
    seen = set()
    for act in prov.actions or []:
        term = dst_term(act.get("digital_source_type"))
        kind = DST_KIND.get(term or "")
        if not kind:
            continue
        where = act.get("manifest") or "active"
        key = (where, kind, term, act.get("software_agent"))
        if key in seen:
            continue
        seen.add(key)
        agent = act.get("software_agent")
        detail = f"{act.get('action') or 'action'} ({term})" + (f" by {agent}" if agent else "")
        if where != "active":
            detail += ", in an ingredient"
        out.append({"source": "C2PA" if where == "active" else "C2PA ingredient",
                    "kind": kind, "detail": detail, "value": DST_PREFIX + term, "trust": trust})
    # source types listed without an action (older SDKs) still count
    listed = {s["value"] for s in out}
    for dst in prov.digital_source_types or []:
        term = dst_term(dst)
        kind = DST_KIND.get(term or "")
        if kind and DST_PREFIX + term not in listed:
            out.append({"source": "C2PA", "kind": kind, "detail": term, "value": DST_PREFIX + term, "trust": trust})
    return out


def _hint_kind(source: str, value: str) -> str:
    """Generator traces say "generated" unless they describe an edit (img2img, inpainting)."""
    low = (value or "").lower()
    if "denoising strength" in low or "inpaint" in low or "img2img" in low:
        return "edited"
    return "generated"


def ai_signals(facts) -> list[dict[str, Any]]:
    """Every AI signal in ``facts``: ``[{source, kind: generated|edited|synthetic, detail, …}]``.

    Extra keys: ``value`` (the raw marker) and, for C2PA, ``trust`` (the validation state:
    an ``invalid`` manifest's claim is still reported — the file may have been edited since —
    and the rules can weigh it).
    """
    out: list[dict[str, Any]] = []
    out += _c2pa_signals(getattr(facts, "provenance", None))
    md = getattr(facts, "metadata", None)
    if md is not None:
        dst = getattr(md, "digital_source_type", None)
        kind = dst_kind(dst)
        if kind:
            out.append({"source": (md.sources or {}).get("digital_source_type", "XMP-iptcExt:DigitalSourceType"),
                        "kind": kind, "detail": dst_term(dst), "value": dst})
        for hint in getattr(md, "ai_hints", None) or []:
            value = str(getattr(hint, "value", "") or "")
            source = str(getattr(hint, "source", "") or "metadata")
            short = value if len(value) <= 120 else value[:120] + "…"
            out.append({"source": source, "kind": _hint_kind(source, value), "detail": short, "value": value})
    return out


def summary(signals: list[dict[str, Any]]) -> str:
    """One line for reports: the strongest kind and its sources, or "no AI markers found"."""
    if not signals:
        return NO_MARKERS
    for kind in ("generated", "edited", "synthetic"):
        hits = [s for s in signals if s["kind"] == kind]
        if hits:
            return f"{kind} ({', '.join(sorted({s['source'] for s in hits}))})"
    return NO_MARKERS
