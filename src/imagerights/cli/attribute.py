"""`imagerights attribute` (not wired yet)."""

command = None
