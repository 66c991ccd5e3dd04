"""Composed pose retrieval speed: evaluation from cached features, feature extraction, training steps/s.

python benchmarks/bench_cpr.py [--queries 10000] [--gallery 10000] [--dim 512] [--threads 1]

1. Evaluation of Q queries against a G-image gallery from cached features (R@1/5/10/50 with the
   reference removed, Rs@1/3/5 over groups of 6), on one core; against the floor measured in the
   same run: a bare torch matrix product + top-50 over the same features. Goal: < 2 s.
2. Image feature extraction on the tiny CLIP, batched (64) against one image per call.
3. Training steps/s of both stages on the tiny CLIP (pose demo pairs, batch 8).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import torch
import torch.nn.functional as F

from hoiscribe.pose.cpr.backbone import load_image
from hoiscribe.pose.cpr.model import load_retrieval
from hoiscribe.pose.cpr.recall import Queries, recall_table, target_ranks
from hoiscribe.pose.cpr.setups import build_config
from hoiscribe.pose.cpr.train import train
from hoiscribe.pose.demo import write_pose_demo
from hoiscribe.testing.tiny_clip import make_tiny_clip


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def bench_eval(n_query: int, n_gallery: int, dim: int) -> None:
    g = torch.Generator().manual_seed(0)
    gallery = F.normalize(torch.randn(n_gallery, dim, generator=g), dim=-1)
    target = torch.randint(0, n_gallery, (n_query,), generator=g)
    reference = torch.randint(0, n_gallery, (n_query,), generator=g)
    query = F.normalize(gallery[target] + 0.9 * torch.randn(n_query, dim, generator=g), dim=-1)
    members = torch.cat([target[:, None], torch.randint(0, n_gallery, (n_query, 5), generator=g)], dim=1)
    q = Queries(target, reference, members)

    def ours() -> None:
        recall_table(*target_ranks(query, gallery, q))

    def floor() -> None:
        gt = gallery.T.contiguous()
        for s in range(0, n_query, 1024):
            (query[s : s + 1024] @ gt).topk(50, dim=1)

    t_ours, t_floor = best_of(ours), best_of(floor)
    table = recall_table(*target_ranks(query, gallery, q))
    threads = torch.get_num_threads()
    print(f"eval {n_query} queries x {n_gallery} gallery, dim {dim}, {threads} thread(s): {t_ours:.3f} s "
          f"(goal < 2 s); floor matmul+top-50 {t_floor:.3f} s; ratio {t_ours / t_floor:.2f}x")  # fmt: skip
    print(f"  R@1 {table['R@1']:.1f}  R@50 {table['R@50']:.1f}  Rs@1 {table['Rs@1']:.1f}")


def bench_features(clip: Path, root: Path) -> None:
    model = load_retrieval(str(clip))
    images = [load_image(p, False, True) for p in sorted((root / "images").glob("*.jpg"))][:64]
    t_batch = best_of(lambda: model.backbone.encode_images(images))
    t_single = best_of(lambda: [model.backbone.encode_images([im]) for im in images])
    print(f"features ({len(images)} images, tiny CLIP): batched {len(images) / t_batch:.0f} img/s, "
          f"one by one {len(images) / t_single:.0f} img/s; batched is {t_single / t_batch:.1f}x faster")  # fmt: skip


def bench_steps(clip: Path, root: Path, work: Path, steps: int) -> None:
    stage1 = work / "stage1"
    for stage, model, out in (("clip", str(clip), stage1), ("combiner", str(stage1), work / "stage2")):
        over = {"max_steps": steps, "batch_size": 8, "progress": False, "device": "cpu", "log_every": steps,
                "checkpoint_every": 10 * steps, "projection_dim": 256, "hidden_dim": 512}  # fmt: skip
        cfg = build_config(stage, "human-1", model, str(root), over)
        train(cfg, out)
        row = json.loads((out / "metrics.jsonl").read_text().splitlines()[-1])
        print(f"train stage {stage} (tiny CLIP, batch 8): {steps / row['elapsed_s']:.1f} steps/s "
              f"(loop only; features cached)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--gallery", type=int, default=10_000)
    parser.add_argument("--dim", type=int, default=512)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--steps", type=int, default=100)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    bench_eval(args.queries, args.gallery, args.dim)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        clip = make_tiny_clip(work / "clip")
        root = write_pose_demo(work / "data")
        bench_features(clip, root)
        bench_steps(clip, root, work, args.steps)


if __name__ == "__main__":
    main()
