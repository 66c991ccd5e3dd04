"""How the HTML report shows a referring-expression row: the chosen box, the expressions, the spatial checker.

The report calls ``report_view(record, row, image_records)`` (registered in
``catalog.REPORT_VIEWS``) and reads the plain dict it returns (see ``report/views.py``):
the image with the chosen object highlighted and every other object outlined; the given
and the final expression, the kept positives and negatives per source, the texts the
spatial checker rejected, and the workflow's cycles (plan, tool steps, reflection) as
sentences. The checker section lists the final expression's claims as the run judged them
(the last cycle that checked it; checked again from the boxes when no cycle did) and every
rejected text. A contradicted span of the given expression is marked too, but does not
count against the stage: the workflow is there to fix it.
"""

from __future__ import annotations

from typing import Any

from hoiscribe.expressions.spatial import SpatialObject, check_expression

POLARITIES = ("positive", "negative")
_HOLDS = {True: "supported", False: "contradicted", None: "unverifiable"}


def _obj(d: Any) -> dict[str, Any] | None:
    return d if isinstance(d, dict) and isinstance(d.get("bbox"), list) and len(d["bbox"]) == 4 else None


def _picture(record: dict[str, Any]) -> dict[str, Any]:
    boxes = [{"box": o["bbox"], "role": "other", "label": f"{o.get('category') or '?'} #{o.get('id')}"}
             for o in map(_obj, record.get("other_objects") or []) if o is not None]  # fmt: skip
    if isinstance(record.get("bbox"), list):
        boxes.append({"box": record["bbox"], "role": "chosen",
                      "label": f"{record.get('category') or '?'} #{record.get('object_id')} (chosen)"})  # fmt: skip
    name = record.get("file_name")
    return {"label": str(name or ""), "file": name if isinstance(name, str) else None,
            "size": [record.get("width"), record.get("height")], "boxes": boxes}  # fmt: skip


def _spatial_of(record: dict[str, Any], text: str, polarity: str = "positive") -> dict[str, Any] | None:
    """The checker's verdict on ``text`` from the record's boxes; None when the boxes are unusable."""
    try:
        target = SpatialObject(record.get("object_id"), str(record["category"]),
                               tuple(float(v) for v in record["bbox"]))  # type: ignore[arg-type]  # fmt: skip
        others = [SpatialObject.from_dict(o) for o in map(_obj, record.get("other_objects") or []) if o is not None]
        size = (int(record["width"]), int(record["height"]))
    except (KeyError, TypeError, ValueError):
        return None
    return check_expression(text, target, [target, *others], size, polarity).as_dict()  # type: ignore[arg-type]


def _claims(spatial: dict[str, Any]) -> list[dict[str, Any]]:
    """Claim-level results, then problems no single claim explains (wrong referent, ambiguity)."""
    claims, false_spans = [], []
    for c in spatial.get("claims") or []:
        if not isinstance(c, dict):
            continue
        span = str(c.get("span") or c.get("value") or "")
        claims.append({"claim": span, "status": _HOLDS.get(c.get("holds"), "unverifiable"),
                       "type": c.get("kind"), "why": c.get("why")})  # fmt: skip
        if c.get("holds") is False:
            false_spans.append(span)
    for problem in spatial.get("problems") or []:
        if not any(str(problem).startswith(f"'{s}'") for s in false_spans):
            claims.append({"claim": str(spatial.get("text") or ""), "status": "contradicted", "type": "expression",
                           "why": str(problem)})  # fmt: skip
    return claims


def _marks(spatial: dict[str, Any] | None, note: str = "") -> list[dict[str, Any]]:
    marks = []
    for c in _claims(spatial or {}):
        if c["status"] == "contradicted" and c["claim"]:
            marks.append({"claim": c["claim"], "kind": "contradicted", "note": f"{note}{c['type']} — {c['why']}"})
    return marks


def _final_check(
    output: dict[str, Any], history: list[dict[str, Any]], record: dict[str, Any]
) -> dict[str, Any] | None:
    expression = output.get("expression")
    for cycle in reversed(history):
        spatial = cycle.get("spatial")
        if isinstance(spatial, dict) and spatial.get("text") == expression:
            return spatial
    return _spatial_of(record, expression) if isinstance(expression, str) and expression else None


