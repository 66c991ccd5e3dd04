"""``hoiscribe eval dod|omnilabel``: described-object-detection AP, added to the ``eval`` group."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import orjson
import typer

from hoiscribe.cli.app import out_console
from hoiscribe.cli.common import fail
from hoiscribe.cli.eval import eval_app
from hoiscribe.eval.coco_tools import NO_GT
from hoiscribe.eval.errors import EvalInputError

PredOpt = Annotated[Path, typer.Option("--pred", help="Predictions JSON (COCO result list; lod predict writes it).")]
JsonOpt = Annotated[Path | None, typer.Option("--json-out", help="Also write the results here.")]


def _show(value: Any) -> str:
    return value if value == NO_GT else f"{value:6.2f}"


def _write(json_out: Path | None, payload: Any) -> None:
    if json_out is None:
        return
    try:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_bytes(orjson.dumps(payload, option=orjson.OPT_INDENT_2))
    except OSError as exc:
        fail(f"cannot write {json_out}: {exc}")
    out_console.print(f"Wrote {json_out}", highlight=False)


@eval_app.command("dod")
def dod_command(
    gt: Annotated[Path, typer.Option("--gt", help="Folder with d3_{full,pres,abs}_annotations.json, or one file.")],
    pred: PredOpt,
    json_out: JsonOpt = None,
) -> None:
    """D-cube FULL / PRES / ABS: COCO AP over D-cube's annotation files."""
    from hoiscribe.eval.dod import evaluate_dod, subset_files

    if not pred.is_file():
        fail(f"--pred {pred}: no such file")
    try:
        results = [r.as_dict() for r in evaluate_dod(subset_files(gt), pred)]
    except EvalInputError as exc:
        fail(str(exc))
    for r in results:
        out_console.print(f"{r['subset']:<5} AP {_show(r['AP'])}  AP50 {_show(r['AP50'])}  AP75 {_show(r['AP75'])}  "
                          f"({r['gt_boxes']} GT boxes, {r['descriptions']} descriptions)", highlight=False)  # fmt: skip
    _write(json_out, {"dataset": "d-cube", "subsets": results})


@eval_app.command("omnilabel")
def omnilabel_command(
    gt: Annotated[Path, typer.Option("--gt", help="OmniLabel ground-truth JSON (images, descriptions, annotations).")],
    pred: PredOpt,
    json_out: JsonOpt = None,
) -> None:
    """OmniLabel AP: categories, descriptions, and their harmonic mean (the final AP)."""
    from hoiscribe.eval.omnilabel import evaluate_omnilabel

    for flag, path in (("gt", gt), ("pred", pred)):
        if not path.is_file():
            fail(f"--{flag} {path}: no such file")
    try:
        result = evaluate_omnilabel(gt, pred).as_dict()
    except EvalInputError as exc:
        fail(str(exc))
    out_console.print(f"AP (hm of categ, descr) {_show(result['AP'])}", highlight=False)
    for name, value in result["groups"].items():
        out_console.print(f"  {name:<10} {_show(value)}  ({result['gt_boxes'][name]} GT boxes)", highlight=False)
    _write(json_out, {"dataset": "omnilabel", **result})
