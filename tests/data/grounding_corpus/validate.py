"""Validate the labelled grounding corpus against its contract (see README.md).

Checks, without importing hoiscribe: ids unique per file; every error text has an error_type and an
error_span that is an exact substring of its text, every faithful text has neither; HOI records name an
image of the HAKE subset and a pair index inside that image's label list, with the matching sample_id;
dev and held-out HOI files share no image; pose records carry 17 keypoints per pose; spatial targets are
boxes of their scene; extractor answers belong to corpus texts and quote exact spans. The second
writer's files: hoi_dev2 only on dev images, hoi_fresh only on held-out images, fresh answers on fresh texts.
The third writer's files: hoi_dev3 only on dev images, hoi_fresh2 only on held-out images; the
fourth and fifth writers' hoi_dev4 (dev images) and hoi_fresh3 (held-out images) follow the same rules.
The fifth writer's pose_fresh / spatial_fresh are checked like their twins, and fresh3 answers like the fresh answers.
The sixth and seventh writers' hoi_fresh4 / hoi_fresh5 (held-out images), pose_fresh2 and spatial_fresh2 likewise,
and the tenth writers' hoi_fresh6; the eleventh writer's hoi_fresh7 (held-out images, single error spans) likewise;
the twelfth and thirteenth writers' spatial_fresh3 and spatial_dev4 like spatial_fresh; the fourteenth to
sixteenth writers' hoi_dev6 (dev images), hoi_fresh8 (held-out images), pose_dev2 and pose_fresh3 likewise,
and the seventeenth to twentieth writers' hoi_dev7 (dev images), pose_dev3, spatial_dev5 and spatial_fresh4,
and the twenty-first to twenty-fourth writers' hoi_dev8 (dev images), hoi_fresh9 (held-out images),
pose_dev4, pose_fresh4 and spatial_fresh5.
Usage: python tests/data/grounding_corpus/validate.py   (exit status 1 on any problem)
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
# the later writers' files, checked once they exist
LATER = (
    "hoi_dev4",
    "hoi_fresh3",
    "hoi_fresh4",
    "hoi_fresh5",
    "pose_fresh2",
    "spatial_fresh2",
    "hoi_dev5",
    "hoi_fresh6",
    "hoi_fresh7",
    "spatial_fresh3",
    "spatial_dev4",
    "hoi_dev6",
    "hoi_fresh8",
    "pose_dev2",
    "pose_fresh3",
    "hoi_dev7",
    "pose_dev3",
    "spatial_dev5",
    "spatial_fresh4",
    "hoi_dev8",
    "hoi_fresh9",
    "pose_dev4",
    "pose_fresh4",
    "spatial_fresh5",
)
SUBSET = HERE.parent / "hake" / "hico-det-training-set-instance-level.first200.json"
SUBJECTS = {"person", "other_person", "object", "animal", "scene"}
PARTS = {None, "head", "hip", "hand", "arm", "leg", "foot"}
SIDES = {None, "left", "right", "both"}


def load(name: str) -> list[dict]:
    """Records of one JSONL file of the corpus."""
    with open(HERE / name, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def check_labels(name: str, recs: list[dict], problems: list[str]) -> None:
    """Unique ids and a consistent label / error_type / error_span triple."""
    for rid, n in Counter(r["id"] for r in recs).items():
        if n > 1:
            problems.append(f"{name}: id {rid} appears {n} times")
    for r in recs:
        if not r["text"].strip():
            problems.append(f"{name}: {r['id']} has an empty text")
        if r["label"] == "error":
            if not r["error_type"] or not r["error_span"] or r["error_span"] not in r["text"]:
                problems.append(f"{name}: {r['id']} error_span missing or not a substring of its text")
        elif r["label"] == "faithful":
            if r["error_type"] is not None or r["error_span"] is not None:
                problems.append(f"{name}: {r['id']} is faithful but has an error_type or error_span")
        else:
            problems.append(f"{name}: {r['id']} has label {r['label']!r}")


def check_hoi(name: str, recs: list[dict], subset: dict, problems: list[str]) -> set[str]:
    """Images of the subset, pair indices inside their label list, matching sample ids."""
    for r in recs:
        entry = subset.get(r["image"])
        if entry is None:
            problems.append(f"{name}: {r['id']} image {r['image']} is not in the HAKE subset")
        elif not 0 <= r["pair"] < len(entry["labels"]):
            problems.append(f"{name}: {r['id']} pair {r['pair']} outside the image's {len(entry['labels'])} pairs")
        elif r["sample_id"] != f"{r['image']}#{r['pair']}":
            problems.append(f"{name}: {r['id']} sample_id {r['sample_id']} does not match image and pair")
    return {r["image"] for r in recs}


def check_answers(name: str, answers: list[dict], texts: dict[str, str], problems: list[str]) -> None:
    """Extractor answers name texts of their corpus file, use the schema's field values and quote exact spans."""
    for a in answers:
        if a["id"] not in texts:
            problems.append(f"{name}: {a['id']} is not a text of its corpus file")
            continue
        for c in a["claims"]:
            if c["subject"] not in SUBJECTS or c["body_part"] not in PARTS or c["side"] not in SIDES:
                problems.append(f"{name}: {a['id']} claim {c['span']!r} has a bad field")
            if not isinstance(c["negated"], bool) or not c["predicate"]:
                problems.append(f"{name}: {a['id']} claim {c['span']!r} needs a predicate and a boolean negated")
            if c["span"] not in texts[a["id"]]:
                problems.append(f"{name}: {a['id']} span {c['span']!r} not in its text")


