"""OpenAI engine against the local fake server, beside a bare aiohttp client in the same run.

The fake server (tests/engines/fake_openai_server.py) answers after a fixed latency; with
100 ms and 64 requests in flight the ideal is 640 requests/s. Server and client are pinned to
separate cores (when the machine has two), and each configuration runs ``--repeats`` times,
alternating the engine and its peers, so noise on a shared machine hits both alike; the
figures are medians. Printed per concurrency: share of the ideal, the engine's figure as a
ratio of the bare aiohttp client's, and client CPU per request (this process only). Start-up
is measured in a fresh interpreter: importing the engine and its transport, then building the
engine and serving one request (less the server's latency).

    python benchmarks/bench_engines_openai.py [--requests 2000] [--latency-ms 100]
        [--concurrency 64 256] [--repeats 3] [--peers aiohttp httpx openai]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import orjson

FAKE = Path(__file__).resolve().parents[1] / "tests" / "engines" / "fake_openai_server.py"
STARTUP = """
import time, sys
t0 = time.perf_counter()
from hoiscribe.engines.base import Message, Request
from hoiscribe.engines.openai import OpenAIEngine
import aiohttp
t1 = time.perf_counter()
engine = OpenAIEngine("bench-model", base_urls=sys.argv[1].split(","), concurrency=256)
out = engine.generate([Request("bench", [Message.text("user", "hello")])])
t2 = time.perf_counter()
assert out[0].error is None, out[0].error
print(t1 - t0, t2 - t1)
"""


def _body(i: int) -> bytes:
    text = f"describe sample {i}"
    return orjson.dumps({"model": "bench-model", "messages": [{"role": "user", "content": text}], "max_tokens": 32})


async def _aiohttp_peer(url: str, n: int, concurrency: int) -> int:
    """The floor: one aiohttp session, a semaphore, nothing else."""
    import aiohttp

    failed = 0
    sem = asyncio.Semaphore(concurrency)
    headers = {"Content-Type": "application/json"}
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as session:

        async def one(i: int) -> None:
            nonlocal failed
            async with sem, session.post(url, data=_body(i), headers=headers) as response:
                data = orjson.loads(await response.read())
                failed += response.status != 200 or not data["choices"][0]["message"]["content"]

        await asyncio.gather(*(one(i) for i in range(n)))
    return failed


async def _httpx_peer(url: str, n: int, concurrency: int) -> int:
    """httpx with its HTTP/1.1 pool sized to the concurrency."""
    import httpx

    failed = 0
    sem = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=120) as client:

        async def one(i: int) -> None:
            nonlocal failed
            async with sem:
                response = await client.post(url, content=_body(i), headers={"Content-Type": "application/json"})
                failed += response.status_code != 200 or not orjson.loads(response.content)["choices"]

        await asyncio.gather(*(one(i) for i in range(n)))
    return failed


async def _openai_peer(url: str, n: int, concurrency: int) -> int:
    """The openai SDK (httpx underneath), retries off."""
    import httpx
    import openai

    failed = 0
    sem = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    base = url.removesuffix("/chat/completions")
    client = openai.AsyncOpenAI(base_url=base, api_key="x", max_retries=0, http_client=httpx.AsyncClient(limits=limits))

    async def one(i: int) -> None:
        nonlocal failed
        async with sem:
            out = await client.chat.completions.create(
                model="bench-model", messages=[{"role": "user", "content": f"describe sample {i}"}], max_tokens=32
            )
            failed += not out.choices[0].message.content

    await asyncio.gather(*(one(i) for i in range(n)))
    await client.close()
    return failed


PEERS: dict[str, Callable] = {"aiohttp": _aiohttp_peer, "httpx": _httpx_peer, "openai": _openai_peer}


def _timed(fn: Callable[[], int]) -> tuple[float, float, int]:
    """(wall s, process CPU s, failures) of one run."""
    cpu0, wall0 = time.process_time(), time.perf_counter()
    failed = fn()
    return time.perf_counter() - wall0, time.process_time() - cpu0, failed


def _start_server(latency_ms: float, core: int | None) -> tuple[subprocess.Popen, str]:
    pin = (lambda: os.sched_setaffinity(0, {core})) if core is not None else None
    server = subprocess.Popen(
        [sys.executable, str(FAKE), "bench-model", "--port", "0", "--latency-ms", str(latency_ms)],
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=pin,
    )
    assert server.stdout is not None
    port = int(server.stdout.readline().split()[1])
    return server, f"http://127.0.0.1:{port}/v1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--latency-ms", type=float, default=100.0)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[64, 256])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--peers", nargs="+", default=["aiohttp"], choices=sorted(PEERS))
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    cores = sorted(os.sched_getaffinity(0))
    server_core, client_core = (cores[-1], cores[0]) if len(cores) > 1 else (None, None)
    server, base = _start_server(args.latency_ms, server_core)
    if client_core is not None:
        os.sched_setaffinity(0, {client_core})
    try:
        from hoiscribe.engines.base import Message, Request, Sampling
        from hoiscribe.engines.openai import OpenAIEngine

        starts = [subprocess.run([sys.executable, "-c", STARTUP, base], capture_output=True, text=True, check=True)
                  for _ in range(args.repeats)]  # fmt: skip
        imports, firsts = zip(*([float(x) for x in s.stdout.split()] for s in starts), strict=True)
        url = base + "/chat/completions"
        print(f"requests {args.requests}, server latency {args.latency_ms:g} ms, repeats {args.repeats} (medians), "
              f"server on core {server_core}, client on core {client_core}")  # fmt: skip
        first_ms = 1000 * statistics.median(firsts) - args.latency_ms
        print(f"start-up: import {1000 * statistics.median(imports):.0f} ms; build + first request "
              f"{first_ms:.1f} ms beyond the server's latency")  # fmt: skip
        requests = [
            Request("bench", [Message.text("user", f"describe sample {i}")], Sampling(max_tokens=32))
            for i in range(args.requests)
        ]
        for concurrency in args.concurrency:
            ideal = concurrency / (args.latency_ms / 1000)
            engine = OpenAIEngine("bench-model", base_url=base, concurrency=concurrency)
            engine.generate(requests[: concurrency * 2])  # warm up: connections, threads
            runs: dict[str, list[tuple[float, float, int]]] = {"hoiscribe": [], **{p: [] for p in args.peers}}
            for _ in range(args.repeats):
                runs["hoiscribe"].append(
                    _timed(lambda e=engine: sum(c.error is not None for c in e.generate(requests)))
                )
                for peer in args.peers:
                    run = PEERS[peer]
                    runs[peer].append(_timed(lambda r=run, c=concurrency: asyncio.run(r(url, args.requests, c))))
            engine.close()
            share = {k: statistics.median(args.requests / w / ideal for w, _, _ in v) for k, v in runs.items()}
            print(f"concurrency {concurrency} (ideal {ideal:.0f} req/s)")
            for name, v in runs.items():
                cpu_ms = statistics.median(1000 * c / args.requests for _, c, _ in v)
                failed = sum(f for _, _, f in v)
                ratio = share[name] / share["aiohttp"] if "aiohttp" in share else float("nan")
                print(f"  {name:10s} {100 * share[name]:5.1f}% of ideal  {ratio:5.2f}x bare aiohttp  "
                      f"client CPU {cpu_ms:.3f} ms/request  failed {failed}")  # fmt: skip
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
