"""A throw-away PostgreSQL server for the tests (and ``bench/registry.py``).

``initdb`` into a fresh temporary directory, ``pg_ctl start`` listening only on a Unix socket
in that directory (``listen_addresses=''``), one database per test, ``pg_ctl stop`` and
removal at the end. Nothing touches a system cluster or a TCP port.

initdb refuses to run as root: as root the server runs as the ``postgres`` system user
(Debian's package creates it) through ``runuser``; the directory is handed to that user.

Use from a test module::

    from pg_server import pg_server, pg_url  # noqa: F401  (pytest fixtures)

``pg_server`` skips with the reason when no server can be started — except under ``CI=true``,
where it fails: CI installs PostgreSQL, so a missing server there is a broken build.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import threading
import uuid
from pathlib import Path

import pytest

PASSWORD_USER = "ir_pwuser"  # a role that must authenticate with a password (redaction tests)
PASSWORD = "S3cr3t-pa55w0rd-for-tests"


class ServerUnavailable(Exception):
    """No PostgreSQL server can be started here (the message says why)."""


def find_bindir() -> Path | None:
    """The directory holding initdb/pg_ctl: $PG_BINDIR, PATH, or Debian's versioned dirs."""
    env = os.environ.get("PG_BINDIR")
    if env and (Path(env) / "initdb").exists():
        return Path(env)
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: [int(x) for x in re.findall(r"\d+", p)])
    return Path(found[-1]).parent if found else None


def _parent_dir() -> str:
    """Where server directories go: /tmp when it exists — the 'postgres' user must be able to
    reach the directory (a root-only $TMPDIR would not do) and a Unix socket path must stay
    under ~100 characters (a long $TMPDIR would not do either)."""
    return "/tmp" if os.path.isdir("/tmp") and os.access("/tmp", os.W_OK) else tempfile.gettempdir()


