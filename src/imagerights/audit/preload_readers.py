"""The heavy readers (faces, logos, registry matching), preloaded by the fork server in full mode only:
``--fast`` never runs them, so its workers need not wait for their imports (see :mod:`.preload`)."""

from __future__ import annotations

import importlib

for _name in ("imagerights.people", "imagerights.logos", "imagerights.registry"):
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
