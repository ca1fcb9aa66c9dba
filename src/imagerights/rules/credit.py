"""ATT: what the credit line must contain (research/licenses.md §4.3 R11–R14; the handbook's credit rule).

When ``--credit`` gives the line the communicator plans to use, it is checked; otherwise the
findings say what imagerights' suggested credit line (shown with the result) takes care of.
"""

from __future__ import annotations

import re

from imagerights.findings import Citation, Severity
from imagerights.rules.base import Hit, rule
from imagerights.rules.citations import CC_ATTRIBUTION, HANDBOOK_IMAGES, URL_2, handbook, licence_clause

_CHANGE_WORDS = re.compile(
    r"(?i)\b(modified|cropped|edited|adapted|changed|altered|added|recolou?red|beskuren|beskurna|bearbetad|bearbetats|"
    r"ändrad|redigerad|tillagd|tillagda|omfärgad|montage)\b")


def author_of(ctx) -> str | None:
    md = ctx.facts.metadata
    if md.cc_attribution_name:
        return md.cc_attribution_name
    if md.creators:
        return "; ".join(md.creators)
    if ctx.asset and ctx.asset.get("creators"):
        return "; ".join(ctx.asset["creators"])
    return None


def title_of(ctx) -> str | None:
    return ctx.facts.metadata.title or (ctx.asset or {}).get("title") or None


def source_url_of(ctx) -> str | None:
    md = ctx.facts.metadata
    candidates = [md.cc_attribution_url, (ctx.asset or {}).get("source_url"), md.web_statement]
    for url in candidates:
        if url and re.match(r"(?i)https?://", url) and "creativecommons.org/" not in url.lower():
            return url
    return None


def _attribution_required(lic) -> bool:
    return lic is not None and lic.conditions.attribution in ("required", "required_editorial")


def _modification_must_be_indicated(ctx) -> bool:
    lic = ctx.license
    if lic is None or not lic.is_cc or lic.is_pd_tool:
        return False
    modified = ctx.edits - {"resize"}
    if not modified:
        return False
    rule_ = lic.conditions.indicate_modifications
    if rule_ == "always":
        return True
    if rule_ == "adaptations":
        return True  # ≤3.0: every remaining edit, crops included, is treated as an adaptation (conservative)
    return False


@rule("ATT001", "author-missing", family="credit", severity=Severity.WARNING,
      en="The licence requires naming the creator, but no creator is known.",
      sv="Licensen kräver att upphovspersonen anges, men ingen upphovsperson är känd.",
      cite="CC BY 4.0 §3(a)(1)(A)(i); upphovsrättslagen 3 §", url="https://creativecommons.org/licenses/by/4.0/legalcode")
def author_missing(ctx):
    if _attribution_required(ctx.license) and not author_of(ctx):
        lic = ctx.license
        yield Hit("No creator found in the file or the registry: find the creator's name at the source; write 'unknown creator' only if the source gives none.",
                  "Ingen upphovsperson hittades i filen eller registret: leta upp namnet hos källan; skriv 'okänd upphovsperson' bara om källan saknar namn.",
                  {"license": lic.id}, citation=licence_clause(lic, "attribution", "attribution"))


@rule("ATT002", "title-required", family="credit", severity=Severity.ERROR,
      en="Licences up to version 3.0 require the title in the credit if the licensor supplied one.",
      sv="Licenser till och med version 3.0 kräver titeln i erkännandet om licensgivaren har angett en.",
      cite="CC BY 3.0 §4(b); CC deed: 'CC licenses prior to Version 4.0 also require you to provide the title'",
      url="https://creativecommons.org/licenses/by/3.0/legalcode")
def title_required(ctx):
    lic = ctx.license
    if lic is None or not lic.conditions.title_required or not _attribution_required(lic):
        return
    title = title_of(ctx)
    cite = licence_clause(lic, "title", "title of the work if supplied")
    if not title:
        yield Hit(f"{lic.names.short} requires the title if one was supplied, and none is known: look it up at the source and give it with --title.",
                  f"{lic.names.short} kräver titeln om en har angetts, och ingen är känd: leta upp den hos källan och ange den med --title.",
                  {"license": lic.id}, citation=cite)
    elif ctx.use.credit and title.casefold() not in ctx.use.credit.casefold():
        yield Hit(f"The planned credit line lacks the title \u201c{title}\u201d, which {lic.names.short} requires.",
                  f"Den planerade bildtexten saknar titeln \u201d{title}\u201d, som {lic.names.short} kräver.",
                  {"license": lic.id, "title": title, "credit": ctx.use.credit}, citation=cite)


@rule("ATT003", "source-missing", family="credit", severity=Severity.WARNING,
      en="CC 4.0 asks for a link to the material where reasonably practicable, and no source URL is known.",
      sv="CC 4.0 kräver en länk till verket där det är rimligt möjligt, och ingen källadress är känd.",
      cite="CC BY 4.0 §3(a)(1)(A)(v)", url="https://creativecommons.org/licenses/by/4.0/legalcode")
def source_missing(ctx):
    lic = ctx.license
    if lic is None or lic.kind != "cc-license" or lic.version != "4.0" or source_url_of(ctx):
        return
    yield Hit("No source URL known: add the address of the page the image came from (e.g. its Flickr page) with --source.",
              "Ingen källadress känd: ange adressen till sidan bilden kom från (t.ex. dess Flickr-sida) med --source.",
              {"license": lic.id}, citation=licence_clause(lic, "attribution", "URI or hyperlink to the Licensed Material"))


