"""Real-Data validation, seeded relation-aware sampling, box conversion and collate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hoiscribe.expressions.lod.realdata_io import read_realdata
from hoiscribe.expressions.lod.sampling import SamplingOptions, prompt_tokens, rng_for, sample_prompt


def _count(text: str) -> int:
    return len(text.split())


def _line(**pairs: dict) -> dict:
    return {"filename": "a.png", "height": 100, "width": 200, "pairs": pairs}


def _pair(boxes: list, pos: list, neg: list | None = None, relation: str = "single") -> dict:
    return {"bboxes": boxes, "category": "cup", "relation": relation, "positive_expressions": pos,
            "negative_expressions": neg or []}  # fmt: skip


def test_bad_input_is_dropped_and_counted_with_file_line_and_field(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(b"x")
    lines = [
        _line(**{"llm/0": _pair([[0, 0, 10, 10]], ["the cup"])}),  # good
        _line(),  # no pairs
        _line(**{"llm/0": _pair([[0, 0, 500, 10]], ["the cup"])}),  # box outside the 200x100 image
        _line(**{"llm/0": _pair([[0, 0, 10, 10]], ["the cup", "word " * 50], ["a " * 60, "the ball"])}),
        {**_line(**{"llm/0": _pair([[0, 0, 10, 10]], ["the cup"])}), "filename": "missing.png"},
    ]
    path = tmp_path / "real.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\nnot json\n")
    entries, log = read_realdata(path, tmp_path, fits=lambda t: prompt_tokens(_count, [t]) <= 20)
    assert [e.line for e in entries] == [1, 4]
    assert entries[1].pairs[0].positives == ("the cup",) and entries[1].pairs[0].negatives == ("the ball",)
    where = {(d.line, d.field): d.reason for d in log.drops}
    assert where[(2, "pairs")] == "line has no pairs"
    assert where[(3, "pairs.llm/0.bboxes[0]")] == "box outside the image"
    assert where[(4, "pairs.llm/0.positive_expressions[1]")] == "expression over the text-token budget"
    assert where[(4, "pairs.llm/0.negative_expressions[0]")] == "expression over the text-token budget"
    assert where[(5, "filename")].startswith("image not found")
    assert where[(6, "")].startswith("not JSON") and all(d.file == str(path) for d in log.drops)


def _entry(tmp_path: Path) -> object:
    cups = [[0, 0, 10, 10], [50, 0, 60, 10], [100, 0, 110, 10]]
    line = _line(**{
        "vlm_short/0": _pair([cups[0]], ["the leftmost cup", "the first cup"], ["the rightmost cup", "the ball"]),
        "vlm_short/2": _pair([cups[2]], ["the rightmost cup"], ["the leftmost cup"]),
        "category/cup": _pair(cups, ["the cups"], ["the balls"], relation="multiple"),
        "llm/0": _pair([cups[0]], ["the red cup"], ["the blue cup"]),
    })  # fmt: skip
    path = tmp_path / "real.jsonl"
    path.write_text(json.dumps(line) + "\n")
    return read_realdata(path)[0][0]


def test_sampling_is_seeded_and_relation_aware(tmp_path: Path) -> None:
    entry = _entry(tmp_path)
    opts = SamplingOptions(seed=3)
    p = sample_prompt(entry, rng_for(3, 0, 0), opts, _count, budget=200)
    assert p == sample_prompt(entry, rng_for(3, 0, 0), opts, _count, budget=200)
    assert any(sample_prompt(entry, rng_for(3, e, 0), opts, _count, 200) != p for e in range(1, 6))
    by_phrase: dict[str, list] = {}
    for box, label in zip(p.boxes, p.labels, strict=True):
        by_phrase.setdefault(p.phrases[label], []).append(box)
    assert len(by_phrase["the cups"]) == 3  # a `multiple` pair marks all of its boxes
    # a negative of one pair that is another pair's positive never enters as a negative
    assert "the rightmost cup" in by_phrase or "the rightmost cup" not in p.phrases
    assert {"the ball", "the balls", "the blue cup"} <= set(p.phrases)  # true negatives pad the prompt
    assert all(p.phrases[i] in by_phrase for i in p.labels)


def test_negatives_stop_at_the_budget_and_phrase_cap(tmp_path: Path) -> None:
    entry = _entry(tmp_path)
    opts = SamplingOptions(max_positives=1, max_phrases=2)
    p = sample_prompt(entry, rng_for(0, 0, 0), opts, _count, budget=200)
    assert len(p.phrases) == 2 and len(set(p.labels)) == 1
    tight = sample_prompt(entry, rng_for(0, 0, 0), SamplingOptions(), _count, budget=9)
    assert prompt_tokens(_count, tight.phrases) <= 9


def test_global_negatives_come_from_other_images_only(tmp_path: Path) -> None:
    entry = _entry(tmp_path)
    pool = ["a green bench", "the leftmost cup", "two kites"]
    p = sample_prompt(entry, rng_for(0, 0, 0), SamplingOptions(global_negatives=3), _count, 200, pool)
    assert {"a green bench", "two kites"} <= set(p.phrases) and p.phrases.count("the leftmost cup") <= 1


def test_dataset_converts_boxes_and_collates_unequal_prompts(demo_data: Path, tiny_gdino: Path) -> None:
    import torch
    from transformers import AutoProcessor

    from hoiscribe.expressions.lod.dataset import EpochSampler, RealDataset, collate, normalized_cxcywh

    assert normalized_cxcywh([(20, 10, 60, 50)], 200, 100).tolist() == [pytest.approx([0.2, 0.3, 0.2, 0.4])]
    entries, log = read_realdata(demo_data / "realdata.jsonl", demo_data)
    assert len(entries) == 8 and not log.drops
    ds = RealDataset(entries, demo_data, AutoProcessor.from_pretrained(tiny_gdino), SamplingOptions(), 256)
    sampler = EpochSampler(len(ds), seed=0)
    sampler.set_epoch(2)
    keys = list(sampler)
    assert sorted(k % len(ds) for k in keys) == list(range(8)) and all(k // len(ds) == 2 for k in keys)
    batch = collate([ds[keys[0]], ds[keys[1]]])
    assert batch["pixel_values"].shape[:2] == (2, 3) and batch["pixel_mask"].dtype == torch.long
    assert batch["input_ids"].shape == batch["attention_mask"].shape
    for item, labels in zip((ds[keys[0]], ds[keys[1]]), batch["labels"], strict=True):
        assert int(labels["class_labels"].max()) < item["num_phrases"]
        assert ((labels["boxes"] > 0) & (labels["boxes"] <= 1)).all()
