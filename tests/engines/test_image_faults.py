"""One bad image drops one sample: decompression bombs, truncated or corrupt files and missing
files become an ``ImageError`` naming the file and the reason, wherever the image is decoded
(the run layer's pool, the openai and transformers engines, the agent tools, the workflow), and
the run goes on; the rerun skips them as dropped."""

from __future__ import annotations

import io
import json
import shutil
import struct
import warnings
import zlib
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from hoiscribe.cli import app
from hoiscribe.engines.base import ImagePart, Message, Request, Sampling
from hoiscribe.engines.images import DEFAULT_MAX_IMAGE_PIXELS, ImageError, load_image, prepare_image, probe_image
from hoiscribe.run.rows import last_rows
from hoiscribe.run.store import read_rows

runner = CliRunner()
IMAGES = ("Images", "images", "train2015")


# ---- bad files, made cheaply ---------------------------------------------------------------


def bomb_jpeg(path: Path, side: int = 65000, size: int = 691) -> Path:
    """A real 8x8 JPEG whose SOF header claims ``side`` x ``side``, padded with a comment to ``size`` bytes."""
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buf, "JPEG", quality=90)
    data = buf.getvalue()
    sof = data.index(b"\xff\xc0")  # marker, length (2), precision (1), then height and width
    data = data[: sof + 5] + struct.pack(">HH", side, side) + data[sof + 9 :]
    pad = size - len(data)
    assert pad >= 4, "the tiny JPEG is already larger than wanted"
    comment = b"\xff\xfe" + struct.pack(">H", pad - 2) + b"\0" * (pad - 4)
    path.write_bytes(data[:2] + comment + data[2:])
    assert path.stat().st_size == size
    return path


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def huge_png(path: Path, width: int, height: int) -> Path:
    """A PNG header claiming ``width`` x ``height`` RGB, with a few bytes of pixel data: a few dozen bytes on disk."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(b"\0" * 64)))
    return path


def truncate(path: Path) -> Path:
    """The first half of the file: the header is intact, the compressed pixels stop midway."""
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


@pytest.fixture
def faulty_demo(tmp_path: Path, demo_root: Path) -> tuple[Path, dict[str, str]]:
    """The demo set with four bad images among the good ones: file name -> the reason it must give."""
    root = tmp_path / "demo"
    shutil.copytree(demo_root, root)
    images = root.joinpath(*IMAGES)
    names = sorted(p.name for p in images.glob("*.jpg"))
    picks = ("drink_cup", "kick_ball", "sit_chair", "fly_kite")  # images with one sample each
    bomb, png, cut, gone = (next(n for n in names if k in n) for k in picks)
    bomb_jpeg(images / bomb)
    huge_png(images / png, 14000, 14000)  # 196 megapixels, though the name says .jpg
    truncate(images / cut)
    (images / gone).unlink()
    return root, {bomb: "too large", png: "too large", cut: "failed to decode", gone: "not found"}


def stage_rows(out: Path, stage: str = "describe") -> dict[str, dict]:
    rows: dict[str, dict] = {}
    for path in sorted((out / "stages" / stage).glob("*/u*.jsonl")):
        rows.update(last_rows(read_rows(path)))
    return rows


# ---- the loader ----------------------------------------------------------------------------


def test_header_cap_refuses_before_decoding(tmp_path: Path) -> None:
    pil_limit = Image.MAX_IMAGE_PIXELS
    bomb = bomb_jpeg(tmp_path / "bomb.jpg")
    with pytest.raises(ImageError, match=r"bomb\.jpg' is too large: 4,225,000,000 pixels.*decompression bomb"):
        load_image(ImagePart(path=str(bomb)))
    # between the cap and PIL's own error limit: only our header check stands in the way (no decode:
    # the file holds no pixels, so decoding would fail as truncated instead)
    mid = huge_png(tmp_path / "mid.png", 12000, 10000)
    with (
        pytest.warns(Image.DecompressionBombWarning),  # PIL's own warning, at open: it changes nothing
        pytest.raises(ImageError, match=r"120,000,000 pixels, over the cap of 100,000,000 \(max_image_pixels\)"),
    ):
        prepare_image(ImagePart(path=str(mid)), 1024 * 1024)
    with warnings.catch_warnings():  # PIL's bomb warning raised as an error (python -W error) is the same fault
        warnings.simplefilter("error")
        with pytest.raises(ImageError, match="too large"):
            load_image(ImagePart(path=str(mid)), max_image_pixels=None)
    # a cap above PIL's own limit: PIL refuses first, and the message says which limit
    huge = huge_png(tmp_path / "huge.png", 14000, 14000)
    with pytest.raises(ImageError, match=r"196,000,000 pixels, over PIL's limit"):
        probe_image(str(huge), max_image_pixels=10**12)
    # the cap is configurable, down to refusing an ordinary photo
    photo = tmp_path / "photo.jpg"
    Image.new("RGB", (64, 48), (1, 2, 3)).save(photo)
    assert load_image(ImagePart(path=str(photo))).size == (64, 48)
    with pytest.raises(ImageError, match=r"3,072 pixels, over the cap of 1,000"):
        load_image(ImagePart(path=str(photo)), max_image_pixels=1000)
    assert pil_limit == Image.MAX_IMAGE_PIXELS  # PIL's global is read, never changed
    assert DEFAULT_MAX_IMAGE_PIXELS == 100_000_000  # the stage default matches:
    from hoiscribe.run.config import StageConfig

    assert StageConfig(name="s", task="describe").max_image_pixels == DEFAULT_MAX_IMAGE_PIXELS


def test_truncated_corrupt_and_missing_files_name_file_and_reason(tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    Image.effect_noise((256, 256), 64).convert("RGB").save(photo)  # noise: the pixels dominate the file
    cut = truncate(photo)
    with pytest.raises(ImageError, match=r"photo\.jpg' failed to decode: image file is truncated"):
        load_image(ImagePart(path=str(cut)))
    assert probe_image(str(cut)) == (256, 256)  # the header alone is fine: truncation shows only when decoding
    junk = tmp_path / "junk.jpg"
    junk.write_bytes(b"GIF89a nope, not even that")
    with pytest.raises(ImageError, match=r"junk\.jpg' failed to decode: not an image format PIL can read"):
        load_image(ImagePart(path=str(junk)))
    with pytest.raises(ImageError, match=r"gone\.png' not found"):
        load_image(ImagePart(path=str(tmp_path / "gone.png")))
    with pytest.raises(ImageError, match="cannot be read"):
        load_image(ImagePart(path=str(tmp_path)))  # a folder


# ---- the run, through the CLI ----------------------------------------------------------------


def test_annotate_drops_bad_images_and_the_rerun_skips_them(tmp_path: Path, faulty_demo) -> None:
    pytest.importorskip("httpx")
    from tests.engines.fake_openai_server import start_in_thread

    root, bad = faulty_demo
    out = tmp_path / "run"
    url, state, stop = start_in_thread()
    args = ["annotate", "--dataset", "demo", "--data-root", str(root), "--engine", "openai", "--model", "fake-model",
            "--engine-opt", f"base_url={url}", "--engine-opt", "backoff_s=0.01", "--out", str(out),
            "--set", "progress=false"]  # fmt: skip
    try:
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        rows = stage_rows(out)
        dropped = {sid: r for sid, r in rows.items() if r["status"] == "dropped"}
        expected = {sid for sid in rows if sid.split("#")[0] in bad}
        assert set(dropped) == expected and len(expected) == 4  # one sample per bad image
        for sid, row in dropped.items():
            name = sid.split("#")[0]
            assert name in row["reason"] and bad[name] in row["reason"], row["reason"]
        ok = [r for r in rows.values() if r["status"] == "ok"]
        assert len(ok) == len(rows) - 4 and len(ok) >= 10
        assert state.completions == len(ok)  # no bad image reached the server
        assert "Traceback" not in result.output

        seen = state.requests
        again = runner.invoke(app, args)
        assert again.exit_code == 0, again.output
        assert state.requests == seen  # the rerun asks nothing: dropped rows are not retried
        assert stage_rows(out) == rows
    finally:
        stop()
    merged = json.loads((out / "merged.json").read_text())
    assert len(merged) == len(ok)


# ---- inside the engines ----------------------------------------------------------------------


def _bad_files(tmp_path: Path) -> dict[str, Path]:
    photo = tmp_path / "cut.jpg"
    Image.effect_noise((256, 256), 64).convert("RGB").save(photo)
    return {
        "bomb": bomb_jpeg(tmp_path / "bomb.jpg"),
        "png": huge_png(tmp_path / "huge.png", 14000, 14000),
        "cut": truncate(photo),
        "gone": tmp_path / "gone.jpg",
    }


def _image_request(path: Path, rid: str) -> Request:
    parts = (ImagePart(path=str(path)), "what is here")
    return Request("describe", [Message("user", parts)], Sampling(max_tokens=4), request_id=rid)


def test_openai_engine_fails_the_bad_requests_alone(tmp_path: Path) -> None:
    pytest.importorskip("httpx")
    from hoiscribe.engines.openai import OpenAIEngine
    from tests.engines.fake_openai_server import start_in_thread

    good = tmp_path / "good.jpg"
    Image.new("RGB", (64, 48), (1, 2, 3)).save(good)
    files = _bad_files(tmp_path)
    url, state, stop = start_in_thread()
    try:
        engine = OpenAIEngine("fake-model", base_url=url, backoff_s=0.01)
        requests = [_image_request(good, "good"), *(_image_request(p, k) for k, p in files.items())]
        out = engine.generate(requests)
        engine.close()
    finally:
        stop()
    assert out[0].error is None and out[0].text == "echo: what is here"  # 4 tokens (words) at most
    for comp, (rid, path) in zip(out[1:], files.items(), strict=True):
        assert comp.error and rid in comp.error and path.name in comp.error
        assert not comp.transient and not comp.fatal  # this sample's fault: dropped, the run goes on
    assert "too large" in out[1].error and "too large" in out[2].error
    assert "truncated" in out[3].error and "not found" in out[4].error
    assert state.requests == 1


def test_openai_engine_cap_is_an_option(tmp_path: Path) -> None:
    pytest.importorskip("httpx")
    from hoiscribe.engines.openai import OpenAIEngine

    photo = tmp_path / "photo.jpg"
    Image.new("RGB", (64, 48), (1, 2, 3)).save(photo)
    engine = OpenAIEngine("m", base_url="http://127.0.0.1:9/v1", max_image_pixels=1000)
    try:
        with pytest.raises(ImageError, match="over the cap of 1,000"):
            engine._payload(_image_request(photo, "p"))
    finally:
        engine.close()


def test_transformers_engine_fails_the_bad_requests_alone(tiny_engine, tmp_path: Path) -> None:
    engine = tiny_engine("qwen2_vl")
    files = _bad_files(tmp_path)
    good = tmp_path / "good.jpg"
    Image.new("RGB", (64, 48), (90, 120, 30)).save(good)
    out = engine.generate([_image_request(good, "good"), *(_image_request(p, k) for k, p in files.items())])
    assert out[0].error is None
    for comp, (rid, path) in zip(out[1:], files.items(), strict=True):
        assert comp.error and rid in comp.error and path.name in comp.error and not comp.transient


def test_tool_context_pixels_report_the_image_fault(tmp_path: Path) -> None:
    from hoiscribe.tools.base import ToolContext

    bomb = bomb_jpeg(tmp_path / "bomb.jpg")
    with pytest.raises(ImageError, match=r"bomb\.jpg' is too large"):
        ToolContext((640, 480), str(bomb)).pixels()
    with pytest.raises(ImageError, match="not found"):
        ToolContext((640, 480), str(tmp_path / "gone.jpg")).pixels()
    given = Image.new("RGB", (32, 24), (5, 6, 7))  # pixels the run layer decoded: used when the file fails
    assert ToolContext((64, 48), str(bomb), image=given).pixels().size == (64, 48)


def test_workflow_drops_a_sample_whose_image_is_a_bomb(tmp_path: Path) -> None:
    from hoiscribe.core.records import Box
    from hoiscribe.expressions.engine import ExpressionWorkflowEngine
    from hoiscribe.expressions.reader import LocatedObject
    from hoiscribe.expressions.tasks import EXPRESSIONS
    from tests.expressions.helpers import ScriptedEngine

    class Sample:
        def __init__(self, image_path: str) -> None:
            objs = [LocatedObject(i, "cup", Box.from_xyxy(b, (400, 200))) for i, b in
                    enumerate([[20, 50, 80, 150], [150, 60, 230, 160]])]  # fmt: skip
            self.sample_id, self.file_name, self.image_path = "img#o1", "img.png", image_path
            self.width, self.height, self.raw_expression, self.global_caption = 400, 200, "a cup", ""
            self.chosen, self.others, self.objects = objs[1], (objs[0],), (objs[1], objs[0])

    plan = json.dumps({"reasoning": "r", "actions": [{"tool": "crop", "parameters": {}}, {"tool": "vqa"}]})
    grounded = {"name": "grounded"}
    engine = ExpressionWorkflowEngine(planner=ScriptedEngine(answers={"plan": [plan]}),
                                      vqa=ScriptedEngine(answers={"vqa": ["a cup"]}, needs_images=True),
                                      rewriter=grounded, reflector=grounded, generator=grounded)  # fmt: skip
    bomb = bomb_jpeg(tmp_path / "bomb.jpg")
    sample = Sample(str(bomb))
    (comp,) = engine.generate([EXPRESSIONS.build(sample, EXPRESSIONS.facts(sample), None, Sampling(), render=False)])
    assert comp.error and "bomb.jpg" in comp.error and "too large" in comp.error and not comp.transient
