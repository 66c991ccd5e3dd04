"""Scoring a checker on labelled texts: precision and recall of "has a contradiction".

Records in the corpus schema carry ``label`` (faithful / error), ``error_type`` and
``error_span``; ``hoiscribe check`` scores any such file with the checker of its task, so a
user's own labelled texts give the same figures as the benchmarks.
"""

from __future__ import annotations

from typing import Any

from hoiscribe.cli.app import CliConsole


def score_labels(rows: list[dict[str, Any]], records: list[Any]) -> dict[str, Any] | None:
    """Precision / recall of 'has a contradiction' against ``label`` (faithful / error); None if unlabelled.

    A row is flagged when its checker found a contradiction (HOI: in ``grounding``). Also per error
    type (recall) and the share of caught errors whose contradiction overlaps ``error_span``."""
    tp = fp = fn = tn = span_hits = 0
    per_type: dict[str, list[int]] = {}
    for row, rec in zip(rows, records, strict=True):
        label = rec.get("label") if isinstance(rec, dict) else None
        if label not in ("faithful", "error") or "skipped" in row:
            continue
        flagged = bool(row.get("flagged") or (row.get("grounding") or {}).get("contradictions"))
        if label == "error":
            tp, fn = tp + flagged, fn + (not flagged)
            kind = str(rec.get("error_type") or "unknown")
            per_type.setdefault(kind, [0, 0])
            per_type[kind][0] += flagged
            per_type[kind][1] += 1
            span_hits += flagged and _span_overlaps(row, rec)
        else:
            fp, tn = fp + flagged, tn + (not flagged)
    if tp + fp + fn + tn == 0:
        return None
    return {
        "labelled": tp + fp + fn + tn,
        "precision": round(tp / (tp + fp), 4) if tp + fp else None,
        "recall": round(tp / (tp + fn), 4) if tp + fn else None,
        "faithful_flagged": fp,
        "errors_missed": fn,
        "recall_by_error_type": {k: round(v[0] / v[1], 4) for k, v in sorted(per_type.items())},
        "span_overlap": round(span_hits / tp, 4) if tp else None,
    }


def _span_overlaps(row: dict[str, Any], rec: dict[str, Any]) -> bool:
    """Whether a reported contradiction overlaps the labelled ``error_span`` of the record's text."""
    text, span = rec.get("text"), rec.get("error_span")
    if not isinstance(text, str) or not isinstance(span, str) or span not in text:
        return False
    a, b = text.index(span), text.index(span) + len(span)
    found = [c for items in (row.get("fields") or {}).values() for i in items for c in i.get("contradictions") or []]
    found += list((row.get("grounding") or {}).get("contradictions") or [])
    found += [c for i in row.get("expressions") or [] for c in i.get("contradictions") or []]
    for c in found:
        s, e = (c.get("span") or [None, None]) if isinstance(c.get("span"), list) else (c.get("start"), c.get("end"))
        if isinstance(s, int) and isinstance(e, int) and s < b and a < e:
            return True
    return False


def print_scores(scores: dict[str, Any], console: CliConsole) -> None:
    def fmt(v: float | None) -> str:
        return "n/a" if v is None else f"{v:.3f}"

    console.print(
        f"Labelled texts: {scores['labelled']}, precision {fmt(scores['precision'])}, recall {fmt(scores['recall'])} "
        f"({scores['faithful_flagged']} faithful flagged, {scores['errors_missed']} errors missed)",
        highlight=False,
    )
    if scores["recall_by_error_type"]:
        by = ", ".join(f"{k} {v:.3f}" for k, v in scores["recall_by_error_type"].items())
        console.print(f"Recall by error type: {by}", highlight=False)
