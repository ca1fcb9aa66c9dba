"""BRD: platform logos found in the image, checked against each platform's brand rules.

The facts are ``ctx.facts.logos`` (``None``: not looked for; ``find_logos`` in
``logos/detect.py``); the rules and their sources are data (``licenses/brands/*.toml``,
loaded by ``logos/brands.py``). Every finding cites the platform's own guideline text with
its URL, says whether that source is the live page, an archived copy or unverified, and
is at most a warning when the rule or its number could not be verified. A mark found with
medium confidence is reported as "possible … logo, please check" (BRD008) and its other
findings are at most warnings.
"""

from __future__ import annotations

from typing import Any, Iterable

from imagerights.findings import Citation, Severity
from imagerights.logos.brands import REVIEW_MAX_DAYS, Brand, BrandRule, load_brands, load_display
from imagerights.rules.citations import HANDBOOK_IMAGES
from imagerights.rules.base import Hit, rule

CC_TRADEMARK = Citation(
    "CC BY 4.0 §2(b)(2): “Patent and trademark rights are not licensed under this Public License” "
    "(CC FAQ: CC licences do not license trademarks)",
    "https://creativecommons.org/licenses/by/4.0/legalcode.en#s2b",
)
ROTATION_TOLERANCE = 1.0  # degrees added to the brand's maximum: the estimate's own precision
SMALL_PX = 24  # below this, colour and stretch are measured with low confidence
SMALL_COLOUR_OK = 6.0  # ΔE00 tolerance for marks below SMALL_PX (JPEG chroma subsampling)
SMALL_ASPECT_EXTRA = 0.04
CLEAR_SPACE_TOLERANCE = 0.9  # measured ≥ 90 % of the requirement passes (the ring is measured in whole px)


def _logos(ctx) -> list:
    return list(ctx.facts.logos or [])


def _brand(platform: str) -> Brand | None:
    return load_brands().get(platform)


def _cite(brand: Brand, r: BrandRule) -> Citation:
    src = r.source
    status = {"current": "live page", "archived": "archived copy", "unverified": "not verified"}.get(src.status, src.status)
    status_sv = {"current": "aktuell sida", "archived": "arkiverad kopia", "unverified": "ej bekräftat"}.get(src.status, src.status)
    head, _, rest = r.kind.partition(" ")  # "paraphrase (translated from the hr locale)"
    kind_sv = " ".join(filter(None, [{"quote": "citat", "paraphrase": "sammanfattning"}.get(head, head), rest]))
    text_sv = (f"{brand.display_name} – {src.title}: ”{r.text_sv}” ({kind_sv}; {status_sv}, hämtad {src.retrieved})"
               if r.text_sv else "")
    return Citation(f"{brand.display_name} – {src.title}: “{r.text}” ({r.kind}; {status}, retrieved {src.retrieved})",
                    src.url, text_sv)


def _guidelines(brand: Brand) -> Citation:
    return Citation(f"{brand.display_name} brand guidelines", brand.guidelines_url,
                    f"{brand.display_name}s varumärkesriktlinjer")


def _severity(r: BrandRule, default: str, *, trusted: bool = True, medium: bool = False) -> Severity:
    """The rule's severity; unverified rules or numbers and medium-confidence marks: ≤ warning."""
    sev = Severity.parse(r.severity or default)
    if (not trusted or not r.verified or medium) and sev is Severity.ERROR:
        return Severity.WARNING
    return sev


def _name(f, brand: Brand | None) -> tuple[str, str]:
    """How a mark is named in messages; medium confidence: "possible …"."""
    name = brand.display_name if brand else f.platform
    if (f.measurements or {}).get("confidence") == "medium":
        return f"possible {name} logo", f"möjlig {name}-logga"
    return f"{name} logo", f"{name}-logga"


def _cap(text: str) -> str:
    """Upper-case the first letter only ("YouTube logo", not "Youtube logo")."""
    return text[:1].upper() + text[1:]


def _where(f, lang: str = "en") -> str:
    x, y, w, h = f.box
    return f"{'vid' if lang == 'sv' else 'at'} ({x}, {y}), {w}×{h} px"


def _ev(f, **extra: Any) -> dict[str, Any]:
    m = f.measurements or {}
    ev = {"platform": f.platform, "version": f.version, "status": f.status, "confidence": f.confidence,
          "confidence_level": m.get("confidence"), "box": list(f.box)}
    ev.update(extra)
    return ev


