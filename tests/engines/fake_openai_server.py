"""A small stand-in for an OpenAI-compatible server (vLLM, SGLang, ...), stdlib only.

It speaks enough HTTP/1.1 (keep-alive, Content-Length) and enough of the chat-completions
protocol for the engines, and misbehaves on request: directives in a request's last user
text make the first N attempts of that request fail.

    [[fail:429:2]]   answer 429 twice, then normally   (any status code)
    [[drop:1]]       close the connection without answering, once
    [[garbage:3]]    answer 200 with a body that is not JSON, three times
    [[sleep:500]]    add 500 ms latency to this request
    [[reply:TEXT]]   answer with TEXT as the message content
    [[die]]          exit the whole process at once (for launcher restart tests)

Server-wide settings (``FakeState``): ``api_key`` answers 401 to any other key; ``strict_model``
answers 404 "model not found" to chat requests for any model but ``model``, as vLLM does.

Run as a process (``python tests/engines/fake_openai_server.py --port 0``: prints
``LISTENING <port>``) or in a thread with ``start_in_thread``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import os
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any

_DIRECTIVE = re.compile(r"\[\[(fail|drop|garbage|sleep|reply|die)(?::(.*?))?\]\]")


@dataclass
class FakeState:
    """Server settings and what it has seen; shared with tests running it in a thread."""

    model: str = "fake-model"
    name: str = "fake"
    latency_s: float = 0.0
    api_key: str | None = None
    requests: int = 0
    completions: int = 0
    attempts: dict[str, int] = field(default_factory=dict)
    auth_failures: int = 0
    bodies: list[dict[str, Any]] = field(default_factory=list)
    keep_bodies: bool = False
    strict_model: bool = False  # 404 for chat requests naming another model
    connections: int = 0  # TCP connections accepted (keep-alive reuse keeps this low)


def _last_user_text(body: dict[str, Any]) -> str:
    for message in reversed(body.get("messages", [])):
        if message.get("role") != "user":
            continue
        content = message.get("content")
        if isinstance(content, str):
            return content
        return "".join(p.get("text", "") for p in content or [] if p.get("type") == "text")
    return ""


def _count_images(body: dict[str, Any]) -> int:
    n = 0
    for message in body.get("messages", []):
        content = message.get("content")
        if isinstance(content, list):
            n += sum(1 for p in content if p.get("type") == "image_url")
    return n


def _response(status: int, body: bytes, content_type: str = "application/json") -> bytes:
    reason = {200: "OK", 401: "Unauthorized", 404: "Not Found", 429: "Too Many Requests"}.get(status, "Error")
    head = (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: keep-alive\r\n\r\n"
    )
    return head.encode() + body


async def _chat(state: FakeState, body: dict[str, Any]) -> bytes | None:
    """The response bytes for one chat request, or None to drop the connection."""
    text = _last_user_text(body)
    key = hashlib.sha1(json.dumps(body.get("messages"), sort_keys=True).encode()).hexdigest()
    attempt = state.attempts.get(key, 0) + 1
    state.attempts[key] = attempt
    delay = state.latency_s
    reply: str | None = None
    for kind, arg in _DIRECTIVE.findall(text):
        if kind == "die":
            os._exit(3)
        if kind == "sleep":
            delay += float(arg) / 1000
        elif kind == "reply":
            reply = arg
        elif kind == "fail":
            code, _, times = arg.partition(":")
            if attempt <= int(times or 1):
                await asyncio.sleep(delay)
                err = {"error": {"message": f"injected {code}", "type": "fake"}}
                return _response(int(code), json.dumps(err).encode())
        elif kind == "drop" and attempt <= int(arg or 1):
            await asyncio.sleep(delay)
            return None
        elif kind == "garbage" and attempt <= int(arg or 1):
            await asyncio.sleep(delay)
            return _response(200, b"<html>502 bad gateway</html>", "text/html")
    if delay:
        await asyncio.sleep(delay)
    clean = _DIRECTIVE.sub("", text).strip()
    if reply is None:
        schema = body.get("response_format") or body.get("guided_json") or body.get("structured_outputs")
        reply = json.dumps({"echo": clean}) if schema else f"echo: {clean} (images={_count_images(body)})"
    state.completions += 1
    max_tokens = int(body.get("max_tokens") or 16)
    words = reply.split(" ")
    finish = "length" if len(words) > max_tokens else "stop"
    out = {
        "id": f"chatcmpl-{state.completions}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", state.model),
        "system_fingerprint": state.name,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": " ".join(words[:max_tokens])},
                "finish_reason": finish,
            }
        ],
        "usage": {"prompt_tokens": len(clean.split()) + 1, "completion_tokens": min(len(words), max_tokens)},
    }
    return _response(200, json.dumps(out).encode())


async def _handle(state: FakeState, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    state.connections += 1
    try:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError):
                return
            lines = head.decode("latin-1").split("\r\n")
            method, path, _ = lines[0].split(" ", 2)
            headers = {}
            for line in lines[1:]:
                if ":" in line:
                    k, v = line.split(":", 1)
                    headers[k.strip().lower()] = v.strip()
            raw = await reader.readexactly(int(headers.get("content-length", "0") or 0))
            state.requests += 1
            if state.api_key is not None and headers.get("authorization") != f"Bearer {state.api_key}":
                state.auth_failures += 1
                writer.write(_response(401, b'{"error": {"message": "invalid api key"}}'))
            elif method == "GET" and path in ("/health", "/v1/health"):
                writer.write(_response(200, b"{}"))
            elif method == "GET" and path == "/v1/models":
                data = {"object": "list", "data": [{"id": state.model, "object": "model"}]}
                writer.write(_response(200, json.dumps(data).encode()))
            elif method == "GET" and path == "/stats":
                stats = {"name": state.name, "requests": state.requests, "completions": state.completions}
                writer.write(_response(200, json.dumps(stats).encode()))
            elif method == "POST" and path == "/v1/chat/completions":
                body = json.loads(raw or b"{}")
                if state.keep_bodies:
                    state.bodies.append(body)
                if state.strict_model and body.get("model") != state.model:
                    err = {"error": {"message": f"The model `{body.get('model')}` does not exist.",
                                     "type": "NotFoundError", "code": "model_not_found"}}  # fmt: skip
                    writer.write(_response(404, json.dumps(err).encode()))
                    await writer.drain()
                    continue
                out = await _chat(state, body)
                if out is None:
                    writer.transport.abort()
                    return
                writer.write(out)
            else:
                writer.write(_response(404, b'{"error": {"message": "not found"}}'))
            await writer.drain()
    except ConnectionError:
        return
    finally:
        writer.close()


async def serve(state: FakeState, host: str, port: int, ready: Any = None) -> None:
    server = await asyncio.start_server(lambda r, w: _handle(state, r, w), host, port, backlog=1024)
    bound = server.sockets[0].getsockname()[1]
    if ready is not None:
        ready(bound)
    async with server:
        await server.serve_forever()


def start_in_thread(host: str = "127.0.0.1", port: int = 0, **settings: Any) -> tuple[str, FakeState, Any]:
    """Run a fake server in a daemon thread: (base_url, state, stop); ``port`` 0 picks a free one."""
    state = FakeState(**settings)
    loop = asyncio.new_event_loop()
    port_box: list[int] = []
    started = threading.Event()

    def ready(port: int) -> None:
        port_box.append(port)
        started.set()

    task_box: list[asyncio.Task] = []

    def run() -> None:
        asyncio.set_event_loop(loop)
        task_box.append(loop.create_task(serve(state, host, port, ready)))
        with contextlib.suppress(asyncio.CancelledError):
            loop.run_until_complete(task_box[0])
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for t in pending:  # open connections: end their handlers before the loop closes
            t.cancel()
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    if not started.wait(10):
        raise RuntimeError("fake server did not start")

    def stop() -> None:
        loop.call_soon_threadsafe(task_box[0].cancel)
        thread.join(5)

    return f"http://{host}:{port_box[0]}/v1", state, stop


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", nargs="?", default="fake-model")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--name", default=os.environ.get("CUDA_VISIBLE_DEVICES", "fake"))
    parser.add_argument("--startup-delay", type=float, default=0.0, help="seconds before listening")
    parser.add_argument("--never-healthy", action="store_true", help="never open the port")
    args, _unknown = parser.parse_known_args(argv)  # tolerate vllm-style flags
    if args.never_healthy:
        while True:
            time.sleep(60)
    time.sleep(args.startup_delay)
    state = FakeState(model=args.model, name=args.name, latency_s=args.latency_ms / 1000)

    def ready(port: int) -> None:
        print(f"LISTENING {port}", flush=True)

    try:
        asyncio.run(serve(state, args.host, args.port, ready))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
