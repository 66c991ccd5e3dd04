"""Training options and AutoComPose's four setups as presets of them.

A setup only picks which caption fields train and which augmentations and losses join in;
every knob stays overridable (``--set key=value`` on the command line). The defaults follow
AutoComPose on CLIP4Cir: stage ``clip`` fine-tunes the text encoder with the normalised sum
as combiner, stage ``combiner`` trains the Combiner (p = 2560, h = 5120, lr 2e-5, batch 512,
100 epochs) on the frozen features; square padding before CLIP's own preprocessing.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Stage = Literal["clip", "combiner"]

SETUPS: dict[str, dict[str, Any]] = {
    "human-1": {"fields": ["sents"], "texts_per_pair": 1},
    "auto-3": {"fields": ["auto"], "texts_per_pair": 3},
    "auto-3-cycle": {"fields": ["auto"], "texts_per_pair": 3, "reverse_field": "auto-reverse", "cycle": True},
    "mllm-mirror-reverse_3-cycle": {
        "fields": ["mllm"], "texts_per_pair": 3, "reverse_field": "reverse", "mirror_field": "mirror",
        "mirror_reverse_field": "mirror-reverse", "augment_reverse": True, "augment_mirror": True, "cycle": True,
    },
}  # fmt: skip
STAGE_DEFAULTS: dict[str, dict[str, Any]] = {
    "clip": {"lr": 2e-6, "batch_size": 128, "epochs": 50},
    "combiner": {"lr": 2e-5, "batch_size": 512, "epochs": 100},
}


class TrainConfig(BaseModel):
    """Everything one training run reads; written to ``config.json`` in its output folder."""

    model_config = ConfigDict(extra="forbid")

    stage: Stage = "clip"
    setup: str = "human-1"
    model: str = Field(description="a CLIP folder or model id; for stage combiner also a stage-clip output folder")
    backend: Literal["transformers", "open_clip"] = "transformers"
    data_root: str
    split: str = "train"
    # which texts train
    fields: list[str] = Field(default_factory=lambda: ["sents"], min_length=1)
    texts_per_pair: int | None = Field(default=None, ge=1, description="first N texts of the fields; None: all")
    reverse_field: str | None = None  # describes target -> reference
    mirror_field: str | None = None  # describes the flipped reference -> flipped target
    mirror_reverse_field: str | None = None
    augment_reverse: bool = False
    augment_mirror: bool = False
    cycle: bool = False  # combined(target, reverse text) must retrieve the reference
    cycle_weight: float = Field(default=1.0, ge=0)
    # optimisation
    epochs: int = Field(default=50, ge=1)
    max_steps: int | None = Field(default=None, ge=1)
    batch_size: int = Field(default=128, ge=2)
    lr: float = Field(default=2e-6, gt=0)
    weight_decay: float = Field(default=0.0, ge=0)
    logit_scale: float = Field(default=100.0, gt=0)
    seed: int = 0
    # combiner
    projection_dim: int = Field(default=2560, ge=1)
    hidden_dim: int = Field(default=5120, ge=1)
    dropout: float = Field(default=0.5, ge=0, lt=1)
    # images and bookkeeping
    square_pad: bool = True
    feature_batch_size: int = Field(default=64, ge=1)
    feature_cache: str | None = None  # folder of the image feature cache; None: <out>/features
    checkpoint_every: int = Field(default=200, ge=1)
    keep_checkpoints: int = Field(default=2, ge=1)
    log_every: int = Field(default=10, ge=1)
    progress: bool = True
    device: str | None = None  # None: what accelerate picks (cuda when there is one)

    @model_validator(mode="after")
    def _needs_fields(self) -> TrainConfig:
        if self.cycle and not self.reverse_field:
            raise ValueError("cycle needs reverse_field (the text field describing target -> reference)")
        if self.augment_reverse and not self.reverse_field:
            raise ValueError("augment_reverse needs reverse_field")
        if self.augment_mirror and not self.mirror_field:
            raise ValueError("augment_mirror needs mirror_field")
        return self


def parse_value(text: str) -> Any:
    """A ``--set`` value: JSON where it parses (numbers, true, lists), else the string itself."""
    import json

    try:
        return json.loads(text)
    except ValueError:
        return text


def build_config(stage: Stage, setup: str, model: str, data_root: str, overrides: dict[str, Any]) -> TrainConfig:
    """The setup's preset over the stage's defaults, then the overrides; unknown setups or keys fail."""
    if setup not in SETUPS:
        raise ValueError(f"unknown setup {setup!r}; choose one of {', '.join(SETUPS)}")
    values: dict[str, Any] = {**STAGE_DEFAULTS[stage], **SETUPS[setup], **overrides}
    return TrainConfig(stage=stage, setup=setup, model=model, data_root=data_root, **values)