def _medium(f) -> bool:
    return (f.measurements or {}).get("confidence") == "medium"


def _unverified_note(trusted: bool) -> tuple[str, str]:
    if trusted:
        return "", ""
    return (" (this rule or its number could not be verified; check the platform's guidelines)",
            " (regeln eller dess värde har inte kunnat bekräftas; kontrollera plattformens riktlinjer)")



# The rules' static citation (``rules list``, SARIF); each finding cites the platform's own guideline.
_BRAND_RULES = ("Malmö stad handbook: read what applies before using the platforms' logos; "
                "each platform's brand guidelines (licenses/brands/*.toml)")

@rule("BRD001", "outdated-logo", family="brands", severity=Severity.ERROR,
      en="A platform logo is an outdated version (old Facebook “f”, the Twitter bird …).",
      sv="En plattformslogga är en utgången version (gammalt Facebook-”f”, Twitter-fågeln …).",
      cite=_BRAND_RULES, url=HANDBOOK_IMAGES)
def check_outdated(ctx) -> Iterable[Hit]:
    for f in _logos(ctx):
        brand = _brand(f.platform)
        if brand is None or f.status != "outdated":
            continue
        v = brand.version(f.version)
        r = brand.version_rule
        en_n, sv_n = _name(f, brand)
        label = v.label if v else f.version
        current = brand.current
        msg_en = (v.message_en if v and v.message_en else f"This version is outdated; use the current {brand.display_name} logo.")
        msg_sv = (v.message_sv if v and v.message_sv else f"Versionen är utgången; använd den aktuella {brand.display_name}-loggan.")
        note_en, note_sv = _unverified_note(r.verified)
        yield Hit(
            f"Outdated {en_n} ({label}) {_where(f)}. {msg_en}{note_en}",
            f"Utgången {sv_n} ({label}) {_where(f, 'sv')}. {msg_sv}{note_sv}",
            _ev(f, current_version=current.id, rule=r.id, verified=r.verified, until=v.until if v else ""),
            severity=_severity(r, "error", medium=_medium(f)), citation=_cite(brand, r))


@rule("BRD002", "logo-colour", family="brands", severity=Severity.ERROR,
      en="A platform logo is in a colour the platform does not permit (or its old colour).",
      sv="En plattformslogga har en färg som plattformen inte tillåter (eller sin gamla färg).",
      cite=_BRAND_RULES, url=HANDBOOK_IMAGES)
