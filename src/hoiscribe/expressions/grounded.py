"""Grounded referring expressions: phrased from boxes and categories alone, checked before use.

Two jobs. ``baseline_expressions`` / ``baseline_negatives`` are the rule-based source of
expressions (spatial words: left/right/top/bottom, largest/smallest, ordinals among objects
of the same category, relations to a single object of another category); every candidate
passes the spatial checker before it is returned, so the baseline is true by construction.
``respond`` lets the grounded engine play every role of the expression workflow (planner,
VQA, rewriter, reflector, generator) from the request's facts, so the whole workflow runs
offline and deterministically.
"""

from __future__ import annotations

import json
import random
from typing import Any

from hoiscribe.expressions.spatial import SpatialObject, check_expression, is_extreme, objects_from_facts, rank_of
from hoiscribe.expressions.spatial_parse import ordinal_word, plural

SIDE_BAND = 0.4  # a lone object is "on the left" when its centre is in the left 40% of the image
GAP = 0.04  # neighbours must be this fraction of the image apart for side and ordinal words
SIZE_RATIO = 1.25  # "largest" needs this much more box area than the runner-up
_NUMBERS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten"}
_MOST = {"left": "leftmost", "right": "rightmost", "top": "topmost", "bottom": "bottommost"}


def _number(n: int) -> str:
    return _NUMBERS.get(n, str(n))


def _gap_ok(target: SpatialObject, group: list[SpatialObject], axis: str, min_gap: float) -> bool:
    """No other object of the group is within ``min_gap`` pixels of the target along the axis."""
    pos = (lambda o: o.cx) if axis == "x" else (lambda o: o.cy)
    return all(abs(pos(o) - pos(target)) >= min_gap for o in group if o is not target)


def _lone_sides(target: SpatialObject, size: tuple[int, int]) -> tuple[str | None, str | None]:
    w, h = size
    hs = "left" if target.cx < SIDE_BAND * w else "right" if target.cx > (1 - SIDE_BAND) * w else None
    vs = "top" if target.cy < SIDE_BAND * h else "bottom" if target.cy > (1 - SIDE_BAND) * h else None
    return hs, vs


def traits(target: SpatialObject, objects: list[SpatialObject], size: tuple[int, int]) -> list[tuple[str, str]]:
    """What sets the target apart from its own category: (short phrase, clause) pairs."""
    c = target.category
    group = [o for o in objects if o.category == c]
    n = len(group)
    w, h = size
    out: list[tuple[str, str]] = []
    if n == 1:
        hs, vs = _lone_sides(target, size)
        if hs:
            out.append((f"the {c} on the {hs}", f"on the {hs} side of the image"))
        if vs:
            out.append((f"the {c} at the {vs}", f"at the {vs} of the image"))
        return out
    many = f"the {_number(n)} {plural(c)}"
    for side, axis, gap in (("left", "x", GAP * w), ("right", "x", GAP * w), ("top", "y", GAP * h),
                            ("bottom", "y", GAP * h)):  # fmt: skip
        if is_extreme(target, group, side) and _gap_ok(target, group, axis, gap):
            phrase = f"the {c} on the {side}" if n == 2 and axis == "x" else f"the {_MOST[side]} {c}"
            out.append((phrase, f"the {_MOST[side]} of {many}"))
    if n >= 3 and _gap_ok(target, group, "x", GAP * w):
        r = rank_of(target, group, "left")
        if r is not None and 1 < r < n:  # the ends are already "leftmost" / "rightmost"
            out.append((f"the {ordinal_word(r)} {c} from the left", f"the {ordinal_word(r)} of {many} from the left"))
            back = n - r + 1
            out.append((f"the {ordinal_word(back)} {c} from the right", f"the {ordinal_word(back)} from the right"))
            if n % 2 == 1 and r == (n + 1) // 2:
                out.append((f"the {c} in the middle", f"the one in the middle of {many}"))
    if n >= 3 and _gap_ok(target, group, "y", GAP * h) and not _gap_ok(target, group, "x", GAP * w):
        r = rank_of(target, group, "top")  # a stack: count from the top instead
        if r is not None and 1 < r < n:
            out.append((f"the {ordinal_word(r)} {c} from the top", f"the {ordinal_word(r)} of {many} from the top"))
            back = n - r + 1
            out.append((f"the {ordinal_word(back)} {c} from the bottom", f"the {ordinal_word(back)} from the bottom"))
    areas = sorted((o.area for o in group), reverse=True)
    if target.area >= SIZE_RATIO * areas[1]:
        out.append((f"the {'bigger' if n == 2 else 'largest'} {c}", f"the largest of {many}"))
    if target.area * SIZE_RATIO <= areas[-2]:
        out.append((f"the {'smaller' if n == 2 else 'smallest'} {c}", f"the smallest of {many}"))
    return out


