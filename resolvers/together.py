"""Running a page's coroutines together, each in a task only if it has to wait.

`asyncio.gather` makes a task of every coroutine. A page asks the same question of each of its
twenty subjects, and once their reads are batched ahead (DataLoader) most answers need no
waiting at all; a task each then cost a page about a twentieth of its time (issue 9), in
scheduling that does nothing. `gather_eagerly` runs each coroutine at once up to its first
wait, as Python 3.12's eager tasks do, and makes a task only of those that do wait: they go
on together, as under `gather`, so a read one of them starts is still batched with the
others'.
"""

from __future__ import annotations

import asyncio
import types
from collections.abc import Coroutine, Generator, Iterable
from typing import Any, TypeVar

T = TypeVar("T")


async def gather_eagerly(
    coroutines: Iterable[Coroutine[Any, Any, T]],
) -> list[T | Exception]:
    """The result of each coroutine in order, or the exception it raised, as
    `asyncio.gather(..., return_exceptions=True)` gives them.

    Invariant: the same results as `gather`, whatever the coroutines await. Only where they
    run differs: up to its first wait, each runs in the caller's task (and context) instead of
    a new one. A `BaseException` that is not an `Exception` (a cancellation, the process
    stopping) is not a result: it ends the whole call, and the coroutines not started are
    closed. Cancelling the call cancels the ones waiting.
    """
    results: dict[int, T | Exception] = {}
    waiting: dict[int, asyncio.Future[T]] = {}
    started = 0
    pending = iter(coroutines)
    try:
        for index, coroutine in enumerate(pending):
            started = index + 1
            try:
                awaited = coroutine.send(None)
            except StopIteration as done:
                results[index] = done.value
                continue
            except Exception as exc:
                results[index] = exc
                continue
            waiting[index] = asyncio.ensure_future(_go_on(coroutine, awaited))
    except BaseException:
        for coroutine in pending:
            coroutine.close()
        for task in waiting.values():
            task.cancel()
        raise
    if waiting:
        finished = await asyncio.gather(*waiting.values(), return_exceptions=True)
        for index, outcome in zip(waiting, finished, strict=True):
            if not isinstance(outcome, Exception) and isinstance(outcome, BaseException):
                raise outcome
            results[index] = outcome
    return [results[index] for index in range(started)]


async def _go_on(coroutine: Coroutine[Any, Any, T], awaited: Any) -> T:
    """The rest of a coroutine already run up to `awaited`, as a task runs it."""
    return await _resume(coroutine, awaited)


@types.coroutine
def _resume(coroutine: Coroutine[Any, Any, T], awaited: Any) -> Generator[Any, Any, T]:
    """Hand the task what `coroutine` awaits, and `coroutine` what the task sends or throws
    back, until it returns: what `await` does, from a coroutine's second step on."""
    while True:
        try:
            sent = yield awaited
        except BaseException as thrown:  # the task was cancelled, or its future failed
            try:
                awaited = coroutine.throw(thrown)
            except StopIteration as done:
                return done.value  # type: ignore[no-any-return]
            continue
        try:
            awaited = coroutine.send(sent)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]
