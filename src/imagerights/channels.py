"""Publishing channels as data (``licenses/channels.toml``): e.g. each platform's AI-label rule."""

from __future__ import annotations

import tomllib
from functools import cache

from imagerights.resources import licenses_dir


@cache
def channels() -> dict[str, dict]:
    with (licenses_dir() / "channels.toml").open("rb") as fh:
        data = tomllib.load(fh)
    data.pop("schema_version", None)
    return data


def channel(name: str | None) -> dict:
    """The channel's record, or the ``default`` record for an unknown or missing channel."""
    table = channels()
    return table.get((name or "").lower()) or table["default"]
