"""The corruption benchmark's set-builder on a slice: labels are sound and the checker meets its bar."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

import pytest

from hoiscribe.hoi_text.checker import check_text

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "grounding_synthetic.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("grounding_synthetic", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["grounding_synthetic"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_checker_meets_thresholds_on_a_slice(bench: ModuleType, tmp_path: Path) -> None:
    samples = bench.load_samples(tmp_path, limit=80)
    cases = bench.build_cases(samples, seed=3)
    result = bench.score(cases)
    assert result["precision"] >= 0.95 and result["recall"] >= 0.95, (result["misses"][:3], result["false_alarms"][:3])
    for kind in bench.CORRUPTIONS:
        assert result["per_type"][kind]["n"] > 0, kind
        assert result["per_type"][kind]["recall"] >= 0.9, kind
    assert result["true"] > 300 and result["corrupted"] > 300


def test_corrupted_texts_differ_and_true_rewrites_vary(bench: ModuleType, tmp_path: Path) -> None:
    samples = bench.load_samples(tmp_path, limit=20)
    cases = bench.build_cases(samples, seed=0)
    originals = {c.sample_id: c.text for c in cases if c.kind == "original"}
    for c in cases:
        if c.corrupted:
            assert c.text != originals[c.sample_id]
    rewrites = [c.text for c in cases if c.kind == "rewrite"]
    assert any(" holds " in t for t in rewrites) and any("- " in t for t in rewrites)
    assert any(", while " in t for t in rewrites)


def test_swap_is_labelled_by_truth(bench: ModuleType, tmp_path: Path) -> None:
    """Mirroring a sample whose hands both hold leaves the text true; one-handed holding makes it false."""
    samples = bench.load_samples(tmp_path, limit=0)
    context = bench.facts_with_context(samples)
    by_scene = {s.file_name.split("_", 3)[-1]: context[s.sample_id] for s in samples if s.instance_id == 0}
    rng = random.Random(0)
    state_only = bench.Style("bullets", 0, False, "", False, False)
    read = dict(by_scene["read_book.jpg"], posecodes=[])
    assert bench.text_truth(bench.mirror(read), read, rng) is True
    cup = by_scene["hold_cup.jpg"]
    assert bench.text_truth(bench.mirror(cup), cup, rng) is False
    swapped = bench.render(bench.mirror(cup), rng, state_only)
    assert "left hand" in swapped
    assert "left_right_swap" in [c.type for c in check_text(swapped, cup).contradicted]
