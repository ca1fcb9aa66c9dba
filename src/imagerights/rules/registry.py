"""Rules of the registry family (filled in by the registry work)."""
