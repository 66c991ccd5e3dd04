"""JSON recovery, schema validation, think/answer splitting and box frames."""

from __future__ import annotations

import pytest

from hoiscribe.core.parsing import extract_json, find_boxes, parse_boxes, split_think, to_box, validate
from hoiscribe.core.records import RecordError

SCHEMA = {
    "type": "object",
    "properties": {
        "verb": {"type": "string", "enum": ["ride", "hold"]},
        "box": {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4},
        "score": {"type": "number", "minimum": 0, "maximum": 1},
        "note": {"type": ["string", "null"]},
    },
    "required": ["verb", "box"],
    "additionalProperties": False,
}


@pytest.mark.parametrize(
    ("raw", "value", "repaired"),
    [
        ('{"verb": "ride", "box": [1, 2, 3, 4]}', {"verb": "ride", "box": [1, 2, 3, 4]}, False),
        ('Sure! ```json\n{"verb": "hold", "box": [1, 2, 3, 4],}\n``` hope it helps', None, True),
        ('The answer is {"verb": "ride", "box": [1, 2, 3, 4]} as requested.', None, False),
        ('{"verb": "ride", "box": [1, 2, 3, 4], "note": "the man is ri', None, True),
        ('{"verb": "ride", "box": [1, 2, 3, 4], "score": 0.', None, True),
        ('{"verb": "ride", "box": [1, 2, 3, 4], "note":', None, True),
        ('{"verb": "ride", "box": [1, 2, 3, 4], "no', None, True),
        (
            '<think>maybe {"verb": "hold"}</think><answer>{"verb": "ride", "box": [1,2,3,4]}</answer>',
            None,
            False,
        ),
    ],
)
def test_json_recovered(raw: str, value: object, repaired: bool) -> None:
    parsed = extract_json(raw, SCHEMA)
    assert parsed.ok, parsed.error
    assert parsed.raw == raw
    assert parsed.repaired is repaired
    assert parsed.value["box"] == [1, 2, 3, 4]
    if value is not None:
        assert parsed.value == value
    if "ri" in raw and "note" in raw and raw.endswith("ri"):
        assert parsed.value["note"] == "the man is ri"


def test_truncated_inside_required_field_is_reported_with_raw_text() -> None:
    raw = '{"verb": "ride", "box": [1, 2'
    parsed = extract_json(raw, SCHEMA)
    assert parsed.repaired and parsed.value == {"verb": "ride", "box": [1, 2]}
    assert not parsed.ok and "2 items, at least 4" in parsed.error
    assert parsed.raw == raw


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("I cannot help with that.", "no JSON"),
        ('{"verb": ride}', "could not be repaired"),
        ("<think>the person holds {", "cut off while thinking"),
    ],
)
def test_json_failures_keep_raw(raw: str, message: str) -> None:
    parsed = extract_json(raw, SCHEMA)
    assert not parsed.ok and message in parsed.error and parsed.raw == raw


def test_validator_paths_and_rules() -> None:
    bad = {"verb": "eat", "box": [1, "2", 3], "score": 2, "extra": 1, "note": 3}
    errors = validate(bad, SCHEMA)
    joined = "\n".join(errors)
    assert "$.verb: 'eat' is not one of" in joined
    assert "$.box[1]: expected number, got str" in joined
    assert "$.box: 3 items, at least 4" in joined
    assert "$.score: 2 > maximum 1" in joined
    assert "unexpected property 'extra'" in joined
    assert "$.note: expected string or null" in joined
    assert validate({"box": [1, 2, 3, 4]}, SCHEMA) == ["$: missing required property 'verb'"]
    assert validate(True, {"type": "integer"})  # bool is not an integer
    assert not validate(3.0, {"type": "integer"})
    assert validate(5, {"anyOf": [{"type": "string"}, {"type": "null"}]})
    assert not validate(None, {"anyOf": [{"type": "string"}, {"type": "null"}]})


@pytest.mark.parametrize(
    ("raw", "thinking", "answer"),
    [
        ("<think>look at the hands</think><answer>ride</answer>", "look at the hands", "ride"),
        ("look at the hands</think>\nride", "look at the hands", "ride"),  # <think> was in the prompt
        ("<think>look at the hands", "look at the hands", ""),  # cut off while thinking
        ("<think>a</think> ride", "a", "ride"),
        ("plain answer", "", "plain answer"),
        ("<answer>ride</answer>", "", "ride"),
    ],
)
def test_split_think(raw: str, thinking: str, answer: str) -> None:
    assert split_think(raw) == (thinking, answer)


def test_find_boxes_in_common_notations() -> None:
    text = 'person {"bbox_2d": [10, 20, 110, 220]} and <|box_start|>(1,2),(3,4)<|box_end|> then [0.1, 0.2, 0.5, 0.6]'
    assert find_boxes(text) == [[10, 20, 110, 220], [1, 2, 3, 4], [0.1, 0.2, 0.5, 0.6]]


def test_box_frames_map_to_original_pixels() -> None:
    size = (640, 480)
    assert to_box([100, 50, 300, 250], "abs", size).as_xyxy() == [100, 50, 300, 250]
    # Qwen2.5-VL: pixels of the 320x240 input the model saw
    assert to_box([50, 25, 150, 125], "abs_resized", size, input_size=(320, 240)).as_xyxy() == [
        100,
        50,
        300,
        250,
    ]
    assert to_box([500, 500, 1000, 1000], "norm1000", size).as_xyxy() == [320, 240, 640, 480]
    assert to_box([0.5, 0.5, 0.25, 0.25], "norm1", size).as_xyxy() == [
        160,
        120,
        320,
        240,
    ]  # corners reordered
    clamped = to_box([-5, -5, 700, 500], "abs", size)
    assert clamped.as_xyxy() == [0, 0, 640, 480] and clamped.width == 640
    with pytest.raises(RecordError, match="empty"):
        to_box([700, 10, 800, 20], "abs", size)
    with pytest.raises(ValueError, match="input_size"):
        to_box([1, 2, 3, 4], "abs_resized", size)


def test_parse_boxes_skips_unusable() -> None:
    boxes = parse_boxes("[0, 0, 500, 500] and [900, 900, 950, 950]", "abs", (100, 100))
    assert [b.as_xyxy() for b in boxes] == [[0, 0, 100, 100]]
