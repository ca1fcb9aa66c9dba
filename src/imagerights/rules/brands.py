"""Rules of the brands family (filled in by the brands work)."""
