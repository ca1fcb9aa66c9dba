"""`imagerights licenses` (not wired yet)."""

command = None
