"""``imagerights licenses list | show | identify``."""

from __future__ import annotations

import json

from click.testing import CliRunner

from imagerights.cli.licenses import command as licenses


def run(*args):
    return CliRunner().invoke(licenses, list(args), catch_exceptions=False)


def test_list_all_and_by_kind():
    res = run("list")
    assert res.exit_code == 0
    assert len(res.output.strip().splitlines()) == 646
    res = run("list", "--kind", "statement")
    ids = [line.split()[0] for line in res.output.strip().splitlines()]
    assert ids == ["LicenseRef-No-Known-Copyright-Restrictions", "LicenseRef-US-Government-Work"]


def test_list_json_filters():
    res = run("list", "--version", "4.0", "--format", "json")
    doc = json.loads(res.output)
    assert sorted(d["id"] for d in doc) == ["CC-BY-4.0", "CC-BY-NC-4.0", "CC-BY-NC-ND-4.0", "CC-BY-NC-SA-4.0",
                                            "CC-BY-ND-4.0", "CC-BY-SA-4.0"]
    retired = json.loads(run("list", "--status", "retired", "--format", "json").output)
    assert len(retired) == 31 and all(d["retired_on"] for d in retired)


def test_list_in_swedish():
    res = run("list", "--kind", "cc-license", "--version", "4.0", "--lang", "sv")
    assert "Erkännande-DelaPåSammaVillkor 4.0 Internationell" in res.output


def test_show_text_and_json():
    res = run("show", "CC-BY-NC-ND-4.0", "--lang", "en")
    assert res.exit_code == 0
    assert "CC BY-NC-ND 4.0" in res.output
    assert "https://creativecommons.org/licenses/by-nc-nd/4.0/" in res.output
    assert "§1(h), §2(a)(1)" in res.output
    sv = run("show", "CC-BY-NC-ND-4.0", "--lang", "sv")
    assert "deed.sv" in sv.output and "Erkännande-Icke-Kommersiell-IngaBearbetningar 4.0 Internationell" in sv.output
    doc = json.loads(run("show", "LicenseRef-CC-BY-NC-SA-2.5-SE", "--format", "json").output)
    assert doc["names"]["sv"] == "Erkännande-IckeKommersiell-DelaLika 2.5 Sverige"
    assert doc["conditions"]["title_required"] is True
    assert doc["clauses"]["attribution"] == "§4(d)"


def test_show_accepts_anything_identify_recognises():
    res = run("show", "https://i.creativecommons.org/l/by-sa/3.0/88x31.png")
    assert res.exit_code == 0 and res.output.startswith("CC-BY-SA-3.0")


def test_show_unknown_is_a_usage_error():
    assert run("show", "NOT-A-LICENCE").exit_code == 2


def test_identify():
    res = run("identify", "Erkännande-DelaLika 2.5 Sverige")
    assert res.exit_code == 0
    assert res.output.startswith("LicenseRef-CC-BY-SA-2.5-SE  CC BY-SA 2.5 SE")
    res = run("identify", "Erkännande 4.0 Sverige", "--lang", "sv")
    assert res.output.startswith("CC-BY-4.0") and "ingen anpassad licens" in res.output
    doc = json.loads(run("identify", "flickr:7", "--format", "json").output)
    assert doc["id"] == "LicenseRef-No-Known-Copyright-Restrictions" and doc["how"] == "flickr"


def test_identify_not_recognised_exits_1():
    res = run("identify", "just some words")
    assert res.exit_code == 1


def test_group_is_registered_in_the_main_cli():
    from imagerights.cli import main

    assert {"licenses", "attribute"} <= set(main.cli.list_commands(None))
    assert main.cli.get_command(None, "licenses") is not None
