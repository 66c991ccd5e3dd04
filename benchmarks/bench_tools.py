"""Spatial relations for 10,000 human-object pairs (target: under 1 s), plus tool-call overhead.

python benchmarks/bench_tools.py [--pairs 10000]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from hoiscribe.geometry.relations import spatial_relations


def synthetic_pairs(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Random human/object boxes in a 640x480 image and COCO-17 keypoints inside the human box."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 400, size=(n, 2))
    wh = rng.uniform(40, 240, size=(n, 2))
    humans = np.concatenate([xy, np.minimum(xy + wh, [640, 480])], axis=1)
    oxy = rng.uniform(0, 560, size=(n, 2)) * [1, 0.75]
    objects = np.concatenate([oxy, np.minimum(oxy + rng.uniform(10, 120, size=(n, 2)), [640, 480])], axis=1)
    u = rng.uniform(0, 1, size=(n, 17, 2))
    kx = humans[:, None, 0] + u[..., 0] * (humans[:, None, 2] - humans[:, None, 0])
    ky = humans[:, None, 1] + u[..., 1] * (humans[:, None, 3] - humans[:, None, 1])
    vis = (rng.uniform(size=(n, 17)) > 0.2) * 2.0
    return humans, objects, np.stack([kx, ky, vis], axis=2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    humans, objects, kps = synthetic_pairs(args.pairs)
    spatial_relations(humans[:10], objects[:10], (640, 480), kps[:10])  # warm up
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        rel = spatial_relations(humans, objects, (640, 480), kps)
        times.append(time.perf_counter() - t0)
    best, median = min(times), float(np.median(times))
    print(
        f"spatial_relations: {args.pairs:,} pairs with keypoints in {median * 1000:.1f} ms median "
        f"(best {best * 1000:.1f} ms, {args.pairs / median:,.0f} pairs/s); contact in {rel.contact.mean():.0%}"
    )
    t0 = time.perf_counter()
    recs = [rel.record(i) for i in range(min(1000, len(rel)))]
    per = (time.perf_counter() - t0) / len(recs)
    print(f"record(i) per pair (tool rendering path): {per * 1e6:.1f} us")
    status = "OK" if median < 1.0 else "TOO SLOW"
    print(f"target: {args.pairs:,} pairs under 1 s -> {status}")


if __name__ == "__main__":
    main()
