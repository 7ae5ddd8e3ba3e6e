"""The embedded store: an nx-27017 server (MongoDB wire protocol over SQLite) as a child process.

Used when no MongoDB URI is configured (DESIGN.md §2.1). Each instance gets its own data
directory, pid file and log file because nx-27017's defaults are shared by every instance and a
second server would refuse to start; it listens on a free loopback port and is ready when it
answers `ping` while the child is still alive (a stale server on the same port must not fool us).

One data directory has one server, and the server dies with its owner (store/data_dir.py): it
is started bound to the thread that starts it (Linux's parent-death signal, `_BOUND_TO_OWNER`),
so an owner killed with SIGKILL does not leave it serving the files.

A supervised server is restarted on the same port when it dies (kill -9, a crash), so clients
reconnect by themselves; meanwhile requests fail fast and are answered 503 by the API.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import IO

from pymongo import MongoClient
from pymongo.errors import PyMongoError

from store.data_dir import PID_FILE, URI_FILE, running_store_uri, stop_orphan, take_lock
from store.errors import EmbeddedStoreError

log = logging.getLogger("creditgraph.store")

# Waits between restarts of a server that keeps dying, the last one repeated.
RESTART_BACKOFF = (0.1, 0.5, 1.0, 2.0, 5.0)
# Run as the child, before it becomes the server: ask the kernel to send it SIGTERM when the
# thread that started it ends (prctl PR_SET_PDEATHSIG, kept across exec; Linux only), and end
# at once if that owner is gone already. Without it, a `serve` killed with SIGKILL left its
# server running on the files, beside the next `serve`'s own.
_BOUND_TO_OWNER = """
import ctypes, os, signal, sys
prctl = getattr(ctypes.CDLL(None), "prctl", None)
if prctl is not None:
    prctl(1, signal.SIGTERM)
    if os.getppid() != int(sys.argv[1]):
        sys.exit(0)
os.execv(sys.argv[2], sys.argv[2:])
"""


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


class StoreInUse(EmbeddedStoreError):
    """Another process owns the server of this data directory."""


class EmbeddedServer:
    """Start, await, supervise and stop one nx-27017 process; usable as a context manager."""

    def __init__(
        self,
        data_dir: Path,
        *,
        host: str = "127.0.0.1",
        timeout: float = 20.0,
        supervise: bool = False,
    ) -> None:
        self.data_dir = data_dir
        self.host = host
        self.timeout = timeout
        self.supervise = supervise
        self.port = 0
        self.restarts = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._lock: IO[bytes] | None = None
        self._stopping = threading.Event()
        self._guard = threading.Lock()
        self._supervisor: threading.Thread | None = None

    @property
    def uri(self) -> str:
        return f"mongodb://{self.host}:{self.port}/"

    @property
    def pid(self) -> int | None:
        """The pid of the running server process, if any."""
        process = self._process
        return None if process is None or process.poll() is not None else process.pid

    def start(self) -> str:
        """Start the server and return its URI once it answers `ping`.

        Raises `StoreInUse` when another process owns this data directory's server. The server
        ends when the calling thread does (`_BOUND_TO_OWNER`): start it from one that lives as
        long as it should, as the commands' main thread and the supervisor's thread do.
        """
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._lock = take_lock(self.data_dir)
        if self._lock is None:
            raise StoreInUse(f"another process runs the store of {self.data_dir}")
        self._stopping.clear()
        stop_orphan(self.data_dir)
        self.port = free_port(self.host)
        try:
            self._launch()
            self._await_ping()
        except BaseException:
            self.stop()
            raise
        (self.data_dir / URI_FILE).write_text(self.uri)
        if self.supervise:
            self._supervisor = threading.Thread(
                target=self._watch, name="nx-27017 supervisor", daemon=True
            )
            self._supervisor.start()
        return self.uri

    def _launch(self) -> None:
        store_dir = self.data_dir / "store"
        store_dir.mkdir(parents=True, exist_ok=True)
        pid_file = self.data_dir / PID_FILE
        # We hold the directory's lock and no server of it runs (`stop_orphan`), so a pid file
        # here is a dead server's: it would block start-up if its pid was reused.
        pid_file.unlink(missing_ok=True)
        log_path = self.data_dir / "nx-27017.log"
        command = [
            sys.executable, "-c", _BOUND_TO_OWNER, str(os.getpid()),
            _server_command(),
            "--host", self.host,
            "--port", str(self.port),
            "--data-dir", str(store_dir),
            "--pid-file", str(pid_file),
            "--log-file", str(log_path),
        ]  # fmt: skip
        with log_path.open("ab") as output:
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=output,
                # Own process group: Ctrl-C in a terminal reaches us, and we stop the child.
                start_new_session=True,
            )

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
        raise EmbeddedStoreError(f"nx-27017 did not answer ping within {self.timeout:g} s")

    def _watch(self) -> None:
        """Restart the server on its port whenever it dies, until `stop`."""
        failures = 0
        while not self._stopping.is_set():
            process = self._process
            if process is None:
                return
            code = process.wait()
            if self._stopping.is_set():
                return
            log.error("the embedded store exited with %s; restarting it", code)
            time.sleep(RESTART_BACKOFF[min(failures, len(RESTART_BACKOFF) - 1)])
            with self._guard:
                if self._stopping.is_set():
                    return
                try:
                    self._launch()
                    self._await_ping()
                except EmbeddedStoreError as error:
                    failures += 1
                    log.error("the embedded store did not come back: %s", error)
                    continue
                failures = 0
                self.restarts += 1
                log.warning("the embedded store is back on port %s", self.port)

    def stop(self) -> None:
        """Stop the process this instance started (by its pid), waiting for it to exit."""
        self._stopping.set()
        with self._guard:
            process, self._process = self._process, None
            if process is not None and process.poll() is None:
                os.kill(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.kill(process.pid, signal.SIGKILL)
                    process.wait()
        supervisor, self._supervisor = self._supervisor, None
        if supervisor is not None and supervisor is not threading.current_thread():
            supervisor.join(timeout=10)
        if self._lock is not None:
            (self.data_dir / URI_FILE).unlink(missing_ok=True)
            self._lock.close()  # closing the file releases the lock
            self._lock = None

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


@contextmanager
def embedded_store(data_dir: Path, *, timeout: float, supervise: bool = False) -> Iterator[str]:
    """The URI of the data directory's server for the block: the running one, or our own."""
    server = EmbeddedServer(data_dir, timeout=timeout, supervise=supervise)
    try:
        server.start()
    except StoreInUse:
        yield running_store_uri(data_dir, timeout=timeout)
        return
    try:
        yield server.uri
    finally:
        server.stop()
