"""Draw a sample's annotation onto its image with Pillow and return it as a JPEG data URI.

Drawn server-side (not as an SVG overlay) so the page is a plain ``<img>`` per card, the
picture can be saved or copied with its annotation, and the browser has nothing to lay out.
A missing or unreadable image becomes a grey canvas of the record's size with the same
overlay, so boxes and skeleton stay inspectable. ``render_sample`` draws an HOI record
(person, object, skeleton, part states); ``render_picture`` draws a task view's picture
(boxes by role, optional skeleton).
"""

from __future__ import annotations

import base64
import io
import math
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image, ImageDraw, ImageFont

from hoiscribe.vocab.hake import PART_KEYPOINTS
from hoiscribe.vocab.keypoints import COCO17

if TYPE_CHECKING:
    from hoiscribe.report.views import PictureSpec

MAX_SIDE = 560
HUMAN = (46, 134, 222)
OBJECT = (243, 156, 18)
LEFT = (39, 174, 96)  # the person's left side
RIGHT = (231, 76, 60)
CENTRE = (245, 245, 245)
LABEL_BG = (20, 24, 32)
CHOSEN = (214, 48, 150)  # the referred object: thick outline over a translucent fill
OTHER = (200, 204, 212)  # the other objects of the image: thin outline
REFERENCE = (255, 255, 255)  # ground truth next to predictions: dashed
ROLE_COLORS = {"human": HUMAN, "object": OBJECT, "chosen": CHOSEN, "other": OTHER, "reference": REFERENCE}

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
Rect = tuple[float, float, float, float]


@cache
def _font(size: int) -> Font:
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow without FreeType: the fixed bitmap font
        return ImageFont.load_default()


def _side_color(name: str) -> tuple[int, int, int]:
    return LEFT if name.startswith("left_") else RIGHT if name.startswith("right_") else CENTRE


def _keypoints(record: dict[str, Any]) -> list[tuple[float, float] | None]:
    """17 COCO points scaled later; None where the point is not labelled visible."""
    flat = record.get("keypoints")
    if not isinstance(flat, list) or len(flat) < 51:
        return [None] * len(COCO17)
    vis = record.get("vis") if isinstance(record.get("vis"), list) and len(record["vis"]) >= 51 else None
    points: list[tuple[float, float] | None] = []
    for i in range(len(COCO17)):
        try:
            x, y, v = (float(flat[3 * i + k]) for k in range(3))
        except (TypeError, ValueError):
            points.append(None)
            continue
        shown = v > 0 and (vis is None or bool(vis[3 * i])) and (x, y) != (0.0, 0.0)
        points.append((x, y) if shown else None)
    return points


def record_box(value: Any) -> tuple[float, float, float, float] | None:
    """An ``[x1, y1, x2, y2]`` from untrusted record or view data, or None when it is not a drawable box."""
    if not isinstance(value, list | tuple) or len(value) != 4:
        return None
    try:
        x1, y1, x2, y2 = (float(v) for v in value)
    except (TypeError, ValueError):
        return None
    if not all(math.isfinite(v) and abs(v) < 1e6 for v in (x1, y1, x2, y2)) or x2 <= x1 or y2 <= y1:
        return None
    return (x1, y1, x2, y2)


def _open(path: Path | None) -> tuple[Image.Image, tuple[int, int]] | None:
    """The image decoded near gallery size and resized to its scaled size, with its original size."""
    if path is None:
        return None
    try:
        with Image.open(path) as im:
            original = im.size
            target = _fit(original)
            im.draft("RGB", target)  # JPEG: decode at reduced size, much faster on large photos
            out = im.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    return (out if out.size == target else out.resize(target, Image.Resampling.LANCZOS)), original


def _fit(size: tuple[int, int]) -> tuple[int, int]:
    f = min(1.0, MAX_SIDE / max(size))
    return (max(1, round(size[0] * f)), max(1, round(size[1] * f)))


def _dim(value: Any, default: int) -> int:
    try:
        return max(64, min(int(value), 8000))
    except (TypeError, ValueError):
        return default


