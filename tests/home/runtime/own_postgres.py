"""A PostgreSQL cluster of the test's own, on a free port in a temporary folder: never the
machine's shared server. PostgreSQL refuses to run as root, so as root it runs as `postgres`."""

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.home.runtime.processes import free_port

BINDIRS = sorted(glob.glob("/usr/lib/postgresql/*/bin"))


def why_not() -> str | None:
    """None when a private cluster can be started here, else the reason."""
    if not BINDIRS or not os.path.exists(os.path.join(BINDIRS[-1], "initdb")):
        return "PostgreSQL server binaries (initdb, pg_ctl) are not installed under /usr/lib/postgresql"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run the cluster as"
        if not shutil.which("runuser"):
            return "running as root and runuser is missing"
    return None


class OwnPostgres:
    def __init__(self):
        self.bin = Path(BINDIRS[-1])
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="huddle-pg-"))
        self.data = self.dir / "data"
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.dir, "postgres")

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True, timeout=120)

    def url(self, name: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def start(self) -> "OwnPostgres":
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        self._start()
        return self

    def _start(self) -> None:
        # -l: the server logs to a file, so it keeps no pipe of ours open
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off -c max_connections=100"
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "log"), "-o", options, "-w", "start"
        )

    def restart(self) -> None:
        """Stop (fast: open connections are cut) and start again, with the same options."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        self._start()

    def stop(self) -> None:
        subprocess.run(
            [*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(self.dir, ignore_errors=True)

    def copy_database(self, source_url: str, name: str) -> str:
        """Create `name` here as a copy (schema and rows) of the database at `source_url`."""
        self._run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        dump = subprocess.run(
            [str(self.bin / "pg_dump"), "-Fc", "--no-owner", source_url], check=True, capture_output=True, timeout=120
        ).stdout
        subprocess.run(
            [str(self.bin / "pg_restore"), "--no-owner", "-d", self.url(name)],
            input=dump,
            check=True,
            capture_output=True,
            timeout=180,
        )
        return self.url(name)
