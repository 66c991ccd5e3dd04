"""Benchmark ``hoiscribe.eval.hico`` on the real HICO-DET test GT with synthetic predictions.

Predictions: 100 per non-empty test image (9,546 images, 954,600 detections), seeded. About a
third are jittered GT pairs (right class, or another class of the same object), the rest random
boxes with random classes, so both the matching and the AP paths carry real work.

Each repeat runs in a fresh process and prints: load seconds (GT + predictions), eval seconds
(Default; Default + Known-Object; python protocol), peak RSS of load + evaluation, and the
floor measured in the same process after the peak was read: a bare ``msgspec.json.decode`` of
each file (garbage collector off, its best case) in a fresh process of its own, so that its
900 MB object tree stays out of the peak, with the load as a ratio of it (in all, and per file; in
wall seconds and in CPU seconds, which a busy shared machine disturbs less). The last lines give
the medians over ``--repeats``. With ``--reference`` also the time of the literal
loop evaluator on the same input (and a check that both give identical APs).

    python benchmarks/bench_eval_hico.py [--gt PATH] [--repeats 3] [--reference]
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import orjson

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GT = ROOT / "tests" / "data" / "hico" / "instances_test2015.json"
PER_IMAGE = 100
SEED = 2015


def make_predictions(gt_path: Path, out: Path, seed: int = SEED) -> int:
    """Write seeded synthetic predictions in the hoiscribe layout; return the detection count."""
    from hoiscribe.eval.gt_readers import read_hico_gt
    from hoiscribe.vocab.hico import hico

    gt = read_hico_gt(gt_path)
    voc = hico()
    hoi_obj = np.asarray([h.object_coco_idx for h in voc.hois])
    by_object = [np.flatnonzero(hoi_obj == o) for o in range(len(voc.objects))]
    rng = np.random.default_rng(seed)
    sizes = orjson.loads(gt_path.read_bytes())["size"]
    entries = []
    images = np.unique(gt.pair_image)
    starts = np.searchsorted(gt.pair_image, images)  # pairs are grouped by image
    ends = np.r_[starts[1:], len(gt.pair_image)]
    for img, lo, hi in zip(images.tolist(), starts.tolist(), ends.tolist(), strict=True):
        w, h = sizes[img]
        n_from_gt = min(3 * (hi - lo), PER_IMAGE // 3)
        pick = rng.integers(lo, hi, n_from_gt)
        gt_boxes = gt.pair_boxes[pick]
        scale = np.tile(np.maximum(gt_boxes[:, 2:4] - gt_boxes[:, 0:2], 1.0), 2)
        scale = np.concatenate([scale, np.tile(np.maximum(gt_boxes[:, 6:8] - gt_boxes[:, 4:6], 1.0), 2)], axis=1)
        jit = gt_boxes + rng.normal(0.0, 0.06, gt_boxes.shape) * scale
        cls_gt = gt.pair_class[pick].copy()
        other = rng.random(n_from_gt) < 0.3
        for k in np.flatnonzero(other):
            cls_gt[k] = rng.choice(by_object[hoi_obj[cls_gt[k]]])
        n_rand = PER_IMAGE - n_from_gt
        xy = rng.random((n_rand, 2, 2)) * [w, h]
        wh = rng.random((n_rand, 2, 2)) * [w, h] * 0.6 + 2.0
        rand_boxes = np.concatenate([xy, np.minimum(xy + wh, [w, h])], axis=2).reshape(n_rand, 8)
        boxes8 = np.concatenate([jit, rand_boxes])
        boxes8[:, [0, 1, 4, 5]] = np.maximum(boxes8[:, [0, 1, 4, 5]], 0.0)
        boxes8[:, [2, 6]] = np.maximum(boxes8[:, [2, 6]], boxes8[:, [0, 4]])
        boxes8[:, [3, 7]] = np.maximum(boxes8[:, [3, 7]], boxes8[:, [1, 5]])
        cls = np.concatenate([cls_gt, rng.integers(0, len(voc.hois), n_rand)])
        score = rng.random(PER_IMAGE)
        boxes = np.round(boxes8.reshape(-1, 4), 2)
        labels = np.stack([np.zeros(PER_IMAGE, dtype=np.int64), hoi_obj[cls]], axis=1).reshape(-1)
        idx = np.arange(PER_IMAGE)
        entries.append(
            {
                "file_name": gt.file_names[img],
                "boxes": boxes.tolist(),
                "labels": labels.tolist(),
                "hois": [
                    [2 * i, 2 * i + 1, c, s] for i, c, s in zip(idx.tolist(), cls.tolist(), score.tolist(), strict=True)
                ],
            }
        )
    out.write_bytes(orjson.dumps(entries))
    return len(entries) * PER_IMAGE


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MB.

    ``VmHWM`` belongs to the process's own address space, so unlike ``ru_maxrss`` it does not
    inherit the high-water mark of the parent that forked it.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def bare_parse_seconds(gt_path: Path, pred_path: Path) -> tuple[float, float, float, float]:
    """The floor: read each file, decode it with msgspec into plain Python objects and free them.

    Returns (GT, predictions, predictions without the free, CPU seconds of both): the load frees
    what it builds too, so the floor counts the free; the third figure says how much of it that
    is. CPU seconds are the figure that a busy shared machine disturbs least."""
    import msgspec

    gc.disable()  # the decoder's best case; with the collector on it is several times slower
    seconds = []
    cpu = time.process_time()
    for path in (gt_path, pred_path):
        t = time.perf_counter()
        tree = msgspec.json.decode(path.read_bytes())
        decoded = time.perf_counter() - t
        del tree
        seconds.append(time.perf_counter() - t)
    cpu = time.process_time() - cpu
    gc.enable()
    return seconds[0], seconds[1], decoded, cpu


def measure(gt_path: Path, pred_path: Path, with_reference: bool) -> None:
    """Load and evaluate in this (fresh) process and print the figures."""
    from hoiscribe.eval.gt_readers import read_hico_gt
    from hoiscribe.eval.hico import HicoOptions, evaluate_hico, hico_class_space, hico_rules
    from hoiscribe.eval.predictions import read_predictions

    c0 = time.process_time()
    t0 = time.perf_counter()
    gt = read_hico_gt(gt_path)
    t1 = time.perf_counter()
    dets = read_predictions(pred_path, gt, hico_class_space())
    t2 = time.perf_counter()
    load_cpu = time.process_time() - c0
    default = evaluate_hico(gt, dets, HicoOptions(protocol="matlab", settings=("default",)))
    t3 = time.perf_counter()
    both = evaluate_hico(gt, dets, HicoOptions(protocol="matlab"))
    t4 = time.perf_counter()
    evaluate_hico(gt, dets, HicoOptions.preset("python"))
    t5 = time.perf_counter()
    rss_mb = peak_rss_mb()
    floor_cmd = [sys.executable, __file__, "--floor", "--gt", str(gt_path), "--pred", str(pred_path)]
    floor_out = subprocess.run(floor_cmd, check=True, capture_output=True, text=True).stdout
    floor_gt, floor_pred, decode_pred, floor_cpu = map(float, floor_out.split())
    floor = floor_gt + floor_pred
    print(f"detections: {len(dets):,} in {gt.non_empty_images:,} images; GT pairs: {gt.n_pairs:,}")
    print(f"load seconds: {t2 - t0:.3f} (GT {t1 - t0:.3f}, predictions {t2 - t1:.3f})")
    print(f"eval seconds (matlab, Default): {t3 - t2:.3f}")
    print(f"eval seconds (matlab, Default + Known-Object): {t4 - t3:.3f}")
    print(f"eval seconds (python, Default + Known-Object, top-100, label check): {t5 - t4:.3f}")
    print(f"load + eval seconds (matlab, Default): {t3 - t0:.3f}")
    print(f"peak RSS MB: {rss_mb:.0f}")
    print(
        f"floor: bare msgspec parse of GT + predictions {floor:.3f} s (GT {floor_gt:.3f}, predictions "
        f"{floor_pred:.3f}); load / floor {(t2 - t0) / floor:.2f}x (GT {(t1 - t0) / floor_gt:.2f}x, "
        f"predictions {(t2 - t1) / floor_pred:.2f}x)"
    )
    print(f"  of which freeing the predictions' object tree {floor_pred - decode_pred:.3f} s")
    print(f"CPU seconds: load {load_cpu:.3f}, floor {floor_cpu:.3f}; load / floor {load_cpu / floor_cpu:.2f}x")
    figures = {"load": t2 - t0, "floor": floor, "gt": t1 - t0, "floor_gt": floor_gt, "pred": t2 - t1}
    figures |= {"load_cpu": load_cpu, "floor_cpu": floor_cpu}
    print("RESULT " + json.dumps({**figures, "floor_pred": floor_pred, "rss": rss_mb, "eval": t3 - t2}))
    full = both.summary()
    d, ko = 100 * full["default"]["full"], 100 * full["known_object"]["full"]
    print(f"mAP Default {d:.2f}  Known-Object {ko:.2f}")
    if with_reference:
        from hoiscribe.eval.reference import reference_ap

        r0 = time.perf_counter()
        ref_ap, _ = reference_ap(
            gt.n_classes,
            dets.cls,
            dets.image,
            dets.score,
            dets.boxes,
            gt.pair_class,
            gt.pair_image,
            gt.pair_boxes,
            hico_rules("matlab"),
        )
        r1 = time.perf_counter()
        same = np.array_equal(ref_ap, default.setting("default").stats.ap)
        print(f"reference loop seconds (matlab, Default): {r1 - r0:.3f}; identical APs: {same}")
        print(f"speed-up of eval step over the loop: {(r1 - r0) / (t3 - t2):.0f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gt", type=Path, default=DEFAULT_GT)
    parser.add_argument("--pred", type=Path, help="reuse this prediction file instead of generating one")
    parser.add_argument("--reference", action="store_true", help="also time the literal loop evaluator")
    parser.add_argument("--repeats", type=int, default=3, help="fresh measuring processes; medians printed")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--floor", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:
        print(*bare_parse_seconds(args.gt, args.pred))
        return
    if args.measure:
        measure(args.gt, args.pred, args.reference)
        return
    with tempfile.TemporaryDirectory() as tmp:
        pred = args.pred
        if pred is None:
            pred = Path(tmp) / "predictions.json"
            t = time.perf_counter()
            n = make_predictions(args.gt, pred)
            size = pred.stat().st_size / 1e6
            print(f"generated {n:,} detections ({size:.0f} MB) in {time.perf_counter() - t:.1f} s (seed {SEED})")
        # Measure in a fresh process so peak RSS covers loading + evaluation only.
        cmd = [sys.executable, __file__, "--measure", "--gt", str(args.gt), "--pred", str(pred)]
        if args.reference:
            cmd.append("--reference")
        results = []
        for _ in range(args.repeats):
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
            print(out.replace("RESULT ", "  raw: "), end="")
            results.append(json.loads(out.split("RESULT ", 1)[1].splitlines()[0]))
        med = {k: statistics.median(r[k] for r in results) for k in results[0]}
        ratio = statistics.median(r["load"] / r["floor"] for r in results)
        gt_ratio = statistics.median(r["gt"] / r["floor_gt"] for r in results)
        pred_ratio = statistics.median(r["pred"] / r["floor_pred"] for r in results)
        cpu_ratio = statistics.median(r["load_cpu"] / r["floor_cpu"] for r in results)
        print(
            f"median of {len(results)}: load {med['load']:.3f} s, floor (bare msgspec parse) {med['floor']:.3f} s, "
            f"load / floor {ratio:.2f}x (GT {gt_ratio:.2f}x, predictions {pred_ratio:.2f}x; CPU seconds "
            f"{med['load_cpu']:.3f} / {med['floor_cpu']:.3f} = {cpu_ratio:.2f}x), "
            f"eval (matlab, Default) {med['eval']:.3f} s, peak RSS {med['rss']:.0f} MB"
        )


if __name__ == "__main__":
    main()