def _placeholder(record: dict[str, Any], message: str) -> tuple[Image.Image, tuple[int, int]]:
    """A plain canvas at gallery size, and the record's (original) size it stands for."""
    original = _dim(record.get("width"), 640), _dim(record.get("height"), 480)
    w, h = _fit(original)
    im = Image.new("RGB", (w, h), (72, 76, 84))
    d = ImageDraw.Draw(im)
    d.rectangle((0, 0, w - 1, h - 1), outline=(110, 114, 122), width=4)  # flat: compresses to ~5 KB
    size = max(14, w // 30)
    try:
        d.text((w / 2, size), message, fill=(230, 230, 230), font=_font(size), anchor="mt")  # clear of the overlay
    except ValueError:  # bitmap fonts take no anchor
        d.text((8, 8), message, fill=(230, 230, 230), font=_font(size))
    return im, original


def _label(
    d: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, color: tuple[int, int, int], taken: list[Rect]
) -> None:
    """A text tag near ``xy``, pushed down until it overlaps no earlier tag."""
    font = _font(13)
    x, y = xy[0] + 6, xy[1] - 8
    left, top, right, bottom = d.textbbox((0, 0), text, font=font)
    w, h = right - left + 8, bottom - top + 4
    x = max(4.0, min(x, d.im.size[0] - w + 4))  # keep the tag inside the picture
    for _ in range(12):
        rect = (x - 4, y - 2, x - 4 + w, y - 2 + h)
        if not any(rect[0] < r[2] and r[0] < rect[2] and rect[1] < r[3] and r[1] < rect[3] for r in taken):
            break
        y += h + 1
    rect = (x - 4, y - 2, x - 4 + w, y - 2 + h)
    taken.append(rect)
    d.rounded_rectangle(rect, radius=3, fill=LABEL_BG, outline=color, width=1)
    d.text((x, y - top + 1), text, fill=(255, 255, 255), font=font)


def _part_anchor(part: str, points: list[tuple[float, float] | None]) -> tuple[float, float] | None:
    shown = [points[COCO17.index(n)] for n in PART_KEYPOINTS.get(part, ())]
    shown = [p for p in shown if p is not None]
    if not shown:
        return None
    return (sum(p[0] for p in shown) / len(shown), sum(p[1] for p in shown) / len(shown))


def render_sample(
    record: dict[str, Any], image_path: Path | None, part_states: list[dict[str, Any]]
) -> tuple[Image.Image, bool]:
    """The annotated picture, and whether the real image was found."""
    opened = _open(image_path)
    found = opened is not None
    if opened is None:
        opened = _placeholder(record, "image not available")
    base, original = opened
    scale = base.width / original[0]  # coordinates are in the original image's pixels
    d = ImageDraw.Draw(base)
    width = max(2, round(base.width / 200))

    def s(p: tuple[float, float]) -> tuple[float, float]:
        return (p[0] * scale, p[1] * scale)

    taken: list[Rect] = []
    obj = record_box(record.get("object_bbox"))
    if obj is not None:
        d.rectangle((*s(obj[:2]), *s(obj[2:])), outline=OBJECT, width=width)
        _label(d, s((obj[0] - 6, obj[1] + 10)), str(record.get("object") or "object").replace("_", " "), OBJECT, taken)
    human = record_box(record.get("human_bbox"))
    if human is not None:
        d.rectangle((*s(human[:2]), *s(human[2:])), outline=HUMAN, width=width)
    points = [s(p) if p is not None else None for p in _keypoints(record)]
    _skeleton(d, points, width)
    for ps in part_states:
        if ps.get("state") in (None, "no_interaction"):
            continue
        anchor = _part_anchor(ps.get("part") or "", points)
        if anchor is not None:
            color = _side_color(str(ps["part"]).replace(" ", "_"))
            _label(d, anchor, f"{ps['part']}: {ps['state']}", color, taken)
    return base, found


def _skeleton(d: ImageDraw.ImageDraw, points: list[tuple[float, float] | None], width: int) -> None:
    """Limbs coloured by side (the person's left green, right red), then the joints."""
    for a, b in COCO17.skeleton:
        pa, pb = points[a], points[b]
        if pa is not None and pb is not None:
            ca, cb = _side_color(COCO17.names[a]), _side_color(COCO17.names[b])
            d.line((*pa, *pb), fill=ca if ca == cb else CENTRE, width=width + 1)
    r = width + 1
    for name, p in zip(COCO17.names, points, strict=True):
        if p is not None:
            d.ellipse((p[0] - r, p[1] - r, p[0] + r, p[1] + r), fill=_side_color(name), outline=(0, 0, 0))


def _dashed(d: ImageDraw.ImageDraw, rect: Rect, color: tuple[int, int, int], width: int) -> None:
    x1, y1, x2, y2 = rect
    dash = max(4, 3 * width)
    for a, b, horizontal, at in ((x1, x2, True, y1), (x1, x2, True, y2), (y1, y2, False, x1), (y1, y2, False, x2)):
        pos = a
        while pos < b:
            end = min(pos + dash, b)
            d.line((pos, at, end, at) if horizontal else (at, pos, at, end), fill=color, width=width)
            pos = end + dash * 0.7


def render_picture(spec: PictureSpec, image_path: Path | None) -> tuple[Image.Image, bool]:
    """A task view's picture: its image (or a placeholder of its size) with its boxes and skeleton.

    Boxes by role: ``chosen`` thick over a translucent fill, ``other`` thin, ``reference``
    dashed, ``human`` / ``object`` as on the HOI cards; each with its label."""
    opened = _open(image_path)
    found = opened is not None
    if opened is None:
        size = spec.size or (640, 480)
        opened = _placeholder({"width": size[0], "height": size[1]}, "image not available")
    base, original = opened
    scale = base.width / original[0]  # coordinates are in the original image's pixels
    d = ImageDraw.Draw(base, "RGBA")  # RGBA draws blend onto the RGB picture
    width = max(2, round(base.width / 200))
    taken: list[Rect] = []
    order = {"other": 0, "reference": 1, "object": 2, "human": 3, "chosen": 4}  # the referred object on top
    for b in sorted(spec.boxes, key=lambda b: order.get(b.role, 0)):
        rect = tuple(v * scale for v in b.box)
        color = ROLE_COLORS.get(b.role, OTHER)
        if b.role == "chosen":
            d.rectangle(rect, fill=(*color, 60), outline=color, width=width * 2)
        elif b.role == "reference":
            _dashed(d, rect, color, max(1, width - 1))  # type: ignore[arg-type]
        else:
            d.rectangle(rect, outline=color, width=max(1, width - 1) if b.role == "other" else width)
        if b.label:
            _label(d, (rect[0] - 6, rect[1] + 10), b.label, color, taken)
    if spec.keypoints is not None:
        points = [
            (p[0] * scale, p[1] * scale) if p is not None else None for p in _keypoints({"keypoints": spec.keypoints})
        ]
        _skeleton(d, points, width)
    return base, found


def data_uri(image: Image.Image, quality: int = 82) -> str:
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=quality, optimize=True)
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
