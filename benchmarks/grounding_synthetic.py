"""Quality benchmark of the grounding checker on a labelled set of true and corrupted descriptions.

Texts come from the grounded engine (``describe``/``refine`` and its sentence builders) on the
real 200-image HAKE subset (606 pairs) and the demo set. True variants: the engine's own
output and meaning-preserving rewrites (opener paraphrases, present simple, possessives,
reordered or merged sentences, a correct person count, left/right swaps that stay true).
Corrupted variants: left/right swap, another verb, another object, a claim about a part
whose keypoints are hidden (the demo rider's left foot, plus copies of samples with a part's
keypoints hidden), a part state HAKE rules out, a wrong person count. A variant counts as
corrupted only when it changed the text and some sentence of it is false of the facts;
variants whose truth the facts cannot settle are left out.

A description is flagged when the checker finds >= 1 contradicted claim. Prints precision and
recall at flagging corrupted descriptions, recall per corruption type and the time taken.

    python benchmarks/grounding_synthetic.py [--limit N] [--seed S] [--show K]  (also run by bench_grounding.py)
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from hoiscribe.core.records import Keypoints, Sample
from hoiscribe.datasets.demo import read_demo, write_demo_set
from hoiscribe.datasets.hico import read_hico
from hoiscribe.datasets.seed import seed_record
from hoiscribe.hoi_text.checker import check_text
from hoiscribe.hoi_text.claim_rules import (
    BEND_SCALE,
    HEIGHT_SCALE,
    POSE_TOLERANCE,
    actual_pose,
    part_name,
    same_cluster,
    side_agrees,
    side_states,
    states_compatible,
    verb_agrees,
)
from hoiscribe.hoi_text.claim_words import object_surfaces, third_person
from hoiscribe.hoi_text.facts import sample_facts
from hoiscribe.hoi_text.grounded import describe, interaction_phrase, part_sentences, posecode_sentences, refine
from hoiscribe.hoi_text.record_facts import facts_for_records
from hoiscribe.vocab.hake import HAKE_PARTS, PART_KEYPOINTS, group_states, part_state
from hoiscribe.vocab.hico import hico
from hoiscribe.vocab.keypoints import COCO17
from hoiscribe.vocab.lexicon import gerund, object_text

ROOT = Path(__file__).resolve().parents[1]
HAKE_SUBSET = ROOT / "tests" / "data" / "hake" / "hico-det-training-set-instance-level.first200.json"
CORRUPTIONS = ("left_right_swap", "wrong_verb", "wrong_object", "invisible_part", "part_state", "person_count")
_NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
# a standing person in a unit box (x, y in 0..1), to give keypoint-less HICO samples hideable parts
_STAND = {
    "nose": (0.5, 0.06), "left_eye": (0.53, 0.04), "right_eye": (0.47, 0.04), "left_ear": (0.56, 0.05),
    "right_ear": (0.44, 0.05), "left_shoulder": (0.65, 0.16), "right_shoulder": (0.35, 0.16),
    "left_elbow": (0.7, 0.32), "right_elbow": (0.3, 0.32), "left_wrist": (0.71, 0.46), "right_wrist": (0.29, 0.46),
    "left_hip": (0.58, 0.53), "right_hip": (0.42, 0.53), "left_knee": (0.59, 0.75), "right_knee": (0.41, 0.75),
    "left_ankle": (0.59, 0.97), "right_ankle": (0.41, 0.97),
}  # fmt: skip


@dataclass(frozen=True)
class Case:
    """One labelled text: checked against ``facts``; ``kind`` is the rewrite or corruption made."""

    text: str
    facts: dict[str, Any]
    corrupted: bool
    kind: str
    sample_id: str


@dataclass(frozen=True)
class Item:
    """One sentence-sized fact of a description: a HAKE state (on one or both sides) or a posecode."""

    kind: str  # "state" or "pose"
    group: str  # HAKE group, or posecode code
    value: str  # state or pose value
    sides: tuple[str | None, ...]
    sentence: str


# ---------------------------------------------------------------- samples and facts


def load_samples(workdir: Path, limit: int | None = None) -> list[Sample]:
    """The real HAKE subset (first ``limit`` pairs) and the demo set."""
    hico_root = workdir / "hico"
    ann = hico_root / "Annotation" / "hico-det-instance-level"
    ann.mkdir(parents=True, exist_ok=True)
    shutil.copy(HAKE_SUBSET, ann / "hico-det-training-set-instance-level.json")
    (hico_root / "Images" / "images" / "train2015").mkdir(parents=True, exist_ok=True)
    real = read_hico(hico_root).samples[:limit]
    demo = read_demo(write_demo_set(workdir / "demo")).samples
    return real + demo


def facts_with_context(samples: list[Sample]) -> dict[str, dict[str, Any]]:
    """sample_facts plus the pair's other HOI labels, as ``hoiscribe check`` sees a merged file."""
    records = [dict(seed_record(s), sample_id=s.sample_id) for s in samples]
    out = {}
    for s, from_record in zip(samples, facts_for_records(records), strict=True):
        facts = sample_facts(s)
        if isinstance(from_record, dict):
            facts["pair_verbs"] = from_record.get("pair_verbs", [])
        out[s.sample_id] = facts
    return out


