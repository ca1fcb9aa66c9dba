"""Renderers: results → text, JSON, HTML, CSV, SARIF. Renderers never compute; they format."""
