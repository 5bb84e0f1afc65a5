"""A live stream's wait between pushes ends as soon as the server starts to stop, on whichever loop it runs."""
from __future__ import annotations

import asyncio
import threading

from bordergate.entrypoints.web.closing import Closing

AN_HOUR = 3600  # a wait that never runs out in a test: the answer comes from close(), not from the time


def test_a_stream_waiting_between_pushes_is_woken_when_the_server_starts_to_stop():
    closing = Closing()

    async def stream() -> bool:
        waiting = asyncio.create_task(closing.wait(AN_HOUR))
        await asyncio.sleep(0)  # the stream is now waiting between two pushes
        threading.Thread(target=closing.close).start()  # from another thread, as a signal or a server would
        return await waiting
    assert asyncio.run(stream()) is True
    assert closing.waiting == set()


def test_streams_on_two_event_loops_both_hear_the_server_stop_and_a_late_one_does_not_wait():
    closing = Closing()
    assert asyncio.run(_waits_briefly(closing)) is False  # nothing said: the pause simply runs out
    closing.close()
    assert asyncio.run(closing.wait(AN_HOUR)) is True  # another loop, already stopping: no wait at all


async def _waits_briefly(closing: Closing) -> bool:
    return await closing.wait(0)
