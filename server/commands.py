"""What every command shares: settings, one-line failures, and the store it runs against.

The store's modules (and the driver behind them) are imported inside the functions that open
a store, so that `creditgraph token issue` or `keys init` never loads them (issue 11.5).
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Coroutine, Iterator
from contextlib import AbstractAsyncContextManager, contextmanager
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import typer
from pydantic import ValidationError

from server.settings import Settings
from store.errors import EmbeddedStoreError, StoreError

if TYPE_CHECKING:
    from store.database import Database

T = TypeVar("T")


class CommandFileError(Exception):
    """A file a command reads or writes cannot be used: the import, its rejects, the export."""


def fail(message: str) -> NoReturn:
    """One clear line on stderr and a non-zero exit, never a traceback."""
    typer.echo(f"creditgraph: {message}", err=True)
    raise typer.Exit(code=1)


def load_settings() -> Settings:
    """Settings from the environment; a bad one ends the command naming the variable."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"CREDITGRAPH_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}"
            for err in exc.errors()
        )
        fail(f"invalid settings: {problems}")


def _exit_on_sigterm(signum: int, frame: object) -> None:
    # SIGTERM's default ends the process at once, skipping `finally`: the embedded store would
    # outlive us. uvicorn re-raises the signal it caught once it has shut down, into this.
    raise SystemExit(0)


@contextmanager
def store_uri(settings: Settings, *, supervise: bool = False) -> Iterator[str]:
    """The configured MongoDB, or the data directory's embedded server for the block.

    When `serve` already runs the embedded server of the data directory, commands use it
    (store/embedded.py) rather than start a second server on the same files.
    """
    if settings.mongodb_uri is not None:
        yield settings.mongodb_uri
        return
    from store.embedded import embedded_store

    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    timeout = settings.store_timeout_ms / 1000
    try:
        with embedded_store(settings.data_dir, timeout=timeout, supervise=supervise) as uri:
            yield uri
    except EmbeddedStoreError as exc:
        fail(str(exc))


def database(settings: Settings, uri: str) -> AbstractAsyncContextManager[Database]:
    """The configured database at `uri`, open for the length of a block."""
    from store.database import opened

    return opened(uri, database=settings.database, timeout_ms=settings.store_timeout_ms)


def run_on_store(work: Coroutine[Any, Any, T]) -> T:
    """Run a command's work; a store that fails on the way ends it with one line and exit 1.

    Every write is acknowledged before the next starts and `seed` and `import` are idempotent,
    so running the command again once the store is back finishes the job.
    """
    from store.database import is_unavailable

    try:
        return asyncio.run(work)
    except (StoreError, CommandFileError) as exc:
        fail(str(exc))
    except Exception as exc:
        if not is_unavailable(exc):
            raise
        fail(
            f"the store stopped answering ({type(exc).__name__}); what was acknowledged is "
            "kept: run the command again once the store is back"
        )
