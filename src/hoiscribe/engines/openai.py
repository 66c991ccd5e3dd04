"""The OpenAI-compatible engine: vLLM, SGLang, LMDeploy, Ollama servers and hosted APIs.

One asyncio loop in a background thread owns one HTTP client, so connections are reused
across ``generate`` calls from any thread or event loop. A semaphore bounds requests in
flight; images are decoded, fitted to the pixel budget and base64-encoded in worker
threads. Retryable failures (429, 5xx, timeouts, dropped connections, garbled bodies) are
retried with exponential backoff and jitter up to a bound, then reported in
``Completion.error``. The API key is read from an environment variable, sent only in the
Authorization header, and appears in no log, output or fingerprint.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import threading
import time
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import urlsplit

import orjson
from pydantic import BeforeValidator, Field

from hoiscribe.engines.base import (
    AtLeast0,
    AtLeast1,
    Completion,
    Engine,
    EngineError,
    EngineOptions,
    ImagePart,
    Message,
    Request,
)
from hoiscribe.engines.images import ImageError, prepare_image, to_data_url

log = logging.getLogger(__name__)
T = TypeVar("T")

_CONNECTIONS_PER_POOL = 8
_RETRY_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}
DEFAULT_BASE_URL = "http://127.0.0.1:8000/v1"

Structured = Literal["response_format", "guided_json", "structured_outputs", "none"]


def _url_list(value: Any) -> Any:
    """``base_urls`` may be one comma-separated string."""
    return [u for u in value.split(",") if u] if isinstance(value, str) else value


class OpenAIClientOptions(EngineOptions):
    """How the client talks to its servers; the vllm engine takes these too (it supplies the URLs)."""

    api_key_env: str | None = Field(
        "OPENAI_API_KEY",
        description="environment variable that holds the API key; the key is sent only in the Authorization "
        "header and never appears in logs, outputs or the fingerprint",
    )
    concurrency: AtLeast1 = Field(64, description="requests in flight (values below 1 count as 1)")
    timeout_s: float = Field(120.0, description="read, write and pool timeout of one attempt, in seconds")
    connect_timeout_s: float | None = Field(
        None, description="connect timeout of one attempt; none: `min(10, timeout_s)`"
    )
    max_retries: AtLeast0 = Field(
        5,
        description="retries of 408/409/425/429/5xx, timeouts, connection errors and bodies that are not a "
        "chat completion; exponential backoff with jitter, honouring Retry-After",
    )
    backoff_s: float = Field(0.5, description="backoff before the first retry, doubled per retry")
    backoff_max_s: float = Field(20.0, description="longest backoff (and longest Retry-After honoured)")
    max_pixels: int = Field(28 * 28 * 1280, description="pixel budget per image; images are resized to it")
    image_format: str = Field("JPEG", description="encoding of images sent as base64 data URLs")
    image_quality: int = Field(90, description="JPEG/WEBP quality of sent images")
    structured: Structured = Field(
        "response_format",
        description="how `Request.json_schema` is sent: `response_format` (OpenAI `json_schema`), `guided_json` "
        "(older vLLM), `structured_outputs` (current vLLM), `none`",
    )
    extra_body: dict[str, Any] | None = Field(None, description='merged into every request body, e.g. `{"top_k": 20}`')
    image_workers: AtLeast1 = Field(4, description="threads that decode, resize and encode images")


class _ServerOptions(EngineOptions):
    base_url: str | None = Field(DEFAULT_BASE_URL, description="the server, when `base_urls` is not given")
    base_urls: Annotated[list[str] | None, BeforeValidator(_url_list)] = Field(
        None,
        description="several servers (a list or one comma-separated string), load-balanced by requests in flight",
    )


class OpenAIOptions(OpenAIClientOptions, _ServerOptions):
    """Options of the openai engine: the servers, then the client options."""


class _Retryable(Exception):
    """A failed attempt worth another try; ``message`` is what the user sees if none is left."""

    def __init__(self, message: str, transient: bool = True, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.transient = transient
        self.retry_after = retry_after


class _Fatal(Exception):
    """A failed attempt that another try would repeat (bad request, auth, missing model)."""


@dataclass(slots=True)
class _Server:
    """One endpoint and what the router knows about it."""

    url: str
    in_flight: int = 0
    down_until: float = 0.0
    safe_url: str = ""  # what error messages and logs show

    def __post_init__(self) -> None:
        self.safe_url = redact_url(self.url + "/chat/completions")


class _LoopThread:
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


class OpenAIEngine(Engine):
    """Chat completions over HTTP, concurrent, retried, load-balanced across ``base_urls``."""

    name = "openai"
    batches_itself = True
    options_model = OpenAIOptions

    def __init__(self, model: str | None = None, **options: Any) -> None:
        opts: OpenAIOptions = self.parse_options(options)
        try:
            import httpx  # noqa: F401
        except ModuleNotFoundError as exc:
            raise EngineError("engine 'openai' needs httpx. Install it with: pip install 'hoiscribe[openai]'") from exc
        self.options = opts
        urls = opts.base_urls or [opts.base_url or DEFAULT_BASE_URL]
        self.servers = [_Server(u.rstrip("/")) for u in urls]
        self.model = model
        self.api_key_env = opts.api_key_env or "OPENAI_API_KEY"
        self._api_key = os.environ.get(self.api_key_env) or None
        self.concurrency = opts.concurrency
        self.timeout_s = opts.timeout_s
        self.connect_timeout_s = (
            opts.connect_timeout_s if opts.connect_timeout_s is not None else min(10.0, self.timeout_s)
        )
        self.max_retries = opts.max_retries
        self.backoff_s = opts.backoff_s
        self.backoff_max_s = opts.backoff_max_s
        self.max_pixels = opts.max_pixels
        self.image_format = opts.image_format
        self.image_quality = opts.image_quality
        self.structured = opts.structured
        self.extra_body = dict(opts.extra_body or {})
        self._pool = ThreadPoolExecutor(opts.image_workers, "hoiscribe-img")
        self._loop: _LoopThread | None = None
        self._pools: list[Any] = []
        self._next_pool = 0
        self._headers: dict[str, str] = {}
        self._timeout: dict[str, float] = {}
        self._semaphore: asyncio.Semaphore | None = None
        self._rr = 0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"OpenAIEngine(model={self.model!r}, servers={[redact_url(s.url) for s in self.servers]})"

    def fingerprint(self) -> str:
        host = urlsplit(self.servers[0].url).hostname or ""
        return f"openai:{self.model or '?'}@{host}"

    # ---- loop and client -----------------------------------------------------------------

    def _ensure_loop(self) -> _LoopThread:
        with self._lock:
            if self._loop is None:
                self._loop = _LoopThread()
            return self._loop

    async def _ensure_client(self) -> None:
        if not self._pools:
            import httpx

            self._headers = {"Content-Type": "application/json"}
            if self._api_key:
                self._headers["Authorization"] = f"Bearer {self._api_key}"
            t = self.timeout_s
            self._timeout = {"connect": self.connect_timeout_s, "read": t, "write": t, "pool": t}
            # httpcore's pool scans every connection for every request it places, which at
            # 64 connections costs more than the request; several small pools avoid that.
            # Requests go straight to the transport: no cookies, redirects or auth hooks.
            total = self.concurrency * len(self.servers)
            shards = max(1, min(total // _CONNECTIONS_PER_POOL, 32))
            per_pool = -(-total // shards)
            limits = httpx.Limits(max_connections=per_pool, max_keepalive_connections=per_pool)
            self._pools = [httpx.AsyncHTTPTransport(limits=limits) for _ in range(shards)]
            self._semaphore = asyncio.Semaphore(self.concurrency)
        if not self.model:
            self.model = await self._discover_model()

    async def _send(self, method: str, url: str, body: bytes | None = None) -> tuple[int, Any, bytes]:
        """(status, headers, body) of one HTTP exchange on the next pool."""
        import httpx

        self._next_pool = (self._next_pool + 1) % len(self._pools)
        request = httpx.Request(method, url, headers=self._headers, content=body)
        request.extensions["timeout"] = self._timeout
        response = await self._pools[self._next_pool].handle_async_request(request)
        try:
            content = await response.aread()
        finally:
            await response.aclose()
        return response.status_code, response.headers, content

    async def _discover_model(self) -> str:
        """The first model a server lists, for servers started with a single model."""
        url = self.servers[0].url + "/models"
        try:
            _, _, content = await self._send("GET", url)
            return str(orjson.loads(content)["data"][0]["id"])
        except Exception as exc:
            raise EngineError(f"openai engine: no model given and {redact_url(url)} lists none ({exc})") from exc

    def set_servers(self, urls: list[str]) -> None:
        """Replace the endpoints (the managed-server launcher calls this)."""
        known = {s.url: s for s in self.servers}
        self.servers = [known.get(u.rstrip("/")) or _Server(u.rstrip("/")) for u in urls]

    # ---- public API --------------------------------------------------------------------

    def generate(self, requests: list[Request]) -> list[Completion]:
        return self._ensure_loop().run(self._generate_all(requests))

    async def agenerate(self, requests: list[Request]) -> list[Completion]:
        return await self._ensure_loop().arun(self._generate_all(requests))

    async def _generate_all(self, requests: list[Request]) -> list[Completion]:
        try:
            await self._ensure_client()
        except EngineError as exc:
            return [self._failed(str(exc), transient=True) for _ in requests]
        return list(await asyncio.gather(*(self._one(i, r) for i, r in enumerate(requests))))

    def close(self) -> None:
        if self._loop is not None:
            for pool in self._pools:
                with contextlib.suppress(Exception):  # closing must not raise
                    self._loop.run(pool.aclose())
            self._loop.stop()
            self._loop = None
            self._pools = []
        self._pool.shutdown(wait=False, cancel_futures=True)

    # ---- one request ---------------------------------------------------------------------

    def _failed(self, error: str, transient: bool = False, **timings: float) -> Completion:
        return Completion(
            text="",
            finish_reason="error",
            fingerprint=self.fingerprint(),
            error=error,
            transient=transient,
            timings=dict(timings),
        )

    def _content(self, message: Message) -> str | list[dict[str, Any]]:
        if not message.images:
            return message.text_content
        parts: list[dict[str, Any]] = []
        for part in message.content:
            if isinstance(part, ImagePart):
                url = to_data_url(prepare_image(part, self.max_pixels), self.image_format, self.image_quality)
                parts.append({"type": "image_url", "image_url": {"url": url}})
            else:
                parts.append({"type": "text", "text": part})
        return parts

    def _message(self, message: Message) -> dict[str, Any]:
        out: dict[str, Any] = {"role": message.role, "content": self._content(message)}
        if message.tool_call_id is not None:
            out["tool_call_id"] = message.tool_call_id
        if message.tool_calls:
            out["tool_calls"] = list(message.tool_calls)
        return out

    def _payload(self, request: Request) -> bytes:
        """The request body; runs in a worker thread because images are decoded and encoded here."""
        s = request.sampling
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [self._message(m) for m in request.messages],
            "temperature": s.temperature,
            "top_p": s.top_p,
            "max_tokens": s.max_tokens,
            "seed": s.seed,
        }
        if s.stop:
            body["stop"] = list(s.stop)
        if request.tools:
            body["tools"] = request.tools
        if request.json_schema is not None:
            schema = request.json_schema
            if self.structured == "response_format":
                body["response_format"] = {
                    "type": "json_schema",
                    "json_schema": {"name": request.task or "output", "schema": schema},
                }
            elif self.structured == "guided_json":
                body["guided_json"] = schema
            elif self.structured == "structured_outputs":
                body["structured_outputs"] = {"json": schema}
        body.update(self.extra_body)
        return orjson.dumps(body)

    def _pick(self) -> _Server:
        """Least requests in flight among servers not cooling down; round-robin on ties."""
        now = time.monotonic()
        up = [s for s in self.servers if s.down_until <= now] or self.servers
        self._rr = (self._rr + 1) % len(up)
        order = up[self._rr :] + up[: self._rr]
        return min(order, key=lambda s: s.in_flight)

    async def _one(self, index: int, request: Request) -> Completion:
        label = request.request_id or f"#{index}"
        start = time.perf_counter()
        loop = asyncio.get_running_loop()
        try:
            if any(m.images for m in request.messages):  # decoding and encoding: off the loop
                body = await loop.run_in_executor(self._pool, self._payload, request)
            else:
                body = self._payload(request)
        except ImageError as exc:
            return self._failed(f"request {label}: {exc}")
        prep_s = time.perf_counter() - start
        assert self._semaphore is not None
        async with self._semaphore:
            queued_s = time.perf_counter() - start - prep_s
            attempt = 0
            while True:
                attempt += 1
                server = self._pick()
                try:
                    completion = await self._attempt(server, body, label)
                except _Fatal as exc:
                    return self._failed(str(exc), attempts=float(attempt))
                except _Retryable as exc:
                    if attempt > self.max_retries:
                        return self._failed(
                            f"{exc} (gave up after {attempt} attempts)",
                            transient=exc.transient,
                            attempts=float(attempt),
                        )
                    delay = min(self.backoff_max_s, self.backoff_s * 2 ** (attempt - 1))
                    delay = delay / 2 + random.uniform(0, delay / 2)  # jitter spreads retry storms
                    if exc.retry_after is not None:
                        delay = max(delay, min(exc.retry_after, self.backoff_max_s))
                    log.warning("%s; retry %d/%d in %.2fs", exc, attempt, self.max_retries, delay)
                    await asyncio.sleep(delay)
                    continue
                completion.timings.update(
                    image_prep_s=prep_s,
                    queue_s=queued_s,
                    total_s=time.perf_counter() - start,
                    attempts=float(attempt),
                )
                return completion

    async def _attempt(self, server: _Server, body: bytes, label: str) -> Completion:
        import httpx

        url = server.url + "/chat/completions"
        where = f"request {label} to {server.safe_url} (model {self.model})"
        server.in_flight += 1
        try:
            status, headers, content = await self._send("POST", url, body)
        except httpx.TimeoutException as exc:
            raise _Retryable(f"{where}: timed out after {self.timeout_s:g}s ({type(exc).__name__})") from None
        except httpx.TransportError as exc:
            server.down_until = time.monotonic() + 1.0  # send the retries elsewhere for a moment
            raise _Retryable(f"{where}: connection failed ({type(exc).__name__}: {exc})") from None
        finally:
            server.in_flight -= 1
        if status != 200:
            detail = _error_detail(content)
            if status in _RETRY_STATUS:
                retry_after = _retry_after(headers.get("retry-after"))
                raise _Retryable(f"{where}: HTTP {status} {detail}", retry_after=retry_after)
            if status in (401, 403):
                detail += f" (API key taken from ${self.api_key_env})"
            raise _Fatal(f"{where}: HTTP {status} {detail}")
        try:
            data = orjson.loads(content)
            choice = data["choices"][0]
            message = choice.get("message") or {}
        except (orjson.JSONDecodeError, KeyError, IndexError, TypeError, AttributeError):
            snippet = content[:120].decode("utf-8", "replace")
            raise _Retryable(
                f"{where}: server answered with a body that is not a chat completion: {snippet!r}",
                transient=False,
            ) from None
        return self._completion(data, choice, message)

    def _completion(self, data: dict[str, Any], choice: dict[str, Any], message: dict[str, Any]) -> Completion:
        text = message.get("content") or ""
        reasoning = message.get("reasoning_content") or message.get("reasoning")
        if reasoning:
            text = f"<think>{reasoning}</think>{text}"  # keep the raw reasoning with the answer
        if message.get("tool_calls"):  # keep any text beside the calls, as the thought
            payload: dict[str, Any] = {"tool_calls": message["tool_calls"]}
            if text:
                payload["content"] = text
            text = orjson.dumps(payload).decode()
        usage = data.get("usage") or {}
        return Completion(
            text=text,
            finish_reason=str(choice.get("finish_reason") or "stop"),
            prompt_tokens=int(usage.get("prompt_tokens") or 0),
            completion_tokens=int(usage.get("completion_tokens") or 0),
            fingerprint=self.fingerprint(),
        )


def _error_detail(content: bytes) -> str:
    try:
        data = orjson.loads(content)
        err = data.get("error", data) if isinstance(data, dict) else data
        message = err.get("message") if isinstance(err, dict) else err
        return str(message)[:300]
    except (orjson.JSONDecodeError, AttributeError):
        return content[:200].decode("utf-8", "replace")


def _retry_after(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None
