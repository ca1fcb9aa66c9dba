"""Credit lines: TASL (title, author, source, licence) per CC's recommended practice, in
Swedish and English, as plain text, HTML, Markdown and a short social-media form.

Templates and worked examples: research/licenses.md §(b). Version-aware: licences up to
3.0 require the title (kept even in the short form), 4.0 allows "This work"; CC0/PDM are
"marked with". A modified image gets a note of what was changed and by whom; an adaptation
of a ShareAlike work says which licence the adaptation carries (R5). The organisation's own
images use the house style from the policy ("Foto: Malmö stad/NN"); Unsplash, Pixabay,
stock and Flickr Commons use the credit formats of their licence data.

Swedish output links the Swedish deed (``deed.sv``), English the canonical URL; links never
carry tracking parameters. HTML escapes everything; Markdown escapes its special characters.
"""

from __future__ import annotations

import html
import re
import string
import dataclasses
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from imagerights.use import EDITS, TECHNICAL_EDITS, parse_edits

# Edit kinds (imagerights.use.EDITS) → how the change note names them. "resize" is a technical
# change (CC 4.0 §2(a)(4)) and needs no note.
EDIT_NOTES: dict[str, tuple[str, str]] = {
    "crop": ("cropped", "beskuren"),
    "text": ("text added", "med tillagd text"),
    "filter": ("filtered", "filtrerad"),
    "composite": ("combined with other images", "sammanfogad med andra bilder"),
    "ai_edit": ("edited with AI tools", "redigerad med AI-verktyg"),
}

# Source hosts → the platform's name in credits ("Foto: Anna Andersson/Flickr").
PLATFORMS = {
    "flickr.com": "Flickr", "flic.kr": "Flickr", "staticflickr.com": "Flickr",
    "unsplash.com": "Unsplash", "pixabay.com": "Pixabay",
    "colourbox.com": "Colourbox", "colourbox.se": "Colourbox",
    "commons.wikimedia.org": "Wikimedia Commons", "wikimedia.org": "Wikimedia Commons",
}
_LICENCE_PLATFORMS = {"LicenseRef-Unsplash": "Unsplash", "LicenseRef-Pixabay": "Pixabay",
                      "LicenseRef-Colourbox": "Colourbox"}

# Query parameters that only track the visitor; removed from every link we print.
_TRACKING = {"ref", "ref_src", "ref_url", "fbclid", "gclid", "dclid", "msclkid", "yclid", "mc_cid", "mc_eid",
             "igshid", "igsh", "si", "_hsenc", "_hsmi", "spm", "share", "utm"}

FORMATS = ("text", "html", "markdown", "social")


@dataclass
class CreditInput:
    """Everything a credit line is made of; built by :func:`credit_from_context` or
    :func:`credit_from_metadata`, or directly."""

    title: str | None = None
    author: str | None = None
    author_url: str | None = None
    source_url: str | None = None
    license: Any = None  # imagerights.licensing.model.License | None
    changes: frozenset[str] = field(default_factory=frozenset)
    changed_by: str | None = None
    own: bool = False
    organisation: str = ""
    platform: str | None = None
    adaptation_license: Any = None  # License | None: what the adaptation carries (ShareAlike)
    photographer: str | None = None
    editorial: bool = False  # stock: editorial use ("Colourbox.com / NN")
    # the file's title in each language it gives it (XMP lang-alt: {"sv-SE": …, "x-default": …});
    # ``title`` is the Swedish-first choice, the English line takes an English one (title_in)
    titles: dict[str, str] = field(default_factory=dict)

    def title_in(self, lang: str) -> str | None:
        """The title for a line in ``lang``: the file's own title in that language where it has
        one (English: an ``en`` variant, else ``x-default``), else ``title``. Only swapped among
        the file's language variants: a title given by the user or the registry stays as it is."""
        if not self.title or self.title not in self.titles.values():
            return self.title
        base = "sv" if lang == "sv" else "en"
        for key, text in self.titles.items():
            if key.lower().split("-")[0] == base:
                return text
        if base == "en" and "x-default" in self.titles:
            return self.titles["x-default"]
        return self.title

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title, "author": self.author, "author_url": self.author_url,
            "source_url": self.source_url, "license": self.license.id if self.license else None,
            "changes": sorted(self.changes), "changed_by": self.changed_by, "own": self.own,
            "organisation": self.organisation, "platform": self.platform,
            "adaptation_license": self.adaptation_license.id if self.adaptation_license else None,
            "photographer": self.photographer, "editorial": self.editorial,
        }


