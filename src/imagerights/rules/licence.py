"""LIC: what the image's licence allows for the intended use (research/licenses.md §4.3, R1–R7, R15–R20).

Every check is a pure function of the :class:`~imagerights.rules.base.Context`.
"""

from __future__ import annotations

import datetime as dt
import re

from imagerights.findings import Citation, Severity
from imagerights.licensing.compat import NO, NOT_RECOMMENDED, adaptation_allowed
from imagerights.rules.base import Hit, rule
from imagerights.rules.citations import CC_FAQ, URL_2, URL_49A, licence_clause
from imagerights.use import ADAPTING_EDITS

EDIT_NAMES = {
    "crop": ("cropping", "beskärning"),
    "text": ("text on the image", "text på bilden"),
    "filter": ("filter/recolouring", "filter/omfärgning"),
    "composite": ("collage/composite", "montage"),
    "ai_edit": ("AI editing", "AI-redigering"),
    "resize": ("resizing", "storleksändring"),
}


# Edits that change the work itself: adaptations, and crops (treated conservatively, research §4.2).
_CHANGES_THE_WORK = ADAPTING_EDITS | {"crop"}


def _edit_list(edits, lang: str) -> str:
    i = 1 if lang == "sv" else 0
    return ", ".join(EDIT_NAMES[e][i] for e in sorted(edits) if e in EDIT_NAMES)


def _third_party(ctx) -> bool:
    return ctx.origin not in ("own", "image_bank")


def _publish_license(ctx):
    return ctx.catalogue.get(ctx.use.publish_license) if ctx.use.publish_license else None


# ---------------------------------------------------------------- ND, NC, SA (R1–R7)

@rule("LIC001", "nd-adaptation", family="licence", severity=Severity.ERROR,
      en="NoDerivatives licence: text on the image, filters, collages or AI edits make an adaptation that may not be shared.",
      sv="IngaBearbetningar-licens: text på bilden, filter, montage eller AI-redigering blir en bearbetning som inte får spridas.",
      cite="CC BY-ND 4.0 §2(a)(1)(B), §1(a)", url="https://creativecommons.org/licenses/by-nd/4.0/legalcode")
def nd_adaptation(ctx):
    lic = ctx.license
    if lic is None or not lic.is_cc or not lic.nd:
        return
    bad = ctx.edits & ADAPTING_EDITS
    if bad:
        yield Hit(
            f"{lic.names.short} does not allow sharing adapted material ({_edit_list(bad, 'en')}). "
            "Place the text beside the image instead of on it, or ask the creator for permission.",
            f"{lic.names.short} tillåter inte att bearbetningar sprids ({_edit_list(bad, 'sv')}). "
            "Placera texten bredvid bilden i stället för på den, eller be upphovspersonen om lov.",
            {"license": lic.id, "edits": sorted(bad)}, citation=licence_clause(lic, "adapt", "no derivatives"))


@rule("LIC002", "nd-crop", family="licence", severity=Severity.WARNING,
      en="NoDerivatives licence and the image is cropped: whether a crop is an adaptation depends on the law; be careful.",
      sv="IngaBearbetningar-licens och bilden beskärs: om en beskärning är en bearbetning beror på lagen; var försiktig.",
      cite="CC FAQ: When is my use considered an adaptation?; Upphovsrättslagen 2 §", url=CC_FAQ)
def nd_crop(ctx):
    lic = ctx.license
    if lic is None or not lic.is_cc or not lic.nd or "crop" not in ctx.edits:
        return
    yield Hit(
        f"{lic.names.short}: cropping may count as an adaptation, which may not be shared. "
        "Use the whole image (letterbox it to the format) or ask the creator.",
        f"{lic.names.short}: beskärning kan räknas som en bearbetning, som inte får spridas. "
        "Använd hela bilden (lägg den på en bakgrund i rätt format) eller fråga upphovspersonen.",
        {"license": lic.id, "edits": ["crop"]}, citation=licence_clause(lic, "adapt", "no derivatives"))


@rule("LIC003", "nc-commercial", family="licence", severity=Severity.ERROR,
      en="NonCommercial licence and the use is commercial (advertising, or a municipal company's account).",
      sv="Icke-kommersiell licens och användningen är kommersiell (reklam, eller ett kommunalt bolags konto).",
      cite="CC BY-NC 4.0 §1(i); Malmö stad: the companies' communication counts as advertising",
      url="https://creativecommons.org/licenses/by-nc/4.0/legalcode")
