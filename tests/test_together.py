"""gather_eagerly: gather's results, with a task only for the coroutines that wait."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Coroutine
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from resolvers.together import gather_eagerly


class Refused(Exception):
    pass


# One coroutine's script: how many times it waits for the loop, then whether it raises.
scripts = st.lists(st.tuples(st.integers(0, 3), st.booleans()), max_size=8)


async def scripted(position: int, waits: int, raises: bool) -> int:
    for _ in range(waits):
        await asyncio.sleep(0)
    if raises:
        raise Refused(position)
    return position


def outcome(result: object) -> object:
    return ("raised", result.args) if isinstance(result, Refused) else result


@given(scripts)
def test_gather_eagerly_gives_what_gather_gives(script: list[tuple[int, bool]]) -> None:
    async def both() -> tuple[list[object], list[object]]:
        eager = await gather_eagerly(scripted(i, w, r) for i, (w, r) in enumerate(script))
        plain = await asyncio.gather(
            *(scripted(i, w, r) for i, (w, r) in enumerate(script)), return_exceptions=True
        )
        return [outcome(x) for x in eager], [outcome(x) for x in plain]

    eager, plain = asyncio.run(both())
    assert eager == plain


async def test_coroutines_that_do_not_wait_run_in_the_callers_task() -> None:
    tasks: list[asyncio.Task[Any] | None] = []

    async def note() -> None:
        tasks.append(asyncio.current_task())

    await gather_eagerly(note() for _ in range(3))
    assert tasks == [asyncio.current_task()] * 3


async def test_coroutines_that_wait_go_on_together() -> None:
    # Each waits for what the other does after its own first wait: one after the other, the
    # first would wait for ever.
    first_ready, second_ready = asyncio.Event(), asyncio.Event()

    async def meet(mine: asyncio.Event, theirs: asyncio.Event, name: str) -> str:
        await asyncio.sleep(0)
        mine.set()
        await theirs.wait()
        return name

    found = await asyncio.wait_for(
        gather_eagerly(
            [meet(first_ready, second_ready, "first"), meet(second_ready, first_ready, "second")]
        ),
        timeout=10,
    )
    assert found == ["first", "second"]


async def test_cancelling_the_call_cancels_the_coroutines_waiting() -> None:
    cancelled: list[str] = []

    async def wait_for_ever(name: str) -> None:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.append(name)
            raise

    call = asyncio.ensure_future(gather_eagerly(wait_for_ever(n) for n in ("a", "b")))
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call
    assert sorted(cancelled) == ["a", "b"]


async def test_a_stop_that_is_not_an_error_ends_the_call_and_closes_the_rest() -> None:
    async def stop() -> None:
        raise KeyboardInterrupt

    async def later() -> int:
        return 1

    rest: list[Coroutine[Any, Any, int]] = [later(), later()]
    with pytest.raises(KeyboardInterrupt):
        await gather_eagerly([stop(), *rest])
    assert [inspect.getcoroutinestate(c) for c in rest] == [inspect.CORO_CLOSED] * 2


async def test_a_waiting_coroutine_cancelled_on_its_own_ends_the_call() -> None:
    async def cancelled_alone() -> None:
        await asyncio.sleep(0)
        raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        await gather_eagerly([cancelled_alone()])
