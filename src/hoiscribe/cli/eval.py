"""``hoiscribe eval hico|swig``: thin CLI over :mod:`hoiscribe.eval` (parse, call, print)."""

from __future__ import annotations

from enum import Enum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import orjson
import typer

from hoiscribe.cli.app import CliConsole, out_console
from hoiscribe.cli.common import fail
from hoiscribe.eval.errors import EvalInputError
from hoiscribe.vocab.hico import ZERO_SHOT_SPLITS

if TYPE_CHECKING:
    from hoiscribe.eval.result import EvalReport

eval_app = typer.Typer(
    help="HOI detection mAP: HICO-DET (Default / Known-Object, rare, zero-shot) and SWiG-HOI.",
    no_args_is_help=True,
    add_completion=False,
)


class ProtocolChoice(StrEnum):
    matlab = "matlab"
    python = "python"


class SettingChoice(StrEnum):
    both = "both"
    default = "default"
    known_object = "known-object"


ZeroShotChoice = Enum("ZeroShotChoice", {name: name for name in ZERO_SHOT_SPLITS}, type=str)  # type: ignore[misc]

GtOpt = Annotated[Path, typer.Option("--gt", help="Ground-truth JSON.")]
PredOpt = Annotated[Path, typer.Option("--pred", help="Predictions (.json list or .jsonl).")]
JsonOpt = Annotated[
    Path | None, typer.Option("--json-out", help="Also write summary + per-class AP/recall/counts here.")
]
SkipOpt = Annotated[
    bool,
    typer.Option("--skip-invalid", help="Skip invalid predictions/GT entries and report counts instead of failing."),
]


def _need_files(**paths: Path) -> None:
    """A missing input is a user error in the one style (``error: ...``, exit 2), not a usage panel."""
    for flag, path in paths.items():
        if not path.is_file():
            fail(f"--{flag} {path}: {'not a file' if path.exists() else 'no such file'}")


def _finish(report: EvalReport, json_out: Path | None, console: CliConsole) -> None:
    from hoiscribe.eval.table import print_report  # the evaluators load with their command, not with the CLI

    print_report(report, console)
    if json_out is not None:
        try:
            json_out.parent.mkdir(parents=True, exist_ok=True)
            json_out.write_bytes(orjson.dumps(report.to_dict(), option=orjson.OPT_INDENT_2))
        except OSError as exc:
            fail(f"cannot write {json_out}: {exc}")
        console.print(f"Wrote {json_out}", highlight=False)


@eval_app.command("hico")
def hico_command(
    gt: GtOpt,
    pred: PredOpt,
    protocol: Annotated[
        ProtocolChoice,
        typer.Option(help="matlab: official ho-rcnn thresholds; python: QPIC/GEN-VLKT np.arange thresholds."),
    ] = ProtocolChoice.matlab,
    setting: Annotated[SettingChoice, typer.Option(help="Default, Known-Object, or both.")] = SettingChoice.both,
    zero_shot: Annotated[
        ZeroShotChoice | None, typer.Option("--zero-shot", help="Also report Unseen / Seen for this split.")
    ] = None,
    max_per_image: Annotated[
        int | None,
        typer.Option(
            help="Keep the top-N detections per image; default 100 for python, no cut for matlab; 0 = no cut."
        ),
    ] = None,
    check_object_labels: Annotated[
        bool | None,
        typer.Option(
            "--check-object-labels/--no-check-object-labels",
            help="Require person / class-object box labels to match (QPIC). Default: on for python when labels exist.",
        ),
    ] = None,
    pred_frame: Annotated[
        int | None,
        typer.Option(
            "--pred-frame",
            min=0,
            max=1,
            help="Pixel frame of the predicted boxes: 0 (0-based, PPDM/QPIC-trained models) or 1 (1-based, "
            "models trained on the fredzzhang instances files). Default: the GT layout's own frame. Detections "
            "are shifted into the GT's frame, as the official MATLAB code adds 1 to 0-based detections.",
        ),
    ] = None,
    skip_invalid: SkipOpt = False,
    json_out: JsonOpt = None,
) -> None:
    """HICO-DET mAP (Full / Rare / Non-rare, optional zero-shot Unseen / Seen)."""
    from hoiscribe.eval.hico import SETTINGS, evaluate_hico_files

    _need_files(gt=gt, pred=pred)
    settings = SETTINGS if setting == SettingChoice.both else (setting.value.replace("-", "_"),)
    try:
        report = evaluate_hico_files(
            gt,
            pred,
            protocol=protocol.value,
            max_per_image="auto" if max_per_image is None else max_per_image,
            check_object_labels=check_object_labels,
            zero_shot=None if zero_shot is None else zero_shot.value,
            settings=settings,  # type: ignore[arg-type]
            skip_invalid=skip_invalid,
            pred_frame=pred_frame,
        )
    except (EvalInputError, OSError) as exc:
        fail(exc)
    _finish(report, json_out, out_console)


@eval_app.command("swig")
def swig_command(gt: GtOpt, pred: PredOpt, skip_invalid: SkipOpt = False, json_out: JsonOpt = None) -> None:
    """SWiG-HOI mAP (THID / CMD-SE protocol): Full / Unseen / Rare / Non-rare."""
    from hoiscribe.eval.swig import evaluate_swig_files

    _need_files(gt=gt, pred=pred)
    try:
        report = evaluate_swig_files(gt, pred, skip_invalid=skip_invalid)
    except (EvalInputError, OSError) as exc:
        fail(exc)
    _finish(report, json_out, out_console)
