"""How the HTML report shows a pose-transition row: the pair side by side, every caption list, the checker.

The report calls ``report_view(record, row, image_records)`` (registered in
``catalog.REPORT_VIEWS``) and reads the plain dict it returns (see ``report/views.py``):
the reference and target images with their COCO-17 skeletons, one section per caption
list (``movements``, ``mllm``, ``reverse``, ``mirror``, ``mirror-reverse``, any other list
the output carries, and the dataset's own ``sents``), mirrors that were left out, and the
transition checker's grounding. The checker reads the ``mllm`` descriptions, so that
section is the one its contradicted claims are marked in.
"""

from __future__ import annotations

from typing import Any

# output field -> section title, in the order the card lists them
FIELDS = (
    ("movements", "Movements"),
    ("mllm", "Descriptions (mllm)"),
    ("reverse", "Reverse transition"),
    ("mirror", "Mirrored descriptions"),
    ("mirror-reverse", "Mirrored reverse"),
)
CHECKED = "mllm"  # what TransitionTask.check reads


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(t) for t in value if isinstance(t, str | int | float)] if isinstance(value, list) else []


def _picture(record: dict[str, Any], role: str) -> dict[str, Any]:
    name = record.get(role)
    return {
        "label": f"{role}: {name}" if name else role,
        "file": f"images/{name}" if isinstance(name, str) and name else None,
        "size": record.get(f"{role}_size"),
        "keypoints": record.get(f"{role}_keypoints"),
        "boxes": [{"box": record[f"{role}_box"], "role": "human"}] if record.get(f"{role}_box") else [],
    }


def _sections(output: dict[str, Any], record: dict[str, Any]) -> list[dict[str, Any]]:
    sections = []
    known = {name for name, _ in FIELDS} | {"flagged"}
    for name, title in FIELDS:
        if output.get(name):
            sections.append({"title": title, "lines": _texts(output[name]), "checked": name == CHECKED})
    for name, value in output.items():  # lists a newer parser adds still show
        if name not in known and _texts(value) and isinstance(value, list):
            sections.append({"title": name, "lines": _texts(value)})
    flagged = [f for f in output.get("flagged") or [] if isinstance(f, dict)]
    if flagged:
        lines = [{"text": str(f.get("text") or ""), "tag": str(f.get("field") or "mirror"),
                  "marks": [{"claim": str(f.get("text") or ""), "kind": "problem",
                             "note": str(f.get("reason") or "")}]} for f in flagged]  # fmt: skip
        sections.append({"title": "Not mirrored (ambiguous left/right)", "lines": lines})
    if _texts(record.get("sents")):
        sections.append({"title": "Dataset captions (sents)", "lines": _texts(record.get("sents"))})
    return sections


def _checker(grounding: Any) -> dict[str, Any] | None:
    if not isinstance(grounding, dict):
        return None
    claims = [
        {"claim": c.get("claim"), "status": "contradicted", "type": c.get("type"), "why": c.get("why")}
        for c in grounding.get("contradictions") or []
        if isinstance(c, dict)
    ]
    counts = {k: grounding.get(k) for k in ("supported", "contradicted", "unverifiable")}
    return {"title": "transition checker (keypoint change)", "claims": claims, **counts}


def report_view(record: dict[str, Any], row: dict[str, Any], image_records: list[dict[str, Any]]) -> dict[str, Any]:
    """The report's view of one transition row (plain data; see ``hoiscribe.report.views``)."""
    output = row.get("output") if row.get("status") == "ok" and isinstance(row.get("output"), dict) else None
    view: dict[str, Any] = {"pictures": [_picture(record, "reference"), _picture(record, "target")]}
    if output is not None:
        view["sections"] = _sections(output, record)
        view["texts"] = _texts(output.get(CHECKED))
        flagged = len([f for f in output.get("flagged") or [] if isinstance(f, dict)])
        mirrored = len(_texts(output.get("mirror"))) + len(_texts(output.get("mirror-reverse")))
        view["tallies"] = {"Mirroring (texts)": {"mirrored": mirrored, "not mirrored (ambiguous)": flagged}}
    elif _texts(record.get("sents")):
        view["sections"] = [{"title": "Dataset captions (sents)", "lines": _texts(record.get("sents"))}]
    checker = _checker(row.get("grounding"))
    if checker is not None:
        view["checker"] = checker
    return view
