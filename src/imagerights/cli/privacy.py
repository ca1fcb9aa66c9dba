"""`imagerights privacy` (not wired yet)."""

command = None