def nc_commercial(ctx):
    lic = ctx.license
    if lic is None or not lic.is_cc or lic.is_pd_tool or not lic.nc or not ctx.use.commercial:
        return
    why_en = "a municipal company's communication counts as advertising" if ctx.use.account == "company" else "advertising is commercial use"
    why_sv = "ett kommunalt bolags kommunikation räknas som reklam" if ctx.use.account == "company" else "reklam är kommersiell användning"
    yield Hit(
        f"{lic.names.short} forbids commercial use, and {why_en}. Choose another image or ask the creator for a licence.",
        f"{lic.names.short} förbjuder kommersiell användning, och {why_sv}. Välj en annan bild eller be upphovspersonen om licens.",
        {"license": lic.id, "use": ctx.use.use, "account": ctx.use.account},
        citation=Citation(f"{licence_clause(lic, 'commercial', 'NonCommercial').text}; "
                          f"{ctx.policy.handbook_name()}: kommunala bolag — all kommunikation behandlas som reklam",
                          lic.legalcode_url or lic.canonical_url or CC_FAQ))


@rule("LIC004", "nc-informational", family="licence", severity=Severity.INFO,
      en="NonCommercial licence in an informational post: generally fine; document the purpose.",
      sv="Icke-kommersiell licens i ett informationsinlägg: i regel tillåtet; dokumentera syftet.",
      cite="CC FAQ: Does my use violate the NonCommercial clause of the licenses?", url=CC_FAQ)
def nc_informational(ctx):
    lic = ctx.license
    if lic is None or not lic.is_cc or lic.is_pd_tool or not lic.nc or ctx.use.commercial:
        return
    yield Hit(f"{lic.names.short}: non-commercial use only. An informational post is generally fine; do not use it in advertising.",
              f"{lic.names.short}: endast icke-kommersiell användning. Ett informationsinlägg är i regel tillåtet; använd den inte i reklam.",
              {"license": lic.id})


@rule("LIC005", "sa-adaptation-license", family="licence", severity=Severity.ERROR,
      en="ShareAlike licence: an adaptation must be shared under the same licence (or a later version / compatible one).",
      sv="DelaLika-licens: en bearbetning måste spridas under samma licens (eller en senare version / kompatibel licens).",
      cite="CC BY-SA 4.0 §3(b); CC BY-SA 3.0 §4(b)", url="https://creativecommons.org/licenses/by-sa/4.0/legalcode")
def sa_adaptation(ctx):
    lic = ctx.license
    if lic is None or not lic.is_cc or not lic.sa or not (ctx.edits & _CHANGES_THE_WORK):
        return
    target = _publish_license(ctx)
    cite = licence_clause(lic, "share_alike", "ShareAlike")
    if target is None:
        yield Hit(f"The adaptation must be shared under {lic.names.short} (or a later version with the same elements); say so in the credit line.",
                  f"Bearbetningen måste spridas under {lic.names.short} (eller en senare version med samma villkor); skriv det i bildtexten.",
                  {"license": lic.id}, severity=Severity.INFO, citation=cite)
    elif adaptation_allowed(lic, target) == NO:
        yield Hit(f"The adaptation of a {lic.names.short} image may not carry {target.names.short}; it must be {lic.names.short} or a later version with the same elements.",
                  f"En bearbetning av en bild under {lic.names.short} får inte licensieras {target.names.short}; den måste ha {lic.names.short} eller en senare version med samma villkor.",
                  {"license": lic.id, "publish_license": target.id}, citation=cite)


@rule("LIC006", "relicensing", family="licence", severity=Severity.ERROR,
      en="The post would put the account's own licence on someone else's image: you cannot license what you do not own.",
      sv="Inlägget skulle sätta kontots egen licens på någon annans bild: man kan inte licensiera det man inte äger.",
      cite="CC BY 4.0 §2(a)(5)(C): no additional or different terms", url="https://creativecommons.org/licenses/by/4.0/legalcode")
