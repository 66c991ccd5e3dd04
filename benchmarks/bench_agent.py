"""Agent rollouts/s at concurrency 16 with a scripted policy, against the tools' own time in the same run.

python benchmarks/bench_agent.py [--rollouts 64] [--concurrency 16] [--detector owlv2|detr|rt_detr|oracle]

Each rollout calls detect_humans, detect_objects (a tiny random model from make-tiny-model,
batched across rollouts), spatial_relation, then answers. The floor is the same three tool
calls per sample made straight on a tool box at the same concurrency (no policy, no prompt,
no parsing, no chain): the agent layer's cost is the agent's wall time over that floor's,
alternated and repeated. Goal: < 5 %. Also prints each tool's latency on the tiny models (one
call, median of repeats).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from PIL import Image

from hoiscribe.agent.policies import ScriptedEngine
from hoiscribe.agent.toolcalls import qwen_call_text
from hoiscribe.catalog import make_engine
from hoiscribe.engines.base import ImagePart, Message, Request
from hoiscribe.tools.base import ToolContext

W, H = 320, 240
SCRIPT = [
    "<think>find</think>" + qwen_call_text("detect_humans", {})
    + qwen_call_text("detect_objects", {"categories": ["cup", "bicycle"]}),
    "<think>relate</think>"
    + qwen_call_text("spatial_relation", {"human": [10, 10, 120, 230], "object": [100, 120, 200, 220]}),
    '<think>done</think><answer>{"hois": []}</answer>',
]  # fmt: skip


def tool_latency(models: dict[str, Path], repeat: int = 5) -> None:
    from hoiscribe.agent.toolbox import build_toolbox

    image = Image.new("RGB", (W, H), (100, 120, 90))
    for fam in ("owlv2", "detr", "rt_detr", "grounding_dino"):
        box = build_toolbox({"detector": {"kind": "hf", "model": str(models[fam]), "threshold": 0.0},
                             "pose": {"kind": "hf", "model": str(models["vitpose"])}})  # fmt: skip
        calls = {"detect_objects": {"categories": ["cup", "bicycle"]}, "estimate_pose": {"human": [10, 10, 120, 230]}}
        for name, args in calls.items():
            if name == "estimate_pose" and fam != "owlv2":
                continue
            ts = []
            for _ in range(repeat):
                ctx = ToolContext((W, H), image=image)
                t0 = time.perf_counter()
                res, kind = box.call(name, args, ctx)
                ts.append(time.perf_counter() - t0)
                assert kind is None, res.error
            label = "vitpose" if name == "estimate_pose" else fam
            print(f"tool latency {name:15s} {label:15s} {statistics.median(ts) * 1000:7.1f} ms (tiny model, {W}x{H})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rollouts", type=int, default=64)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--detector", default="owlv2")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    from hoiscribe.testing.tiny import make_tiny_model

    root = Path(tempfile.mkdtemp(prefix="bench-agent-"))
    models = {f: make_tiny_model(f, root / f) for f in ("owlv2", "detr", "rt_detr", "vitpose", "grounding_dino")}
    tool_latency(models)
    hf = {"kind": "hf", "model": str(models.get(args.detector, "")), "threshold": 0.0, "max_batch": args.concurrency}
    detector = "oracle" if args.detector == "oracle" else hf
    pose = {"kind": "hf", "model": str(models["vitpose"])}
    agent = make_engine("agent", inner=ScriptedEngine(script=SCRIPT), share_identical=False,
                        tools={"detector": detector, "pose": pose})  # fmt: skip
    images = [Image.new("RGB", (W, H), (i % 255, 90, 60)) for i in range(args.rollouts)]
    reqs = [Request("hoi_reason", [Message("user", (ImagePart(image=im), "find the HOIs"))],
                    facts={"image_size": [W, H]}, request_id=f"s{i}") for i, im in enumerate(images)]  # fmt: skip

    async def run() -> list:
        sem = asyncio.Semaphore(args.concurrency)

        async def one(r: Request):
            async with sem:
                return (await agent.agenerate([r]))[0]

        return list(await asyncio.gather(*(one(r) for r in reqs)))

    from hoiscribe.agent.toolbox import build_toolbox

    box = build_toolbox({"detector": detector, "pose": pose})
    calls = [("detect_humans", {}), ("detect_objects", {"categories": ["cup", "bicycle"]}),
             ("spatial_relation", {"human": [10, 10, 120, 230], "object": [100, 120, 200, 220]})]  # fmt: skip

    async def floor() -> None:
        sem = asyncio.Semaphore(args.concurrency)

        async def one(im: Image.Image) -> None:
            async with sem:
                ctx = ToolContext((W, H), image=im)
                for name, arguments in calls:
                    _, kind = await box.acall(name, arguments, ctx)
                    assert kind is None, name

        await asyncio.gather(*(one(im) for im in images))

    asyncio.run(run())  # warm up (model caches, thread pool)
    asyncio.run(floor())
    walls: dict[str, list[float]] = {"agent": [], "tools": []}
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        comps = asyncio.run(run())
        walls["agent"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        asyncio.run(floor())
        walls["tools"].append(time.perf_counter() - t0)
    assert all(c.meta["agent"]["status"] == "answered" for c in comps)
    agent_s, tools_s = statistics.median(walls["agent"]), statistics.median(walls["tools"])
    overhead = agent_s / tools_s - 1
    print(f"agent: {args.rollouts} rollouts at concurrency {args.concurrency} ({args.detector} detector, vitpose) "
          f"in {agent_s:.2f} s = {args.rollouts / agent_s:.1f} rollouts/s (median of {args.repeats})")  # fmt: skip
    print(f"same tool calls straight on the tool box: {tools_s:.2f} s; agent / tools = {agent_s / tools_s:.3f}x, "
          f"agent layer adds {overhead:+.1%} -> {'OK' if overhead < 0.05 else 'OVER'} (goal < 5%)")  # fmt: skip
    batches = agent.toolbox.tools["detect_objects"].detector
    sizes = getattr(batches, "_batcher", None)
    if sizes is not None:
        print(f"detector batch sizes: mean {statistics.mean(sizes.batch_sizes):.1f}, max {max(sizes.batch_sizes)}")


if __name__ == "__main__":
    main()
