"""PRI: personal data in the file that posting would publish (location, owner, serial, names, contacts)."""

from __future__ import annotations

from imagerights.findings import Severity
from imagerights.rules.base import Hit, rule
from imagerights.rules.citations import GDPR, GDPR_PERSONAL_DATA

_STRIP_EN = "Post a safe copy: imagerights privacy strip FILE -o COPY"
_STRIP_SV = "Publicera en säker kopia: imagerights privacy strip FIL -o KOPIA"


@rule("PRI001", "gps-position", family="privacy", severity=Severity.WARNING,
      en="The file contains a GPS position: posting it tells the world where the photo was taken.",
      sv="Filen innehåller en GPS-position: publiceras den visar den var bilden togs.",
      cite=GDPR_PERSONAL_DATA.text, url=GDPR_PERSONAL_DATA.url)
def gps(ctx):
    g = ctx.facts.metadata.gps
    if g.present:
        where = f" ({g.latitude:.5f}, {g.longitude:.5f})" if g.latitude is not None and g.longitude is not None else ""
        yield Hit(f"GPS position in {g.source or 'the metadata'}{where}. Most platforms strip it, but e-mail, web and file sharing do not. {_STRIP_EN}",
                  f"GPS-position i {g.source or 'metadata'}{where}. De flesta plattformar tar bort den, men inte e-post, webb och fildelning. {_STRIP_SV}",
                  {"source": g.source, "latitude": g.latitude, "longitude": g.longitude})


@rule("PRI002", "camera-owner", family="privacy", severity=Severity.INFO,
      en="The file names the camera's owner.", sv="Filen anger kamerans ägare.", cite=GDPR_PERSONAL_DATA.text, url=GDPR_PERSONAL_DATA.url)
def owner(ctx):
    if ctx.facts.metadata.camera_owner:
        yield Hit(f"Camera owner: {ctx.facts.metadata.camera_owner}. {_STRIP_EN}",
                  f"Kamerans ägare: {ctx.facts.metadata.camera_owner}. {_STRIP_SV}",
                  {"camera_owner": ctx.facts.metadata.camera_owner})


@rule("PRI003", "body-serial", family="privacy", severity=Severity.INFO,
      en="The file contains the camera's serial number (it ties photos to one device).",
      sv="Filen innehåller kamerans serienummer (det knyter bilder till en viss kamera).", cite=GDPR_PERSONAL_DATA.text, url=GDPR_PERSONAL_DATA.url)
def serial(ctx):
    if ctx.facts.metadata.body_serial:
        yield Hit(f"Camera serial number present. {_STRIP_EN}", f"Kamerans serienummer finns. {_STRIP_SV}",
                  {"body_serial": True})


@rule("PRI004", "person-in-image", family="privacy", severity=Severity.WARNING,
      en="The metadata names the people shown.", sv="Metadata namnger de avbildade personerna.", cite=GDPR.text, url=GDPR.url)
def person_in_image(ctx):
    names = ctx.facts.metadata.persons_in_image
    if names:
        yield Hit(f"Names of people shown: {', '.join(names)}. Make sure they agreed to be named. {_STRIP_EN}",
                  f"Namn på avbildade: {', '.join(names)}. Säkerställ att de har gått med på att namnges. {_STRIP_SV}",
                  {"persons_in_image": names})


@rule("PRI005", "creator-contact", family="privacy", severity=Severity.INFO,
      en="The file contains the creator's contact details (phone, e-mail, address).",
      sv="Filen innehåller upphovspersonens kontaktuppgifter (telefon, e-post, adress).", cite=GDPR_PERSONAL_DATA.text, url=GDPR_PERSONAL_DATA.url)
def creator_contact(ctx):
    contact = ctx.facts.metadata.creator_contact
    if contact:
        yield Hit(f"Creator contact details: {', '.join(sorted(contact))}. {_STRIP_EN}",
                  f"Upphovspersonens kontaktuppgifter: {', '.join(sorted(contact))}. {_STRIP_SV}",
                  {"fields": sorted(contact)})