def check_colour(ctx) -> Iterable[Hit]:
    for f in _logos(ctx):
        brand = _brand(f.platform)
        m = f.measurements or {}
        col = m.get("colour") or {}
        if brand is None or "nearest_permitted" not in col:
            continue
        if "gradient" in (m.get("effects") or []) and "gradient" in brand.effects.get("allow", []):
            continue  # the official gradient (Instagram, Mastodon): one hex does not describe it
        c = brand.colour
        ok = float(c.get("delta_e_ok", 3.0))
        bad = float(c.get("delta_e_error", 10.0))
        reliable = bool(col.get("reliable", True))
        if not reliable:
            ok = max(ok, SMALL_COLOUR_OK)
        near = col["nearest_permitted"]
        de = float(near["delta_e"])
        old = col.get("nearest_outdated")
        en_n, sv_n = _name(f, brand)
        small_en = "" if reliable else " The logo is small, so its colour is measured with low confidence."
        small_sv = "" if reliable else " Loggan är liten, så färgen mäts med låg säkerhet."
        ev = _ev(f, colour=col.get("hex"), nearest_permitted=near, nearest_outdated=old, delta_e_ok=ok,
                 delta_e_error=bad, colour_reliable=reliable, rule=c.rule.id)
        if old and float(old["delta_e"]) <= ok and float(old["delta_e"]) < de:
            yield Hit(
                f"{_cap(en_n)} {_where(f)} is in an outdated colour: #{col.get('hex')} is "
                f"#{old['hex']} (the {old['version']} colour, ΔE00 {old['delta_e']}), {de} from the current "
                f"#{near['hex']}.{small_en}",
                f"{_cap(sv_n)} {_where(f, 'sv')} har en gammal färg: #{col.get('hex')} är #{old['hex']} "
                f"({old['version']}, ΔE00 {old['delta_e']}), {de} från nuvarande #{near['hex']}.{small_sv}",
                ev, severity=Severity.WARNING, citation=_cite(brand, c.rule))
            continue
        if de <= ok:
            if near["hex"] in [h.upper() for h in c.get("unverified", [])]:
                yield Hit(
                    f"{_cap(en_n)} {_where(f)} is #{near['hex']}; that this colour variant is permitted "
                    f"could not be verified. Check {brand.guidelines_url}.",
                    f"{_cap(sv_n)} {_where(f, 'sv')} är #{near['hex']}; att den färgvarianten är tillåten har "
                    f"inte kunnat bekräftas. Kontrollera {brand.guidelines_url}.",
                    ev, severity=Severity.INFO, citation=_cite(brand, c.rule))
            continue
        trusted = c.trusted and reliable and not _medium(f)
        off = col.get("official") or {}
        official_en = (f"; the official colour is #{off['hex']} (ΔE00 {off['delta_e']})"
                       if off and off.get("hex") != near["hex"] else "")
        official_sv = (f"; den officiella färgen är #{off['hex']} (ΔE00 {off['delta_e']})"
                       if off and off.get("hex") != near["hex"] else "")
        sev = _severity(c.rule, "error", trusted=trusted) if de > bad else Severity.WARNING
        note_en, note_sv = _unverified_note(c.trusted)
        yield Hit(
            f"{_cap(en_n)} {_where(f)} is #{col.get('hex')}, not a permitted colour: ΔE00 {de} from the "
            f"nearest permitted #{near['hex']} (ok ≤ {ok}){official_en}.{small_en}{note_en}",
            f"{_cap(sv_n)} {_where(f, 'sv')} är #{col.get('hex')}, ingen tillåten färg: ΔE00 {de} från "
            f"närmaste tillåtna #{near['hex']} (ok ≤ {ok}){official_sv}.{small_sv}{note_sv}",
            ev, severity=sev, citation=_cite(brand, c.rule))


@rule("BRD003", "logo-rotated", family="brands", severity=Severity.ERROR,
      en="A platform logo is rotated.", sv="En plattformslogga är roterad.",
      cite=_BRAND_RULES, url=HANDBOOK_IMAGES)
def check_rotation(ctx) -> Iterable[Hit]:
    for f in _logos(ctx):
        brand = _brand(f.platform)
        m = f.measurements or {}
        if brand is None or m.get("rotation_deg") is None:
            continue
        g = brand.geometry
        limit = float(g.get("max_rotation_deg", 2.0)) + ROTATION_TOLERANCE
        angle = float(m["rotation_deg"])
        if abs(angle) <= limit:
            continue
        en_n, sv_n = _name(f, brand)
        note_en, note_sv = _unverified_note(g.trusted)
        yield Hit(
            f"{_cap(en_n)} {_where(f)} is rotated by {angle:+.0f}° (allowed ±{g.get('max_rotation_deg', 2.0)}°).{note_en}",
            f"{_cap(sv_n)} {_where(f, 'sv')} är roterad {angle:+.0f}° (tillåtet ±{g.get('max_rotation_deg', 2.0)}°).{note_sv}",
            _ev(f, rotation_deg=angle, limit_deg=limit, rule=g.rule.id),
            severity=_severity(g.rule, "error", trusted=g.trusted, medium=_medium(f)), citation=_cite(brand, g.rule))


@rule("BRD004", "logo-stretched", family="brands", severity=Severity.ERROR,
      en="A platform logo is stretched or squeezed.", sv="En plattformslogga är utdragen eller hoptryckt.",
      cite=_BRAND_RULES, url=HANDBOOK_IMAGES)
