"""Privacy-safe copies: location and personal metadata out, rights metadata and pixels untouched."""

from imagerights.privacy.containers import StripError
from imagerights.privacy.strip import StripReport, strip_bytes, strip_file

__all__ = ["StripError", "StripReport", "strip_bytes", "strip_file"]
