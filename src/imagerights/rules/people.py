"""PPL: identifiable people — consent, GDPR and namn- och bildlagen (research/licenses.md §4.3 R8–R10, §5.2).

"Identifiable people" comes from ``--people`` (override), face detection, the registry
or PersonInImage metadata (``Context.people`` / ``people_source``). A consent record in
the registry clears these findings.
"""

from __future__ import annotations

from imagerights.findings import Citation, Severity
from imagerights.rules.base import Hit, rule
from imagerights.rules.citations import GDPR, HANDBOOK_CC, HANDBOOK_IMAGES, NAMN_OCH_BILD, handbook

CONSENTS = ("oral", "written", "model_release", "not_needed")


def _consented(ctx, *, strong: bool = False) -> bool:
    """Consent on record. ``strong``: a model release (what licensing the image to others needs)."""
    if ctx.consent is None:
        return False
    if strong:
        return ctx.consent in ("model_release", "not_needed")
    return ctx.consent in CONSENTS


def _who(ctx) -> tuple[str, str]:
    faces = ctx.facts.faces
    if ctx.people_source == "faces" and faces is not None:
        n = faces.identifiable
        return (f"{n} identifiable face{'s' if n != 1 else ''}", f"{n} identifierbar{'a' if n != 1 else ''} ansikte{'n' if n != 1 else ''}")
    if ctx.people_source == "metadata":
        names = ", ".join(ctx.facts.metadata.persons_in_image)
        return (f"people named in the metadata ({names})", f"personer namngivna i metadata ({names})")
    return ("identifiable people", "identifierbara personer")


def _account_cc_license(ctx):
    lic_id = ctx.use.publish_license or ctx.policy.account_license(ctx.use.account)
    lic = ctx.catalogue.get(lic_id) if lic_id else None
    return lic if lic is not None and lic.is_cc else None


@rule("PPL008", "own-image-people-cc", family="people", severity=Severity.ERROR,
      en="The organisation's own image shows identifiable people: never put a CC licence on it.",
      sv="Organisationens egen bild visar identifierbara personer: sätt aldrig en CC-licens på den.",
      cite="Malmö stad, Sociala medier – handbok: Creative Commons — 'aldrig för bilder där det finns identifierbara personer'",
      url=HANDBOOK_CC)
def own_people_cc(ctx):
    if ctx.origin not in ("own", "image_bank") or ctx.people != "yes" or _consented(ctx, strong=True):
        return
    lic = _account_cc_license(ctx)
    if lic is None:
        return
    en, sv = _who(ctx)
    yield Hit(f"{en.capitalize()}: publish without {lic.names.short} (the credit line is given without a licence), or get a model release.",
              f"{sv.capitalize()}: publicera utan {lic.names.short} (bildtexten ges utan licens), eller skaffa ett modellavtal.",
              {"people": ctx.people, "people_source": ctx.people_source, "account_license": lic.id},
              citation=handbook(ctx.policy, "Creative Commons — never for images with identifiable people", "creative_commons_url"))


@rule("PPL009", "free-bank-people", family="people", severity=Severity.WARNING,
      en="A free image bank's photo with identifiable people: consent cannot be proven.",
      sv="En bild från en gratis bildbank med identifierbara personer: samtycke kan inte bevisas.",
      cite="Malmö stad handbook: free banks — 'du inte kan bevisa att du har samtycke'; Unsplash: releases not guaranteed",
      url=HANDBOOK_IMAGES)
def free_bank_people(ctx):
    if ctx.origin != "free_bank" or ctx.people != "yes" or _consented(ctx):
        return
    en, sv = _who(ctx)
    commercial = ctx.use.commercial
    yield Hit(f"{en.capitalize()} in a free-bank image: you cannot prove consent"
              + (" — in advertising or a company's account namn- och bildlagen requires it: choose another image." if commercial else "; prefer an image without identifiable people."),
              f"{sv.capitalize()} i en bild från en gratis bildbank: ni kan inte bevisa samtycke"
              + (" — i reklam eller ett bolags konto kräver namn- och bildlagen det: välj en annan bild." if commercial else "; välj hellre en bild utan identifierbara personer."),
              {"people": ctx.people, "origin": ctx.origin, "commercial": commercial},
              severity=Severity.ERROR if commercial else None,
              citation=Citation(handbook(ctx.policy, "free image banks and identifiable people").text
                                + ("; " + NAMN_OCH_BILD.text if commercial else ""), ctx.policy.handbook_url()))