def with_keypoints(sample: Sample, hidden: tuple[str, ...] = ()) -> Sample:
    """A copy with keypoints (the sample's own, or a standing template in its box) and some hidden."""
    kps = sample.person.keypoints
    if kps is None:
        b = sample.person.box
        xyv = np.array(
            [[b.x1 + u * (b.x2 - b.x1), b.y1 + v * (b.y2 - b.y1), 2.0] for u, v in (_STAND[n] for n in COCO17.names)]
        )
    else:
        xyv = kps.as_coco17().xyv.copy()
    for name in hidden:
        xyv[COCO17.index(name), 2] = 0.0
    return replace(sample, person=replace(sample.person, keypoints=Keypoints(xyv, COCO17)))


def with_idle_part(sample: Sample, part: str) -> Sample:
    """A copy where HAKE marks one more part as no_interaction."""
    pid = next(i for i, p in enumerate(HAKE_PARTS) if p[0] == part)
    idle = part_state(pid, group_states()[HAKE_PARTS[pid][1]].index("no_interaction"))
    return replace(sample, person=replace(sample.person, part_states=(*sample.person.part_states, idle)))


# ---------------------------------------------------------------- rendering


def items(facts: dict[str, Any], rng: random.Random) -> list[Item]:
    """The facts as sentences, phrased by the grounded engine's own builders."""
    obj = facts.get("object")
    by_state: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for ps in facts["part_states"]:
        by_state[(ps["group"], ps["state"])].append(ps)
    out = []
    for (group, state), parts in by_state.items():
        sentence = part_sentences({"object": obj, "part_states": parts})[0]
        out.append(Item("state", group, state, tuple(sorted(p["side"] or "" for p in parts)) or (None,), sentence))
    for pc in facts["posecodes"]:
        sentence = posecode_sentences({"posecodes": [pc]}, rng)[0]
        out.append(Item("pose", pc["code"], pc["value"], (pc["side"],), sentence))
    return [replace(i, sides=tuple(s or None for s in i.sides)) for i in out]


@dataclass(frozen=True)
class Style:
    layout: str  # "bullets", "prose" or "merged"
    opener: int
    present: bool
    possessive: str
    shuffle: bool
    instrument: bool  # "The person is holding the cup with the right hand."

    @classmethod
    def random(cls, rng: random.Random) -> Style:
        return cls(
            layout=rng.choice(("bullets", "prose", "merged")),
            opener=rng.randrange(5),
            present=rng.random() < 0.5,
            possessive=rng.choice(("", "", "His", "Her", "Their", "The person's")),
            shuffle=rng.random() < 0.5,
            instrument=rng.random() < 0.3,
        )


