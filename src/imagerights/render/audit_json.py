"""JSON of an audit (schema ``imagerights.audit/1``, see ``render/schemas/audit.schema.json``)."""

from __future__ import annotations

import json
from typing import Any

SCHEMA_FILE = "audit.schema.json"


def render(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2, default=str)


def schema() -> dict[str, Any]:
    """The JSON Schema the document validates against (shipped with the package)."""
    from importlib import resources

    text = resources.files("imagerights.render").joinpath("schemas", SCHEMA_FILE).read_text(encoding="utf-8")
    return json.loads(text)
