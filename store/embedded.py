"""The embedded store: an nx-27017 server (MongoDB wire protocol over SQLite) as a child process.

Used when no MongoDB URI is configured (DESIGN.md §2.1). Each instance gets its own data
directory, pid file and log file because nx-27017's defaults are shared by every instance and a
second server would refuse to start; it listens on a free loopback port and is ready when it
answers `ping` while the child is still alive (a stale server on the same port must not fool us).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

from pymongo import MongoClient
from pymongo.errors import PyMongoError

from store.errors import EmbeddedStoreError


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def _server_command() -> str:
    beside_python = Path(sys.executable).with_name("nx-27017")
    found = str(beside_python) if beside_python.exists() else shutil.which("nx-27017")
    if found is None:
        raise EmbeddedStoreError("the nx-27017 server is not installed (uv sync installs it)")
    return found


class EmbeddedServer:
    """Start, await and stop one nx-27017 process; usable as a context manager."""

    def __init__(self, data_dir: Path, *, host: str = "127.0.0.1", timeout: float = 20.0) -> None:
        self.data_dir = data_dir
        self.host = host
        self.timeout = timeout
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def uri(self) -> str:
        return f"mongodb://{self.host}:{self.port}/"

    def start(self) -> str:
        """Start the server and return its URI once it answers `ping`."""
        store_dir = self.data_dir / "store"
        store_dir.mkdir(parents=True, exist_ok=True)
        pid_file = self.data_dir / "nx-27017.pid"
        # A pid file left by a killed server blocks start-up if its pid was reused.
        pid_file.unlink(missing_ok=True)
        self.port = free_port(self.host)
        log = (self.data_dir / "nx-27017.log").open("ab")
        command = [
            _server_command(),
            "--host", self.host,
            "--port", str(self.port),
            "--data-dir", str(store_dir),
            "--pid-file", str(pid_file),
            "--log-file", str(self.data_dir / "nx-27017.log"),
        ]  # fmt: skip
        self._process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            # Own process group: Ctrl-C in a terminal reaches us, and we stop the child ourselves.
            start_new_session=True,
        )
        log.close()
        self._await_ping()
        return self.uri

    def _await_ping(self) -> None:
        deadline = time.monotonic() + self.timeout
        client: MongoClient[dict[str, object]]
        with MongoClient(self.uri, serverSelectionTimeoutMS=200, connectTimeoutMS=200) as client:
            while time.monotonic() < deadline:
                if self._process is None or self._process.poll() is not None:
                    raise EmbeddedStoreError(
                        f"nx-27017 exited during start-up; see {self.data_dir / 'nx-27017.log'}"
                    )
                try:
                    client.admin.command("ping")
                except PyMongoError:
                    time.sleep(0.05)
                    continue
                if self._process.poll() is None:
                    return
        self.stop()
        raise EmbeddedStoreError(f"nx-27017 did not answer ping within {self.timeout:g} s")

    def stop(self) -> None:
        """Stop the process this instance started (by its pid), waiting for it to exit."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()

    def __enter__(self) -> EmbeddedServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
