"""MET: the metadata itself — provenance unknown, containers disagreeing, containers unreadable."""

from __future__ import annotations

from imagerights.findings import Severity
from imagerights.rules.base import Hit, rule
from imagerights.rules.citations import IPTC_PMD, MWG, URL_2


@rule("MET001", "unknown-provenance", family="metadata", severity=Severity.WARNING,
      en="Unknown provenance: no creator, no copyright notice, no licence and no registry match.",
      sv="Okänt ursprung: ingen upphovsperson, ingen upphovsrättsnotis, ingen licens och ingen träff i registret.",
      cite=URL_2.text, url=URL_2.url)
def unknown_provenance(ctx):
    md = ctx.facts.metadata
    if ctx.facts.image.width is None and ctx.facts.errors:
        return  # the file itself is unreadable: FIL finding says it
    if md.creators or md.copyright or md.credit or ctx.license or ctx.asset or md.cc_attribution_name:
        return
    yield Hit("Nothing in the file or the registry says who made this image or under which terms: copyright always applies. "
              "Find the source, or register the image with its licence.",
              "Inget i filen eller registret säger vem som skapat bilden eller på vilka villkor: upphovsrätten gäller alltid. "
              "Ta reda på källan, eller registrera bilden med dess licens.", {})


@rule("MET002", "conflicting-metadata", family="metadata", severity=Severity.WARNING,
      en="EXIF, IPTC and XMP disagree about a rights field.",
      sv="EXIF, IPTC och XMP är oeniga om ett rättighetsfält.", cite=MWG.text, url=MWG.url)
def conflicts(ctx):
    for c in ctx.facts.metadata.conflicts:
        values = "; ".join(f"{cand.source}: {_fmt(cand.value)}" for cand in c.candidates)
        yield Hit(f"The {c.field} differs between containers ({values}); imagerights uses {c.chosen} (MWG rule). Check which is right.",
                  f"Fältet {c.field} skiljer sig mellan behållarna ({values}); imagerights använder {c.chosen} (MWG-regeln). Kontrollera vilket som stämmer.",
                  {"field": c.field, "chosen": c.chosen,
                   "candidates": [{"source": cand.source, "value": cand.value} for cand in c.candidates]})


@rule("MET003", "unreadable-container", family="metadata", severity=Severity.WARNING,
      en="A metadata container is present but unreadable (corrupt, truncated or hostile).",
      sv="En metadatabehållare finns men går inte att läsa (trasig, avkortad eller fientlig).",
      cite=IPTC_PMD.text, url=IPTC_PMD.url)
def unreadable_container(ctx):
    for err in ctx.facts.metadata.container_errors:
        yield Hit(f"{err.container} could not be read: {err.reason}. Rights information in it is missing from this check.",
                  f"{err.container} kunde inte läsas: {err.reason}. Rättighetsinformation i den saknas i kontrollen.",
                  {"container": err.container, "reason": err.reason})


@rule("MET004", "rights-metadata-missing", family="metadata", severity=Severity.INFO,
      en="The file lacks the IPTC minimum for rights: creator, copyright notice and credit line.",
      sv="Filen saknar IPTC:s minimum för rättigheter: upphovsperson, upphovsrättsnotis och kreditering.",
      cite=IPTC_PMD.text, url=IPTC_PMD.url)
def rights_minimum(ctx):
    md = ctx.facts.metadata
    if not (md.creators or md.copyright or md.credit):
        return  # MET001 covers the empty case
    missing = [name for name, value in (("creator", md.creators), ("copyright notice", md.copyright),
                                        ("credit line", md.credit)) if not value]
    if missing:
        sv = {"creator": "upphovsperson", "copyright notice": "upphovsrättsnotis", "credit line": "kreditering"}
        yield Hit(f"Missing: {', '.join(missing)}. Fill them in when you add the image to the image bank.",
                  f"Saknas: {', '.join(sv[m] for m in missing)}. Fyll i dem när bilden läggs in i bildbanken.",
                  {"missing": missing})


def _fmt(value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)