def check_second_writer(subset: dict, images: dict[str, set[str]], problems: list[str]) -> None:
    """hoi_dev2 only on dev images, hoi_fresh only on held-out images, fresh answers on fresh texts."""
    for name, split in (("hoi_dev2", "dev"), ("hoi_fresh", "heldout")):
        recs = load(f"{name}.jsonl")
        check_labels(name, recs, problems)
        used = check_hoi(name, recs, subset, problems)
        if stray := used - images[split]:
            problems.append(f"{name}: images outside the {split} images: {sorted(stray)}")
        print(f"{name}: {len(recs)} texts, {Counter(r['label'] for r in recs)}, {len(used)} images")
        if name == "hoi_fresh":
            answers = load("hoi_fresh_extractor_answers.jsonl")
            check_answers("fresh extractor answers", answers, {r["id"]: r["text"] for r in recs}, problems)
            claims = [c for a in answers for c in a["claims"]]
            print(f"fresh extractor answers: {len(answers)} texts, {len(claims)} claims")


def check_third_writer(subset: dict, images: dict[str, set[str]], problems: list[str]) -> None:
    """hoi_dev3 only on dev images, hoi_fresh2 only on held-out images; error spans occur once in their text."""
    later = (
        ("hoi_dev4", "dev"),
        ("hoi_fresh3", "heldout"),
        ("hoi_fresh4", "heldout"),
        ("hoi_fresh5", "heldout"),
        ("hoi_dev5", "dev"),
        ("hoi_fresh6", "heldout"),
        ("hoi_fresh7", "heldout"),
        ("hoi_dev6", "dev"),
        ("hoi_fresh8", "heldout"),
        ("hoi_dev7", "dev"),
        ("hoi_dev8", "dev"),
        ("hoi_fresh9", "heldout"),
    )
    for name, split in (("hoi_dev3", "dev"), ("hoi_fresh2", "heldout"), *later):
        if name in LATER and not (HERE / f"{name}.jsonl").exists():
            continue
        recs = load(f"{name}.jsonl")
        check_labels(name, recs, problems)
        used = check_hoi(name, recs, subset, problems)
        if stray := used - images[split]:
            problems.append(f"{name}: images outside the {split} images: {sorted(stray)}")
        check_single_spans(name, recs, problems)
        print(f"{name}: {len(recs)} texts, {Counter(r['label'] for r in recs)}, {len(used)} images")


def check_pose(name: str, recs: list[dict], problems: list[str]) -> None:
    """Pose records carry 17 keypoints per pose."""
    for r in recs:
        if len(r["reference_keypoints"]) != 17 or len(r["target_keypoints"]) != 17:
            problems.append(f"{name}: {r['id']} needs 17 keypoints per pose")


def check_spatial(name: str, recs: list[dict], problems: list[str]) -> None:
    """Spatial targets are boxes of their scene."""
    for r in recs:
        if r["target"] not in {b["id"] for b in r["scene"]["boxes"]}:
            problems.append(f"{name}: {r['id']} target {r['target']} is not a box of its scene")


