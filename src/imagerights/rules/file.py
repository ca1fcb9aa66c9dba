"""FIL: the file itself (or one reader) failed. One file's failure is that file's finding."""

from __future__ import annotations

from imagerights.findings import Citation, Severity
from imagerights.rules.base import Hit, rule
from imagerights.rules.citations import HANDBOOK_IMAGES

# Copyright always applies (handbook): an image whose rights cannot be checked is not published.
_READ = Citation("Malmö stad, Sociala medier – handbok: upphovsrätten gäller alltid — an image that cannot be checked is not posted",
                 HANDBOOK_IMAGES)

# stages that mean the image itself is unusable (vs. one optional reader failing)
_FATAL = {"open", "decode", "bomb", "timeout"}


@rule("FIL001", "unreadable-image", family="file", severity=Severity.ERROR,
      en="The file could not be opened or decoded as an image.",
      sv="Filen kunde inte öppnas eller avkodas som en bild.", cite=_READ.text, url=_READ.url)
def unreadable(ctx):
    for err in ctx.facts.errors:
        if err.stage in ("open", "decode"):
            yield Hit(f"The file could not be read as an image: {err.reason}",
                      f"Filen kunde inte läsas som en bild: {err.reason}",
                      {"stage": err.stage, "reason": err.reason})


@rule("FIL002", "decompression-bomb", family="file", severity=Severity.ERROR,
      en="The image has more pixels than the safety limit (possible decompression bomb).",
      sv="Bilden har fler pixlar än säkerhetsgränsen (möjlig dekomprimeringsbomb).",
      cite="Pillow: decompression bomb protection", url="https://pillow.readthedocs.io/en/stable/reference/Image.html#PIL.Image.open")
def bomb(ctx):
    for err in ctx.facts.errors:
        if err.stage == "bomb":
            yield Hit(f"Not decoded: {err.reason}", f"Avkodades inte: {err.reason}",
                      {"stage": err.stage, "reason": err.reason})


@rule("FIL003", "timeout", family="file", severity=Severity.ERROR,
      en="Checking the file took longer than the time limit.",
      sv="Kontrollen av filen tog längre tid än tidsgränsen.", cite=_READ.text, url=_READ.url)
def timeout(ctx):
    for err in ctx.facts.errors:
        if err.stage == "timeout":
            yield Hit(f"Stopped after the time limit: {err.reason}", f"Avbröts vid tidsgränsen: {err.reason}",
                      {"stage": err.stage, "reason": err.reason})


@rule("FIL004", "reader-failed", family="file", severity=Severity.WARNING,
      en="One of the readers failed on this file; its facts are missing from the check.",
      sv="En av läsarna misslyckades med filen; dess fakta saknas i kontrollen.", cite=_READ.text, url=_READ.url)
def reader_failed(ctx):
    for err in ctx.facts.errors:
        if err.stage not in _FATAL:
            yield Hit(f"The {err.stage} step failed: {err.reason}. Check this part by hand.",
                      f"Steget {err.stage} misslyckades: {err.reason}. Kontrollera den delen manuellt.",
                      {"stage": err.stage, "reason": err.reason})
