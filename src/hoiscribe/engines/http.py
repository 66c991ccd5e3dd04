"""HTTP plumbing of the OpenAI-compatible engine: the background event loop, the per-server
state the router balances on, retry classification and safe error text."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

import orjson

T = TypeVar("T")
RETRY_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}


class Retryable(Exception):
    """A failed attempt worth another try; ``message`` is what the user sees if none is left."""

    def __init__(self, message: str, transient: bool = True, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.transient = transient
        self.retry_after = retry_after


class Fatal(Exception):
    """A failed attempt that another try would repeat (bad request, auth, missing model)."""


@dataclass(slots=True)
class Server:
    """One endpoint and what the router knows about it."""

    url: str
    in_flight: int = 0
    down_until: float = 0.0
    safe_url: str = ""  # what error messages and logs show

    def __post_init__(self) -> None:
        self.safe_url = redact_url(self.url + "/chat/completions")


class LoopThread:
    """An event loop running in a daemon thread, for sync callers and foreign loops alike."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="hoiscribe-openai", daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()

    async def arun(self, coro: Coroutine[Any, Any, T]) -> T:
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coro, self.loop))

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        if not self.thread.is_alive():
            self.loop.close()


def redact_url(url: str) -> str:
    """A URL without user info or query, safe to log."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return f"{parts.scheme}://{host}{parts.path}"


def error_detail(content: bytes) -> str:
    try:
        data = orjson.loads(content)
        err = data.get("error", data) if isinstance(data, dict) else data
        message = err.get("message") if isinstance(err, dict) else err
        return str(message)[:300]
    except (orjson.JSONDecodeError, AttributeError):
        return content[:200].decode("utf-8", "replace")


def parse_retry_after(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None
