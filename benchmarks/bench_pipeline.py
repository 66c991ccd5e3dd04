"""Issue 3 / 18: orchestration overhead, overlap of image decoding with generation, memory, machinery.

1. Orchestration: the full 3-stage pipeline with the grounded engine on 50,000 synthetic
   pairs, pinned to one core; samples/s per stage, output writing included.
2. Overlap: a describe stage on an engine that sleeps 20 ms per request at concurrency 32,
   with real JPEG decoding + resizing in the worker pool. Throughput is compared with the
   lower of two ceilings measured in the same run: the engine's ideal rate (32 / 20 ms) and
   the rate at which the worker pool alone decodes and resizes the same images.

3. Memory (issue 18): peak RSS of the 3-stage grounded pipeline at 10k and at 235k pairs, each in a
   fresh process (``--memory``), and the bytes on disk per sample of each stage and of the spill.
4. Machinery (issue 18): per-sample cost of the describe stage (``StageReport.seconds``) against the
   same work inline: facts + describe + row + orjson dump + append (``--machinery``), each in a fresh
   process pinned to one core, interleaved; wall time, then the process's CPU time over the same spans
   (``StageReport.cpu_seconds``).

    python benchmarks/bench_pipeline.py [--pairs 50000] [--overlap-samples 1500] [--memory] [--machinery]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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


def _three_stage(root: Path, out: Path, spu: int = 2048) -> object:
    return load_config(
        None,
        [],
        {
            "dataset": "hico", "data_root": str(root), "out": str(out), "progress": False, "samples_per_unit": spu,
            "stages": [{"name": "describe", "task": "describe"}, {"name": "refine", "task": "refine"},
                       {"name": "examine", "task": "examine", "input": "describe"}],
        },
    )  # fmt: skip


def _peak_rss() -> int:
    """This process's peak RSS: VmHWM (ru_maxrss would carry the parent's peak across fork + exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def child_run(pairs: int, tmp: Path) -> None:
    """One 3-stage run in this (fresh) process on the data the parent wrote to ``tmp/hico``; prints
    its peak RSS and bytes on disk per sample."""
    root = tmp / "hico"
    n = pairs
    out = tmp / "run"
    t0 = time.perf_counter()
    run_pipeline(_three_stage(root, out))
    seconds = time.perf_counter() - t0
    peak = _peak_rss()
    per_stage = {}
    for stage_dir in sorted((out / "stages").iterdir()):
        files = list(stage_dir.rglob("*.jsonl"))
        per_stage[stage_dir.name] = {
            "rows": sum(f.stat().st_size for f in files if not f.name.startswith("records-")) / n,
            "records": sum(f.stat().st_size for f in files if f.name.startswith("records-")) / n,
        }
    runtime = json.loads((out / "runtime" / "rank0.json").read_text())
    print(json.dumps({"pairs": n, "peak": peak, "seconds": seconds, "per_stage": per_stage,
                      "spill": runtime.get("spill_bytes", 0) / n,
                      "merged": (out / "merged.json").stat().st_size / n}))  # fmt: skip


def memory(small: int, large: int, repeats: int) -> None:
    results: dict[int, list[dict]] = {small: [], large: []}
    for _ in range(repeats):
        for pairs in (small, large):
            with tempfile.TemporaryDirectory() as tmp:
                n = write_scaled_hake(Path(tmp) / "hico", pairs)  # here: the child measures the run alone
                cmd = [sys.executable, __file__, "--child-run", str(n), tmp]
                env = dict(os.environ, OMP_NUM_THREADS="1")
                done = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
                results[pairs].append(json.loads(done.stdout.strip().splitlines()[-1]))
    peak = {k: statistics.median(r["peak"] for r in v) for k, v in results.items()}
    print(f"memory: 3-stage grounded pipeline, peak RSS (median of {repeats} fresh processes, shared machine)")
    for k in (small, large):
        secs = statistics.median(r["seconds"] for r in results[k])
        print(f"  {results[k][0]['pairs']:>7} pairs: {peak[k] / 2**20:7.1f} MiB in {secs:.1f} s")
    print(f"  ratio {large // 1000}k / {small // 1000}k: {peak[large] / peak[small]:.2f}x (target <= 1.5x)")
    last = results[large][-1]
    print(f"  bytes on disk per sample: spill {last['spill']:.0f} (scratch, removed at the end), "
          f"merged.json {last['merged']:.0f}")  # fmt: skip
    for stage, b in last["per_stage"].items():
        extra = f" + seed records {b['records']:.0f}" if b["records"] else ""
        print(f"    {stage:9s} rows {b['rows']:.0f}{extra}")


