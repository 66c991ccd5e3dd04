"""SFT and GRPO entry points over exported chains, wrapping TRL (``pip install 'hoiscribe[train]'``).

SFT trains on whole chains (every assistant turn: thoughts, tool calls, the answer), with
the tool results and the tool-made images in the context. GRPO has two modes:

* ``multi-turn`` (:func:`run_grpo_live`, OV-HOI's setting): the policy runs whole rollouts
  with live tools during training (``agent.grpo_live``: TRL's ``rollout_func`` around the
  agent's own loop) and the four rewards of :mod:`hoiscribe.agent.rewards` judge each whole
  chain; prompts and GT come from a dataset reader;
* ``final-turn`` (:func:`run_grpo`): the prompt is an exported chain up to its last assistant
  turn (the teacher's calls and results), the model samples only the final turn, and the
  chain's earlier calls and relations are passed to the rewards as dataset columns.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hoiscribe.agent.rewards import RewardWeights, trl_reward_funcs


class TrainSetupError(RuntimeError):
    """Training cannot start: missing extra, bad data file, bad model folder."""


def _require_train() -> None:
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
        import trl  # noqa: F401

        import datasets  # noqa: F401
    except ModuleNotFoundError as exc:
        raise TrainSetupError(f"training needs {exc.name!r}: pip install 'hoiscribe[train]'") from exc


def read_chains(path: Path) -> list[dict[str, Any]]:
    """The rows of a ``cot.jsonl`` export."""
    path = Path(path)
    if not path.is_file():
        raise TrainSetupError(f"training data not found: {path}")
    rows = []
    for i, line in enumerate(path.read_text().splitlines()):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise TrainSetupError(f"{path}: line {i + 1} is not JSON ({exc})") from None
        if not isinstance(row, dict) or not isinstance(row.get("messages"), list):
            raise TrainSetupError(f"{path}: line {i + 1} has no messages list")
        rows.append(row)
    if not rows:
        raise TrainSetupError(f"{path} holds no chains")
    return rows


def _load_images(paths: list[str]) -> list[Any]:
    from PIL import Image

    out = []
    for p in paths:
        with Image.open(p) as im:
            out.append(im.convert("RGB"))
    return out


def _plain(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Messages with uniform part dicts (Arrow needs one struct type per column)."""
    out = []
    for m in messages:
        parts = m["content"] if isinstance(m["content"], list) else [{"type": "text", "text": m["content"]}]
        out.append({"role": m["role"], "content": [{"type": p["type"], "text": p.get("text")} for p in parts]})
    return out


def _load_model(model: Path) -> tuple[Any, Any]:
    """Model (train mode) and processor, loaded offline the way the transformers engine does."""
    from hoiscribe.engines import hfload
    from hoiscribe.engines.base import EngineError
    from hoiscribe.engines.families import detect_family, read_model_config

    folder = Path(model)
    try:
        model_type = read_model_config(folder).get("model_type", "")
        processor = hfload.load_processor(folder, model_type)
        net = hfload.load_model(folder, detect_family(folder), model_type, torch_dtype="float32")
    except EngineError as exc:
        raise TrainSetupError(str(exc)) from exc
    return net.train(), processor


def sft_dataset(rows: list[dict[str, Any]]) -> Any:
    """A datasets.Dataset of ``messages`` + ``images`` (PIL), what TRL's VLM collator reads."""
    from datasets import Dataset

    return Dataset.from_list([{"messages": _plain(r["messages"]), "images": _load_images(r["images"])} for r in rows])


def run_sft(
    data: Path,
    model: Path,
    out: Path,
    max_steps: int = -1,
    learning_rate: float = 1e-5,
    batch_size: int = 1,
    max_length: int | None = None,
    **config: Any,
) -> Path:
    """Fine-tune ``model`` on the exported chains; returns the saved folder."""
    _require_train()
    from trl import SFTConfig, SFTTrainer

    dataset = sft_dataset(read_chains(data))
    net, processor = _load_model(model)
    use_cpu = config.pop("use_cpu", None) or not _cuda()
    args = SFTConfig(
        output_dir=str(out), max_steps=max_steps, learning_rate=learning_rate, per_device_train_batch_size=batch_size,
        max_length=max_length, report_to="none", save_strategy="no", logging_steps=1, use_cpu=use_cpu, **config,
    )  # fmt: skip
    trainer = SFTTrainer(model=net, args=args, train_dataset=dataset, processing_class=processor)
    trainer.train()
    trainer.save_model(str(out))
    processor.save_pretrained(str(out))
    return Path(out)