def check_single_spans(name: str, recs: list[dict], problems: list[str]) -> None:
    """Each error span occurs exactly once in its text (the later writers' rule)."""
    for r in recs:
        if r["label"] == "error" and r["error_span"] and r["text"].count(r["error_span"]) != 1:
            problems.append(f"{name}: {r['id']} error_span occurs more than once in its text")


def check_fifth_writer(problems: list[str]) -> None:
    """Fifth writer: pose_fresh and spatial_fresh like their twins (plus single error spans), fresh3 answers."""
    for name in (
        "pose_fresh",
        "spatial_fresh",
        "pose_fresh2",
        "spatial_fresh2",
        "spatial_dev3",
        "spatial_fresh3",
        "spatial_dev4",
        "pose_dev2",
        "pose_fresh3",
        "pose_dev3",
        "spatial_dev5",
        "spatial_fresh4",
        "pose_dev4",
        "pose_fresh4",
        "spatial_fresh5",
    ):
        if not (HERE / f"{name}.jsonl").exists():
            continue
        recs = load(f"{name}.jsonl")
        check_labels(name, recs, problems)
        check_single_spans(name, recs, problems)
        spatial = name.startswith("spatial")
        (check_spatial if spatial else check_pose)(name, recs, problems)
        extra = f", {len({r['scene']['name'] for r in recs})} scenes" if spatial else ""
        print(f"{name}: {len(recs)}, {Counter(r['label'] for r in recs)}{extra}")
    if (HERE / "hoi_fresh3_extractor_answers.jsonl").exists():
        texts = {r["id"]: r["text"] for r in load("hoi_fresh3.jsonl")}
        answers = load("hoi_fresh3_extractor_answers.jsonl")
        check_answers("fresh3 extractor answers", answers, texts, problems)
        print(f"fresh3 extractor answers: {len(answers)} texts, {sum(len(a['claims']) for a in answers)} claims")


def main() -> int:
    """Run every check, print counts and problems, return the exit status."""
    problems: list[str] = []
    with open(SUBSET, encoding="utf-8") as fh:
        subset = json.load(fh)
    texts: dict[str, str] = {}
    images = {}
    for split in ("dev", "heldout"):
        recs = load(f"hoi_{split}.jsonl")
        check_labels(f"hoi_{split}", recs, problems)
        images[split] = check_hoi(f"hoi_{split}", recs, subset, problems)
        texts.update({r["id"]: r["text"] for r in recs})
        print(f"hoi_{split}: {len(recs)} texts, {Counter(r['label'] for r in recs)}, {len(images[split])} images")
    if shared := images["dev"] & images["heldout"]:
        problems.append(f"hoi dev and heldout share images: {sorted(shared)}")
    for split in ("dev", "heldout"):
        pose = load(f"pose_{split}.jsonl")
        check_labels(f"pose_{split}", pose, problems)
        check_pose(f"pose_{split}", pose, problems)
        spatial = load(f"spatial_{split}.jsonl")
        check_labels(f"spatial_{split}", spatial, problems)
        check_spatial(f"spatial_{split}", spatial, problems)
        print(f"pose_{split}: {len(pose)}, spatial_{split}: {len(spatial)}")
    if (HERE / "spatial_dev2.jsonl").exists():  # the fourth writer's spatial expressions (dev, new scenes)
        spatial = load("spatial_dev2.jsonl")
        check_labels("spatial_dev2", spatial, problems)
        check_spatial("spatial_dev2", spatial, problems)
        check_single_spans("spatial_dev2", spatial, problems)
        scenes = {r["scene"]["name"] for r in spatial}
        print(f"spatial_dev2: {len(spatial)}, {Counter(r['label'] for r in spatial)}, {len(scenes)} scenes")
    answers = load("hoi_extractor_answers.jsonl")
    check_answers("extractor answers", answers, texts, problems)
    print(f"extractor answers: {len(answers)} texts, {sum(len(a['claims']) for a in answers)} claims")
    check_second_writer(subset, images, problems)
    check_third_writer(subset, images, problems)
    check_fifth_writer(problems)
    for p in problems:
        print("PROBLEM", p)
    print("OK" if not problems else f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
