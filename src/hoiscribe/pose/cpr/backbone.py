"""CLIP backbones behind one small contract: encode images, encode texts, the text tower's weights.

AutoComPose fine-tunes only CLIP's text encoder, so the image side is frozen in both stages
and its features are computed once (``features``); a backbone exposes ``text_module`` (the
``nn.Module`` that training wraps for data parallelism: the whole model with the vision side
frozen, whose forward encodes tokenised texts) and ``text_state`` / ``load_text_state``
(the text tower's tensors, which checkpoints hold). ``TransformersClip`` loads any CLIP folder
or model id; the open_clip backend (ResNet CLIP such as RN50) lives in ``openclip`` behind
its own extra.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from PIL import Image

EXTRA_HINT = "pip install 'hoiscribe[cpr]'"


def need_torch() -> Any:
    try:
        import torch
    except ModuleNotFoundError as exc:
        raise ModuleNotFoundError(f"composed pose retrieval needs torch: {EXTRA_HINT}", name=exc.name) from None
    return torch


def square_pad(image: Image.Image) -> Image.Image:
    """Pad to a square with black, centred (CLIP4Cir's squarepad), so resizing keeps the whole pose."""
    w, h = image.size
    side = max(w, h)
    if w == h:
        return image
    out = Image.new(image.mode, (side, side))
    out.paste(image, ((side - w) // 2, (side - h) // 2))
    return out


def load_image(path: Path, flip: bool, pad: bool) -> Image.Image:
    """An RGB image, optionally mirrored left-right, optionally square-padded."""
    with Image.open(path) as im:
        image = im.convert("RGB")
    if flip:
        image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    return square_pad(image) if pad else image


def _weights_stamp(model: str) -> list[Any]:
    """Names, sizes and times of a local model's weight files (a changed file changes the fingerprint)."""
    path = Path(model)
    if not path.exists():
        return []
    files = (
        [path] if path.is_file() else sorted(p for p in path.iterdir() if p.suffix in (".safetensors", ".bin", ".pt"))
    )
    return [[p.name, p.stat().st_size, p.stat().st_mtime_ns] for p in files]


def image_fingerprint(backend: str, model: str, pad: bool) -> str:
    """What the cached image features depend on: backend, model and its weight files, preprocessing."""
    where = str(Path(model).resolve()) if Path(model).exists() else model
    key = json.dumps([backend, where, pad, _weights_stamp(model)])
    return hashlib.sha256(key.encode()).hexdigest()[:16]


class TransformersClip:
    """A transformers ``CLIPModel`` with its processor."""

    backend = "transformers"

    def __init__(self, model: str, device: Any = "cpu") -> None:
        need_torch()
        try:
            import transformers
        except ModuleNotFoundError:
            raise ModuleNotFoundError(f"composed pose retrieval needs transformers: {EXTRA_HINT}") from None
        try:
            self.model = transformers.CLIPModel.from_pretrained(model)
            self.processor = transformers.CLIPProcessor.from_pretrained(model)
        except OSError as exc:
            raise ValueError(f"cannot load a CLIP model from {model!r}: {exc}") from None
        self.name, self.device = model, device
        self.model.to(device)
        self.model.vision_model.requires_grad_(False)
        self.model.visual_projection.requires_grad_(False)
        self.model.logit_scale.requires_grad_(False)
        self.text_module = _HfText(self.model)
        self.dim = int(self.model.config.projection_dim)

    def text_prefixes(self) -> tuple[str, ...]:
        return ("text_model.", "text_projection.")

    def encode_images(self, images: list[Image.Image]) -> Any:
        torch = need_torch()
        pixels = self.processor(images=images, return_tensors="pt")["pixel_values"].to(self.device)
        with torch.no_grad():
            return _pooled(self.model.get_image_features(pixel_values=pixels)).float()

    def tokenize(self, texts: list[str]) -> dict[str, Any]:
        enc = self.processor.tokenizer(list(texts), padding=True, truncation=True, max_length=77, return_tensors="pt")
        return {k: v.to(self.device) for k, v in enc.items() if k in ("input_ids", "attention_mask")}

    def text_state(self) -> dict[str, Any]:
        return {k: v.detach().cpu().contiguous() for k, v in self.model.state_dict().items()
                if k.startswith(self.text_prefixes())}  # fmt: skip

    def load_text_state(self, state: dict[str, Any]) -> None:
        missing = [k for k in self.text_state() if k not in state]
        if missing:
            raise ValueError(f"text encoder weights lack {len(missing)} tensors (first: {missing[0]})")
        self.model.load_state_dict(state, strict=False)


def _pooled(out: Any) -> Any:
    return out if not hasattr(out, "pooler_output") else out.pooler_output


class _HfText:
    """Built lazily as an ``nn.Module`` subclass so importing this module needs no torch."""

    def __new__(cls, model: Any) -> Any:
        import torch

        class HfTextTower(torch.nn.Module):
            def __init__(self, clip: Any) -> None:
                super().__init__()
                self.clip = clip

            def forward(self, input_ids: Any, attention_mask: Any = None) -> Any:
                out = self.clip.get_text_features(input_ids=input_ids, attention_mask=attention_mask)
                return _pooled(out).float()

        return HfTextTower(model)


def load_backbone(backend: str, model: str, device: Any = "cpu") -> Any:
    """The backbone named by ``backend`` (``transformers`` or ``open_clip``)."""
    if backend == "transformers":
        return TransformersClip(model, device)
    if backend == "open_clip":
        from hoiscribe.pose.cpr.openclip import OpenClip

        return OpenClip(model, device)
    raise ValueError(f"unknown CLIP backend {backend!r}; choose transformers or open_clip")
