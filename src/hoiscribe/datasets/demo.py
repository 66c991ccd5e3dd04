"""The bundled demo set: procedurally drawn people interacting with objects.

Written in the HICO-DET + HAKE layout (plus a Halpe keypoint file), so the same reader that
loads the real dataset loads it. Every fact (box, keypoint, part state, HOI) is known
exactly because the scene is drawn from it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from hoiscribe.datasets.base import ReadResult
from hoiscribe.vocab.hake import group_states
from hoiscribe.vocab.hico import hico
from hoiscribe.vocab.keypoints import COCO17

DEMO_VERSION = "1"
W, H = 640, 480
_STAND = {
    "nose": (0, -150), "left_eye": (6, -156), "right_eye": (-6, -156), "left_ear": (12, -152),
    "right_ear": (-12, -152), "left_shoulder": (30, -120), "right_shoulder": (-30, -120),
    "left_elbow": (36, -70), "right_elbow": (-36, -70), "left_wrist": (38, -25), "right_wrist": (-38, -25),
    "left_hip": (16, 0), "right_hip": (-16, 0), "left_knee": (18, 70), "right_knee": (-18, 70),
    "left_ankle": (18, 140), "right_ankle": (-18, 140),
}  # fmt: skip
# HAKE (part id, state name) shorthands
R_FOOT, R_LEG, L_LEG, L_FOOT, HIP, HEAD, R_HAND, R_ARM, L_ARM, L_HAND = range(10)


def _pose(**moves: tuple[float, float]) -> dict[str, tuple[float, float]]:
    pose = dict(_STAND)
    pose.update(moves)
    return pose


@dataclass
class Pair:
    verb: str
    obj: str
    states: list[tuple[int, str]]


@dataclass
class Scene:
    name: str
    origin: tuple[int, int]  # hip centre in pixels
    pose: dict[str, tuple[float, float]]
    obj: str
    obj_box: tuple[int, int, int, int]
    draw_obj: Callable[[ImageDraw.ImageDraw, tuple[int, int, int, int]], None]
    pairs: list[Pair]
    hidden: tuple[str, ...] = ()
    background: tuple[int, int, int] = (222, 232, 240)


def _bicycle(d: ImageDraw.ImageDraw, b: tuple[int, int, int, int]) -> None:
    x1, y1, x2, y2 = b
    r = (y2 - y1) // 3
    d.ellipse((x1, y2 - 2 * r, x1 + 2 * r, y2), outline=(30, 30, 30), width=5)
    d.ellipse((x2 - 2 * r, y2 - 2 * r, x2, y2), outline=(30, 30, 30), width=5)
    d.line((x1 + r, y2 - r, (x1 + x2) // 2, y1 + r, x2 - r, y2 - r), fill=(200, 40, 40), width=6)
    d.line(((x1 + x2) // 2, y1 + r, x2 - r, y1), fill=(200, 40, 40), width=5)


def _rect(color: tuple[int, int, int]) -> Callable[[ImageDraw.ImageDraw, tuple[int, int, int, int]], None]:
    def draw(d: ImageDraw.ImageDraw, b: tuple[int, int, int, int]) -> None:
        d.rectangle(b, fill=color, outline=(20, 20, 20), width=2)

    return draw


def _disc(color: tuple[int, int, int]) -> Callable[[ImageDraw.ImageDraw, tuple[int, int, int, int]], None]:
    def draw(d: ImageDraw.ImageDraw, b: tuple[int, int, int, int]) -> None:
        d.ellipse(b, fill=color, outline=(20, 20, 20), width=2)

    return draw


def _chair(d: ImageDraw.ImageDraw, b: tuple[int, int, int, int]) -> None:
    x1, y1, x2, y2 = b
    seat = (y1 + y2) // 2
    d.line((x2, y1, x2, y2), fill=(120, 70, 30), width=7)
    d.line((x1, seat, x2, seat), fill=(120, 70, 30), width=9)
    d.line((x1, seat, x1, y2), fill=(120, 70, 30), width=7)


def _umbrella(d: ImageDraw.ImageDraw, b: tuple[int, int, int, int]) -> None:
    x1, y1, x2, y2 = b
    d.pieslice((x1, y1, x2, y1 + (x2 - x1)), 180, 360, fill=(60, 60, 180))
    d.line(((x1 + x2) // 2, y1 + (x2 - x1) // 2, (x1 + x2) // 2, y2), fill=(40, 40, 40), width=4)


def _kite(d: ImageDraw.ImageDraw, b: tuple[int, int, int, int]) -> None:
    x1, y1, x2, y2 = b
    cx, cy = (x1 + x2) // 2, (y1 + y2) // 2
    d.polygon([(cx, y1), (x2, cy), (cx, y2), (x1, cy)], fill=(240, 160, 20), outline=(20, 20, 20))


def _scenes() -> list[Scene]:
    sit = _pose(
        left_knee=(70, 0), right_knee=(50, 0), left_ankle=(72, 70), right_ankle=(52, 70),
        left_shoulder=(30, -120), right_shoulder=(-30, -120),
    )  # fmt: skip
    ride = _pose(
        left_knee=(45, 40), right_knee=(30, 45), left_ankle=(40, 100), right_ankle=(20, 105),
        left_elbow=(60, -80), right_elbow=(45, -85), left_wrist=(90, -60), right_wrist=(80, -62),
        nose=(20, -150), left_eye=(26, -156), right_eye=(14, -156), left_ear=(32, -152), right_ear=(8, -152),
        left_shoulder=(40, -118), right_shoulder=(-20, -120),
    )  # fmt: skip
    hold_cup = _pose(right_elbow=(-40, -72), right_wrist=(-10, -80))
    drink = _pose(right_elbow=(-45, -90), right_wrist=(-14, -140))
    kick = _pose(right_knee=(-50, 60), right_ankle=(-95, 110))
    raise_r = _pose(right_elbow=(-48, -160), right_wrist=(-52, -205))
    raise_both = _pose(right_elbow=(-48, -160), right_wrist=(-52, -205), left_elbow=(48, -160), left_wrist=(52, -205))
    carry = _pose(left_elbow=(36, -70), left_wrist=(40, -22))
    read = _pose(right_elbow=(-40, -80), right_wrist=(-12, -95), left_elbow=(40, -80), left_wrist=(12, -95))
    lie = {k: (y, -12 - x * 0.2) for k, (x, y) in _STAND.items()}  # rotated to horizontal
    throw = _pose(right_elbow=(-60, -150), right_wrist=(-90, -180), left_knee=(30, 70), left_ankle=(40, 138))
    sk = _pose(left_ankle=(40, 140), right_ankle=(-40, 140), left_knee=(30, 70), right_knee=(-30, 70))

    def hold(*parts: int) -> list[tuple[int, str]]:
        return [(p, "hold") for p in parts]

    return [
        Scene("ride_bicycle", (300, 250), ride, "bicycle", (200, 260, 470, 420), _bicycle,
              [Pair("ride", "bicycle", [*hold(R_HAND, L_HAND), (HIP, "sit on"), (R_FOOT, "tread on"),
                                        (L_FOOT, "tread on")])], hidden=("left_ankle",)),
        Scene("hold_cup", (320, 260), hold_cup, "cup", (292, 165, 318, 195), _rect((240, 240, 250)),
              [Pair("hold", "cup", hold(R_HAND)),
               Pair("inspect", "cup", [(HEAD, "inspect"), *hold(R_HAND)])]),
        Scene("drink_cup", (320, 270), drink, "cup", (292, 112, 316, 140), _rect((250, 250, 255)),
              [Pair("drink_with", "cup", [(R_HAND, "hold"), (HEAD, "drink with")])]),
        Scene("kick_ball", (330, 250), kick, "sports ball", (196, 345, 236, 385), _disc((250, 250, 250)),
              [Pair("kick", "sports ball", [(R_FOOT, "kick")])]),
        Scene("sit_chair", (300, 280), sit, "chair", (250, 230, 380, 380), _chair,
              [Pair("sit_on", "chair", [(HIP, "sit on"), (R_HAND, "no_interaction")])]),
        Scene("hold_umbrella", (330, 300), raise_r, "umbrella", (200, 20, 360, 120), _umbrella,
              [Pair("hold", "umbrella", [*hold(R_HAND)])]),
        Scene("fly_kite", (350, 300), raise_both, "kite", (240, 10, 330, 90), _kite,
              [Pair("fly", "kite", hold(R_HAND, L_HAND))]),
        Scene("ride_skateboard", (320, 250), sk, "skateboard", (250, 392, 390, 412), _rect((90, 60, 40)),
              [Pair("ride", "skateboard", [(R_FOOT, "stand on"), (L_FOOT, "stand on")])]),
        Scene("sit_bench", (320, 280), sit, "bench", (230, 270, 470, 360), _rect((150, 100, 60)),
              [Pair("sit_on", "bench", [(HIP, "sit on")])]),
        Scene("carry_suitcase", (300, 260), carry, "suitcase", (325, 230, 385, 320), _rect((60, 90, 160)),
              [Pair("carry", "suitcase", [(L_HAND, "carry")])]),
        Scene("read_book", (320, 260), read, "book", (295, 145, 345, 180), _rect((180, 40, 60)),
              [Pair("read", "book", [*hold(R_HAND, L_HAND), (HEAD, "inspect")])]),
        Scene("throw_frisbee", (340, 290), throw, "frisbee", (215, 85, 265, 105), _disc((230, 60, 60)),
              [Pair("throw", "frisbee", [(R_HAND, "throw")])]),
        Scene("lie_bench", (300, 300), lie, "bench", (120, 300, 500, 360), _rect((150, 100, 60)),
              [Pair("lie_on", "bench", [(HIP, "be close with"), (HEAD, "no_interaction")])]),
        Scene("near_bicycle", (200, 250), _STAND, "bicycle", (300, 270, 560, 420), _bicycle,
              [Pair("no_interaction", "bicycle", [])]),
    ]  # fmt: skip


def _keypoints(scene: Scene) -> list[tuple[float, float, int]]:
    ox, oy = scene.origin
    return [
        (round(ox + scene.pose[n][0], 1), round(oy + scene.pose[n][1], 1), 0 if n in scene.hidden else 2)
        for n in COCO17.names
    ]


def _person_box(kps: list[tuple[float, float, int]]) -> list[int]:
    xs = [k[0] for k in kps]
    ys = [k[1] for k in kps]
    return [
        max(0, int(min(xs) - 25)),
        max(0, int(min(ys) - 30)),
        min(W, int(max(xs) + 25)),
        min(H, int(max(ys) + 15)),
    ]


def _draw_person(d: ImageDraw.ImageDraw, kps: list[tuple[float, float, int]]) -> None:
    skin, cloth = (225, 180, 140), (40, 110, 70)
    for a, b in COCO17.skeleton:
        if a < 5 or b < 5:
            continue  # face edges; the head is drawn as a disc
        d.line((kps[a][0], kps[a][1], kps[b][0], kps[b][1]), fill=cloth, width=9)
    nx, ny, _ = kps[0]
    d.ellipse((nx - 22, ny - 26, nx + 22, ny + 18), fill=skin, outline=(30, 30, 30))


def write_demo_set(root: Path) -> Path:
    """Draw the scenes and write images + annotations under ``root``; returns ``root``."""
    root = Path(root)
    img_dir = root / "Images" / "images" / "train2015"
    ann_dir = root / "Annotation" / "hico-det-instance-level"
    pose_dir = root / "Annotation" / "hico-fullbody-pose"
    for d in (img_dir, ann_dir, pose_dir, root / "Configs"):
        d.mkdir(parents=True, exist_ok=True)
    vocab = hico()
    states_by_group = group_states()
    from hoiscribe.vocab.hake import part_group

    hake: dict[str, dict] = {}
    halpe_images, halpe_anns = [], []
    for i, scene in enumerate(_scenes()):
        file_name = f"HICO_train2015_demo{i + 1:04d}_{scene.name}.jpg"
        kps = _keypoints(scene)
        image = Image.new("RGB", (W, H), scene.background)
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, 410, W, H), fill=(170, 190, 150))
        scene.draw_obj(draw, scene.obj_box)
        _draw_person(draw, kps)
        image.save(img_dir / file_name, quality=90)
        hbox = _person_box(kps)
        labels = []
        for pair in scene.pairs:
            hoi = vocab.hoi_for(pair.verb, pair.obj)
            action_labels = [
                {"human_part": p, "partstate": states_by_group[part_group(p)].index(s)} for p, s in pair.states
            ]
            label = {
                "height": H, "width": W, "hoi_id": hoi.hoi_id, "human_bbox": hbox,
                "object_bbox": list(scene.obj_box),
            }  # fmt: skip
            if action_labels:
                label["action_labels"] = action_labels
            labels.append(label)
        hake[file_name] = {"dataset": "hico-det", "labels": labels, "path_prefix": "images/train2015"}
        halpe_images.append({"id": i + 1, "file_name": file_name, "width": W, "height": H})
        flat = [v for k in kps for v in k] + [0.0] * (3 * (136 - 17))
        x1, y1, x2, y2 = hbox
        halpe_anns.append(
            {
                "id": i + 1,
                "image_id": i + 1,
                "category_id": 1,
                "bbox": [x1, y1, x2 - x1, y2 - y1],
                "keypoints": flat,
            }
        )
    (ann_dir / "hico-det-training-set-instance-level.json").write_text(json.dumps(hake, indent=1))
    (pose_dir / "halpe_train_v1.json").write_text(
        json.dumps({"images": halpe_images, "annotations": halpe_anns, "categories": [{"id": 1, "name": "person"}]})
    )
    (root / "Configs" / "hico_hoi_list.txt").write_text(
        "".join(f"{h.hoi_id:03d}  {h.object.replace(' ', '_'):<15} {h.verb:<14}\n" for h in vocab.hois)
    )
    (root / "Configs" / "Part_State_76.txt").write_text(
        "".join(f"{g}: {s}\n" for g, states in states_by_group.items() for s in states)
    )
    (root / "DEMO_VERSION").write_text(DEMO_VERSION)
    return root


def ensure_demo_set(root: Path) -> Path:
    """Write the demo set unless ``root`` already holds this version of it."""
    marker = Path(root) / "DEMO_VERSION"
    if marker.is_file() and marker.read_text().strip() == DEMO_VERSION:
        return Path(root)
    return write_demo_set(root)


def read_demo(root: Path, split: str = "train2015", max_samples: int | None = None, **options: Any) -> ReadResult:
    """The demo set through the HICO reader, written first if ``root`` does not hold it yet."""
    from hoiscribe.datasets.hico import read_hico

    ensure_demo_set(root)
    return read_hico(root, split, max_samples=max_samples, dataset="demo", **options)
