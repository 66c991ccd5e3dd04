"""The transition task through the run layer's model-engine path (decoded images, cache, parse)."""

import json
from pathlib import Path
from typing import Any

from hoiscribe.engines.base import Completion, Engine, ImagePart, Request
from hoiscribe.run.config import load_config
from hoiscribe.run.merge import export_run
from hoiscribe.run.pipeline import run_pipeline

SEEN: list[dict[str, Any]] = []


class CannedVLM(Engine):
    """Answers like a VLM would (prose around a JSON block) and records what it was sent."""

    name = "canned"

    def __init__(self, model: str | None = None, **_: Any) -> None:
        self.model = model or "canned"

    def fingerprint(self) -> str:
        return "canned:v1"

    def generate(self, requests: list[Request]) -> list[Completion]:
        out = []
        for r in requests:
            images = [p for m in r.messages for p in m.content if isinstance(p, ImagePart)]
            SEEN.append(
                {"images": [(p.path, p.image is not None) for p in images], "prompt": r.messages[0].content[-1]}
            )
            answer = {
                "movements": ["Raise your left arm."],
                "descriptions": ["Raise your left arm.", "Lift the left hand right away."],
                "reverse": ["Lower your left arm."],
            }
            out.append(Completion("Here you go:\n```json\n" + json.dumps(answer) + "\n```", "stop"))
        return out


def test_model_engine_gets_both_images_and_rows_hold_all_variants(tmp_path: Path) -> None:
    SEEN.clear()
    cfg = load_config(
        None,
        [],
        {"dataset": "pose_demo", "data_root": str(tmp_path / "data"), "out": str(tmp_path / "run"),
         "max_samples": 3, "progress": False,
         "stages": [{"name": "transition", "task": "transition", "engine": {"name": f"{__name__}:CannedVLM"}}]},
    )  # fmt: skip
    report = run_pipeline(cfg)
    assert report.complete and report.stages[0].counts["ok"] == 3
    assert len(SEEN) == 3
    ref_path, ref_decoded = SEEN[0]["images"][0]
    tgt_path, _ = SEEN[0]["images"][1]
    assert ref_path.endswith("_ref.jpg") and ref_decoded and tgt_path.endswith("_tgt.jpg")
    assert "Changes measured from 2D keypoints" in SEEN[0]["prompt"]
    out = export_run(tmp_path / "run", tmp_path / "captions" / "train.json", "autocompose")
    entries = json.loads(out.read_text())
    assert entries[0]["mllm"] == ["Raise your left arm.", "Lift the left hand right away."]
    assert entries[0]["mirror"] == ["Raise your right arm."]  # "right away" is flagged, not mirrored
    assert entries[0]["mirror-reverse"] == ["Lower your right arm."]
    assert entries[0]["auto"] and entries[0]["sents"]
    assert (tmp_path / "image_splits" / "train.json").is_file()  # beside the captions folder
    rows = [json.loads(line) for p in (tmp_path / "run" / "stages").rglob("u*.jsonl") for line in p.open()]
    assert rows[0]["output"]["flagged"][0]["text"] == "Lift the left hand right away."
