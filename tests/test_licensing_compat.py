"""The adapter-licence chart (CC FAQ) as interpreted from the licence data."""

from __future__ import annotations

import pytest

from imagerights.licensing.catalogue import default_catalogue
from imagerights.licensing.compat import NO, NOT_RECOMMENDED, YES, adaptation_allowed


@pytest.mark.parametrize("original,adapted,expected", [
    ("CC-BY-4.0", "CC-BY-NC-ND-4.0", YES),
    ("CC-BY-4.0", "CC0-1.0", NOT_RECOMMENDED),
    ("CC-BY-NC-4.0", "CC-BY-NC-SA-4.0", YES),
    ("CC-BY-NC-4.0", "CC-BY-4.0", NOT_RECOMMENDED),
    ("CC-BY-SA-4.0", "CC-BY-SA-4.0", YES),
    ("CC-BY-SA-2.0", "CC-BY-SA-4.0", YES),
    ("CC-BY-SA-4.0", "CC-BY-SA-3.0", NO),
    ("CC-BY-SA-4.0", "CC-BY-NC-ND-4.0", NO),
    ("CC-BY-SA-1.0", "CC-BY-SA-4.0", NO),  # 1.0: "only under the terms of this License"
    ("CC-BY-NC-SA-4.0", "CC-BY-NC-SA-4.0", YES),
    ("CC-BY-ND-4.0", "CC-BY-ND-4.0", NO),
    ("CC-BY-NC-ND-4.0", "CC-BY-NC-ND-4.0", NO),
    ("CC0-1.0", "CC-BY-NC-ND-4.0", YES),
])
def test_chart(original, adapted, expected):
    cat = default_catalogue()
    assert adaptation_allowed(cat[original], cat[adapted]) == expected
