"""One data directory, one server: who owns the embedded store of a data directory.

Its owner holds an exclusive lock on `nx-27017.lock` for as long as it runs and writes the
server's URI to `nx-27017.uri`; a second command on the same directory (`creditgraph seed` while
`serve` runs) finds the lock held and uses the running server through that URI instead of
starting another on the same files (store.embedded.embedded_store). The lock is the kernel's,
so it is released when its owner dies however it dies.

An owner that finds a server of its directory still running when it takes the lock (one an
owner from before left, or one started where the parent-death signal is not available) stops
it first (`stop_orphan`). Invariant: one data directory has at most one server running.
"""

from __future__ import annotations

import fcntl
import logging
import os
import signal
import time
from contextlib import suppress
from pathlib import Path
from typing import IO

from pymongo import MongoClient
from pymongo.errors import PyMongoError

from store.errors import EmbeddedStoreError

log = logging.getLogger("creditgraph.store")

LOCK_FILE = "nx-27017.lock"
URI_FILE = "nx-27017.uri"
PID_FILE = "nx-27017.pid"
ORPHAN_GRACE = 10.0  # seconds a left-over server has to stop on SIGTERM, as `stop` gives ours


def stop_orphan(data_dir: Path) -> None:
    """Stop the server of `data_dir` that a dead owner left running, if any: the pid file names
    it, and only a process serving this directory's store is stopped (the pid may be another
    process's by now). We hold the lock, so no living owner runs it."""
    try:
        pid = int((data_dir / PID_FILE).read_text().strip())
    except (OSError, ValueError):
        return
    if not _serves(pid, data_dir / "store"):
        return
    log.warning("stopping the store server (pid %s) that a dead owner left running", pid)
    with suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + ORPHAN_GRACE
        while _serves(pid, data_dir / "store"):
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                deadline = float("inf")
            time.sleep(0.05)


def _serves(pid: int, store_dir: Path) -> bool:
    """Whether process `pid` runs, not a zombie, as a server of `store_dir` (from /proc)."""
    process = Path(f"/proc/{pid}")
    try:
        state = (process / "stat").read_text().rsplit(")", 1)[1].split()[0]
        arguments = (process / "cmdline").read_bytes().decode(errors="replace").split("\0")
        cwd = (process / "cwd").resolve()
    except (OSError, IndexError):
        return False
    if state == "Z" or "--data-dir" not in arguments[:-1]:
        return False
    served = Path(arguments[arguments.index("--data-dir") + 1])
    return (cwd / served).resolve() == store_dir.resolve()


def take_lock(data_dir: Path) -> IO[bytes] | None:
    """The directory's open lock file, locked exclusively by us; None when another process
    holds it. Closing the file releases the lock."""
    file = (data_dir / LOCK_FILE).open("ab")
    try:
        fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        file.close()
        return None
    return file


def running_store_uri(data_dir: Path, *, timeout: float) -> str:
    """The URI of the server another process runs for `data_dir`, once it answers `ping`."""
    deadline = time.monotonic() + timeout
    client: MongoClient[dict[str, object]]
    while time.monotonic() < deadline:
        try:
            uri = (data_dir / URI_FILE).read_text().strip()
        except FileNotFoundError:
            time.sleep(0.05)  # its owner is still starting it
            continue
        with MongoClient(uri, serverSelectionTimeoutMS=500, connectTimeoutMS=500) as client:
            try:
                client.admin.command("ping")
            except PyMongoError:
                time.sleep(0.1)
                continue
        return uri
    raise EmbeddedStoreError(
        f"the store of {data_dir} is held by another process but did not answer within "
        f"{timeout:g} s"
    )
