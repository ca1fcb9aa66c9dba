"""Recognise a licence from anything found in the wild: URLs, ids, names, Flickr ids, free text.

Everything is looked up in tables built once per catalogue (:func:`_index`) from the licence
data itself (``match.url_paths``, ``names``, ``match.flickr_license_ids`` …), so a new TOML
file is recognised without code changes. Normalisation rules: research/licenses.md §2.4.

* :func:`identify` — one string (or a Flickr id as ``int``) → :class:`Identification` or ``None``.
* :func:`identify_flickr_id` — Flickr API licence ids 0–16.
* :func:`identify_from_metadata` — the licence of an image from its metadata, in the order of
  research/metadata.md §7.3 step 4: cc:license → WebStatement (a CC URL) → UsageTerms →
  dc:rights / copyright → Licensor URL, attribution URL, credit line (platform hosts).
"""

from __future__ import annotations

import re
import unicodedata
import weakref
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from imagerights.facts import FileError, LicenseMatch, Metadata

CC_HOSTS = frozenset({"creativecommons.org"})
BADGE_HOSTS = frozenset({"i.creativecommons.org", "licensebuttons.net", "mirrors.creativecommons.org"})
_DOC_SEGMENT = re.compile(r"^(?:deed|legalcode)(?:\.[a-z]{2,3}(?:[_-][a-z0-9]{2,4})?)?(?:\.(?:html?|txt|md))?$|^rdf$|^index\.html?$")
_BADGE_FILE = re.compile(r"^(?:\d+x\d+|somerights\d*|cc-[a-z-]+|[a-z-]+)\.(?:png|gif|svg|jpe?g)$")
_VERSION = re.compile(r"^\d\.\d$")

# ---------------------------------------------------------------------------------------------
# Element words (English, Swedish incl. older deed wording, and abbreviations) → CC element.
_ELEMENT_WORDS = {
    "attribution": "by", "erkännande": "by", "erkannande": "by", "by": "by",
    "noncommercial": "nc", "non-commercial": "nc", "non commercial": "nc", "ickekommersiell": "nc",
    "icke-kommersiell": "nc", "icke kommersiell": "nc", "nc": "nc",
    "noderivatives": "nd", "noderivs": "nd", "no derivatives": "nd", "no-derivatives": "nd", "no derivs": "nd",
    "no-derivs": "nd", "ingabearbetningar": "nd", "inga bearbetningar": "nd", "nd": "nd",
    "sharealike": "sa", "share-alike": "sa", "share alike": "sa", "delalika": "sa", "dela lika": "sa",
    "delapåsammavillkor": "sa", "dela på samma villkor": "sa", "sa": "sa",
}
_SWEDISH_WORDS = {"erkännande", "erkannande", "ickekommersiell", "icke-kommersiell", "icke kommersiell",
                  "ingabearbetningar", "inga bearbetningar", "delalika", "dela lika", "delapåsammavillkor",
                  "dela på samma villkor"}
_ABBREVIATIONS = {"by", "nc", "nd", "sa"}
_L = r"a-z0-9åäöéü"  # letters that may not touch a word on either side
_ELEM_ALT = "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in _ELEMENT_WORDS), key=len, reverse=True))
_PHRASE = re.compile(
    rf"(?<![{_L}])(?P<prefix>(?:creative\s+commons|cc)(?:[\s\-/_:]+|(?=by)))?"
    rf"(?P<elems>(?:{_ELEM_ALT})(?![{_L}])(?:[\s\-/_+]{{0,3}}(?:{_ELEM_ALT})(?![{_L}])){{0,5}})"  # bounded: linear time
    rf"(?:[\s\-/_,]{{0,3}}(?:licen[sc]e[ns]?|licensen|public\s+license))?"
    rf"[\s\-/_,:]{{0,4}}(?:version\s+|v\.?\s*)?(?P<ver>[1-4][.,]\d)(?![\d])"
    rf"(?P<jur>(?:[\s\-/_]+[{_L}:&]+(?:\s+[{_L}&:]+){{0,3}})?)"
)
_FLICKR_TEXT = re.compile(r"^flickr[\s:_#-]*(?:licen[sc]e[\s:_#-]*)?(?:id[\s:=_#-]*)?(\d{1,2})$")
_CC_URL_IN_TEXT = re.compile(
    r"(?:https?:)?//(?:www\.)?(?:creativecommons\.org|i\.creativecommons\.org|licensebuttons\.net)/[^\s\"'<>)\]]*"
    r"|(?<![\w.])(?:www\.)?creativecommons\.org/(?:licenses|publicdomain)/[^\s\"'<>)\]]*", re.I)