def relicensing(ctx):
    lic, target = ctx.license, _publish_license(ctx)
    if target is None or lic is None or not _third_party(ctx) or lic.id == target.id or lic.is_pd_tool:
        return
    if lic.kind not in ("cc-license", "stock-license", "platform-license", "all-rights-reserved", "statement"):
        return
    adapted = bool(ctx.edits & _CHANGES_THE_WORK)
    if lic.is_cc and adapted and adaptation_allowed(lic, target) != NO:
        return  # the organisation may license its own contribution to an adaptation (R7)
    severity = Severity.WARNING if lic.kind == "platform-license" else None
    yield Hit(f"Do not publish this {lic.names.short} image under {target.names.short}: keep the original's credit and licence and mark the image as not covered by the account's licence.",
              f"Publicera inte den här bilden ({lic.names.short}) under {target.names.short}: behåll originalets erkännande och licens och markera att bilden inte omfattas av kontots licens.",
              {"license": lic.id, "publish_license": target.id}, severity=severity,
              citation=licence_clause(lic, "no_additional_terms", "no additional restrictions; no sublicensing"))


@rule("LIC007", "adaptation-licence-ok", family="licence", severity=Severity.INFO,
      en="The adaptation may carry the account's licence on the organisation's contribution; the original keeps its own.",
      sv="Bearbetningen får ha kontots licens för organisationens bidrag; originalet behåller sin egen.",
      cite="CC FAQ: If I derive or adapt material offered under a CC license, which CC license(s) can I use?", url=CC_FAQ)
def adaptation_ok(ctx):
    lic, target = ctx.license, _publish_license(ctx)
    if target is None or lic is None or not lic.is_cc or lic.id == target.id or not _third_party(ctx):
        return
    if not (ctx.edits & _CHANGES_THE_WORK):
        return
    verdict = adaptation_allowed(lic, target)
    if verdict == NO:
        return
    extra_en = " The chart marks this combination as allowed but not recommended." if verdict == NOT_RECOMMENDED else ""
    extra_sv = " Tabellen markerar kombinationen som tillåten men inte rekommenderad." if verdict == NOT_RECOMMENDED else ""
    yield Hit(f"{target.names.short} may cover the city's changes; keep the original's credit and {lic.names.short}.{extra_en}",
              f"{target.names.short} kan gälla stadens ändringar; behåll originalets erkännande och {lic.names.short}.{extra_sv}",
              {"license": lic.id, "publish_license": target.id, "chart": verdict})


# ---------------------------------------------------------------- kinds and status (R15–R20)

@rule("LIC015", "retired-licence", family="licence", severity=Severity.WARNING,
      en="The licence has been retired by Creative Commons: check its terms by hand.",
      sv="Licensen har dragits tillbaka av Creative Commons: kontrollera villkoren manuellt.",
      cite="Creative Commons: retired legal tools", url="https://creativecommons.org/retiredlicenses/")
def retired(ctx):
    lic = ctx.license
    if lic is not None and lic.retired:
        when = lic.retired_on.isoformat() if lic.retired_on else "?"
        yield Hit(f"{lic.names.short} was retired on {when}. It still applies to works published under it, but its terms differ from current licences: review by hand.",
                  f"{lic.names.short} drogs tillbaka {when}. Den gäller fortfarande för verk som publicerats under den, men villkoren skiljer sig från dagens licenser: granska manuellt.",
                  {"license": lic.id, "retired_on": when})


@rule("LIC016", "ported-licence", family="licence", severity=Severity.INFO,
      en="A national port of a CC licence: its terms may differ slightly from the international version.",
      sv="En nationell anpassning av en CC-licens: villkoren kan skilja sig något från den internationella versionen.",
      cite="CC FAQ: What are ported licenses?", url=CC_FAQ)
def ported(ctx):
    lic = ctx.license
    if lic is not None and lic.is_cc and lic.ported:
        yield Hit(f"{lic.names.short} is ported to jurisdiction '{lic.jurisdiction}'; link that port's deed: {lic.deed('sv' if lic.jurisdiction == 'se' else 'en')}",
                  f"{lic.names.short} är anpassad för jurisdiktionen '{lic.jurisdiction}'; länka den versionens sammanfattning: {lic.deed('sv')}",
                  {"license": lic.id, "jurisdiction": lic.jurisdiction},
                  citation=Citation(f"{lic.names.short} legal code", lic.legalcode_url or lic.canonical_url))


