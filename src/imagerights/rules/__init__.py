"""Rules: pure functions of facts + the organisation's policy + the intended use.

One module per family; importing this package registers every rule in
:data:`imagerights.rules.base.RULES`. Codes are stable:

====== ==============================================================
LIC    licence terms (CC clauses, statements, stock agreements)
ATT    attribution / credit line
PPL    identifiable people, consent, namn- och bildlagen
PRI    privacy: location and personal data in the file
AI     AI-generated / AI-edited images, Content Credentials
MET    metadata: provenance unknown, conflicts, unreadable containers
REG    the organisation's registry: expiry, editorial-only, channels, do-not-use
BRD    platform logos and their brand rules
FIL    the file itself could not be read
====== ==============================================================
"""

from imagerights.rules import (  # noqa: F401  (import registers the rules)
    brands,
    credit,
    file,
    licence,
    metadata,
    people,
    privacy,
    provenance,
    registry,
)
from imagerights.rules.base import RULES, Context, Hit, rule, run_rules  # noqa: F401