@rule("ATT004", "indicate-modifications", family="credit", severity=Severity.ERROR,
      en="The image is modified: the credit line must say so (and keep earlier modification notes).",
      sv="Bilden är ändrad: bildtexten måste ange det (och behålla tidigare ändringsnoteringar).",
      cite="CC BY 4.0 §3(a)(1)(B); CC BY 3.0 §4(b)", url="https://creativecommons.org/licenses/by/4.0/legalcode")
def indicate_modifications(ctx):
    if not _modification_must_be_indicated(ctx):
        return
    lic = ctx.license
    cite = licence_clause(lic, "modifications", "indicate if you modified the material")
    edits = sorted(ctx.edits - {"resize"})
    if ctx.use.credit:
        if not _CHANGE_WORDS.search(ctx.use.credit):
            yield Hit("The planned credit line does not say the image was changed: add a note such as 'Cropped by Malmö stad'.",
                      "Den planerade bildtexten säger inte att bilden är ändrad: lägg till t.ex. 'Beskuren av Malmö stad'.",
                      {"license": lic.id, "edits": edits, "credit": ctx.use.credit}, citation=cite)
    else:
        yield Hit("The image is modified: use the suggested credit line, which says what was changed and by whom.",
                  "Bilden är ändrad: använd den föreslagna bildtexten, som anger vad som ändrats och av vem.",
                  {"license": lic.id, "edits": edits}, severity=Severity.INFO, citation=cite)


@rule("ATT005", "own-credit-needs-name", family="credit", severity=Severity.WARNING,
      en="Own images are credited 'Malmö stad/NN': the photographer's name, not only the organisation.",
      sv="Egna bilder krediteras 'Malmö stad/NN': fotografens namn, inte bara organisationen.",
      cite="Malmö stad, Sociala medier – handbok: bildbyline", url=HANDBOOK_IMAGES)
def own_credit(ctx):
    if ctx.origin not in ("own", "image_bank"):
        return
    org = ctx.policy.organisation
    author = author_of(ctx)
    cite = handbook(ctx.policy, f"credit as \u201c{org}/NN\u201d, not only \u201c{org}\u201d")
    named = author and not ctx.policy.is_own_text(author)
    if not named:
        yield Hit(f"The photographer's name is missing: the credit must read \u201c{org}/NN\u201d. Ask the image bank or the photographer.",
                  f"Fotografens namn saknas: bildtexten ska vara \u201d{org}/NN\u201d. Fråga bildbanken eller fotografen.",
                  {"creators": ctx.facts.metadata.creators}, citation=cite)
    elif ctx.use.credit and author.split(";")[0].strip().casefold() not in ctx.use.credit.casefold():
        yield Hit(f"The planned credit line does not name the photographer ({author}).",
                  f"Den planerade bildtexten anger inte fotografen ({author}).",
                  {"credit": ctx.use.credit, "author": author}, citation=cite)


@rule("ATT006", "credit-line-incomplete", family="credit", severity=Severity.ERROR,
      en="The planned credit line lacks the creator or the licence the licence requires.",
      sv="Den planerade bildtexten saknar upphovspersonen eller licensen som licensen kräver.",
      cite="CC: Recommended practices for attribution (TASL)", url=CC_ATTRIBUTION)
def credit_incomplete(ctx):
    lic, credit = ctx.license, ctx.use.credit
    if not credit or not _attribution_required(lic) or ctx.origin == "own":
        return
    missing = []
    author = author_of(ctx)
    if author and not any(a.strip().casefold() in credit.casefold() for a in author.split(";") if a.strip()):
        missing.append(("creator", "upphovsperson", author))
    if lic.is_cc and not _mentions_licence(credit, lic):
        missing.append(("licence", "licens", lic.names.short))
    for en, sv, value in missing:
        yield Hit(f"The planned credit line lacks the {en} ({value}).",
                  f"Den planerade bildtexten saknar {sv} ({value}).",
                  {"credit": credit, "missing": en, "expected": value},
                  citation=licence_clause(lic, "attribution", "attribution"))


def _mentions_licence(credit: str, lic) -> bool:
    norm = re.sub(r"[\s\-]+", "", credit.casefold())
    short = re.sub(r"[\s\-]+", "", lic.names.short.casefold())
    return short in norm or lic.canonical_url.casefold().removeprefix("https://") in credit.casefold()


@rule("ATT007", "credit-recommended", family="credit", severity=Severity.INFO,
      en="No credit is required, but naming the creator and source is good practice.",
      sv="Erkännande krävs inte, men att ange upphovsperson och källa är god sed.",
      cite=URL_2.text, url=URL_2.url)
def credit_recommended(ctx):
    lic = ctx.license
    if lic is None or lic.conditions.attribution != "recommended" or lic.is_pd_tool:
        return
    yield Hit(f"{lic.names.short}: credit is not required, but name the creator and where the image comes from.",
              f"{lic.names.short}: erkännande krävs inte, men ange upphovsperson och varifrån bilden kommer.",
              {"license": lic.id}, citation=Citation(lic.names.en, lic.canonical_url or URL_2.url))
