"""What a privacy-safe copy removes and what it keeps — the policy, as data.

Removed (location and personal data; research/metadata.md §5.7, the lead's privacy findings):

* EXIF GPS IFD (every GPS tag) — where the photo was taken;
* EXIF CameraOwnerName (0xA430), BodySerialNumber (0xA431), LensSerialNumber (0xA435),
  the non-standard OwnerName/SerialNumber (0xFDE8/0xFDE9), DNG CameraSerialNumber (0xC62F)
  and HostComputer (0x013C) — they name or fingerprint a person's equipment;
* EXIF MakerNote (0x927C) — proprietary blobs that carry owner names and serial numbers
  (Canon OwnerName, Nikon/GoPro serials) and sometimes location; never rights data;
* EXIF IFD1 thumbnail (JPEG/PNG/WebP EXIF) — it can show what was cropped away;
* XMP ``exif:GPS*``; ``exifEX:CameraOwnerName/BodySerialNumber/LensSerialNumber``;
  ``aux:OwnerName/SerialNumber/LensSerialNumber``;
* XMP ``Iptc4xmpExt:PersonInImage`` / ``PersonInImageWDetails`` (names of the people shown),
  ``Iptc4xmpExt:LocationCreated`` / ``LocationShown`` (structured places, usually with GPS),
  face-region names (``mwg-rs:Regions``, ``MP:RegionInfo``);
* creator contact details in ``Iptc4xmpCore:CreatorContactInfo``: address, phone, e-mail
  (the work URL ``CiUrlWork`` is kept: it is how a reuser finds the rights holder);
* JPEG data after the end of the image (MPF secondary images with their own EXIF/GPS,
  vendor trailers), the MPF index, GoPro APP6 telemetry, ExtendedXMP (cannot be edited safely);
* Content Credentials only when they themselves contain location (``stds.exif`` GPS).

Kept (rights, attribution and disclosure):

* EXIF Artist, Copyright, ImageDescription, XPAuthor/XPComment/…, UserComment, Software,
  dates, camera make/model and exposure data;
* IPTC-IIM (APP13 / TIFF tag 33723) byte for byte — including its textual place names,
  which are caption data (reported as "kept, review");
* XMP dc, xmpRights, cc, plus (licensor contact is licensing information), photoshop
  (Credit, Source, Instructions, City/Country), Iptc4xmpCore (Location text, CiUrlWork),
  Iptc4xmpExt DigitalSourceType and the 2025.1 AI fields, xmpMM history;
* ICC profiles, JPEG comments, Content Credentials (which then no longer validate: the file
  changed after signing — reported), and the pixels: never re-encoded.
"""

from __future__ import annotations

# --- EXIF / TIFF tags ---------------------------------------------------------------------
TAG_EXIF_IFD = 0x8769
TAG_GPS_IFD = 0x8825
TAG_INTEROP_IFD = 0xA005
TAG_XMP = 700
TAG_IPTC = 33723
TAG_C2PA = 52545

REMOVED_TAGS = {
    0xA430: "CameraOwnerName",
    0xA431: "BodySerialNumber",
    0xA435: "LensSerialNumber",
    0xFDE8: "OwnerName",
    0xFDE9: "SerialNumber",
    0xC62F: "CameraSerialNumber",
    0x013C: "HostComputer",
    0x927C: "MakerNote",
}

RIGHTS_TAGS = {
    0x013B: "Artist",
    0x8298: "Copyright",
    0x010E: "ImageDescription",
    0x9C9B: "XPTitle",
    0x9C9C: "XPComment",
    0x9C9D: "XPAuthor",
    0x9C9E: "XPKeywords",
    0x9C9F: "XPSubject",
    0x9286: "UserComment",
    0x0131: "Software",
}

# tags whose values are offsets into the file (kept ranges we must never zero)
STRIP_OFFSETS, STRIP_COUNTS, TILE_OFFSETS, TILE_COUNTS = 0x0111, 0x0117, 0x0144, 0x0145
THUMB_OFFSET, THUMB_LENGTH = 0x0201, 0x0202

