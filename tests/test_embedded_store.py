"""The embedded store dying: supervised restart, no acknowledged write lost, one store per
data directory, and commands that end with one line (issue 9.5)."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from pymongo import monitoring

from domain.catalogue import CatalogueVersions
from server.app import create_app, prepare_store
from server.record_import import import_file
from server.settings import Settings
from store.data_dir import URI_FILE
from store.database import RECORDS, connect, is_unavailable
from store.embedded import EmbeddedServer, StoreInUse, embedded_store
from store.feed import count_changes, find_changes
from tests.conftest import TODAY, at
from tests.submissions import as_input, penalty

COMMAND = str(Path(sys.executable).with_name("creditgraph"))
SAMR_FT = "440300-SAMR-FT"
RECORDS_PAGE = {"query": "{ records(first: 5) { edges { node { id } } } }"}


class KillOnInsert(monitoring.CommandListener):
    """Kill the store with SIGKILL when the `skip`+1-th insert into a collection is sent."""

    def __init__(self) -> None:
        self.pid: int | None = None
        self.collection = ""
        self.skip = 0

    def arm(self, pid: int, *, collection: str, skip: int) -> None:
        self.pid, self.collection, self.skip = pid, collection, skip

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if self.pid is None or event.command_name != "insert":
            return
        if event.command.get("insert") != self.collection:
            return
        if self.skip:
            self.skip -= 1
            return
        os.kill(self.pid, signal.SIGKILL)
        self.pid = None

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


KILLER = KillOnInsert()
# Registered before any client exists: PyMongo only tells clients created afterwards.
monitoring.register(KILLER)


async def restarted(server: EmbeddedServer, count: int) -> None:
    """Wait (bounded) until the supervisor has brought the store back `count` times."""
    for _ in range(600):
        if server.restarts >= count:
            return
        await asyncio.sleep(0.05)
    pytest.fail("the supervisor did not restart the store within 30 s")


def penalty_lines(path: Path, count: int) -> Path:
    lines = [
        json.dumps(
            as_input(penalty(source_record_id=f"2020-K-{n:05d}")) | {"unit": SAMR_FT},
            ensure_ascii=False,
        )
        for n in range(count)
    ]
    path.write_text("".join(f"{text}\n" for text in lines), encoding="utf-8")
    return path


async def test_supervised_store_comes_back_after_kill_9_and_the_api_with_it(
    tmp_path: Path, settings: Settings
) -> None:
    with EmbeddedServer(tmp_path / "var", supervise=True) as server:
        app = create_app(settings, mongodb_uri=server.uri, clock=lambda: at(TODAY))
        async with LifespanManager(app) as manager:
            transport = httpx.ASGITransport(app=manager.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
                assert (await http.post("/graphql", json=RECORDS_PAGE)).status_code == 200
                pid = server.pid
                assert pid is not None
                os.kill(pid, signal.SIGKILL)
                await restarted(server, 1)
                response = await http.post("/graphql", json=RECORDS_PAGE)
                ready = await http.get("/readyz")
        assert server.pid not in (None, pid)
    gc.collect()

    assert response.status_code == 200
    assert "errors" not in response.json()
    assert ready.status_code == 200


async def test_kill_9_inside_an_import_batch_loses_no_acknowledged_write(
    tmp_path: Path,
) -> None:
    source = penalty_lines(tmp_path / "records.jsonl", 1500)
    with EmbeddedServer(tmp_path / "var", supervise=True) as server:
        client = await connect(server.uri, timeout_ms=20_000)
        db = client["faults"]
        catalogues: CatalogueVersions = await prepare_store(db)

        async def run_import() -> None:
            await import_file(
                db,
                source,
                rejects=tmp_path / "rejects.jsonl",
                catalogues=catalogues,
                epidemic_window=Settings().epidemic_window,
                operator="test",
                clock=lambda: datetime(2020, 9, 1, 4, tzinfo=UTC),
            )

        # The second batch's records insert: after its subjects and intents are acknowledged,
        # before its records are (the first batch of 1,000 is acknowledged whole).
        assert server.pid is not None
        KILLER.arm(server.pid, collection=RECORDS, skip=1)
        try:
            await run_import()
        except Exception as error:
            # The insert in flight failed; PyMongo's retried write may also have gone through.
            if not is_unavailable(error):
                raise
        await restarted(server, 1)
        after_crash = await db[RECORDS].count_documents({})
        await run_import()  # the operator runs the command again
        stored = await db[RECORDS].count_documents({})
        changes = await find_changes(db, after=0, limit=2000)
        feed = await count_changes(db)
        await client.close()
    gc.collect()

    assert after_crash >= 1000
    assert stored == 1500
    assert feed == 1500
    assert len({c.record.id for c in changes}) == 1500


def test_second_server_on_a_data_directory_is_refused(tmp_path: Path) -> None:
    with EmbeddedServer(tmp_path) as first:
        with pytest.raises(StoreInUse):
            EmbeddedServer(tmp_path).start()
        with embedded_store(tmp_path, timeout=10) as uri:
            assert uri == first.uri
        assert first.pid is not None
        assert (tmp_path / "nx-27017.pid").exists()
    assert not (tmp_path / URI_FILE).exists()


def command_environment(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CREDITGRAPH_")}
    return env | {"CREDITGRAPH_DATA_DIR": str(data_dir), "CREDITGRAPH_STORE_TIMEOUT_MS": "2000"}


def test_command_while_serving_uses_the_running_store(tmp_path: Path) -> None:
    with EmbeddedServer(tmp_path, supervise=True) as serving:
        pid = serving.pid
        finished = subprocess.run(
            [COMMAND, "token", "revoke", "some-token-id"],
            env=command_environment(tmp_path),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert serving.pid == pid
        assert serving.restarts == 0
        assert (tmp_path / "nx-27017.pid").read_text().strip() == str(pid)

    assert finished.returncode == 0, finished.stderr
    assert "revoked some-token-id" in finished.stdout


def test_import_whose_store_dies_ends_with_one_line_and_exit_1(tmp_path: Path) -> None:
    source = penalty_lines(tmp_path / "records.jsonl", 10_000)
    serving = EmbeddedServer(tmp_path / "var")
    serving.start()
    try:
        process = subprocess.Popen(
            [COMMAND, "import", str(source)],
            env=command_environment(tmp_path / "var"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

        async def first_record_stored() -> None:
            client = await connect(serving.uri, timeout_ms=5000)
            try:
                for _ in range(1200):
                    if await client["creditgraph"][RECORDS].find_one({}, {"_id": 1}):
                        return
                    await asyncio.sleep(0.05)
            finally:
                await client.close()

        asyncio.run(first_record_stored())
        serving.stop()  # the store goes away in the middle of the import
        _, errors = process.communicate(timeout=120)
    finally:
        serving.stop()
    gc.collect()

    assert process.returncode == 1
    lines = [line for line in errors.splitlines() if line.strip()]
    assert len(lines) == 1, errors
    assert lines[0].startswith("creditgraph: ")


def running(pid: int) -> bool:
    """Whether process `pid` exists and has not exited (a zombie has)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def ended(pid: int) -> bool:
    """Whether process `pid` ends within a generous bound (polled: no timing is asserted)."""
    for _ in range(1200):
        if not running(pid):
            return True
        time.sleep(0.05)
    return False


