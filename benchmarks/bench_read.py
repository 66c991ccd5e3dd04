"""Issue 18, the read path: a HICO+HAKE annotation file into a run's spill file and ``SampleIndex``
(``run.source.index_dataset``), against an orjson floor measured in the same run: parse the same
file with orjson, build one flat list per pair from its fields and write one ``orjson.dumps`` line
per pair. Both run as fresh subprocesses pinned to one core, interleaved ``--repeats`` times; the
medians of their CPU seconds are compared (the machine is shared: single runs are noisy).

    python benchmarks/bench_read.py [--pairs 117654] [--repeats 3] [--pythonpath OTHER/src]

``--pythonpath`` also times another checkout (e.g. ``git archive HEAD`` unpacked) in the same
interleaving, for an A/B of the read path.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from pinned import pinned_run
from synthetic import write_scaled_hake

READ = r"""
import gc, sys, time
from pathlib import Path
from hoiscribe.run.config import PipelineConfig
from hoiscribe.run.source import index_dataset
cfg = PipelineConfig(dataset="hico", data_root=sys.argv[1], out=sys.argv[2], progress=False,
                     stages=[{"name": "describe", "task": "describe", "engine": {"name": "grounded"}}])
gc.collect(); gc.freeze(); gc.disable()  # as the pipeline reads (``pipeline._long_lived_heap``)
t0 = time.process_time()
index = index_dataset(cfg, 0, cfg.image_workers)
t1 = time.process_time()
print(len(index), index.path.stat().st_size, t1 - t0)
index.close()
"""

FLOOR = r"""
import sys, time, orjson
t0 = time.process_time()
data = orjson.loads(open(sys.argv[1], "rb").read())
with open(sys.argv[2], "wb") as fh:
    for image_id, (name, entry) in enumerate(data.items()):
        lines = []
        for i, lab in enumerate(entry["labels"]):
            states = [(s["human_part"], s["partstate"]) for s in lab.get("action_labels") or ()]
            lines.append(orjson.dumps(["d" * 32, ["S", f"{name}#{i}", "hico", name, image_id, i, lab["width"],
                                      lab["height"], lab["human_bbox"], None, states,
                                      [lab["object_bbox"], "bicycle"], [lab["hoi_id"], "ride", "bicycle"],
                                      name, {"people_in_image": 1}]]) + b"\n")
        fh.write(b"".join(lines))
print(0, 0, time.process_time() - t0)
"""


def _timed(cmd: list[str], pythonpath: str | None) -> tuple[float, float]:
    """(CPU seconds of the whole subprocess, CPU seconds of its timed part) of one pinned run."""
    _, cpu, stdout = pinned_run(cmd, pythonpath)
    return cpu, float(stdout.split()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=117_654)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--pythonpath", default=None, help="also time the read path of this source tree (A/B)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "hico"
        n = write_scaled_hake(root, args.pairs)
        ann = root / "Annotation" / "hico-det-instance-level" / "hico-det-training-set-instance-level.json"
        cases: dict[str, tuple[list[str], str | None]] = {
            "read": ([sys.executable, "-c", READ, str(root), str(Path(tmp) / "run")], None),
            "floor": ([sys.executable, "-c", FLOOR, str(ann), str(Path(tmp) / "floor.jsonl")], None),
        }
        if args.pythonpath:
            cases["other"] = ([sys.executable, "-c", READ, str(root), str(Path(tmp) / "run_other")], args.pythonpath)
        runs: dict[str, list[tuple[float, float]]] = {k: [] for k in cases}
        t0 = time.perf_counter()
        for _ in range(args.repeats):
            for name, (cmd, pythonpath) in cases.items():
                runs[name].append(_timed(cmd, pythonpath))
    inner = {k: statistics.median(t for _, t in v) for k, v in runs.items()}
    total = {k: statistics.median(c for c, _ in v) for k, v in runs.items()}
    print(f"read path (annotation file -> spill + index, 1 core, median of {args.repeats}, shared machine): {n} pairs")
    print(f"  index_dataset: {inner['read']:.2f} CPU-s = {n / inner['read']:,.0f} pairs per CPU-second "
          f"({total['read']:.2f} CPU-s with start-up)")  # fmt: skip
    print(f"  orjson floor (parse, one list per pair, dump lines): {inner['floor']:.2f} CPU-s")
    print(f"  ratio to the floor: {inner['read'] / inner['floor']:.2f}x CPU")
    if "other" in inner:
        print(f"  {args.pythonpath}: {inner['other']:.2f} CPU-s; this tree / that one: "
              f"{inner['read'] / inner['other']:.2f}x")  # fmt: skip
    print(f"  wall of all runs: {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
