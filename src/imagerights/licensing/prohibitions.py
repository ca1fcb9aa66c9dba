"""What the terms of a licence's ``prohibits`` list mean (``licenses/prohibitions.toml``, data).

A licence definition names what it forbids with short terms ("high-income-nation-use",
"advertising", "selling-unaltered-copies" …); this vocabulary says, per term, its wording in
English and Swedish and when a planned post breaks it (``applies``), which rules LIC024 and
LIC025 read.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache

from imagerights.resources import licenses_dir

APPLIES = ("high_income_nation", "commercial", "unadapted", "commercial_unadapted", "manual")


@dataclass(frozen=True)
class Prohibition:
    term: str
    applies: str
    en: str
    sv: str
    covered_by: str = ""  # a rule that already reports it for some licences

    def label(self, lang: str) -> str:
        return self.sv if lang == "sv" else self.en


@cache
def vocabulary() -> dict[str, Prohibition]:
    with (licenses_dir() / "prohibitions.toml").open("rb") as fh:
        data = tomllib.load(fh)
    data.pop("schema_version", None)
    out = {}
    for term, rec in data.items():
        if rec.get("applies") not in APPLIES:
            raise ValueError(f"prohibitions.toml: [{term}] applies = {rec.get('applies')!r}, not one of {APPLIES}")
        out[term] = Prohibition(term, rec["applies"], rec["en"], rec["sv"], rec.get("covered_by", ""))
    return out


def prohibition(term: str) -> Prohibition:
    """The vocabulary's record, or one that asks the user to check an unknown term by hand."""
    known = vocabulary().get(term)
    if known is not None:
        return known
    words = term.replace("-", " ")
    return Prohibition(term, "manual", words, words)
