#!/usr/bin/env python3
"""Rebuild ``src/imagerights/logos/templates/masks.npz`` from the vendored SVGs.

Every bundled version in ``licenses/brands/*.toml`` names its SVG (CC0 path data from
simple-icons, copied unchanged into ``src/imagerights/logos/templates/svg/``) and its sha256.
This script checks the hash, renders the mark with resvg at 256 px, derives the knock-out
(the "f", the play triangle …) and stores both masks, so the package needs no SVG
renderer at run time.

    .venv/bin/pip install resvg-py        # only needed here (extra: imagerights[logos-build])
    .venv/bin/python scripts/render_logo_templates.py           # rebuild
    .venv/bin/python scripts/render_logo_templates.py --check   # exit 1 if the masks are stale
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from imagerights.logos.bank import MASKS_FILE, RENDER_SIZE, TEMPLATE_DIR, knockout_mask, render_svg  # noqa: E402
from imagerights.logos.brands import load_brands  # noqa: E402


def build() -> tuple[dict[str, np.ndarray], list[dict]]:
    arrays: dict[str, np.ndarray] = {}
    manifest = []
    for platform, brand in sorted(load_brands(str(ROOT / "licenses" / "brands")).items()):
        for v in brand.versions:
            if not v.bundled:
                continue
            svg_path = TEMPLATE_DIR / "svg" / v.template
            data = svg_path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            if v.template_sha256 and digest != v.template_sha256:
                raise SystemExit(f"{svg_path}: sha256 {digest} differs from {brand.file} ({v.template_sha256})")
            ink = render_svg(data.decode("utf-8"), RENDER_SIZE)
            key = f"{platform}/{v.id}"
            arrays[f"{key}/ink"] = ink
            arrays[f"{key}/knockout"] = knockout_mask(ink, v.knockout)
            arrays[f"{key}/mode"] = np.array(v.knockout)
            manifest.append({"key": key, "svg": f"svg/{v.template}", "sha256": digest, "knockout": v.knockout,
                             "ink_fraction": round(float((ink > 127).mean()), 4)})
    return arrays, manifest


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="compare with the committed masks instead of writing")
    args = ap.parse_args()
    arrays, manifest = build()
    if args.check:
        with np.load(MASKS_FILE) as old:
            stale = sorted(set(arrays) ^ set(old.files))
            stale += [k for k in arrays if k in old.files and not np.array_equal(arrays[k], old[k])]
        if stale:
            print("stale template masks:", ", ".join(stale))
            return 1
        print(f"{len(manifest)} template masks up to date")
        return 0
    np.savez_compressed(MASKS_FILE, **arrays)
    import resvg_py  # type: ignore

    (TEMPLATE_DIR / "MANIFEST.json").write_text(json.dumps(
        {"renderer": f"resvg-py {resvg_py.__version__}", "size": RENDER_SIZE, "templates": manifest},
        indent=1) + "\n", encoding="utf-8")
    print(f"wrote {MASKS_FILE.relative_to(ROOT)} ({MASKS_FILE.stat().st_size:,} bytes, {len(manifest)} templates)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
