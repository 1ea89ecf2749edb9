"""Server-Timing: each response says how long the app took to start answering it (`app;dur=12.3`, in ms).

Browsers show it in their network panel, and bench/web_bench.py reads it to
report the server's own time apart from the time a request waited in line.
"""

from __future__ import annotations

import time

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class ServerTiming:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def send_with_timing(message: Message) -> None:
            if message["type"] == "http.response.start":
                took = (time.perf_counter() - started) * 1000
                MutableHeaders(scope=message).append("Server-Timing", f"app;dur={took:.1f}")
            await send(message)

        await self.app(scope, receive, send_with_timing)
