"""How the HTML report shows a hoi_reason row: predicted boxes, the interactions, the tool-call chain.

The report calls ``report_view(record, row, image_records)`` (registered in
``catalog.REPORT_VIEWS``) and reads the plain dict it returns (see ``report/views.py``):
the image with every predicted person box and object box (the sample's GT pair dashed),
the predicted interactions as sentences, the final reasoning, and the chain turn by turn
(thought, each call with its arguments and the tool's answer; unreadable or failed calls
are marked as problems).

The checker is the rewards' triplet match (same verb and object, both boxes IoU >= 0.5)
against the GT pairs of the image among the run's samples (``image_records``):

* a prediction matching a GT pair is supported;
* one on a GT pair's boxes and object with a verb the GT does not list is unverifiable
  (HICO's verb labels are not exhaustive, and the teacher adds a low-scored second verb);
* one whose boxes match no GT pair, or that names another object there, is contradicted;
* the sample's own GT pair is supported when a prediction matches it, else contradicted
  (``wrong_verb`` when its boxes were found with other verbs, ``missed`` otherwise).

The stage passes when the chain answered and the sample's own pair was found.
"""

from __future__ import annotations

from typing import Any

from hoiscribe.agent.task import parse_hois
from hoiscribe.datasets.gt_index import normalise_object, normalise_verb
from hoiscribe.tasks.base import ParseError

IOU = 0.5
MAX_LISTED = 4  # list arguments longer than this are shortened in the chain


def _iou(a: list[float], b: list[float]) -> float:
    iw = min(a[2], b[2]) - max(a[0], b[0])
    ih = min(a[3], b[3]) - max(a[1], b[1])
    inter = max(iw, 0.0) * max(ih, 0.0)
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def _box(value: Any) -> list[float] | None:
    try:
        box = [float(v) for v in value]
    except (TypeError, ValueError):
        return None
    return box if len(box) == 4 and box[2] > box[0] and box[3] > box[1] else None


def _words(name: Any) -> str:
    return str(name or "?").replace("_", " ")


def _gt_pair(record: dict[str, Any]) -> dict[str, Any] | None:
    human, obj = _box(record.get("human_bbox")), _box(record.get("object_bbox"))
    if human is None or obj is None or not record.get("verb") or not record.get("object"):
        return None
    return {"human": human, "object": obj, "verb": normalise_verb(str(record["verb"])),
            "object_category": normalise_object(str(record["object"]))}  # fmt: skip