# --------------------------------------------------------------------------------- helpers
def clean_url(url: str | None) -> str | None:
    """An http(s) URL without tracking parameters; ``None`` for anything else (javascript:, …)."""
    if not url:
        return None
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
        return None
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not (k.lower() in _TRACKING or k.lower().startswith("utm_"))]
    return urlunsplit((parts.scheme.lower(), parts.netloc, parts.path, urlencode(query, doseq=True), parts.fragment))


def platform_of(url: str | None) -> str | None:
    """``https://www.flickr.com/photos/…`` → ``Flickr``."""
    url = clean_url(url)
    if not url:
        return None
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    for h, name in PLATFORMS.items():
        if host == h or host.endswith("." + h):
            return name
    return None


def _join(items: list[str], lang: str) -> str:
    conj = " och " if lang == "sv" else " and "
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + conj + items[-1]


def change_phrase(changes, lang: str) -> str:
    """``{crop, text}`` → ``cropped and text added`` / ``beskuren och med tillagd text`` ('' if none)."""
    i = 1 if lang == "sv" else 0
    return _join([EDIT_NOTES[e][i] for e in EDITS if e in changes and e in EDIT_NOTES], lang)


def change_note(changes, by: str | None, lang: str) -> str:
    """The modification note: ``Cropped and text added by Malmö stad.`` ('' if nothing changed)."""
    phrase = change_phrase(changes, lang)
    if not phrase:
        return ""
    phrase = phrase[0].upper() + phrase[1:]
    if by:
        phrase += (" av " if lang == "sv" else " by ") + by
    return phrase + "."


def _without_scheme(url: str) -> str:
    return re.sub(r"^https?://", "", url)


def _licence_url(lic, lang: str) -> str:
    if lic is None:
        return ""
    if lic.is_cc:
        return lic.deed(lang)
    return lic.canonical_url or (lic.citations[0] if lic.citations else "")


class _Fmt:
    """One output format: how text is escaped and how links are written."""

    def __init__(self, kind: str):
        self.kind = kind

    def t(self, s: str) -> str:
        if self.kind == "html":
            return html.escape(s, quote=True)
        if self.kind == "markdown":
            return re.sub(r"([\\`*_\[\]<>])", r"\\\1", s)
        return s

    def link(self, label: str, url: str | None, *, license: bool = False) -> str:
        url = clean_url(url)
        if not url or self.kind in ("text", "social"):
            return self.t(label)
        if self.kind == "html":
            rel = "license noopener noreferrer" if license else "noopener noreferrer"
            return f'<a href="{html.escape(url, quote=True)}" rel="{rel}">{self.t(label)}</a>'
        safe = quote(url, safe=":/?#@!$&'*+,;=%~-._")  # spaces, brackets and parentheses percent-encoded
        return f"[{self.t(label)}]({safe})"

    def wrap(self, body: str) -> str:
        body = re.sub(r"\s{2,}", " ", body).strip()
        return f'<p class="attribution">{body}</p>' if self.kind == "html" else body


def _lead(policy, lang: str) -> str:
    return (getattr(policy, "lead_word_sv", "Foto") or "Foto") if lang == "sv" else (getattr(policy, "lead_word_en", "Photo") or "Photo")


