"""REG: what the organisation's registry says about the matched asset.

The registry (``registry/``) recognised the image as a registered asset — possibly after a
crop, a caption or a resize — and ``Context.asset`` is that asset's record (the best match).
These rules read the record's terms: its licence period, editorial-only flag, allowed channels
and do-not-use status. Terms of the licence or agreement as a whole (an agreement that ended,
an agreement that is editorial-only) are the licence rules' (LIC021); consent of the people
shown is the people rules' (PPL, via ``Context.consent``); edits detected against the original
feed the licence rules through ``Context.edits``.
"""

from __future__ import annotations

import datetime as dt

from imagerights.findings import Citation, Severity
from imagerights.rules.base import Hit, rule
from imagerights.rules.citations import HANDBOOK_IMAGES, handbook, licence_clause

STOCK_URL = "https://www.colourbox.com/faq"


def _asset(ctx) -> dict | None:
    return ctx.asset if ctx.asset else None


def _match(ctx):
    return ctx.facts.registry_matches[0] if ctx.facts.registry_matches else None


def _expires(asset: dict) -> dt.date | None:
    value = asset.get("expires")
    if not value:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _name(asset: dict) -> str:
    title = asset.get("title") or asset.get("file_name") or ""
    return f"{asset['asset_id']}" + (f" ({title})" if title else "")


def _terms_citation(ctx, topic: str, what_en: str) -> Citation:
    """The licence clause when the licence data has one (stock agreements), else the record."""
    lic = ctx.license
    asset = ctx.asset
    if lic is not None and lic.clause(topic):
        return licence_clause(lic, topic)
    url = (lic.canonical_url if lic is not None else "") or ctx.policy.handbook_url() or HANDBOOK_IMAGES
    return Citation(f"Registry record {asset['asset_id']}: {what_en}"
                    + (f" ({lic.names.short})" if lic is not None else ""), url)


@rule("REG001", "licence-expired", family="registry", severity=Severity.ERROR,
      en="The registered asset's licence has expired: the image may not be used in new posts.",
      sv="Den registrerade bildens licens har löpt ut: bilden får inte användas i nya inlägg.",
      cite="Stock agreement / licence terms: licence period as recorded in the registry", url=STOCK_URL)
def licence_expired(ctx):
    asset = _asset(ctx)
    until = _expires(asset) if asset else None
    if until is None or until >= ctx.use.today:
        return
    yield Hit(f"Registry asset {_name(asset)}: the licence ended on {until.isoformat()}. "
              "Do not publish it; renew the licence or choose another image.",
              f"Registrerad bild {_name(asset)}: licensen upphörde {until.isoformat()}. "
              "Publicera den inte; förnya licensen eller välj en annan bild.",
              {"asset_id": asset["asset_id"], "expires": until.isoformat(), "license": asset.get("license_id")},
              citation=_terms_citation(ctx, "term", f"licensed until {until.isoformat()}"))


@rule("REG002", "licence-expiring", family="registry", severity=Severity.WARNING,
      en="The registered asset's licence expires soon (within the policy's warning period).",
      sv="Den registrerade bildens licens löper snart ut (inom policyns varningstid).",
      cite="Stock agreement / licence terms: licence period as recorded in the registry", url=STOCK_URL)
def licence_expiring(ctx):
    asset = _asset(ctx)
    until = _expires(asset) if asset else None
    if until is None or until < ctx.use.today:
        return
    days = (until - ctx.use.today).days
    window = int(getattr(ctx.policy, "expiry_warning_days", 30) or 0)
    if days > window:
        return
    yield Hit(f"Registry asset {_name(asset)}: the licence ends on {until.isoformat()} ({days} days). "
              "A post that stays up after that date may have to be taken down.",
              f"Registrerad bild {_name(asset)}: licensen upphör {until.isoformat()} (om {days} dagar). "
              "Ett inlägg som ligger kvar efter det datumet kan behöva tas bort.",
              {"asset_id": asset["asset_id"], "expires": until.isoformat(), "days_left": days,
               "warning_days": window},
              citation=_terms_citation(ctx, "term", f"licensed until {until.isoformat()}"))


@rule("REG003", "editorial-only-commercial", family="registry", severity=Severity.ERROR,
      en="An editorial-only asset used in advertising or by a municipal company.",
      sv="En bild som bara får användas redaktionellt används i reklam eller av ett kommunalt bolag.",
      cite="Stock agreement: editorial-use-only material may not be used in marketing", url=STOCK_URL)
def editorial_only_commercial(ctx):
    asset = _asset(ctx)
    if not asset or not asset.get("editorial_only") or not ctx.use.commercial:
        return
    why_en = "advertising" if ctx.use.use == "advertising" else "a municipal company's account (counts as advertising)"
    why_sv = "reklam" if ctx.use.use == "advertising" else "ett kommunalt bolags konto (räknas som reklam)"
    yield Hit(f"Registry asset {_name(asset)} is licensed for editorial use only, and this is {why_en}. "
              "Choose an image licensed for commercial use.",
              f"Registrerad bild {_name(asset)} får bara användas redaktionellt, och det här är {why_sv}. "
              "Välj en bild som är licensierad för kommersiellt bruk.",
              {"asset_id": asset["asset_id"], "editorial_only": True, "use": ctx.use.use, "account": ctx.use.account},
              citation=_terms_citation(ctx, "editorial", "editorial use only"))


