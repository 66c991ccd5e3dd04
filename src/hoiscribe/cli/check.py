"""``hoiscribe check``: run the checker of a task over a merged file and summarise what it found.

Thin: reads the file (any format ``merge`` writes: seed JSON, JSONL, Parquet; or an AutoComPose
caption JSON, a Real-LOD input, Real-Data JSONL, a labelled corpus JSONL), picks the task from
the records (or ``--task``), runs that task's checker on every record (``hoi_text.checker`` with
facts from ``hoi_text.record_facts``; ``pose.check_records``; ``expressions.check_records``),
prints counts and optionally writes per-record results with the contradicted spans. Records
with a ``label`` ("faithful" / "error", the corpus schema) are scored: precision and recall of
"has a contradiction", overall and per error type.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.table import Table

from hoiscribe.cli.app import CliConsole
from hoiscribe.cli.check_scores import print_scores, score_labels
from hoiscribe.cli.common import fail
from hoiscribe.core.records import RecordError

TASKS = ("auto", "hoi", "pose", "expressions")


def check(
    input: Annotated[
        Path,
        typer.Option(
            "--input",
            help="Merged file: seed JSON (a list of records), .jsonl or .parquet; an AutoComPose "
            "caption JSON; Real-LOD / Real-Data files; a labelled corpus JSONL.",
        ),
    ],
    field: Annotated[
        str | None,
        typer.Option(
            "--field",
            help="Text field to check (HOI default: description; pose: every caption field or "
            "'text'; expressions: the expression fields).",
        ),
    ] = None,
    task: Annotated[
        str, typer.Option("--task", help=f"Checker to use: {', '.join(TASKS)} (auto: from the records).")
    ] = "auto",
    keypoints: Annotated[
        Path | None,
        typer.Option(
            "--keypoints",
            help="Pose: hoiscribe's keypoint file for a caption JSON (default: "
            "<root>/keypoints/<split>.json beside <root>/captions/<split>.json).",
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write per-record results here (.jsonl: one line each; else JSON).")
    ] = None,
    extractor: Annotated[
        str | None, typer.Option("--extractor", help="LLM claim extractor engine NAME[:MODEL] (rule tier on failure).")
    ] = None,
) -> None:
    """Check every record's text against its facts: supported, contradicted, unverifiable claims."""
    console = CliConsole()
    if task not in TASKS:
        fail(f"--task must be one of {', '.join(TASKS)}, got {task!r}")
    records = read_records(input)
    chosen = detect_task(records) if task == "auto" else task
    if chosen == "hoi":
        hoi_field = field or "description"
        present = _fields(records)
        if records and hoi_field not in present:
            fail(f"{input}: no record has the field {hoi_field!r}; fields present: {', '.join(present) or 'none'}")
        results, summary = check_records(records, hoi_field, extractor)
        _print_summary(summary, hoi_field, console)
    else:
        options = {"field": field, "keypoints": _keypoints(input, keypoints) if chosen == "pose" else None}
        results, summary = TASK_CHECKS[chosen](records, options)
        _print_task_summary(summary, chosen, console)
    scores = score_labels(results, records)
    if scores is not None:
        summary["labelled"] = scores
        print_scores(scores, console)
    if out is not None:
        _write(out, results)
        console.print(f"Wrote {out}", highlight=False)


def detect_task(records: list[Any]) -> str:
    """pose for keypoint pairs or caption entries, expressions for boxes with expressions, else hoi."""
    from hoiscribe.expressions.check_records import is_expression_record
    from hoiscribe.pose.check_records import is_pose_record

    for rec in records[:50]:
        if not isinstance(rec, dict):
            continue
        if is_pose_record(rec):
            return "pose"
        if is_expression_record(rec):
            return "expressions"
    return "hoi"


def _keypoints(input: Path, given: Path | None) -> dict[str, dict[str, Any]] | None:
    from hoiscribe.pose.check_records import load_keypoint_file, sibling_keypoints

    path = given or sibling_keypoints(input)
    if path is None:
        return None
    if not path.is_file():
        fail(f"{path}: no such keypoint file")
    try:
        return load_keypoint_file(path)
    except ValueError as exc:
        fail(str(exc))


def _write(out: Path, results: list[dict[str, Any]]) -> None:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.suffix.lower() in (".jsonl", ".ndjson"):
            out.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in results))
        else:
            out.write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2))
    except OSError as exc:
        fail(f"cannot write {out}: {exc}")


