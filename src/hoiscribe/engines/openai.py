"""The OpenAI-compatible engine: vLLM, SGLang, LMDeploy, Ollama servers and hosted APIs.

One asyncio loop in a background thread owns one aiohttp session (``http.Transport``: pooled
HTTP/1.1 keep-alive connections, streaming off), so connections are reused across ``generate``
calls from any thread or event loop. A semaphore bounds requests in
flight; images are decoded, fitted to the pixel budget and base64-encoded in worker
threads. Retryable failures (429, 5xx, timeouts, dropped connections, garbled bodies) are
retried with exponential backoff and jitter up to a bound, then reported in
``Completion.error``. A failure that is no request's fault (API key refused, unknown model,
server unreachable after the retries) is reported ``fatal``, and the requests of the same call
not yet sent are not sent. The API key is read from an environment variable, sent only in the
Authorization header, and appears in no log, output or fingerprint; a URL carrying one is refused.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import logging
import os
import random
import threading
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar
from urllib.parse import urlsplit

import orjson

from hoiscribe.engines.base import (
    Completion,
    Engine,
    EngineError,
    ImagePart,
    Message,
    OptionProblem,
    Request,
    Resolve,
)
from hoiscribe.engines.http import (
    AIOHTTP_MISSING,
    RETRY_STATUS,
    Fatal,
    LoopThread,
    Retryable,
    Server,
    Transport,
    TransportFault,
    credentials_in,
    engine_wide,
    error_detail,
    parse_retry_after,
    redact_url,
    url_problems,
)
from hoiscribe.engines.images import ImageError, prepare_image, to_data_url
from hoiscribe.engines.openai_options import BASE_URL_ENV, DEFAULT_BASE_URL, OpenAIOptions

log = logging.getLogger(__name__)
T = TypeVar("T")


class OpenAIEngine(Engine):
    """Chat completions over HTTP, concurrent, retried, load-balanced across ``base_urls``."""

    name = "openai"
    batches_itself = True
    options_model = OpenAIOptions

    def __init__(self, model: str | None = None, **options: Any) -> None:
        opts: OpenAIOptions = self.parse_options(options)
        if importlib.util.find_spec("aiohttp") is None:  # found, not imported: start-up stays cheap
            raise EngineError(AIOHTTP_MISSING)
        self.api_key_env = opts.api_key_env or "OPENAI_API_KEY"
        urls = opts.base_urls or [opts.base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL]
        where = "base_urls" if opts.base_urls else "base_url" if opts.base_url else f"${BASE_URL_ENV}"
        for url in urls:  # refused before anything keeps the URL; the message shows it without the secret
            what = credentials_in(url)
            if what is not None:
                raise EngineError(f"openai engine: {where} {redact_url(url)} carries credentials ({what}); "
                                  f"put the API key in ${self.api_key_env} instead") from None  # fmt: skip
        self.options = opts
        self.servers = [Server(u.rstrip("/")) for u in urls]
        self.model = model
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
        self.max_image_pixels = opts.max_image_pixels
        self.image_format = opts.image_format
        self.image_quality = opts.image_quality
        self.structured = opts.structured
        self.extra_body = dict(opts.extra_body or {})
        self._pool = ThreadPoolExecutor(opts.image_workers, "hoiscribe-img")
        self._loop: LoopThread | None = None
        self._transport: Transport | None = None
        self._semaphore: asyncio.Semaphore | None = None
        self._rr = 0
        self._lock = threading.Lock()

    @classmethod
    def option_problems(cls, options: Mapping[str, Any], resolve: Resolve | None = None) -> list[OptionProblem]:
        """Also a URL that carries a key, reported when the config loads (before any file stores it)."""
        problems = super().option_problems(options, resolve)
        return problems + [OptionProblem(path, message) for path, message in url_problems(options)]

    def __repr__(self) -> str:
        return f"OpenAIEngine(model={self.model!r}, servers={[redact_url(s.url) for s in self.servers]})"

    def fingerprint(self) -> str:
        host = urlsplit(self.servers[0].url).hostname or ""
        return f"openai:{self.model or '?'}@{host}"

    # ---- loop and client -----------------------------------------------------------------

    def _ensure_loop(self) -> LoopThread:
        with self._lock:
            if self._loop is None:
                self._loop = LoopThread()
            return self._loop

    async def _ensure_client(self) -> None:
        if self._transport is None:
            headers = {"Content-Type": "application/json"}
            if self._api_key:
                headers["Authorization"] = f"Bearer {self._api_key}"
            # in flight is bounded by the semaphore; the pool only caps connections per server
            self._transport = Transport(headers, self.timeout_s, self.connect_timeout_s, limit=0)
            self._semaphore = asyncio.Semaphore(self.concurrency)
        if not self.model:
            self.model = await self._discover_model()

    async def _send(self, method: str, url: str, body: bytes | None = None) -> tuple[int, Any, bytes]:
        assert self._transport is not None
        return await self._transport.send(method, url, body)

    async def _discover_model(self) -> str:
        """The first model a server lists, for servers started with a single model."""
        url = self.servers[0].url + "/models"
        try:
            status, _, content = await self._send("GET", url)
            if status in (401, 403):
                raise EngineError(f"HTTP {status} {error_detail(content)}: {self._key_hint()}")
            return str(orjson.loads(content)["data"][0]["id"])
        except Exception as exc:
            raise EngineError(f"openai engine: no model given and {redact_url(url)} lists none ({exc})") from exc

    def _key_hint(self) -> str:
        if not self._api_key:
            return f"the server wants an API key and ${self.api_key_env} is not set"
        return f"the server refused the API key; check ${self.api_key_env}"

    def set_servers(self, urls: list[str]) -> None:
        """Replace the endpoints (the managed-server launcher calls this)."""
        known = {s.url: s for s in self.servers}
        self.servers = [known.get(u.rstrip("/")) or Server(u.rstrip("/")) for u in urls]

    # ---- public API --------------------------------------------------------------------

    def generate(self, requests: list[Request]) -> list[Completion]:
        return self._ensure_loop().run(self._generate_all(requests))

    async def agenerate(self, requests: list[Request]) -> list[Completion]:
        return await self._ensure_loop().arun(self._generate_all(requests))

    async def _generate_all(self, requests: list[Request]) -> list[Completion]:
        try:
            await self._ensure_client()
        except EngineError as exc:  # no model to ask for: no request can be served
            return [self._failed(str(exc), fatal=True) for _ in requests]
        stop: list[str] = []  # the first engine-wide failure of this call: the rest is not sent
        return list(await asyncio.gather(*(self._one(i, r, stop) for i, r in enumerate(requests))))

    def close(self) -> None:
        if self._loop is not None:
            if self._transport is not None:
                with contextlib.suppress(Exception):  # closing must not raise
                    self._loop.run(self._transport.close())
            self._loop.stop()
            self._loop = None
            self._transport = None
        self._pool.shutdown(wait=False, cancel_futures=True)

    # ---- one request ---------------------------------------------------------------------

    def _failed(self, error: str, transient: bool = False, fatal: bool = False, **timings: float) -> Completion:
        return Completion(
            text="",
            finish_reason="error",
            fingerprint=self.fingerprint(),
            error=error,
            transient=transient or fatal,  # a caller that ignores ``fatal`` retries later, never drops
            timings=dict(timings),
            fatal=fatal,
        )

    def _content(self, message: Message) -> str | list[dict[str, Any]]:
        if not message.images:
            return message.text_content
        parts: list[dict[str, Any]] = []
        for part in message.content:
            if isinstance(part, ImagePart):
                img = prepare_image(part, self.max_pixels, self.max_image_pixels)
                url = to_data_url(img, self.image_format, self.image_quality)
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
            "stream": False,
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

    def _pick(self) -> Server:
        """Least requests in flight among servers not cooling down; round-robin on ties."""
        now = time.monotonic()
        up = [s for s in self.servers if s.down_until <= now] or self.servers
        self._rr = (self._rr + 1) % len(up)
        order = up[self._rr :] + up[: self._rr]
        return min(order, key=lambda s: s.in_flight)

    async def _one(self, index: int, request: Request, stop: list[str]) -> Completion:
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
            unreachable = True  # every attempt so far failed to connect
            while True:
                if stop:
                    return self._failed(f"request {label} not sent: {stop[0]}", fatal=True, attempts=float(attempt))
                attempt += 1
                server = self._pick()
                try:
                    completion = await self._attempt(server, body, label)
                except Fatal as exc:
                    if exc.engine_wide:
                        stop.append(str(exc))
                    return self._failed(str(exc), fatal=exc.engine_wide, attempts=float(attempt))
                except Retryable as exc:
                    unreachable = unreachable and exc.unreachable
                    if attempt > self.max_retries:
                        message = f"{exc} (gave up after {attempt} attempts)"
                        if unreachable:  # the server is down for everyone, not only for this request
                            message += "; check that the server runs and base_url is right"
                            stop.append(message)
                        return self._failed(
                            message, transient=exc.transient, fatal=unreachable, attempts=float(attempt)
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

    async def _attempt(self, server: Server, body: bytes, label: str) -> Completion:
        url = server.url + "/chat/completions"
        where = f"request {label} to {server.safe_url} (model {self.model})"
        server.in_flight += 1
        try:
            status, headers, content = await self._send("POST", url, body)
        except TransportFault as exc:
            if exc.kind == "timeout":
                raise Retryable(f"{where}: timed out after {self.timeout_s:g}s ({exc})") from None
            server.down_until = time.monotonic() + 1.0  # send the retries elsewhere for a moment
            unreachable = exc.kind == "connect"  # refused, unknown host: no connection at all
            raise Retryable(f"{where}: connection failed ({exc})", unreachable=unreachable) from None
        finally:
            server.in_flight -= 1
        if status != 200:
            detail = error_detail(content)
            if status in RETRY_STATUS:
                retry_after = parse_retry_after(headers.get("retry-after"))
                raise Retryable(f"{where}: HTTP {status} {detail}", retry_after=retry_after)
            if status in (401, 403):
                detail += f": {self._key_hint()}"
            elif engine_wide(status, detail):
                detail += f": check the model name ({self.model}) and base_url"
            raise Fatal(f"{where}: HTTP {status} {detail}", engine_wide=engine_wide(status, detail))
        try:
            data = orjson.loads(content)
            choice = data["choices"][0]
            message = choice.get("message") or {}
        except (orjson.JSONDecodeError, KeyError, IndexError, TypeError, AttributeError):
            snippet = content[:120].decode("utf-8", "replace")
            raise Retryable(
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
