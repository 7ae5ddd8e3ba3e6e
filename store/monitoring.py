"""Counting and timing the commands sent to the store, for request logs and metrics.

A `CommandObserver` is given to the client when it is opened; it reports each finished command
to a callback (metrics) and adds it to the tally of the request it belongs to, if one is open
(`tally_commands`), so a request's log line can say how many round trips it cost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from pymongo import monitoring

# Handshakes and health checks are the driver's own, not a request's work.
NOT_COUNTED = frozenset({"hello", "isMaster", "ismaster", "ping", "endSessions"})


@dataclass
class CommandTally:
    """The store commands one request sent, and the time they took."""

    commands: int = 0
    seconds: float = 0.0


_current: ContextVar[CommandTally | None] = ContextVar("store_commands", default=None)


@contextmanager
def tally_commands() -> Iterator[CommandTally]:
    """Count the commands sent while the block runs, in this task and the tasks it starts."""
    tally = CommandTally()
    token = _current.set(tally)
    try:
        yield tally
    finally:
        _current.reset(token)


class CommandObserver(monitoring.CommandListener):
    """Reports every finished command as (name, seconds, succeeded)."""

    def __init__(self, observe: Callable[[str, float, bool], None]) -> None:
        self.observe = observe

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        pass

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        self._finished(event.command_name, event.duration_micros, succeeded=True)

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        self._finished(event.command_name, event.duration_micros, succeeded=False)

    def _finished(self, name: str, micros: int, *, succeeded: bool) -> None:
        if name in NOT_COUNTED:
            return
        seconds = micros / 1_000_000
        tally = _current.get()
        if tally is not None:
            tally.commands += 1
            tally.seconds += seconds
        self.observe(name, seconds, succeeded)