def _predictions(output: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for h in output.get("hois") or []:
        if not isinstance(h, dict):
            continue
        human, obj = _box(h.get("human")), _box(h.get("object"))
        if human is None or obj is None:
            continue
        score = h.get("score")
        out.append({"human": human, "object": obj, "verb": normalise_verb(str(h.get("verb") or "?")),
                    "object_category": normalise_object(str(h.get("object_category") or "?")),
                    "score": float(score) if isinstance(score, int | float) else 1.0})  # fmt: skip
    return sorted(out, key=lambda p: -p["score"])


def _overlap(p: dict[str, Any], g: dict[str, Any]) -> float:
    return min(_iou(p["human"], g["human"]), _iou(p["object"], g["object"]))


def _judge(p: dict[str, Any], gts: list[dict[str, Any]]) -> tuple[str, str, str]:
    """(status, type, why) of one prediction against the image's GT pairs."""
    on_pair = [g for g in gts if _overlap(p, g) >= IOU]
    if any(g["verb"] == p["verb"] and g["object_category"] == p["object_category"] for g in on_pair):
        return "supported", "match", "matches a GT pair"
    same_object = [g for g in on_pair if g["object_category"] == p["object_category"]]
    if same_object:
        verbs = ", ".join(sorted({_words(g["verb"]) for g in same_object}))
        return "unverifiable", "verb_not_in_gt", f"the GT labels this pair {verbs} only"
    if on_pair:
        return "contradicted", "wrong_object", f"the GT object on these boxes is a {on_pair[0]['object_category']}"
    if not gts:
        return "unverifiable", "no_gt", "the image has no GT pair in this run"
    best = max(_overlap(p, g) for g in gts)
    return "contradicted", "no_gt_pair", f"no GT pair has these boxes (best overlap {best:.2f})"


def _claim(p: dict[str, Any]) -> str:
    return f"{_words(p['verb'])} {p['object_category']} ({p['score']:.2f})"


def _box_text(box: list[float]) -> str:
    return "[" + ", ".join(f"{v:.0f}" for v in box) + "]"


def _arguments(args: Any) -> str:
    if not isinstance(args, dict):
        return "" if args is None else str(args)
    parts = []
    for key, value in args.items():
        if isinstance(value, list) and len(value) > MAX_LISTED:
            value = ", ".join(map(str, value[:MAX_LISTED])) + f", … (+{len(value) - MAX_LISTED})"
        elif isinstance(value, list):
            value = ", ".join(map(str, value))
        parts.append(f"{key}: {value}")
    return "; ".join(parts)


def _answer_line(answer: str, tag: str) -> dict[str, Any]:
    """The final answer as the interactions it names; an unreadable one verbatim, marked."""
    try:
        hois = _predictions(parse_hois(f"<answer>{answer}</answer>"))
    except ParseError as exc:
        text = f"answers: {answer}"
        return {"text": text, "tag": tag, "marks": [{"claim": text, "kind": "problem", "note": str(exc)}]}
    named = ", ".join(_claim(p) for p in hois) if hois else "no interaction"
    return {"text": f"answers: {named}", "tag": tag}


def _chain(meta: dict[str, Any]) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = []
    for step in meta.get("chain") or []:
        if not isinstance(step, dict):
            continue
        tag = f"turn {int(step.get('turn') or 0) + 1}"
        if step.get("thought"):
            lines.append({"text": f"thinks: {step['thought']}", "tag": tag})
        results = [r for r in step.get("results") or [] if isinstance(r, dict)]
        by_id = {r.get("id"): r for r in results if r.get("id")}
        for k, call in enumerate(c for c in step.get("calls") or [] if isinstance(c, dict)):
            res = by_id.get(call.get("id")) or (results[k] if k < len(results) else {})
            text = f"{call.get('name') or '?'}({_arguments(call.get('arguments'))}) → {res.get('text') or 'no result'}"
            error = call.get("error") or (res.get("error") if res.get("ok") is False else None)
            marks = [{"claim": text, "kind": "problem", "note": str(error)}] if error else []
            lines.append({"text": text, "tag": tag, "marks": marks})
        if step.get("answer") is not None:
            lines.append(_answer_line(str(step["answer"]), tag))
    return lines


def _picture(record: dict[str, Any], preds: list[dict[str, Any]], gt: dict[str, Any] | None) -> dict[str, Any]:
    boxes: list[dict[str, Any]] = []
    if gt is not None:
        boxes += [{"box": gt["human"], "role": "reference", "label": "GT person"},
                  {"box": gt["object"], "role": "reference", "label": f"GT {gt['object_category']}"}]  # fmt: skip
    seen: set[tuple[str, tuple[float, ...]]] = set()
    for p in preds:
        for role, box, label in (("human", p["human"], "person"), ("object", p["object"], p["object_category"])):
            key = (role, tuple(round(v, 1) for v in box))
            if key not in seen:
                seen.add(key)
                boxes.append({"box": box, "role": role, "label": label})
    return {"label": str(record.get("file_name") or ""), "file": None,
            "size": [record.get("width"), record.get("height")], "boxes": boxes}  # fmt: skip


def report_view(record: dict[str, Any], row: dict[str, Any], image_records: list[dict[str, Any]]) -> dict[str, Any]:
    """The report's view of one hoi_reason row (plain data; see ``hoiscribe.report.views``)."""
    output = row.get("output") if row.get("status") == "ok" and isinstance(row.get("output"), dict) else None
    meta = row.get("meta") if isinstance(row.get("meta"), dict) else {}
    agent = meta.get("agent") if isinstance(meta.get("agent"), dict) else {}
    gt = _gt_pair(record)
    gts = [g for g in map(_gt_pair, image_records or [record]) if g is not None]
    preds = _predictions(output) if output is not None else []
    view: dict[str, Any] = {"pictures": [_picture(record, preds, gt)], "group_name": "HOI class"}
    if gt is not None:
        view["group"] = f"{_words(gt['verb'])} {gt['object_category']}"
    sections: list[dict[str, Any]] = []
    if output is not None:
        claims, lines = [], []
        if gt is not None:
            found = any(_overlap(p, gt) >= IOU and p["verb"] == gt["verb"] and p["object_category"] ==
                        gt["object_category"] for p in preds)  # fmt: skip
            here = [p for p in preds if _overlap(p, gt) >= IOU and p["object_category"] == gt["object_category"]]
            text = f"GT {_words(gt['verb'])} {gt['object_category']}"
            if found:
                claims.append({"claim": text, "status": "supported", "type": "found", "why": "a prediction matches"})
            elif here:
                said = ", ".join(_claim(p) for p in here)
                claims.append({"claim": text, "status": "contradicted", "type": "wrong_verb",
                               "why": f"the agent said {said} for this pair"})  # fmt: skip
            else:
                claims.append({"claim": text, "status": "contradicted", "type": "missed",
                               "why": "no prediction on this pair's boxes"})  # fmt: skip
            lines.append({"text": f"{text}: person {_box_text(gt['human'])} → {gt['object_category']} "
                          f"{_box_text(gt['object'])}", "tag": "this sample"})  # fmt: skip
        for p in preds:
            status, kind, why = _judge(p, gts)
            claims.append({"claim": _claim(p), "status": status, "type": kind, "why": why})
            lines.append({"text": f"{_claim(p)}: person {_box_text(p['human'])} → {p['object_category']} "
                          f"{_box_text(p['object'])}", "tag": "predicted"})  # fmt: skip
        if not preds:
            lines.append({"text": "no interaction predicted", "tag": "predicted"})
        if output.get("skipped"):
            note = f"{output['skipped']} entries of the answer could not be read"
            lines.append({"text": note, "tag": "answer", "marks": [{"claim": note, "kind": "problem", "note": ""}]})
        sections.append({"title": "Interactions", "lines": lines, "checked": True})
        if output.get("thinking"):
            sections.append({"title": "Reasoning", "lines": [str(output["thinking"])]})
        view["checker"] = {"title": f"GT match (same verb and object, both boxes IoU ≥ {IOU})", "claims": claims}
        view["passed"] = agent.get("status", "answered") == "answered" and (gt is None or claims[0]["status"] ==
                                                                             "supported")  # fmt: skip
    chain = _chain(meta)
    if chain:
        summary = (
            f"{agent.get('status', '?')} after {agent.get('turns', '?')} turns, {agent.get('calls', 0)} calls "
            f"({agent.get('invalid_calls', 0)} invalid, {agent.get('over_budget_calls', 0)} over budget)"
        )
        sections.append({"title": "Tool calls", "lines": [{"text": summary, "tag": "agent"}, *chain]})
    view["sections"] = sections
    if agent.get("status"):
        view["outcome"] = str(agent["status"])
    tallies = {"Tool calls": agent.get("tools_used"), "Invalid tool calls": agent.get("invalid_kinds")}
    view["tallies"] = {k: v for k, v in tallies.items() if isinstance(v, dict) and v}
    return view
