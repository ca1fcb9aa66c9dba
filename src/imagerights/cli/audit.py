"""`imagerights audit` (not wired yet)."""

command = None
