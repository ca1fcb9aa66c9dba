"""`imagerights registry` (not wired yet)."""

command = None