@rule("LIC017", "not-a-licence", family="licence", severity=Severity.WARNING,
      en="The image carries a rights statement, not a licence (e.g. 'No known copyright restrictions').",
      sv="Bilden har ett rättighetsuttalande, inte en licens (t.ex. 'No known copyright restrictions').",
      cite="Flickr: No known copyright restrictions / US Government Work", url="https://www.flickr.com/commons/usage/")
def statement(ctx):
    lic = ctx.license
    if lic is not None and lic.kind == "statement":
        yield Hit(f"'{lic.names.en}' is a statement, not a licence: check the institution's own terms before use.",
                  f"'{lic.names.sv or lic.names.en}' är ett uttalande, inte en licens: kontrollera institutionens egna villkor före användning.",
                  {"license": lic.id}, citation=Citation(lic.names.en, lic.canonical_url or "https://www.flickr.com/commons/usage/"))


@rule("LIC018", "all-rights-reserved", family="licence", severity=Severity.ERROR,
      en="All rights reserved: the image may not be used without the rights holder's permission.",
      sv="Alla rättigheter förbehållna: bilden får inte användas utan rättighetsinnehavarens tillstånd.",
      cite=URL_2.text, url=URL_2.url)
def all_rights_reserved(ctx):
    lic = ctx.license
    if lic is not None and lic.kind == "all-rights-reserved" and _third_party(ctx) and not ctx.asset:
        who = ctx.facts.metadata.copyright or ", ".join(ctx.facts.metadata.creators) or "the rights holder"
        yield Hit(f"All rights reserved ({who}): get written permission (or a licence) and record it in the registry.",
                  f"Alla rättigheter förbehållna ({who}): skaffa skriftligt tillstånd (eller licens) och registrera det.",
                  {"license": lic.id, "copyright": ctx.facts.metadata.copyright})


@rule("LIC019", "public-domain-tool", family="licence", severity=Severity.INFO,
      en="CC0 / Public Domain Mark: no conditions; credit is optional but recommended; do not imply endorsement.",
      sv="CC0 / Public Domain Mark: inga villkor; erkännande är frivilligt men rekommenderas; antyd inte stöd från upphovspersonen.",
      cite="CC0 1.0 Universal; Public Domain Mark 1.0", url="https://creativecommons.org/publicdomain/zero/1.0/legalcode")
def pd_tool(ctx):
    lic = ctx.license
    if lic is not None and lic.is_pd_tool:
        yield Hit(f"{lic.names.short}: free to use, also commercially and edited. Name the creator anyway (good practice, and upphovsrättslagen 3 § for works still protected elsewhere).",
                  f"{lic.names.short}: fri att använda, även kommersiellt och bearbetad. Ange ändå upphovspersonen (god sed, jfr upphovsrättslagen 3 §).",
                  {"license": lic.id}, citation=Citation(lic.names.en, lic.legalcode_url or lic.canonical_url))


@rule("LIC020", "date-dependent-licence", family="licence", severity=Severity.INFO,
      en="The licence depends on the date: older material is under another licence (e.g. Pixabay before 2019-01-09: CC0).",
      sv="Licensen beror på datum: äldre material har en annan licens (t.ex. Pixabay före 2019-01-09: CC0).",
      cite="Pixabay terms change 2019-01-09 / 2023-04-17", url="https://pixabay.com/service/license-summary/")
def date_dependent(ctx):
    lic = ctx.license
    date = _date(ctx.facts.metadata.date_created)
    if lic is None or date is None:
        return
    other_id = lic.license_on(date)
    other = ctx.catalogue.get(other_id) if other_id else None
    if other is None:
        return
    yield Hit(f"Created {date.isoformat()}: if it was published under {lic.names.short} before the licence changed, {other.names.short} applies.",
              f"Skapad {date.isoformat()}: om den publicerades under {lic.names.short} innan licensen ändrades gäller {other.names.short}.",
              {"date_created": date.isoformat(), "license": lic.id, "applies": other.id},
              citation=Citation(f"{lic.names.en}: licence before the terms change", lic.canonical_url))


