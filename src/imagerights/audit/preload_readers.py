"""The heavy readers (faces, logos, registry matching and hashing), preloaded by the fork server in full mode only:
``--fast`` never runs them, so its workers need not wait for their imports (see :mod:`.preload`)."""

from __future__ import annotations

import importlib

# (registry.hashing: the full audit's perceptual hash, with OpenCV; --fast hashes with numpy alone)
for _name in ("imagerights.people", "imagerights.logos", "imagerights.registry", "imagerights.registry.hashing"):
    try:
        importlib.import_module(_name)
    except Exception:  # noqa: BLE001 - a reader that fails to import fails per file, where it is reported
        pass
try:  # Content Credentials' SDK (optional extra), loaded on first use otherwise
    from imagerights.provenance.sdk import HAVE_SDK, sdk

    if HAVE_SDK:
        sdk()
except Exception:  # noqa: BLE001
    pass
