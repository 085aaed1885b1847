"""The PostgreSQL server the storage and delivery tests run against.

`RAMP_TEST_DATABASE_URL` names a server you already have. Without it, the test run starts a
throwaway one in a temporary directory when PostgreSQL's server binaries are installed
(Debian keeps them in /usr/lib/postgresql/<version>/bin, off the PATH), and removes it at
the end. We do this by hand rather than with pytest-postgresql because CI runs as root and
`pg_ctl` refuses to run as root: the server is started as the `postgres` user then.

The URL is put in the environment before any test module is imported, so each module reads
it the same way whether it came from you or from here.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

URL_VARIABLE = "RAMP_TEST_DATABASE_URL"


@dataclass
class ThrowawayPostgres:
    bindir: Path
    datadir: Path
    port: int
    run_as: list[str]

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://ramp@127.0.0.1:{self.port}/postgres"

    def pg_ctl(self, *args: str) -> None:
        subprocess.run(
            [*self.run_as, str(self.bindir / "pg_ctl"), "-D", str(self.datadir), *args],
            check=True,
            capture_output=True,
        )


_server: ThrowawayPostgres | None = None
_status = ""


def find_server_binaries() -> Path | None:
    def version(pg_ctl: str) -> int:
        number = Path(pg_ctl).parts[-3]  # /usr/lib/postgresql/<version>/bin/pg_ctl
        return int(number) if number.isdigit() else 0

    debian = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=version, reverse=True)
    for pg_ctl in [shutil.which("pg_ctl"), *debian]:
        if pg_ctl and (Path(pg_ctl).parent / "initdb").exists():
            return Path(pg_ctl).resolve().parent
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_throwaway_postgres(bindir: Path) -> ThrowawayPostgres:
    datadir = Path(tempfile.mkdtemp(prefix="ramp-test-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")  # KeyError: no user to run the server as
        os.chown(datadir, owner.pw_uid, owner.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    server = ThrowawayPostgres(bindir, datadir, _free_port(), run_as)
    initdb = [str(bindir / "initdb"), "-D", str(datadir), "-U", "ramp", "-A", "trust", "-E", "UTF8"]
    subprocess.run(
        [*run_as, *initdb, "--no-sync"],  # no fsync: the data is thrown away
        check=True,
        capture_output=True,
    )
    # Durability is pointless for a server that is deleted at the end of the run.
    options = (
        f"-p {server.port} -k {datadir} -c listen_addresses=127.0.0.1"
        " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    server.pg_ctl("-o", options, "-l", str(datadir / "server.log"), "-w", "start")
    return server


def pytest_configure(config: pytest.Config) -> None:
    global _server, _status
    if os.environ.get(URL_VARIABLE):
        _status = f"PostgreSQL tests: against {URL_VARIABLE}"
        return
    bindir = find_server_binaries()
    if bindir is None:
        _status = (
            "PostgreSQL tests: SKIPPED, no PostgreSQL server binaries found "
            f"(install the postgresql package, or set {URL_VARIABLE})"
        )
        return
    try:
        _server = start_throwaway_postgres(bindir)
    except (OSError, KeyError, subprocess.CalledProcessError) as error:
        _status = f"PostgreSQL tests: SKIPPED, could not start a throwaway server ({error})"
        return
    os.environ[URL_VARIABLE] = _server.url
    _status = f"PostgreSQL tests: throwaway server from {bindir} on port {_server.port}"


def pytest_unconfigure(config: pytest.Config) -> None:
    if _server is not None:
        os.environ.pop(URL_VARIABLE, None)
        try:
            _server.pg_ctl("-m", "immediate", "stop")
        finally:
            shutil.rmtree(_server.datadir, ignore_errors=True)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    # One line at the end, where it is read, rather than in the header `-q` hides.
    terminalreporter.write_line(_status, yellow="SKIPPED" in _status)
