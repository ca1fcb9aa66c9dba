"""Licences as data: the catalogue (``licenses/``), recognition and attribution."""