@rule("LIC021", "stock-agreement", family="licence", severity=Severity.ERROR,
      en="Stock image: the agreement has expired, or an editorial-only licence is used in marketing.",
      sv="Bildbyråbild: avtalet har löpt ut, eller en redaktionell licens används i marknadsföring.",
      cite="Stock agreement terms (licence period, editorial use)", url="https://www.colourbox.com/faq")
def stock_agreement(ctx):
    lic = ctx.license
    if lic is None or lic.kind != "stock-license":
        return
    until = _date(lic.stock.get("valid_until"))
    if until and until < ctx.use.today:
        yield Hit(f"The {lic.names.short} agreement ended on {until.isoformat()}: downloaded images may not be used in new posts.",
                  f"Avtalet med {lic.names.short} upphörde {until.isoformat()}: nedladdade bilder får inte användas i nya inlägg.",
                  {"license": lic.id, "valid_until": until.isoformat()})
    if lic.stock.get("editorial_only") and ctx.use.commercial:
        yield Hit(f"{lic.names.short}: editorial-only material may not be used in marketing.",
                  f"{lic.names.short}: redaktionellt material får inte användas i marknadsföring.",
                  {"license": lic.id})


@rule("LIC022", "unrecognised-licence-text", family="licence", severity=Severity.WARNING,
      en="The file states usage terms that imagerights does not recognise as a known licence.",
      sv="Filen anger användningsvillkor som imagerights inte känner igen som en känd licens.",
      cite="IPTC Photo Metadata: Rights Usage Terms", url="https://www.iptc.org/std/photometadata/specification/IPTC-PhotoMetadata#rights-usage-terms")
def unrecognised_terms(ctx):
    md = ctx.facts.metadata
    if ctx.license is None and (md.usage_terms or md.cc_license):
        text = md.cc_license or md.usage_terms
        yield Hit(f"Usage terms found but not recognised: \u201c{text}\u201d. Read them and decide by hand.",
                  f"Användningsvillkor hittades men kändes inte igen: \u201d{text}\u201d. Läs dem och avgör manuellt.",
                  {"usage_terms": md.usage_terms, "cc_license": md.cc_license})


@rule("LIC023", "third-party-copyright", family="licence", severity=Severity.WARNING,
      en="A third party's copyright notice and no licence: you need permission unless the image is in the registry.",
      sv="Någon annans upphovsrättsnotis och ingen licens: ni behöver tillstånd om bilden inte finns i registret.",
      cite=URL_2.text, url=URL_2.url)
def third_party_copyright(ctx):
    md = ctx.facts.metadata
    if ctx.license is not None or ctx.asset or not md.copyright or ctx.origin in ("own", "image_bank", "stock"):
        return
    yield Hit(f"\u201c{md.copyright}\u201d and no licence: copyright always applies. Get permission, or register the licence you have.",
              f"\u201d{md.copyright}\u201d och ingen licens: upphovsrätten gäller alltid. Skaffa tillstånd, eller registrera licensen ni har.",
              {"copyright": md.copyright})


# ---------------------------------------------------------------- what the licence forbids outright
def _prohibitions(ctx):
    """(record, broken by this use?) for each term the licence's ``prohibits`` lists, except those
    another rule already reports for this licence (LIC003: a CC NonCommercial licence)."""
    from imagerights.licensing.prohibitions import prohibition

    lic = ctx.license
    if lic is None:
        return []
    out = []
    for term in lic.prohibits:
        p = prohibition(term)
        if p.covered_by == "LIC003" and lic.is_cc and lic.nc:
            continue
        broken = {
            "high_income_nation": ctx.policy.high_income_nation,
            "commercial": ctx.use.commercial,
            "unadapted": not ctx.use.adapted,
            "commercial_unadapted": ctx.use.commercial and not ctx.use.adapted,
        }.get(p.applies, False)
        out.append((p, broken))
    return out


