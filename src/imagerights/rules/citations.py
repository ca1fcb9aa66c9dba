"""Citations shared by several rule families: laws, the CC FAQ, standards.

Licence clauses come from the licence data (``License.clauses``), handbook rules from
the policy data, brand guidelines from ``licenses/brands``; these are the rest.
"""

from __future__ import annotations

from imagerights.findings import Citation

CC_FAQ = "https://creativecommons.org/faq/"
CC_ATTRIBUTION = "https://wiki.creativecommons.org/wiki/Recommended_practices_for_attribution"
GDPR = Citation("GDPR (EU) 2016/679, art. 4(1), 6 and 7: an image of an identifiable person is personal data",
                "https://eur-lex.europa.eu/eli/reg/2016/679/oj")
GDPR_PERSONAL_DATA = Citation("GDPR (EU) 2016/679, art. 4(1): location data and identifiers of a person are personal data; art. 5(1)(c) data minimisation",
                              "https://eur-lex.europa.eu/eli/reg/2016/679/oj")
NAMN_OCH_BILD = Citation("Lag (1978:800) om namn och bild i reklam, 1 §: no use of a person's image in marketing without consent",
                         "https://www.riksdagen.se/sv/dokument-och-lagar/dokument/svensk-forfattningssamling/lag-1978800-om-namn-och-bild-i-reklam_sfs-1978-800/")
URL_2 = Citation("Upphovsrättslagen (1960:729) 2 § and 3 §: exclusive right in original or altered form; the author must be named as good practice requires",
                 "https://www.riksdagen.se/sv/dokument-och-lagar/dokument/svensk-forfattningssamling/lag-1960729-om-upphovsratt-till-litterara-och_sfs-1960-729/")
URL_49A = Citation("Upphovsrättslagen (1960:729) 49 a § (fotografisk bild: 50 years from the year it was made) and 43 § (works: 70 years after the author's death)",
                   "https://www.riksdagen.se/sv/dokument-och-lagar/dokument/svensk-forfattningssamling/lag-1960729-om-upphovsratt-till-litterara-och_sfs-1960-729/")
MWG = Citation("Metadata Working Group guidelines 2.0, reconciliation of EXIF, IPTC-IIM and XMP (as implemented by ExifTool -use MWG)",
               "https://exiftool.org/TagNames/MWG.html")
IPTC_DST = Citation("IPTC NewsCodes: Digital Source Type", "https://cv.iptc.org/newscodes/digitalsourcetype/")
C2PA = Citation("C2PA Technical Specification: validation of Content Credentials", "https://c2pa.org/specifications/specifications/2.1/specs/C2PA_Specification.html")
IPTC_PMD = Citation("IPTC Photo Metadata Standard: Creator, Copyright Notice, Credit Line, Web Statement of Rights",
                    "https://www.iptc.org/std/photometadata/specification/IPTC-PhotoMetadata")


def licence_clause(lic, topic: str, fallback: str = "") -> Citation:
    """Cite ``topic`` of licence ``lic`` (clause from the licence data, URL of its legal code)."""
    clause = lic.clause(topic) if lic is not None else ""
    name = lic.names.short if lic is not None else "licence"
    url = ""
    if lic is not None:
        url = lic.legalcode_url or lic.canonical_url
    text = f"{name} {clause}".strip() if clause else (f"{name}: {fallback}" if fallback else name)
    return Citation(text, url or CC_FAQ)


def handbook(policy, what: str, key: str = "images_url") -> Citation:
    return Citation(f"{policy.handbook_name()}: {what}", policy.handbook_url(key))

# The default policy's handbook pages, for the rules' static metadata (``rules list``, SARIF);
# findings themselves cite the URLs of the policy in force.
HANDBOOK_IMAGES = "https://socialamedier.malmo.se/regler-for-bilder/"
HANDBOOK_CC = "https://malmo.se/Sociala-medier-handbok/Regler-och-riktlinjer/Creative-Commons.html"
