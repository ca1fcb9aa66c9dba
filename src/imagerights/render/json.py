"""JSON output of ``check`` (schema ``imagerights.check/1``)."""

from __future__ import annotations

import json
from typing import Any, Iterable

from imagerights.evaluate import SCHEMA_CHECK


def check_document(results: Iterable[Any], lang: str, use: dict | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {"schema": SCHEMA_CHECK, "lang": lang}
    if use is not None:
        doc["use"] = use
    doc["results"] = [r.to_dict(lang) for r in results]
    return doc


def dumps(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2, default=str)