OWNER = """
import sys, time
from pathlib import Path
from store.embedded import EmbeddedServer
server = EmbeddedServer(Path(sys.argv[1]), supervise=True)
server.start()
print(server.pid, flush=True)
time.sleep(600)
"""


def test_a_store_whose_owner_is_killed_with_sigkill_stops_with_it(tmp_path: Path) -> None:
    with subprocess.Popen(
        [sys.executable, "-c", OWNER, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[1],
    ) as owner:
        try:
            assert owner.stdout is not None
            store_pid = int(owner.stdout.readline())
            assert running(store_pid)
        finally:
            owner.kill()  # no `finally`, no signal handler: only the kernel is left to act

    assert ended(store_pid)
    with EmbeddedServer(tmp_path) as next_owner:
        assert next_owner.pid not in (None, store_pid)


def test_a_server_a_dead_owner_left_running_is_stopped_before_another_starts(
    tmp_path: Path,
) -> None:
    # As owners before the parent-death signal left them: started unbound, owner gone.
    pid_file = tmp_path / "nx-27017.pid"
    command = [
        str(Path(sys.executable).with_name("nx-27017")),
        "--port", "0",
        "--data-dir", str(tmp_path / "store"),
        "--pid-file", str(pid_file),
        "--log-file", str(tmp_path / "left.log"),
    ]  # fmt: skip
    left_running = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(1200):
            if pid_file.exists() and pid_file.read_text().strip() == str(left_running.pid):
                break
            time.sleep(0.05)

        with EmbeddedServer(tmp_path) as owner:
            assert left_running.wait(timeout=60) is not None
            assert owner.pid != left_running.pid
            assert pid_file.read_text().strip() == str(owner.pid)
    finally:
        left_running.kill()
        left_running.wait()


def test_a_pid_file_naming_another_program_stops_nothing(tmp_path: Path) -> None:
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        (tmp_path / "nx-27017.pid").write_text(str(other.pid))
        with EmbeddedServer(tmp_path) as owner:
            assert owner.pid != other.pid
        assert other.poll() is None
    finally:
        other.kill()
        other.wait()