def check_stretch(ctx) -> Iterable[Hit]:
    for f in _logos(ctx):
        brand = _brand(f.platform)
        m = f.measurements or {}
        if brand is None or m.get("aspect_ratio_error") is None:
            continue
        g = brand.geometry
        size = min((m.get("size_px") or {}).get("width", 0), (m.get("size_px") or {}).get("height", 0))
        extra = SMALL_ASPECT_EXTRA if size < 2 * SMALL_PX else 0.0
        warn, err = float(g.get("aspect_warn", 0.04)) + extra, float(g.get("aspect_error", 0.08)) + extra
        e = float(m["aspect_ratio_error"])
        if e <= warn:
            continue
        ratio = float(m.get("aspect_ratio", 1.0))
        en_n, sv_n = _name(f, brand)
        how_en = "stretched wide" if ratio > 1 else "squeezed narrow"
        how_sv = "utdragen på bredden" if ratio > 1 else "hoptryckt på bredden"
        sev = _severity(g.rule, "error", trusted=g.trusted, medium=_medium(f)) if e > err else Severity.WARNING
        note_en, note_sv = _unverified_note(g.trusted)
        yield Hit(
            f"{_cap(en_n)} {_where(f)} is {how_en}: width/height is {ratio:.2f}× the official proportions "
            f"(allowed ±{g.get('aspect_warn', 0.04):.0%}).{note_en}",
            f"{_cap(sv_n)} {_where(f, 'sv')} är {how_sv}: bredd/höjd är {ratio:.2f}× de officiella proportionerna "
            f"(tillåtet ±{g.get('aspect_warn', 0.04):.0%}).{note_sv}",
            _ev(f, aspect_ratio=ratio, aspect_ratio_error=e, warn=warn, error=err, rule=g.rule.id),
            severity=sev, citation=_cite(brand, g.rule))


@rule("BRD005", "logo-too-small", family="brands", severity=Severity.ERROR,
      en="A platform logo is smaller than the platform's minimum size (in display dp for the channel).",
      sv="En plattformslogga är mindre än plattformens minsta storlek (i dp för kanalen).",
      cite=_BRAND_RULES, url=HANDBOOK_IMAGES)
def check_size(ctx) -> Iterable[Hit]:
    display = load_display()
    width_dp = display.width_dp(getattr(ctx.use, "channel", None))
    for f in _logos(ctx):
        brand = _brand(f.platform)
        m = f.measurements or {}
        if brand is None or m.get("reference_px") is None or m.get("whole_file"):
            continue
        s = brand.size
        ref = float(m["reference_px"])
        img_w = float(m.get("image_width_px") or 0) or 1.0
        dp = ref * width_dp / img_w
        min_dp = s.get("min_display_dp")
        min_px = s.get("min_px")
        en_n, sv_n = _name(f, brand)
        side_en = "high" if s.get("reference", "height") == "height" else "wide"
        side_sv = "hög" if s.get("reference", "height") == "height" else "bred"
        ev = _ev(f, reference_px=ref, display_dp=round(dp, 1), display_width_dp=width_dp, image_width_px=img_w,
                 min_display_dp=min_dp, min_px=min_px, rule=s.rule.id, verified=s.trusted)
        note_en, note_sv = _unverified_note(s.trusted)
        if min_dp is not None and dp < float(min_dp):
            yield Hit(
                f"{_cap(en_n)} {_where(f)} is {ref:.0f} px {side_en} ≈ {dp:.0f} dp on a {width_dp:.0f} dp wide "
                f"screen; the minimum is {min_dp} dp.{note_en}",
                f"{_cap(sv_n)} {_where(f, 'sv')} är {ref:.0f} px {side_sv} ≈ {dp:.0f} dp på en {width_dp:.0f} dp bred "
                f"skärm; minst {min_dp} dp krävs.{note_sv}",
                ev, severity=_severity(s.rule, "error", trusted=s.trusted, medium=_medium(f)), citation=_cite(brand, s.rule))
        elif min_px is not None and ref < float(min_px):
            yield Hit(
                f"{_cap(en_n)} {_where(f)} is only {ref:.0f} px {side_en} (recommended at least {min_px} px).{note_en}",
                f"{_cap(sv_n)} {_where(f, 'sv')} är bara {ref:.0f} px {side_sv} (rekommenderat minst {min_px} px).{note_sv}",
                ev, severity=Severity.WARNING, citation=_cite(brand, s.rule))


@rule("BRD006", "logo-clear-space", family="brands", severity=Severity.WARNING,
      en="A platform logo lacks the clear space its platform asks for.",
      sv="En plattformslogga saknar det fria utrymme som plattformen kräver.",
      cite=_BRAND_RULES, url=HANDBOOK_IMAGES)
