"""Back-pressure: a bounded number of requests of one worker use the store at once.

The embedded store serves one command at a time, so letting every request in only lengthens
the queue inside it until operations time out for everyone. Instead a request waits for one of
`concurrency` slots in a queue of at most `queue_limit`, for at most `wait_seconds`; beyond
that it is refused at once with 503 OVERLOADED and `Retry-After`, so a client backs off and
the requests already admitted finish in time. Endpoints that never touch the store
(`/healthz`, `/metrics`) are not queued.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.types import ASGIApp, Receive, Scope, Send

from server.refusals import OVERLOADED, refusal

STORELESS_PATHS = frozenset({"/healthz", "/metrics"})


class Admission:
    """The store slots of one worker and the bounded queue in front of them."""

    def __init__(self, *, concurrency: int, queue_limit: int, wait_seconds: float) -> None:
        self.concurrency = concurrency
        self.queue_limit = queue_limit
        self.wait_seconds = wait_seconds
        self._slots = asyncio.Semaphore(concurrency)
        self.waiting = 0

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[bool]:
        """Hold a slot for the block (yields True), or yield False when none came in time."""
        if not await self._acquire():
            yield False
            return
        try:
            yield True
        finally:
            self._slots.release()

    async def _acquire(self) -> bool:
        if self._slots.locked() and self.waiting >= self.queue_limit:
            return False
        self.waiting += 1
        try:
            # `asyncio.timeout` cancels the acquire itself; a slot granted as the time ran out
            # is handed back by the semaphore, never lost.
            async with asyncio.timeout(self.wait_seconds):
                await self._slots.acquire()
        except TimeoutError:
            return False
        finally:
            self.waiting -= 1
        return True


class AdmitToStore:
    """ASGI middleware that runs a request only while it holds one of the worker's slots."""

    def __init__(self, app: ASGIApp, *, admission: Admission, retry_after: int) -> None:
        self.app = app
        self.admission = admission
        self.retry_after = retry_after

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in STORELESS_PATHS:
            await self.app(scope, receive, send)
            return
        async with self.admission.slot() as admitted:
            if admitted:
                await self.app(scope, receive, send)
                return
        message = "the service is busy; retry after the time in Retry-After"
        await refusal(OVERLOADED, message, retry_after=self.retry_after)(scope, receive, send)
