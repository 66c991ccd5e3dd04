"""Scores of a checker on the labelled grounding corpus (tests/data/grounding_corpus), shared by
the transition and expression benchmarks: prose its templates did not write."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "grounding_corpus"


def corpus_scores(
    path: Path, check_record: Callable[[dict[str, Any]], dict[str, Any]], show_misses: int = 0
) -> dict[str, Any] | None:
    """Precision / recall of "has a contradiction" on one labelled corpus file, overall, per error type
    and per style; ``show_misses`` prints that many wrong verdicts (use it on the dev part only)."""
    from hoiscribe.cli.check_scores import score_labels

    if not path.is_file():
        return None
    records = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    if not records:
        return None
    rows = [check_record(r) for r in records]
    scores = score_labels(rows, records)
    if scores is None:
        return None
    styles: dict[str, list[int]] = {}
    for row, rec in zip(rows, records, strict=True):
        ok = bool(row.get("flagged")) == (rec.get("label") == "error")
        styles.setdefault(str(rec.get("style")), [0, 0])
        styles[str(rec.get("style"))][0] += ok
        styles[str(rec.get("style"))][1] += 1
        if not ok and show_misses > 0:
            show_misses -= 1
            kind = "missed" if rec.get("label") == "error" else "false flag"
            print(f"    {kind} ({rec.get('error_type')}): {rec.get('text')!r}")
    scores["accuracy_by_style"] = {k: round(a / n, 3) for k, (a, n) in sorted(styles.items())}
    return scores


def print_corpus(
    name: str, check_record: Callable[[dict[str, Any]], dict[str, Any]], show_misses: int, splits: str = "dev,heldout"
) -> None:
    for split in splits.split(","):
        path = CORPUS / f"{name}_{split}.jsonl"
        scores = corpus_scores(path, check_record, show_misses if split == "dev" else 0)
        if scores is None:
            print(f"corpus {split}: {path.name} missing or empty")
            continue
        print(f"corpus {split:<8} {scores['labelled']:4d} texts  precision {scores['precision']}  recall "
              f"{scores['recall']}  (faithful flagged {scores['faithful_flagged']}, errors missed "
              f"{scores['errors_missed']}, span overlap {scores['span_overlap']})")  # fmt: skip
        print(
            "    recall by error type: " + ", ".join(f"{k} {v:.3f}" for k, v in scores["recall_by_error_type"].items())
        )
        print("    accuracy by style: " + ", ".join(f"{k} {v:.3f}" for k, v in scores["accuracy_by_style"].items()))
