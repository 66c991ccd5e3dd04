"""Issue 16 speed: tiny Grounding DINO train steps/s and predict images/s, and whether the data
loader keeps up (samples/s on synthetic Real-Data, as a ratio to the train step rate; goal >= 10x).

    python benchmarks/bench_lod.py [--steps 20] [--lines 400] [--workers 2] [--batch-size 4]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import orjson
from PIL import Image


def synthetic_realdata(root: Path, lines: int, seed: int = 0) -> Path:
    """``lines`` Real-Data lines over 8 drawn 640x480 images, 3-6 pairs each, 2-8 negatives a pair."""
    rng = random.Random(seed)
    (root / "img").mkdir(parents=True, exist_ok=True)
    for i in range(8):
        Image.new("RGB", (640, 480), (rng.randrange(256), rng.randrange(256), 90)).save(root / "img" / f"{i}.jpg")
    words = [
        "red",
        "blue",
        "green",
        "cup",
        "ball",
        "book",
        "chair",
        "kite",
        "left",
        "right",
        "middle",
        "largest",
        "smallest",
        "second",
        "third",
    ]
    out = []
    for n in range(lines):
        pairs = {}
        for k in range(rng.randint(3, 6)):
            x, y = rng.uniform(0, 500), rng.uniform(0, 350)
            phrase = lambda: "the " + " ".join(rng.choices(words, k=rng.randint(2, 6)))  # noqa: E731
            pairs[f"{rng.choice(['vlm_short', 'vlm_long', 'llm'])}/{k}"] = {
                "bboxes": [[x, y, x + rng.uniform(20, 140), y + rng.uniform(20, 130)]], "category": "cup",
                "relation": "single", "positive_expressions": [phrase() for _ in range(rng.randint(1, 3))],
                "negative_expressions": [phrase() for _ in range(rng.randint(2, 8))]}  # fmt: skip
        out.append({"filename": f"img/{n % 8}.jpg", "height": 480, "width": 640, "pairs": pairs})
    path = root / "synthetic.jsonl"
    path.write_bytes(b"".join(orjson.dumps(x) + b"\n" for x in out))
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--lines", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=4)
    args = ap.parse_args()
    import torch
    from torch.utils.data import DataLoader

    from hoiscribe.expressions.lod.dataset import EpochSampler, RealDataset, collate
    from hoiscribe.expressions.lod.demo import realdata_to_dcube, write_demo_realdata
    from hoiscribe.expressions.lod.predict import predict, read_queries
    from hoiscribe.expressions.lod.realdata_io import read_realdata
    from hoiscribe.expressions.lod.sampling import SamplingOptions
    from hoiscribe.expressions.lod.trainer import load_detector
    from hoiscribe.testing.tiny_gdino import make_tiny_gdino

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        model_dir = make_tiny_gdino("grounding_dino", tmp / "model")
        demo = tmp / "demo"
        entries, _ = read_realdata(write_demo_realdata(demo), demo)
        model, processor = load_detector(str(model_dir))
        ds = RealDataset(entries, demo, processor, SamplingOptions(), 256)
        batch = collate([ds[i] for i in range(args.batch_size)])
        opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
        model.train()
        for i in range(args.steps + 2):  # two warm-up steps
            if i == 2:
                t0 = time.perf_counter()
            loss = model(**batch).loss
            opt.zero_grad()
            loss.backward()
            opt.step()
        steps_per_s = args.steps / (time.perf_counter() - t0)
        print(f"train: {steps_per_s:.2f} steps/s ({steps_per_s * args.batch_size:.1f} samples/s, "
              f"batch {args.batch_size}, tiny grounding_dino, CPU {torch.get_num_threads()} threads)")  # fmt: skip

        queries = read_queries(realdata_to_dcube(entries, tmp / "dcube")["full"])
        t0 = time.perf_counter()
        predict(str(model_dir), queries, demo, threshold=0.0, batch_size=16)
        dt = time.perf_counter() - t0
        n_expr = sum(len(q.items) for q in queries)
        print(f"predict: {len(queries) / dt:.2f} images/s ({n_expr / dt:.1f} expressions/s, one forward each)")

        data = synthetic_realdata(tmp / "synth", args.lines)
        synth, _ = read_realdata(data, data.parent)
        sds = RealDataset(synth, data.parent, processor, SamplingOptions(global_negatives=10), 256)
        loader = DataLoader(sds, batch_size=args.batch_size, sampler=EpochSampler(len(sds)), collate_fn=collate,
                            num_workers=args.workers)  # fmt: skip
        it = iter(loader)
        next(it)  # worker start-up is a one-off cost, not throughput
        t0 = time.perf_counter()
        n = sum(len(b["labels"]) for b in it)
        rate = n / (time.perf_counter() - t0)
        ratio = rate / (steps_per_s * args.batch_size)
        print(f"loader: {rate:.1f} samples/s over {n} synthetic Real-Data lines ({args.workers} workers, "
              f"steady state)")  # fmt: skip
        print(f"loader / train ratio: {ratio:.1f}x the tiny model's step rate (goal >= 10x: "
              f"{'met' if ratio >= 10 else 'NOT met'})")  # fmt: skip


if __name__ == "__main__":
    main()