def _lemma_of_gerund() -> dict[str, str]:
    lemmas = {h.verb.split("_")[0] for h in hico().hois}
    lemmas |= {st.split(" ")[0].split("(")[0] for states in group_states().values() for st in states}
    return {gerund(w): w for w in lemmas}


_LEMMA = _lemma_of_gerund()


def _present(sentence: str) -> str:
    """'The right hand is holding the cup.' -> 'The right hand holds the cup.'"""

    def sub(m: re.Match[str]) -> str:
        lemma = _LEMMA.get(m.group(2))
        if lemma is None:
            return m.group(0)
        return third_person(lemma) if m.group(1) == "is" else lemma

    return re.sub(r"\b(is|are) ([a-z]+ing)\b", sub, sentence)


def opener(facts: dict[str, Any], style: Style) -> str:
    vp = interaction_phrase(facts["interaction"])
    if vp is None:
        return "The person's body pose is described below."
    head, _, rest = vp.partition(" ")
    if head == "not":
        vp3 = "does " + vp.replace("interacting", "interact")
    else:
        vp3 = f"{third_person(_LEMMA.get(head, head))} {rest}"
    return (
        f"The person is {vp}.",
        f"A man is {vp}.",
        f"In this picture, a woman {vp3}.",
        f"The image shows someone {vp}.",
        f"Here, a person {vp3}.",
    )[style.opener]


def render(facts: dict[str, Any], rng: random.Random, style: Style, extra: tuple[str, ...] = ()) -> str:
    """A description of ``facts`` in one style; ``extra`` sentences go at the end."""
    sentences = []
    for item in items(facts, rng):
        s = item.sentence
        m = re.fullmatch(r"The (left|right) hand is ([a-z]+ing .*)\.", s)
        if style.instrument and m and not re.search(r"both hands|over the head|shoulder", s):
            s = f"The person is {m.group(2)} with the {m.group(1)} hand."
        if style.present and item.kind == "state":
            s = _present(s)
        if style.possessive and s.startswith("The ") and item.kind == "state":
            s = f"{style.possessive} {s[4:]}"
        elif style.possessive and s.startswith("Both ") and item.kind == "state":
            pron = {"The person's": "the person's"}.get(style.possessive, style.possessive.lower())
            s = f"Both of {pron} {s[5:]}"
        sentences.append(s)
    if style.shuffle:
        rng.shuffle(sentences)
    sentences += list(extra)
    first = opener(facts, style)
    if style.layout == "bullets":
        return first + ("\n\n" + "\n".join(f"- {s}" for s in sentences) if sentences else "")
    if style.layout == "merged":
        merged = []
        for k in range(0, len(sentences), 2):
            pair = sentences[k : k + 2]
            if len(pair) == 2:
                merged.append(pair[0].rstrip(".") + ", while " + pair[1][0].lower() + pair[1][1:])
            else:
                merged.append(pair[0])
        sentences = merged
    return " ".join([first, *sentences])


# ---------------------------------------------------------------- truth of a sentence (the labels)


def item_truth(item: Item, facts: dict[str, Any]) -> bool | None:
    """True/False when the facts settle the sentence, None when they do not."""
    hidden = set(facts["hidden_parts"])
    if item.kind == "state":
        results = []
        single = len(item.sides) == 1
        for side in item.sides:
            part = part_name(item.group, side)
            claimed = frozenset({item.value})
            other = {"left": "right", "right": "left"}.get(side or "")
            if part in hidden:
                results.append(False)
            elif side_agrees(facts, item.group, side, claimed):
                strong_other = single and other and same_cluster(facts, item.group, other, claimed)
                results.append(not (strong_other and not same_cluster(facts, item.group, side, claimed)))
            elif (
                (single and other and side_agrees(facts, item.group, other, claimed))
                or part in facts["idle_parts"]
                or side_states(facts, item.group, side)
            ):
                results.append(False)
            else:
                results.append(None)
        return False if False in results else (None if None in results else True)
    if item.group in ("elbow", "knee", "hand_height"):
        side = item.sides[0]
        part = part_name({"elbow": "arm", "knee": "leg", "hand_height": "hand"}[item.group], side)
        if part in hidden:
            return False
        actual = actual_pose(facts, item.group, side)
        if actual is None:
            return None
        want = (BEND_SCALE if item.group != "hand_height" else HEIGHT_SCALE)[item.value]
        return any(abs(a - want) <= POSE_TOLERANCE for a in actual)
    return True  # whole-body codes are never corrupted here