# --------------------------------------------------------------------------------- styles
def _cc_body(c: CreditInput, lang: str, f: _Fmt, lead: str) -> str:
    """TASL for CC licences and PD tools (research §(b) templates)."""
    lic = c.license
    url = _licence_url(lic, lang)
    marked = lic.attribution_verb == "marked" or lic.is_pd_tool
    short = lic.names.short
    out: list[str] = []
    if lang == "sv":
        if c.author:
            out.append(f"{f.t(lead)}: {f.link(c.author, c.author_url)}.")
        if c.title:
            out.append(f.link(f"\u201d{c.title}\u201d", c.source_url if f.kind != "text" else None) + ".")
        elif c.source_url and f.kind != "text":
            out.append(f.link("Källa", c.source_url) + ".")
        word = "Märkt med" if marked else "Licens:"
        if f.kind == "text":
            out.append(f"{word} {short}, {url}." if url else f"{word} {short}.")
            if clean_url(c.source_url):
                out.append(f"Källa: {clean_url(c.source_url)}.")
        else:
            out.append(f"{word} {f.link(short, url, license=True)}.")
    else:
        subject = f.link(f'"{c.title}"', c.source_url if f.kind != "text" else None) if c.title else \
            f.link("This work", c.source_url if f.kind != "text" else None)
        by = f" by {f.link(c.author, c.author_url)}" if c.author else ""
        verb = "is marked with" if marked else "is licensed under"
        out.append(f"{subject}{by} {verb} {f.link(short, url, license=True)}.")
        if f.kind == "text":
            if url:
                out.append(f"To view the terms, visit {url}." if marked else
                           f"To view a copy of this license, visit {url}.")
            if clean_url(c.source_url):
                out.append(f"Source: {clean_url(c.source_url)}.")
    note = change_note(c.changes, c.changed_by, lang)
    if note:
        out.append(f.t(note))
    out.append(_adaptation_sentence(c, lang, f))
    return " ".join(p for p in out if p)


def _adaptation_sentence(c: CreditInput, lang: str, f: _Fmt) -> str:
    adapt = c.adaptation_license
    if adapt is None or not (c.changes - TECHNICAL_EDITS):
        return ""
    url = _licence_url(adapt, lang)
    same = c.license is not None and adapt.id == c.license.id
    if f.kind == "text":
        name = adapt.names.short if same or not url else f"{adapt.names.short}, {url}" if lang == "sv" else \
            f"{adapt.names.short} ({url})"
    else:
        name = f.link(adapt.names.short, url, license=True)
    if lang == "sv":
        return f"Bearbetningen är licensierad under {name}."
    return f"The adaptation is licensed under {name}."


def _own_line(c: CreditInput, lang: str, policy, lead: str) -> str:
    fmt = (getattr(policy, "own_format_sv", "") if lang == "sv" else getattr(policy, "own_format_en", "")) \
        or "{organisation}/{name}"
    org = c.organisation
    if lang == "en" and policy is not None and org == getattr(policy, "organisation", None):
        org = getattr(policy, "organisation_en", "") or org
    name = c.photographer or c.author or ""
    if not name:
        return f"{lead}: {org}"
    return _format(fmt, {"organisation": org, "name": name, "author": name, "photographer": name})


def _format(template: str, values: dict[str, str]) -> str:
    """``str.format`` over a trusted template; unknown placeholders become ''."""
    out = []
    for literal, fname, _spec, _conv in string.Formatter().parse(template):
        out.append(literal)
        if fname is not None:
            out.append(values.get(fname, "") or "")
    return "".join(out)


def _template_parts(template: str, values: dict[str, str], f: _Fmt, links: dict[str, str | None]) -> str:
    out = []
    for literal, fname, _spec, _conv in string.Formatter().parse(template):
        out.append(f.t(literal))
        if fname is not None:
            v = values.get(fname, "") or ""
            out.append(f.link(v, links.get(fname)) if v else "")
    return "".join(out)


def _template_for(c: CreditInput, lang: str) -> str:
    cond = c.license.conditions
    if c.editorial and cond.credit_format:
        return cond.credit_format
    return (cond.credit_format_sv if lang == "sv" else cond.credit_format_en) or cond.credit_format


def _credit_name(c: CreditInput) -> str:
    if c.photographer and c.author and c.photographer.casefold() != c.author.casefold():
        return f"{c.photographer}/{c.author}"
    return c.photographer or c.author or ""


