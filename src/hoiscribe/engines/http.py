"""HTTP plumbing of the OpenAI-compatible engine: the transport, the background event loop, the
per-server state the router balances on, retry classification and safe error text.

The transport is aiohttp, chosen by measurement (``benchmarks/bench_engines_openai.py
--peers aiohttp httpx openai``): against the fake server at 100 ms latency, httpx's pool and
the openai SDK (httpx underneath) spend 8-14 ms of CPU per request at 64-256 connections and
reach 3-18% of the ideal, where aiohttp spends about 0.2 ms and reaches the ideal's 80-90%.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

import orjson

T = TypeVar("T")
AIOHTTP_MISSING = "engine 'openai' needs aiohttp. Install it with: pip install 'hoiscribe[openai]'"
RETRY_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}


ENGINE_WIDE_STATUS = {401, 402, 403, 404}  # key refused, no credit, forbidden, no such model (or path)
_NO_MODEL = re.compile(r"\bmodel\b.*\b(not found|does not exist)|\bmodel_not_found\b", re.I)  # in a 400 body


class Retryable(Exception):
    """A failed attempt worth another try; ``message`` is what the user sees if none is left.

    ``unreachable``: no connection could be made at all (refused, DNS, connect timeout); a request
    whose every attempt was unreachable means the server is down for everyone."""

    def __init__(
        self, message: str, transient: bool = True, retry_after: float | None = None, unreachable: bool = False
    ) -> None:
        super().__init__(message)
        self.transient = transient
        self.retry_after = retry_after
        self.unreachable = unreachable


class Fatal(Exception):
    """A failed attempt that another try would repeat.

    ``engine_wide`` splits the two kinds: False, the request itself is bad (a 400 such as a
    prompt over the context length): that sample is dropped; True, the engine cannot serve
    anyone (API key refused, unknown model): the caller stops instead of dropping every sample."""

    def __init__(self, message: str, engine_wide: bool = False) -> None:
        super().__init__(message)
        self.engine_wide = engine_wide


def engine_wide(status: int, detail: str) -> bool:
    """Whether an HTTP error that is not retried means no request can succeed."""
    return status in ENGINE_WIDE_STATUS or bool(_NO_MODEL.search(detail))


def url_problems(options: Any) -> list[tuple[str, str]]:
    """(option, message) for each configured URL that carries credentials; the message omits the key."""
    listed = options.get("base_urls")
    urls = [("base_url", options.get("base_url"))]
    urls += [("base_urls", u) for u in (listed.split(",") if isinstance(listed, str) else listed or [])]
    found = [(path, credentials_in(url)) for path, url in urls if isinstance(url, str)]
    return [(path, f"the URL carries credentials ({what}); put the API key in the environment variable that "
             "api_key_env names instead") for path, what in found if what is not None]  # fmt: skip


def credentials_in(url: str) -> str | None:
    """What in a URL carries a secret (user info, an ``api_key``-like query parameter), or None."""
    try:
        parts = urlsplit(url)
    except ValueError:  # not a URL at all: the first request reports it
        return None
    if "@" in parts.netloc:
        return "user info (user:key@host)"
    for key in parse_qs(parts.query, keep_blank_values=True):
        if re.search(r"key|token|secret|password|auth", key, re.I):
            return f"the query parameter {key!r}"
    return None


@dataclass(slots=True)
class Server:
    """One endpoint and what the router knows about it."""

    url: str
    in_flight: int = 0
    down_until: float = 0.0
    safe_url: str = ""  # what error messages and logs show

    def __post_init__(self) -> None:
        self.safe_url = redact_url(self.url + "/chat/completions")


class TransportFault(Exception):
    """An exchange that got no HTTP answer. ``kind``: ``connect`` (no connection could be made),
    ``timeout`` (no answer in time) or ``broken`` (the connection broke mid-exchange)."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind


class Transport:
    """One aiohttp session for every server: pooled keep-alive connections per host, no cookies,
    redirects or environment proxies, and no TLS set-up unless a URL is https (aiohttp's one
    module-level context is shared, never one per pool). Built lazily on the loop that uses it."""

    def __init__(self, headers: dict[str, str], timeout_s: float, connect_timeout_s: float, limit: int) -> None:
        self.headers = headers
        self.timeout_s = timeout_s
        self.connect_timeout_s = connect_timeout_s
        self.limit = limit
        self._session: Any = None
        self._errors: Any = None

    def _open(self) -> Any:
        try:
            import aiohttp
        except ModuleNotFoundError as exc:
            raise TransportFault("connect", AIOHTTP_MISSING) from exc
        timeout = aiohttp.ClientTimeout(
            total=None, connect=self.timeout_s, sock_connect=self.connect_timeout_s, sock_read=self.timeout_s
        )
        connector = aiohttp.TCPConnector(limit=self.limit, keepalive_timeout=30.0, ttl_dns_cache=300)
        self._session = aiohttp.ClientSession(
            connector=connector,
            timeout=timeout,
            headers=self.headers,
            cookie_jar=aiohttp.DummyCookieJar(),
            trust_env=False,
            auto_decompress=True,
        )
        self._errors = aiohttp
        return self._session

    async def send(self, method: str, url: str, body: bytes | None = None) -> tuple[int, Any, bytes]:
        """(status, headers, body) of one HTTP exchange, or a ``TransportFault``."""
        session = self._session or self._open()
        errors = self._errors
        try:
            async with session.request(method, url, data=body, allow_redirects=False) as response:
                return response.status, response.headers, await response.read()
        except errors.ConnectionTimeoutError as exc:  # no connection in time: the server is not there
            raise TransportFault("connect", f"{type(exc).__name__}: connect timed out") from None
        except (errors.ClientConnectorError, errors.InvalidUrlClientError) as exc:  # refused, unknown host
            raise TransportFault("connect", f"{type(exc).__name__}: {exc}") from None
        except TimeoutError as exc:  # aiohttp's read timeouts are TimeoutErrors too
            raise TransportFault("timeout", type(exc).__name__) from None
        except (errors.ClientError, OSError) as exc:  # dropped, reset, a garbled HTTP answer
            raise TransportFault("broken", f"{type(exc).__name__}: {exc}") from None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


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
