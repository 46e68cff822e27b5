"""A throwaway PostgreSQL for the end-to-end tests (Debian's postgresql
package): initdb into a temp folder, pg_ctl on a free loopback port, a
password login over TCP like a real station. As root the cluster belongs to
the postgres user. The Rust tests have the same helper (crates/pgtest)."""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

PASSWORD = "e2e-super"


class TempPg:
    def __init__(self):
        self.bin = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))[-1]).parent
        self.dir = Path(tempfile.mkdtemp(prefix="jiejing-e2e-pg-"))
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.root = os.geteuid() == 0
        (self.dir / "pw").write_text(PASSWORD)
        if self.root:
            shutil.chown(self.dir, "postgres", "postgres")
            shutil.chown(self.dir / "pw", "postgres", "postgres")
        self._run("initdb", "-D", str(self.dir / "data"), "-U", "postgres", "--auth-local=trust",
                  "--auth-host=scram-sha-256", "--pwfile", str(self.dir / "pw"), "-E", "UTF8", "--locale=C", "--no-sync")
        with open(self.dir / "data" / "postgresql.conf", "a") as f:
            f.write(f"port = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.dir}'\nfsync = off\n")
        self.start()
        self._run("psql", "-X", "-q", "-h", str(self.dir), "-p", str(self.port), "-U", "postgres", "-d", "postgres",
                  "-c", "CREATE DATABASE station")
        self.url = f"postgres://postgres:{PASSWORD}@127.0.0.1:{self.port}/station"

    def _run(self, tool: str, *args: str):
        cmd = [str(self.bin / tool), *args]
        if self.root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, cwd="/")

    def start(self):
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-l", str(self.dir / "log"), "-w", "start")

    def stop(self):
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-m", "immediate", "-w", "stop")

    def close(self):
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)