def read_records(path: Path) -> list[Any]:
    """The records of a merged file in any format ``merge`` writes; a user error (exit 2) otherwise.

    Parquet is recognised by its magic bytes, JSONL by its ``.jsonl`` / ``.ndjson`` suffix or, under
    another name, by holding one JSON object per line.
    """
    if not path.is_file():
        fail(f"{path}: {'not a file' if path.exists() else 'no such file'}")
    try:
        with path.open("rb") as fh:
            if fh.read(4) == b"PAR1":
                return _parquet_records(path)
        data = path.read_bytes()
    except OSError as exc:
        fail(f"{path}: not readable: {exc}")
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return _jsonl_records(path, data)
    try:
        records = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        first = data.lstrip().split(b"\n", 1)[0]
        if _is_object(first):  # one record per line under a .json name
            return _jsonl_records(path, data)
        fail(f"{path}: not readable JSON: {exc}")
    if not isinstance(records, list):
        fail(f"{path}: expected a JSON list of records")
    return records


def _is_object(line: bytes) -> bool:
    try:
        return isinstance(orjson.loads(line), dict)
    except orjson.JSONDecodeError:
        return False


def _jsonl_records(path: Path, data: bytes) -> list[Any]:
    records = []
    for n, line in enumerate(data.splitlines(), 1):
        if not line.strip():
            continue
        try:
            records.append(orjson.loads(line))
        except orjson.JSONDecodeError as exc:
            fail(f"{path}: line {n} is not JSON: {exc}")
    return records


def _parquet_records(path: Path) -> list[Any]:
    try:
        import pyarrow.parquet as pq
    except ModuleNotFoundError:
        fail(f"{path} is Parquet, which needs pyarrow: pip install 'hoiscribe[export]'")
    try:
        rows = pq.read_table(path).to_pylist()
    except Exception as exc:  # pyarrow raises its own types (ArrowInvalid, ArrowIOError, ...) on bad files
        fail(f"{path}: not readable Parquet: {exc}")
    # the parquet export keeps object-valued fields (verdicts) as JSON text: turn them back
    return [{k: _json_object(v) for k, v in row.items()} for row in rows]


