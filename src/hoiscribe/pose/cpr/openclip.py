"""The open_clip backbone: ResNet CLIP (RN50, as AutoComPose uses) and any other open_clip model.

Behind its own extra (``pip install 'hoiscribe[openclip]'``) because open_clip needs
torchvision, which the other extras avoid. ``model`` is ``NAME`` or ``NAME:PRETRAINED``
(``RN50:openai``), or ``NAME:/path/to/checkpoint.pt``; the text tower is everything but
``visual.*``, which stays frozen.
"""

from __future__ import annotations

from typing import Any

from PIL import Image

from hoiscribe.pose.cpr.backbone import need_torch

OPENCLIP_HINT = "pip install 'hoiscribe[openclip]' (open_clip_torch; it brings torchvision)"


class OpenClip:
    backend = "open_clip"

    def __init__(self, model: str, device: Any = "cpu") -> None:
        torch = need_torch()
        try:
            import open_clip
        except ModuleNotFoundError:
            raise ModuleNotFoundError(f"the open_clip backend needs open_clip: {OPENCLIP_HINT}") from None
        name, _, pretrained = model.partition(":")
        try:
            self.model, _, self.preprocess = open_clip.create_model_and_transforms(name, pretrained=pretrained or None)
        except (RuntimeError, OSError, ValueError) as exc:
            raise ValueError(f"cannot load open_clip model {model!r}: {exc}") from None
        self.tokenizer = open_clip.get_tokenizer(name)
        self.name, self.device = model, device
        self.model.to(device)
        self.model.visual.requires_grad_(False)
        for p in ("logit_scale", "logit_bias"):
            if isinstance(getattr(self.model, p, None), torch.nn.Parameter):
                getattr(self.model, p).requires_grad_(False)
        self.text_module = _OpenClipText(self.model)
        with torch.no_grad():
            self.dim = int(self.model.encode_text(self.tokenizer(["a"]).to(device)).shape[-1])

    def encode_images(self, images: list[Image.Image]) -> Any:
        torch = need_torch()
        pixels = torch.stack([self.preprocess(im) for im in images]).to(self.device)
        with torch.no_grad():
            return self.model.encode_image(pixels).float()

    def tokenize(self, texts: list[str]) -> dict[str, Any]:
        return {"input_ids": self.tokenizer(list(texts)).to(self.device)}

    def text_state(self) -> dict[str, Any]:
        return {k: v.detach().cpu().contiguous() for k, v in self.model.state_dict().items()
                if not k.startswith("visual.") and k not in ("logit_scale", "logit_bias")}  # fmt: skip

    def load_text_state(self, state: dict[str, Any]) -> None:
        missing = [k for k in self.text_state() if k not in state]
        if missing:
            raise ValueError(f"text encoder weights lack {len(missing)} tensors (first: {missing[0]})")
        self.model.load_state_dict(state, strict=False)


class _OpenClipText:
    def __new__(cls, model: Any) -> Any:
        import torch

        class OpenClipTextTower(torch.nn.Module):
            def __init__(self, clip: Any) -> None:
                super().__init__()
                self.clip = clip

            def forward(self, input_ids: Any, attention_mask: Any = None) -> Any:
                return self.clip.encode_text(input_ids).float()

        return OpenClipTextTower(model)
