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
    """Set once the server starts to stop; a live stream waits on it between pushes and ends when it is set."""

    def __init__(self) -> None:
        self.event = asyncio.Event()
        self.loop: asyncio.AbstractEventLoop | None = None

    def close(self) -> None:
        """Safe from a signal handler or another thread: the event is set on the server's own loop."""
        if self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self.event.set)

    async def wait(self, seconds: float) -> bool:
        """Wait ``seconds`` between pushes; True when the server is stopping meanwhile (the stream should end)."""
        if self.event.is_set():
            return True
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self.event.wait(), timeout=seconds)
        return self.event.is_set()

    @contextlib.contextmanager
    def on_signals(self) -> Iterator[None]:
        """While the app runs: hear SIGTERM/SIGINT first, then hand each on to whoever listened before (uvicorn).
        Signals are heard only in the main thread: a server run in a thread (tests) stops through its own timeout."""
        self.loop = asyncio.get_running_loop()
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