def _json_object(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        try:
            decoded = orjson.loads(value)
        except orjson.JSONDecodeError:
            return value
        return decoded if isinstance(decoded, dict) else value
    return value


def _fields(records: list[Any]) -> list[str]:
    """Every field any record has, in first-seen order."""
    seen: dict[str, None] = {}
    for rec in records:
        if isinstance(rec, dict):
            seen.update(dict.fromkeys(rec))
    return list(seen)


def check_records(
    records: list[Any], field: str, extractor: str | None = None
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Per-record results and the summary; records without text or with bad fields are skipped, with a reason."""
    from hoiscribe.hoi_text.extractor import text_checker
    from hoiscribe.hoi_text.record_facts import facts_for_records

    results: list[dict[str, Any]] = []
    by_type: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    claims: Counter[str] = Counter()
    flagged = 0
    check_one = text_checker(extractor)
    safe = [r if isinstance(r, dict) else {} for r in records]
    for i, (rec, facts) in enumerate(zip(safe, facts_for_records(safe), strict=True)):
        row: dict[str, Any] = {
            "index": i,
            "sample_id": rec.get("sample_id") or f"{rec.get('file_name')}#{rec.get('instance_id')}",
            "hoi_id": rec.get("hoi_id"),
        }
        text = rec.get(field)
        if isinstance(facts, RecordError):
            row["skipped"] = f"bad record: {facts}"
            skipped["bad record"] += 1
        elif not isinstance(text, str) or not text.strip():
            row["skipped"] = f"no text in {field!r}"
            skipped[f"no text in {field!r}"] += 1
        else:
            grounding = check_one(text, facts)
            row["grounding"] = grounding
            for status in ("supported", "contradicted", "unverifiable"):
                claims[status] += grounding[status]
            if grounding["contradictions"]:
                flagged += 1
                by_type.update(c["type"] for c in grounding["contradictions"])
        results.append(row)
    checked = len(records) - sum(skipped.values())
    summary = {
        "records": len(records),
        "checked": checked,
        "with_contradiction": flagged,
        "claims": dict(claims),
        "contradictions_by_type": dict(by_type.most_common()),
        "skipped": dict(skipped),
    }
    return results, summary


def _print_types(summary: dict[str, Any], console: CliConsole) -> None:
    """The contradictions-by-type table both summaries end with (nothing when there are none)."""
    if summary["contradictions_by_type"]:
        table = Table(title="Contradictions by type")
        table.add_column("type")
        table.add_column("claims", justify="right")
        for kind, n in summary["contradictions_by_type"].items():
            table.add_row(kind, str(n))
        console.print(table)


def _print_summary(summary: dict[str, Any], field: str, console: CliConsole) -> None:
    checked = summary["checked"]
    share = f" ({summary['with_contradiction'] / checked:.1%})" if checked else ""
    console.print(f"Field: {field}", highlight=False)
    console.print(f"Records: {summary['records']}, checked: {checked}", highlight=False)
    console.print(f"Records with a contradiction: {summary['with_contradiction']}{share}", highlight=False)
    c = summary["claims"]
    console.print(
        f"Claims: {c.get('supported', 0)} supported, {c.get('contradicted', 0)} contradicted, "
        f"{c.get('unverifiable', 0)} unverifiable",
        highlight=False,
    )
    _print_types(summary, console)
    for reason, n in summary["skipped"].items():
        console.print(f"Skipped ({reason}): {n}", highlight=False)


# ---- pose transitions and referring expressions ----------------------------------------------


def _check_pose(records: list[Any], options: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    from hoiscribe.pose.check_records import check_pose_record

    rows = [check_pose_record(r, options["field"], options["keypoints"]) if isinstance(r, dict)
            else {"skipped": "not a JSON object"} for r in records]  # fmt: skip
    items = [i for row in rows for items in (row.get("fields") or {}).values() for i in items]
    return _finish(rows, records, items)


def _check_expressions(records: list[Any], options: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    from hoiscribe.expressions.check_records import check_expression_record

    rows = [check_expression_record(r, options["field"]) if isinstance(r, dict) else {"skipped": "not a JSON object"}
            for r in records]  # fmt: skip
    items = [i for row in rows for i in row.get("expressions") or []]
    return _finish(rows, records, items)


TASK_CHECKS: dict[str, Callable[[list[Any], dict[str, Any]], tuple[list[dict[str, Any]], dict[str, Any]]]] = {
    "pose": _check_pose,
    "expressions": _check_expressions,
}


def _finish(
    rows: list[dict[str, Any]], records: list[Any], items: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Number the rows, copy the label fields of labelled records, and count."""
    by_type: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    notes: Counter[str] = Counter()
    for i, (row, rec) in enumerate(zip(rows, records, strict=True)):
        row["index"] = i
        if isinstance(rec, dict):
            row.update({k: rec[k] for k in ("label", "error_type", "error_span", "style") if k in rec})
        if "skipped" in row:
            skipped[row["skipped"].split(":")[0]] += 1
    for item in items:
        by_type.update(c.get("type") or "contradicted" for c in item.get("contradictions") or [])
        if item.get("skipped"):
            skipped[item["skipped"]] += 1
        if item.get("note"):
            notes[item["note"].split(":")[0]] += 1
    summary = {
        "records": len(rows),
        "checked": sum("skipped" not in r for r in rows),
        "texts": sum(not i.get("skipped") for i in items),
        "with_contradiction": sum(bool(r.get("flagged")) for r in rows),
        "texts_with_contradiction": sum(bool(i.get("flagged")) for i in items),
        "contradictions_by_type": dict(by_type.most_common()),
        "notes": dict(notes),
        "skipped": dict(skipped),
    }
    return rows, summary


def _print_task_summary(summary: dict[str, Any], task: str, console: CliConsole) -> None:
    texts = summary["texts"]
    share = f" ({summary['texts_with_contradiction'] / texts:.1%})" if texts else ""
    console.print(f"Task: {task}", highlight=False)
    console.print(f"Records: {summary['records']}, checked: {summary['checked']}, texts: {texts}", highlight=False)
    console.print(f"Records with a contradiction: {summary['with_contradiction']}", highlight=False)
    console.print(f"Texts with a contradiction: {summary['texts_with_contradiction']}{share}", highlight=False)
    _print_types(summary, console)
    for note, n in summary["notes"].items():
        console.print(f"Note ({note}): {n}", highlight=False)
    for reason, n in summary["skipped"].items():
        console.print(f"Skipped ({reason}): {n}", highlight=False)
