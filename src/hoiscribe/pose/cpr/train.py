"""The training loop of both stages, data-parallel through accelerate, resumable after a kill.

Stage ``clip`` trains the text tower (the image features come from the cache, since the image
side is frozen) with the normalised sum as combiner; stage ``combiner`` trains the Combiner
on cached image features and text features computed once by the frozen text tower. Each
rank takes its slice of a batch drawn from a per-epoch permutation of the items, and the
text of an item and every dropout mask are drawn from generators seeded by (seed, step,
rank), so a run resumed from a checkpoint takes exactly the steps the killed one would have.
Rank 0 writes the metrics JSONL, the checkpoints and the final weights.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from hoiscribe.pose.cpr.checkpoint import list_checkpoints, load_checkpoint, save_checkpoint, save_weights
from hoiscribe.pose.cpr.combiner import Combiner, batch_loss, element_wise_sum
from hoiscribe.pose.cpr.data import read_cpr_split
from hoiscribe.pose.cpr.features import FeatureCache, FeatureTable
from hoiscribe.pose.cpr.items import Item, build_items, image_keys
from hoiscribe.pose.cpr.model import COMBINER_WEIGHTS, CONFIG_NAME, TEXT_WEIGHTS, load_retrieval
from hoiscribe.pose.cpr.setups import TrainConfig

# knobs that may change between a run and its resumption
RESUMABLE = {"epochs", "max_steps", "progress", "checkpoint_every", "keep_checkpoints", "log_every", "device",
             "feature_batch_size", "feature_cache"}  # fmt: skip


@dataclass
class TrainResult:
    out: Path
    steps: int
    resumed_from: int
    items: int
    last_loss: float | None
    dropped: dict[str, int] = field(default_factory=dict)


def _accelerator(cfg: TrainConfig) -> Any:
    try:
        from accelerate import Accelerator
    except ModuleNotFoundError:
        raise ModuleNotFoundError(
            "composed pose retrieval training needs accelerate: pip install 'hoiscribe[cpr]'"
        ) from None
    return Accelerator(cpu=cfg.device == "cpu")


def _check_out(out: Path, cfg: TrainConfig) -> None:
    """A folder holding another run's config is refused (resuming needs the same config)."""
    path = out / CONFIG_NAME
    if not path.is_file():
        return
    old = json.loads(path.read_text())
    new = cfg.model_dump()
    diff = sorted(k for k in new if k not in RESUMABLE and old.get(k) != new[k])
    if diff:
        raise ValueError(f"{out} holds a run with other settings ({', '.join(diff)}); choose a new --out")


