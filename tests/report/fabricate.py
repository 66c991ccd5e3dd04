"""A demo run with fabricated failures: FAIL verdicts, grounding contradictions, history, a failed
stage, hostile text and a missing image, written the way the run layer would (appended rows)."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from hoiscribe.run.config import PipelineConfig
from hoiscribe.run.defaults import grounded_stages
from hoiscribe.run.pipeline import run_pipeline
from hoiscribe.run.rundir import RunDir

BIKE = "HICO_train2015_demo0001_ride_bicycle.jpg#0"
CUP = "HICO_train2015_demo0002_hold_cup.jpg#1"
KITE = "HICO_train2015_demo0007_fly_kite.jpg#0"
BOOK = "HICO_train2015_demo0011_read_book.jpg#0"
HOSTILE = '<script>alert("x")</script> & <b>bold</b>'
SAMPLES = 15


def append_row(run_dir: Path, stage: str, sample_id: str, **changes: Any) -> dict[str, Any]:
    """Append a newer row for one sample (the last row wins), copying the current one."""
    run = RunDir(run_dir)
    spec = next(s for s in run.manifest.stages if s.name == stage)
    row = dict(run.stage_rows(spec)[sample_id], **changes)
    for path in sorted(run.stage_dir(stage, spec.fingerprint).glob("u*.jsonl")):
        if sample_id in path.read_text():
            with path.open("a") as fh:
                fh.write(json.dumps(row) + "\n")
            return row
    raise AssertionError(f"{sample_id} not found in stage {stage}")


def demo_run(out: Path) -> Path:
    cfg = PipelineConfig.model_validate(
        {"dataset": "demo", "out": str(out), "stages": grounded_stages(), "samples_per_unit": 8, "progress": False}
    )
    run_pipeline(cfg)
    return out


def fabricate_failures(run_dir: Path) -> Path:
    """Four samples that need attention, one image gone; the other eleven stay PASS and untouched."""
    run = RunDir(run_dir)
    describe = run.stage_rows(next(s for s in run.manifest.stages if s.name == "describe"))
    # the grounded writer phrases a straight arm two ways (which one depends on its generator): state the one quoted
    bike_text = describe[BIKE]["output"].replace(
        "The right arm is extended straight.", "The right arm is held straight."
    )
    assert "The right arm is held straight." in bike_text
    append_row(
        run_dir, "describe", BIKE, attempt=2, output=bike_text, raw=bike_text,
        grounding={"supported": 6, "contradicted": 1, "unverifiable": 1, "contradictions": [
            {"claim": "The right arm is held straight.", "type": "pose", "why": "right elbow is bent 95 degrees"}]},
        history=[{"attempt": 1, "output": "A person is riding a horse.", "verdict": "FAIL",
                  "problems": [{"claim": "riding a horse", "why": "the object is a bicycle"}]}],
    )  # fmt: skip
    append_row(
        run_dir, "examine", BIKE,
        output={"verdict": "FAIL", "problems": [{"claim": "the right foot is treading on the bicycle",
                                                  "why": "the right foot is off the pedal"}]},
    )  # fmt: skip
    append_row(run_dir, "examine", CUP, output={"verdict": "FAIL", "problems": [{"claim": HOSTILE, "why": HOSTILE}]})
    append_row(run_dir, "refine", KITE, status="failed", output=None, reason="parse error: empty answer")
    append_row(run_dir, "describe", BOOK, grounding={"supported": 5, "contradicted": 0, "unverifiable": 2,
                                                     "contradictions": []})  # fmt: skip
    (run_dir / "demo-data" / "Images" / "images" / "train2015" / BOOK.split("#")[0]).unlink()
    return run_dir


class _Cards(HTMLParser):
    """Attributes of every gallery card, and of the error box, from a page or a DOM dump."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[dict[str, str | None]] = []
        self.errors: dict[str, str | None] = {}
        self.shown_count: str | None = None
        self._in_count = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "article" and "card" in (a.get("class") or "").split():
            self.cards.append(a)
        if a.get("id") == "js-errors":
            self.errors = a
        self._in_count = a.get("id") == "shown-count"

    def handle_data(self, data: str) -> None:
        if self._in_count:
            self.shown_count = data.strip()
            self._in_count = False


def parse_page(html: str) -> _Cards:
    parser = _Cards()
    parser.feed(html)
    return parser
