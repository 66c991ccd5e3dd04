"""describe can show the model which person and object the facts are about, drawn on the image."""

from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest

from hoiscribe.engines.base import Completion, Engine, ImagePart, Request
from hoiscribe.hoi_text.marks import OBJECT_COLOR, PERSON_COLOR
from hoiscribe.run.config import load_config
from hoiscribe.run.pipeline import run_pipeline


class RecordingEngine(Engine):
    """Keeps every request it answers (class-level, so the test can read them after the run)."""

    seen: ClassVar[list[Request]] = []

    def __init__(self, model: str | None = None, **_: Any) -> None:
        pass

    def fingerprint(self) -> str:
        return "recording"

    def generate(self, requests: list[Request]) -> list[Completion]:
        RecordingEngine.seen.extend(requests)
        return [Completion("A person.") for _ in requests]


def _colors(image: Any) -> set[tuple[int, ...]]:
    return set(map(tuple, np.asarray(image).reshape(-1, 3).tolist()))


def _run(tmp_path: Path, demo_root: Path, draw: bool) -> list[Request]:
    RecordingEngine.seen = []
    stage = {"name": "describe", "task": "describe", "draw_boxes": draw, "max_pixels": 160 * 120,
             "engine": {"name": "tests.hoi_text.test_marks:RecordingEngine"}}  # fmt: skip
    base = {"dataset": "demo", "data_root": str(demo_root), "out": str(tmp_path / f"run{int(draw)}"),
            "progress": False, "max_samples": 3, "stages": [stage]}  # fmt: skip
    run_pipeline(load_config(None, [], base))
    return sorted(RecordingEngine.seen, key=lambda r: r.request_id)


def test_boxes_are_drawn_in_the_resized_frame_and_named_in_the_prompt(tmp_path: Path, demo_root: Path) -> None:
    plain, drawn = _run(tmp_path, demo_root, False), _run(tmp_path, demo_root, True)
    assert len(plain) == len(drawn) == 3
    for p, d in zip(plain, drawn, strict=True):
        img = next(part for part in d.messages[0].content if isinstance(part, ImagePart)).image
        assert img is not None and img.width * img.height <= 160 * 120  # drawn after resizing
        colors = _colors(img)
        assert PERSON_COLOR in colors and OBJECT_COLOR in colors
        raw = next(part for part in p.messages[0].content if isinstance(part, ImagePart)).image
        assert PERSON_COLOR not in _colors(raw)
        assert "marked with a green box" in d.messages[0].text_content
        assert "marked with a green box" not in p.messages[0].text_content
        assert d.content_key() != p.content_key()  # the request cache never mixes the two


def test_draw_boxes_on_a_task_without_boxes_is_refused_before_reading(tmp_path: Path) -> None:
    base = {"dataset": "pose_demo", "out": str(tmp_path / "run"), "progress": False,
            "stages": [{"name": "transition", "task": "transition", "draw_boxes": True}]}  # fmt: skip
    with pytest.raises(ValueError, match="task 'transition' cannot draw boxes"):
        run_pipeline(load_config(None, [], base))
    assert not (tmp_path / "run" / "pose-demo-data").exists()  # refused before the reader drew anything