MACHINERY_KINDS = ("inline", "stage", "no parts")


def machinery_child(kind: str, root: Path, tmp: Path) -> None:
    """One measurement in this (fresh) process: the describe stage (with or without the merge's parts)
    or the same work inline, on the data at ``root``; prints pairs, wall and CPU seconds of that span."""
    if kind == "inline":
        import orjson

        from hoiscribe.hoi_text.facts import sample_facts
        from hoiscribe.hoi_text.grounded import describe
        from hoiscribe.tasks.grounded import sample_rng

        samples = read_hico(root).samples
        sampling = {"temperature": 0.0, "top_p": 1.0, "max_tokens": 512, "seed": 0}
        t0, c0 = time.perf_counter(), time.process_time()
        with open(tmp / "inline.jsonl", "wb") as fh, open(tmp / "inline-records.jsonl", "wb") as rec_fh:
            for start in range(0, len(samples), 512):
                lines, records = [], []
                for s in samples[start : start + 512]:
                    facts = sample_facts(s)
                    text = describe(facts, sample_rng(0, s.sample_id))
                    row = {"sample_id": s.sample_id, "stage": "describe", "task": "describe", "status": "ok",
                           "output": text, "parse_error": None, "reason": None, "raw": text, "prompt_hash": None,
                           "engine": "grounded:rules:v2", "stage_fingerprint": "x", "sampling": dict(sampling),
                           "attempt": 1, "finish_reason": "stop", "prompt_tokens": 0,
                           "completion_tokens": len(text.split()), "timings": {}, "meta": {}, "parser_version": "1",
                           "input_digest": "0" * 32}  # fmt: skip
                    lines.append(orjson.dumps(row) + b"\n")
                    rec = s.as_record()
                    key = [rec["image_id"], rec["instance_id"], rec["file_name"], s.sample_id]
                    records.append(orjson.dumps(key) + b"\t" + orjson.dumps(rec) + b"\n")
                fh.write(b"".join(lines))
                rec_fh.write(b"".join(records))
        print(json.dumps({"pairs": len(samples), "wall": time.perf_counter() - t0, "cpu": time.process_time() - c0}))
        return
    cfg = load_config(None, [], {"dataset": "hico", "data_root": str(root), "out": str(tmp / "mach-run"),
                                 "progress": False, "samples_per_unit": 4096,
                                 "stages": [{"name": "describe", "task": "describe"}]})  # fmt: skip
    with _merge_parts(kind == "stage"):
        report = run_pipeline(cfg, merge=False).stages[0]
    shutil.rmtree(tmp / "mach-run")
    print(json.dumps({"pairs": report.counts["ok"], "wall": report.seconds, "cpu": report.cpu_seconds}))


