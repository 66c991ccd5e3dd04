"""The output row: one per sample, stage and attempt; what every stage appends and merge reads.

A ``TypedDict`` rather than a class: rows are JSON lines on disk and stay plain dicts in
memory (hundreds of thousands per run), while the field set is declared once, here.
"""

from __future__ import annotations

import json
from typing import Any, Literal, TypedDict

Status = Literal["ok", "dropped", "failed"]


class Row(TypedDict, total=False):
    sample_id: str
    stage: str
    task: str
    status: Status  # ok; dropped for good (bad input); failed (transient or unparseable: retried next run)
    output: Any  # the parsed answer, or None
    parse_error: str | None
    reason: str | None  # why the row is not ok
    raw: str | None  # the model's raw text, never lost
    prompt_hash: str | None  # hash of the rendered request
    engine: str  # engine + model fingerprint
    stage_fingerprint: str
    sampling: dict[str, Any]
    attempt: int
    finish_reason: str | None
    prompt_tokens: int
    completion_tokens: int
    timings: dict[str, float]
    meta: dict[str, Any]  # engine extras (agent chains, box frames)
    parser_version: str
    # the sample's input digest (annotation fields + image identity) this row was made from: a rerun
    # redoes the sample when it differs; absent or None in rows of older versions (taken as unchanged)
    input_digest: str | None
    record: dict[str, Any]  # first-stage rows: the reader's record of the sample, for merge
    grounding: dict[str, Any]  # the checker's report on the output
    history: list[dict[str, Any]]  # reflection attempts
    reflection: dict[str, Any]


def last_rows(rows: list[Row]) -> dict[str, Row]:
    """Last row per sample (a retried sample's newest row wins)."""
    out: dict[str, Row] = {}
    for r in rows:
        out[r["sample_id"]] = r
    return out


def output_text(row: Row) -> str | None:
    """A row's output as the text a later stage reads."""
    out = row.get("output")
    if row.get("status") != "ok" or out is None:
        return None
    return out if isinstance(out, str) else json.dumps(out)