def grpo_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One GRPO prompt per chain: the chain up to its last assistant turn, with reward columns."""
    out = []
    for r in rows:
        messages = r["messages"]
        last = max((i for i, m in enumerate(messages) if m["role"] == "assistant"), default=None)
        if last is None:
            continue
        prior_turns = [_text(m) for m in messages[:last] if m["role"] == "assistant"]
        valid, invalid = _prior_calls(messages[:last])
        relations = r.get("relations") or []
        n_images = sum(1 for m in messages[:last] for p in _parts(m) if p["type"] == "image")
        out.append({
            "prompt": _plain(messages[:last]),
            "images": _load_images(r["images"][:n_images]),
            "gt": r.get("gt") or "[]",
            "prior_turns": json.dumps(prior_turns),
            "relations": json.dumps(relations),
            "prior_valid_calls": valid,
            "prior_invalid_calls": invalid,
        })  # fmt: skip
    return out


def _parts(m: dict[str, Any]) -> list[dict[str, Any]]:
    return m["content"] if isinstance(m["content"], list) else [{"type": "text", "text": m["content"]}]


def _text(m: dict[str, Any]) -> str:
    return "".join(p.get("text") or "" for p in _parts(m) if p["type"] == "text")


def _prior_calls(messages: list[dict[str, Any]]) -> tuple[int, int]:
    """(valid, invalid) calls of a chain prefix: unreadable calls and error results are invalid."""
    from hoiscribe.agent.toolcalls import parse_turn

    valid = invalid = 0
    for m in messages:
        if m["role"] == "assistant":
            for c in parse_turn(_text(m)).calls:
                invalid += c.error is not None
                valid += c.error is None
    failed = sum(1 for m in messages if m["role"] == "tool" and _text(m).startswith("error:"))
    return max(0, valid - failed), invalid + failed


def run_grpo(
    data: Path,
    model: Path,
    out: Path,
    max_steps: int = -1,
    learning_rate: float = 5e-7,
    num_generations: int = 4,
    max_completion_length: int = 512,
    weights: RewardWeights | None = None,
    **config: Any,
) -> Path:
    """GRPO on the answer turn with the HOI rewards; returns the saved folder."""
    _require_train()
    from trl import GRPOTrainer

    from datasets import Dataset

    weights = weights or RewardWeights()
    dataset = Dataset.from_list(grpo_rows(read_chains(data)))
    net, processor = _load_model(model)
    args = _grpo_args(out, max_steps, learning_rate, num_generations, max_completion_length, weights, config)
    trainer = GRPOTrainer(model=net, reward_funcs=trl_reward_funcs(weights), args=args, train_dataset=dataset,
                          processing_class=processor)  # fmt: skip
    trainer.train()
    trainer.save_model(str(out))
    processor.save_pretrained(str(out))
    return Path(out)


def live_rows(
    dataset: str, data_root: Path, split: str | None = None, max_samples: int | None = None,
    instruction: str | None = None, image_side: int | None = None, system: str | None = None,
) -> tuple[list[dict[str, Any]], Any, dict[str, Any]]:  # fmt: skip
    """One GRPO prompt per image of a dataset (rows, GT index, images by file name).

    ``instruction`` replaces the task's prompt text (short prompts for smoke runs) and
    ``image_side`` resizes the images (the tools still answer in original-image pixels).
    ``system`` is the rollout's system turn (the tool protocol): TRL renders the prompt for its
    forward pass, so it must hold the same turns the rollout's ``prompt_ids`` hold."""
    from PIL import Image

    from hoiscribe.agent.task import HOI_REASON
    from hoiscribe.catalog import read_dataset
    from hoiscribe.datasets.gt_index import AnnotationIndex

    try:
        samples = read_dataset(dataset, Path(data_root), split).samples
    except (ValueError, OSError) as exc:
        raise TrainSetupError(f"cannot read {dataset} at {data_root}: {exc}") from exc
    index = AnnotationIndex.from_samples(samples)
    rows: list[dict[str, Any]] = []
    images: dict[str, Any] = {}
    for s in samples:
        if s.file_name in images or (max_samples is not None and len(rows) >= max_samples):
            continue
        ann = index.get(s.file_name)
        with Image.open(s.image_path) as im:
            image = im.convert("RGB")
        if image_side:
            image = image.resize((image_side, image_side))
        images[s.file_name] = image
        text = instruction or HOI_REASON.render(HOI_REASON.facts(s), None, None)
        head = [{"role": "system", "content": [{"type": "text", "text": system}]}] if system else []
        user = {"role": "user", "content": [{"type": "image", "text": None}, {"type": "text", "text": text}]}
        rows.append({"prompt": [*head, user], "images": [image],
                     "gt": json.dumps(ann.triplets() if ann is not None else [])})  # fmt: skip
    if not rows:
        raise TrainSetupError(f"{dataset} at {data_root} has no samples")
    return rows, index, images


