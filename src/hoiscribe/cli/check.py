"""``hoiscribe check``: run the grounding checker over a merged file and summarise what it found.

Thin: reads the file, rebuilds each record's facts (``eval.record_facts``), checks the chosen
text field (``eval.grounding``), prints counts and optionally writes per-record results.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.console import Console
from rich.table import Table

from hoiscribe.cli.common import fail
from hoiscribe.core.records import RecordError
from hoiscribe.hoi_text.checker import check_text
from hoiscribe.hoi_text.record_facts import facts_for_records


def check(
    input: Annotated[
        Path, typer.Option("--input", help="Merged JSON (a list of seed records).", exists=True, dir_okay=False)
    ],
    field: Annotated[
        str, typer.Option("--field", help="Text field to check, e.g. description or refined_description.")
    ] = "description",
    out: Annotated[Path | None, typer.Option("--out", help="Write per-record grounding results (JSON) here.")] = None,
) -> None:
    """Check every record's text against its facts: supported, contradicted, unverifiable claims."""
    console = Console()
    try:
        records = orjson.loads(input.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        fail(f"{input}: not readable JSON: {exc}")
    if not isinstance(records, list):
        fail(f"{input}: expected a JSON list of records")
    results, summary = check_records(records, field)
    _print_summary(summary, field, console)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2))
        console.print(f"Wrote {out}", highlight=False)


def check_records(records: list[Any], field: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Per-record results and the summary; records without text or with bad fields are skipped, with a reason."""
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


def _print_summary(summary: dict[str, Any], field: str, console: Console) -> None:
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