def _why(p, ctx, lang: str) -> str:
    sv = lang == "sv"
    if p.applies == "high_income_nation":
        return (f"{ctx.policy.organisation} finns i ett höginkomstland" if sv
                else f"{ctx.policy.organisation_en or ctx.policy.organisation} is in a high-income nation")
    if p.applies in ("commercial", "commercial_unadapted") and ctx.use.account == "company":
        return "ett kommunalt bolags kommunikation räknas som reklam" if sv else "a municipal company's communication counts as advertising"
    if p.applies == "commercial":
        return "inlägget är reklam" if sv else "the post is advertising"
    if p.applies == "commercial_unadapted":
        return "inlägget är reklam och visar hela bilden" if sv else "the post is advertising and shows the whole image"
    return "inlägget visar hela bilden obearbetad" if sv else "the post shows the whole image, not adapted"


@rule("LIC024", "prohibited-use", family="licence", severity=Severity.ERROR,
      en="The licence forbids this use outright (e.g. CC Developing Nations in a high-income nation, Sampling licences in advertising).",
      sv="Licensen förbjuder uttryckligen den här användningen (t.ex. CC Utvecklingsländer i ett höginkomstland, Sampling-licenser i reklam).",
      cite="CC Developing Nations 2.0 legal code; CC Sampling 1.0 legal code",
      url="https://creativecommons.org/licenses/devnations/2.0/legalcode")
def prohibited_use(ctx):
    lic = ctx.license
    for p, broken in _prohibitions(ctx):
        if not broken:
            continue
        yield Hit(f"{lic.names.short} forbids {p.en}, and {_why(p, ctx, 'en')}. Choose another image.",
                  f"{lic.names.short} förbjuder {p.sv}, och {_why(p, ctx, 'sv')}. Välj en annan bild.",
                  {"license": lic.id, "prohibits": p.term}, citation=_prohibits_citation(lic, [p]))


@rule("LIC025", "other-prohibitions", family="licence", severity=Severity.INFO,
      en="What else the licence forbids, which imagerights cannot check: make sure the post does none of it.",
      sv="Vad licensen mer förbjuder, som imagerights inte kan kontrollera: se till att inlägget inte gör något av det.",
      cite="The licence's own terms", url="https://creativecommons.org/licenses/")
def other_prohibitions(ctx):
    lic = ctx.license
    manual = [p for p, broken in _prohibitions(ctx) if p.applies == "manual"]
    if not manual:
        return
    yield Hit(f"{lic.names.short} also forbids: {'; '.join(p.en for p in manual)}.",
              f"{lic.names.short} förbjuder också: {'; '.join(p.sv for p in manual)}.",
              {"license": lic.id, "prohibits": [p.term for p in manual]}, citation=_prohibits_citation(lic, manual))


def _prohibits_citation(lic, prohibitions) -> Citation:
    base = licence_clause(lic, "prohibits")
    return Citation(f"{base.text}: prohibits {'; '.join(p.en for p in prohibitions)}", base.url,
                    text_sv=f"{base.text}: förbjuder {'; '.join(p.sv for p in prohibitions)}")


@rule("LIC030", "term-of-protection-hint", family="licence", severity=Severity.INFO,
      en="An old photo: it may be free as a 'fotografisk bild' (50 years), but a photographic work is protected 70 years after the photographer's death.",
      sv="Ett gammalt foto: det kan vara fritt som fotografisk bild (50 år), men ett fotografiskt verk skyddas i 70 år efter fotografens död.",
      cite=URL_49A.text, url=URL_49A.url)
def term_hint(ctx):
    date = _date(ctx.facts.metadata.date_created)
    if date is None or (ctx.license is not None and ctx.license.is_pd_tool):
        return
    if date.year < ctx.use.today.year - 50:
        yield Hit(f"Made in {date.year}: a simple photographic image ('fotografisk bild') is protected for 50 years from the year it was made, "
                  "but a photographic work is protected until 70 years after the photographer's death. imagerights cannot tell which — check before assuming it is free.",
                  f"Tagen {date.year}: en fotografisk bild skyddas i 50 år från det år den framställdes, "
                  "men ett fotografiskt verk skyddas till 70 år efter fotografens död. imagerights kan inte avgöra vilket — kontrollera innan ni antar att den är fri.",
                  {"year": date.year})


def _date(value) -> dt.date | None:
    if not value:
        return None
    if isinstance(value, dt.date):
        return value
    m = re.match(r"(\d{4})[-:](\d{2})[-:](\d{2})", str(value))
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    m = re.match(r"(\d{4})$", str(value))
    return dt.date(int(m[1]), 1, 1) if m else None
