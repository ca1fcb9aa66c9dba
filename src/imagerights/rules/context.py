"""Build the rules' :class:`Context` from facts, intended use and policy (pure, no I/O)."""

from __future__ import annotations

from urllib.parse import urlsplit

from imagerights.facts import Facts
from imagerights.rules.base import Context
from imagerights.use import IntendedUse

# Registry-detected edits (``RegistryMatch.edits`` keys) → the planned-edit vocabulary of ``use.EDITS``.
_DETECTED_EDIT = {
    "crop": "crop",
    "covered": "text",
    "text": "text",
    "recoloured": "filter",
    "greyscale": "filter",
    "flip": "filter",
    "scale": "resize",
}


def _host(url: str | None) -> str:
    if not url:
        return ""
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def detected_edits(edits: dict) -> set[str]:
    out = set()
    for key, value in (edits or {}).items():
        if not value:
            continue
        if key == "rotation":
            try:
                angle = float(value) % 360
            except (TypeError, ValueError):
                continue
            if min(angle % 90, 90 - angle % 90) > 1:
                out.add("crop")  # a small rotation also crops the corners
            continue
        if key == "scale" and isinstance(value, (int, float)) and abs(value - 1) < 0.02:
            continue
        name = _DETECTED_EDIT.get(key)
        if name:
            out.add(name)
    return out


def origin_of(license, facts: Facts, policy, asset: dict | None) -> str:
    """own / image_bank / stock / free_bank / cc / public_domain / unknown."""
    md = facts.metadata
    if license is not None:
        if license.kind == "own":
            return "own"
        if license.kind == "stock-license":
            return "stock"
        if license.kind == "platform-license" or license.id in policy.free_bank_licenses:
            return "free_bank"
        if license.kind == "cc-pd-tool":
            return "public_domain"
    texts = [md.copyright, md.credit, md.source, *(l.get("name", "") for l in md.licensors)]
    if asset and asset.get("source_url"):
        texts.append(asset["source_url"])
    urls = [md.web_statement, md.cc_attribution_url, *(l.get("url", "") for l in md.licensors),
            (asset or {}).get("source_url")]
    hosts = {_host(u) for u in urls if u}
    if license is not None and license.kind in ("cc-license",):
        # the organisation's own images may carry the account's CC licence
        if any(policy.is_own_text(t) for t in texts if t):
            return "own"
        return "cc"
    if any(policy.is_own_text(t) for t in texts if t):
        return "own"
    if hosts & {h.removeprefix("www.") for h in policy.image_bank_hosts}:
        return "image_bank"
    if hosts & {h.removeprefix("www.") for h in policy.stock_hosts} or any(policy.is_stock_text(t) for t in texts if t):
        return "stock"
    if hosts & {h.removeprefix("www.") for h in policy.free_bank_hosts}:
        return "free_bank"
    if license is not None and license.kind == "cc-license":
        return "cc"
    return "unknown"


def people_of(use: IntendedUse, facts: Facts, asset: dict | None) -> tuple[str, str]:
    """Are identifiable people shown? The flag wins; otherwise any source that says yes wins
    over one that says no, and no answer is "unknown"."""
    if use.people in ("yes", "no"):
        return use.people, "flag"
    faces = facts.faces
    if faces is not None and faces.identifiable > 0:
        return "yes", "faces"
    if asset and asset.get("people_present") is True:
        return "yes", "registry"
    if facts.metadata.persons_in_image:
        return "yes", "metadata"
    # the Haar fallback finds fewer than half of the faces (bench/faces.py): none found is no proof
    if faces is not None and not faces.detector.startswith("haar"):
        return "no", "faces"
    if asset and asset.get("people_present") is False:
        return "no", "registry"
    return "unknown", ""


def build_context(facts: Facts, use: IntendedUse, policy, catalogue) -> Context:
    best = facts.registry_matches[0] if facts.registry_matches else None
    asset = best.asset if best else None
    license = catalogue.get(facts.license.id) if facts.license else None
    if license is None and asset and asset.get("license_id"):
        license = catalogue.get(asset["license_id"])
    people, people_source = people_of(use, facts, asset)
    consent = None
    if asset and asset.get("consent") and asset.get("consent") != "none":
        consent = str(asset["consent"]).replace("-", "_")  # registry "model-release" → rules' "model_release"
    edits = frozenset(use.edits | detected_edits(best.edits if best else {}))
    return Context(
        facts=facts,
        use=use,
        policy=policy,
        catalogue=catalogue,
        license=license,
        origin=origin_of(license, facts, policy, asset),
        people=people,
        people_source=people_source,
        consent=consent,
        asset=asset,
        edits=edits,
    )