class PostgresServer:
    """One temporary cluster. :meth:`start` / :meth:`stop`; :meth:`new_database` per test."""

    def __init__(self, bindir: Path, *, fsync: bool = False):
        self.bindir = bindir
        self.fsync = fsync
        self.base = Path(tempfile.mkdtemp(prefix="imagerights-pg-", dir=_parent_dir()))
        self.data = self.base / "data"
        self.socket_dir = self.base
        self.port = 5432
        self.run_as: str | None = None
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                raise ServerUnavailable("running as root and there is no 'postgres' system user "
                                        "to run the server as (initdb refuses root)") from None
            self.run_as = "postgres"
            shutil.chown(self.base, "postgres", "postgres")
        os.chmod(self.base, 0o755)
        self.superuser = self.run_as or pwd.getpwuid(os.geteuid()).pw_name
        self.started = False
        self._lock = threading.Lock()

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        cmd = [str(a) for a in args]
        if self.run_as:
            cmd = ["runuser", "-u", self.run_as, "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              cwd=str(self.base), env={**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"})

    def start(self) -> "PostgresServer":
        (self.base / "owner.pid").write_text(str(os.getpid()))
        r = self._run(self.bindir / "initdb", "-D", self.data, "-A", "trust", "-U", self.superuser,
                      "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        if r.returncode != 0:
            raise ServerUnavailable(f"initdb failed: {r.stderr.strip() or r.stdout.strip()}")
        # the password role authenticates with SCRAM, everyone else is trusted (local socket only)
        (self.data / "pg_hba.conf").write_text(
            f"local all {PASSWORD_USER} scram-sha-256\n"
            "local all all trust\n")
        opts = (f"-k {self.socket_dir} -c listen_addresses='' -p {self.port} "
                f"-c max_connections=60 -c shared_buffers=64MB "
                f"-c fsync={'on' if self.fsync else 'off'} -c synchronous_commit={'on' if self.fsync else 'off'} "
                f"-c full_page_writes={'on' if self.fsync else 'off'}")
        r = self._run(self.bindir / "pg_ctl", "-D", self.data, "-l", self.base / "server.log",
                      "-o", opts, "-w", "-t", "60", "start")
        if r.returncode != 0:
            log = (self.base / "server.log").read_text(errors="replace")[-2000:] \
                if (self.base / "server.log").exists() else ""
            raise ServerUnavailable(f"pg_ctl start failed: {r.stderr.strip()} {log}".strip())
        self.started = True
        with self.admin() as conn:
            conn.execute(f"CREATE ROLE {PASSWORD_USER} LOGIN PASSWORD '{PASSWORD}'")
        return self

    def stop(self) -> None:
        if self.started:
            self._run(self.bindir / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop", timeout=60)
            self.started = False
        shutil.rmtree(self.base, ignore_errors=True)

    # ------------------------------------------------------------------ connections
    def url(self, dbname: str = "postgres", user: str | None = None, password: str | None = None) -> str:
        user = user or self.superuser
        auth = f"{user}:{password}@" if password else f"{user}@"
        return f"postgresql://{auth}/{dbname}?host={self.socket_dir}&port={self.port}"

    def admin(self):
        import psycopg

        return psycopg.connect(self.url(), autocommit=True)

    def new_database(self, prefix: str = "t") -> str:
        """A fresh empty database (owned by the superuser, usable by the password role); its URL."""
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with self._lock, self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
            conn.execute(f'GRANT ALL ON DATABASE "{name}" TO {PASSWORD_USER}')
        with self.admin_db(name) as conn:
            conn.execute(f"GRANT ALL ON SCHEMA public TO {PASSWORD_USER}")
        return self.url(name)

    def admin_db(self, dbname: str):
        import psycopg

        return psycopg.connect(self.url(dbname), autocommit=True)

    def drop_database(self, url: str) -> None:
        name = url.split("/")[3].split("?")[0]
        with self._lock, self.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sweep_stale_servers(bindir: Path) -> None:
    """Stop servers left behind by test processes that were killed before their atexit ran."""
    for base in Path(_parent_dir()).glob("imagerights-pg-*"):
        try:
            owner = int((base / "owner.pid").read_text())
        except (OSError, ValueError):
            continue
        try:
            os.kill(owner, 0)
            continue  # its owner is alive (maybe another test run in parallel)
        except ProcessLookupError:
            pass
        except PermissionError:
            continue
        cmd = [str(bindir / "pg_ctl"), "-D", str(base / "data"), "-m", "immediate", "-w", "stop"]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


_SERVER: PostgresServer | None = None
_FAILURE: str | None = None


def shared_server() -> PostgresServer:
    """The one server of this process (started on first use, stopped at exit)."""
    global _SERVER, _FAILURE
    if _SERVER is not None:
        return _SERVER
    if _FAILURE is not None:
        raise ServerUnavailable(_FAILURE)
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        _FAILURE = f"psycopg is not installed ({exc})"
        raise ServerUnavailable(_FAILURE) from None
    bindir = find_bindir()
    if bindir is None:
        _FAILURE = ("PostgreSQL server binaries (initdb, pg_ctl) not found; "
                    "install Debian's `postgresql` package or set PG_BINDIR")
        raise ServerUnavailable(_FAILURE)
    server = None
    try:
        sweep_stale_servers(bindir)
        server = PostgresServer(bindir)
        server.start()
    except (ServerUnavailable, OSError, subprocess.SubprocessError) as exc:
        if server is not None:
            server.stop()
        _FAILURE = str(exc)
        raise ServerUnavailable(_FAILURE) from None
    _SERVER = server
    atexit.register(server.stop)
    return server


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


@pytest.fixture(scope="session")
def pg_server() -> PostgresServer:
    try:
        return shared_server()
    except ServerUnavailable as exc:
        if in_ci():
            pytest.fail(f"CI=true but no PostgreSQL server could be started: {exc}", pytrace=False)
        pytest.skip(f"no PostgreSQL server can be started here: {exc}")


@pytest.fixture
def pg_url(pg_server: PostgresServer):
    """A fresh empty database on the test server (dropped afterwards); its URL."""
    url = pg_server.new_database()
    yield url
    pg_server.drop_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_url(request, tmp_path) -> str:
    """A fresh empty registry on each backend in turn: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "registry.db")
    return request.getfixturevalue("pg_url")


def synthetic_record(i: int, *, key_bytes: int = 40, prefix: str = "asset"):
    """Asset ``i`` with every field set and deterministic pseudo-random fingerprint blobs."""
    import hashlib
    import random

    from imagerights.registry.store import Asset, Fingerprint

    rnd = random.Random(i)
    sha = hashlib.sha256(f"file-{i}".encode()).hexdigest()
    asset = Asset(
        asset_id=f"{prefix}-{i:06d}", sha256=sha, title=f"Möllevångstorget {i} – “quoted” ✓",
        creators=["Anna Andersson", f"Fotograf {i}"], source_url=f"https://example.org/p/{i}",
        license_id="CC-BY-SA-4.0" if i % 2 else "colourbox-standard", expires="2027-03-31" if i % 3 else None,
        channels=["web", "instagram"] if i % 2 else [], editorial_only=bool(i % 2),
        consent=("written", "none", "oral", "model-release", "not-needed")[i % 5],
        consent_ref=f"Dnr KS-2024-{i}" if i % 5 == 0 else None,
        people_present=(None, True, False)[i % 3], status="do-not-use" if i % 7 == 0 else "active",
        notes="line one\nline två\ttab", file_name=f"IMG_{i:04d}.jpg", size=1_000_000 + i,
        width=4000, height=3000, added_at=f"2026-01-{1 + i % 28:02d}T10:00:00+00:00", added_by="bildbanken",
        updated_at=None if i % 2 else "2026-02-01T12:00:00+00:00")
    fp = Fingerprint(
        algo=1, index_key=rnd.randbytes(key_bytes), hashes=rnd.randbytes(7 * 32),
        features=rnd.randbytes(500 * 32) if i % 4 else None, thumb=rnd.randbytes(3000) if i % 3 else None)
    return asset, fp


def make_images(folder: Path, n: int, side: int = 320) -> list[Path]:
    """``n`` distinct photo-like registry test images, made in code (blurred noise + shapes:
    texture for the local features), as JPEG files in ``folder``."""
    import numpy as np
    from PIL import Image, ImageFilter

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        rng = np.random.default_rng(1000 + i)
        noise = rng.integers(0, 256, (side * 3 // 4 // 8, side // 8, 3), dtype=np.uint8)
        im = Image.fromarray(noise).resize((side, side * 3 // 4), Image.Resampling.BICUBIC)
        im = im.filter(ImageFilter.GaussianBlur(1.2))
        px = np.asarray(im).copy()
        for _ in range(6):
            x, y = rng.integers(0, side - 40), rng.integers(0, side * 3 // 4 - 40)
            px[y:y + 30, x:x + 30] = rng.integers(0, 256, 3)
        path = folder / f"bild-{i:03d}.jpg"
        Image.fromarray(px).save(path, quality=92)
        paths.append(path)
    return paths
