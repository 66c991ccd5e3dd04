"""transformers engine on a tiny model on CPU: batch-8 throughput against one at a time,
measured in the same run on the same requests.

    .venv/bin/python benchmarks/bench_engines_transformers.py [--family qwen2_vl] [--requests 32]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

import numpy as np
import torch
from PIL import Image

from hoiscribe.engines.base import Completion, ImagePart, Message, Request, Sampling
from hoiscribe.engines.batching import with_micro_batching
from hoiscribe.engines.transformers import TransformersEngine
from hoiscribe.testing.tiny import make_tiny_model


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--family", default="qwen2_vl")
    parser.add_argument("--requests", type=int, default=32)
    parser.add_argument("--max-tokens", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(0)
    requests = [
        Request(
            "bench",
            [
                Message(
                    "user",
                    (
                        ImagePart(image=Image.fromarray(rng.integers(0, 255, (96, 128, 3), dtype=np.uint8))),
                        "describe the person " + "in detail " * (i % 4),
                    ),
                )
            ],
            Sampling(max_tokens=args.max_tokens),
        )
        for i in range(args.requests)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        path = make_tiny_model(args.family, Path(tmp) / args.family)
        batched = TransformersEngine(str(path), batch_size=8)
        single = TransformersEngine(str(path), batch_size=1)
        batched.generate(requests[:8])  # warm up
        single.generate(requests[:1])
        t0 = time.perf_counter()
        out_single = single.generate(requests)
        t_single = time.perf_counter() - t0
        t0 = time.perf_counter()
        out_batched = batched.generate(requests)
        t_batched = time.perf_counter() - t0
        # agent rollouts and workflows: many concurrent one-request calls, gathered by the micro-batcher
        gathered = with_micro_batching(batched, max_batch=8)

        async def concurrent() -> list[list[Completion]]:
            return await asyncio.gather(*(gathered.agenerate([r]) for r in requests))

        t0 = time.perf_counter()
        out_gathered = [c for batch in asyncio.run(concurrent()) for c in batch]
        t_gathered = time.perf_counter() - t0
    same = sum(a.text == b.text for a, b in zip(out_single, out_batched, strict=True))
    print(f"model               tiny {args.family}, CPU, {args.threads} torch thread(s)")
    print(f"requests            {len(requests)}, {args.max_tokens} new tokens each, greedy")
    print(f"one at a time       {len(requests) / t_single:.1f} req/s")
    print(f"batch of 8          {len(requests) / t_batched:.1f} req/s")
    print(f"batch-8 / single    {t_single / t_batched:.2f}x")
    print(f"identical outputs   {same}/{len(requests)}")
    same_gathered = sum(a.text == b.text for a, b in zip(out_single, out_gathered, strict=True))
    print(
        f"concurrent singles  {len(requests) / t_gathered:.1f} req/s through the micro-batcher "
        f"({t_single / t_gathered:.2f}x one at a time; batches {gathered.batch_sizes}; identical {same_gathered})"
    )


if __name__ == "__main__":
    main()
