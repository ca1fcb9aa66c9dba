"""Shared test fixtures. Corpus tests find ../shared/corpora (or $IMAGERIGHTS_CORPORA)
and skip with a clear reason when it is absent, so a fresh clone's own suite passes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def corpora_dir() -> Path | None:
    env = os.environ.get("IMAGERIGHTS_CORPORA")
    candidates = [Path(env)] if env else []
    candidates.append(ROOT.parent / "shared" / "corpora")
    for c in candidates:
        if c.is_dir():
            return c
    return None


@pytest.fixture(scope="session")
def corpora() -> Path:
    d = corpora_dir()
    if d is None:
        pytest.skip("test corpora not found: set IMAGERIGHTS_CORPORA or put shared/corpora beside the project")
    return d


@pytest.fixture(autouse=True)
def _isolated_registry(tmp_path_factory, monkeypatch):
    """Never touch the user's real registry or data dir from tests."""
    d = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("IMAGERIGHTS_DATA_DIR", str(d))
    monkeypatch.delenv("IMAGERIGHTS_REGISTRY", raising=False)
    monkeypatch.delenv("IMAGERIGHTS_POLICY", raising=False)
    yield