def run_grpo_live(
    dataset: str,
    data_root: Path,
    model: Path,
    out: Path,
    split: str | None = None,
    max_samples: int | None = None,
    tools: dict[str, Any] | None = None,
    max_calls: int = 6,
    max_turns: int = 4,
    max_new_tokens: int = 256,
    max_steps: int = -1,
    learning_rate: float = 5e-7,
    num_generations: int = 4,
    max_completion_length: int = 1024,
    weights: RewardWeights | None = None,
    instruction: str | None = None,
    image_side: int | None = None,
    policy_cls: Any = None,
    **config: Any,
) -> Path:
    """Multi-turn GRPO: whole rollouts with live tools, rewarded on the whole chain; returns the saved folder."""
    _require_train()
    from trl import GRPOTrainer

    from datasets import Dataset
    from hoiscribe.agent.grpo_live import TEXT_TOOLS, PolicyEngine, live_reward_funcs, live_samples, make_rollout_func
    from hoiscribe.agent.rollout import Budget, system_prompt
    from hoiscribe.agent.toolbox import build_toolbox

    weights = weights or RewardWeights()
    tool_config = dict(tools or {"detector": "oracle", "pose": "oracle"})
    tool_config.setdefault("enabled", TEXT_TOOLS)
    try:
        toolbox = build_toolbox(tool_config)
    except (ValueError, RuntimeError) as exc:
        raise TrainSetupError(f"tools: {exc}") from exc
    budget = Budget(max_calls, max_turns)
    rows, index, images = live_rows(dataset, data_root, split, max_samples, instruction, image_side,
                                    system_prompt(toolbox, budget, "text"))  # fmt: skip
    rollout = make_rollout_func(toolbox, live_samples(index, images), budget, max_new_tokens,
                                float(config.pop("temperature", 1.0)), policy_cls or PolicyEngine)  # fmt: skip
    net, processor = _load_model(model)
    args = _grpo_args(out, max_steps, learning_rate, num_generations, max_completion_length, weights, config)
    trainer = GRPOTrainer(model=net, reward_funcs=live_reward_funcs(weights), args=args,
                          train_dataset=Dataset.from_list(rows), processing_class=processor,
                          rollout_func=rollout)  # fmt: skip
    try:
        trainer.train()
    finally:
        toolbox.close()
    trainer.save_model(str(out))
    processor.save_pretrained(str(out))
    return Path(out)


def _grpo_args(out: Path, max_steps: int, learning_rate: float, num_generations: int, max_completion_length: int,
               weights: RewardWeights, config: dict[str, Any]) -> Any:  # fmt: skip
    """TRL's GRPOConfig for both modes: the four reward weights in the order of the reward functions."""
    from trl import GRPOConfig

    batch = config.pop("per_device_train_batch_size", num_generations)
    return GRPOConfig(
        output_dir=str(out), max_steps=max_steps, learning_rate=learning_rate, num_generations=num_generations,
        per_device_train_batch_size=batch, max_completion_length=max_completion_length, report_to="none",
        save_strategy="no", logging_steps=1, use_cpu=config.pop("use_cpu", None) or not _cuda(),
        reward_weights=[weights.accuracy, weights.format, weights.tool, weights.spatial], **config,
    )  # fmt: skip


def _cuda() -> bool:
    import torch

    return bool(torch.cuda.is_available())


__all__ = [
    "TrainSetupError",
    "grpo_rows",
    "live_rows",
    "read_chains",
    "run_grpo",
    "run_grpo_live",
    "run_sft",
    "sft_dataset",
]
