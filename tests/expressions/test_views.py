"""crop, extended_crop and highlight return exactly the pixels their names promise."""

import numpy as np
import pytest
from PIL import Image

from hoiscribe.expressions.views import HIGHLIGHT_RGB, ViewError, render_view, view_op

SIZE = (200, 100)


def coordinate_image() -> Image.Image:
    """Each pixel's red = x, green = y: a crop's corner pixels say where it came from."""
    xs, ys = np.meshgrid(np.arange(SIZE[0]), np.arange(SIZE[1]))
    arr = np.stack([xs, ys, np.full_like(xs, 7)], axis=-1).astype(np.uint8)
    return Image.fromarray(arr, "RGB")


def corners(img: Image.Image) -> tuple[tuple[int, ...], tuple[int, ...]]:
    a = np.asarray(img)
    return tuple(a[0, 0][:2]), tuple(a[-1, -1][:2])


def test_crop_is_exactly_the_box() -> None:
    op = view_op("crop", [10.5, 20, 30, 40.2], SIZE, {})
    out = render_view(coordinate_image(), op)
    assert op["region"] == [10, 20, 30, 41] and out.size == (20, 21)
    assert corners(out) == ((10, 20), (29, 40))


def test_extended_crop_grows_by_the_margin_and_clips_to_the_image() -> None:
    img = coordinate_image()
    op = view_op("extended_crop", [40, 40, 60, 60], SIZE, {"margin": 0.5})
    assert op["region"] == [30, 30, 70, 70]
    assert corners(render_view(img, op)) == ((30, 30), (69, 69))
    op = view_op("extended_crop", [180, 80, 200, 100], SIZE, {})  # default margin 0.5, at the corner
    assert op["region"] == [170, 70, 200, 100]
    assert render_view(img, op).size == (30, 30)
    assert (
        view_op("extended_crop", [40, 40, 60, 60], SIZE, {"margin": 0})["region"]
        == view_op("crop", [40, 40, 60, 60], SIZE, {})["region"]
    )
    with pytest.raises(ViewError, match="margin"):
        view_op("extended_crop", [40, 40, 60, 60], SIZE, {"margin": -1})


def test_highlight_is_the_full_image_with_the_box_drawn() -> None:
    img = coordinate_image()
    op = view_op("highlight", [40, 20, 80, 60], SIZE, {})
    out = np.asarray(render_view(img, op))
    src = np.asarray(img)
    assert out.shape == src.shape
    assert tuple(out[20, 40]) == HIGHLIGHT_RGB and tuple(out[59, 79]) == HIGHLIGHT_RGB
    assert tuple(out[40, 60]) == tuple(src[40, 60])  # inside the box: untouched
    assert tuple(out[5, 5]) == tuple(src[5, 5]) and tuple(out[20, 81]) == tuple(src[20, 81])  # outside: untouched


def test_unknown_view_and_box_off_the_image() -> None:
    with pytest.raises(ViewError):
        view_op("zoom", [1, 1, 5, 5], SIZE, {})
    with pytest.raises(ViewError, match="no pixel"):
        view_op("crop", [300, 10, 320, 20], SIZE, {})
