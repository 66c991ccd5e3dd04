"""Setups pick the training texts, augmentations and the cyclic loss; options are strict."""

import pytest
from pydantic import ValidationError

from hoiscribe.pose.cpr.data import CprEntry
from hoiscribe.pose.cpr.items import FLIP, build_items, image_keys
from hoiscribe.pose.cpr.setups import SETUPS, build_config, parse_value

ENTRY = CprEntry(
    0, "r.jpg", "t.jpg", None,
    {"sents": ("human a", "human b"), "auto": ("auto 1", "auto 2", "auto 3", "auto 4"),
     "auto-reverse": ("back 1", "back 2", "back 3", "back 4"), "mllm": ("m1", "m2", "m3"),
     "reverse": ("rev1", "rev2", "rev3"), "mirror": ("mir1", "mir2", "mir3"),
     "mirror-reverse": ("mrev1", "mrev2", "mrev3")},
)  # fmt: skip


def _items(setup: str, **over: object) -> list:
    cfg = build_config("clip", setup, "clip", "root", dict(over))
    return build_items([ENTRY], cfg)[0]


def test_human_1_trains_one_human_text_forward_only() -> None:
    (item,) = _items("human-1")
    assert (item.reference, item.target, item.texts, item.back) == ("r.jpg", "t.jpg", ("human a",), ())


def test_auto_3_and_its_cyclic_form() -> None:
    (plain,) = _items("auto-3")
    (cyclic,) = _items("auto-3-cycle")
    assert plain.texts == cyclic.texts == ("auto 1", "auto 2", "auto 3") and plain.back == ()
    assert cyclic.back == ("back 1", "back 2", "back 3")


def test_mllm_mirror_reverse_3_cycle_adds_swapped_and_flipped_pairs() -> None:
    items = _items("mllm-mirror-reverse_3-cycle")
    ways = {(i.reference, i.target): (i.texts, i.back) for i in items}
    assert ways == {
        ("r.jpg", "t.jpg"): (("m1", "m2", "m3"), ("rev1", "rev2", "rev3")),
        ("t.jpg", "r.jpg"): (("rev1", "rev2", "rev3"), ("m1", "m2", "m3")),
        ("r.jpg" + FLIP, "t.jpg" + FLIP): (("mir1", "mir2", "mir3"), ("mrev1", "mrev2", "mrev3")),
        ("t.jpg" + FLIP, "r.jpg" + FLIP): (("mrev1", "mrev2", "mrev3"), ("mir1", "mir2", "mir3")),
    }
    assert image_keys(items) == ["r.jpg", "t.jpg", "r.jpg" + FLIP, "t.jpg" + FLIP]  # each feature once


def test_entries_without_the_fields_are_skipped_and_counted() -> None:
    bare = CprEntry(1, "a.jpg", "b.jpg", None, {"mllm": ("only forward",)})
    cfg = build_config("combiner", "mllm-mirror-reverse_3-cycle", "clip", "root", {})
    items, skipped = build_items([bare], cfg)
    assert [(i.reference, i.back) for i in items] == [("a.jpg", ())]
    assert skipped == {"forward": 0, "reverse": 1, "mirror": 1, "mirror-reverse": 1}


def test_presets_stage_defaults_and_overrides() -> None:
    cfg = build_config("combiner", "auto-3", "m", "root", {"lr": 1e-4})
    assert (cfg.lr, cfg.batch_size, cfg.epochs, cfg.projection_dim, cfg.hidden_dim) == (1e-4, 512, 100, 2560, 5120)
    assert build_config("clip", "human-1", "m", "root", {}).lr == 2e-6
    assert set(SETUPS) == {"human-1", "auto-3", "auto-3-cycle", "mllm-mirror-reverse_3-cycle"}
    with pytest.raises(ValueError, match="unknown setup 'human-2'"):
        build_config("clip", "human-2", "m", "root", {})
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        build_config("clip", "human-1", "m", "root", {"learning_rate": 1.0})
    with pytest.raises(ValidationError, match="cycle needs reverse_field"):
        build_config("clip", "human-1", "m", "root", {"cycle": True})
    assert parse_value("3") == 3 and parse_value("[1, 2]") == [1, 2] and parse_value("sents") == "sents"


def test_open_clip_backend_names_its_extra() -> None:
    import importlib.util

    from hoiscribe.pose.cpr.backbone import load_backbone

    if importlib.util.find_spec("open_clip") is not None:
        pytest.skip("open_clip is installed here")
    with pytest.raises(ModuleNotFoundError, match=r"pip install 'hoiscribe\[openclip\]'"):
        load_backbone("open_clip", "RN50:openai")
    with pytest.raises(ValueError, match="unknown CLIP backend 'jax'"):
        load_backbone("jax", "RN50")
