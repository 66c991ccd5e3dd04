"""Issue 18: the Ray executor on 2 local CPUs, 1 worker against 2, against the local executor.

The same 3-stage grounded pipeline (20,000 pairs by default) runs through the CLI as a fresh
process each time: locally, then on Ray with one and with two workers (``ray.init(num_cpus=2)``).
Each is run ``--repeats`` times (interleaved; medians: the machine is shared and noisy). Reported:
wall time; the time inside the stages (``runtime/rank0.json``, no ``ray.init`` or shutdown); and
the peak memory of the whole process tree (driver, Ray's own processes and its workers; summed
RSS sampled every 0.1 s, so pages shared between processes count once per process).

    python benchmarks/bench_ray.py [--pairs 20000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
import yaml

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import write_scaled_hake


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            continue
    return total


def _run(cmd: list[str]) -> tuple[float, int]:
    """(wall seconds, peak tree RSS bytes) of one CLI run."""
    env = dict(os.environ, OMP_NUM_THREADS="1", RAY_DISABLE_IMPORT_WARNING="1")
    t0 = time.perf_counter()
    child = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    proc = psutil.Process(child.pid)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss(proc))
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = child.communicate()
    done.set()
    sampler.join()
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err.decode()[-2000:]}")
    return time.perf_counter() - t0, peak[0]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=20_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--samples-per-unit", type=int, default=512)
    args = ap.parse_args()
    variants = {"local": {}, "ray, 1 worker": {"num_workers": 1}, "ray, 2 workers": {"num_workers": 2}}
    results: dict[str, list[tuple[float, int, float]]] = {k: [] for k in variants}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "hico"
        n = write_scaled_hake(root, args.pairs)
        for _ in range(args.repeats):
            for name, ray in variants.items():
                out = Path(tmp) / "run"
                shutil.rmtree(out, ignore_errors=True)
                cfg = {
                    "dataset": "hico", "data_root": str(root), "out": str(out), "progress": False,
                    "samples_per_unit": args.samples_per_unit,
                    "stages": [{"name": "describe", "task": "describe"}, {"name": "refine", "task": "refine"},
                               {"name": "examine", "task": "examine", "input": "describe"}],
                }  # fmt: skip
                if ray:
                    cfg.update(executor="ray", ray=dict(ray, init={"num_cpus": 2}))
                path = Path(tmp) / "cfg.yaml"
                path.write_text(yaml.safe_dump(cfg))
                wall, peak = _run([sys.executable, "-m", "hoiscribe.cli", "pipeline", str(path)])
                runtime = json.loads((out / "runtime" / "rank0.json").read_text())
                in_stages = sum(s["seconds"] for s in runtime["stages"].values())
                assert len(json.loads((out / "merged.json").read_bytes())) == n
                results[name].append((wall, peak, in_stages))
    print(f"ray: 3-stage grounded pipeline, {n} pairs, 2 local CPUs, median of {args.repeats} (shared machine)")
    base = statistics.median(w for w, _, _ in results["local"])
    one = statistics.median(w for w, _, _ in results["ray, 1 worker"])
    for name, runs in results.items():
        wall = statistics.median(w for w, _, _ in runs)
        stages = statistics.median(s for _, _, s in runs)
        peak = statistics.median(p for _, p, _ in runs)
        print(f"  {name:15s} wall {wall:6.2f} s ({wall / base:.2f}x local), in stages {stages:6.2f} s, "
              f"peak tree RSS {peak / 2**20:7.1f} MiB")  # fmt: skip
    two = statistics.median(w for w, _, _ in results["ray, 2 workers"])
    s1 = statistics.median(s for _, _, s in results["ray, 1 worker"])
    s2 = statistics.median(s for _, _, s in results["ray, 2 workers"])
    print(f"  2 workers / 1 worker: {two / one:.2f}x wall, {s2 / s1:.2f}x in stages (below 1: two beat one)")


if __name__ == "__main__":
    main()