def check_clear_space(ctx) -> Iterable[Hit]:
    for f in _logos(ctx):
        brand = _brand(f.platform)
        m = f.measurements or {}
        cs = m.get("clear_space") or {}
        if brand is None or m.get("whole_file") or m.get("clear_space_px") is None or "required_px" not in cs:
            continue
        have, need = float(m["clear_space_px"]), float(cs["required_px"])
        if have >= CLEAR_SPACE_TOLERANCE * need:
            continue
        c = brand.clear_space
        en_n, sv_n = _name(f, brand)
        edge_en = " It also sits close to the edge of the picture." if cs.get("near_edge") else ""
        edge_sv = " Den ligger också nära bildens kant." if cs.get("near_edge") else ""
        note_en, note_sv = _unverified_note(c.trusted)
        yield Hit(
            f"{_cap(en_n)} {_where(f)} has about {have:.0f} px of clear space; {need:.0f} px is required "
            f"(text, imagery or edges come closer).{edge_en}{note_en}",
            f"{_cap(sv_n)} {_where(f, 'sv')} har ungefär {have:.0f} px fritt utrymme; {need:.0f} px krävs "
            f"(text, bild eller kanter kommer närmare).{edge_sv}{note_sv}",
            _ev(f, clear_space_px=have, required_px=need, **{k: cs.get(k) for k in ("edge_fraction", "off_colour_fraction", "near_edge")},
                rule=c.rule.id, verified=c.trusted),
            severity=_severity(c.rule, "warning", trusted=c.trusted, medium=_medium(f)), citation=_cite(brand, c.rule))


_EFFECT_NAMES = {
    "drop-shadow": ("a drop shadow", "skugga"),
    "outline": ("an outline", "kontur"),
    "gradient": ("a colour gradient", "färgtoning"),
    "mirrored": ("mirroring", "spegling"),
}


@rule("BRD007", "logo-effects", family="brands", severity=Severity.ERROR,
      en="A platform logo has effects added (drop shadow, outline, gradient, mirroring).",
      sv="En plattformslogga har fått effekter (skugga, kontur, färgtoning, spegling).",
      cite=_BRAND_RULES, url=HANDBOOK_IMAGES)
def check_effects(ctx) -> Iterable[Hit]:
    for f in _logos(ctx):
        brand = _brand(f.platform)
        m = f.measurements or {}
        if brand is None:
            continue
        e = brand.effects
        allowed = set(e.get("allow", []))
        forbid = set(e.get("forbid", []))
        bad = [x for x in (m.get("effects") or []) if x in forbid and x not in allowed]
        if not bad:
            continue
        en_n, sv_n = _name(f, brand)
        en = ", ".join(_EFFECT_NAMES.get(x, (x, x))[0] for x in bad)
        sv = ", ".join(_EFFECT_NAMES.get(x, (x, x))[1] for x in bad)
        note_en, note_sv = _unverified_note(e.trusted)
        # effects are measured heuristically: a warning asks a person to look
        sev = min(_severity(e.rule, "error", trusted=e.trusted, medium=_medium(f)), Severity.WARNING)
        yield Hit(f"{_cap(en_n)} {_where(f)} appears to have {en} added; the logo must be used unmodified.{note_en}",
                  f"{_cap(sv_n)} {_where(f, 'sv')} verkar ha fått {sv}; loggan ska användas oförändrad.{note_sv}",
                  _ev(f, effects=bad, detail=m.get("effects_detail"), rule=e.rule.id),
                  severity=sev, citation=_cite(brand, e.rule))


@rule("BRD008", "possible-logo", family="brands", severity=Severity.WARNING,
      en="Something looks like a platform logo, but not certainly: please check.",
      sv="Något liknar en plattformslogga, men inte säkert: kontrollera.",
      cite="imagerights logo detection: medium-confidence match; " + _BRAND_RULES, url=HANDBOOK_IMAGES)
def check_possible(ctx) -> Iterable[Hit]:
    for f in _logos(ctx):
        if not _medium(f):
            continue
        brand = _brand(f.platform)
        name = brand.display_name if brand else f.platform
        cite = _guidelines(brand) if brand else None
        yield Hit(f"Possible {name} logo {_where(f)} (match {f.confidence:.2f}), please check whether it is one "
                  f"and whether it follows {name}'s brand rules.",
                  f"Möjlig {name}-logga {_where(f, 'sv')} (träff {f.confidence:.2f}), kontrollera om det är en och om den "
                  f"följer {name}s varumärkesregler.",
                  _ev(f), citation=cite)


