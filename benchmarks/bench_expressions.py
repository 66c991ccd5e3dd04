"""Quality of the spatial checker: does it flag corrupted referring expressions, and only those?

Synthetic scenes of 2-9 objects (1-5 per category, random boxes). Clean expressions are
phrased here from the true geometry, independently of the checker and of the grounded
engine, in several wordings ("the leftmost cup", "the cup on the far left", "the cup that is
second from the left", "the biggest cup", ...), only where the geometry is clear (margins).
Each is then corrupted three ways where it applies: left/right swapped, a wrong ordinal,
the opposite size word (a side swap that keeps the meaning, "third of five from the left"
-> "from the right", is not a corruption and is not made). The checker reads every text as a positive expression for its
object; a corrupted text it flags is a true positive, a clean text it flags a false positive.

    python benchmarks/bench_expressions.py [--scenes 2000] [--seed 0]

Also measures negatives: another object's clean expression used as a negative must pass,
the target's own clean expression used as a negative must be flagged.

Then the same checker on prose its templates did not write: the labelled corpus
(``tests/data/grounding_corpus/spatial_{dev,heldout}.jsonl``), precision and recall of "has a
contradiction" per part, per error type and per style (targets: precision >= 0.97, recall >= 0.85
on the held-out part). The held-out texts are never printed. ``--splits`` picks the parts; a part
name with ``-odd`` / ``-even`` keeps the records whose id ends in an odd / even number, so one half
can be tuned on and the other kept as a check (misses are shown for ``dev`` and odd halves only).

    python benchmarks/bench_expressions.py [--scenes 2000] [--seed 0] [--show-misses 10]
    python benchmarks/bench_expressions.py --splits dev,dev2-odd,dev2-even --show-misses 10
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the shared corpus scorer beside this script

from corpus_scores import print_splits
from hoiscribe.expressions.check_records import check_expression_record
from hoiscribe.expressions.spatial import SpatialObject, check_expression
from hoiscribe.expressions.spatial_parse import ordinal_word

W, H = 640, 480
CATEGORIES = ("cup", "sports ball", "book", "bottle", "chair", "dog", "potted plant", "car")
GAP = 0.05  # clean claims only where neighbours are at least this fraction of the image apart
SIZE_RATIO = 1.3
_OPPOSITE = {"left": "right", "right": "left", "leftmost": "rightmost", "rightmost": "leftmost",
             "largest": "smallest", "smallest": "largest", "biggest": "smallest", "bigger": "smaller",
             "smaller": "bigger"}  # fmt: skip
_ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5}


@dataclass(frozen=True)
class Case:
    text: str
    target: SpatialObject
    objects: list[SpatialObject]
    corrupted: bool
    kind: str  # clean | swap_side | wrong_ordinal | wrong_size


def random_scene(rng: random.Random) -> list[SpatialObject]:
    objects: list[SpatialObject] = []
    for cat in rng.sample(CATEGORIES, rng.randint(1, 3)):
        for _ in range(rng.randint(1, 5)):
            w, h = rng.uniform(20, 160), rng.uniform(20, 160)
            x, y = rng.uniform(0, W - w), rng.uniform(0, H - h)
            objects.append(SpatialObject(len(objects), cat, (x, y, x + w, y + h)))
    return objects


def clean_expressions(t: SpatialObject, objects: list[SpatialObject]) -> list[str]:
    """Expressions true of ``t`` and of no other object of its category, from the geometry."""
    c = t.category
    group = [o for o in objects if o.category == c]
    n = len(group)
    out: list[str] = []
    if n == 1:
        if t.cx < 0.35 * W:
            out += [f"the {c} on the left", f"the {c} on the left side of the image"]
            if t.cy < 0.35 * H:
                out.append(f"the {c} in the top-left corner")
        elif t.cx > 0.65 * W:
            out += [f"the {c} on the right", f"the {c} in the right part of the picture"]
        return out + _relations(t, objects)
    others = [o for o in group if o is not t]
    gap_x = min(abs(o.cx - t.cx) for o in others) >= GAP * W
    gap_y = min(abs(o.cy - t.cy) for o in others) >= GAP * H
    if gap_x and all(t.cx < o.cx for o in others):
        out += [f"the leftmost {c}", f"the {c} on the far left"] + ([f"the {c} on the left"] if n == 2 else [])
    if gap_x and all(t.cx > o.cx for o in others):
        out += [f"the rightmost {c}", f"the {c} furthest to the right"]
    if gap_y and all(t.cy < o.cy for o in others):
        out += [f"the topmost {c}", f"the highest {c}"]
    if gap_y and all(t.cy > o.cy for o in others):
        out += [f"the lowest {c}", f"the {c} at the bottom"]
    if n >= 3 and gap_x:
        r = 1 + sum(o.cx < t.cx for o in others)
        if 1 < r < n:
            back = ordinal_word(n - r + 1)
            out += [
                f"the {ordinal_word(r)} {c} from the left",
                f"the {c} that is {back} from the right",
                f"the {c} {ordinal_word(r)} from the left",
            ]
    out += _relations(t, objects)
    areas = sorted((o.area for o in others), reverse=True)
    if t.area >= SIZE_RATIO * areas[0]:
        out.append(f"the bigger {c}" if n == 2 else rng_free_choice(c, t.id))
    if t.area * SIZE_RATIO <= areas[-1]:
        out.append(f"the {'smaller' if n == 2 else 'smallest'} {c}")
    return out


def _relations(t: SpatialObject, objects: list[SpatialObject]) -> list[str]:
    """'the cup to the left of the dog' where the dog is alone of its kind and no other cup is left of it."""
    out = []
    group = [o for o in objects if o.category == t.category]
    for d in objects:
        if d.category == t.category or sum(o.category == d.category for o in objects) != 1:
            continue
        if t.cx < d.cx - GAP * W and all(o.cx > d.cx for o in group if o is not t):
            out.append(f"the {t.category} to the left of the {d.category}")
        if t.cx > d.cx + GAP * W and all(o.cx < d.cx for o in group if o is not t):
            out.append(f"the {t.category} right of the {d.category}")
    return out


def rng_free_choice(category: str, seed: int) -> str:
    """Alternate the two superlatives deterministically, so both wordings occur."""
    return f"the {'largest' if seed % 2 else 'biggest'} {category}"


def corruptions(text: str, n_group: int, rng: random.Random) -> list[tuple[str, str]]:
    """(corrupted text, kind) for each corruption that applies to ``text``."""
    out = []
    words = re.findall(r"[a-z]+", text)
    side = next((w for w in words if w in ("left", "right", "leftmost", "rightmost")), None)
    ordinal = next((w for w in words if w in _ORDINALS), None)
    # "third of five from the left" is also third from the right: that swap changes nothing
    symmetric = ordinal is not None and 2 * _ORDINALS[ordinal] == n_group + 1
    if side is not None and not symmetric:
        out.append((re.sub(rf"\b{side}\b", _OPPOSITE[side], text, count=1), "swap_side"))
    if ordinal is not None:
        wrong = rng.choice([r for r in range(1, n_group + 1) if r != _ORDINALS[ordinal]])
        out.append((re.sub(rf"\b{ordinal}\b", ordinal_word(wrong), text, count=1), "wrong_ordinal"))
    size = next((w for w in words if w in ("largest", "smallest", "biggest", "bigger", "smaller")), None)
    if size is not None:
        out.append((re.sub(rf"\b{size}\b", _OPPOSITE[size], text, count=1), "wrong_size"))
    return out


def synthetic_cases(num_scenes: int, seed: int = 0) -> list[Case]:
    rng = random.Random(seed)
    cases: list[Case] = []
    for _ in range(num_scenes):
        objects = random_scene(rng)
        for t in objects:
            n = sum(o.category == t.category for o in objects)
            for text in clean_expressions(t, objects):
                cases.append(Case(text, t, objects, False, "clean"))
                cases += [Case(bad, t, objects, True, kind) for bad, kind in corruptions(text, n, rng)]
    return cases


def score(cases: list[Case]) -> dict[str, float]:
    """Precision and recall of 'flagged' against 'corrupted', with per-kind recall."""
    tp = fp = fn = 0
    by_kind: dict[str, list[int]] = {}
    for case in cases:
        flagged = not check_expression(case.text, case.target, case.objects, (W, H), "positive").ok
        tp += flagged and case.corrupted
        fp += flagged and not case.corrupted
        fn += (not flagged) and case.corrupted
        if case.corrupted:
            by_kind.setdefault(case.kind, [0, 0])
            by_kind[case.kind][0] += flagged
            by_kind[case.kind][1] += 1
    out = {"precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0,
           "clean": sum(not c.corrupted for c in cases), "corrupted": tp + fn}  # fmt: skip
    out.update({f"recall_{k}": v[0] / v[1] for k, v in sorted(by_kind.items())})
    return out


def score_negatives(cases: list[Case]) -> dict[str, float]:
    """A negative must be flagged exactly when it is true of the target (its own clean expression)."""
    tp = fp = fn = 0
    clean = [c for c in cases if not c.corrupted]
    by_scene: dict[int, list[Case]] = {}
    for c in clean:
        by_scene.setdefault(id(c.objects), []).append(c)
    for group in by_scene.values():
        for case in group:
            for other in group:
                own = other.target is case.target
                flagged = not check_expression(other.text, case.target, case.objects, (W, H), "negative").ok
                tp += flagged and own
                fp += flagged and not own
                fn += (not flagged) and own
    return {"precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0}


# spatial_fresh was blind until issue 13's fourth round scored it twice; it is now tuned on in halves
DEVELOPED = ("fresh",)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenes", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--show-misses", type=int, default=0, help="print this many wrong verdicts of dev / PART-odd")
    parts = "corpus parts to score, comma-separated: dev, dev2, dev2-odd, dev2-even, heldout, ..."
    ap.add_argument("--splits", default="dev,heldout", help=parts)
    args = ap.parse_args()
    t0 = time.perf_counter()
    cases = synthetic_cases(args.scenes, args.seed)
    pos = score(cases)
    neg = score_negatives(cases)
    seconds = time.perf_counter() - t0
    print(f"scenes: {args.scenes}  expressions: {len(cases)} ({pos['clean']} clean, {pos['corrupted']} corrupted)")
    print(f"positives  precision: {pos['precision']:.4f}  recall: {pos['recall']:.4f}")
    print("  recall by corruption: " + ", ".join(f"{k[7:]} {v:.4f}" for k, v in pos.items() if k.startswith("recall_")))
    print(f"negatives  precision: {neg['precision']:.4f}  recall: {neg['recall']:.4f}")
    print(f"seconds: {seconds:.1f} ({len(cases) / seconds:,.0f} expressions/s with their negatives)")
    print_splits("spatial", check_expression_record, args.splits, args.show_misses, DEVELOPED)


if __name__ == "__main__":
    main()
