"""The licence catalogue as data: all 639 CC tools generated reproducibly, the hand-written
definitions, the schema fields the rules rely on, and the data shipped inside a wheel."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from imagerights.licensing.catalogue import Catalogue, default_catalogue
from imagerights.licensing.model import KINDS, license_from_dict

ROOT = Path(__file__).resolve().parent.parent
CSV_PATH = ROOT / "scripts" / "data" / "cc-legal-tools.csv"
CC_DIR = ROOT / "licenses" / "cc"
OTHER_DIR = ROOT / "licenses" / "other"
SPDX_REF = re.compile(r"^LicenseRef-[A-Za-z0-9.\-]+$")


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return default_catalogue()


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    with CSV_PATH.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _gen_module():
    spec = importlib.util.spec_from_file_location("gen_cc_licenses", ROOT / "scripts" / "gen_cc_licenses.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# ------------------------------------------------------------------------------- inventory
def test_all_639_cc_tools_load(cat, rows):
    assert len(rows) == 639
    cc = [lic for lic in cat if lic.family == "creativecommons"]
    assert len(cc) == 639
    assert sum(1 for lic in cc if lic.kind == "cc-pd-tool") == 3
    assert sum(1 for lic in cc if lic.kind == "cc-license") == 636
    assert len(list(CC_DIR.glob("*.toml"))) == 639


def test_every_csv_row_has_exactly_one_definition(cat, rows):
    by_url = {lic.canonical_url: lic for lic in cat if lic.family == "creativecommons"}
    assert len(by_url) == 639
    for row in rows:
        lic = by_url[row["CANONICAL_URL"]]
        assert (lic.unit, lic.version, lic.jurisdiction) == (row["UNIT"], row["VERSION"], row["JURISDICTION"])
        assert lic.spdx == row["SPDX_IDENTIFIER"]
        assert lic.identifier == row["IDENTIFIER"]
        if row["SPDX_IDENTIFIER"]:
            assert lic.id == row["SPDX_IDENTIFIER"]
        else:
            assert SPDX_REF.match(lic.id), lic.id
            assert lic.id.startswith("LicenseRef-CC-")


def test_ids_unique_valid_and_match_file_names(cat):
    ids = [lic.id for lic in cat]
    assert len(ids) == len({i.lower() for i in ids})
    for lic in cat:
        assert Path(lic.source_file).stem == lic.id
        assert lic.kind in KINDS
        assert lic.spdx or SPDX_REF.match(lic.id), lic.id


def test_the_hand_written_definitions(cat):
    expected = {
        "LicenseRef-Unsplash": "platform-license",
        "LicenseRef-Pixabay": "platform-license",
        "LicenseRef-No-Known-Copyright-Restrictions": "statement",
        "LicenseRef-US-Government-Work": "statement",
        "LicenseRef-All-Rights-Reserved": "all-rights-reserved",
        "LicenseRef-Colourbox": "stock-license",
        "LicenseRef-Own": "own",
    }
    for lic_id, kind in expected.items():
        lic = cat[lic_id]
        assert lic.kind == kind
        assert lic.names.sv and lic.names.en
        assert lic.note("sv") and lic.note("en")
    for lic_id in expected:
        if lic_id != "LicenseRef-Own":
            assert cat[lic_id].citations, lic_id
    assert len(cat) == 639 + len(expected) == len(list(OTHER_DIR.glob("*.toml"))) + 639


def test_non_licence_data_files_are_not_loaded(cat):
    assert cat.get("default") is None  # licenses/channels.toml, policy/, brands/ hold other data


# ------------------------------------------------------------------------------- reproducible
def test_generator_output_is_committed_and_up_to_date():
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_cc_licenses.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_generator_is_deterministic_and_every_file_parses():
    gen = _gen_module()
    first, second = gen.generate(), gen.generate()
    assert first == second
    assert len(first) == 639
    for name, text in first.items():
        doc = tomllib.loads(text)
        assert doc["id"] + ".toml" == name
        license_from_dict(doc, name)


def test_generator_refuses_a_changed_csv(tmp_path):
    gen = _gen_module()
    data = CSV_PATH.read_text(encoding="utf-8").splitlines()
    (tmp_path / "short.csv").write_text("\n".join(data[:-1]) + "\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        gen.read_rows(tmp_path / "short.csv")


# ------------------------------------------------------------------------------- names
def test_swedish_names_of_the_current_tools(cat):
    expected = {
        "CC-BY-4.0": "Erkännande 4.0 Internationell",
        "CC-BY-SA-4.0": "Erkännande-DelaPåSammaVillkor 4.0 Internationell",
        "CC-BY-ND-4.0": "Erkännande-IngaBearbetningar 4.0 Internationell",
        "CC-BY-NC-4.0": "Erkännande-Icke-Kommersiell 4.0 Internationell",
        "CC-BY-NC-SA-4.0": "Erkännande-Icke-Kommersiell-DelaPåSammaVillkor 4.0 Internationell",
        "CC-BY-NC-ND-4.0": "Erkännande-Icke-Kommersiell-IngaBearbetningar 4.0 Internationell",
        "CC0-1.0": "CC0 1.0 Universiell",
    }
    for lic_id, sv in expected.items():
        assert cat[lic_id].names.sv == sv
    assert "Erkännande-DelaLika 4.0 Internationell" in cat["CC-BY-SA-4.0"].names.aliases
    assert "Erkännande-IckeKommersiell-DelaLika 4.0 Internationell" in cat["CC-BY-NC-SA-4.0"].names.aliases
    # aliases are kept once per case-insensitive spelling (recognition ignores case)
    assert "erkännande-ickekommersiell-ingabearbetningar 4.0 internationell" in {
        a.casefold() for a in cat["CC-BY-NC-ND-4.0"].names.aliases}


def test_swedish_ports_and_older_versions(cat):
    se = cat["LicenseRef-CC-BY-NC-SA-2.5-SE"]
    assert se.names.sv == "Erkännande-IckeKommersiell-DelaLika 2.5 Sverige"
    assert se.names.en == "Attribution-NonCommercial-ShareAlike 2.5 Sweden"
    assert "Erkännande-IckeKommersiell-DelaLika 2.5" in se.names.aliases
    assert se.canonical_url == "https://creativecommons.org/licenses/by-nc-sa/2.5/se/"
    assert se.deed("sv") == "https://creativecommons.org/licenses/by-nc-sa/2.5/se/deed.sv"
    assert se.ported and se.jurisdiction == "se" and se.language_default == "sv"
    assert sorted(l.unit for l in cat if l.jurisdiction == "se") == sorted(
        ["by", "by-sa", "by-nd", "by-nc", "by-nc-sa", "by-nc-nd"])
    assert not any(l.jurisdiction == "se" and l.version != "2.5" for l in cat)  # no 3.0 SE, no 4.0 SE
    assert cat["CC-BY-NC-SA-3.0"].names.sv == "Erkännande-IckeKommersiell-DelaLika 3.0 Unported"
    assert cat["CC-BY-SA-3.0-DE"].names.en == "Attribution-ShareAlike 3.0 Germany"
    assert cat["CC-BY-SA-3.0-DE"].names.sv == "Erkännande-DelaLika 3.0 Tyskland"
    assert cat["CC-BY-ND-3.0"].names.en == "Attribution-NoDerivs 3.0 Unported"
    assert cat["CC-BY-ND-4.0"].names.en == "Attribution-NoDerivatives 4.0 International"


def test_short_names(cat):
    assert cat["CC-BY-SA-4.0"].names.short == "CC BY-SA 4.0"
    assert cat["CC0-1.0"].names.short == "CC0 1.0"
    assert cat["CC-PDM-1.0"].names.short == "Public Domain Mark 1.0"
    assert cat["CC-BY-3.0-IGO"].names.short == "CC BY 3.0 IGO"
    assert cat["LicenseRef-CC-SAMPLING-PLUS-1.0"].names.short == "CC Sampling+ 1.0"
    assert cat["CC-BY-NC-ND-1.0"].unit == "by-nd-nc"


# ------------------------------------------------------------------------------- status
def test_retired_units_and_dates(cat):
    expected = {"nc": "2004-05-25", "nc-sa": "2004-05-25", "nd": "2004-05-25", "nd-nc": "2004-05-25",
                "sa": "2004-05-25", "devnations": "2007-06-04", "sampling": "2007-06-04",
                "certification": "2010-10-11", "sampling+": "2011-09-12", "nc-sampling+": "2011-09-12"}
    retired = [l for l in cat if l.retired]
    assert retired
    for lic in retired:
        assert lic.retired_on == dt.date.fromisoformat(expected[lic.unit]), lic.id
    for lic in cat:
        if lic.unit in expected:
            assert lic.retired, lic.id
    assert cat["LicenseRef-CC-SAMPLING-PLUS-1.0"].retired_on == dt.date(2011, 9, 12)
    assert cat["CC-PDDC"].retired and cat["CC-PDDC"].kind == "cc-pd-tool"
    assert not cat["CC-BY-NC-ND-1.0"].retired  # the old element order is not retired
    assert cat["CC-BY-SA-3.0"].status == "superseded" and cat["CC-BY-SA-3.0"].replaced_by == "CC-BY-SA-4.0"
    assert cat["CC-BY-SA-4.0"].status == "active"


# ------------------------------------------------------------------------------- semantics
def test_permissions_per_unit(cat):
    by, nd, nc, sa = cat["CC-BY-4.0"], cat["CC-BY-ND-4.0"], cat["CC-BY-NC-3.0"], cat["CC-BY-SA-2.0"]
    assert (by.permissions.commercial, by.permissions.share_adapted, by.sa) == (True, True, False)
    assert nd.nd and not nd.permissions.adapt and nd.permissions.commercial
    assert nc.nc and nc.permissions.adapt and "commercial-use" in nc.prohibits
    assert sa.sa and not sa.nc and not sa.nd
    assert cat["CC-BY-NC-ND-1.0"].nd and cat["CC-BY-NC-ND-1.0"].nc
    assert "high-income-nation-use" in cat["LicenseRef-CC-DEVNATIONS-2.0"].prohibits
    assert not cat["LicenseRef-CC-SAMPLING-1.0"].permissions.share
    for pd in ("CC0-1.0", "CC-PDM-1.0"):
        lic = cat[pd]
        assert lic.is_pd_tool and lic.permissions.commercial and lic.permissions.share_adapted
        assert lic.conditions.attribution == "recommended" and lic.attribution_verb == "marked"


def test_conditions_are_version_aware(cat):
    assert not cat["CC-BY-4.0"].conditions.title_required
    for lic_id in ("CC-BY-3.0", "CC-BY-2.0", "CC-BY-SA-2.5", "CC-BY-NC-ND-1.0", "LicenseRef-CC-BY-NC-SA-2.5-SE"):
        assert cat[lic_id].conditions.title_required, lic_id
    assert cat["CC-BY-ND-4.0"].conditions.indicate_modifications == "always"
    assert cat["CC-BY-3.0"].conditions.indicate_modifications == "adaptations"
    assert cat["CC-BY-4.0"].conditions.link_to_source == "if_practicable"
    # retired non-BY 1.0 units require only the licence notice, not attribution
    for lic_id in ("LicenseRef-CC-NC-1.0", "LicenseRef-CC-ND-NC-1.0", "CC-SA-1.0"):
        lic = cat[lic_id]
        assert lic.conditions.attribution == "none" and lic.conditions.notice and not lic.conditions.title_required
    # the sampling family requires attribution
    assert cat["LicenseRef-CC-SAMPLING-PLUS-1.0"].conditions.attribution == "required"
    assert all(not l.conditions.relicense_allowed for l in cat if l.kind == "cc-license")


def test_adapter_licences_follow_the_faq_chart(cat):
    assert cat["CC-BY-SA-4.0"].conditions.adapter_licenses == ("unit:by-sa@>=4.0", "by-sa-compatible")
    assert cat["CC-BY-SA-2.0"].conditions.adapter_licenses == ("unit:by-sa@>=2.0",)
    assert cat["CC-BY-SA-1.0"].conditions.adapter_licenses == ("CC-BY-SA-1.0",)  # 1.0: only this licence
    assert cat["CC-BY-NC-SA-4.0"].conditions.adapter_licenses[0] == "unit:by-nc-sa@>=4.0"
    assert cat["CC-BY-ND-4.0"].conditions.adapter_licenses == ()
    assert cat["CC-BY-NC-ND-2.0"].conditions.adapter_licenses == ()
    by = cat["CC-BY-4.0"].conditions.adapter_licenses
    assert "unit:by-nc-nd" in by and "~pd" in by
    bync = cat["CC-BY-NC-4.0"].conditions.adapter_licenses
    assert "unit:by-nc-nd" in bync and "~unit:by" in bync and "unit:by" not in bync
    assert cat["CC0-1.0"].conditions.adapter_licenses == ("any",)


def test_clauses_cite_the_right_letters(cat):
    assert cat["CC-BY-SA-4.0"].clause("attribution") == "§3(a)(1)"
    assert cat["CC-BY-SA-4.0"].clause("modifications") == "§3(a)(1)(B)"
    assert cat["CC-BY-SA-4.0"].clause("share_alike") == "§3(b)"
    assert cat["CC-BY-SA-4.0"].clause("no_additional_terms") == "§2(a)(5)(C)"
    assert cat["CC-BY-4.0"].clause("no_additional_terms") == "§2(a)(5)(B)"  # no 'additional offer' item
    assert cat["CC-BY-ND-4.0"].clause("adapt") == "§2(a)(1)(B), §1(a)"
    assert cat["CC-BY-4.0"].clause("technical_changes") == "§2(a)(4)"
    # NonCommercial is defined at a different letter in each NC licence
    assert cat["CC-BY-NC-4.0"].clause("commercial").startswith("§1(i)")
    assert cat["CC-BY-NC-SA-4.0"].clause("commercial").startswith("§1(k)")
    assert cat["CC-BY-NC-ND-4.0"].clause("commercial").startswith("§1(h)")
    # 3.0: credit clause after ShareAlike and NonCommercial
    assert cat["CC-BY-3.0"].clause("attribution") == "§4(b)"
    assert cat["CC-BY-SA-3.0"].clause("share_alike") == "§4(b)"
    assert cat["CC-BY-SA-3.0"].clause("attribution") == "§4(c)"
    assert cat["CC-BY-NC-SA-3.0"].clause("commercial") == "§4(c)"
    assert cat["CC-BY-NC-SA-3.0"].clause("attribution") == "§4(d)"
    assert cat["CC-BY-NC-SA-3.0"].clause("title") == "§4(d)(ii)"
    assert cat["CC-BY-3.0"].clause("modifications") == "§3(b), §4(b)(iv)"
    assert cat["LicenseRef-CC-BY-NC-SA-2.5-SE"].clause("attribution") == "§4(d)"
    assert cat["LicenseRef-CC-BY-NC-SA-2.5-SE"].clause("adapted_material") == "§1(c)"
    assert "port may number" in cat["CC-BY-SA-3.0-DE"].clauses_source
    for lic in cat:
        if lic.kind == "cc-license":
            for topic in ("attribution", "adapt", "commercial", "no_additional_terms", "technical_changes"):
                assert lic.clause(topic), (lic.id, topic)
            if lic.sa:
                assert lic.clause("share_alike"), lic.id


def test_flickr_ids_0_to_16_each_map_to_one_definition(cat):
    seen = {}
    for lic in cat:
        for n in lic.match.flickr_license_ids:
            assert n not in seen, n
            seen[n] = lic.id
    assert sorted(seen) == list(range(17))
    assert seen[0] == "LicenseRef-All-Rights-Reserved"
    assert seen[4] == "CC-BY-2.0" and seen[5] == "CC-BY-SA-2.0"
    assert seen[7] == "LicenseRef-No-Known-Copyright-Restrictions"
    assert seen[8] == "LicenseRef-US-Government-Work"
    assert seen[9] == "CC0-1.0" and seen[10] == "CC-PDM-1.0"
    assert [seen[n] for n in range(11, 17)] == ["CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-ND-4.0", "CC-BY-NC-4.0",
                                                  "CC-BY-NC-SA-4.0", "CC-BY-NC-ND-4.0"]


def test_pixabay_cc0_rule_is_data(cat):
    pix = cat["LicenseRef-Pixabay"]
    assert pix.license_on(dt.date(2018, 5, 1)) == "CC0-1.0"
    assert pix.license_on(dt.date(2019, 1, 9)) is None
    assert pix.license_on(None) is None


def test_stock_template_has_the_agreement_fields(cat):
    cb = cat["LicenseRef-Colourbox"]
    for key in ("valid_from", "valid_until", "after_expiry", "editorial_only", "editorial_only_flag", "channels"):
        assert key in cb.stock
    assert cb.conditions.credit_format == "Colourbox.com / {photographer}"
    assert not cb.conditions.relicense_allowed


# ------------------------------------------------------------------------------- packaging
@pytest.mark.slow
def test_catalogue_ships_inside_an_installed_wheel(tmp_path):
    """Build the wheel, install it (no deps) into a fresh venv and load the catalogue from outside
    the checkout: the data must come from imagerights/_data/licenses inside the package."""
    wheels = tmp_path / "wheels"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
                            "-q", "-w", str(wheels)], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next(wheels.glob("imagerights-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, capture_output=True)
    py = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    inst = subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "-q", str(wheel)],
                          capture_output=True, text=True)
    assert inst.returncode == 0, inst.stderr[-2000:]
    code = ("from imagerights.licensing.catalogue import default_catalogue\n"
            "from imagerights.resources import licenses_dir\n"
            "c = default_catalogue()\n"
            "print(len(c), c['LicenseRef-CC-BY-NC-SA-2.5-SE'].names.sv, licenses_dir())\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    run = subprocess.run([str(py), "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stderr[-2000:]
    count, _, rest = run.stdout.partition(" ")
    assert int(count) == 646
    assert "Erkännande-IckeKommersiell-DelaLika 2.5 Sverige" in rest
    assert "_data" in rest and str(ROOT) not in rest


# ------------------------------------------------------------------------------- parse cache
def test_parse_cache_gives_the_same_catalogue_and_follows_edits(tmp_path, monkeypatch):
    import shutil

    monkeypatch.setenv("IMAGERIGHTS_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "licenses"
    shutil.copytree(ROOT / "licenses", root)
    plain = Catalogue.from_dir(root)
    first = Catalogue.from_dir(root, use_cache=True)  # writes the cache
    assert list((tmp_path / "cache").glob("catalogue-*.pickle"))
    second = Catalogue.from_dir(root, use_cache=True)  # reads it
    assert list(plain) == list(first) == list(second)
    assert second["LicenseRef-CC-SAMPLING-PLUS-1.0"].retired_on == dt.date(2011, 9, 12)  # dates survive
    assert second["LicenseRef-Pixabay"].license_on(dt.date(2018, 1, 1)) == "CC0-1.0"
    # an edited definition is picked up (size/mtime change the key), the stale cache file is replaced
    f = root / "other" / "LicenseRef-Own.toml"
    f.write_text(f.read_text(encoding="utf-8").replace('short = "Own image"', 'short = "Own image (edited)"'),
                 encoding="utf-8")
    third = Catalogue.from_dir(root, use_cache=True)
    assert third["LicenseRef-Own"].names.short == "Own image (edited)"
    assert len(list((tmp_path / "cache").glob("catalogue-*.pickle"))) == 1
    # a corrupt cache file is ignored and rebuilt
    for c in (tmp_path / "cache").glob("catalogue-*.pickle"):
        c.write_bytes(b"not a pickle")
    assert list(Catalogue.from_dir(root, use_cache=True)) == list(third)