def relations(target: SpatialObject, objects: list[SpatialObject], size: tuple[int, int]) -> list[str]:
    """Clauses relating the target to objects whose category occurs once ('to the left of the ball')."""
    w, h = size
    counts: dict[str, int] = {}
    for o in objects:
        counts[o.category] = counts.get(o.category, 0) + 1
    out = []
    for m in objects:
        if m is target or m.category == target.category or counts[m.category] != 1:
            continue
        if target.cx < m.cx - GAP * w:
            out.append(f"to the left of the {m.category}")
        elif target.cx > m.cx + GAP * w:
            out.append(f"to the right of the {m.category}")
        if target.cy < m.cy - GAP * h:
            out.append(f"above the {m.category}")
        elif target.cy > m.cy + GAP * h:
            out.append(f"below the {m.category}")
    return out


def candidate_expressions(
    target: SpatialObject, objects: list[SpatialObject], size: tuple[int, int]
) -> dict[str, list[str]]:
    """Short and long candidates before checking (the checker decides which survive)."""
    c = target.category
    found = traits(target, objects, size)
    rel = relations(target, objects, size)
    short = [phrase for phrase, _ in found]
    long: list[str] = []
    group_size = sum(o.category == c for o in objects)
    if group_size == 1:
        short.insert(0, f"the {c}")
        clauses = [clause for _, clause in found]
        if clauses:
            long.append(f"the only {c} in the image, {' and '.join(clauses)}")
        long += [f"the {c} {r}" for r in rel[:2]]
    else:
        clauses = [clause for _, clause in found]
        for i in range(len(clauses)):
            for j in range(i + 1, len(clauses)):
                long.append(f"the {c} that is {clauses[i]} and {clauses[j]}")
        if clauses:
            long += [f"the {c} {r}, {clauses[0]}" for r in rel[:2]]
    return {"short": short, "long": long}


def _unique_ok(text: str, target: SpatialObject, objects: list[SpatialObject], size: tuple[int, int]) -> bool:
    check = check_expression(text, target, objects, size, "positive")
    return check.ok and check.holds_for == [target.id]


def baseline_expressions(
    target: SpatialObject, objects: list[SpatialObject], size: tuple[int, int], num_short: int = 3, num_long: int = 2
) -> dict[str, list[str]]:
    """Checked positives: each is true of the target and of no other object."""
    cands = candidate_expressions(target, objects, size)
    return {
        kind: [t for t in dict.fromkeys(cands[kind]) if _unique_ok(t, target, objects, size)][:limit]
        for kind, limit in (("short", num_short), ("long", num_long))
    }


def baseline_negatives(
    target: SpatialObject, objects: list[SpatialObject], size: tuple[int, int], limit: int = 3
) -> dict[str, list[str]]:
    """Checked negatives: positives of other objects that are false of the target.

    Objects of the target's own category come first: they make the hardest negatives."""
    others = sorted((o for o in objects if o is not target), key=lambda o: o.category != target.category)
    per_object = [baseline_expressions(o, objects, size, num_short=2, num_long=1) for o in others]
    out: dict[str, list[str]] = {"short": [], "long": []}
    for kind in out:
        # round robin over the other objects, so negatives describe several of them
        queue = [t for rank in range(2) for texts in per_object for t in texts[kind][rank : rank + 1]]
        for t in queue:
            if len(out[kind]) >= limit:
                break
            if t not in out[kind] and check_expression(t, target, objects, size, "negative").ok:
                out[kind].append(t)
    return out


