"""The transformers engine on tiny models of every family: real loading, templating,
preprocessing and batched generation on CPU."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from hoiscribe.engines.base import EngineError, ImagePart, Message, Request, Sampling

pytest.importorskip("torch")
pytest.importorskip("transformers")

from hoiscribe.engines.families import FAMILIES, detect_family
from hoiscribe.testing.tiny import FAMILIES as TINY_FAMILIES

PROMPTS = [
    "describe",
    "a person rides a bicycle on the street and holds a cup of coffee in the park",
    "the man",
    "where is the person ? answer in json with the box",
]
SIZES = [(80, 60), (50, 100), (90, 90), (128, 64)]


def _image(w: int, h: int, seed: int) -> Image.Image:
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 255, (h, w, 3), dtype=np.uint8))


def _requests(max_tokens: int = 6) -> list[Request]:
    return [
        Request(
            "describe",
            [Message("user", (ImagePart(image=_image(*SIZES[i], seed=i)), PROMPTS[i]))],
            Sampling(max_tokens=max_tokens),
            request_id=f"req-{i}",
        )
        for i in range(4)
    ]


def test_every_registered_family_has_a_tiny_model() -> None:
    assert set(TINY_FAMILIES) == set(FAMILIES)


@pytest.mark.parametrize("family", TINY_FAMILIES)
def test_batch_equals_one_at_a_time(family: str, tiny_engine) -> None:
    engine = tiny_engine(family)
    assert engine.family.name == family  # auto-detected from config.json
    requests = _requests()
    batched = engine.generate(requests)
    single = [engine.generate([r])[0] for r in requests]
    assert [c.error for c in batched] == [None] * 4
    assert [c.text for c in batched] == [c.text for c in single]
    assert [c.completion_tokens for c in batched] == [c.completion_tokens for c in single]
    assert [c.prompt_tokens for c in batched] == [c.prompt_tokens for c in single]
    # different prompt lengths give different prompt token counts; none exceeds max_tokens
    assert len({c.prompt_tokens for c in batched}) > 1
    assert all(0 < c.completion_tokens <= 6 for c in batched)
    assert all(c.fingerprint.startswith(f"transformers:{family}:") for c in batched)
    assert batched[0].timings["batch_size"] == 4.0


def test_bad_requests_fail_alone(tiny_engine, tmp_path: Path) -> None:
    engine = tiny_engine("qwen2_vl")
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not an image at all")
    requests = _requests()
    bad_image = Request("describe", [Message("user", (ImagePart(path=str(broken)), "x"))], request_id="bad-img")
    many = Request(
        "describe",
        [Message("user", (*(ImagePart(image=_image(30, 30, k)) for k in range(9)), "x"))],
        request_id="too-many",
    )
    missing = Request("describe", [Message("user", (ImagePart(path=str(tmp_path / "nope.png")), "x"))])
    out = engine.generate([requests[0], bad_image, requests[1], many, missing, requests[2]])
    assert out[1].error and "bad-img" in out[1].error and "broken.jpg" in out[1].error
    assert "decode" in out[1].error and not out[1].transient
    assert out[3].error and "too-many" in out[3].error and "9 images exceed" in out[3].error
    assert out[4].error and "#4" in out[4].error and "not found" in out[4].error
    good = [out[0], out[2], out[5]]
    assert [c.error for c in good] == [None] * 3
    alone = [engine.generate([r])[0].text for r in requests[:3]]
    assert [c.text for c in good] == alone


def test_text_only_and_mixed_sampling(tiny_engine) -> None:
    engine = tiny_engine("llava")
    text_only = Request("t", [Message.text("system", "be brief"), Message.text("user", "the man")])
    sampled = Request(
        "t",
        [Message("user", (ImagePart(image=_image(40, 40, 7)), "describe"))],
        Sampling(temperature=1.0, top_p=0.9, max_tokens=5, seed=3),
    )
    first = engine.generate([text_only, sampled, _requests()[0]])
    again = engine.generate([sampled])
    assert [c.error for c in first] == [None] * 3
    assert first[1].text == again[0].text  # seeded sampling is reproducible
    assert first[1].completion_tokens <= 5


def test_stop_strings_and_length(tiny_engine) -> None:
    engine = tiny_engine("qwen2_5_vl")
    req = _requests(max_tokens=12)[1]
    full = engine.generate([req])[0]
    assert full.finish_reason == "length" and full.completion_tokens == 12
    stop = full.text[3:5]
    assert stop
    stopped = engine.generate([Request(req.task, req.messages, Sampling(max_tokens=12, stop=(stop,)))])[0]
    assert stopped.text == full.text[: full.text.find(stop)]
    assert stopped.finish_reason == "stop"


def test_pixel_budget(tiny_engine) -> None:
    engine = tiny_engine("qwen2_vl", max_pixels=56 * 56)
    assert engine.max_pixels == 56 * 56
    assert "px3136" in engine.fingerprint()
    w, h = engine.input_size(640, 480)
    assert w * h <= 56 * 56 and w % 28 == 0 and h % 28 == 0
    big = Request("t", [Message("user", (ImagePart(image=_image(640, 480, 1)), "describe"))])
    small = Request("t", [Message("user", (ImagePart(image=_image(640, 480, 1).resize((64, 48))), "describe"))])
    a, b = engine.generate([big, small])
    # both images end up at the same 56x56-pixel budget, so they cost the same tokens
    assert a.error is None and a.prompt_tokens == b.prompt_tokens


def test_detection_and_override(tiny_model, tmp_path: Path) -> None:
    path = tiny_model("gemma3")
    assert detect_family(path).name == "gemma3"
    assert detect_family(path, "llava").name == "llava"
    with pytest.raises(EngineError, match="unknown model family 'nope'"):
        detect_family(path, "nope")
    arch_only = tmp_path / "arch"
    arch_only.mkdir()
    (arch_only / "config.json").write_text(json.dumps({"architectures": ["Qwen3VLMoeForConditionalGeneration"]}))
    assert detect_family(arch_only).name == "qwen3_vl_moe"
    generic = tmp_path / "generic"
    generic.mkdir()
    (generic / "config.json").write_text(json.dumps({"model_type": "paligemma"}))
    assert detect_family(generic).name == "auto"


def test_load_errors_name_the_model(tiny_model, tmp_path: Path) -> None:
    from hoiscribe.catalog import make_engine

    with pytest.raises(EngineError, match="not a local folder"):
        make_engine("transformers", model="Qwen/Qwen2-VL-2B-Instruct")
    folder = tmp_path / "no-processor"
    shutil.copytree(tiny_model("qwen2_vl"), folder)
    (folder / "processor_config.json").unlink()
    with pytest.raises(EngineError, match=r"no-processor.*no processor files"):
        make_engine("transformers", model=str(folder))
    with pytest.raises(EngineError, match="unknown option"):
        make_engine("transformers", model=str(folder), batchsize=4)
    bert = tmp_path / "bert"
    shutil.copytree(tiny_model("llava"), bert)
    (bert / "config.json").write_text(json.dumps({"model_type": "bert"}))
    with pytest.raises(EngineError, match=r"bert.*'bert' is neither a registered family"):
        make_engine("transformers", model=str(bert))


def test_saved_folder_keeps_video_settings(tiny_model) -> None:
    """A folder written without torchvision still names its video processor, so it loads
    unchanged where torchvision exists; here it loads image-only."""
    from hoiscribe.engines import hfload

    path = tiny_model("smolvlm")
    saved = json.loads((path / "processor_config.json").read_text())
    assert saved["processor_class"] == "SmolVLMProcessor"
    assert saved["video_processor"]["video_processor_type"] == "SmolVLMVideoProcessor"
    processor = hfload.load_processor(path, "smolvlm")
    if not hfload.torchvision_available():
        with pytest.raises(EngineError, match="torchvision"):
            processor.video_processor([])
    again = path.parent / "smolvlm-resaved"
    processor.save_pretrained(again)
    resaved = json.loads((again / "processor_config.json").read_text())
    assert resaved["video_processor"] == saved["video_processor"]
    assert resaved["image_processor"]["image_processor_type"] == saved["image_processor"]["image_processor_type"]


def test_generic_auto_path(tiny_engine) -> None:
    """The generic AutoModelForImageTextToText path serves a model no family is forced on."""
    engine = tiny_engine("llava_onevision", model_family="auto")
    assert engine.family.name == "auto"
    reference = tiny_engine("llava_onevision")
    requests = _requests()[:2]
    assert [c.text for c in engine.generate(requests)] == [c.text for c in reference.generate(requests)]
