"""From the containers' raw values to one Metadata record: MWG choice, candidates, conflicts.

The MWG 2.0 reading rule, exactly as ExifTool's ``-use MWG`` composites implement it
(lib/Image/ExifTool/MWG.pm), for Creator, Copyright and Description:

1. a non-blank EXIF value wins;
2. else XMP, if there is no IIM block at all, or XMP has the value and the IIM digest
   (Photoshop 0x0425) is absent or equals the MD5 of the current IIM block;
3. else IIM — unless the IIM value is exactly at its byte limit and is a prefix of the
   XMP value (``RecoverTruncatedIPTC``), then XMP.

Credit, Source, Title and Date Created use steps 2–3 (no EXIF), as MWG does for its
other IPTC/XMP pairs. Two deliberate departures, both recorded in ``notes``:

* lang-alt XMP values are read in the user's language (sv-SE → sv → x-default → first),
  where ExifTool's MWG tags use x-default;
* when the rule picks a source that has no value (e.g. stale digest, but IIM lacks the
  field) we fall back to the first source that has one instead of reporting nothing.

Every value seen goes to ``candidates`` (ExifTool tag names, lang variants as
``XMP-dc:Rights-sv-SE``); a disagreement between sources is a ``Conflict``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from imagerights.facts import Candidate, Conflict, Metadata
from imagerights.metadata import ai, gps, values
from imagerights.metadata.blocks import PngText
from imagerights.metadata.exif import Exif
from imagerights.metadata.iptc import LIMITS, Iptc
from imagerights.metadata.text import clean, normalise
from imagerights.metadata.xmp import NS, LangAlt, Props, as_list, as_text, choose_lang, tag_name


@dataclass
class Found:
    """What the container readers produced for one file."""

    exif: Exif | None = None
    iptc: Iptc | None = None
    xmp: Props | None = None
    png_text: list[PngText] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str  # "list" or "text"
    exif: str | None
    iptc: str | None
    xmp: tuple[str, str] | None  # (namespace prefix, local name)
    extras: tuple[str, ...] = ()  # used only when the MWG sources are all empty


MWG_FIELDS = (
    FieldSpec("creators", "list", "IFD0:Artist", "IPTC:By-line", ("dc", "creator"),
              ("IFD0:XPAuthor", "XMP-tiff:Artist", "PNG:Author")),
    FieldSpec("copyright", "text", "IFD0:Copyright", "IPTC:CopyrightNotice", ("dc", "rights"), ("PNG:Copyright",)),
    FieldSpec("description", "text", "IFD0:ImageDescription", "IPTC:Caption-Abstract", ("dc", "description"),
              ("IFD0:XPSubject", "IFD0:XPComment", "PNG:Description")),
    FieldSpec("title", "text", None, "IPTC:ObjectName", ("dc", "title"), ("IFD0:XPTitle", "PNG:Title")),
    FieldSpec("credit", "text", None, "IPTC:Credit", ("photoshop", "Credit"), ("XMP-pur:CreditLine",)),
    FieldSpec("source", "text", None, "IPTC:Source", ("photoshop", "Source")),
)

PNG_KEYWORDS = {"Author": "PNG:Author", "Copyright": "PNG:Copyright", "Description": "PNG:Description",
                "Title": "PNG:Title", "Software": "PNG:Software", "Comment": "PNG:Comment"}


def mwg_string_to_list(value: str) -> list[str]:
    """EXIF Artist holding several creators: ``A; B``, quotes around values containing ``; ``
    (ExifTool MWG.pm ``StringToList``)."""
    vals: list[str] = []
    in_quotes = False
    for part in value.split("; "):
        was_quoted = in_quotes
        if not in_quotes and part.startswith('"'):
            in_quotes = True
            part = part[1:]
        if in_quotes:
            m = re.search(r'((^|[^"])("")*)"$', part)
            if m:
                part = part[: m.end(1)]
                in_quotes = False
            part = part.replace('""', '"')
        if was_quoted and vals:
            vals[-1] += "; " + part
        else:
            vals.append(part)
    return [v.strip() for v in vals if v.strip()]


_xmp = values.xmp_value


class _Builder:
    def __init__(self, found: Found, md: Metadata):
        self.f = found
        self.md = md
        self.tags: dict[str, Any] = {}  # flat ExifTool-style tag → value
        self._collect()

    # ------------------------------------------------------------------ flat view
    def _collect(self) -> None:
        f, t = self.f, self.tags
        if f.exif:
            t.update(f.exif.values)
        if f.iptc:
            for k, v in f.iptc.values.items():
                t[f"IPTC:{k}"] = v
        if f.xmp:
            for (ns, local), v in f.xmp.items():
                t.setdefault(tag_name(ns, local), v)
        for chunk in f.png_text:
            key = PNG_KEYWORDS.get(chunk.keyword)
            if key and clean(chunk.text):
                t.setdefault(key, chunk.text.strip())

    def _candidates_for(self, tag: str, value: Any) -> list[Candidate]:
        if isinstance(value, LangAlt):
            out = []
            for lang, text in value.items():
                if isinstance(text, str) and clean(text):
                    out.append(Candidate(tag if lang == "x-default" else f"{tag}-{lang}", text.strip()))
            return out
        if isinstance(value, list):
            items = as_list(value)
            return [Candidate(tag, items)] if items else []
        if isinstance(value, str) and clean(value):
            return [Candidate(tag, value.strip())]
        return []

    # ------------------------------------------------------------------ MWG fields
    def mwg(self, spec: FieldSpec) -> None:
        md, iptc = self.md, self.f.iptc
        xmp_tag = tag_name(NS[spec.xmp[0]], spec.xmp[1]) if spec.xmp else None
        xmp_raw = self.tags.get(xmp_tag) if xmp_tag else None

        cands: list[Candidate] = []
        for tag in (spec.exif, spec.iptc, xmp_tag, *spec.extras):
            if tag and tag in self.tags:
                cands.extend(self._candidates_for(tag, self.tags[tag]))
        if cands:
            md.candidates[spec.name] = cands

        # the three MWG inputs, as values of the field's kind
        exif_v = self.tags.get(spec.exif) if spec.exif else None
        iptc_v = self.tags.get(spec.iptc) if spec.iptc else None
        if spec.kind == "list":
            exif_val = mwg_string_to_list(exif_v) if isinstance(exif_v, str) else []
            iptc_val = iptc_v if isinstance(iptc_v, list) else ([iptc_v] if isinstance(iptc_v, str) else [])
            xmp_val = as_list(xmp_raw)
            xmp_src = xmp_tag
        else:
            exif_val = clean(exif_v) if isinstance(exif_v, str) else None
            iptc_val = clean(iptc_v) if isinstance(iptc_v, str) else (clean(iptc_v[0]) if isinstance(iptc_v, list) and iptc_v else None)
            lang, text = choose_lang(xmp_raw) if xmp_raw is not None else (None, None)
            xmp_val = clean(text)
            xmp_src = xmp_tag if lang in (None, "x-default") else f"{xmp_tag}-{lang}"

        value, source = None, None
        if exif_val and spec.exif:
            value, source = exif_val, spec.exif
        elif iptc is None or (xmp_val and iptc.digest_matches in (None, True)):
            value, source = (xmp_val or None), (xmp_src if xmp_val else None)
        else:
            value, source = self._recover_truncated(spec, iptc_val, xmp_val, xmp_src)
        if not value:
            rule_source = source
            value, source = self._fallback(spec, ((xmp_val, xmp_src), (iptc_val, spec.iptc), (exif_val, spec.exif)))
            if value and rule_source and iptc is not None and iptc.digest_matches is False:
                md.notes.append(f"{spec.name}: the MWG rule picks {rule_source} (IPTC digest is stale) but it is "
                                f"empty; used {source}")
        if value:
            setattr(md, spec.name, value)
            md.sources[spec.name] = source
        mwg_sources = {spec.exif, spec.iptc, xmp_tag} - {None}
        self._conflict(spec, [c for c in cands if c.source in mwg_sources or
                              (xmp_tag and c.source.startswith(xmp_tag + "-"))], source, cands)

    def _fallback(self, spec: FieldSpec, mwg_sources) -> tuple[Any, str | None]:
        """First source with a value: XMP, IPTC, EXIF, then the extras (XPAuthor, PNG text …)."""
        for v, s in mwg_sources:
            if v and s:
                return v, s
        for tag in spec.extras:
            v = self.tags.get(tag)
            if spec.kind == "list":
                items = values.split_list(v) if isinstance(v, str) else as_list(v)
                if items:
                    return items, tag
            else:
                text = clean(as_text(v))
                if text:
                    return text, tag
        return None, None

    def _recover_truncated(self, spec: FieldSpec, iptc_val: Any, xmp_val: Any, xmp_src: str | None):
        limit = LIMITS.get(spec.iptc.split(":", 1)[1], 0) if spec.iptc else 0
        lengths = self.f.iptc.raw_lengths.get(spec.iptc.split(":", 1)[1], []) if (spec.iptc and self.f.iptc) else []
        if spec.kind == "list":
            if not iptc_val:
                return [], spec.iptc
            out, recovered = [], False
            for i, v in enumerate(iptc_val):
                x = xmp_val[i] if xmp_val and i < len(xmp_val) else None
                if x and i < len(lengths) and lengths[i] == limit and len(x.encode()) > limit and x.encode().startswith(v.encode()):
                    out.append(x)
                    recovered = True
                else:
                    out.append(v)
            return out, (f"{spec.iptc}+{xmp_src}" if recovered else spec.iptc)
        if iptc_val and xmp_val and lengths and lengths[0] == limit and len(xmp_val.encode()) > limit \
                and xmp_val.encode().startswith(iptc_val.encode()):
            self.md.notes.append(f"{spec.iptc} is cut at its {limit}-byte limit; the full value comes from XMP")
            return xmp_val, xmp_src
        return iptc_val, spec.iptc

    def _conflict(self, spec: FieldSpec, cands: list[Candidate], chosen: str | None, all_cands: list[Candidate]) -> None:
        """Report when EXIF, IPTC and XMP disagree (case, whitespace, ©/(c) and list order ignored;
        an XMP lang-alt agrees if any language agrees; a cut IIM value agrees with its full form).
        The extra sources (XPAuthor, PNG text …) are kept as candidates but not compared."""
        groups: dict[str, set[str]] = {}
        for c in cands:
            base = c.source
            if base.startswith("XMP-") and base.count("-") >= 2:
                base = re.sub(r"-[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$", "", base)
            groups.setdefault(base, set()).add(self._norm(spec, c))
        if len(groups) < 2:
            return
        keys = list(groups)
        limit = LIMITS.get(spec.iptc.split(":", 1)[1], 0) if spec.iptc else 0
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                if not self._agree(groups[a], groups[b], a == spec.iptc or b == spec.iptc, limit):
                    self.md.conflicts.append(Conflict(spec.name, chosen or "", list(all_cands)))
                    return

    @staticmethod
    def _norm(spec: FieldSpec, c: Candidate) -> str:
        v = c.value
        if spec.kind == "list":
            items = v if isinstance(v, list) else (mwg_string_to_list(v) if c.source == "IFD0:Artist"
                                                   else [x.strip() for x in str(v).split(";")])
            return "\x1f".join(sorted(normalise(x) for x in items if x.strip()))
        return normalise(str(v))

    @staticmethod
    def _agree(a: set[str], b: set[str], involves_iptc: bool, limit: int) -> bool:
        if a & b:
            return True
        if involves_iptc:  # IIM cuts values at its byte limit: a prefix at (nearly) the limit agrees
            for x in a:
                for y in b:
                    short, long_ = (x, y) if len(x) <= len(y) else (y, x)
                    if long_.startswith(short) and len(short.encode()) >= limit - 3 > 0:
                        return True
        return False

    # ------------------------------------------------------------------ date
    def date_created(self) -> None:
        md, t = self.md, self.tags
        cands: list[Candidate] = []
        exif_dt = values.exif_date(t.get("ExifIFD:DateTimeOriginal"), t.get("ExifIFD:OffsetTimeOriginal"))
        if exif_dt:
            cands.append(Candidate("ExifIFD:DateTimeOriginal", exif_dt))
        iptc_dt = values.iptc_date(t.get("IPTC:DateCreated"), t.get("IPTC:TimeCreated"))
        if iptc_dt:
            cands.append(Candidate("IPTC:DateCreated", iptc_dt))
        xmp_dt = clean(as_text(_xmp(self.f.xmp, "photoshop", "DateCreated")))
        if xmp_dt:
            cands.append(Candidate("XMP-photoshop:DateCreated", xmp_dt))
        if not cands:
            return
        md.candidates["date_created"] = cands
        iptc = self.f.iptc
        if exif_dt:
            chosen = cands[0]
        elif iptc is None or (xmp_dt and iptc.digest_matches in (None, True)):
            chosen = cands[-1] if xmp_dt else cands[0]
        else:
            chosen = next((c for c in cands if c.source.startswith("IPTC")), cands[-1])
        md.date_created = chosen.value
        md.sources["date_created"] = chosen.source

    # ------------------------------------------------------------------ XMP-only and other facts
    def xmp_only(self) -> None:
        md, x = self.md, self.f.xmp
        text_fields = (
            ("web_statement", "xmpRights", "WebStatement"),
            ("cc_license", "cc", "license"),
            ("cc_attribution_name", "cc", "attributionName"),
            ("cc_attribution_url", "cc", "attributionURL"),
            ("cc_more_permissions", "cc", "morePermissions"),
            ("digital_source_type", "iptcExt", "DigitalSourceType"),
        )
        for name, prefix, local in text_fields:
            raw = _xmp(x, prefix, local)
            v = clean(as_text(raw))
            if v:
                setattr(md, name, v)
                md.sources[name] = tag_name(NS[prefix], local)
        raw = _xmp(x, "xmpRights", "UsageTerms")
        if raw is not None:
            tag = tag_name(NS["xmpRights"], "UsageTerms")
            cands = self._candidates_for(tag, raw)
            if cands:
                md.candidates["usage_terms"] = cands
            lang, text = choose_lang(raw)
            if clean(text):
                md.usage_terms = clean(text)
                md.sources["usage_terms"] = tag if lang in (None, "x-default") else f"{tag}-{lang}"
        for name, local in (("model_release", "ModelReleaseStatus"), ("property_release", "PropertyReleaseStatus"),
                            ("data_mining", "DataMining")):
            v = values.vocab_code(clean(as_text(_xmp(x, "plus", local))))
            if v:
                setattr(md, name, v)
                md.sources[name] = tag_name(NS["plus"], local)
        marked = clean(as_text(_xmp(x, "xmpRights", "Marked")))
        if marked is not None:
            if marked.lower() in ("true", "1", "yes"):
                md.marked = True
            elif marked.lower() in ("false", "0", "no"):
                md.marked = False
            else:
                md.notes.append(f"xmpRights:Marked has an unrecognised value {marked!r}")
            if md.marked is not None:
                md.sources["marked"] = "XMP-xmpRights:Marked"
        md.licensors = values.licensors(_xmp(x, "plus", "Licensor"))
        if md.licensors:
            md.sources["licensors"] = "XMP-plus:Licensor"
        md.creator_contact = values.contact(_xmp(x, "iptcCore", "CreatorContactInfo"))
        if md.creator_contact:
            md.sources["creator_contact"] = "XMP-iptcCore:CreatorContactInfo"
        md.persons_in_image = values.persons(x)
        if md.persons_in_image:
            md.sources["persons_in_image"] = "XMP-iptcExt:PersonInImage"

    def camera(self) -> None:
        md, t, x = self.md, self.tags, self.f.xmp
        for name, choices in (
            ("camera_owner", (("ExifIFD:OwnerName", None), ("XMP-exifEX:CameraOwnerName", ("exifEX", "CameraOwnerName")),
                              ("XMP-aux:OwnerName", ("aux", "OwnerName")))),
            ("body_serial", (("ExifIFD:SerialNumber", None), ("IFD0:CameraSerialNumber", None),
                             ("XMP-exifEX:BodySerialNumber", ("exifEX", "BodySerialNumber")),
                             ("XMP-aux:SerialNumber", ("aux", "SerialNumber")))),
        ):
            for tag, xmp_key in choices:
                v = clean(as_text(_xmp(x, *xmp_key))) if xmp_key else clean(t.get(tag) if isinstance(t.get(tag), str) else None)
                if v:
                    setattr(md, name, v)
                    md.sources[name] = tag
                    break

    def software(self) -> None:
        md, t, x = self.md, self.tags, self.f.xmp
        found: list[tuple[str, str]] = []
        if isinstance(t.get("IFD0:Software"), str) and clean(t["IFD0:Software"]):
            found.append(("IFD0:Software", t["IFD0:Software"].strip()))
        tool = clean(as_text(_xmp(x, "xmp", "CreatorTool")))
        if tool:
            found.append(("XMP-xmp:CreatorTool", tool))
        history = _xmp(x, "xmpMM", "History")
        if isinstance(history, list):
            for ev in history:
                if isinstance(ev, dict) and isinstance(ev.get("softwareAgent"), str) and clean(ev["softwareAgent"]):
                    found.append(("XMP-xmpMM:HistorySoftwareAgent", ev["softwareAgent"].strip()))
        if isinstance(t.get("PNG:Software"), str):
            found.append(("PNG:Software", t["PNG:Software"]))
        seen: set[str] = set()
        for source, name in found:
            if name not in seen:
                seen.add(name)
                md.software.append(name)
        if found:
            md.candidates["software"] = [Candidate(s, v) for s, v in found]
            for source, name in found:
                if ai.generator_name(name):
                    md.ai_hints.append(Candidate(source, name))

    def ai_hints(self) -> None:
        md, t, x = self.md, self.tags, self.f.xmp
        md.ai_hints[:0] = ai.png_hints([(c.keyword, c.text) for c in self.f.png_text])
        uc = t.get("ExifIFD:UserComment")
        if isinstance(uc, str) and ai.looks_like_generation_parameters(uc):
            md.ai_hints.append(Candidate("ExifIFD:UserComment", ai.clip(uc)))
        for local in ("AISystemUsed", "AISystemVersionUsed", "AIPromptInformation", "AIPromptWriterName"):
            v = clean(as_text(_xmp(x, "iptcExt", local)))
            if v:
                md.ai_hints.append(Candidate(tag_name(NS["iptcExt"], local), ai.clip(v)))
        for c in self.f.comments:
            if ai.looks_like_generation_parameters(c):
                md.ai_hints.append(Candidate("File:Comment", ai.clip(c)))

    def gps(self) -> None:
        exif_gps = self.f.exif.gps if self.f.exif else None
        lat = as_text(_xmp(self.f.xmp, "exif", "GPSLatitude"))
        lon = as_text(_xmp(self.f.xmp, "exif", "GPSLongitude"))
        self.md.gps = gps.build(exif_gps, lat, lon, self.md.notes)


def reconcile(found: Found, md: Metadata) -> None:
    """Fill ``md`` from what the container readers found."""
    b = _Builder(found, md)
    for spec in MWG_FIELDS:
        b.mwg(spec)
    b.date_created()
    b.xmp_only()
    b.camera()
    b.software()
    b.ai_hints()
    b.gps()
    if found.iptc is not None and found.iptc.digest_matches is False:
        md.notes.append("IPTC digest is stale: IPTC was edited after XMP was last synchronised (MWG: IPTC wins over XMP)")
