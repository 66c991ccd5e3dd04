"""Console rendering of an :class:`EvalReport` as a rich table (mAP in percent)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from hoiscribe.eval.result import EvalReport

GROUP_TITLES = {
    "full": "Full",
    "rare": "Rare",
    "non_rare": "Non-rare",
    "unseen": "Unseen",
    "seen": "Seen",
}
SETTING_TITLES = {"default": "Default", "known_object": "Known-Object"}
DATASET_TITLES = {"hico-det": "HICO-DET", "swig-hoi": "SWiG-HOI"}


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100.0 * value:.2f}"


def report_table(report: EvalReport) -> Table:
    """Groups as rows, settings as columns, plus the number of classes in each group."""
    opts = report.options
    title = f"{DATASET_TITLES.get(report.dataset, report.dataset)} mAP ({opts.get('protocol')} protocol)"
    table = Table(title=title)
    table.add_column("Group")
    table.add_column("Classes", justify="right")
    for s in report.settings:
        table.add_column(f"{SETTING_TITLES.get(s.name, s.name)} mAP", justify="right")
    first = report.settings[0]
    for group, ids in first.groups.items():
        table.add_row(GROUP_TITLES.get(group, group), str(len(ids)), *[_pct(s.mean_ap(group)) for s in report.settings])
    return table


def report_notes(report: EvalReport) -> list[str]:
    """One-line facts printed under the table: counts, options and anything skipped."""
    gt, pred, opts = report.gt_summary, report.pred_summary, report.options
    notes = [
        f"GT: {gt.get('pairs')} pairs in {gt.get('non_empty_images')} of {gt.get('images')} images "
        f"({gt.get('layout')} layout)",
        f"Predictions: {pred.get('read')} read, {pred.get('evaluated')} evaluated ({pred.get('layout')} layout)",
    ]
    if gt.get("box_frame") is not None and pred.get("box_frame") is not None:
        shift = pred.get("box_shift") or 0.0
        how = f"detections shifted by {shift:+g} into the GT's frame" if shift else "no shift"
        why = "what models trained on this layout emit" if not shift else "--pred-frame"
        notes.append(f"Box frames: GT {gt['box_frame']}-based ({gt.get('layout')} layout), predictions "
                     f"{pred['box_frame']}-based ({why}): {how}")  # fmt: skip
    extra = []
    if opts.get("max_per_image"):
        extra.append(f"top-{opts['max_per_image']} per image")
    if opts.get("check_object_labels"):
        extra.append("box-label check")
    if opts.get("zero_shot"):
        extra.append(f"zero-shot split {opts['zero_shot']}")
    if opts.get("max_per_class"):
        extra.append(f"at most {opts['max_per_class']} detections per class")
    if extra:
        notes.append("Options: " + ", ".join(extra))
    if pred.get("dropped_not_a_class"):
        notes.append(f"Dropped {pred['dropped_not_a_class']} predictions whose (verb, object) is not a class")
    for who, summary in (("GT", gt), ("predictions", pred)):
        skipped = summary.get("skipped_invalid") or {}
        if skipped:
            parts = ", ".join(f"{n} {reason.replace('_', ' ')}" for reason, n in skipped.items())
            notes.append(f"Skipped invalid {who}: {parts}")
    return notes


def print_report(report: EvalReport, console: Console | None = None) -> None:
    """Print the table and its notes."""
    console = console or Console()
    console.print(report_table(report))
    for line in report_notes(report):
        console.print(line, highlight=False)