def _template_line(c: CreditInput, lang: str, f: _Fmt, lead: str) -> str:
    """The credit line of a platform, stock or statement licence, from its ``credit_format``."""
    lic = c.license
    tpl = _template_for(c, lang)
    values = {"author": c.author or c.photographer or "", "photographer": c.photographer or c.author or "",
              "credit_name": _credit_name(c), "title": c.title or "", "platform": c.platform or "",
              "organisation": c.organisation}
    needed = {fname for _, fname, _, _ in string.Formatter().parse(tpl) if fname}
    if all(values.get(n) for n in needed):
        return _template_parts(tpl, values, f, {"author": c.author_url, "credit_name": c.author_url,
                                                "photographer": c.author_url})
    # the name the template needs is unknown: credit the platform or the licence
    return f"{f.t(lead)}: {f.t(c.platform or lic.names.short)}"


def _template_body(c: CreditInput, lang: str, f: _Fmt, lead: str) -> str:
    """Template line, then (statements) the title and (where the licence asks for it) the source."""
    lic = c.license
    out = [_template_line(c, lang, f, lead)]
    if lic.kind == "statement" and c.title:
        q = f"\u201d{c.title}\u201d" if lang == "sv" else f'"{c.title}"'
        out.append(f.link(q, c.source_url if f.kind != "text" else None) + ".")
    if clean_url(c.source_url) and lic.conditions.link_to_source in ("required", "recommended", "if_practicable"):
        if f.kind == "text":
            out.append(("Källa: " if lang == "sv" else "Source: ") + clean_url(c.source_url) + ".")
        elif not (lic.kind == "statement" and c.title):
            out.append(f.link("Källa" if lang == "sv" else "Source", c.source_url) + ".")
    if len(out) > 1 and not out[0].endswith("."):
        out[0] += "."
    return " ".join(out)


def _plain_body(c: CreditInput, lang: str, f: _Fmt, lead: str) -> str:
    """No licence to name (none known, all rights reserved, a definition without a format)."""
    out = []
    if lang == "sv":
        if c.author:
            out.append(f"{f.t(lead)}: {f.link(c.author, c.author_url)}.")
        if c.title:
            out.append(f.link(f"\u201d{c.title}\u201d", c.source_url if f.kind != "text" else None) + ".")
    else:
        if c.title:
            by = f" by {f.link(c.author, c.author_url)}" if c.author else ""
            out.append(f.link(f'"{c.title}"', c.source_url if f.kind != "text" else None) + by + ".")
        elif c.author:
            out.append(f"{f.t(lead)}: {f.link(c.author, c.author_url)}.")
    if c.license is not None and c.license.kind == "all-rights-reserved":
        out.append(f.t("\u00a9 Alla rättigheter förbehållna." if lang == "sv" else "\u00a9 All rights reserved."))
    src = clean_url(c.source_url)
    if src and (f.kind == "text" or not c.title):
        label = "Källa" if lang == "sv" else "Source"
        out.append(f"{label}: {src}." if f.kind == "text" else f.link(label, src) + ".")
    note = change_note(c.changes, c.changed_by, lang)
    if note:
        out.append(f.t(note))
    return " ".join(out)


