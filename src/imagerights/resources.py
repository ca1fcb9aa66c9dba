"""Where the package's data files live (licences, brand rules, policy, samples).

In a wheel they are installed under ``imagerights/_data/``; in a source checkout
(editable install) they are the top-level ``licenses/`` and ``samples/`` folders.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """Return the directory of a data folder (``licenses`` or ``samples``)."""
    installed = _PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    checkout = _PACKAGE_DIR.parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"imagerights data folder {name!r} not found (looked in {installed} and {checkout})")


def licenses_dir() -> Path:
    return data_dir("licenses")


def samples_dir() -> Path:
    return data_dir("samples")
