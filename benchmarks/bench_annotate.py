"""Issue 18 speed: grounded annotation of a full-size HAKE train file (117,654 pairs) through the CLI,
against the orjson floor measured in the same run: load the same file, build the same merged
records (seed fields plus a description) and dump them, with orjson, in a fresh interpreter.

Both run as subprocesses pinned to one core; each is run ``--repeats`` times, interleaved, and the
medians are compared (the machine is shared: single runs are noisy).

    python benchmarks/bench_annotate.py [--pairs 117654] [--repeats 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).parent))
from pinned import pinned_run
from synthetic import write_scaled_hake

FLOOR = r"""
import sys, orjson
src, dst = sys.argv[1], sys.argv[2]
data = orjson.loads(open(src, "rb").read())
out = []
zeros, vis = [0.0] * 51, [0] * 51
for image_id, (name, entry) in enumerate(data.items()):
    for i, label in enumerate(entry["labels"]):
        out.append({"file_name": name, "image_id": image_id, "keypoints": zeros, "vis": vis, "instance_id": i,
                    "height": label["height"], "width": label["width"], "human_bbox": label["human_bbox"],
                    "action_labels": label.get("action_labels") or [], "object_bbox": label["object_bbox"],
                    "hoi_id": label["hoi_id"], "verb": "ride", "object": "bicycle", "sample_id": f"{name}#{i}",
                    "description": "The person is riding a bicycle.\n\n- Both hands are holding the bicycle."})
open(dst, "wb").write(orjson.dumps(out))
"""


def _timed(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one pinned subprocess."""
    wall, cpu, _ = pinned_run(cmd)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=117_654)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "hico"
        n = write_scaled_hake(root, args.pairs)
        ann = root / "Annotation" / "hico-det-instance-level" / "hico-det-training-set-instance-level.json"
        out = Path(tmp) / "run"
        cli = [sys.executable, "-m", "hoiscribe.cli", "annotate", "--dataset", "hico", "--data-root", str(root),
               "--engine", "grounded", "--out", str(out), "--set", "progress=false",
               "--set", "samples_per_unit=4096"]  # fmt: skip
        floor_cmd = [sys.executable, "-c", FLOOR, str(ann), str(Path(tmp) / "floor.json")]
        runs: dict[str, list[tuple[float, float]]] = {"cli": [], "floor": []}
        for _ in range(args.repeats):
            shutil.rmtree(out, ignore_errors=True)  # a fresh run each time, not a resume
            runs["cli"].append(_timed(cli))
            runs["floor"].append(_timed(floor_cmd))
        records = orjson.loads((out / "merged.json").read_bytes())
        assert len(records) == n, (len(records), n)
    wall = {k: statistics.median(w for w, _ in v) for k, v in runs.items()}
    cpu = {k: statistics.median(c for _, c in v) for k, v in runs.items()}
    print(f"annotate (grounded, CLI end to end, 1 core, median of {args.repeats}, shared machine): {n} pairs")
    print(f"  hoiscribe annotate: {wall['cli']:.2f} s wall = {n / wall['cli']:,.0f} pairs/s; "
          f"{cpu['cli']:.2f} CPU-s = {n / cpu['cli']:,.0f} pairs per CPU-second")  # fmt: skip
    print(f"  orjson floor (load, build, dump): {wall['floor']:.2f} s wall, {cpu['floor']:.2f} CPU-s")
    print(f"  ratio to the floor: {wall['cli'] / wall['floor']:.2f}x wall, {cpu['cli'] / cpu['floor']:.2f}x CPU")
    print(f"  all runs (wall s): cli {[round(w, 2) for w, _ in runs['cli']]}, "
          f"floor {[round(w, 2) for w, _ in runs['floor']]}")  # fmt: skip


if __name__ == "__main__":
    main()