def vqa_answer(target: SpatialObject, objects: list[SpatialObject], size: tuple[int, int]) -> str:
    """What a VLM asked about the marked object would say, restricted to what boxes show."""
    c = target.category
    n = sum(o.category == c for o in objects)
    clauses = [clause for _, clause in traits(target, objects, size)]
    if n == 1:
        where = f", {' and '.join(clauses)}" if clauses else ""
        return f"The marked object is a {c}. It is the only {c} in the image{where}."
    if not clauses:
        return f"The marked object is a {c}, one of {_number(n)} {plural(c)} that are hard to tell apart by position."
    return f"The marked object is a {c}. It is {' and '.join(clauses[:2])}."


# ---- the workflow roles ------------------------------------------------------------------------

_VIEWS = ("crop", "extended_crop", "highlight")


def _plan(facts: dict[str, Any], target: SpatialObject, objects: list[SpatialObject], size: tuple[int, int]) -> str:
    check = check_expression(facts.get("expression") or "", target, objects, size, "positive")
    if check.ok:
        return json.dumps({"reasoning": "The expression names the object and no box contradicts it.", "actions": []})
    cycle = int(facts.get("cycle") or 1)
    view = _VIEWS[(cycle - 1) % len(_VIEWS)]
    c = target.category
    question = f"What is the marked object, and where is it compared with the other {plural(c)} in the image?"
    actions = [
        {"tool": view, "parameters": {}},
        {"tool": "vqa", "parameters": {"question": question}},
        {"tool": "rewrite", "parameters": {"instruction": "; ".join(check.problems)}},
    ]
    return json.dumps({"reasoning": "Problems: " + "; ".join(check.problems), "actions": actions})


def _rewrite(facts: dict[str, Any], target: SpatialObject, objects: list[SpatialObject], size: tuple[int, int]) -> str:
    label = facts.get("rewrite_label") or "Rewritten expression:"
    best = baseline_expressions(target, objects, size, num_short=3, num_long=1)
    plain = f"the {target.category}"
    ranked = sorted(best["short"], key=lambda t: t == plain) + best["long"]  # prefer words that locate it
    text = (ranked or [plain])[0]
    return f"{label} {text}"


def _reflect(facts: dict[str, Any], target: SpatialObject, objects: list[SpatialObject], size: tuple[int, int]) -> str:
    check = check_expression(facts.get("expression") or "", target, objects, size, "positive")
    duplicates = sum(o.category == target.category for o in objects) > 1
    if not check.ok:
        verdict, feedback = "wrong", "; ".join(check.problems)
    elif duplicates and check.holds_for != [target.id]:
        verdict, feedback = "uncertain", "boxes cannot tell whether it singles out this object among its kind"
    else:
        verdict, feedback = "correct", "consistent with every box in the image"
    return json.dumps({"verdict": verdict, "feedback": feedback})


def _generate(facts: dict[str, Any], target: SpatialObject, objects: list[SpatialObject], size: tuple[int, int]) -> str:
    n_short, n_long, n_neg = (int(facts.get(k) or d) for k, d in (("num_short", 3), ("num_long", 2),
                                                                    ("num_negative", 3)))  # fmt: skip
    pos = baseline_expressions(target, objects, size, n_short, n_long)
    neg = baseline_negatives(target, objects, size, n_neg)
    return json.dumps(
        {"short": pos["short"], "long": pos["long"], "negative_short": neg["short"], "negative_long": neg["long"]}
    )


def _direct(facts: dict[str, Any], target: SpatialObject, objects: list[SpatialObject], size: tuple[int, int]) -> str:
    """The single-shot answer (the task run without the workflow)."""
    pos = baseline_expressions(target, objects, size)
    neg = baseline_negatives(target, objects, size)
    expression = (pos["short"] or pos["long"] or [facts.get("raw_expression") or f"the {target.category}"])[0]
    return json.dumps(
        {"expression": expression, "positive": pos, "negative": neg["short"] + neg["long"]},
    )


_ROLES = {"plan": _plan, "rewrite": _rewrite, "reflect": _reflect, "generate": _generate, "direct": _direct}


def respond(facts: dict[str, Any], rng: random.Random) -> str:
    """The grounded engine's answer to an ``expressions`` request, by the role its facts name."""
    del rng  # every role is deterministic: the answer is a function of the boxes
    role = facts.get("role", "direct")
    target, objects, size = objects_from_facts(facts)
    if role == "vqa":
        return vqa_answer(target, objects, size)
    if role not in _ROLES:
        raise ValueError(f"unknown expressions role {role!r}")
    return _ROLES[role](facts, target, objects, size)
