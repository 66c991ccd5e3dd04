"""Issue 2 speed: read a full-size HAKE train file (117,654 pairs) and write a grounded
description for every pair, end to end through the CLI (JSON write included), on one core.

    python benchmarks/bench_annotate.py [--pairs 117654]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import write_scaled_hake


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=117_654)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "hico"
        n = write_scaled_hake(root, args.pairs)
        out = Path(tmp) / "run"
        cmd = [sys.executable, "-m", "hoiscribe.cli", "annotate", "--dataset", "hico",
               "--data-root", str(root), "--engine", "grounded", "--out", str(out),
               "--set", "progress=false", "--set", "samples_per_unit=4096"]  # fmt: skip
        env = dict(os.environ, OMP_NUM_THREADS="1")
        t0 = time.perf_counter()
        subprocess.run(["taskset", "-c", "0", *cmd], check=True, env=env, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - t0
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = usage.ru_utime + usage.ru_stime
        records = json.loads((out / "merged.json").read_text())
        assert len(records) == n, (len(records), n)
    print(
        f"annotate (grounded, CLI end to end, pinned to 1 core): {n} pairs in {seconds:.2f} s wall = "
        f"{n / seconds:,.0f} pairs/s; {cpu:.2f} CPU-s = {n / cpu:,.0f} pairs per CPU-second"
    )


if __name__ == "__main__":
    main()
