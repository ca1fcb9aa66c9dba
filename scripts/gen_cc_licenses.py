#!/usr/bin/env python3
"""Generate ``licenses/cc/*.toml``: one licence definition per Creative Commons legal tool.

Input: ``scripts/data/cc-legal-tools.csv`` (all 639 CC tools, from cc-legal-tools-data, CC0)
and ``scripts/data/titles-sv.csv`` (official Swedish 4.0/CC0 titles and older wordings).
Everything hand-maintained — Swedish and English names, retirement dates, clause numbers,
adapter licences, Flickr ids, aliases — lives in the tables below, so a run is reproducible:
the same input gives byte-identical output.

    python scripts/gen_cc_licenses.py            # (re)write licenses/cc/
    python scripts/gen_cc_licenses.py --check    # exit 1 if licenses/cc/ is not up to date

Sources of the tables: scripts/data/SOURCE.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
CSV_PATH = DATA / "cc-legal-tools.csv"
TITLES_SV_PATH = DATA / "titles-sv.csv"
OUT_DIR = ROOT / "licenses" / "cc"
CSV_SHA256 = "d986a591ab31b96776101f2ebb70b41be17067258f26e40e94c776aad560fc1b"
CSV_SOURCE = "creativecommons/cc-legal-tools-data@b5f0188 config/cc-legal-tools.csv (CC0)"
EXPECTED_TOOLS = 639

# ------------------------------------------------------------------------------------------
# Names. English unit titles as cc-legal-tools-app composes them ("NoDerivs" before 4.0,
# "NoDerivatives" in 4.0); Swedish from the Deeds & UX translation (django.po, sv).
UNIT_EN = {
    "by": "Attribution",
    "by-sa": "Attribution-ShareAlike",
    "by-nd": "Attribution-NoDerivs",
    "by-nc": "Attribution-NonCommercial",
    "by-nc-sa": "Attribution-NonCommercial-ShareAlike",
    "by-nc-nd": "Attribution-NonCommercial-NoDerivs",
    "by-nd-nc": "Attribution-NoDerivs-NonCommercial",
    "nc": "NonCommercial",
    "nd": "NoDerivs",
    "sa": "ShareAlike",
    "nc-sa": "NonCommercial-ShareAlike",
    "nd-nc": "NoDerivs-NonCommercial",
    "sampling": "Sampling",
    "sampling+": "Sampling Plus",
    "nc-sampling+": "NonCommercial Sampling Plus",
    "devnations": "Developing Nations",
}
UNIT_SV = {
    "by": "Erkännande",
    "by-sa": "Erkännande-DelaLika",
    "by-nd": "Erkännande-IngaBearbetningar",
    "by-nc": "Erkännande-IckeKommersiell",
    "by-nc-sa": "Erkännande-IckeKommersiell-DelaLika",
    "by-nc-nd": "Erkännande-IckeKommersiell-IngaBearbetningar",
    "by-nd-nc": "Erkännande-IngaBearbetningar-IckeKommersiell",
    "nc": "IckeKommersiell",
    "nd": "IngaBearbetningar",
    "sa": "DelaLika",
    "nc-sa": "IckeKommersiell-DelaLika",
    "nd-nc": "IngaBearbetningar-IckeKommersiell",
    "sampling": "Sampling",
    "sampling+": "Sampling Plus",
    "nc-sampling+": "IckeKommersiell Sampling Plus",
    "devnations": "Utvecklingsländer",
}
# Short-name spelling of the non-element units (Openverse style: "CC Sampling+ 1.0").
UNIT_SHORT = {"sampling": "Sampling", "sampling+": "Sampling+", "nc-sampling+": "NC-Sampling+",
              "devnations": "DevNations"}

# cc-legal-tools-app i18n JURISDICTION_NAMES (English) and django.po (Swedish; gaps filled).
JUR_EN = {
    "am": "Armenia", "ar": "Argentina", "at": "Austria", "au": "Australia", "az": "Azerbaijan",
    "be": "Belgium", "bg": "Bulgaria", "br": "Brazil", "ca": "Canada", "ch": "Switzerland",
    "cl": "Chile", "cn": "China Mainland", "co": "Colombia", "cr": "Costa Rica", "cz": "Czech Republic",
    "de": "Germany", "dk": "Denmark", "ec": "Ecuador", "ee": "Estonia", "eg": "Egypt", "es": "Spain",
    "fi": "Finland", "fr": "France", "ge": "Georgia", "gr": "Greece", "gt": "Guatemala",
    "hk": "Hong Kong", "hr": "Croatia", "hu": "Hungary", "ie": "Ireland", "igo": "IGO", "il": "Israel",
    "in": "India", "it": "Italy", "jo": "Jordan", "jp": "Japan", "kr": "Korea", "lu": "Luxembourg",
    "mk": "Macedonia", "mt": "Malta", "mx": "Mexico", "my": "Malaysia", "ng": "Nigeria",
    "nl": "Netherlands", "no": "Norway", "nz": "New Zealand", "pe": "Peru", "ph": "Philippines",
    "pl": "Poland", "pr": "Puerto Rico", "pt": "Portugal", "ro": "Romania", "rs": "Serbia",
    "scotland": "UK: Scotland", "se": "Sweden", "sg": "Singapore", "si": "Slovenia", "th": "Thailand",
    "tw": "Taiwan", "ua": "Ukraine", "ug": "Uganda", "uk": "UK: England & Wales", "us": "United States",
    "ve": "Venezuela", "vn": "Vietnam", "za": "South Africa",
}
JUR_SV = {
    "am": "Armenien", "ar": "Argentina", "at": "Österrike", "au": "Australien", "az": "Azerbajdzjan",
    "be": "Belgien", "bg": "Bulgarien", "br": "Brasilien", "ca": "Kanada", "ch": "Schweiz",
    "cl": "Chile", "cn": "Kina", "co": "Colombia", "cr": "Costa Rica", "cz": "Tjeckien",
    "de": "Tyskland", "dk": "Danmark", "ec": "Ecuador", "ee": "Estland", "eg": "Egypten", "es": "Spanien",
    "fi": "Finland", "fr": "Frankrike", "ge": "Georgien", "gr": "Grekland", "gt": "Guatemala",
    "hk": "Hong Kong", "hr": "Kroatien", "hu": "Ungern", "ie": "Irland", "igo": "IGO", "il": "Israel",
    "in": "Indien", "it": "Italien", "jo": "Jordanien", "jp": "Japan", "kr": "Korea", "lu": "Luxemburg",
    "mk": "Makedonien", "mt": "Malta", "mx": "Mexiko", "my": "Malaysia", "ng": "Nigeria",
    "nl": "Nederländerna", "no": "Norge", "nz": "Nya Zeeland", "pe": "Peru", "ph": "Filippinerna",
    "pl": "Polen", "pr": "Puerto Rico", "pt": "Portugal", "ro": "Rumänien", "rs": "Serbien",
    "scotland": "UK: Skottland", "se": "Sverige", "sg": "Singapore", "si": "Slovenien", "th": "Thailand",
    "tw": "Taiwan", "ua": "Ukraina", "ug": "Uganda", "uk": "UK: England & Wales", "us": "Förenta Staterna",
    "ve": "Venezuela", "vn": "Vietnam", "za": "Sydafrika",
}

# cc-legal-tools-app legal_tools/models.py UNITS_DEPRECATED (units, all versions and ports).
RETIRED = {
    "nc": "2004-05-25", "nc-sa": "2004-05-25", "nd": "2004-05-25", "nd-nc": "2004-05-25", "sa": "2004-05-25",
    "devnations": "2007-06-04", "sampling": "2007-06-04",
    "certification": "2010-10-11",
    "nc-sampling+": "2011-09-12", "sampling+": "2011-09-12",
}
ELEMENT_UNITS = ("by", "by-sa", "by-nd", "by-nc", "by-nc-sa", "by-nc-nd", "by-nd-nc")

# Flickr API licence ids (flickr.photos.licenses.getInfo, 2025): 1–6 = 2.0 Generic, 11–16 = 4.0.
FLICKR_IDS = {
    ("by-nc-sa", "2.0"): 1, ("by-nc", "2.0"): 2, ("by-nc-nd", "2.0"): 3, ("by", "2.0"): 4,
    ("by-sa", "2.0"): 5, ("by-nd", "2.0"): 6, ("zero", "1.0"): 9, ("mark", "1.0"): 10,
    ("by", "4.0"): 11, ("by-sa", "4.0"): 12, ("by-nd", "4.0"): 13, ("by-nc", "4.0"): 14,
    ("by-nc-sa", "4.0"): 15, ("by-nc-nd", "4.0"): 16,
}
# Flickr's older licence labels (still in code in the wild) name the 2.0 Generic licences.
FLICKR_LABELS = {
    "by": "Attribution License", "by-sa": "Attribution-ShareAlike License",
    "by-nd": "Attribution-NoDerivs License", "by-nc": "Attribution-NonCommercial License",
    "by-nc-sa": "Attribution-NonCommercial-ShareAlike License",
    "by-nc-nd": "Attribution-NonCommercial-NoDerivs License",
}

# Hand-written aliases and extra URL paths of individual tools (key = generated id).
EXTRA_ALIASES = {
    "CC0-1.0": ["CC0", "CC-0", "CC Zero", "cc-zero", "Creative Commons Zero", "Public Domain Dedication (CC0)",
                "CC0 1.0 Universal (CC0 1.0) Public Domain Dedication", "CC0 Public Domain Dedication"],
    "CC-PDM-1.0": ["PDM", "PDM 1.0", "Public Domain Mark", "Creative Commons Public Domain Mark 1.0"],
    "CC-PDDC": ["Public Domain Dedication and Certification", "Public Domain Certification",
                "Creative Commons Public Domain Dedication and Certification"],
    "CC-BY-NC-ND-1.0": ["CC BY-NC-ND 1.0", "Attribution-NonCommercial-NoDerivs 1.0 Generic",
                        "Attribution-NonCommercial-NoDerivs 1.0"],
    "LicenseRef-CC-SAMPLING-PLUS-1.0": ["Sampling Plus 1.0", "Sampling+ 1.0", "CC Sampling Plus 1.0"],
    "LicenseRef-CC-NC-SAMPLING-PLUS-1.0": ["NonCommercial Sampling Plus 1.0", "NC Sampling Plus 1.0"],
}
EXTRA_PATHS = {
    "CC0-1.0": ["/share-your-work/public-domain/cc0/"],
    "CC-PDM-1.0": ["/licenses/mark/1.0/"],
    "CC-PDDC": ["/licenses/publicdomain/"],
}
SHORT_OVERRIDE = {
    "CC0-1.0": "CC0 1.0",
    "CC-PDM-1.0": "Public Domain Mark 1.0",
    "CC-PDDC": "Public Domain Certification 1.0 US",
}
SV_OVERRIDE = {
    "CC-PDM-1.0": "Public Domain Mark 1.0",
    "CC-PDDC": "Public Domain Certification 1.0 Förenta Staterna",
}

NOTES = {
    "retired": ("Retired by Creative Commons on {date}; CC does not recommend applying it to new works. "
                "It still applies to works published under it: review its terms by hand.",
                "Creative Commons drog tillbaka licensen {date} och rekommenderar inte att den används för nya verk. "
                "Den gäller fortfarande för verk som publicerats under den: granska villkoren manuellt."),
    "notice_only": ("Does not require attribution: only that the licence notices are kept intact.",
                    "Kräver inte erkännande, bara att licenshänvisningarna behålls."),
    "ported": ("Ported to {jur_en}: the terms may differ slightly from the international licence.",
               "Anpassad för {jur_sv}: villkoren kan skilja sig något från den internationella licensen."),
    "igo": ("For works of intergovernmental organisations (IGO); disputes go to mediation and arbitration.",
            "För verk från mellanstatliga organisationer (IGO); tvister avgörs genom medling och skiljeförfarande."),
    "by-nd-nc": ("The 1.0 element order of CC BY-NC-ND (Attribution-NoDerivs-NonCommercial).",
                 "Ordningen på licenselementen i version 1.0 av CC BY-NC-ND."),
    "sampling": ("Allows sampling and transforming the work, not copying the whole work; no use in advertising "
                 "except for the new work.",
                 "Tillåter sampling och omvandling av verket, inte kopior av hela verket; ingen användning i reklam "
                 "utom för det nya verket."),
    "sampling+": ("Allows creative transformation, also commercially, but copies of the whole work only for "
                  "non-commercial purposes; no use in advertising except for the new work.",
                  "Tillåter kreativ omvandling, även kommersiellt, men kopior av hela verket bara för icke-kommersiella "
                  "ändamål; ingen användning i reklam utom för det nya verket."),
    "nc-sampling+": ("Allows sampling and copies of the whole work only for non-commercial purposes.",
                     "Tillåter sampling och kopior av hela verket bara för icke-kommersiella ändamål."),
    "devnations": ("May only be used in developing nations: use in high-income nations (e.g. Sweden) is prohibited.",
                   "Får bara användas i utvecklingsländer: användning i höginkomstländer (t.ex. Sverige) är förbjuden."),
    "zero": ("A waiver (dedication to the public domain), not a licence: no conditions; credit is recommended.",
             "Ett avstående (till allmän egendom), inte en licens: inga villkor; erkännande rekommenderas."),
    "mark": ("A label for works already free of known copyright restrictions, not a licence.",
             "En märkning av verk som redan är fria från kända upphovsrättsliga begränsningar, inte en licens."),
    "certification": ("US-only public-domain certification; retired. For new dedications CC recommends CC0.",
                      "Amerikansk certifiering av allmän egendom; tillbakadragen. CC rekommenderar CC0 i stället."),
}


# ------------------------------------------------------------------------------------------
def elements(unit: str) -> frozenset[str]:
    return frozenset(p for p in unit.split("-") if p in ("by", "nc", "nd", "sa"))


def vtuple(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


def tool_id(row: dict) -> str:
    """SPDX id when there is one, else ``LicenseRef-CC-<UNIT>-<VERSION>[-<JURISDICTION>]``."""
    if row["SPDX_IDENTIFIER"]:
        return row["SPDX_IDENTIFIER"]
    unit = row["UNIT"]
    if unit == "by-nd-nc":  # SPDX spells the 1.0 order BY-NC-ND too
        unit = "by-nc-nd"
    parts = ["LicenseRef-CC", unit.upper().replace("+", "-PLUS"), row["VERSION"]]
    if row["JURISDICTION"]:
        parts.append(row["JURISDICTION"].upper())
    return "-".join(parts)


def jurisdiction_suffix(version: str, jur: str, lang: str) -> str:
    if jur:
        return (JUR_SV if lang == "sv" else JUR_EN)[jur]
    if version == "4.0":
        return "Internationell" if lang == "sv" else "International"
    if version == "3.0":
        return "Unported"
    return "Generisk" if lang == "sv" else "Generic"


def title_en(row: dict) -> str:
    unit, version, jur = row["UNIT"], row["VERSION"], row["JURISDICTION"]
    if row["CATEGORY"] == "publicdomain":
        return row["TITLE"]
    name = UNIT_EN[unit]
    if version == "4.0":
        name = name.replace("NoDerivs", "NoDerivatives")
    return f"{name} {version} {jurisdiction_suffix(version, jur, 'en')}"


def title_sv(row: dict, titles_sv: dict[str, dict]) -> str:
    tid = tool_id(row)
    if tid in SV_OVERRIDE:
        return SV_OVERRIDE[tid]
    official = titles_sv.get(row["IDENTIFIER"])
    if official:
        return official["title_sv"]
    unit, version, jur = row["UNIT"], row["VERSION"], row["JURISDICTION"]
    return f"{UNIT_SV[unit]} {version} {jurisdiction_suffix(version, jur, 'sv')}"


def short_name(row: dict) -> str:
    tid = tool_id(row)
    if tid in SHORT_OVERRIDE:
        return SHORT_OVERRIDE[tid]
    unit, version, jur = row["UNIT"], row["VERSION"], row["JURISDICTION"]
    name = f"CC {UNIT_SHORT.get(unit, unit.upper())} {version}"
    return f"{name} {jur.upper()}" if jur else name


def aliases(row: dict, short: str, en: str, sv: str, titles_sv: dict[str, dict]) -> list[str]:
    unit, version, jur = row["UNIT"], row["VERSION"], row["JURISDICTION"]
    out: list[str] = []
    tid = tool_id(row)
    out.append(row["IDENTIFIER"])
    out.append(f"Creative Commons {en}")
    if row["LANGUAGE_DEFAULT"] != "en":
        out.append(row["TITLE"])  # the title in the port's own language, e.g. "Erkännande-DelaLika 2.5"
    if row["CATEGORY"] == "licenses":
        if not jur:
            out.append(f"{short} {jurisdiction_suffix(version, '', 'en')}")  # "CC BY-SA 3.0 Unported"
        if version == "4.0":
            out.append(en.replace("NoDerivatives", "NoDerivs"))
        elif "NoDerivs" in en:
            out.append(en.replace("NoDerivs", "NoDerivatives"))
        if unit in UNIT_SV:
            out.append(f"Creative Commons {sv}")
            composed = f"{UNIT_SV[unit]} {version} {jurisdiction_suffix(version, jur, 'sv')}"
            out.append(composed)  # 4.0: the older deed wording "Erkännande-DelaLika 4.0 Internationell"
        official = titles_sv.get(row["IDENTIFIER"])
        if official:
            out += [a for a in official["aliases_sv"].split("|") if a]
        if jur == "se":
            out.append(f"{UNIT_SV[unit]} {version} Sverige")
        if version == "2.0" and not jur and unit in FLICKR_LABELS:
            out.append(FLICKR_LABELS[unit])
    out += EXTRA_ALIASES.get(tid, [])
    seen = {short.casefold(), en.casefold(), sv.casefold(), tid.casefold()}
    result = []
    for a in out:
        if a and a.casefold() not in seen:
            seen.add(a.casefold())
            result.append(a)
    return result


# ------------------------------------------------------------------------------------------
def permissions(unit: str, category: str) -> dict:
    if category == "publicdomain":
        return {"share": True, "commercial": True, "adapt": True, "share_adapted": True}
    el = elements(unit)
    adapt = "nd" not in el
    commercial = "nc" not in el and unit not in ("sampling+", "nc-sampling+")
    share = unit != "sampling"  # Sampling 1.0 does not allow copies of the whole work
    return {"share": share, "commercial": commercial, "adapt": adapt, "share_adapted": adapt}


def prohibits(unit: str) -> list[str]:
    el = elements(unit)
    out = []
    if "nc" in el or unit == "nc-sampling+":
        out.append("commercial-use")
    if unit == "sampling+":
        out += ["commercial-copies-of-whole-work", "advertising"]
    if unit == "sampling":
        out += ["copies-of-whole-work", "advertising"]
    if unit == "devnations":
        out.append("high-income-nation-use")
    return out


def attribution_kind(unit: str, category: str) -> str:
    if category == "publicdomain":
        return "recommended"
    if "by" in elements(unit) or unit in ("sampling", "sampling+", "nc-sampling+", "devnations"):
        return "required"
    return "none"  # retired non-BY 1.0 units: notice only


def adapter_licenses(tid: str, unit: str, version: str, category: str) -> list[str]:
    """FAQ adapter chart; '~' = allowed but not recommended; tokens documented in licensing/model.py."""
    if category == "publicdomain":
        return ["any"]
    el = elements(unit)
    if "nd" in el:
        return []
    if "sa" in el:
        if version == "1.0":
            return [tid]  # 1.0: "only under the terms of this License"
        if "by" not in el:
            return [tid]
        tokens = [f"unit:{unit}@>={version}"]
        if version == "4.0":
            tokens.append("by-sa-compatible" if unit == "by-sa" else "by-nc-sa-compatible")
        return tokens
    if "nc" in el or unit == "nc-sampling+":
        return ["unit:by-nc", "unit:by-nc-nd", "unit:by-nc-sa", "unit:by-nd-nc", "unit:nc", "unit:nc-sa",
                "unit:nd-nc", "~unit:by", "~unit:by-nd", "~unit:by-sa", "~pd"]
    if el == {"by"}:
        return ["unit:by", "unit:by-nc", "unit:by-nc-nd", "unit:by-nc-sa", "unit:by-nd", "unit:by-nd-nc",
                "unit:by-sa", "~pd"]
    return ["any"]  # sampling, sampling+, devnations: no share-alike condition


# ------------------------------------------------------------------------------------------
def clauses(unit: str, version: str, jur: str, category: str) -> tuple[dict[str, str], str]:
    """Rule topic → clause of the legal code, and a note on where the numbering comes from."""
    if category == "publicdomain":
        if unit == "zero":
            return ({"waiver": "§2", "fallback_license": "§3", "not_licensed": "§4(a)",
                     "third_party_rights": "§4(c)"}, "CC0 1.0 Universal legal code")
        return {}, "deed only (no legal code)"
    el = elements(unit)
    nc, nd, sa = "nc" in el, "nd" in el, "sa" in el
    if version == "4.0":
        defs = ["adapted_material"] + ([] if nd else ["adapters_license"]) + (["compatible"] if sa else [])
        defs += ["copyright", "etm", "exceptions"] + (["license_elements"] if sa else [])
        defs += ["licensed_material", "licensed_rights", "licensor"] + (["noncommercial"] if nc else [])
        letter = {name: chr(ord("a") + i) for i, name in enumerate(defs)}
        c = {
            "attribution": "§3(a)(1)",
            "creator": "§3(a)(1)(A)(i)",
            "title": "§3(a)(1)(A)",
            "source": "§3(a)(1)(A)(v)",
            "modifications": "§3(a)(1)(B)",
            "license_notice": "§3(a)(1)(C)",
            "reasonable_manner": "§3(a)(2)",
            "remove_credit": "§3(a)(3)",
            "adapt": "§2(a)(1)(B), §1(a)",
            "adapted_material": "§1(a)",
            "commercial": f"§1({letter['noncommercial']}), §2(a)(1)" if nc else "§2(a)(1)",
            "no_additional_terms": "§2(a)(5)(C)" if sa else "§2(a)(5)(B)",
            "technical_changes": "§2(a)(4)",
            "no_endorsement": "§2(a)(6)",
            "not_licensed": "§2(b)(1)-(2)",
            "reinstatement": "§6(b)",
        }
        if sa:
            c["share_alike"] = "§3(b)"
            c["adapter_license"] = "§3(b)(1)"
        elif not nd:
            c["adapter_license"] = "§3(a)(4)"
        return c, "legal code 4.0 (international)"

    if unit in ("sampling", "sampling+", "nc-sampling+", "devnations"):
        return ({"attribution": "§4", "license_notice": "§4", "adapt": "§3", "technical_changes": "§3",
                 "commercial": "§4" if unit == "nc-sampling+" else "§3", "no_additional_terms": "§4"},
                f"{UNIT_EN[unit]} {version} legal code; section-level references only")
    # ≤3.0: §4(a) licence terms; then the ShareAlike, NonCommercial and credit clauses, in that order.
    letters = iter("bcdefg")
    sa_l = next(letters) if sa else None
    nc_l = next(letters) if (nc or unit == "nc-sampling+") else None
    credit = next(letters) if attribution_kind(unit, category) == "required" else None
    adaptation_def = "§1(a)" if version == "3.0" else ("§1(c)" if jur == "se" else "§1(b)")
    c: dict[str, str] = {
        "license_notice": "§4(a)",
        "no_additional_terms": "§4(a)",
        "remove_credit": "§4(a)",
        "technical_changes": "§3 (final paragraph)",
        "adapted_material": adaptation_def,
        "adapt": f"§3, {adaptation_def}" if nd else f"§3(b), {adaptation_def}",
        "commercial": f"§4({nc_l})" if nc_l else "§3",
    }
    if sa_l:
        c["share_alike"] = f"§4({sa_l})"
        c["adapter_license"] = f"§4({sa_l})"
    if credit:
        c["attribution"] = f"§4({credit})"
        if version == "3.0":
            c.update(creator=f"§4({credit})(i)", title=f"§4({credit})(ii)", source=f"§4({credit})(iii)",
                     no_endorsement=f"§4({credit})")
            c["modifications"] = f"§4({credit})" if nd else f"§3(b), §4({credit})(iv)"
        else:
            c.update(creator=f"§4({credit})", title=f"§4({credit})", modifications=f"§4({credit})")
            if version != "1.0":
                c["source"] = f"§4({credit})"
    else:
        c["attribution"] = "§4(a)"  # notice only: keep the licence notices intact
    if jur == "se":
        source = f"legal code {version} Sverige (clause letters checked)"
    elif jur:
        source = (f"clause numbers of the unported {version} legal code; the {JUR_EN[jur]} port may number "
                  "its clauses differently: check its legal code")
    else:
        source = f"legal code {version} {'Unported' if version == '3.0' else 'Generic'}"
    return c, source


# ------------------------------------------------------------------------------------------
def build(row: dict, titles_sv: dict[str, dict]) -> dict:
    unit, version, jur, category = row["UNIT"], row["VERSION"], row["JURISDICTION"], row["CATEGORY"]
    tid = tool_id(row)
    canonical = row["CANONICAL_URL"]
    short, en, sv = short_name(row), title_en(row), title_sv(row, titles_sv)
    if row["LANGUAGE_DEFAULT"] == "en" and category == "licenses" and en != row["TITLE"]:
        raise SystemExit(f"{tid}: composed English title {en!r} differs from the CSV's {row['TITLE']!r}")
    pd = category == "publicdomain"
    el = elements(unit)
    attribution = attribution_kind(unit, category)
    retired_on = RETIRED.get(unit)
    if retired_on:
        status = "retired"
    elif version == "4.0" or pd:
        status = "active"
    else:
        status = "superseded"
    replaced_by = ""
    if status == "superseded" and unit in ELEMENT_UNITS:
        replaced_by = "CC-" + ("by-nc-nd" if unit == "by-nd-nc" else unit).upper() + "-4.0"

    path = canonical.removeprefix("https://creativecommons.org")
    paths = [path]
    if unit == "by-nd-nc":
        paths.append(path.replace("/by-nd-nc/", "/by-nc-nd/"))
    paths += EXTRA_PATHS.get(tid, [])
    flickr = FLICKR_IDS.get((unit, version)) if not jur else None

    if pd:
        indicate = "not_required"
    elif attribution != "required":
        indicate = "not_required"
    else:
        indicate = "always" if version == "4.0" else "adaptations"
    if pd:
        link_source = "recommended"
    elif attribution == "required" and version != "1.0":
        link_source = "if_practicable"
    else:
        link_source = "none"
    if pd:
        notices: list[str] = []
    elif version == "4.0":
        notices = ["copyright", "license", "disclaimer", "previous_modifications"]
    else:
        notices = ["copyright", "license", "disclaimer"]

    notes_en, notes_sv = [], []

    def note(key: str, **kw) -> None:
        en_t, sv_t = NOTES[key]
        notes_en.append(en_t.format(**kw))
        notes_sv.append(sv_t.format(**kw))

    if unit in ("zero", "mark", "certification"):
        note(unit)
    if retired_on and unit != "certification":
        note("retired", date=retired_on)
    if attribution == "none":
        note("notice_only")
    if unit in ("sampling", "sampling+", "nc-sampling+", "devnations", "by-nd-nc"):
        note(unit)
    if jur == "igo":
        note("igo")
    elif jur and category == "licenses":
        note("ported", jur_en=JUR_EN[jur], jur_sv=JUR_SV[jur])

    clause_map, clause_source = clauses(unit, version, jur, category)
    deed_only = unit in ("mark", "certification")
    doc = {
        "schema_version": 1,
        "id": tid,
        "kind": "cc-pd-tool" if pd else "cc-license",
        "status": status,
        "retired_on": dt.date.fromisoformat(retired_on) if retired_on else None,
        "replaced_by": replaced_by,
        "family": "creativecommons",
        "category": category,
        "unit": unit,
        "version": version,
        "jurisdiction": jur,
        "spdx": row["SPDX_IDENTIFIER"],
        "identifier": row["IDENTIFIER"],
        "canonical_url": canonical,
        "legalcode_url": "" if deed_only else canonical + "legalcode",
        "deed_url": canonical + "deed.{lang}",
        "language_default": row["LANGUAGE_DEFAULT"],
        "source_data": CSV_SOURCE,
        "clauses_source": clause_source,
        "prohibits": prohibits(unit),
        "names": {"short": short, "en": en, "sv": sv, "aliases": aliases(row, short, en, sv, titles_sv)},
        "match": {"url_paths": paths, "flickr_license_ids": [flickr] if flickr else []},
        "permissions": permissions(unit, category),
        "conditions": {
            "attribution": attribution,
            "notice": not pd,
            "share_alike": "sa" in el,
            "adapter_licenses": adapter_licenses(tid, unit, version, category),
            "indicate_modifications": indicate,
            "title_required": attribution == "required" and version != "4.0",
            "link_to_license": "recommended" if pd else "required",
            "link_to_source": link_source,
            "retain_notices": notices,
            "no_endorsement": pd or vtuple(version) >= (3, 0),
            "no_additional_restrictions": not pd,
            "relicense_allowed": pd,
            "remove_credit_on_request": not pd,
        },
        "not_covered": {"trademark": True, "publicity_privacy_third_party": True},
        "clauses": clause_map,
        "attribution": {"verb": "marked" if pd else "licensed"},
        "notes": {"en": " ".join(notes_en), "sv": " ".join(notes_sv)} if notes_en else {},
    }
    if not replaced_by:
        del doc["replaced_by"]
    if not doc["prohibits"]:
        del doc["prohibits"]
    return doc


# ------------------------------------------------------------------------------------------
def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON string escapes are valid TOML basic strings
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def to_toml(doc: dict) -> str:
    lines = [
        "# Generated by scripts/gen_cc_licenses.py — do not edit; change the script and regenerate.",
        f"# Source: {CSV_SOURCE}.",
    ]
    tables = []
    for key, value in doc.items():
        if isinstance(value, dict):
            tables.append((key, value))
        elif value is not None:
            lines.append(f"{key} = {toml_value(value)}")
    for name, table in tables:
        if not table:
            continue
        lines.append("")
        lines.append(f"[{name}]")
        for key, value in table.items():
            if value is not None:
                lines.append(f"{key} = {toml_value(value)}")
    return "\n".join(lines) + "\n"


def read_rows(csv_path: Path) -> list[dict]:
    data = csv_path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if csv_path == CSV_PATH and digest != CSV_SHA256:
        raise SystemExit(f"{csv_path}: sha256 {digest} is not the pinned {CSV_SHA256}")
    rows = list(csv.DictReader(data.decode("utf-8").splitlines()))
    if len(rows) != EXPECTED_TOOLS:
        raise SystemExit(f"{csv_path}: {len(rows)} tools, expected {EXPECTED_TOOLS}")
    return rows


def read_titles_sv(path: Path) -> dict[str, dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["identifier"]: r for r in csv.DictReader(fh)}


def generate(csv_path: Path = CSV_PATH, titles_path: Path = TITLES_SV_PATH) -> dict[str, str]:
    """File name → TOML text for every tool."""
    titles_sv = read_titles_sv(titles_path)
    out: dict[str, str] = {}
    for row in read_rows(csv_path):
        doc = build(row, titles_sv)
        name = doc["id"] + ".toml"
        if name in out:
            raise SystemExit(f"duplicate id {doc['id']}")
        text = to_toml(doc)
        tomllib.loads(text)  # every file must parse
        out[name] = text
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=OUT_DIR, help="output folder (default: licenses/cc)")
    ap.add_argument("--check", action="store_true", help="only check that the output folder is up to date")
    args = ap.parse_args(argv)
    files = generate()
    existing = {p.name for p in args.out.glob("*.toml")} if args.out.is_dir() else set()
    if args.check:
        stale = sorted(n for n, t in files.items()
                       if not (args.out / n).is_file() or (args.out / n).read_text(encoding="utf-8") != t)
        extra = sorted(existing - set(files))
        for n in stale:
            print(f"out of date: {n}", file=sys.stderr)
        for n in extra:
            print(f"not generated: {n}", file=sys.stderr)
        return 1 if stale or extra else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name in sorted(existing - set(files)):
        (args.out / name).unlink()
    for name, text in sorted(files.items()):
        path = args.out / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    print(f"{len(files)} licence definitions in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
