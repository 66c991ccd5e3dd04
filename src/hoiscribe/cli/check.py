"""``hoiscribe check``: run the grounding checker over a merged file and summarise what it found.

Thin: reads the file (any format ``merge`` writes: seed JSON, JSONL, Parquet), rebuilds each
record's facts (``hoi_text.record_facts``), checks the chosen text field (``hoi_text.checker``),
prints counts and optionally writes per-record results.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.table import Table

from hoiscribe.cli.app import CliConsole
from hoiscribe.cli.common import fail
from hoiscribe.core.records import RecordError


def check(
    input: Annotated[
        Path, typer.Option("--input", help="Merged file: seed JSON (a list of records), .jsonl or .parquet.")
    ],
    field: Annotated[
        str, typer.Option("--field", help="Text field to check, e.g. description or refined_description.")
    ] = "description",
    out: Annotated[Path | None, typer.Option("--out", help="Write per-record grounding results (JSON) here.")] = None,
) -> None:
    """Check every record's text against its facts: supported, contradicted, unverifiable claims."""
    console = CliConsole()
    records = read_records(input)
    present = _fields(records)
    if records and field not in present:
        fail(f"{input}: no record has the field {field!r}; fields present: {', '.join(present) or 'none'}")
    results, summary = check_records(records, field)
    _print_summary(summary, field, console)
    if out is not None:
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2))
        except OSError as exc:
            fail(f"cannot write {out}: {exc}")
        console.print(f"Wrote {out}", highlight=False)


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


def check_records(records: list[Any], field: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Per-record results and the summary; records without text or with bad fields are skipped, with a reason."""
    from hoiscribe.hoi_text.checker import check_text
    from hoiscribe.hoi_text.record_facts import facts_for_records

    results: list[dict[str, Any]] = []
    by_type: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    claims: Counter[str] = Counter()
    flagged = 0
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
            grounding = check_text(text, facts).as_dict()
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
    if summary["contradictions_by_type"]:
        table = Table(title="Contradictions by type")
        table.add_column("type")
        table.add_column("claims", justify="right")
        for kind, n in summary["contradictions_by_type"].items():
            table.add_row(kind, str(n))
        console.print(table)
    for reason, n in summary["skipped"].items():
        console.print(f"Skipped ({reason}): {n}", highlight=False)
