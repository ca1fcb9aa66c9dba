"""Content Credentials: offline C2PA reading, byte-level detection without the SDK, AI signals."""

from __future__ import annotations

import json
import socket

import pytest
from click.testing import CliRunner

from imagerights.facts import Candidate, Facts, Metadata, Provenance
from imagerights.imaging import open_source
from imagerights.provenance import NOT_VERIFIED_NOTE, read_provenance, read_provenance_bytes
from imagerights.provenance import jumbf
from imagerights.provenance import sdk as sdk_mod
from imagerights.provenance.ai import ai_signals, summary

needs_sdk = pytest.mark.skipif(not sdk_mod.HAVE_SDK, reason="c2pa-python not installed (pip install 'imagerights[c2pa]')")

# c2patool's own reports (shared/corpora/metadata/_reference/c2patool) name failures only:
# none → intact (our "untrusted", as we have no trust list), any → "invalid".
# Known disagreement: c2pa-rs 0.91 (c2pa-python 0.38) finds assertion.dataHash.mismatch in the
# Truepic sample where the older c2patool reported "data hash valid".
KNOWN_DISAGREEMENTS = {"truepic-20230212-camera": ("invalid", "assertion.dataHash.mismatch")}


def reference_reports(corpora):
    ref = corpora / "metadata" / "_reference" / "c2patool"
    for d in sorted(p for p in ref.iterdir() if p.is_dir()):
        store = json.loads((d / "manifest_store.json").read_text())
        failures = [v["code"] for v in store.get("validation_status") or []]
        matches = list((corpora / "metadata" / "c2pa").glob(f"*__{d.name}.jp*g"))
        yield d.name, failures, matches[0]


@needs_sdk
@pytest.mark.corpus
def test_states_agree_with_c2patool_reports(corpora):
    checked = 0
    for name, failures, path in reference_reports(corpora):
        prov = read_provenance(open_source(path))
        assert prov is not None and prov.present and prov.verified, name
        if name in KNOWN_DISAGREEMENTS:
            state, code = KNOWN_DISAGREEMENTS[name]
            assert prov.state == state and code in prov.codes, (name, prov.state, prov.codes)
            continue
        expected = "invalid" if failures else "untrusted"
        assert prov.state == expected, (name, prov.state, prov.codes, failures)
        checked += 1
    assert checked >= 12


@needs_sdk
@pytest.mark.corpus
def test_signed_synthetic_files(corpora):
    d = corpora / "synthetic" / "c2pa"
    for fmt in ("jpg", "png", "webp", "tif", "gif", "avif", "heic"):
        prov = read_provenance_bytes((d / f"signed.{fmt}").read_bytes())
        assert prov is not None and prov.state == "untrusted", fmt
        assert prov.signer == "C2PA Test Signing Cert"
        assert any(t.endswith("trainedAlgorithmicMedia") for t in prov.digital_source_types), fmt
    assert read_provenance(open_source(d / "signed_resaved_pillow.jpg")) is None  # Pillow dropped the manifest
    broken = read_provenance(open_source(d / "signed_then_exiftool.jpg"))
    assert broken.state == "invalid" and "assertion.dataHash.mismatch" in broken.codes


@needs_sdk
@pytest.mark.corpus
def test_ocsp_firefly_chain_actions_agents_ingredients(corpora):
    prov = read_provenance(open_source(corpora / "metadata" / "c2pa" / "c2pa-rs__ocsp.jpg"))
    assert prov.signer == "Adobe Inc."
    assert prov.claim_generator.startswith("Adobe Photoshop 26.9")
    agents = {a["software_agent"] for a in prov.actions}
    assert "Adobe Firefly" in agents
    assert {a["manifest"] for a in prov.actions} == {"active", "ingredient"}
    assert prov.ingredients and prov.ingredients[0]["has_manifest"]
    facts = Facts(path="ocsp.jpg", provenance=prov)
    kinds = {(s["source"], s["kind"]) for s in ai_signals(facts)}
    assert ("C2PA", "edited") in kinds and ("C2PA ingredient", "generated") in kinds
    assert summary(ai_signals(facts)).startswith("generated")


@needs_sdk
@pytest.mark.corpus
def test_cawg_training_mining_and_leading_space_dst(corpora):
    prov = read_provenance(open_source(corpora / "metadata" / "c2pa" / "c2pa-rs__C_with_CAWG_data.jpg"))
    assert prov.training_mining.get("cawg.ai_generative_training") == "notAllowed"
    assert prov.digital_source_types == ["http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"]
    assert ai_signals(Facts(path="x", provenance=prov)) == []  # a capture is no AI marker


