"""PostgreSQL registry URLs: parsing, a display form without the password, and scrubbing.

A registry URL such as ``postgresql://imagerights:s3cret@db.example/imagerights`` carries a
credential. The URL ends up in messages ("cannot connect to registry …"), in exception texts,
in ``repr(store)`` and in the change token; none of them may show the password. So a
:class:`PgTarget` keeps the real connection string out of sight (its ``repr`` hides it) and
offers ``display`` — the same target rebuilt from its parts with the password replaced by
``***`` — plus :meth:`PgTarget.scrub`, which removes every secret value (URL password,
``sslpassword``, ``$PGPASSWORD``) from a driver's error text before we show it.

Everything libpq understands keeps working: query parameters (``?host=/run/postgresql``,
``sslmode=require``, ``options=-csearch_path=…``), several hosts, and the ``PG*`` environment
variables for whatever the URL leaves out (``postgresql://`` alone means "all from PG*").
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from urllib.parse import quote

from imagerights.registry.store import RegistryError

SCHEMES = ("postgresql://", "postgres://")
MASK = "***"
# connection parameters whose values are secrets (libpq names)
SECRET_KEYS = ("password", "sslpassword")
# environment variables libpq reads secrets from
SECRET_ENV = ("PGPASSWORD", "PGSSLPASSWORD")

# any scheme: a mistyped one ("postgresq://u:pw@…") must not leak its password either
# greedy to the last "@" of the token: a password may hold an unencoded "@" or "/"
_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<userinfo>[^\s'\"]*)@")
_KV_SECRET = re.compile(r"(?i)\b(password|sslpassword)\s*=\s*('(?:[^'\\]|\\.)*'|[^\s&]*)")


def is_postgres_url(url: str) -> bool:
    return str(url).strip().lower().startswith(SCHEMES)


def redact(text: str) -> str:
    """``text`` with passwords in URL userinfo and ``password=`` parameters masked.

    The fallback for text whose secret values are unknown (e.g. a URL that does not parse).
    """
    def userinfo(m: re.Match) -> str:
        info = m.group("userinfo")
        if ":" in info:
            info = info.split(":", 1)[0] + ":" + MASK
        return f"{m.group('scheme')}{info}@"

    text = _USERINFO.sub(userinfo, str(text))
    return _KV_SECRET.sub(lambda m: f"{m.group(1)}={MASK}", text)


class _Secret(str):
    """A str whose repr does not show it (so a debugger or ``vars()`` dump stays clean)."""

    def __repr__(self) -> str:
        return "'<connection string hidden>'"


@dataclass(frozen=True)
class PgTarget:
    """A parsed PostgreSQL registry URL: what to connect with, and what to show."""

    conninfo: str = field(repr=False)
    display: str
    params: dict[str, str] = field(repr=False)
    secrets: tuple[str, ...] = field(repr=False)

    def __repr__(self) -> str:
        return f"PgTarget({self.display!r})"

    def scrub(self, text: object) -> str:
        """``text`` with every known secret value removed and URL passwords masked."""
        out = str(text)
        for secret in self.secrets:
            out = out.replace(secret, MASK)
        return redact(out)


def _env_secrets() -> list[str]:
    return [os.environ[k] for k in SECRET_ENV if os.environ.get(k)]


def _display(url: str, params: dict[str, str]) -> str:
    """The URL rebuilt from libpq's reading of it, password masked (also shows ``?host=``)."""
    scheme = "postgres://" if url.strip().lower().startswith("postgres://") else "postgresql://"
    user = params.get("user")
    auth = ""
    if user is not None:
        auth = quote(user, safe="")
        if "password" in params:
            auth += ":" + MASK
        auth += "@"
    elif "password" in params:
        auth = ":" + MASK + "@"
    hosts = params.get("host", "")
    netloc = ""
    query: list[str] = []
    if hosts and not any(h.startswith("/") or h.startswith("@") for h in hosts.split(",")):
        ports = params.get("port", "").split(",") if params.get("port") else []
        parts = []
        for i, h in enumerate(hosts.split(",")):
            h = f"[{h}]" if ":" in h else h
            p = ports[i] if i < len(ports) else (ports[0] if len(ports) == 1 else "")
            parts.append(f"{h}:{p}" if p else h)
        netloc = ",".join(parts)
    elif hosts:
        query.append(f"host={hosts}")
        if params.get("port"):
            query.append(f"port={params['port']}")
    dbname = quote(params.get("dbname", ""), safe="")
    for key, value in params.items():
        if key in ("user", "password", "host", "port", "dbname"):
            continue
        query.append(f"{key}={MASK if key in SECRET_KEYS else value}")
    tail = "?" + "&".join(query) if query else ""
    return f"{scheme}{auth}{netloc}/{dbname}{tail}"


def parse_pg_url(url: str) -> PgTarget:
    """Parse a ``postgresql://`` / ``postgres://`` URL; :class:`RegistryError` (redacted) if bad."""
    url = str(url).strip()
    if not is_postgres_url(url):
        raise RegistryError(f"not a PostgreSQL URL: {redact(url)}")
    try:
        from psycopg.conninfo import conninfo_to_dict
    except ImportError as exc:
        raise RegistryError(f"PostgreSQL registry support is not available ({exc}); "
                            "install imagerights[postgres]") from None
    try:
        raw = conninfo_to_dict(url)
    except Exception as exc:  # noqa: BLE001 - psycopg raises ProgrammingError with the text in it
        raise RegistryError(f"invalid PostgreSQL URL {redact(url)}: {redact(exc).strip()}") from None
    params = {k: str(v) for k, v in raw.items() if v is not None}
    secrets = [params[k] for k in SECRET_KEYS if params.get(k)]
    # the URL may carry the password percent-encoded: hide that spelling too
    secrets += [quote(s, safe="") for s in list(secrets)]
    secrets += _env_secrets()
    # longest first, so a secret containing another is replaced whole
    ordered = tuple(sorted({s for s in secrets if s}, key=len, reverse=True))
    return PgTarget(_Secret(url), _display(url, params), params, ordered)
