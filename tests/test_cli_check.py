"""`imagerights check` end to end on the bundled sample and generated files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from imagerights.cli.main import cli
from imagerights.resources import samples_dir

SAMPLE = samples_dir() / "stortorget.jpg"


def run(*args, **kw):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False, **kw)


def test_sample_check_text_in_english():
    r = run("check", SAMPLE, "--lang", "en")
    assert r.exit_code == 0, r.output
    assert "[REVIEW]" in r.output
    assert "CC BY-SA 4.0" in r.output
    assert "PRI001" in r.output  # GPS position
    assert "Anna Andersson" in r.output


def test_sample_check_swedish_credit_links_swedish_deed():
    r = run("check", SAMPLE, "--lang", "sv")
    assert "GRANSKA" in r.output
    assert "deed.sv" in r.output
    assert "Stortorget i snö" in r.output


def test_sample_json_schema_shape():
    r = run("check", SAMPLE, "--format", "json", "--lang", "en")
    doc = json.loads(r.output)
    assert doc["schema"] == "imagerights.check/1"
    res = doc["results"][0]
    assert set(res) >= {"path", "verdict", "facts", "findings", "attribution", "matches"}
    facts = res["facts"]
    assert facts["creators"] == ["Anna Andersson"]
    assert facts["license"]["id"] == "CC-BY-SA-4.0" and facts["license"]["found_in"]
    assert facts["gps"] is True
    assert facts["digital_source_type"].endswith("digitalCapture")
    for f in res["findings"]:
        assert set(f) >= {"code", "severity", "message", "citation"}
    assert set(res["attribution"]) >= {"text", "html", "markdown"}


def test_fail_on_warning_exits_1_and_never_exits_0():
    assert run("check", SAMPLE, "--fail-on", "warning").exit_code == 1
    assert run("check", SAMPLE, "--fail-on", "never", "--edits", "text", "--account", "company").exit_code == 0


def test_planned_use_changes_the_verdict():
    r = run("check", SAMPLE, "--edits", "crop,text", "--publish-license", "CC-BY-NC-ND-4.0", "--format", "json")
    res = json.loads(r.output)["results"][0]
    assert res["verdict"] == "stop"
    assert {"LIC005", "ATT004"} <= {f["code"] for f in res["findings"]}
    assert r.exit_code == 1


def test_usage_errors_exit_2(tmp_path):
    assert run("check", tmp_path / "missing.jpg").exit_code == 2
    assert run("check", SAMPLE, "--edits", "sparkles").exit_code == 2
    assert run("check", SAMPLE, "--publish-license", "NOPE-1.0").exit_code == 2


def test_unreadable_input_exits_2_with_a_finding(tmp_path):
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 this is not really a jpeg")
    r = run("check", bad, "--format", "json")
    assert r.exit_code == 2
    res = json.loads(r.output)["results"][0]
    assert res["verdict"] == "stop"
    assert "FIL001" in {f["code"] for f in res["findings"]}


def test_several_files_one_document(tmp_path):
    from PIL import Image

    png = tmp_path / "plain.png"
    Image.new("RGB", (64, 48), (10, 120, 200)).save(png)
    r = run("check", SAMPLE, png, "--format", "json")
    doc = json.loads(r.output)
    assert [Path(x["path"]).name for x in doc["results"]] == ["stortorget.jpg", "plain.png"]
    assert "MET001" in {f["code"] for f in doc["results"][1]["findings"]}


def test_python_dash_m_help():
    out = subprocess.run([sys.executable, "-m", "imagerights", "--help"], capture_output=True, text=True, check=True)
    assert "check" in out.stdout and "attribute" in out.stdout


def test_rules_command_lists_codes():
    r = run("rules", "LIC00", "--lang", "sv")
    assert "LIC001" in r.output and "IngaBearbetningar" in r.output


@pytest.mark.parametrize("lang,word", [("sv", "GRANSKA"), ("en", "REVIEW")])
def test_lang_from_environment(lang, word, monkeypatch):
    monkeypatch.setenv("LANG", "sv_SE.UTF-8" if lang == "sv" else "en_GB.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("IMAGERIGHTS_LANG", raising=False)
    assert word in run("check", SAMPLE).output