def _social(c: CreditInput, lang: str, policy, lead: str) -> str:
    """Short form for a post caption: ``Foto: NN/Flickr (CC BY-SA 4.0), beskuren`` + licence URL line."""
    lic = c.license
    if c.own:
        line = _own_line(c, lang, policy, lead)
        if lic is not None and lic.is_cc:
            return f"{line} ({lic.names.short})\n{_without_scheme(_licence_url(lic, lang))}"
        return line
    if lic is not None and (lic.conditions.credit_format or lic.conditions.credit_format_sv or lic.conditions.credit_format_en):
        line = _template_line(c, lang, _Fmt("social"), lead)
        src = clean_url(c.source_url)
        if src and lic.conditions.link_to_source in ("required", "recommended", "if_practicable"):
            return f"{line}\n{_without_scheme(src)}"
        return line
    name = c.author or ""
    if c.platform and name and c.platform.casefold() not in name.casefold():
        name = f"{name}/{c.platform}"
    elif not name:
        name = c.platform or ""
    line = f"{lead}: {name}" if name else ""
    if lic is not None and lic.is_cc and lic.conditions.title_required and c.title:
        q = f"\u201d{c.title}\u201d" if lang == "sv" else f'"{c.title}"'
        line = f"{line}, {q}" if line else q
    if lic is not None and lic.is_cc:
        line = f"{line} ({lic.names.short})" if line else (("Licens: " if lang == "sv" else "License: ") + lic.names.short)
    phrase = change_phrase(c.changes, lang)
    if phrase:
        line += f", {phrase}"
    adapt = c.adaptation_license
    urls = []
    if lic is not None and lic.is_cc:
        urls.append(_without_scheme(_licence_url(lic, lang)))
    if adapt is not None and (c.changes - TECHNICAL_EDITS) and (lic is None or adapt.id != lic.id):
        line += ("; bearbetningen: " if lang == "sv" else "; adaptation: ") + adapt.names.short
        urls.append(_without_scheme(_licence_url(adapt, lang)))
    if not line:
        src = clean_url(c.source_url)
        return _without_scheme(src) if src else ""
    return "\n".join([line, *urls])


def render_attribution(credit: CreditInput, lang: str, policy) -> dict[str, str]:
    """The credit line in every format: ``{"text", "html", "markdown", "social"}``."""
    lang = "sv" if lang == "sv" else "en"
    c = dataclasses.replace(credit, title=credit.title_in(lang)) if credit.titles else credit
    lead = _lead(policy, lang)
    lic = c.license
    out: dict[str, str] = {}
    for kind in ("text", "html", "markdown"):
        f = _Fmt(kind)
        if c.own:
            line = f.t(_own_line(c, lang, policy, lead))
            if lic is not None and lic.is_cc:
                line += f" ({f.link(lic.names.short, _licence_url(lic, lang), license=True)})"
            body = line
        elif lic is not None and lic.is_cc:
            body = _cc_body(c, lang, f, lead)
        elif lic is not None and (lic.conditions.credit_format or lic.conditions.credit_format_sv
                                  or lic.conditions.credit_format_en):
            body = _template_body(c, lang, f, lead)
        else:
            body = _plain_body(c, lang, f, lead)
        out[kind] = f.wrap(body)
    out["social"] = _social(c, lang, policy, lead)
    return out


# --------------------------------------------------------------------------------- building
def _is_licence_document(url: str | None, catalogue) -> bool:
    """A URL that names a licence (a CC deed, unsplash.com/license …), not where the image is."""
    if not url or catalogue is None:
        return False
    from imagerights.licensing.identify import identify

    found = identify(url, catalogue)
    return found is not None and found.how in ("url", "badge")


def _contact_url(md) -> str | None:
    cc = md.creator_contact or {}
    for key in ("url", "CiUrlWork", "web", "website"):
        if cc.get(key):
            return cc[key].split(",")[0].strip()
    return None


def _title_variants(md) -> dict[str, str]:
    """The file's title per language (its XMP dc:title language alternatives)."""
    out: dict[str, str] = {}
    for cand in (getattr(md, "candidates", None) or {}).get("title", []):
        if cand.source.startswith(_XMP_TITLE) and isinstance(cand.value, str):
            out.setdefault(cand.source[len(_XMP_TITLE):].lstrip("-") or "x-default", cand.value)
    return out


_XMP_TITLE = "XMP-dc:Title"


def _names(value) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [p.strip() for p in value.split(";") if p.strip()]
    return [str(v).strip() for v in value if str(v).strip()]


def _own_name(candidates: list[str], policy) -> str | None:
    """The photographer for the house style: a creator that is not the organisation itself."""
    for name in candidates:
        if not name:
            continue
        if policy is not None and policy.is_own_text(name):
            parts = [p.strip() for p in name.split("/") if p.strip() and not policy.is_own_text(p)]
            if parts:
                return parts[-1]
            continue
        return name
    return None


