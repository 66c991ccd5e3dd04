"""One pixel implementation: the agent tools and the expression views agree, box by box.

The rule (``hoiscribe.tools.views.pixel_rect``): floor left/top, ceil right/bottom, clamp to
the image; a box with no area, or none left on the image, is an error.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from hoiscribe.agent.toolbox import build_toolbox
from hoiscribe.expressions.views import HIGHLIGHT_RGB, ViewError, render_view, view_op
from hoiscribe.tools.base import ToolContext
from hoiscribe.tools.image_ops import HIGHLIGHT_COLOURS, apply_image_op
from hoiscribe.tools.views import RegionError, crop, highlight, outline_width, pixel_rect, zoom

SIZE = (200, 120)


def coordinate_image() -> Image.Image:
    """Each pixel's red = x, green = y: a crop's corner pixels say where it came from."""
    xs, ys = np.meshgrid(np.arange(SIZE[0]), np.arange(SIZE[1]))
    return Image.fromarray(np.stack([xs, ys, np.full_like(xs, 7)], axis=-1).astype(np.uint8), "RGB")


def agent_call(name: str, args: dict, image: Image.Image):
    ctx = ToolContext(image.size, image=image)
    res, kind = build_toolbox().call(name, args, ctx)
    assert kind is None, res.render()
    return res


def corners(img: Image.Image) -> tuple[tuple[int, ...], tuple[int, ...]]:
    a = np.asarray(img)
    return tuple(int(v) for v in a[0, 0][:2]), tuple(int(v) for v in a[-1, -1][:2])


# ---- the rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("box", "rect"),
    [
        ([10, 20, 30, 40], (10, 20, 30, 40)),  # an integer box is itself
        ([10.5, 20, 30, 40.2], (10, 20, 30, 41)),  # outward: floor left/top, ceil right/bottom
        ([10.9, 20.1, 29.1, 39.9], (10, 20, 30, 40)),
        ([10.5, 20.5, 30.5, 40.5], (10, 20, 31, 41)),  # no half-to-even: both .5 edges go outward
        ([31.5, 21.5, 32.5, 22.5], (31, 21, 33, 23)),
        ([10.2, 20.2, 10.3, 20.3], (10, 20, 11, 21)),  # a sliver inside one pixel is that pixel
        ([7.0000000001, 20, 29.9999999999, 40], (7, 20, 30, 40)),  # float noise is no extra pixel
    ],
)
def test_rounding_at_fractional_boxes(box: list[float], rect: tuple[int, int, int, int]) -> None:
    assert pixel_rect(box, SIZE) == rect


def test_margin_grows_then_rounds_without_float_noise() -> None:
    assert pixel_rect([40, 40, 60, 60], SIZE, 0.5) == (30, 30, 70, 70)
    # 86.4 - 32.8 = 53.6, half of it 26.800000000000004: the left edge is 6, not 5.999.. -> 5
    assert pixel_rect([32.8, 10, 86.4, 20], SIZE, 0.5)[0] == 6
    assert pixel_rect([100, 10, 170, 20], SIZE, 0.1) == (93, 9, 177, 21)  # 0.1 * 70 = 7.000000000000001


def test_boxes_at_and_beyond_the_border_are_clamped() -> None:
    assert pixel_rect([0, 0, 200, 120], SIZE) == (0, 0, 200, 120)
    assert pixel_rect([-15.5, -3, 50, 20], SIZE) == (0, 0, 50, 20)
    assert pixel_rect([150, 100, 260.7, 999], SIZE) == (150, 100, 200, 120)
    assert pixel_rect([180, 100, 200, 120], SIZE, 0.5) == (170, 90, 200, 120)
    assert pixel_rect([199.5, 119.5, 230, 130], SIZE) == (199, 119, 200, 120)  # the last pixel, 1x1
    with pytest.raises(RegionError, match="no pixel"):
        pixel_rect([200, 10, 220, 20], SIZE)  # touches the right border from outside
    with pytest.raises(RegionError, match="no pixel"):
        pixel_rect([-20, -20, 0, 0], SIZE)


@pytest.mark.parametrize("box", [[10, 10, 10, 20], [10.3, 10, 10.3, 20], [10, 20, 30, 20], [30, 10, 20, 20]])
def test_a_degenerate_box_is_an_error_not_a_made_up_pixel(box: list[float]) -> None:
    with pytest.raises(RegionError, match="no area"):
        pixel_rect(box, SIZE)
    with pytest.raises(ViewError, match="no area"):
        view_op("crop", box, SIZE, {})
    with pytest.raises(ViewError, match="no area"):
        view_op("highlight", box, SIZE, {})


def test_crop_and_zoom_pixels() -> None:
    img = coordinate_image()
    out = crop(img, pixel_rect([10.5, 20, 30, 40.2], SIZE))
    assert out.size == (20, 21) and corners(out) == ((10, 20), (29, 40))
    z = zoom(img, (10, 20, 30, 41), 2.5)
    assert z.size == (50, 52)  # 20 x 2.5, 21 x 2.5 = 52.5 rounded down


# ---- the two call paths ------------------------------------------------------------------------

BOXES = [[10.5, 20, 30, 40.2], [33.3, 7.7, 90.6, 61.5], [150, 100, 200, 120], [0, 0, 64, 48], [120.4, 50, 199.9, 119.6]]


@pytest.mark.parametrize("box", BOXES)
def test_agent_crop_and_expression_crop_give_the_same_pixels(box: list[float]) -> None:
    img = coordinate_image()
    tool = agent_call("crop", {"box": box, "margin": 0}, img)
    view = view_op("crop", box, SIZE, {})
    assert tool.data["region"] == view["region"] == list(pixel_rect(box, SIZE))
    assert tool.image.tobytes() == render_view(img, view).tobytes()
    assert apply_image_op(img, tool.image_op).tobytes() == tool.image.tobytes()  # the export's replay


@pytest.mark.parametrize("box", BOXES[:2])
def test_agent_margin_crop_equals_the_extended_crop(box: list[float]) -> None:
    img = coordinate_image()
    tool = agent_call("crop", {"box": box, "margin": 0.25}, img)
    view = view_op("extended_crop", box, SIZE, {"margin": 0.25})
    assert tool.data["region"] == view["region"]
    assert tool.image.tobytes() == render_view(img, view).tobytes()


@pytest.mark.parametrize("box", BOXES)
def test_agent_zoom_is_the_shared_crop_resized(box: list[float]) -> None:
    img = coordinate_image()
    tool = agent_call("zoom", {"box": box, "factor": 3}, img)
    rect = pixel_rect(box, SIZE)
    assert tool.data["region"] == list(rect) == view_op("crop", box, SIZE, {})["region"]
    assert tool.image.tobytes() == zoom(img, rect, 3).tobytes()
    assert apply_image_op(img, tool.image_op).tobytes() == tool.image.tobytes()


@pytest.mark.parametrize("box", BOXES)
def test_agent_highlight_and_expression_highlight_outline_the_same_pixels(box: list[float]) -> None:
    img = coordinate_image()
    src = np.asarray(img)
    tool = agent_call("highlight", {"box": box, "color": "green"}, img)
    view = render_view(img, view_op("highlight", box, SIZE, {}))
    agent_px, view_px = np.asarray(tool.image), np.asarray(view)
    assert ((agent_px != src).any(-1) == (view_px != src).any(-1)).all()  # the same outline, own colour
    rect = pixel_rect(box, SIZE)
    width = outline_width(SIZE)
    assert view.tobytes() == highlight(img, rect, HIGHLIGHT_RGB, width).tobytes()
    assert tool.image.tobytes() == highlight(img, rect, HIGHLIGHT_COLOURS["green"], width).tobytes()
    # the outline is on the rectangle's own border pixels: first and last column / row
    x1, y1, x2, y2 = rect
    assert tuple(view_px[y1, x1]) == HIGHLIGHT_RGB and tuple(view_px[y2 - 1, x2 - 1]) == HIGHLIGHT_RGB
    if x2 < SIZE[0]:
        assert tuple(view_px[y1 + width, x2]) == tuple(src[y1 + width, x2])  # just outside: untouched
    if x2 - x1 > 2 * width + 1 and y2 - y1 > 2 * width + 1:
        inner = (y1 + width + 1, x1 + width + 1)
        assert tuple(view_px[inner]) == tuple(src[inner])  # inside: untouched


def test_highlight_at_the_border_shows_its_outline() -> None:
    img = coordinate_image()
    out = np.asarray(render_view(img, view_op("highlight", [150, 100, 260, 140], SIZE, {})))
    assert tuple(out[110, 199]) == HIGHLIGHT_RGB and tuple(out[119, 170]) == HIGHLIGHT_RGB


def test_highlight_does_not_modify_the_input_image() -> None:
    img = coordinate_image()
    before = img.tobytes()
    tool = agent_call("highlight", {"box": [20, 20, 80, 60], "color": "red", "label": "h0"}, img)
    render_view(img, view_op("highlight", [20, 20, 80, 60], SIZE, {}))
    highlight(img, (20, 20, 80, 60), (1, 2, 3), 3, "x")
    apply_image_op(img, tool.image_op)
    assert img.tobytes() == before
    assert tool.image is not img and tool.image.tobytes() != before
