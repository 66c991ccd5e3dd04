"""OpenAI engine throughput against the local fake server with fixed latency.

With 100 ms server latency and 64 requests in flight the ideal is 640 requests/s; the
figure printed is the share of that ideal reached, plus client CPU time per request
(this process only: the server runs in its own process).

    .venv/bin/python benchmarks/bench_engines_openai.py [--requests 3000] [--latency-ms 100]
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

from hoiscribe.engines.base import Message, Request, Sampling
from hoiscribe.engines.openai import OpenAIEngine

FAKE = Path(__file__).resolve().parents[1] / "tests" / "engines" / "fake_openai_server.py"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--latency-ms", type=float, default=100.0)
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    server = subprocess.Popen(
        [sys.executable, str(FAKE), "bench-model", "--port", "0", "--latency-ms", str(args.latency_ms)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        port = int(server.stdout.readline().split()[1])
        engine = OpenAIEngine("bench-model", base_url=f"http://127.0.0.1:{port}/v1", concurrency=args.concurrency)
        requests = [
            Request("bench", [Message.text("user", f"describe sample {i}")], Sampling(max_tokens=32))
            for i in range(args.requests)
        ]
        engine.generate(requests[: args.concurrency * 2])  # warm up: connections, threads
        cpu0, wall0 = time.process_time(), time.perf_counter()
        out = engine.generate(requests)
        wall = time.perf_counter() - wall0
        cpu = time.process_time() - cpu0
        engine.close()
    finally:
        server.terminate()
        _, _, usage = os.wait4(server.pid, 0)
    server_cpu = usage.ru_utime + usage.ru_stime  # includes the warm-up requests
    failed = sum(1 for c in out if c.error)
    ideal = args.concurrency / (args.latency_ms / 1000)
    rate = len(out) / wall
    print(f"requests            {len(out)} ({failed} failed)")
    print(f"concurrency         {args.concurrency}, server latency {args.latency_ms:g} ms")
    print(f"throughput          {rate:.1f} req/s (ideal {ideal:.0f} req/s)")
    print(f"share of ideal      {100 * rate / ideal:.1f}%")
    print(f"client CPU/request  {1000 * cpu / len(out):.3f} ms")
    print(f"server CPU/request  {1000 * server_cpu / (len(out) + 2 * args.concurrency):.3f} ms (fake server)")


if __name__ == "__main__":
    main()
