"""A throwaway PostgreSQL cluster for the test run, and per-test databases on it.

Why here and not a service in CI: the suite must prove the store works on a *real* PostgreSQL
without anyone installing or configuring one, so the tests start their own cluster (``initdb`` +
``pg_ctl`` on a free port, unix socket and data in a temporary folder, ``fsync=off`` for speed) and
throw it away at the end. Locally a machine without the binaries skips these tests with a message
saying what is missing; in CI (``CI=true``) that is a failure, because a skipped PostgreSQL suite
would silently stop protecting the team's shared store.

Import the fixtures into a test module with ``from pg_support import pg_server, pg_url  # noqa: F401``.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PG_USER = "postgres"


def _bin_dir() -> Path | None:
    """Where initdb/pg_ctl live: $PG_BIN, else the newest Debian version dir, else $PATH."""
    env = os.environ.get("PG_BIN")
    if env and (Path(env) / "initdb").exists():
        return Path(env)
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
                        if Path(p).parent.name.isdigit() else 0)
    for cand in reversed(candidates):
        if (Path(cand) / "initdb").exists():
            return Path(cand)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _unavailable(reason: str) -> None:
    """Skip locally, fail in CI: a PostgreSQL suite that silently skips in CI protects nothing."""
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"PostgreSQL tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL tests skipped: {reason}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_pg_user(cmd: list[str]) -> list[str]:
    """initdb refuses to run as root: drop to the postgres user when we are root."""
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", PG_USER, "--", *cmd]


@dataclass
class PgServer:
    """A running throwaway cluster; ``url(db)`` is a SQLAlchemy URL for one database on it."""

    port: int
    datadir: Path
    bin_dir: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{PG_USER}@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str) -> None:
        """Run one statement outside a transaction (CREATE/DROP DATABASE need that)."""
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={PG_USER} dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def create_database(self) -> str:
        name = "t_" + uuid.uuid4().hex[:12]
        self.admin(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        with contextlib.suppress(Exception):
            self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_server() -> tuple[PgServer | None, str]:
    """Start a cluster, or return (None, why not)."""
    bin_dir = _bin_dir()
    if bin_dir is None:
        return None, "initdb/pg_ctl not found (install Debian's `postgresql` package or set PG_BIN)"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return None, "psycopg is not installed (pip install 'psycopg[binary]')"
    if os.geteuid() == 0:
        try:
            pw = pwd.getpwnam(PG_USER)
        except KeyError:
            return None, f"running as root and there is no {PG_USER!r} user to run initdb as (useradd -r postgres)"
    datadir = Path(tempfile.mkdtemp(prefix="tracker-pg-"))
    if os.geteuid() == 0:
        os.chown(datadir, pw.pw_uid, pw.pw_gid)
    port = _free_port()
    init = subprocess.run(
        _as_pg_user([str(bin_dir / "initdb"), "-D", str(datadir / "data"), "-U", PG_USER, "-A", "trust",
                     "-E", "UTF8", "--locale=C"]),
        capture_output=True, text=True,
    )
    if init.returncode != 0:
        shutil.rmtree(datadir, ignore_errors=True)
        return None, f"initdb failed: {(init.stderr or init.stdout).strip().splitlines()[-1:]}"
    opts = (f"-p {port} -c listen_addresses=127.0.0.1 -k {datadir} -c fsync=off -c synchronous_commit=off "
            f"-c full_page_writes=off -c max_connections=300")
    start = subprocess.run(
        _as_pg_user([str(bin_dir / "pg_ctl"), "-D", str(datadir / "data"), "-o", opts, "-l",
                     str(datadir / "server.log"), "-w", "-t", "30", "start"]),
        capture_output=True, text=True,
    )
    if start.returncode != 0:
        log = (datadir / "server.log").read_text(errors="replace") if (datadir / "server.log").exists() else ""
        shutil.rmtree(datadir, ignore_errors=True)
        return None, f"pg_ctl start failed: {start.stderr.strip()} {log[-300:]}"
    return PgServer(port=port, datadir=datadir, bin_dir=bin_dir), ""


def stop_server(server: PgServer) -> None:
    subprocess.run(
        _as_pg_user([str(server.bin_dir / "pg_ctl"), "-D", str(server.datadir / "data"), "-m", "immediate",
                     "-w", "stop"]),
        capture_output=True,
    )
    shutil.rmtree(server.datadir, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One cluster for the whole run (~1 s to start); skipped locally / failed in CI if impossible."""
    server, why = start_server()
    if server is None:
        _unavailable(why)
    assert server is not None
    try:
        yield server
    finally:
        stop_server(server)


@pytest.fixture
def pg_url(pg_server: PgServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh, empty database for one test, also exported as DATABASE_URL."""
    name = pg_server.create_database()
    url = pg_server.url(name)
    monkeypatch.setenv("DATABASE_URL", url)
    try:
        yield url
    finally:
        pg_server.drop_database(name)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The same test on a fresh SQLite file and on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.db'}"  # not conftest's tracker.db: a test may use both
        monkeypatch.setenv("DATABASE_URL", url)
        return url
    return str(request.getfixturevalue("pg_url"))