def text_truth(rendered: dict[str, Any], facts: dict[str, Any], rng: random.Random) -> bool | None:
    results = [item_truth(i, facts) for i in items(rendered, rng)]
    return False if False in results else (None if None in results else True)


def mirror(facts: dict[str, Any]) -> dict[str, Any]:
    """The facts with the person's left and right exchanged."""
    flip = {"left": "right", "right": "left"}

    def name(part: str) -> str:
        side, _, rest = part.partition(" ")
        return f"{flip[side]} {rest}" if side in flip else part

    out = dict(facts)
    out["part_states"] = [
        dict(ps, side=flip.get(ps["side"], ps["side"]), part=name(ps["part"])) for ps in facts["part_states"]
    ]
    out["posecodes"] = [dict(pc, side=flip.get(pc["side"], pc["side"])) for pc in facts["posecodes"]]
    return out


# ---------------------------------------------------------------- the labelled set


def build_cases(samples: list[Sample], seed: int = 0) -> list[Case]:
    """True and corrupted descriptions of every sample, labelled."""
    context = facts_with_context(samples)
    cases: list[Case] = []
    for s in samples:
        cases.extend(_sample_cases(s, context[s.sample_id], random.Random(f"{seed}:{s.sample_id}")))
    return cases


def _sample_cases(s: Sample, facts: dict[str, Any], rng: random.Random) -> Iterator[Case]:
    sid = s.sample_id

    def case(text: str, truth: dict[str, Any], corrupted: bool, kind: str) -> Case:
        return Case(text, truth, corrupted, kind, sid)

    yield case(describe(facts, random.Random(1)), facts, False, "original")
    yield case(refine(facts, random.Random(1)), facts, False, "original")
    for _ in range(2):
        yield case(render(facts, rng, Style.random(rng)), facts, False, "rewrite")
    known = facts["people_in_image"]
    if known is not None and facts["object"] and facts["object"]["category"] == "person":
        known = max(known, 2)  # the pair's object is a second person
    if known is not None:
        yield case(render(facts, rng, Style.random(rng), (_count_sentence(known),)), facts, False, "count_true")
        if known >= 2:  # annotated people are a lower bound: only "alone" can be false
            yield case(render(facts, rng, Style.random(rng), (_count_sentence(1),)), facts, True, "person_count")
    yield from _swap(facts, rng, case)
    yield from _wrong_verb(facts, rng, case)
    yield from _wrong_object(facts, rng, case)
    yield from _part_state(facts, rng, case)
    yield from _invisible(s, facts, rng, case)
    yield from _idle(s, facts, rng, case)


def _count_sentence(n: int) -> str:
    if n == 1:
        return "Only one person is in the image."
    word = _NUMBERS[n] if n < len(_NUMBERS) else str(n)
    return f"There are {word} people in the image."


def _swap(facts: dict[str, Any], rng: random.Random, case: Any) -> Iterator[Case]:
    style = Style.random(rng)
    seed = rng.random()
    original = render(facts, random.Random(seed), style)
    mirrored = mirror(facts)
    text = render(mirrored, random.Random(seed), style)
    if text == original:
        return
    truth = text_truth(mirrored, facts, random.Random(seed))
    if truth is not None:
        yield case(text, facts, not truth, "left_right_swap" if not truth else "swap_true")


_LOOKING = ("watch", "inspect", "check", "read")  # a gaze the facts settle only when HAKE annotates the head


