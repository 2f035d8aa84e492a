"""A throwaway PostgreSQL cluster for the tests: initdb into a temp dir, a Unix socket there, no TCP.

Started once per test session (tests/conftest.py), stopped at the end, on Ctrl-C and at interpreter exit. Each test
gets a fresh database copied from a migrated template (CREATE DATABASE ... TEMPLATE takes milliseconds, migrating
takes seconds). PostgreSQL refuses to run as root, so as root the cluster belongs to an unprivileged system user
(`crm-pgtest`, created when missing) and its programs run as that user through `runuser`.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import itertools
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

CLUSTER_USER = "crm-pgtest"
SUPERUSER = "postgres"
TEMPLATE = "crm_template"  # migrated to head once per session: what each test's database is copied from

INSTALL_ADVICE = (
    "PostgreSQL's server programs (initdb, pg_ctl, postgres) were not found, so the tests that run on PostgreSQL "
    "cannot start their throwaway cluster. Install them with `sudo apt-get install postgresql` (Debian/Ubuntu; "
    "`make test` and `.ci/run` do this for you), `brew install postgresql@15` (macOS) or `dnf install "
    "postgresql-server` (Fedora), or put their folder on PATH (or in $CRM_PG_BINDIR)."
)


class PostgresMissing(RuntimeError):
    """No PostgreSQL server binaries on this machine: the message says how to install them."""


def find_bindir() -> Path:
    """The folder holding initdb and pg_ctl: $CRM_PG_BINDIR when set (and then only it), else Debian's
    /usr/lib/postgresql/N/bin (the newest N), else wherever initdb is on PATH."""
    if os.environ.get("CRM_PG_BINDIR"):
        candidates = [os.environ["CRM_PG_BINDIR"]]
    else:
        versions = glob.glob("/usr/lib/postgresql/*/bin")
        candidates = sorted(versions, key=lambda p: int(Path(p).parent.name), reverse=True)
        on_path = shutil.which("initdb")
        if on_path:
            candidates.append(str(Path(on_path).resolve().parent))
    for folder in candidates:
        if all((Path(folder) / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres")):
            return Path(folder)
    raise PostgresMissing(INSTALL_ADVICE)


def migrate_url(url: str, target: str, *, downgrade: bool = False) -> None:
    """crm.store.db.migrate for a PostgreSQL database: the tests take one back to an older revision with it."""
    from crm.store.db import _run_migrations, make_url_engine

    engine = make_url_engine(url)
    try:
        with engine.begin() as conn:
            _run_migrations(conn, target, downgrade=downgrade)
    finally:
        engine.dispose()


def _cluster_user() -> str | None:
    """Whom the server runs as: None (ourselves) unless we are root, which initdb and postgres refuse."""
    if os.geteuid() != 0:
        return None
    import pwd

    try:
        pwd.getpwnam(CLUSTER_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", CLUSTER_USER],
            check=True,
            capture_output=True,
        )
    return CLUSTER_USER


def _exit_on_sigterm() -> None:
    """A terminated test run (SIGTERM, as `timeout` sends) exits through atexit too, which stops the server; Ctrl-C
    does already (KeyboardInterrupt). Only where nobody else has claimed the signal."""
    import sys
    import threading

    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))


class Cluster:
    """One PostgreSQL server in a temp dir, reachable only through its Unix socket in that dir."""

    def __init__(self) -> None:
        self.bindir = find_bindir()
        self.user = _cluster_user()
        self.root = Path(tempfile.mkdtemp(prefix="crm-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.running = False
        self.options = ""
        self._names = itertools.count(1)

    # -- running the server's programs as its owner ------------------------------------------------------

    def _run(self, tool: str, *args: str) -> subprocess.CompletedProcess:
        command = [str(self.bindir / tool), *args]
        if self.user is not None:
            command = ["runuser", "-u", self.user, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{tool} failed ({result.returncode}): {result.stderr.strip()}\n{log}")
        return result

    def start(self) -> Cluster:
        if self.user is not None:
            shutil.chown(self.root, self.user)
        base = ["-D", str(self.data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]
        # Text sorts as on most servers (en-US: case and punctuation minded last), not by code point as SQLite's does:
        # a read that forgets to ask for SQLite's order then fails here. ICU where the build has it, else C.UTF-8.
        try:
            self._run("initdb", *base, "--locale-provider=icu", "--icu-locale=en-US")
        except RuntimeError:
            shutil.rmtree(self.data, ignore_errors=True)
            self._run("initdb", *base)
        # Durability off: a test cluster is thrown away, and fsync per commit would dominate its run time.
        options = (
            f"-c listen_addresses='' -c unix_socket_directories='{self.root}' -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
        )
        self.options = options
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "-o", options, "start")
        self.running = True
        atexit.register(self.stop)
        _exit_on_sigterm()
        return self

    def restart(self) -> None:
        """Restart the server as an administrator would (`pg_ctl restart -m fast`: every connection is ended, every
        open transaction rolled back), returning once it accepts connections again. Its databases stay."""
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-m", "fast", "-w", "-t", "60", "restart")

    @contextlib.contextmanager
    def down(self) -> Iterator[None]:
        """The server stopped (`-m fast`) for the block, then started again as it was."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        try:
            yield
        finally:
            self._run(
                "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "-o", self.options, "start"
            )

    def stop(self) -> None:
        """Stop the server (immediately: nothing in it is kept) and remove the temp dir; safe to call twice."""
        if self.running:
            self.running = False
            try:
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            except RuntimeError:
                self._kill_postmaster()
        shutil.rmtree(self.root, ignore_errors=True)

    def _kill_postmaster(self) -> None:
        try:
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
            os.kill(pid, signal.SIGQUIT)
        except (OSError, ValueError, IndexError):
            pass

    # -- databases -----------------------------------------------------------------------------------------

    def url(self, database: str, *, user: str = SUPERUSER, password: str | None = None) -> str:
        """A `postgresql://` URL for crm (`--db`, `$CRM_DB`): the socket folder as `host`."""
        auth = user if password is None else f"{user}:{password}"
        return f"postgresql://{auth}@/{database}?host={self.root}"

    def admin(self, sql: str) -> None:
        """Run one statement as the superuser in the `postgres` database (CREATE/DROP DATABASE need autocommit)."""
        import psycopg

        with psycopg.connect(host=str(self.root), user=SUPERUSER, dbname="postgres", autocommit=True) as conn:
            conn.execute(sql)

    def create_database(self, *, template: str | None = TEMPLATE) -> str:
        """A new database (copied from `template`; template0 gives an empty one); returns its name."""
        name = f"crm_test_{os.getpid()}_{next(self._names)}"
        self.admin(f'CREATE DATABASE "{name}" TEMPLATE "{template or "template0"}"')
        return name

    def drop_database(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def make_template(self) -> None:
        """The migrated template every test database is copied from (crm's own migrations, run once)."""
        self.admin(f'CREATE DATABASE "{TEMPLATE}" TEMPLATE template0')
        from crm.store.db import prepare_url

        prepare_url(self.url(TEMPLATE))
