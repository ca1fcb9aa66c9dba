"""May an adaptation of a work under licence A be shared under licence B?

The answer is data: ``conditions.adapter_licenses`` of A (generated from the CC FAQ's
adapter chart, research/licenses.md §4.4; see :mod:`imagerights.licensing.model` for the
token grammar). This module only interprets those tokens.
"""

from __future__ import annotations

from imagerights.licensing.model import License

YES, NOT_RECOMMENDED, NO = "yes", "not_recommended", "no"


def _version(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in text.split("."))
    except ValueError:
        return ()


def _token_matches(token: str, adapted: License) -> bool:
    if token == "any":
        return True
    if token == "pd":
        return adapted.is_pd_tool
    if token.startswith("unit:"):
        unit, _, minimum = token[5:].partition("@>=")
        if not adapted.is_cc or adapted.unit != unit:
            return False
        return not minimum or adapted.version_tuple >= _version(minimum)
    if token.endswith("-compatible"):
        return False  # CC's list of compatible non-CC licences is not in the catalogue
    return token.lower() == adapted.id.lower()


def adaptation_allowed(original: License, adapted: License) -> str:
    """``yes``, ``not_recommended`` (the chart's yellow) or ``no``."""
    if not original.permissions.share_adapted:
        return NO
    for raw in original.conditions.adapter_licenses:
        token = raw.lstrip("~")
        if _token_matches(token, adapted):
            return NOT_RECOMMENDED if raw.startswith("~") else YES
    return NO