def _head_annotated(facts: dict[str, Any]) -> bool:
    return "head" in facts["idle_parts"] or any(p["group"] == "head" for p in facts["part_states"])


def _wrong_verb(facts: dict[str, Any], rng: random.Random, case: Any) -> Iterator[Case]:
    it = facts["interaction"]
    if it is None:
        return
    options = sorted(
        {
            h.verb
            for h in hico().hois
            if h.object == it["object"]
            and h.verb not in ("no_interaction", it["verb"])
            and not verb_agrees(h.verb, facts)
            and not (h.verb in _LOOKING and not _head_annotated(facts))
        }
    )
    if options:
        wrong = dict(facts, interaction=dict(it, verb=rng.choice(options)))
        yield case(render(wrong, rng, Style.random(rng)), facts, True, "wrong_verb")


def _wrong_object(facts: dict[str, Any], rng: random.Random, case: Any) -> Iterator[Case]:
    it = facts["interaction"]
    if it is None:
        return
    own = object_text(it["object"])
    options = [
        o
        for o in hico().objects
        if o not in (it["object"], "person")
        and own not in object_text(o)
        and object_text(o) not in own
        and it["object"] not in object_surfaces()[object_text(o)]
    ]
    other = rng.choice(options)
    wrong = dict(facts, interaction=dict(it, object=other), object=dict(facts["object"], category=other))
    yield case(render(wrong, rng, Style.random(rng)), facts, True, "wrong_object")


def _part_state(facts: dict[str, Any], rng: random.Random, case: Any) -> Iterator[Case]:
    """Replace one annotated state with one HAKE rules out for that part (and its mirror)."""
    states = [i for i in items(facts, rng) if i.kind == "state"]
    rng.shuffle(states)
    for item in states:
        annotated = [st for side in item.sides for st in side_states(facts, item.group, side)]
        others = [
            p["state"]
            for p in facts["part_states"]
            if p["group"] == item.group and p["side"] not in item.sides and p["side"] is not None
        ]
        options = [
            st
            for st in group_states()[item.group]
            if st != "no_interaction"
            and not any(states_compatible(item.group, frozenset({st}), a) for a in annotated + others)
        ]
        if not options:
            continue
        new = rng.choice(options)
        changed = dict(
            facts,
            part_states=[
                dict(p, state=new) if p["group"] == item.group and p["state"] == item.value else p
                for p in facts["part_states"]
            ],
        )
        if text_truth(changed, facts, random.Random(0)) is False:
            yield case(render(changed, rng, Style.random(rng)), facts, True, "part_state")
        return


def _with_states(facts: dict[str, Any], added: list[dict[str, Any]]) -> dict[str, Any]:
    return dict(facts, part_states=[*facts["part_states"], *added])


def _invisible(s: Sample, facts: dict[str, Any], rng: random.Random, case: Any) -> Iterator[Case]:
    """Describe a HAKE state of a part whose keypoints are hidden (in the sample, or in a copy)."""
    live = [ps for ps in s.person.part_states if not ps.is_no_interaction]
    if not live:
        return
    hidden_states = [ps for ps in live if ps.part in facts["hidden_parts"]]
    truth, copy_facts = facts, None
    if not hidden_states:
        ps = rng.choice(live)
        copy = with_keypoints(s, PART_KEYPOINTS[ps.part])
        copy_facts = dict(sample_facts(copy), pair_verbs=facts.get("pair_verbs", []))
        truth, hidden_states = copy_facts, [ps]
        yield case(render(copy_facts, rng, Style.random(rng)), copy_facts, False, "hidden_copy")
    added = [{"part": p.part, "group": p.group, "side": p.side, "state": p.state} for p in hidden_states]
    yield case(render(_with_states(truth, added), rng, Style.random(rng)), truth, True, "invisible_part")