@pytest.mark.corpus
def test_cloud_manifest_is_never_fetched(corpora, monkeypatch):
    def no_network(self, *args, **kwargs):
        raise AssertionError(f"network call attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket.socket, "connect_ex", no_network)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: no_network(None, *a))
    prov = read_provenance(open_source(corpora / "metadata" / "c2pa" / "c2pa-rs__cloud.jpg"))
    assert prov is not None and prov.present and not prov.verified
    assert prov.state == "not_verified"
    assert "remote credentials not checked (offline)" in prov.note
    assert prov.remote_url.startswith("https://cai-manifests.adobe.com/")


@needs_sdk
def test_sdk_context_is_offline():
    assert sdk_mod.OFFLINE_SETTINGS["verify"] == {"remote_manifest_fetch": False, "ocsp_fetch": False}


@needs_sdk
@pytest.mark.corpus
def test_sdk_remote_error_maps_to_offline_note(corpora, monkeypatch):
    """Even when the SDK itself is asked (bytes with an embedded-looking store), a Remote error is
    reported as not checked — exercised by calling the SDK directly on cloud.jpg."""
    monkeypatch.setattr(socket.socket, "connect", lambda *a, **k: (_ for _ in ()).throw(AssertionError("network")))
    data = (corpora / "metadata" / "c2pa" / "c2pa-rs__cloud.jpg").read_bytes()
    prov = sdk_mod.read_with_sdk(data, "image/jpeg", "https://example.invalid/m")
    assert prov.state == "not_verified" and "remote credentials not checked (offline)" in prov.note


@pytest.mark.corpus
def test_byte_detection_without_sdk(corpora, monkeypatch):
    import imagerights.provenance as prov_pkg

    monkeypatch.setattr(prov_pkg, "HAVE_SDK", False)
    d = corpora / "synthetic" / "c2pa"
    expected = {"jpg": "JPEG APP11", "png": "PNG caBX", "webp": "RIFF C2PA", "heic": "BMFF uuid",
                "avif": "BMFF uuid", "tif": "JUMBF", "gif": "JUMBF"}
    for fmt, container in expected.items():
        prov = read_provenance_bytes((d / f"signed.{fmt}").read_bytes())
        assert prov.present and not prov.verified and prov.state == "not_verified", fmt
        assert prov.container == container, fmt
        assert prov.note == NOT_VERIFIED_NOTE
    assert read_provenance(open_source(corpora / "metadata" / "c2pa" / "c2pa-rs__no_manifest.jpg")) is None
    assert read_provenance(open_source(corpora / "synthetic" / "sv_utf8.jpg")) is None


def test_detect_never_raises_on_garbage():
    for blob in (b"", b"\xff\xd8", b"\xff\xd8\xff\xeb\x00", b"\x89PNG\r\n\x1a\n\xff\xff\xff\xffcaBX",
                 b"RIFF\xff\xff\xff\xffWEBPC2PA", b"\x00\x00\x00\x01ftypheic" + b"\x00" * 8, bytes(range(256)) * 10):
        det = jumbf.detect(blob)
        assert isinstance(det, jumbf.Detection)


def test_ai_signals_union_of_sources():
    md = Metadata(digital_source_type="http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia",
                  ai_hints=[Candidate("PNG:parameters", "a cat, Steps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1")])
    prov = Provenance(present=True, verified=True, state="invalid", actions=[
        {"action": "c2pa.created", "software_agent": "X", "manifest": "active",
         "digital_source_type": " http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia"}])
    sig = ai_signals(Facts(path="x", metadata=md, provenance=prov))
    kinds = sorted((s["source"], s["kind"]) for s in sig)
    assert ("C2PA", "synthetic") in kinds
    assert ("PNG:parameters", "generated") in kinds
    assert any(s["kind"] == "edited" and "DigitalSourceType" in s["source"] for s in sig)
    assert next(s for s in sig if s["source"] == "C2PA")["trust"] == "invalid"


def test_no_markers_is_not_not_ai():
    assert ai_signals(Facts(path="x")) == []
    assert summary([]) == "no AI markers found"


@pytest.mark.corpus
def test_cli_provenance_text_and_json(corpora):
    runner = CliRunner()
    from imagerights.cli.main import cli

    path = str(corpora / "metadata" / "c2pa" / "c2pa-rs__cloud.jpg")
    res = runner.invoke(cli, ["provenance", path, "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "remote credentials not checked (offline)" in res.output
    res = runner.invoke(cli, ["provenance", path, str(corpora / "synthetic" / "sv_utf8.jpg"), "--format", "json"])
    data = json.loads(res.output)
    assert data[0]["provenance"]["state"] == "not_verified"
    assert data[1]["provenance"] is None and data[1]["ai_summary"].startswith("generated")


@pytest.mark.corpus
def test_provenance_never_raises_on_malformed(corpora):
    for path in (corpora / "malformed").rglob("*"):
        if path.is_file() and path.suffix != ".json":
            result = read_provenance(open_source(path)) if path.stat().st_size < 64 * 1024 * 1024 else None
            assert result is None or result.present