# --- XMP ----------------------------------------------------------------------------------
NS_EXIF = "http://ns.adobe.com/exif/1.0/"
NS_EXIFEX = "http://cipa.jp/exif/1.0/"
NS_AUX = "http://ns.adobe.com/exif/1.0/aux/"
NS_IPTC_EXT = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
NS_IPTC_CORE = "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"
NS_MWG_RS = "http://www.metadataworkinggroup.com/schemas/regions/"
NS_MP = "http://ns.microsoft.com/photo/1.2/"
NS_XMP_NOTE = "http://ns.adobe.com/xmp/note/"
NS_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

# (namespace, local name) removed wherever they occur; a local name ending in "*" is a prefix
REMOVED_XMP = {
    (NS_EXIF, "GPS*"): "location",
    (NS_EXIFEX, "CameraOwnerName"): "personal",
    (NS_EXIFEX, "BodySerialNumber"): "personal",
    (NS_EXIFEX, "LensSerialNumber"): "personal",
    (NS_EXIFEX, "GPS*"): "location",
    (NS_AUX, "OwnerName"): "personal",
    (NS_AUX, "SerialNumber"): "personal",
    (NS_AUX, "LensSerialNumber"): "personal",
    (NS_IPTC_EXT, "PersonInImage"): "personal",
    (NS_IPTC_EXT, "PersonInImageWDetails"): "personal",
    (NS_IPTC_EXT, "LocationCreated"): "location",
    (NS_IPTC_EXT, "LocationShown"): "location",
    (NS_IPTC_CORE, "CiAdrExtadr"): "personal",
    (NS_IPTC_CORE, "CiAdrCity"): "personal",
    (NS_IPTC_CORE, "CiAdrRegion"): "personal",
    (NS_IPTC_CORE, "CiAdrPcode"): "personal",
    (NS_IPTC_CORE, "CiAdrCtry"): "personal",
    (NS_IPTC_CORE, "CiTelWork"): "personal",
    (NS_IPTC_CORE, "CiEmailWork"): "personal",
    (NS_MWG_RS, "Regions"): "personal",
    (NS_MP, "RegionInfo"): "personal",
    (NS_XMP_NOTE, "HasExtendedXMP"): "extended XMP dropped",
}

# XMP namespaces whose properties are rights/attribution data (must survive unchanged)
RIGHTS_NAMESPACES = {
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://ns.adobe.com/xap/1.0/rights/": "xmpRights",
    "http://creativecommons.org/ns#": "cc",
    "http://ns.useplus.org/ldf/xmp/1.0/": "plus",
    "http://ns.adobe.com/photoshop/1.0/": "photoshop",
    NS_IPTC_CORE: "Iptc4xmpCore",
    NS_IPTC_EXT: "Iptc4xmpExt",
}

# textual place names that are kept but worth a look before posting
PLACE_NAMES = {
    ("http://ns.adobe.com/photoshop/1.0/", "City"),
    ("http://ns.adobe.com/photoshop/1.0/", "State"),
    ("http://ns.adobe.com/photoshop/1.0/", "Country"),
    (NS_IPTC_CORE, "Location"),
    (NS_IPTC_CORE, "CountryCode"),
}


def xmp_removal_reason(ns: str, local: str) -> str | None:
    """Why ``{ns}local`` is removed, or ``None`` when it is kept."""
    reason = REMOVED_XMP.get((ns, local))
    if reason:
        return reason
    for (rns, rlocal), why in REMOVED_XMP.items():
        if rlocal.endswith("*") and rns == ns and local.startswith(rlocal[:-1]):
            return why
    return None


# byte markers of location inside Content Credentials (stds.exif assertion) or other blobs
LOCATION_MARKERS = (b"exif:GPSLatitude", b"exif:GPSLongitude", b"GPSLatitude", b"GPSLongitude")