_URL_IN_TEXT = re.compile(  # host labels bounded (≤63 chars, ≤8 labels) so a long run of letters stays linear
    r"(?:https?:)?//[^\s\"'<>)\]]+"
    r"|(?<![\w@.\-])(?:www\.)?[a-z0-9][a-z0-9-]{0,62}(?:\.[a-z0-9-]{1,63}){0,8}\.[a-z]{2,24}/[^\s\"'<>)\]]*", re.I)
_SHORT_TEXT_NAMES = {"cc0"}  # short names distinctive enough to look for inside free text
_TEXT_NAME_MIN = 7


@dataclass(frozen=True)
class Identification:
    """A recognised licence: its id, how it was recognised and (en/sv) a note for the user."""

    id: str
    how: str  # url, badge, id, name, parsed, text, text-url, flickr, host
    note: str = ""
    note_sv: str = ""
    matched: str = ""  # the part of the input that was recognised

    def to_dict(self) -> dict:
        return {"id": self.id, "how": self.how, "note": self.note, "note_sv": self.note_sv, "matched": self.matched}


@dataclass
class _Index:
    by_path: dict[str, str] = field(default_factory=dict)
    by_tool: dict[tuple[str, str, str], str] = field(default_factory=dict)
    by_name: dict[str, str] = field(default_factory=dict)
    by_flickr: dict[int, str] = field(default_factory=dict)
    by_host: dict[str, str] = field(default_factory=dict)
    by_hostpath: list[tuple[str, str]] = field(default_factory=list)
    jurisdictions: dict[str, str] = field(default_factory=dict)  # name or code → code
    credit_patterns: list[tuple[re.Pattern, str]] = field(default_factory=list)
    text_names: re.Pattern | None = None
    text_name_ids: dict[str, str] = field(default_factory=dict)


_INDEXES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_QUOTES = re.compile(r"[\"'\u2018\u2019\u201c\u201d\u201e]")
_SPACES = re.compile(r"\s+")
_LEAD_IN = re.compile(r"^(?:this work is licensed under |licensed under |licens: |license: |licence: )")
_ARTICLE = re.compile(r"^(?:an? |en )")
_CC_PREFIX = re.compile(r"^(?:creative commons|cc)(?=[ \-])[ -]?")
_LICENSE_WORD = re.compile(r"[ -]?(?:public license|license|licence|licens|licensen)$")
_DIGIT = re.compile(r"\d")
_SPACED_DASH = re.compile(r"\s*-\s*")


def _norm_name(text: str) -> str:
    """Case-, dash- and wording-insensitive form of a licence name (both sides of a lookup).
    (The patterns are compiled once: the look-up tables normalise ~5 000 names.)"""
    s = unicodedata.normalize("NFC", text).casefold()
    s = _DASHES.sub("-", s)
    s = _QUOTES.sub("", s)
    s = _SPACES.sub(" ", s).strip(" .,;:")
    s = _LEAD_IN.sub("", s)
    s = _ARTICLE.sub("", s)
    s = _CC_PREFIX.sub("", s) if not s.startswith("cc0") else s
    # "… 4.0 International License" = "… 4.0 International"; without a version the word stays
    # (so "Attribution License", Flickr's old label for CC BY 2.0, is not plain "Attribution")
    m = _LICENSE_WORD.search(s)
    if m:
        s = s[: m.start()] + ("" if _DIGIT.search(s[: m.start()]) else " license")
    s = _SPACED_DASH.sub("-", s)
    return s.strip(" .,;:")