@rule("BRD009", "brand-rules-stale", family="brands", severity=Severity.WARNING,
      en="The brand rules used for a platform have not been reviewed for more than 180 days.",
      sv="Varumärkesreglerna för en plattform har inte granskats på mer än 180 dagar.",
      cite="imagerights brand rules (licenses/brands/*.toml): last_reviewed; " + _BRAND_RULES, url=HANDBOOK_IMAGES)
def check_stale(ctx) -> Iterable[Hit]:
    today = ctx.use.today
    for platform in sorted({f.platform for f in _logos(ctx)}):
        brand = _brand(platform)
        if brand is None or not brand.review_overdue(today):
            continue
        age = brand.review_age(today)
        yield Hit(f"The {brand.display_name} brand rules were last reviewed on {brand.last_reviewed} ({age} days ago, "
                  f"more than {REVIEW_MAX_DAYS}); check {brand.guidelines_url} and update licenses/brands/{platform}.toml.",
                  f"Varumärkesreglerna för {brand.display_name} granskades senast {brand.last_reviewed} ({age} dagar "
                  f"sedan, mer än {REVIEW_MAX_DAYS}); kontrollera {brand.guidelines_url} och uppdatera "
                  f"licenses/brands/{platform}.toml.",
                  {"platform": platform, "last_reviewed": str(brand.last_reviewed), "age_days": age},
                  citation=_guidelines(brand))


@rule("BRD010", "logos-are-trademarks", family="brands", severity=Severity.INFO,
      en="Platform logos are trademarks: a CC licence on the image does not license them.",
      sv="Plattformsloggor är varumärken: en CC-licens på bilden omfattar inte dem.",
      cite=CC_TRADEMARK.text, url=CC_TRADEMARK.url)
def check_trademark(ctx) -> Iterable[Hit]:
    logos = _logos(ctx)
    if not logos:
        return
    names = sorted({(_brand(f.platform).display_name if _brand(f.platform) else f.platform) for f in logos})
    yield Hit(f"The image shows {', '.join(names)} logo(s). They are their owners' trademarks; a Creative Commons "
              f"licence on the image (yours or the source's) does not cover them, and you may use them only as the "
              f"platform's brand rules allow.",
              f"Bilden visar {', '.join(names)}-logga/loggor. De är respektive ägares varumärken; en Creative Commons-"
              f"licens på bilden (er egen eller källans) omfattar dem inte, och de får bara användas som plattformens "
              f"varumärkesregler tillåter.",
              {"platforms": sorted({f.platform for f in logos})}, citation=CC_TRADEMARK)


@rule("BRD011", "logo-own-presence", family="brands", severity=Severity.INFO,
      en="A platform logo may only point to your own presence on that platform.",
      sv="En plattformslogga får bara hänvisa till er egen närvaro på plattformen.",
      cite=_BRAND_RULES, url=HANDBOOK_IMAGES)
def check_presence(ctx) -> Iterable[Hit]:
    for platform in sorted({f.platform for f in _logos(ctx)}):
        brand = _brand(platform)
        if brand is None:
            continue
        r = brand.presence or brand.version_rule
        needs_permission = brand.permission_required
        sev = Severity.WARNING if needs_permission else Severity.INFO
        extra_en = (f" {brand.display_name} generally requires prior permission for any use of its logo: "
                    f"check {brand.guidelines_url}." if needs_permission else "")
        extra_sv = (f" {brand.display_name} kräver i regel förhandsgodkännande för all användning av loggan: "
                    f"kontrollera {brand.guidelines_url}." if needs_permission else "")
        yield Hit(f"Use the {brand.display_name} logo only to point to your own {brand.display_name} account, without "
                  f"suggesting partnership or endorsement.{extra_en}",
                  f"Använd {brand.display_name}-loggan bara för att hänvisa till ert eget konto på {brand.display_name}, "
                  f"utan att antyda samarbete eller stöd.{extra_sv}",
                  {"platform": platform, "rule": r.id, "permitted_use": list(brand.permitted_use)},
                  severity=sev, citation=_cite(brand, r))
