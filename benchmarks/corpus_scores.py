"""Scores of a checker on the labelled grounding corpus (tests/data/grounding_corpus), shared by
the transition and expression benchmarks: prose its templates did not write.

A part name with ``-odd`` / ``-even`` keeps the records whose id ends in an odd / even number, so
one half can be tuned on and the other kept as a check. Misses are printed for tuning parts only:
``dev`` and odd halves, never an even half, a blind part or a whole part that is scored in halves."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "grounding_corpus"
CheckRecord = Callable[[dict[str, Any]], dict[str, Any]]


def record_number(rec: dict[str, Any], line: int) -> int:
    """A record's number: the digits ending its id ('spatial-e0007' -> 7), else its 1-based line."""
    m = re.search(r"(\d+)$", str(rec.get("id", "")))
    return int(m.group(1)) if m else line


def load_part(name: str, split: str) -> list[dict[str, Any]] | None:
    """The records of ``{name}_{part}.jsonl`` for ``split`` = PART, PART-odd or PART-even (None: no file)."""
    part, _, half = split.partition("-")
    if half not in ("", "odd", "even"):
        raise SystemExit(f"--splits: {split!r}: expected PART, PART-odd or PART-even")
    path = CORPUS / f"{name}_{part}.jsonl"
    if not path.is_file():
        return None
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    records = [json.loads(ln) for ln in lines]
    if half:
        records = [r for k, r in enumerate(records, 1) if (record_number(r, k) % 2 == 1) == (half == "odd")]
    return records


def corpus_scores(
    records: list[dict[str, Any]], check_record: CheckRecord, show_misses: int = 0
) -> dict[str, Any] | None:
    """Precision / recall of "has a contradiction" on labelled records, overall, per error type and per
    style; ``show_misses`` prints that many wrong verdicts (use it on tuning parts only)."""
    from hoiscribe.cli.check_scores import score_labels

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
            print(f"    {kind} ({rec.get('error_type')}) {rec.get('id')}: {rec.get('text')!r}")
    scores["accuracy_by_style"] = {k: round(a / n, 3) for k, (a, n) in sorted(styles.items())}
    return scores


def tuning_part(split: str, developed: tuple[str, ...]) -> bool:
    """May this part's texts be printed? 'dev' and odd halves of development parts only."""
    part, _, half = split.partition("-")
    blind = part.startswith(("heldout", "fresh")) and part not in developed
    return not blind and (half == "odd" or (part == "dev" and not half))


def print_splits(name: str, check_record: CheckRecord, splits: str, show_misses: int = 0,
                 developed: tuple[str, ...] = ()) -> None:  # fmt: skip
    """Score each part of ``splits`` (comma-separated PART / PART-odd / PART-even) of ``name``'s corpus."""
    for split in splits.split(","):
        records = load_part(name, split)
        if records is None:
            print(f"corpus {split}: {name}_{split.partition('-')[0]}.jsonl missing")
            continue
        shown = show_misses if tuning_part(split, developed) else 0
        scores = corpus_scores(records, check_record, shown)
        if scores is None:
            print(f"corpus {split}: no labelled records")
            continue
        print(f"corpus {split:<8} {scores['labelled']:4d} texts  precision {scores['precision']}  recall "
              f"{scores['recall']}  (faithful flagged {scores['faithful_flagged']}, errors missed "
              f"{scores['errors_missed']}, span overlap {scores['span_overlap']})")  # fmt: skip
        print(
            "    recall by error type: " + ", ".join(f"{k} {v:.3f}" for k, v in scores["recall_by_error_type"].items())
        )
        print("    accuracy by style: " + ", ".join(f"{k} {v:.3f}" for k, v in scores["accuracy_by_style"].items()))


def print_corpus(name: str, check_record: CheckRecord, show_misses: int, splits: str = "dev,heldout") -> None:
    """Whole parts only (no developed parts): kept for callers that score dev and heldout."""
    print_splits(name, check_record, splits, show_misses)
