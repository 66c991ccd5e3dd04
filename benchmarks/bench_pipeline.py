"""Issue 3 speed: orchestration overhead and overlap of image decoding with generation.

1. Orchestration: the full 3-stage pipeline with the grounded engine on 50,000 synthetic
   pairs, pinned to one core; samples/s per stage, output writing included.
2. Overlap: a describe stage on an engine that sleeps 20 ms per request at concurrency 32,
   with real JPEG decoding + resizing in the worker pool. Throughput is compared with the
   lower of two ceilings measured in the same run: the engine's ideal rate (32 / 20 ms) and
   the rate at which the worker pool alone decodes and resizes the same images.

    python benchmarks/bench_pipeline.py [--pairs 50000] [--overlap-samples 1500]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).parent))
from hoiscribe.datasets.hico import read_hico
from hoiscribe.engines.base import ImagePart
from hoiscribe.engines.images import prepare_image
from hoiscribe.run.config import load_config
from hoiscribe.run.pipeline import run_pipeline
from synthetic import write_scaled_hake


def orchestration(tmp: Path, pairs: int) -> None:
    root = tmp / "hico"
    n = write_scaled_hake(root, pairs)
    cfg = load_config(
        None,
        [],
        {
            "dataset": "hico",
            "data_root": str(root),
            "out": str(tmp / "run"),
            "progress": False,
            "samples_per_unit": 2048,
            "stages": [
                {"name": "describe", "task": "describe"},
                {"name": "refine", "task": "refine"},
                {"name": "examine", "task": "examine", "input": "describe"},
            ],
        },
    )
    t0 = time.perf_counter()
    report = run_pipeline(cfg)
    total = time.perf_counter() - t0
    print(f"orchestration: 3-stage grounded pipeline, {n} pairs, 1 core, total {total:.1f} s (read + merge included)")
    for s in report.stages:
        done = s.counts["ok"] + s.counts["dropped"] + s.counts["failed"]
        print(f"  {s.name:9s} {done} rows in {s.seconds:.2f} s = {done / s.seconds:,.0f} samples/s")


def _images(root: Path, names: list[str]) -> None:
    rng = np.random.default_rng(0)
    img_dir = root / "Images" / "images" / "train2015"
    base = rng.integers(0, 255, size=(480, 640, 3), dtype=np.uint8)
    for i, name in enumerate(names):
        arr = np.roll(base, i * 7, axis=1)
        Image.fromarray(arr).save(img_dir / name, quality=90)


def overlap(tmp: Path, samples: int, workers: int, max_pixels: int) -> None:
    root = tmp / "overlap"
    write_scaled_hake(root, samples)
    read = read_hico(root)
    names = sorted({s.file_name for s in read.samples})
    _images(root, names)
    paths = [s.image_path for s in read.samples]

    with ThreadPoolExecutor(workers) as pool:
        t0 = time.perf_counter()
        list(pool.map(lambda p: prepare_image(ImagePart(path=p), max_pixels), paths))
        pool_rate = len(paths) / (time.perf_counter() - t0)
    ideal = 32 / 0.020

    cfg = load_config(
        None,
        [],
        {
            "dataset": "hico",
            "data_root": str(root),
            "out": str(tmp / "overlap-run"),
            "progress": False,
            "image_workers": workers,
            "samples_per_unit": 4096,
            "stages": [
                {
                    "name": "describe",
                    "task": "describe",
                    "engine": {"name": "hoiscribe.testing.fakes:SleepEngine", "options": {"delay_s": 0.020}},
                    "concurrency": 32,
                    "max_pixels": max_pixels,
                    "cache": False,
                    "grounding": False,  # measure decode/generation overlap, not the checker
                }
            ],
        },
    )
    report = run_pipeline(cfg, merge=False)
    stage = report.stages[0]
    rate = stage.counts["ok"] / stage.seconds
    ceiling = min(ideal, pool_rate)
    print(
        f"overlap: {stage.counts['ok']} samples, 640x480 JPEGs resized to <= {max_pixels} px, {workers} decode workers"
    )
    print(f"  engine ideal {ideal:,.0f}/s; decode pool alone {pool_rate:,.0f}/s; pipeline {rate:,.0f}/s")
    print(f"  = {rate / ceiling:.0%} of the lower ceiling ({ceiling:,.0f}/s)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=50_000)
    ap.add_argument("--overlap-samples", type=int, default=1500)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--max-pixels", type=int, default=150_000)
    ap.add_argument("--skip-orchestration", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_orchestration:
            os.sched_setaffinity(0, {0})
            orchestration(Path(tmp), args.pairs)
            os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))
        overlap(Path(tmp), args.overlap_samples, args.workers, args.max_pixels)


if __name__ == "__main__":
    main()