def _build(*, md, asset, license, policy, catalogue, origin, edits, publish_license, people,
           overrides: dict[str, Any]) -> CreditInput | None:
    from imagerights.licensing.compat import YES, adaptation_allowed

    o = {k: v for k, v in (overrides or {}).items() if v not in (None, "", ())}
    asset = asset or {}
    creators = _names(md.creators) or _names(asset.get("creators"))
    title = o.get("title") or md.title or asset.get("title") or None
    titles = {} if o.get("title") else _title_variants(md)
    author = o.get("author") or md.cc_attribution_name or (", ".join(creators) if creators else None)
    author_url = o.get("author_url") or _contact_url(md)
    source = o.get("source")
    if not source:
        for cand in (md.cc_attribution_url, md.web_statement, asset.get("source_url"),
                     *(l.get("url") for l in md.licensors)):
            if cand and clean_url(cand) and not _is_licence_document(cand, catalogue):
                source = cand
                break
    lic = o.get("license") or license
    changes = o.get("changes", edits) or frozenset()
    if isinstance(changes, str):
        changes = parse_edits(changes)
    changes = frozenset(changes)
    organisation = getattr(policy, "organisation", "") if policy is not None else ""
    own = origin in ("own", "image_bank") or (lic is not None and lic.kind == "own")
    pub = o.get("publish_license") or publish_license
    if isinstance(pub, str):
        pub = catalogue.get(pub) if catalogue is not None else None
    platform = o.get("platform") or platform_of(source) or (_LICENCE_PLATFORMS.get(lic.id) if lic else None)
    photographer = o.get("photographer")
    adaptation = o.get("adaptation_license")
    if own:
        photographer = photographer or _own_name([o.get("author"), *creators, md.cc_attribution_name,
                                                  *_names(asset.get("creators"))], policy)
        shown = pub if pub is not None and pub.is_cc else (lic if lic is not None and lic.is_cc else None)
        lic = shown if people != "yes" else None  # never a CC licence on images of identifiable people
        author = photographer or author
        changes = frozenset()  # own material: no modification notice to give
    else:
        if lic is not None and lic.kind == "stock-license":
            photographer = photographer or (creators[0] if creators else author)
        if adaptation is None and lic is not None and lic.is_cc and lic.sa and (changes - TECHNICAL_EDITS):
            adaptation = pub if pub is not None and adaptation_allowed(lic, pub) == YES else lic
    if not own and not any((title, author, source, lic)):
        return None
    return CreditInput(
        title=title, author=author, author_url=author_url, source_url=source, license=lic, changes=changes,
        changed_by=o.get("by") or organisation or None, own=own, organisation=organisation, platform=platform,
        adaptation_license=adaptation, photographer=photographer,
        editorial=bool(o.get("editorial", asset.get("editorial", False))), titles=titles,
    )


def credit_from_context(ctx, overrides: dict | None = None) -> CreditInput | None:
    """The credit for one evaluated image; ``overrides`` (CLI flags) win over metadata."""
    return _build(md=ctx.facts.metadata, asset=ctx.asset, license=ctx.license, policy=ctx.policy,
                  catalogue=ctx.catalogue, origin=ctx.origin, edits=ctx.edits,
                  publish_license=ctx.use.publish_license, people=ctx.people, overrides=overrides or {})


def credit_from_metadata(md, license, policy, **overrides) -> CreditInput | None:
    """The credit from metadata alone (``imagerights attribute``); keyword overrides win.

    Overrides: ``title author author_url source license changes by photographer platform
    editorial publish_license people catalogue``."""
    from imagerights.facts import Facts
    from imagerights.rules.context import origin_of

    catalogue = overrides.pop("catalogue", None)
    if catalogue is None:
        from imagerights.licensing.catalogue import default_catalogue

        catalogue = default_catalogue()
    lic = overrides.get("license") or license
    origin = origin_of(lic, Facts(path="", metadata=md), policy, None) if policy is not None else "unknown"
    return _build(md=md, asset=None, license=license, policy=policy, catalogue=catalogue, origin=origin,
                  edits=frozenset(), publish_license=None, people=overrides.pop("people", "unknown"),
                  overrides=overrides)
