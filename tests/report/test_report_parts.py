"""Pieces of the gallery on their own: claim highlighting, the drawn overlay, the chart numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PIL import Image

from hoiscribe.report.charts import contradiction_types, description_lengths, hoi_pass_rates, stage_pass_rates
from hoiscribe.report.collect import SampleView, StageView, collect_run
from hoiscribe.report.draw import HUMAN, LEFT, MAX_SIDE, OBJECT, RIGHT, render_sample
from hoiscribe.report.highlight import CONTRADICTED, PROBLEM, Mark, segments
from hoiscribe.vocab.keypoints import COCO17

TEXT = "A person rides.\n- The Right arm is straight.\n- The left hand holds a cup."


def test_segments_mark_claims_case_insensitively_and_keep_the_text() -> None:
    marks = [
        Mark("the right arm is straight.", CONTRADICTED, "pose"),
        Mark("- The left hand holds a cup", PROBLEM, "no cup"),  # bullet and missing period tolerated
        Mark("right arm", PROBLEM, "overlaps the first: left unmarked"),
        Mark("a horse", PROBLEM, "not in the text"),
    ]
    segs = segments(TEXT, marks)
    assert "".join(s.text for s in segs) == TEXT
    marked = [(s.text, s.mark.kind) for s in segs if s.mark]
    assert marked == [("The Right arm is straight.", CONTRADICTED), ("The left hand holds a cup", PROBLEM)]
    assert segments(TEXT, []) == segments(TEXT, [Mark("zz", PROBLEM, "")])


def _record(**extra: Any) -> dict[str, Any]:
    kps = [0.0] * 51
    for name, (x, y, v) in {
        "left_elbow": (100, 100, 2), "left_wrist": (100, 200, 2),
        "right_elbow": (300, 100, 2), "right_wrist": (300, 200, 0),  # not visible: no forearm drawn
    }.items():  # fmt: skip
        i = COCO17.index(name)
        kps[3 * i : 3 * i + 3] = [x, y, v]
    return {"width": 640, "height": 480, "keypoints": kps, "human_bbox": [50, 50, 400, 300], **extra}


def _near(image: Image.Image, xy: tuple[float, float], color: tuple[int, int, int], tol: int = 40) -> bool:
    """Some pixel within 2 px of ``xy`` has ``color`` (lines are a few pixels wide, drawn inward)."""
    x0, y0 = round(xy[0]), round(xy[1])
    for x in range(max(0, x0 - 2), min(image.width, x0 + 3)):
        for y in range(max(0, y0 - 2), min(image.height, y0 + 3)):
            if all(abs(a - b) <= tol for a, b in zip(image.getpixel((x, y)), color, strict=False)):
                return True
    return False


def test_overlay_on_placeholder_draws_visible_limbs_only() -> None:
    image, found = render_sample(_record(), None, [])
    assert not found
    assert image.size == (MAX_SIDE, 420)  # 640x480 scaled to the gallery size
    f = MAX_SIDE / 640
    assert _near(image, (100 * f, 150 * f), LEFT)
    assert not _near(image, (300 * f, 150 * f), RIGHT)
    assert _near(image, (50 * f, 175 * f), HUMAN)


def test_overlay_scales_boxes_onto_a_large_real_image(tmp_path: Path) -> None:
    path = tmp_path / "big.jpg"
    Image.new("RGB", (1200, 800), (255, 255, 255)).save(path)
    rec = _record(width=1200, height=800, object_bbox=[600, 400, 1000, 700], object="cup")
    image, found = render_sample(rec, path, [{"part": "left hand", "state": "hold"}])
    assert found and image.size == (MAX_SIDE, round(800 * MAX_SIDE / 1200))
    f = MAX_SIDE / 1200
    assert _near(image, (1000 * f, 600 * f), OBJECT)
    assert not _near(image, (1100 * f, 600 * f), OBJECT)
    assert _near(image, (100 * f, 150 * f), LEFT)


def test_unreadable_image_is_a_placeholder(tmp_path: Path) -> None:
    path = tmp_path / "broken.jpg"
    path.write_bytes(b"not a jpeg")
    image, found = render_sample({"human_bbox": [1, 2], "keypoints": [None] * 51}, path, [])
    assert not found and image.size == (MAX_SIDE, 420)


def _sample(hoi: tuple[str, str], *stages: StageView) -> SampleView:
    return SampleView("s", {"verb": hoi[0], "object": hoi[1]}, list(stages))


def test_chart_numbers() -> None:
    ok = StageView("describe", "describe", None, "ok", output="one two three")
    wrong = [{"claim": "a", "type": "wrong_verb"}, {"claim": "b", "type": "wrong_verb"}]
    bad = StageView("describe", "describe", None, "ok", output="one two three four five six seven",
                    grounding={"contradicted": 2, "contradictions": wrong})  # fmt: skip
    failed = StageView("describe", "describe", None, "failed", reason="timeout")
    fail = StageView("examine", "examine", "describe", "ok", output={"verdict": "fail", "problems": ["x"]})
    missing = StageView("examine", "examine", "describe", "missing")
    samples = [
        _sample(("ride", "horse"), ok, StageView("examine", "examine", "describe", "ok", output={"verdict": "PASS"})),
        _sample(("ride", "horse"), bad, fail),
        _sample(("hold", "cup"), failed, missing),
    ]
    stages = stage_pass_rates(samples, ["describe", "examine"])
    assert [b.text for b in stages.bars] == ["1/3 (33%)", "1/2 (50%)"]  # the missing row is not counted
    assert samples[1].verdict == "FAIL"
    hois = hoi_pass_rates(samples)
    assert [(b.label, b.text) for b in hois.bars] == [("hold cup", "0/1 (0%)"), ("ride horse", "1/2 (50%)")]
    lengths = description_lengths(samples, ["describe", "examine"])
    assert [name for name, _ in lengths.series] == ["describe"]
    assert sum(lengths.series[0][1]) == 2 and lengths.peak == 1
    types = contradiction_types(samples)
    assert [(b.label, b.text) for b in types.bars] == [("wrong_verb", "2"), ("examiner problems", "1")]


def test_collect_keeps_samples_whose_first_stage_failed(run_copy: Path) -> None:
    from tests.report.fabricate import append_row

    sid = "HICO_train2015_demo0005_sit_chair.jpg#0"
    append_row(run_copy, "describe", sid, status="dropped", output=None, reason="bad sample: no person box")
    view = collect_run(run_copy)
    sample = next(s for s in view.samples if s.sample_id == sid)
    assert sample.stages[0].status == "dropped" and not sample.passed
    assert sample.record["file_name"].endswith("sit_chair.jpg")  # the seed record still comes from the row
