"""`imagerights provenance` (not wired yet)."""

command = None
