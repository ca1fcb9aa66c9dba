"""Platform logos: find them in an image and measure them (facts only; ``rules/brands.py`` judges).

``find_logos(src)`` is called for every image by ``imagerights check`` and ``audit``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from imagerights.facts import LogoFact
    from imagerights.imaging import SourceImage


def find_logos(src: "SourceImage") -> "list[LogoFact]":
    """Every platform mark found in ``src``; see :mod:`imagerights.logos.detect`."""
    from imagerights.logos.detect import find_logos as _find

    return _find(src)


__all__ = ["find_logos"]
