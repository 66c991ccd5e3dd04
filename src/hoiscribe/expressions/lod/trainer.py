"""``lod train``: fine-tune a Grounding DINO-family detector on Real-Data with its own loss.

accelerate drives the loop, so one process on a CPU, one GPU, or ``accelerate launch`` /
``torchrun`` over many GPUs run the same code: data loading in worker processes, gradient
accumulation, bf16 (or fp16) autocast where the device has it, gradient clipping, a linear
warm-up. The model's loss is transformers' own, with the batch label offsets fixed
(:mod:`hoiscribe.expressions.lod.loss`). Every ``save_every`` optimizer steps a whole
checkpoint is written; a rerun with the same ``--out`` resumes from the newest one, at the same
batch of the same epoch. The trained model lands in ``out/final`` (safetensors + processor),
loadable by ``lod predict`` and by ``from_pretrained``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field

from hoiscribe.core.io import atomic_write_bytes
from hoiscribe.expressions.lod.checkpoint import (
    append_metrics,
    latest_checkpoint,
    read_state,
    save_checkpoint,
    trim_metrics,
)
from hoiscribe.expressions.lod.realdata_io import DropLog, read_realdata
from hoiscribe.expressions.lod.sampling import SamplingOptions, clean_phrase, prompt_tokens


class LodError(ValueError):
    """Input that leaves nothing to train or predict on, naming the file."""


class TrainConfig(BaseModel):
    """Everything one training run is told; written to ``out/train_config.json``."""

    model_config = ConfigDict(extra="forbid")

    data: Path
    images: Path
    model: str
    out: Path
    epochs: int = Field(1, ge=1)
    max_steps: int | None = Field(None, ge=1, description="stop after this many optimizer steps")
    batch_size: int = Field(2, ge=1)
    grad_accum: int = Field(1, ge=1)
    lr: float = 1e-4
    weight_decay: float = 1e-4
    warmup_steps: int = Field(0, ge=0)
    max_grad_norm: float = 0.1
    workers: int = Field(2, ge=0)
    mixed_precision: Literal["auto", "no", "bf16", "fp16"] = "auto"
    save_every: int = Field(200, ge=1)
    keep_checkpoints: int = Field(2, ge=1)
    log_every: int = Field(10, ge=1)
    progress: bool = True
    sampling: SamplingOptions = Field(default_factory=SamplingOptions)


@dataclass(frozen=True)
class TrainResult:
    steps: int
    resumed_from: int
    final: Path
    metrics: Path
    drops: DropLog
    images: int


def resolve_precision(choice: str) -> str:
    """``auto``: bf16 on a GPU that has it, fp16 on other GPUs, full precision on CPU."""
    if choice != "auto":
        return choice
    import torch

    if torch.cuda.is_available():
        return "bf16" if torch.cuda.is_bf16_supported() else "fp16"
    return "no"


def load_detector(model: str) -> tuple[Any, Any]:
    """(model with the fixed loss installed, processor) from a folder or hub id."""
    from transformers import AutoModelForZeroShotObjectDetection, AutoProcessor

    from hoiscribe.expressions.lod.loss import install_fixed_loss

    processor = AutoProcessor.from_pretrained(model)
    detector = AutoModelForZeroShotObjectDetection.from_pretrained(model)
    return install_fixed_loss(detector), processor


def phrase_fits(counter: Any, budget: int) -> Any:
    def fits(text: str) -> bool:
        c = clean_phrase(text)
        return bool(c) and prompt_tokens(counter, [c]) <= budget

    return fits


def _loss_row(out: Any) -> dict[str, float]:
    keys = ("loss_ce", "loss_bbox", "loss_giou")
    return {k: round(float(out.loss_dict[k].detach()), 5) for k in keys if out.loss_dict and k in out.loss_dict}


def _lr_lambda(warmup: int) -> Any:
    return lambda step: min(1.0, (step + 1) / warmup) if warmup else 1.0


def train(cfg: TrainConfig) -> TrainResult:
    """Train (or resume) into ``cfg.out``; returns what happened."""
    import torch
    from accelerate import Accelerator
    from accelerate.utils import set_seed
    from torch.utils.data import DataLoader
    from tqdm.auto import tqdm

    from hoiscribe.expressions.lod.dataset import EpochSampler, RealDataset, TokenCounter, collate

    accelerator = Accelerator(gradient_accumulation_steps=cfg.grad_accum,
                              mixed_precision=resolve_precision(cfg.mixed_precision))  # fmt: skip
    set_seed(cfg.sampling.seed)
    out = Path(cfg.out)
    model, processor = load_detector(cfg.model)
    budget = int(model.config.max_text_len)
    entries, drops = read_realdata(cfg.data, cfg.images, phrase_fits(TokenCounter(processor.tokenizer), budget))
    if accelerator.is_main_process:
        out.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(out / "drops.json", orjson.dumps(drops.as_dict(), option=orjson.OPT_INDENT_2))
        atomic_write_bytes(out / "train_config.json", cfg.model_dump_json(indent=1).encode())
    if not entries:
        raise LodError(f"{cfg.data}: no usable Real-Data line ({len(drops.drops)} dropped; see {out / 'drops.json'})")
    dataset = RealDataset(entries, cfg.images, processor, cfg.sampling, budget)
    sampler = EpochSampler(len(dataset), cfg.sampling.seed)
    loader = DataLoader(dataset, batch_size=cfg.batch_size, sampler=sampler, collate_fn=collate,
                        num_workers=cfg.workers, persistent_workers=cfg.workers > 0,
                        pin_memory=torch.cuda.is_available())  # fmt: skip
    optimizer = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, _lr_lambda(cfg.warmup_steps))
    model, optimizer, loader, scheduler = accelerator.prepare(model, optimizer, loader, scheduler)
    per_epoch = -(-len(loader) // cfg.grad_accum)  # accelerate steps at the end of an epoch too
    total = min(cfg.max_steps or per_epoch * cfg.epochs, per_epoch * cfg.epochs)

    step = batches = 0
    ckpt = latest_checkpoint(out)
    if ckpt is not None:
        accelerator.load_state(str(ckpt))
        state = read_state(ckpt)
        step, batches = int(state["step"]), int(state["batches"])
    resumed_from = step
    metrics = out / "metrics.jsonl"
    if accelerator.is_main_process:
        trim_metrics(metrics, step)
    bar = tqdm(total=total, initial=step, desc="lod train", disable=not (cfg.progress and accelerator.is_main_process))
    model.train()
    t0, seen = time.perf_counter(), 0
    while step < total:
        epoch, skip = divmod(batches, len(loader))
        sampler.set_epoch(epoch)
        loader.set_epoch(epoch)
        for batch in accelerator.skip_first_batches(loader, skip) if skip else loader:
            with accelerator.accumulate(model):
                outputs = model(**batch)
                accelerator.backward(outputs.loss)
                if accelerator.sync_gradients and cfg.max_grad_norm > 0:
                    accelerator.clip_grad_norm_(model.parameters(), cfg.max_grad_norm)
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad()
            seen += len(batch["labels"])
            batches += 1
            if not accelerator.sync_gradients:
                continue
            step += 1
            bar.update(1)
            loss = float(accelerator.gather(outputs.loss.detach()[None]).mean())
            bar.set_postfix(loss=f"{loss:.3f}")
            if accelerator.is_main_process and (step % cfg.log_every == 0 or step == total or step == 1):
                rate = seen * accelerator.num_processes / max(time.perf_counter() - t0, 1e-9)
                append_metrics(
                    metrics,
                    {
                        "step": step,
                        "epoch": epoch,
                        "loss": round(loss, 5),
                        **_loss_row(outputs),
                        "lr": scheduler.get_last_lr()[0],
                        "samples_per_s": round(rate, 3),
                    },
                )
            if step % cfg.save_every == 0 or step == total:
                save_checkpoint(accelerator, out, step, {"epoch": epoch, "batches": batches}, cfg.keep_checkpoints)
            if step >= total:
                break
    bar.close()
    final = out / "final"
    accelerator.wait_for_everyone()
    if accelerator.is_main_process:
        accelerator.unwrap_model(model).save_pretrained(final, safe_serialization=True)
        processor.save_pretrained(final)
    accelerator.wait_for_everyone()
    return TrainResult(step, resumed_from, final, metrics, drops, len(entries))
