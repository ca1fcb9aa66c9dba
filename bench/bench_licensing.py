"""Speed of the licence catalogue, recognition and credit lines.

    .venv/bin/python bench/bench_licensing.py

Prints the median of several runs for: loading the catalogue (TOML vs the parse cache),
building the lookup tables, identify() per input kind, identify_from_metadata() and
render_attribution().
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time

os.environ.setdefault("IMAGERIGHTS_CACHE_DIR", tempfile.mkdtemp(prefix="ir-bench-"))

from imagerights.facts import Metadata  # noqa: E402
from imagerights.licensing import identify as ident  # noqa: E402
from imagerights.licensing.attribution import CreditInput, render_attribution  # noqa: E402
from imagerights.licensing.catalogue import Catalogue  # noqa: E402
from imagerights.policy import default_policy  # noqa: E402
from imagerights.resources import licenses_dir  # noqa: E402

INPUTS = {
    "url": "https://creativecommons.org/licenses/by-sa/4.0/deed.sv",
    "badge": "https://i.creativecommons.org/l/by-nc-nd/3.0/88x31.png",
    "spdx": "CC-BY-NC-SA-4.0",
    "name": "Attribution-ShareAlike 4.0 International",
    "sv name": "Creative Commons Erkännande-IckeKommersiell-DelaLika 2.5 Sverige licens.",
    "parsed": "Erkännande 4.0 Sverige",
    "free text": "This photo by Anna is licensed under a Creative Commons Attribution-NonCommercial 4.0 "
                 "International License; see the page for details.",
    "flickr": "flickr:5",
    "unknown": "Please ask the photographer before using this picture in any context.",
    "10k chars": "by " * 3333,
}


def median(fn, n: int) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    root = licenses_dir()
    toml = median(lambda: Catalogue.from_dir(root), 3)
    Catalogue.from_dir(root, use_cache=True)
    cached = median(lambda: Catalogue.from_dir(root, use_cache=True), 5)
    cat = Catalogue.from_dir(root, use_cache=True)
    index = median(lambda: (ident._INDEXES.pop(cat, None), ident._index(cat)), 5)
    print(f"catalogue ({len(cat)} definitions): TOML {toml * 1000:.0f} ms, parse cache {cached * 1000:.0f} ms")
    print(f"lookup tables (once per catalogue): {index * 1000:.0f} ms")
    print("identify(), per call:")
    for label, text in INPUTS.items():
        per = median(lambda: [ident.identify(text, cat) for _ in range(200)], 5) / 200
        found = ident.identify(text, cat)
        print(f"  {label:<10} {per * 1e6:8.1f} µs  -> {found.id if found else None}")
    md = Metadata(creators=["Anna"], copyright="© 2024 Anna Andersson", credit="Anna/Flickr",
                  usage_terms="Licensed under CC BY-SA 4.0", cc_attribution_url="https://www.flickr.com/photos/a/1")
    per = median(lambda: [ident.identify_from_metadata(md, cat) for _ in range(200)], 5) / 200
    print(f"identify_from_metadata(): {per * 1e6:.1f} µs")
    policy = default_policy()
    credit = CreditInput(title="Stortorget i snö", author="Anna Andersson", source_url="https://www.flickr.com/photos/a/1",
                         license=cat["CC-BY-SA-4.0"], changes=frozenset({"crop", "text"}), changed_by="Malmö stad",
                         platform="Flickr", adaptation_license=cat["CC-BY-SA-4.0"])
    per = median(lambda: [render_attribution(credit, "sv", policy) for _ in range(200)], 5) / 200
    print(f"render_attribution() (all four formats): {per * 1e6:.1f} µs")


if __name__ == "__main__":
    main()