@rule("PPL010", "company-people-consent", family="people", severity=Severity.ERROR,
      en="A municipal company's post with identifiable people and no consent on record (namn- och bildlagen).",
      sv="Ett kommunalt bolags inlägg med identifierbara personer och inget samtycke registrerat (namn- och bildlagen).",
      cite=NAMN_OCH_BILD.text, url=NAMN_OCH_BILD.url)
def company_people(ctx):
    if ctx.use.account != "company" or ctx.people != "yes" or _consented(ctx):
        return
    en, sv = _who(ctx)
    yield Hit(f"{en.capitalize()}, no consent on record: a municipal company's communication counts as advertising, so every person shown must consent. "
              "Record it with: imagerights registry add FILE --consent written --consent-ref REF",
              f"{sv.capitalize()}, inget samtycke registrerat: ett kommunalt bolags kommunikation räknas som reklam, så varje avbildad person måste samtycka. "
              "Registrera det med: imagerights registry add FIL --consent written --consent-ref REF",
              {"people": ctx.people, "people_source": ctx.people_source, "account": "company"},
              citation=Citation(f"{NAMN_OCH_BILD.text}; {ctx.policy.handbook_name()}: kommunala bolag", NAMN_OCH_BILD.url))


@rule("PPL011", "people-consent", family="people", severity=Severity.WARNING,
      en="Identifiable people and no consent on record: an image of a person is personal data (GDPR).",
      sv="Identifierbara personer och inget samtycke registrerat: en bild på en person är en personuppgift (GDPR).",
      cite=GDPR.text, url=GDPR.url)
def people_consent(ctx):
    if ctx.people != "yes" or _consented(ctx) or ctx.use.account == "company" or ctx.origin == "free_bank":
        return  # companies: PPL010; free banks: PPL009
    en, sv = _who(ctx)
    yield Hit(f"{en.capitalize()}, no consent on record: written consent is the rule. Record it in the registry, or make sure another legal basis applies.",
              f"{sv.capitalize()}, inget samtycke registrerat: skriftligt samtycke är huvudregeln. Registrera det, eller säkerställ att en annan rättslig grund gäller.",
              {"people": ctx.people, "people_source": ctx.people_source},
              citation=Citation(f"{GDPR.text}; {ctx.policy.handbook_name()}: written consent", GDPR.url))


@rule("PPL012", "no-model-release", family="people", severity=Severity.WARNING,
      en="The file says there is no model release, and people are shown.",
      sv="Filen anger att modellavtal saknas, och personer syns på bilden.",
      cite="PLUS Model Release Status (MR-NON)", url="https://ns.useplus.org/LDF/ldf-XMPSpecification#ModelReleaseStatus")
def no_model_release(ctx):
    if ctx.facts.metadata.model_release == "MR-NON" and ctx.people == "yes" and not _consented(ctx):
        yield Hit("The image's metadata says no model release exists for the people shown.",
                  "Bildens metadata anger att modellavtal saknas för de avbildade.",
                  {"model_release": "MR-NON"})


@rule("PPL013", "people-unknown", family="people", severity=Severity.INFO,
      en="Whether identifiable people are shown could not be determined: look at the image.",
      sv="Det gick inte att avgöra om identifierbara personer syns: titta på bilden.",
      cite=GDPR.text, url=GDPR.url)
def people_unknown(ctx):
    if ctx.people == "unknown" and ctx.facts.image.width:
        yield Hit("No face detection result and no --people flag: check by eye whether identifiable people are shown (--people yes|no).",
                  "Inget resultat från ansiktsdetekteringen och ingen --people-flagga: kontrollera med ögat om identifierbara personer syns (--people yes|no).",
                  {})
