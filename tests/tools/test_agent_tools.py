"""Tools: spatial relations on hand-made geometry, oracle backends, guarded calls, image ops."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from hoiscribe.agent.toolbox import build_toolbox
from hoiscribe.catalog import TOOLS
from hoiscribe.cli.agent import tools_app
from hoiscribe.datasets.gt_index import ImageAnnotation
from hoiscribe.geometry.relations import DIRECTIONS, FACINGS, PARTS, spatial_relations
from hoiscribe.tools.base import ToolContext
from hoiscribe.tools.image_ops import apply_image_op


def _kps(points: dict[int, tuple[float, float]]) -> np.ndarray:
    k = np.zeros((17, 3))
    for i, (x, y) in points.items():
        k[i] = (x, y, 2)
    return k


def test_relations_hand_made_cases() -> None:
    human = [100, 100, 200, 400]
    objects = np.array([[190, 300, 260, 420], [400, 100, 450, 150], [120, 200, 180, 260], [120, 20, 180, 80]])
    # right wrist (index 10) inside the first object; nose right of the shoulder midpoint
    kps = _kps({0: (190, 120), 5: (180, 160), 6: (140, 160), 10: (200, 310)})
    rel = spatial_relations(np.array([human] * 4), objects, (640, 480), np.repeat(kps[None], 4, axis=0))
    assert rel.contact.tolist() == [True, False, True, False]
    assert [DIRECTIONS[d] for d in rel.direction] == ["right", "right", "in front", "above"]
    assert rel.iou[1] == 0 and rel.gap[1] > 0 and rel.overlap[2] == pytest.approx(1.0)
    assert PARTS[int(np.argmin(rel.part_distance[0]))] == "right hand"
    assert FACINGS[int(rel.facing[0])] == "right"  # nose 30 px right of the shoulder midpoint
    assert rel.facing_object.tolist() == [1, 1, 0, 0]  # objects 0 and 1 lie to the image right
    assert rel.distance[1] == pytest.approx(np.hypot(425 - 150, 125 - 250) / 800)


def test_relations_vectorised_equal_one_by_one() -> None:
    rng = np.random.default_rng(1)
    xy = rng.uniform(0, 300, (50, 2))
    h = np.concatenate([xy, xy + rng.uniform(20, 200, (50, 2))], axis=1)
    oxy = rng.uniform(0, 300, (50, 2))
    o = np.concatenate([oxy, oxy + rng.uniform(5, 100, (50, 2))], axis=1)
    k = np.concatenate([rng.uniform(0, 500, (50, 17, 2)), (rng.uniform(size=(50, 17, 1)) > 0.3) * 2.0], axis=2)
    whole = spatial_relations(h, o, (640, 480), k)
    for i in (0, 17, 49):
        one = spatial_relations(h[i : i + 1], o[i : i + 1], (640, 480), k[i : i + 1])
        assert whole.record(i) == one.record(0)


def test_no_keypoints_gives_unknown_parts_and_facing() -> None:
    rec = spatial_relations([[0, 0, 10, 10]], [[5, 5, 20, 20]], (100, 100)).record(0)
    assert rec["nearest_parts"] == [] and rec["facing"] == "unknown" and rec["facing_object"] is None


@pytest.fixture
def ctx(ride_bicycle: ImageAnnotation) -> ToolContext:
    a = ride_bicycle
    return ToolContext(a.size, a.image_path, file_name=a.file_name, annotation=a)


def test_oracle_tools_find_gt_and_relate(ctx: ToolContext, ride_bicycle: ImageAnnotation) -> None:
    box = build_toolbox()
    res, kind = box.call("detect_humans", {}, ctx)
    assert kind is None and res.data["humans"][0]["box"] == ride_bicycle.humans[0].as_xyxy()
    res, kind = box.call("detect_objects", {"categories": ["bicycle", "cup"]}, ctx)
    assert kind is None and [o["category"] for o in res.data["objects"]] == ["bicycle"] and "o0" in res.text
    res, kind = box.call("estimate_pose", {"human": "h0"}, ctx)
    assert kind is None and "left_ankle" in res.text  # the one hidden keypoint is named
    res, kind = box.call("spatial_relation", {"human": "h0", "object": "o0"}, ctx)
    assert kind is None and res.data["contact"] and res.data["direction"] == "below"
    assert "foot" in res.data["nearest_parts"][0]["part"]


@pytest.mark.parametrize(
    ("name", "args", "kind", "needle"),
    [
        ("fly_away", {}, "unknown_tool", "unknown tool"),
        ("detect_objects", {}, "bad_arguments", "categories"),
        ("detect_objects", {"categories": ["unicorn"]}, "tool_error", "unknown 'unicorn'"),
        ("crop", {"box": [700, 500, 900, 600]}, "tool_error", "outside the 640x480 image"),
        ("crop", {"box": [50, 50, 10, 10]}, "tool_error", "x1 < x2"),
        ("zoom", {"box": "o7"}, "tool_error", "unknown id"),
        ("spatial_relation", {"human": [0, 0, 1], "object": "o0"}, "bad_arguments", "human"),
        ("highlight", {"box": [1, 1, 50, 50], "color": "mauve"}, "bad_arguments", "color"),
    ],
)
def test_bad_calls_become_errors_not_crashes(ctx: ToolContext, name: str, args: dict, kind: str, needle: str) -> None:
    box = build_toolbox()
    box.call("detect_objects", {"categories": ["bicycle"]}, ctx)
    res, got = box.call(name, args, ctx)
    assert got == kind and not res.ok and needle in res.render()


def test_image_ops_return_new_images_and_replay(ctx: ToolContext) -> None:
    box = build_toolbox()
    crop, _ = box.call("crop", {"box": [100, 100, 300, 200], "margin": 0}, ctx)
    zoom, _ = box.call("zoom", {"box": [100, 100, 150, 130], "factor": 4}, ctx)
    mark, _ = box.call("highlight", {"box": [100, 100, 300, 200], "color": "green"}, ctx)
    assert crop.image.size == (200, 100) and zoom.image.size == (200, 120) and mark.image.size == (640, 480)
    assert mark.image.getpixel((100, 150)) == (40, 200, 60)
    replay = apply_image_op(ctx.pixels(), zoom.image_op)
    assert replay.tobytes() == zoom.image.tobytes()


def test_tools_list_prints_every_schema() -> None:
    import typer

    app = typer.Typer()
    app.add_typer(tools_app, name="tools")  # mounted as cli.py does
    result = CliRunner().invoke(app, ["tools", "list", "--json"])
    assert result.exit_code == 0, result.output
    import json

    specs = json.loads(result.output)
    assert [s["function"]["name"] for s in specs] == TOOLS.names()
    assert all(s["function"]["parameters"]["type"] == "object" for s in specs)


def test_yolo_plugin_names_its_package() -> None:
    pytest.importorskip("torch")
    try:
        import ultralytics  # noqa: F401
    except ModuleNotFoundError:
        with pytest.raises(RuntimeError, match="ultralytics"):
            build_toolbox({"detector": {"kind": "yolo", "model": "yolov8n.pt"}})
    else:
        pytest.skip("ultralytics is installed")
