"""Imported once by the fork server the audit workers are forked from (see :mod:`.pool`).

Importing the readers takes most of a second; done here, every worker — and every replacement of
a worker killed at its time limit — starts with them already in memory (shared copy-on-write)
instead of importing them again. (The licence catalogue is not loaded here: the audit's main
process identifies licences, see :mod:`.runner`.)
"""

from __future__ import annotations

import importlib

import imagerights.analyse  # noqa: F401
import imagerights.audit.worker  # noqa: F401
import imagerights.imaging  # noqa: F401

for _name in ("imagerights.metadata", "imagerights.provenance",
              "imagerights.audit.similar", "imagerights.audit.thumbnail"):
    try:
        importlib.import_module(_name)
    except Exception:  # noqa: BLE001 - a reader that fails to import fails per file, where it is reported
        pass

# Pillow's plugins for the formats audits meet. Without them, a worker's first TIFF, WebP or AVIF
# would make Pillow import all its ~45 plugins (~50 ms); these few take ~15 ms, once.
for _name in ("JpegImagePlugin", "MpoImagePlugin", "PngImagePlugin", "GifImagePlugin", "BmpImagePlugin",
              "TiffImagePlugin", "WebPImagePlugin", "AvifImagePlugin", "Jpeg2KImagePlugin", "IcoImagePlugin",
              "PsdImagePlugin"):
    try:
        importlib.import_module(f"PIL.{_name}")
    except Exception:  # noqa: BLE001 - a plugin this Pillow lacks: Pillow finds what it has when needed
        pass
