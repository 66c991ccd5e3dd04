"""transition: how a person moves from a reference pose to a target pose (composed pose retrieval).

The request holds both images (or one side-by-side composite) and, optionally, the
keypoint paircodes; the model lists body-part movements, then several short summaries, then
summaries of the reverse transition. Parsing turns that into the AutoComPose fields:
``mllm``, ``reverse``, and their word-level mirrors ``mirror`` / ``mirror-reverse`` (texts
whose left/right cannot be mirrored safely are listed under ``flagged`` instead).
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from typing import Any, Literal

from PIL import Image

from hoiscribe.core.records import PosePair
from hoiscribe.engines.base import ImagePart
from hoiscribe.engines.images import load_image
from hoiscribe.geometry.paircodes import transition_facts
from hoiscribe.pose.grounded import transition
from hoiscribe.pose.mirror import mirror_texts
from hoiscribe.tasks.base import ParseError, Task

TRANSITION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "movements": {"type": "array", "items": {"type": "string"}},
        "descriptions": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "reverse": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["movements", "descriptions", "reverse"],
}
_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.S)
_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+(.*\S)\s*$")
_HEADINGS = (
    ("reverse", "reverse"),
    ("movement", "movements"),
    ("summar", "descriptions"),
    ("description", "descriptions"),
)
COMPOSITE_GAP_PX = 16


def pair_facts(pair: PosePair, num_descriptions: int = 3) -> dict[str, Any]:
    """Measures and paircodes both ways, plus what the prompt says about the pair."""
    facts = transition_facts(pair.reference_keypoints, pair.target_keypoints)
    facts.update(
        sample_id=pair.sample_id,
        reference=pair.reference,
        target=pair.target,
        reference_size=list(pair.reference_size) if pair.reference_size else None,
        target_size=list(pair.target_size) if pair.target_size else None,
        reference_box=[round(v, 1) for v in pair.reference_box.as_xyxy()] if pair.reference_box else None,
        target_box=[round(v, 1) for v in pair.target_box.as_xyxy()] if pair.target_box else None,
        num_descriptions=num_descriptions,
    )
    return facts


def composite(reference: Image.Image, target: Image.Image, gap: int = COMPOSITE_GAP_PX) -> Image.Image:
    """Reference left, target right, both scaled to the shorter height, a white gap between."""
    h = min(reference.height, target.height)
    left = reference.resize((max(1, round(reference.width * h / reference.height)), h))
    right = target.resize((max(1, round(target.width * h / target.height)), h))
    canvas = Image.new("RGB", (left.width + gap + right.width, h), (255, 255, 255))
    canvas.paste(left, (0, 0))
    canvas.paste(right, (left.width + gap, 0))
    return canvas


@dataclass(frozen=True)
class TransitionTask(Task):
    """``image_mode`` 'pair' sends two images, 'composite' one side-by-side image (for single-image models)."""

    image_mode: Literal["pair", "composite"] = "pair"
    num_descriptions: int = 3
    with_facts: bool = True  # show the keypoint paircodes in the prompt

    def identity(self) -> str:
        return f"{super().identity()}:{self.image_mode}:n{self.num_descriptions}:f{int(self.with_facts)}"

    def facts(self, sample: Any) -> dict[str, Any]:
        if not isinstance(sample, PosePair):
            raise TypeError(f"the transition task needs pose pairs, got {type(sample).__name__}")
        return pair_facts(sample, self.num_descriptions)

    def render(self, facts: dict[str, Any], prior_text: str | None, feedback: str | None = None) -> str:
        return (
            self.templates()
            .get_template(self.template)
            .render(
                facts=facts,
                prior=prior_text,
                feedback=feedback,
                image_mode=self.image_mode,
                num=self.num_descriptions,
                with_facts=self.with_facts,
            )
        )

    def image_parts(self, sample: Any, image: Any, render: bool) -> list[Any]:
        """Both images, or one side-by-side composite; rule-based engines get the paths only."""
        ref_path, tgt_path = sample.reference_path, sample.target_path
        if not self.needs_image or ref_path is None or tgt_path is None:
            return []
        if self.image_mode == "composite" and render:
            ref = image if image is not None else load_image(ImagePart(path=ref_path))
            return [ImagePart(image=composite(ref, load_image(ImagePart(path=tgt_path))))]
        return [ImagePart(path=ref_path, image=image), ImagePart(path=tgt_path)]

    def check(self, output: Any, facts: dict[str, Any]) -> Any:
        """The transition checker over every generated description (keypoint deltas as facts)."""
        from hoiscribe.pose.checker import check_transition

        texts = output.get("mllm", []) if isinstance(output, dict) else [str(output)]
        return check_transition(" ".join(t.rstrip(". ") + "." for t in texts), facts)

    def write(self, facts: dict[str, Any], rng: random.Random) -> str:
        return transition(facts, rng)

    def json_schema(self) -> dict[str, Any] | None:
        return TRANSITION_SCHEMA

    def parse(self, raw: str) -> Any:
        """The JSON answer (fences and prose tolerated), else headed lists; mirrors added."""
        lists = _json_lists(raw)
        if lists is None:
            lists = _headed_lists(raw)
        descriptions = _clean(lists.get("descriptions"))
        if not descriptions:
            raise ParseError("no transition descriptions in the answer")
        reverse = _clean(lists.get("reverse"))
        mirrored, mirrored_rev = mirror_texts(descriptions), mirror_texts(reverse)
        flagged = [dict(f, field="mirror") for f in mirrored.flagged]
        flagged += [dict(f, field="mirror-reverse") for f in mirrored_rev.flagged]
        return {
            "movements": _clean(lists.get("movements")),
            "mllm": descriptions,
            "reverse": reverse,
            "mirror": mirrored.texts,
            "mirror-reverse": mirrored_rev.texts,
            "flagged": flagged,
        }


def _clean(items: Any) -> list[str]:
    if isinstance(items, str):
        items = [items]
    if not isinstance(items, list):
        return []
    return [" ".join(str(t).split()) for t in items if isinstance(t, str | int | float) and str(t).strip()]


def _json_lists(raw: str) -> dict[str, Any] | None:
    fenced = _FENCE.search(raw)
    text = fenced.group(1) if fenced else raw
    start = text.find("{")
    if start < 0:
        return None
    try:
        obj, _ = json.JSONDecoder().raw_decode(text[start:])
    except json.JSONDecodeError:
        return None
    if not isinstance(obj, dict):
        return None
    aliases = {"summaries": "descriptions", "reverse_descriptions": "reverse", "reverse_summaries": "reverse"}
    return {aliases.get(k, k): v for k, v in obj.items()}


def _headed_lists(raw: str) -> dict[str, list[str]]:
    """Plain-text answers: list items under headings naming movements, summaries, reverse."""
    out: dict[str, list[str]] = {}
    current: str | None = None
    for line in raw.splitlines():
        item = _ITEM.match(line)
        if item and current is not None:
            out.setdefault(current, []).append(item.group(1))
            continue
        low = line.lower()
        for key, name in _HEADINGS:
            if key in low and not item:
                current = name
                break
    return out


TRANSITION = TransitionTask(name="transition", template="transition.j2", needs_image=True)
TRANSITION_COMPOSITE = TransitionTask(
    name="transition_composite", template="transition.j2", needs_image=True, image_mode="composite"
)
