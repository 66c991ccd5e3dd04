"""A retrieval model to use: a CLIP backbone, its fine-tuned text tower if any, and a combiner.

``load_retrieval`` takes a plain CLIP (folder, id, or open_clip name; the combiner is then the
normalised sum), a stage-``clip`` training folder (its base CLIP with the fine-tuned text
weights) or a stage-``combiner`` training folder (the CLIP it trained on plus the Combiner).
A training folder is known by its ``train_config.json``; its weights are ``final/`` when the
run finished, else its newest checkpoint.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F

from hoiscribe.pose.cpr.backbone import image_fingerprint, load_backbone
from hoiscribe.pose.cpr.checkpoint import list_checkpoints, load_weights
from hoiscribe.pose.cpr.combiner import Combiner, element_wise_sum

CONFIG_NAME = "train_config.json"
TEXT_WEIGHTS, COMBINER_WEIGHTS = "text_encoder.safetensors", "combiner.safetensors"


def training_config(path: str | Path) -> dict[str, Any] | None:
    """The config of a training folder, or None when ``path`` is not one."""
    cfg = Path(path) / CONFIG_NAME
    return json.loads(cfg.read_text()) if cfg.is_file() else None


def trained_weights(folder: Path, name: str) -> dict[str, torch.Tensor]:
    """``final/<name>`` of a finished run, else the newest checkpoint's weights."""
    final = Path(folder) / "final" / name
    if final.is_file():
        return load_weights(final)
    found = list_checkpoints(Path(folder) / "checkpoints")
    if not found:
        raise ValueError(f"{folder} holds no trained weights yet (no final/{name}, no checkpoint)")
    return load_weights(found[-1] / "weights.safetensors")


@dataclass(frozen=True)
class ClipSource:
    """Where a CLIP comes from: backend, base model, the training folder of its text weights (if any)."""

    backend: str
    model: str
    text_from: Path | None = None

    def fingerprint(self, square_pad: bool) -> str:
        return image_fingerprint(self.backend, self.model, square_pad)


def clip_source(model: str, backend: str = "transformers") -> ClipSource:
    """Follow training folders down to the base CLIP (a combiner run names a clip run or a CLIP)."""
    cfg = training_config(model)
    if cfg is None:
        return ClipSource(backend, model)
    if cfg["stage"] == "clip":
        return ClipSource(cfg["backend"], cfg["model"], Path(model))
    return clip_source(cfg["model"], cfg["backend"])


class RetrievalModel:
    def __init__(self, backbone: Any, source: ClipSource, combiner: Combiner | None, square_pad: bool) -> None:
        self.backbone, self.source, self.combiner, self.square_pad = backbone, source, combiner, square_pad

    @property
    def fingerprint(self) -> str:
        return self.source.fingerprint(self.square_pad)

    def encode_texts(self, texts: list[str], batch_size: int = 256) -> torch.Tensor:
        module = self.backbone.text_module
        was = module.training
        module.eval()
        out = []
        with torch.no_grad():
            for start in range(0, len(texts), batch_size):
                out.append(module(**self.backbone.tokenize(texts[start : start + batch_size])).cpu())
        module.train(was)
        return torch.cat(out) if out else torch.zeros((0, self.backbone.dim))

    def combine(self, image: torch.Tensor, text: torch.Tensor) -> torch.Tensor:
        """Normalised query features (eval mode, no gradients)."""
        if self.combiner is None:
            return element_wise_sum(image, text)
        self.combiner.eval()
        with torch.no_grad():
            return self.combiner(image, text)


def combiner_from(weights: dict[str, torch.Tensor], meta: dict[str, Any]) -> Combiner:
    comb = Combiner(int(meta["dim"]), int(meta["projection_dim"]), int(meta["hidden_dim"]), float(meta["dropout"]))
    comb.load_state_dict(weights)
    return comb


def load_retrieval(model: str, backend: str = "transformers", device: Any = "cpu",
                   square_pad: bool | None = None) -> RetrievalModel:  # fmt: skip
    """A CLIP, a stage-clip folder or a stage-combiner folder, ready to encode and combine."""
    source = clip_source(model, backend)
    backbone = load_backbone(source.backend, source.model, device)
    if source.text_from is not None:
        backbone.load_text_state(trained_weights(source.text_from, TEXT_WEIGHTS))
    cfg = training_config(model)
    combiner = None
    if cfg is not None and cfg["stage"] == "combiner":
        meta = {"dim": backbone.dim, "projection_dim": cfg["projection_dim"], "hidden_dim": cfg["hidden_dim"],
                "dropout": cfg["dropout"]}  # fmt: skip
        combiner = combiner_from(trained_weights(Path(model), COMBINER_WEIGHTS), meta)
    pad = square_pad if square_pad is not None else (cfg["square_pad"] if cfg else True)
    return RetrievalModel(backbone, source, combiner, pad)


def normalized(x: torch.Tensor) -> torch.Tensor:
    return F.normalize(x.float(), dim=-1)