def _social_channels() -> frozenset[str]:
    """Every platform named in ``licenses/channels.toml`` is a social channel."""
    try:
        from imagerights.channels import channels

        return frozenset(k for k in channels() if k != "default")
    except Exception:  # noqa: BLE001 - without the data file, only exact names match
        return frozenset()


def channel_allowed(channel: str, allowed: list[str]) -> bool:
    """``allowed`` empty = any channel; ``social`` covers every social platform."""
    if not allowed:
        return True
    c = channel.lower()
    allowed = [a.lower() for a in allowed]
    return c in allowed or ("social" in allowed and c in _social_channels())


@rule("REG004", "channel-not-allowed", family="registry", severity=Severity.ERROR,
      en="The asset's licence does not cover the channel it is to be published in.",
      sv="Bildens licens omfattar inte kanalen den ska publiceras i.",
      cite="Stock agreement / licence terms: permitted channels as recorded in the registry", url=STOCK_URL)
def channel_not_allowed(ctx):
    asset = _asset(ctx)
    channel = ctx.use.channel
    if not asset or not channel:
        return
    allowed = list(asset.get("channels") or [])
    source = "registry"
    lic = ctx.license
    if not allowed and lic is not None and lic.kind == "stock-license":
        allowed, source = list(lic.stock.get("channels") or []), "agreement"
    if channel_allowed(channel, allowed):
        return
    yield Hit(f"Registry asset {_name(asset)} may be used in {', '.join(allowed)} only, not in {channel}.",
              f"Registrerad bild {_name(asset)} får bara användas i {', '.join(allowed)}, inte i {channel}.",
              {"asset_id": asset["asset_id"], "channel": channel, "allowed": allowed, "from": source},
              citation=_terms_citation(ctx, "channels", f"permitted channels {', '.join(allowed)}"))


@rule("REG005", "do-not-use", family="registry", severity=Severity.ERROR,
      en="The asset is marked 'do not use' in the registry.",
      sv="Bilden är markerad 'använd inte' i registret.",
      cite="The organisation's registry: asset status do-not-use", url=HANDBOOK_IMAGES)
def do_not_use(ctx):
    asset = _asset(ctx)
    if not asset or asset.get("status") != "do-not-use":
        return
    note = asset.get("notes") or ""
    yield Hit(f"Registry asset {_name(asset)} is marked do-not-use" + (f": {note}" if note else "") + ". Do not publish it.",
              f"Registrerad bild {_name(asset)} är markerad använd inte" + (f": {note}" if note else "") + ". Publicera den inte.",
              {"asset_id": asset["asset_id"], "status": "do-not-use", "notes": note},
              citation=handbook(ctx.policy, "the organisation's image registry: do-not-use status"))


_EDIT_WORDS = {
    "crop": ("cropped", "beskuren"),
    "covered": ("partly covered (text, logo)", "delvis täckt (text, logga)"),
    "scale": ("resized", "storleksändrad"),
    "rotation": ("turned", "roterad"),
    "flip": ("mirrored", "spegelvänd"),
    "border": ("framed/padded", "med ram/kant"),
    "greyscale": ("black and white", "svartvit"),
    "recoloured": ("colours or brightness changed", "färger eller ljushet ändrade"),
}


@rule("REG006", "registry-match", family="registry", severity=Severity.INFO,
      en="The image matches an asset in the organisation's registry (with the edits detected).",
      sv="Bilden motsvarar en bild i organisationens register (med de ändringar som upptäcktes).",
      cite="The organisation's image registry", url=HANDBOOK_IMAGES)
def registry_match(ctx):
    asset = _asset(ctx)
    match = _match(ctx)
    if not asset or match is None:
        return
    edits = match.edits or {}
    words = [_EDIT_WORDS[k] for k in edits if k in _EDIT_WORDS]
    en_edits = ", ".join(w[0] for w in words) or "no edits detected"
    sv_edits = ", ".join(w[1] for w in words) or "inga ändringar upptäcktes"
    lic = asset.get("license_id") or "no licence recorded"
    lic_sv = asset.get("license_id") or "ingen licens registrerad"
    until = f", licensed until {asset['expires']}" if asset.get("expires") else ""
    until_sv = f", licens till {asset['expires']}" if asset.get("expires") else ""
    conf = f"{match.confidence:.0%}"
    yield Hit(f"Matches registry asset {_name(asset)} ({conf} confidence): {lic}{until}; {en_edits}.",
              f"Motsvarar registrerad bild {_name(asset)} ({conf} säkerhet): {lic_sv}{until_sv}; {sv_edits}.",
              {"asset_id": asset["asset_id"], "confidence": match.confidence, "edits": edits,
               "license": asset.get("license_id"), "expires": asset.get("expires"),
               "consent": asset.get("consent"), "creators": asset.get("creators", [])},
              citation=handbook(ctx.policy, "the organisation's image registry"))