def _workflow(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = []
    for cycle in history:
        tag = f"cycle {cycle.get('cycle', len(lines) + 1)}"
        plan = cycle.get("plan") if isinstance(cycle.get("plan"), dict) else {}
        if plan.get("error"):
            lines.append({"text": f"the plan could not be read: {plan['error']}", "tag": tag,
                          "marks": [{"claim": str(plan["error"]), "kind": "problem", "note": "planner"}]})  # fmt: skip
        elif plan:
            tools = ", ".join(str(a.get("tool")) for a in plan.get("actions") or [] if isinstance(a, dict))
            lines.append({"text": f"plan: {plan.get('reasoning') or '(no reasoning)'}"
                          + (f" → {tools}" if tools else " → accept"), "tag": tag})  # fmt: skip
        for step in cycle.get("steps") or []:
            if not isinstance(step, dict):
                continue
            if step.get("error"):
                text = f"{step.get('tool')}: {step['error']}"
                lines.append({"text": text, "tag": tag, "marks": [{"claim": text, "kind": "problem", "note": "tool"}]})
            elif step.get("tool") == "vqa":
                lines.append({"text": f"VQA on the {step.get('view_tool') or 'image'} view: {step.get('question')}"
                              f" → {step.get('answer')}", "tag": tag})  # fmt: skip
            elif step.get("tool") == "rewrite":
                lines.append({"text": f"rewrite → “{step.get('expression')}”", "tag": tag})
            else:
                lines.append({"text": f"{step.get('tool')} view", "tag": tag})
        reflection = cycle.get("reflection") if isinstance(cycle.get("reflection"), dict) else {}
        if reflection:
            lines.append({"text": f"reflector: {reflection.get('verdict')} — {reflection.get('feedback') or ''}",
                          "tag": tag})  # fmt: skip
        end = f"“{cycle.get('expression_out') or cycle.get('expression_in')}” judged {cycle.get('verdict') or '?'}"
        if cycle.get("accepted_by"):
            end += f" (accepted by the {cycle['accepted_by']})"
        if cycle.get("overruled_by"):
            end += f" (overruled by the {cycle['overruled_by']} checker)"
        spatial = cycle.get("spatial") if isinstance(cycle.get("spatial"), dict) else None
        lines.append({"text": end, "tag": tag, "marks": _marks(spatial)})
    return lines


def _problems(rejected: dict[str, Any]) -> str:
    return "; ".join(str(p) for p in rejected.get("problems") or [])


def _sources(output: dict[str, Any], polarity: str) -> list[dict[str, Any]]:
    sources = output.get("sources") if isinstance(output.get("sources"), dict) else {}
    return [{"text": str(t), "tag": str(name)} for name, lists in sources.items() if isinstance(lists, dict)
            for t in lists.get(polarity) or [] if isinstance(t, str)]  # fmt: skip


def report_view(record: dict[str, Any], row: dict[str, Any], image_records: list[dict[str, Any]]) -> dict[str, Any]:
    """The report's view of one expressions row (plain data; see ``hoiscribe.report.views``)."""
    view: dict[str, Any] = {"pictures": [_picture(record)], "group": record.get("category"),
                            "group_name": "object category"}  # fmt: skip
    output = row.get("output") if row.get("status") == "ok" and isinstance(row.get("output"), dict) else None
    meta = row.get("meta") if isinstance(row.get("meta"), dict) else {}
    history = [c for c in meta.get("history") or [] if isinstance(c, dict)]
    given = str(record.get("raw_expression") or "")
    head: list[dict[str, Any]] = []
    if given:
        head.append({"text": given, "tag": "given", "marks": _marks(_spatial_of(record, given), "given expression: ")})
    if record.get("global_caption"):
        head.append({"text": str(record["global_caption"]), "tag": "image caption"})
    sections: list[dict[str, Any]] = [{"title": "Expression", "lines": head}]
    if output is not None:
        final = _final_check(output, history, record)
        if isinstance(output.get("expression"), str):
            head.append(
                {"text": output["expression"], "tag": f"final · {output.get('status')}", "marks": _marks(final)}
            )
        if output.get("reason"):
            head.append({"text": str(output["reason"]), "tag": "reason"})
        rejected = [r for r in output.get("rejected") or [] if isinstance(r, dict)]
        for polarity in POLARITIES:
            sections.append({"title": f"{polarity.capitalize()} expressions", "lines": _sources(output, polarity)})
        if rejected:
            lines = [{"text": str(r.get("text")), "tag": f"{r.get('source')} {r.get('polarity')}",
                      "marks": [{"claim": str(r.get("text")), "kind": "contradicted", "note": _problems(r)}]}
                     for r in rejected]  # fmt: skip
            sections.append({"title": "Rejected by the spatial checker", "lines": lines})
        claims = _claims(final or {}) + [
            {"claim": str(r.get("text")), "status": "contradicted", "type": f"rejected {r.get('polarity')}",
             "why": _problems(r)} for r in rejected]  # fmt: skip
        view["checker"] = {"title": "spatial checker (boxes)", "claims": claims}
        view["outcome"] = str(output.get("status") or "?")
        view["passed"] = output.get("status") == "solved"
        view["texts"] = [ln["text"] for ln in _sources(output, "positive")]
        kept: dict[str, int] = {}
        for polarity in POLARITIES:
            for line in _sources(output, polarity):
                kept[f"{line['tag']} {polarity}"] = kept.get(f"{line['tag']} {polarity}", 0) + 1
        dropped: dict[str, int] = {}
        for r in rejected:
            key = f"{r.get('source')} {r.get('polarity')}"
            dropped[key] = dropped.get(key, 0) + 1
        view["tallies"] = {"Kept expressions by source": kept, "Rejected by the spatial checker": dropped}
    if history:
        sections.append({"title": "Workflow", "lines": _workflow(history)})
    view["sections"] = sections
    return view
