"""Mirror augmentation: flip a pose pair left-right and rewrite its side words to match.

A mirror flips the image and swaps the person's sides together, so "raise your left hand"
becomes "raise your right hand" and "to the left" becomes "to the right" whatever frame the
writer meant. The word map is an involution (mirroring twice gives back the exact text);
texts where "left"/"right" may not name a side ("a right angle", "nothing is left") or where
a word has no involutive partner ("anticlockwise") are flagged and left out, never mirrored
wrongly. Keypoints flip about the image width on a 0.01 px grid, which readers round to, so
mirroring keypoints twice is exact too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from PIL import Image

from hoiscribe.core.records import Box, Keypoints, PosePair

_PAIRS = (
    ("left", "right"),
    ("leftmost", "rightmost"),
    ("leftward", "rightward"),
    ("leftwards", "rightwards"),
    ("clockwise", "counterclockwise"),
)
WORD_MAP: dict[str, str] = {a: b for a, b in _PAIRS} | {b: a for a, b in _PAIRS}
_NO_PARTNER = ("anticlockwise", "anti-clockwise", "counter-clockwise")
_WORD = re.compile(r"[A-Za-z]+")
# "right" meaning exactly/directly/correct, and "left" as a form of "leave": not sides
_RIGHT_NOT_SIDE = re.compile(
    r"\ball\s+right\b|\bright\s+(?:angles?|away|now|here|there|above|below|under|over|behind|beside|next|at|on|"
    r"in|into|up|down|through|after|before|off|along|against|where|when)\b|\bthe\s+right\s+(?:way|position|pose|"
    r"place|amount|spot)\b",
    re.I,
)
_LEFT_NOT_SIDE = re.compile(
    r"\b(?:is|are|was|were|be|been|being|has|have|had|nothing|anything|something)\s+left\b(?!\s*-?\s*(?:hand|arm|"
    r"leg|foot|knee|elbow|wrist|ankle|shoulder|hip|side|ear|eye))|\bleft\s+(?:behind|over|alone|out|unchanged|"
    r"untouched|as\s+is|in\s+place|where)\b",
    re.I,
)
_SIDE_WORD = re.compile(r"\b(?:left|right)\b", re.I)


class AmbiguousSideError(ValueError):
    """A text whose left/right words cannot be mirrored with certainty; ``reasons`` says why."""

    def __init__(self, text: str, reasons: list[str]) -> None:
        super().__init__(f"{'; '.join(reasons)}: {text!r}")
        self.text = text
        self.reasons = reasons


def _recase(word: str, template: str) -> str | None:
    """``word`` in the casing of ``template`` (lower, Title or UPPER); None for other casings."""
    if template.islower():
        return word
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[0].isupper() and (len(template) == 1 or template[1:].islower()):
        return word.capitalize()
    return None


def ambiguity(text: str) -> list[str]:
    """Why ``text`` cannot be mirrored word by word; empty when it can."""
    reasons = []
    for m in _RIGHT_NOT_SIDE.finditer(text):
        reasons.append(f"'right' may not be a side in {m.group(0)!r}")
    for m in _LEFT_NOT_SIDE.finditer(text):
        reasons.append(f"'left' may be the verb 'leave' in {m.group(0)!r}")
    low = text.lower()
    for word in _NO_PARTNER:
        if re.search(r"\b" + re.escape(word) + r"\b", low):
            reasons.append(f"{word!r} has no mirror word that maps back to it")
    for m in _WORD.finditer(text):
        tok = m.group(0)
        if tok.lower() in WORD_MAP and _recase(tok, tok) is None:
            reasons.append(f"unusual casing {tok!r}")
    return reasons


def mirror_text(text: str) -> str:
    """Swap side words (and rotation senses) keeping case; ``AmbiguousSideError`` when unsure."""
    reasons = ambiguity(text)
    if reasons:
        raise AmbiguousSideError(text, reasons)

    def swap(m: re.Match[str]) -> str:
        tok = m.group(0)
        partner = WORD_MAP.get(tok.lower())
        if partner is None:
            return tok
        cased = _recase(partner, tok)
        assert cased is not None  # ruled out by ambiguity()
        return cased

    return _WORD.sub(swap, text)


@dataclass(frozen=True, slots=True)
class MirroredTexts:
    """Mirrored texts in order, and the ones left out with their reasons."""

    texts: list[str]
    flagged: list[dict[str, str]]


def mirror_texts(texts: list[str]) -> MirroredTexts:
    out, flagged = [], []
    for t in texts:
        try:
            out.append(mirror_text(t))
        except AmbiguousSideError as exc:
            flagged.append({"text": t, "reason": "; ".join(exc.reasons)})
    return MirroredTexts(out, flagged)


def mirror_keypoints(kps: Keypoints, width: int) -> Keypoints:
    """Flip x about the image width and swap left/right points; unlabelled points stay as they are.

    Exact as an involution for coordinates on the 0.01 px grid (``round(W - x, 2)`` twice is ``x``).
    """
    xyv = kps.xyv[list(kps.layout.flip_index)].copy()
    labelled = xyv[:, 2] > 0
    xyv[labelled, 0] = np.round(float(width) - xyv[labelled, 0], 2)
    return Keypoints(xyv, kps.layout)


def mirror_box(box: Box) -> Box:
    return Box(box.width - box.x2, box.y1, box.width - box.x1, box.y2, box.width, box.height)


def mirror_image(image: Image.Image) -> Image.Image:
    return image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)


# caption fields of a pair and of its mirror image: the mirror of the mllm text is the mirror pair's mllm text
_FIELD_SWAP = {"mllm": "mirror", "mirror": "mllm", "reverse": "mirror-reverse", "mirror-reverse": "reverse"}


def mirror_pair(pair: PosePair, image_dir: Path | None = None, prefix: str = "mirror/") -> PosePair:
    """The mirror image of a pair: keypoints, boxes and texts flipped; images written when ``image_dir`` is given.

    Needs both image sizes. Texts that cannot be mirrored are dropped from the mirrored lists.
    """
    if pair.reference_size is None or pair.target_size is None:
        raise ValueError(f"pair {pair.sample_id}: mirroring needs both image sizes")
    captions: dict[str, list[str]] = {}
    for name, texts in pair.captions.items():
        if name in _FIELD_SWAP:
            captions[_FIELD_SWAP[name]] = list(texts)
        else:
            captions[name] = mirror_texts(texts).texts
    ref_name, tgt_name = _toggle(pair.reference, prefix), _toggle(pair.target, prefix)
    ref_path, tgt_path = pair.reference_path, pair.target_path
    if image_dir is not None:
        ref_path = str(_write_flipped(pair.reference_path, Path(image_dir) / ref_name))
        tgt_path = str(_write_flipped(pair.target_path, Path(image_dir) / tgt_name))
    return replace(
        pair,
        sample_id=_toggle(pair.sample_id, "~mirror", suffix=True),
        reference=ref_name,
        target=tgt_name,
        reference_keypoints=mirror_keypoints(pair.reference_keypoints, pair.reference_size[0]),
        target_keypoints=mirror_keypoints(pair.target_keypoints, pair.target_size[0]),
        reference_path=ref_path,
        target_path=tgt_path,
        reference_box=mirror_box(pair.reference_box) if pair.reference_box else None,
        target_box=mirror_box(pair.target_box) if pair.target_box else None,
        captions=captions,
    )


def _toggle(name: str, mark: str, suffix: bool = False) -> str:
    """Add the mirror mark, or take it off again: mirroring twice restores the names."""
    if suffix:
        return name[: -len(mark)] if name.endswith(mark) else name + mark
    return name[len(mark) :] if name.startswith(mark) else mark + name


def _write_flipped(src: str | None, dst: Path) -> Path:
    if src is None:
        raise ValueError(f"no image file to mirror for {dst.name}")
    dst.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(src) as im:
        mirror_image(im.convert("RGB")).save(dst, quality=95)  # JPEG names: keep the re-encoding loss small
    return dst