class _Batches:
    """Which items each rank trains on at each step, and which of their texts."""

    def __init__(self, items: list[Item], cfg: TrainConfig, world: int, rank: int) -> None:
        self.items, self.cfg, self.world, self.rank = items, cfg, world, rank
        self.global_batch = cfg.batch_size * world
        # the last, partial batch is dropped (as CLIP4Cir does): a rank with one item has no negatives
        self.steps_per_epoch = max(1, len(items) // self.global_batch)
        self._perm: tuple[int, np.ndarray] | None = None

    def total_steps(self) -> int:
        total = self.cfg.epochs * self.steps_per_epoch
        return min(total, self.cfg.max_steps) if self.cfg.max_steps else total

    def at(self, step: int) -> tuple[list[Item], list[str], list[str | None]]:
        epoch, k = divmod(step, self.steps_per_epoch)
        if self._perm is None or self._perm[0] != epoch:
            self._perm = (epoch, np.random.default_rng([self.cfg.seed, epoch]).permutation(len(self.items)))
        chunk = self._perm[1][k * self.global_batch : (k + 1) * self.global_batch]
        mine = [self.items[i] for i in np.array_split(chunk, self.world)[self.rank]]
        rng = np.random.default_rng([self.cfg.seed, step, self.rank, 1])
        texts = [it.texts[int(rng.integers(len(it.texts)))] for it in mine]
        backs = [it.back[int(rng.integers(len(it.back)))] if it.back else None for it in mine]
        return mine, texts, backs


def _features(cfg: TrainConfig, out: Path, model: Any, items: list[Item], split: Any, acc: Any) -> tuple[Any, dict]:
    folder = Path(cfg.feature_cache) if cfg.feature_cache else out / "features"
    cache = FeatureCache(folder, model.fingerprint)
    keys = image_keys(items)
    failed: dict[str, str] = {}
    if acc.is_main_process:
        _, failed = cache.ensure(keys, split.image_path, model.backbone, cfg.feature_batch_size, cfg.square_pad,
                                 cfg.progress)  # fmt: skip
    acc.wait_for_everyone()
    table, more = cache.ensure(keys, split.image_path, model.backbone, cfg.feature_batch_size, cfg.square_pad)
    return table, {**failed, **more}


def _text_table(model: Any, items: list[Item]) -> FeatureTable:
    texts = list(dict.fromkeys(t for it in items for t in (*it.texts, *it.back)))
    return FeatureTable({t: i for i, t in enumerate(texts)}, model.encode_texts(texts))


def _trim_metrics(path: Path, step: int) -> None:
    if path.is_file():
        rows = [ln for ln in path.read_text().splitlines() if ln.strip() and json.loads(ln).get("step", 0) <= step]
        path.write_text("".join(r + "\n" for r in rows))


def train(cfg: TrainConfig, out: Path, stop_after: int | None = None) -> TrainResult:
    """Train ``cfg.stage`` into ``out`` (resuming its newest checkpoint); ``stop_after`` stops as a kill would."""
    out = Path(out)
    acc = _accelerator(cfg)
    if acc.is_main_process:
        _check_out(out, cfg)
        out.mkdir(parents=True, exist_ok=True)
        (out / CONFIG_NAME).write_text(json.dumps(cfg.model_dump(), indent=1))
    acc.wait_for_everyone()
    torch.manual_seed(cfg.seed)
    split = read_cpr_split(Path(cfg.data_root), cfg.split)
    items, skipped = build_items(split.entries, cfg)
    model = load_retrieval(cfg.model, cfg.backend, acc.device, square_pad=cfg.square_pad)
    if cfg.stage == "combiner" and model.combiner is not None:
        raise ValueError(f"{cfg.model} is a combiner run; stage combiner trains on a CLIP or a stage-clip run")
    table, failed = _features(cfg, out, model, items, split, acc)
    items = [it for it in items if it.reference not in failed and it.target not in failed]
    dropped = {"entries": len(split.dropped), "images unreadable": len(failed),
               **{f"no {k} texts": v for k, v in skipped.items() if v}}  # fmt: skip
    if len(items) < 2 * acc.num_processes:
        raise ValueError(f"{cfg.data_root} split {cfg.split}: {len(items)} usable training items; "
                         f"need 2 or more per process ({acc.num_processes})")  # fmt: skip

    torch.manual_seed(cfg.seed)
    texts_table = None
    if cfg.stage == "clip":
        module: Any = model.backbone.text_module
        module.train()
    else:
        texts_table = _text_table(model, items)
        module = Combiner(model.backbone.dim, cfg.projection_dim, cfg.hidden_dim, cfg.dropout)
    params = [p for p in module.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=cfg.lr, weight_decay=cfg.weight_decay)

    start = 0
    found = list_checkpoints(out / "checkpoints")
    if found:
        weights, opt_state, state = load_checkpoint(found[-1])
        _load_trainable(cfg, model, module, weights)
        optimizer.load_state_dict(opt_state)
        start = int(state["step"])
    wrapped, optimizer = acc.prepare(module, optimizer)
    batches = _Batches(items, cfg, acc.num_processes, acc.process_index)
    total = batches.total_steps()
    metrics = out / "metrics.jsonl"
    if acc.is_main_process:
        _trim_metrics(metrics, start)
    bar = _bar(total, start, cfg.progress and acc.is_main_process)
    last: float | None = None
    t0 = time.perf_counter()
    for step in range(start, total):
        mine, texts, backs = batches.at(step)
        torch.manual_seed(cfg.seed * 1_000_003 + step * acc.num_processes + acc.process_index)
        loss, parts = _step_loss(cfg, model, wrapped, table, texts_table, mine, texts, backs, acc.device)
        optimizer.zero_grad(set_to_none=True)
        acc.backward(loss)
        optimizer.step()
        last = float(loss.detach())
        done = step + 1
        if acc.is_main_process:
            if done % cfg.log_every == 0 or done == total:
                row = {"step": done, "epoch": step // batches.steps_per_epoch, "loss": last, **parts,
                       "lr": cfg.lr, "elapsed_s": round(time.perf_counter() - t0, 3)}  # fmt: skip
                with metrics.open("a") as f:
                    f.write(json.dumps(row) + "\n")
            if done % cfg.checkpoint_every == 0 or done == total:
                weights = _trainable(cfg, model, acc.unwrap_model(wrapped))
                state = {"epoch": step // batches.steps_per_epoch}
                save_checkpoint(out / "checkpoints", done, weights, optimizer, state, cfg.keep_checkpoints)
        if bar is not None:
            bar.update(1)
            bar.set_postfix(loss=f"{last:.4f}")
        if stop_after is not None and done >= stop_after and done < total:
            acc.wait_for_everyone()
            if bar is not None:
                bar.close()
            return TrainResult(out, done, start, len(items), last, dropped)
    if bar is not None:
        bar.close()
    in_sync = _replicas_in_sync(acc, params)
    if acc.is_main_process:
        weights = _trainable(cfg, model, acc.unwrap_model(wrapped))
        name = TEXT_WEIGHTS if cfg.stage == "clip" else COMBINER_WEIGHTS
        save_weights(out / "final" / name, weights, {"stage": cfg.stage, "steps": str(total)})
        summary = {
            "steps": total,
            "items": len(items),
            "last_loss": last,
            "dropped": dropped,
            "world_size": acc.num_processes,
            "items_per_step": batches.global_batch,
            "replicas_in_sync": in_sync,
        }
        (out / "final" / "summary.json").write_text(json.dumps(summary, indent=1))  # fmt: skip
    acc.wait_for_everyone()
    return TrainResult(out, total, start, len(items), last, dropped)


def _replicas_in_sync(acc: Any, params: list[Any]) -> bool:
    """Whether every rank ends with the same weights (a checksum gathered from each)."""
    check = torch.stack([torch.stack([p.detach().double().sum() for p in params]).sum()]).to(acc.device)
    sums = acc.gather(check).cpu()
    return bool((sums == sums[0]).all())


def _trainable(cfg: TrainConfig, model: Any, module: Any) -> dict[str, torch.Tensor]:
    if cfg.stage == "clip":
        return model.backbone.text_state()
    return {k: v.detach().cpu() for k, v in module.state_dict().items()}


def _load_trainable(cfg: TrainConfig, model: Any, module: Any, weights: dict[str, torch.Tensor]) -> None:
    if cfg.stage == "clip":
        model.backbone.load_text_state(weights)
    else:
        module.load_state_dict(weights)


def _step_loss(cfg: TrainConfig, model: Any, wrapped: Any, table: FeatureTable, texts_table: FeatureTable | None,
               items: list[Item], texts: list[str], backs: list[str | None],
               device: Any) -> tuple[Any, dict]:  # fmt: skip
    """One batch's loss; the module runs once per step (texts and the way back together), as DDP wants."""
    ref = table.rows([it.reference for it in items]).to(device)
    tgt = table.rows([it.target for it in items]).to(device)
    has_back = torch.tensor([b is not None for b in backs], dtype=torch.bool, device=device)
    extra = [b for b in backs if b is not None] if cfg.cycle else []
    if cfg.stage == "clip":
        encoded = wrapped(**model.backbone.tokenize(texts + extra))
        text, back = encoded[: len(texts)], encoded[len(texts) :]
        combine: Any = element_wise_sum
    else:
        assert texts_table is not None
        text = texts_table.rows(texts).to(device)
        back = texts_table.rows(extra).to(device) if extra else text[:0]
        combine = wrapped
    if not extra:
        return batch_loss(combine, ref, tgt, text, None, None, cfg.logit_scale, 0.0)
    return batch_loss(combine, ref, tgt, text, back, has_back, cfg.logit_scale, cfg.cycle_weight)


def _bar(total: int, start: int, on: bool) -> Any:
    if not on:
        return None
    from tqdm import tqdm

    return tqdm(total=total, initial=start, desc="train", unit="step")