def machinery(tmp: Path, pairs: int, repeats: int) -> None:
    """The describe stage against its own work inline, per sample, on the same samples: what the stage
    writes (a row and a seed record per sample) written by a plain loop over samples in memory. Each
    measurement is a fresh process pinned to core 0, the kinds interleaved ``repeats`` times: in one
    process, whichever ran second carried the first one's heap (the inline loop's 50k samples slowed the
    stage by about a tenth)."""
    root = tmp / "mach"
    n = write_scaled_hake(root, pairs)
    runs: dict[str, list[dict[str, float]]] = {k: [] for k in MACHINERY_KINDS}
    env = dict(os.environ, OMP_NUM_THREADS="1")
    for _ in range(repeats):  # interleaved: the machine's load moves all three alike
        for kind in MACHINERY_KINDS:
            cmd = ["taskset", "-c", "0", sys.executable, __file__, "--child-machinery", kind, str(root), str(tmp)]
            done = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
            got = json.loads(done.stdout.strip().splitlines()[-1])
            assert got["pairs"] == n, (kind, got["pairs"], n)
            runs[kind].append(got)
    wall = {k: statistics.median(r["wall"] for r in v) / n * 1e6 for k, v in runs.items()}
    cpu = {k: statistics.median(r["cpu"] for r in v) / n * 1e6 for k, v in runs.items()}
    print(f"machinery: describe stage vs the same work inline, {n} pairs, median of {repeats} fresh processes "
          "each (shared machine)")  # fmt: skip
    print(f"  inline (facts + describe + row + dump + seed record): {wall['inline']:.1f} us/sample")
    print(f"  describe stage (load unit, engine, row, append, records, merge part): {wall['stage']:.1f} us/sample")
    print(f"  same stage without the merge's parts (as in a run of several stages): {wall['no parts']:.1f} us/sample")
    print(f"  stage / inline: {wall['stage'] / wall['inline']:.2f}x, without parts "
          f"{wall['no parts'] / wall['inline']:.2f}x (target <= 1.25x)")  # fmt: skip
    # CPU time of the process over the same spans (the stage's threads included): what a loaded machine's
    # waits for the core do not inflate
    print(f"  CPU: inline {cpu['inline']:.1f}, stage {cpu['stage']:.1f} ({cpu['stage'] / cpu['inline']:.2f}x), "
          f"without parts {cpu['no parts']:.1f} ({cpu['no parts'] / cpu['inline']:.2f}x) us/sample")  # fmt: skip
    print("  all runs, CPU us/sample: " + "; ".join(
        f"{k} {[round(r['cpu'] / n * 1e6, 1) for r in v]}" for k, v in runs.items()))  # fmt: skip


@contextmanager
def _merge_parts(on: bool) -> Iterator[None]:
    """A one-stage run's stage writes the merge's parts (``run.parts``); ``on=False`` runs it as a stage of a
    several-stage run does, without them: what the parts cost the stage (they save the merge more)."""
    from hoiscribe.run import driver

    if on:
        yield
        return
    init = driver.StageDriver.__init__

    def no_parts(self: driver.StageDriver, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        self.run.part_names = None

    driver.StageDriver.__init__ = no_parts  # type: ignore[method-assign]
    try:
        yield
    finally:
        driver.StageDriver.__init__ = init  # type: ignore[method-assign]


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
    ap.add_argument("--skip-overlap", action="store_true")
    ap.add_argument("--memory", action="store_true", help="peak RSS at --small vs --large pairs")
    ap.add_argument("--small", type=int, default=10_000)
    ap.add_argument("--large", type=int, default=235_308)
    ap.add_argument("--machinery", action="store_true", help="describe stage vs inline work")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--child-run", nargs=2, metavar=("PAIRS", "DIR"), help=argparse.SUPPRESS)
    ap.add_argument("--child-machinery", nargs=3, metavar=("KIND", "ROOT", "DIR"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child_machinery:
        kind, root, tmp = args.child_machinery
        machinery_child(kind, Path(root), Path(tmp))
        return
    if args.child_run:
        child_run(int(args.child_run[0]), Path(args.child_run[1]))
        return
    if args.memory:
        memory(args.small, args.large, args.repeats)
    with tempfile.TemporaryDirectory() as tmp:
        if args.machinery:
            machinery(Path(tmp), args.pairs, args.repeats)
        if args.memory or args.machinery:
            return
        if not args.skip_orchestration:
            os.sched_setaffinity(0, {0})
            orchestration(Path(tmp), args.pairs)
            os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))
        if not args.skip_overlap:
            overlap(Path(tmp), args.overlap_samples, args.workers, args.max_pixels)


if __name__ == "__main__":
    main()