def _idle(s: Sample, facts: dict[str, Any], rng: random.Random, case: Any) -> Iterator[Case]:
    """Give a state to a part HAKE marks as no_interaction (in the sample, or in a copy)."""
    if facts["interaction"] is None:
        return
    idle, truth = list(facts["idle_parts"]), facts
    if not idle:
        used = {ps.part for ps in s.person.part_states} | set(facts["hidden_parts"])
        free = [p[0] for p in HAKE_PARTS if p[0] not in used]
        if not free or rng.random() < 0.5:
            return
        part = rng.choice(free)
        copy_facts = dict(sample_facts(with_idle_part(s, part)), pair_verbs=facts.get("pair_verbs", []))
        idle, truth = [part], copy_facts
        yield case(render(copy_facts, rng, Style.random(rng)), copy_facts, False, "idle_copy")
    part = rng.choice(idle)
    pid = next(i for i, p in enumerate(HAKE_PARTS) if p[0] == part)
    _, group, side = HAKE_PARTS[pid]
    state = rng.choice([st for st in group_states()[group] if st != "no_interaction"])
    added = [{"part": part, "group": group, "side": side, "state": state}]
    yield case(render(_with_states(truth, added), rng, Style.random(rng)), truth, True, "part_state")


# ---------------------------------------------------------------- scoring


def score(cases: list[Case]) -> dict[str, Any]:
    """Precision/recall of 'has a contradiction' as a detector of corrupted descriptions."""
    tp = fp = fn = tn = 0
    per_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    typed_right: Counter[str] = Counter()
    misses: list[tuple[Case, list[Any]]] = []
    false_alarms: list[tuple[Case, list[Any]]] = []
    for c in cases:
        found = check_text(c.text, c.facts).contradicted
        if c.corrupted:
            per_type[c.kind][1] += 1
            if found:
                tp += 1
                per_type[c.kind][0] += 1
                typed_right[c.kind] += any(f.type == c.kind for f in found)
            else:
                fn += 1
                misses.append((c, found))
        elif found:
            fp += 1
            false_alarms.append((c, found))
        else:
            tn += 1
    return {
        "cases": len(cases),
        "corrupted": tp + fn,
        "true": fp + tn,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "false_alarm_rate": fp / (fp + tn) if fp + tn else 0.0,
        "per_type": {
            k: {"recall": v[0] / v[1], "n": v[1], "typed": typed_right[k] / v[1]} for k, v in per_type.items()
        },
        "true_kinds": dict(Counter(c.kind for c in cases if not c.corrupted)),
        "misses": misses,
        "false_alarms": false_alarms,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="use only the first N real pairs")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show", type=int, default=3, help="print this many misses and false alarms")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        samples = load_samples(Path(tmp), args.limit)
        t0 = time.perf_counter()
        cases = build_cases(samples, args.seed)
        t1 = time.perf_counter()
        result = score(cases)
        t2 = time.perf_counter()
    print(f"samples: {len(samples)}  cases: {result['cases']} ({result['corrupted']} corrupted, {result['true']} true)")
    print(f"true variants: {result['true_kinds']}")
    print(f"precision: {result['precision']:.4f}  recall: {result['recall']:.4f}", end="")
    print(f"  false alarms on true texts: {result['false_alarm_rate']:.4f}")
    print("recall per corruption type (n, share whose contradictions include that type):")
    for kind in CORRUPTIONS:
        r = result["per_type"].get(kind)
        if r:
            print(f"  {kind:16s} recall {r['recall']:.4f}  n={r['n']:5d}  typed {r['typed']:.3f}")
    n_claims = sum(len(check_text(c.text, c.facts).claims) for c in cases[:200])
    print(f"build {t1 - t0:.2f}s, check {t2 - t1:.2f}s ({1e3 * (t2 - t1) / len(cases):.2f} ms/text, "
          f"~{n_claims / min(200, len(cases)):.1f} claims/text)")  # fmt: skip
    for title, rows in (("missed", result["misses"]), ("false alarm", result["false_alarms"])):
        for c, found in rows[: args.show]:
            print(f"--- {title} [{c.kind}] {c.sample_id}\n{c.text}")
            for f in found:
                print(f"    {f.type}: {f.reason} | {f.text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