def _host_of(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def prepare(catalogue) -> None:
    """Build the look-up tables for ``catalogue`` now, e.g. in a thread while the caller waits for
    something else (otherwise the first look-up does): ~70 ms, ~10 ms from the user's cache folder."""
    _index(catalogue)


def _index(catalogue) -> _Index:
    """Lookup tables for ``catalogue``, built once and kept as long as the catalogue lives."""
    try:
        return _INDEXES[catalogue]
    except (KeyError, TypeError):
        pass
    idx = _cached_index(catalogue)
    if idx is None:
        idx = _build_index(catalogue)
        _store_index(catalogue, idx)
    try:
        _INDEXES[catalogue] = idx
    except TypeError:  # a catalogue that cannot be weakly referenced: no cache
        pass
    return idx


def _index_key(catalogue) -> str | None:
    """The tables depend on the catalogue's files and on this module's code (normalisation)."""
    key = getattr(catalogue, "cache_key", None)
    if not key:
        return None
    import sys

    from imagerights import cachefile

    return cachefile.digest([key, cachefile.code_stamp(sys.modules[__name__])])


def _cached_index(catalogue) -> "_Index | None":
    key = _index_key(catalogue)
    if key is None:
        return None
    from imagerights import cachefile

    idx = cachefile.read("licence-index", catalogue.cache_source, key)
    return idx if isinstance(idx, _Index) else None


def _store_index(catalogue, idx: "_Index") -> None:
    key = _index_key(catalogue)
    if key is not None:
        from imagerights import cachefile

        cachefile.write("licence-index", catalogue.cache_source, key, idx)


def _build_index(catalogue) -> _Index:
    idx = _Index()
    ambiguous: set[str] = set()
    text_names: dict[str, str] = {}

    def add_name(name: str, lic_id: str) -> None:
        key = _norm_name(name)
        if not key:
            return
        prev = idx.by_name.get(key)
        if prev is None and key not in ambiguous:
            idx.by_name[key] = lic_id
        elif prev is not None and prev != lic_id:
            ambiguous.add(key)
            del idx.by_name[key]

    for lic in catalogue:
        for p in lic.match.url_paths:
            if p.startswith("/"):
                idx.by_path[p.lower()] = lic.id
            else:
                idx.by_hostpath.append((p.lower().removeprefix("www.").rstrip("/"), lic.id))
        for h in lic.match.url_hosts:
            idx.by_host[h.lower().removeprefix("www.")] = lic.id
        for n in lic.match.flickr_license_ids:
            idx.by_flickr[int(n)] = lic.id
        if lic.match.metadata_credit_regex:
            idx.credit_patterns.append((re.compile(lic.match.metadata_credit_regex), lic.id))
        if lic.is_cc and lic.unit:
            idx.by_tool[(lic.unit, lic.version, lic.jurisdiction)] = lic.id
            if lic.jurisdiction:
                idx.jurisdictions[lic.jurisdiction] = lic.jurisdiction
                for name in (lic.names.en, lic.names.sv):
                    _, sep, rest = name.partition(f" {lic.version} ")
                    if sep and rest:
                        idx.jurisdictions[rest.casefold()] = lic.jurisdiction
        for name in (lic.id, lic.spdx, lic.identifier, lic.names.short, lic.names.en, lic.names.sv, *lic.names.aliases):
            if name:
                add_name(name, lic.id)
        if lic.kind not in ("cc-license", "own"):
            for name in (lic.names.short, lic.names.en, lic.names.sv, *lic.names.aliases):
                low = name.casefold()
                if len(low) >= _TEXT_NAME_MIN or low in _SHORT_TEXT_NAMES:
                    text_names.setdefault(low, lic.id)
    idx.by_hostpath.sort(key=lambda t: len(t[0]), reverse=True)
    idx.jurisdictions.update({"sweden": "se", "sverige": "se"})
    if text_names:
        alternation = "|".join(re.escape(n).replace(r"\ ", r"\s+")
                               for n in sorted(text_names, key=len, reverse=True))
        idx.text_names = re.compile(rf"(?<![{_L}])(?:{alternation})(?![{_L}])")
        idx.text_name_ids = {re.sub(r"\s+", " ", n): i for n, i in text_names.items()}
    return idx


# ---------------------------------------------------------------------------------------------
def _clean_url(text: str) -> str | None:
    s = text.strip().strip("<>\"'").rstrip(".,;:)]")
    if not s or any(c.isspace() for c in s):
        return None
    if s.startswith("//"):
        s = "https:" + s
    elif not re.match(r"(?i)^https?://", s):
        if re.match(r"(?i)^(?:www\.)?[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,8}\.[a-z]{2,24}(?:/|$)", s):
            s = "https://" + s
        else:
            return None
    return s


def _looks_like_url(text: str) -> bool:
    return _clean_url(text) is not None


def _tool_note(requested: str, used_id: str, catalogue, reason: str) -> tuple[str, str]:
    lic = catalogue.get(used_id)
    short = lic.names.short if lic else used_id
    if reason == "no-port":
        return (f"There is no {requested} port; read as {short}.",
                f"Det finns ingen anpassad licens {requested}; tolkas som {short}.")
    if reason == "bare-2.1":
        return (f"CC 2.1 exists only as national ports ({requested} has no country); read as {short}. Check the source.",
                f"CC 2.1 finns bara som nationella anpassningar ({requested} saknar land); tolkas som {short}. Kontrollera källan.")
    if reason == "no-by":
        return (f"Every CC licence since 2.0 includes Attribution (BY); {requested} read as {short}.",
                f"Alla CC-licenser sedan 2.0 innehåller Erkännande (BY); {requested} tolkas som {short}.")
    if reason == "sv-2.5":
        return (f"The Swedish wording of a 2.5 licence is the Swedish port's title; read as {short}.",
                f"Den svenska benämningen på en 2.5-licens är den svenska anpassningens titel; tolkas som {short}.")
    return "", ""


def _resolve_tool(unit: str, version: str, jur: str, catalogue, idx: _Index) -> tuple[str, str, str] | None:
    """(unit, version, jurisdiction) → (id, note, note_sv), with the documented fallbacks."""
    if unit == "by-nc-nd" and version == "1.0":
        unit = "by-nd-nc"
    found = idx.by_tool.get((unit, version, jur))
    if found:
        return found, "", ""
    label = f"CC {unit.upper()} {version}" + (f" {jur.upper()}" if jur else "")
    if jur and (unit, version, "") in idx.by_tool:
        used = idx.by_tool[(unit, version, "")]
        return (used, *_tool_note(label, used, catalogue, "no-port"))
    if version == "2.1" and not jur and (unit, "2.0", "") in idx.by_tool:
        used = idx.by_tool[(unit, "2.0", "")]
        return (used, *_tool_note(label, used, catalogue, "bare-2.1"))
    if not unit.startswith("by") and unit in ("nc", "nd", "sa", "nc-sa", "nd-nc"):
        with_by = "by-" + {"nd-nc": "nc-nd"}.get(unit, unit)
        hit = _resolve_tool(with_by, version, jur, catalogue, idx)
        if hit:
            used = hit[0]
            note_en, note_sv = _tool_note(label, used, catalogue, "no-by")
            return used, " ".join(x for x in (note_en, hit[1]) if x), " ".join(x for x in (note_sv, hit[2]) if x)
    return None


def _identify_url(text: str, catalogue, idx: _Index) -> Identification | None:
    url = _clean_url(text)
    if url is None:
        return None
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    host = host.removeprefix("www.")
    path = unquote(parts.path or "/").lower()
    segs = [s for s in path.split("/") if s]
    if host in CC_HOSTS or host in BADGE_HOSTS:
        how = "url"
        if host in BADGE_HOSTS:
            how = "badge"
            if segs and segs[0] in ("l", "p"):
                segs[0] = "licenses" if segs[0] == "l" else "publicdomain"
            if segs and _BADGE_FILE.match(segs[-1]):
                segs.pop()
            if segs and segs[0] == "presskit":
                return None
        while segs and (_DOC_SEGMENT.match(segs[-1]) or _BADGE_FILE.match(segs[-1])):
            segs.pop()
        norm = "/" + "/".join(segs) + "/"
        found = idx.by_path.get(norm)
        if found:
            return Identification(found, how, matched=text.strip())
        if len(segs) in (3, 4) and segs[0] == "licenses" and _VERSION.match(segs[2]):
            hit = _resolve_tool(segs[1], segs[2], segs[3] if len(segs) == 4 else "", catalogue, idx)
            if hit:
                return Identification(hit[0], how, hit[1], hit[2], matched=text.strip())
        return None
    hostpath = (host + path).rstrip("/")
    for prefix, lic_id in idx.by_hostpath:
        if hostpath == prefix or hostpath.startswith(prefix + "/"):
            return Identification(lic_id, "url", matched=text.strip())
    for h, lic_id in idx.by_host.items():
        if host == h or host.endswith("." + h):
            return Identification(lic_id, "host", matched=text.strip())
    return None


def _jurisdiction(raw: str, original: str, idx: _Index) -> tuple[str, str]:
    """Read a jurisdiction after the version: ``('se', consumed)`` or ``('', '')``."""
    text = raw.strip(" -/_")
    if not text:
        return "", ""
    words = text.split()
    # Longest run of words that names a jurisdiction ("uk: england & wales", "sverige", "se").
    for n in range(min(len(words), 4), 0, -1):
        cand = " ".join(words[:n]).rstrip(".,;:")
        if cand in ("unported", "international", "internationell", "generic", "generisk", "universal", "universell"):
            return "", cand
        if cand in idx.jurisdictions and (len(cand) > 3 or cand == "igo"):
            return idx.jurisdictions[cand], cand
    code = words[0].rstrip(".,;:")
    if len(code) == 2 and code in idx.jurisdictions:
        sep = raw[: len(raw) - len(raw.lstrip(" -/_"))]
        # "3.0/de", "3.0-DE" or an upper-case code in the original ("CC BY-SA 3.0 DE"); not "4.0 to …"
        if "/" in sep or "-" in sep or "_" in sep or original.strip(" -/_")[:2].isupper():
            return idx.jurisdictions[code], code
    return "", ""


def _parse_phrase(text: str, catalogue, idx: _Index, *, whole: bool) -> Identification | None:
    """Find ``CC BY-SA 4.0``-style phrases (any wording, en/sv) and resolve them to a tool.

    ``how`` is ``parsed`` when the phrase is (nearly) the whole input, ``text`` when it was
    found inside a longer text."""
    low = unicodedata.normalize("NFC", text).casefold()
    low = re.sub(r"[\u2010-\u2015\u2212]", "-", low)
    for m in _PHRASE.finditer(low):
        words = re.findall(rf"(?:{_ELEM_ALT})(?![{_L}])", m.group("elems"))
        words = [re.sub(r"\s+", " ", w) for w in words]
        els = list(dict.fromkeys(_ELEMENT_WORDS[w] for w in words))  # "CC BY Erkännande 4.0": one BY
        if not els:
            continue
        abbreviations_only = all(w in _ABBREVIATIONS for w in words)
        if abbreviations_only and not m.group("prefix") and not ("-" in m.group("elems") and len(els) > 1):
            continue  # "by 2.0" alone is not a licence name
        el = set(els)
        if "nd" in el and "sa" in el:
            continue
        version = m.group("ver").replace(",", ".")
        jur, _ = _jurisdiction(m.group("jur"), text[m.start("jur"):m.end("jur")], idx)
        order = [e for e in ("by", "nc", "nd", "sa") if e in el]
        unit = "-".join(order) if "by" in el else "-".join(
            {"nc": ["nc"], "nd": ["nd"], "sa": ["sa"]}[order[0]] if len(order) == 1 else
            (["nc", "sa"] if el == {"nc", "sa"} else ["nd", "nc"]))
        swedish = any(w in _SWEDISH_WORDS for w in words)
        if swedish and version == "2.5" and not jur and (unit, "2.5", "se") in idx.by_tool:
            used = idx.by_tool[(unit, "2.5", "se")]
            note, note_sv = _tool_note("", used, catalogue, "sv-2.5")
            return Identification(used, _how(whole, m, text), note, note_sv, matched=text[m.start():m.end()].strip())
        hit = _resolve_tool(unit, version, jur, catalogue, idx)
        if hit:
            return Identification(hit[0], _how(whole, m, text), hit[1], hit[2],
                                  matched=text[m.start():m.end()].strip())
    return None


def _how(whole: bool, m: re.Match, text: str) -> str:
    return "parsed" if whole and (m.end() - m.start()) >= len(text.strip(" .()")) * 0.6 else "text"


def _identify_text(text: str, catalogue, idx: _Index) -> Identification | None:
    """Free text: an embedded CC URL first, then a licence phrase, then other known names and hosts."""
    for m in _CC_URL_IN_TEXT.finditer(text):
        found = _identify_url(m.group(0), catalogue, idx)
        if found:
            return Identification(found.id, "text-url", found.note, found.note_sv, matched=m.group(0))
    found = _parse_phrase(text, catalogue, idx, whole=False)
    if found:
        return found
    if idx.text_names is not None:
        low = unicodedata.normalize("NFC", text).casefold()
        m = idx.text_names.search(low)
        if m:
            key = re.sub(r"\s+", " ", m.group(0))
            lic_id = idx.text_name_ids.get(key)
            if lic_id:
                return Identification(lic_id, "text", matched=text[m.start():m.end()])
    for m in _URL_IN_TEXT.finditer(text):
        found = _identify_url(m.group(0), catalogue, idx)
        if found:
            return Identification(found.id, "text-url", found.note, found.note_sv, matched=m.group(0))
    return None


# ---------------------------------------------------------------------------------------------
def identify(text_or_url, catalogue) -> Identification | None:
    """Recognise a licence from a URL, id, name, Flickr id or a sentence; ``None`` if unknown."""
    if text_or_url is None or isinstance(text_or_url, bool):
        return None
    if isinstance(text_or_url, int):
        return identify_flickr_id(text_or_url, catalogue)
    text = str(text_or_url).strip()
    if not text or len(text) > 10_000:
        return None
    idx = _index(catalogue)
    m = _FLICKR_TEXT.match(text.casefold())
    if m:
        return identify_flickr_id(int(m.group(1)), catalogue)
    if _looks_like_url(text):
        return _identify_url(text, catalogue, idx)
    lic = catalogue.get(text)
    if lic is not None:
        return Identification(lic.id, "id", matched=text)
    key = _norm_name(text)
    if key in idx.by_name:
        return Identification(idx.by_name[key], "name", matched=text)
    if not _CC_URL_IN_TEXT.search(text):  # a URL in the text beats a name in it
        found = _parse_phrase(text, catalogue, idx, whole=True)
        if found:
            return found
    return _identify_text(text, catalogue, idx)


def identify_flickr_id(n, catalogue) -> Identification | None:
    """Flickr API licence id (0–16, as int or digit string) → licence."""
    try:
        value = int(str(n).strip())
    except (TypeError, ValueError):
        return None
    lic_id = _index(catalogue).by_flickr.get(value)
    return Identification(lic_id, "flickr", matched=str(n)) if lic_id else None


def _is_cc_url(text: str | None) -> bool:
    url = _clean_url(text or "")
    return url is not None and _host_of(url) in (CC_HOSTS | BADGE_HOSTS)


def _match(found: Identification | None, where: str, raw: str) -> LicenseMatch | None:
    if found is None:
        return None
    return LicenseMatch(id=found.id, found_in=where, raw=raw, note=found.note)


def identify_licence(facts, catalogue) -> None:
    """``facts.license`` from ``facts.metadata``. Never raises: a failure becomes the file's
    ``FileError("license", …)`` (and its finding), like any reader's."""
    try:
        facts.license = identify_from_metadata(facts.metadata, catalogue)
    except MemoryError:
        facts.errors.append(FileError("license", "out of memory while reading"))
    except Exception as exc:  # noqa: BLE001 - one reader's failure is one finding
        facts.errors.append(FileError("license", f"{type(exc).__name__}: {exc}"))


def identify_from_metadata(md: Metadata, catalogue) -> LicenseMatch | None:
    """The licence of an image from its metadata (research/metadata.md §7.3 step 4).

    ``found_in`` names the field the way the metadata reader does (``md.sources``, ExifTool
    style: ``XMP-cc:License``, ``XMP-xmpRights:UsageTerms``, ``EXIF:Copyright`` …)."""
    if md is None:
        return None
    idx = _index(catalogue)
    if md.cc_license:
        hit = _match(identify(md.cc_license, catalogue), md.sources.get("cc_license", "XMP-cc:License"), md.cc_license)
        if hit:
            return hit
    if md.web_statement and _is_cc_url(md.web_statement):
        hit = _match(identify(md.web_statement, catalogue),
                     md.sources.get("web_statement", "XMP-xmpRights:WebStatement"), md.web_statement)
        if hit:
            return hit
    if md.usage_terms:
        hit = _match(identify(md.usage_terms, catalogue),
                     md.sources.get("usage_terms", "XMP-xmpRights:UsageTerms"), md.usage_terms)
        if hit:
            return hit
    rights = [(c.source, str(c.value)) for c in md.candidates.get("copyright", []) if c.value]
    if md.copyright and not any(v == md.copyright for _, v in rights):
        rights.insert(0, (md.sources.get("copyright", "XMP-dc:Rights"), md.copyright))
    for where, value in rights:
        hit = _match(_identify_text(value, catalogue, idx), where, value)
        if hit:
            return hit
    # Platform hosts: licensor URL, web statement, attribution URL, then the credit line and source.
    urls = [(l.get("url", ""), "XMP-plus:LicensorURL") for l in md.licensors]
    urls += [(md.web_statement, md.sources.get("web_statement", "XMP-xmpRights:WebStatement")),
             (md.cc_attribution_url, md.sources.get("cc_attribution_url", "XMP-cc:AttributionURL"))]
    for url, where in urls:
        if url:
            hit = _match(_identify_url(url, catalogue, idx), where, url)
            if hit:
                return hit
    texts = [(md.credit, md.sources.get("credit", "XMP-photoshop:Credit")),
             (md.source, md.sources.get("source", "XMP-photoshop:Source"))]
    texts += [(l.get("name", ""), "XMP-plus:LicensorName") for l in md.licensors]
    for text, where in texts:
        if not text:
            continue
        for pattern, lic_id in idx.credit_patterns:
            if pattern.search(text):
                return LicenseMatch(id=lic_id, found_in=where, raw=text)
    return None
