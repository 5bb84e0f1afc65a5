"""Live streams end when the server is told to stop, so SIGTERM or Ctrl-C stops it with a phone still watching."""
from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

# uvicorn stops on these two; it waits for every open response to end before it runs the app's lifespan shutdown,
# and a live stream never ends by itself: the stream must hear of the signal itself, when it arrives.
STOPPING_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Closing:
    """Set once the server starts to stop; a live stream waits on it between pushes and ends when it is set. Not an
    asyncio.Event: that belongs to one event loop, and an app may serve from several (a test client's per request)."""

    def __init__(self) -> None:
        self.closed = False
        self.waiting: set[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = set()

    def close(self) -> None:
        """Safe from a signal handler or another thread: each waiting stream is woken on its own loop."""
        self.closed = True
        for loop, woken in list(self.waiting):
            if not loop.is_closed():
                loop.call_soon_threadsafe(_wake, woken)

    async def wait(self, seconds: float) -> bool:
        """Wait ``seconds`` between pushes; True when the server is stopping meanwhile (the stream should end)."""
        if self.closed:
            return True
        waiter = (asyncio.get_running_loop(), asyncio.get_running_loop().create_future())
        self.waiting.add(waiter)
        try:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(waiter[1], timeout=seconds)
        finally:
            self.waiting.discard(waiter)
        return self.closed

    @contextlib.contextmanager
    def on_signals(self) -> Iterator[None]:
        """While the app runs: hear SIGTERM/SIGINT first, then hand each on to whoever listened before (uvicorn).
        Signals are heard only in the main thread: a server run in a thread (tests) stops through its own timeout."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        before = {number: signal.getsignal(number) for number in STOPPING_SIGNALS}

        def heard(number: int, frame: FrameType | None) -> Any:
            self.close()
            handler = before[number]
            if callable(handler):
                return handler(number, frame)
            # Nobody listened before us: do what the signal does by default (or nothing, if it was ignored).
            signal.signal(number, handler or signal.SIG_DFL)
            signal.raise_signal(number)
            return None
        for number in STOPPING_SIGNALS:
            signal.signal(number, heard)
        try:
            yield
        finally:
            self.close()
            for number, handler in before.items():
                # Put back only our own: whoever installed a handler after us keeps theirs.
                if signal.getsignal(number) is heard:
                    signal.signal(number, handler)


def _wake(woken: asyncio.Future[None]) -> None:
    if not woken.done():
        woken.set_result(None)
