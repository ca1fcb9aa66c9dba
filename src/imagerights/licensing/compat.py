"""May an adaptation of a work under licence A be shared under licence B?

The CC FAQ's adapter chart ("If I derive or adapt material offered under a Creative
Commons license, which CC license(s) can I use?"), see research/licenses.md §4.4.
Pure functions over :class:`~imagerights.licensing.model.License` records.
"""

from __future__ import annotations

from imagerights.licensing.model import License

YES, NOT_RECOMMENDED, NO = "yes", "not_recommended", "no"


def _elements(lic: License) -> frozenset[str]:
    if lic.is_pd_tool:
        return frozenset()
    return frozenset(part for part in lic.unit.split("-") if part in ("by", "nc", "nd", "sa"))


def adaptation_allowed(original: License, adapted: License) -> str:
    """``yes``, ``not_recommended`` (chart's yellow) or ``no``."""
    if not original.permissions.share_adapted:
        return NO
    if not adapted.is_cc:
        return NO if original.is_cc and not original.is_pd_tool else YES
    orig, new = _elements(original), _elements(adapted)
    if original.is_pd_tool:
        return YES
    if "sa" in orig:
        if _elements(adapted) != orig:
            return NO
        if original.version_tuple and adapted.version_tuple and adapted.version_tuple < original.version_tuple:
            return NO
        return YES
    if orig == {"by"}:
        return NOT_RECOMMENDED if adapted.is_pd_tool else YES
    if orig == {"by", "nc"}:
        if adapted.is_pd_tool or "nc" not in new:
            return NOT_RECOMMENDED
        return YES
    return NO


def relicensing_allowed(original: License) -> bool:
    """Can the organisation put its own licence on the unmodified work? Only for PD tools."""
    return original.is_pd_tool
