"""Read and validate Content Credentials with c2pa-python (the optional ``imagerights[c2pa]`` extra).

Strictly offline: ``verify.remote_manifest_fetch`` (default *on* in the SDK) and
``verify.ocsp_fetch`` are switched off, so a file whose manifest lives in the cloud is
reported as "remote credentials not checked (offline)" instead of being fetched
(research/metadata.md §3). Without a trust list the SDK can only say a signature is
intact, not that its signer is trusted: that is our state ``untrusted``.
"""

from __future__ import annotations

import importlib.util
import io
import json
from typing import Any

from imagerights.facts import Provenance

# The optional extra is imported on first use (``sdk()``): it costs ~30 ms, and the rules, which
# import this package for its pure functions, never need it.
HAVE_SDK = importlib.util.find_spec("c2pa") is not None
_SDK = None


def sdk():
    """The c2pa module (ImportError if the extra is missing or broken; the caller reports it)."""
    global _SDK
    if _SDK is None:
        import c2pa  # type: ignore

        _SDK = c2pa
    return _SDK

OFFLINE_SETTINGS = {"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False}}

# Failure codes that say "could not be checked here" rather than "broken": trust lists,
# revocation (OCSP) and identity (DID) look-ups all need either configuration or the network.
NOT_CHECKABLE_OFFLINE = {
    "signingCredential.untrusted",
    "signingCredential.ocsp.skipped",
    "signingCredential.ocsp.inaccessible",
    "signingCredential.ocsp.unknown",
    "timeStamp.untrusted",
    "cawg.x509.credential.untrusted",
    "cawg.ica.did_unavailable",
    "cawg.ica.untrusted_issuer",
}

# Sniffed Pillow format → MIME for the SDK (it trusts file extensions first, we never do).
MIME = {
    "JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp",
    "TIFF": "image/tiff", "GIF": "image/gif", "AVIF": "image/avif", "HEIF": "image/heif",
}

_CONTEXT = None


def sdk_context():
    global _CONTEXT
    if _CONTEXT is None:
        _CONTEXT = sdk().Context.from_dict(OFFLINE_SETTINGS)
    return _CONTEXT


def sniff_mime(data: bytes, pil_format: str | None) -> str | None:
    if pil_format and pil_format.upper() in MIME:
        return MIME[pil_format.upper()]
    head = data[:32]
    if head.startswith(b"\xff\xd8"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"avif", b"avis"):
            return "image/avif"
        if brand in (b"heic", b"heix", b"mif1", b"msf1", b"heim", b"heis"):
            return "image/heif"
        return "video/mp4"
    return None


def _clean_dst(value: Any) -> str | None:
    """IPTC digital source type URI, trimmed (a leading space occurs in real manifests)."""
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip()


def _agent(value: Any) -> str | None:
    """``softwareAgent`` is a string (actions v1) or ``{name, version}`` (actions v2)."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        name = str(value.get("name") or "").strip()
        version = str(value.get("version") or "").strip()
        return f"{name} {version}".strip() or None
    return None


def generator_of(manifest: dict) -> str | None:
    info = manifest.get("claim_generator_info")
    if isinstance(info, list) and info and isinstance(info[0], dict) and info[0].get("name"):
        name = str(info[0]["name"])
        version = str(info[0].get("version") or "")
        return f"{name} {version}".strip()
    gen = manifest.get("claim_generator")
    return str(gen) if gen else None


def actions_of(manifest: dict, where: str) -> list[dict[str, Any]]:
    out = []
    for assertion in manifest.get("assertions") or []:
        if not isinstance(assertion, dict):
            continue
        label = str(assertion.get("label", ""))
        if not label.startswith("c2pa.actions"):
            continue
        data = assertion.get("data") or {}
        for act in data.get("actions") or []:
            if not isinstance(act, dict):
                continue
            out.append({
                "action": act.get("action"),
                "software_agent": _agent(act.get("softwareAgent")),
                "digital_source_type": _clean_dst(act.get("digitalSourceType")),
                "when": act.get("when"),
                "manifest": where,
            })
    return out


def training_mining_of(manifest: dict) -> dict[str, str]:
    """CAWG / C2PA training-and-data-mining entries, e.g. ``{"cawg.ai_generative_training": "notAllowed"}``."""
    out: dict[str, str] = {}
    for assertion in manifest.get("assertions") or []:
        if not isinstance(assertion, dict):
            continue
        if str(assertion.get("label", "")).split(".v")[0] not in ("cawg.training-mining", "c2pa.training-mining"):
            continue
        for key, entry in ((assertion.get("data") or {}).get("entries") or {}).items():
            if isinstance(entry, dict) and entry.get("use"):
                out[str(key)] = str(entry["use"])
    return out


def _walk(store: dict, label: str, where: str, seen: set[str], prov: Provenance) -> None:
    """Collect actions and source types from manifest ``label`` and, recursively, its ingredients."""
    if not label or label in seen:
        return
    seen.add(label)
    manifest = (store.get("manifests") or {}).get(label)
    if not isinstance(manifest, dict):
        return
    for act in actions_of(manifest, where):
        prov.actions.append(act)
        dst = act["digital_source_type"]
        if dst and dst not in prov.digital_source_types:
            prov.digital_source_types.append(dst)
    for key, use in training_mining_of(manifest).items():
        prov.training_mining.setdefault(key, use)
    for ing in manifest.get("ingredients") or []:
        if not isinstance(ing, dict):
            continue
        child = ing.get("active_manifest")
        if where == "active":
            prov.ingredients.append({
                "title": ing.get("title"),
                "relationship": ing.get("relationship"),
                "has_manifest": bool(child),
                "generator": generator_of((store.get("manifests") or {}).get(child) or {}) if child else None,
            })
        _walk(store, child, "ingredient", seen, prov)


def _codes(results: dict | None) -> tuple[list[str], list[str]]:
    """(failure codes, informational codes) for the active manifest."""
    if not isinstance(results, dict):
        return [], []
    active = results.get("activeManifest") or {}
    fail = [str(x.get("code")) for x in active.get("failure") or [] if isinstance(x, dict)]
    info = [str(x.get("code")) for x in active.get("informational") or [] if isinstance(x, dict)]
    return fail, info


def state_of(sdk_state: str | None, failures: list[str]) -> str:
    """Our four states from the SDK's Invalid/Valid/Trusted plus its failure codes."""
    broken = [c for c in failures if c not in NOT_CHECKABLE_OFFLINE]
    if broken:
        return "invalid"
    if (sdk_state or "").lower() == "trusted" and not failures:
        return "valid"
    if failures or (sdk_state or "").lower() != "trusted":
        # intact but the signer (or an identity claim) could not be checked against a trust list here
        return "untrusted"
    return "valid"


def read_with_sdk(data: bytes, mime: str, remote_url: str | None) -> Provenance | None:
    """Validate with c2pa-python. ``None`` when the SDK finds no manifest."""
    try:
        reader = sdk().Reader(mime, io.BytesIO(data), context=sdk_context())
    except Exception as exc:  # noqa: BLE001 - c2pa.C2paError and friends
        text = f"{type(exc).__name__}: {exc}"
        if "ManifestNotFound" in text or "JumbfNotFound" in text:
            return None
        if "Remote" in text or "remote" in text:
            return Provenance(present=True, verified=False, state="not_verified",
                              note="remote credentials not checked (offline)" + (f": {remote_url}" if remote_url else ""),
                              remote_url=remote_url)
        return Provenance(present=True, verified=False, state="not_verified",
                          note=f"Content Credentials present but unreadable by the C2PA SDK ({str(exc)[:200]})")
    try:
        store = json.loads(reader.json())
        sdk_state = reader.get_validation_state()
        failures, info = _codes(reader.get_validation_results())
    finally:
        try:
            reader.close()
        except Exception:  # noqa: BLE001
            pass
    active_label = store.get("active_manifest")
    active = (store.get("manifests") or {}).get(active_label) or {}
    sig = active.get("signature_info") or {}
    prov = Provenance(
        present=True,
        verified=True,
        state=state_of(sdk_state, failures),
        signer=sig.get("issuer") or sig.get("common_name"),
        claim_generator=generator_of(active),
        codes=failures,
        signed_at=sig.get("time"),
        remote_url=remote_url,
    )
    _walk(store, active_label, "active", set(), prov)
    notes = {
        "valid": "signature intact, signer trusted",
        "untrusted": "signature intact; signer not on a trust list known to imagerights",
        "invalid": "manifest broken or file altered after signing",
    }
    prov.note = notes.get(prov.state, "")
    if "cawg.ica.did_unavailable" in failures:
        prov.note += "; identity assertion not verified (needs the network)"
    if info:
        prov.info_codes = info
    return prov
