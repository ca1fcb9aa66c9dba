"""`imagerights logos` (not wired yet)."""

command = None
