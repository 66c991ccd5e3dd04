"""Multi-turn GRPO with live tools: TRL's ``rollout_func`` drives the agent's own rollout loop.

TRL 1.16's ``GRPOTrainer`` offers two ways to train through tool calls: ``tools`` /
``environment_factory`` (it parses calls with the tokenizer's response schema and runs
Python functions) and ``rollout_func`` (the caller generates and returns token ids). This
uses ``rollout_func``: the policy then runs :func:`hoiscribe.agent.rollout.run_rollout`, the
same loop, system prompt, call parser, budgets and tool box as inference, so what is
trained is exactly what is run, tools with JSON schemas and oracle or model backends included.

``PolicyEngine`` is the engine behind those rollouts: it samples each assistant turn with
the trainer's model and keeps every rollout's tokens. The first turn's prompt (system, the
user turn with the image) is ``prompt_ids``; every later piece is appended to
``completion_ids``: sampled turns with ``env_mask`` 1, the chat-template text between them
(tool results, the end of the assistant turn, the next assistant header) with ``env_mask``
0, so the loss covers only what the model wrote. Concurrent rollouts share one ``generate``
per turn (``engines.batching.MicroBatcher``), and model-backed tools batch across them too.

Images made by tools (crop, zoom, imagine) stay out of the training context: TRL's forward
pass sees only the dataset images, so such a picture is replaced by a one-line note (the
tool box for training defaults to the tools that answer in text). The rewards are the four
terms of :mod:`hoiscribe.agent.rewards` on the whole chain (``chain`` column).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from hoiscribe.agent.rewards import RewardWeights, chain_parts, score_chain
from hoiscribe.agent.rollout import Budget, run_rollout
from hoiscribe.datasets.gt_index import AnnotationIndex, ImageAnnotation
from hoiscribe.engines.base import Completion, Engine, ImagePart, Message, Request
from hoiscribe.engines.batching import MicroBatcher
from hoiscribe.tools.base import ToolContext
from hoiscribe.tools.registry import ToolBox

TEXT_TOOLS = ["detect_humans", "detect_objects", "estimate_pose", "spatial_relation"]
TOOL_IMAGE_NOTE = "[an image made by a tool; not shown during training]"


@dataclass
class Track:
    """One rollout's tokens so far."""

    prompt_ids: list[int] = field(default_factory=list)
    completion_ids: list[int] = field(default_factory=list)
    mask: list[int] = field(default_factory=list)
    vision: dict[str, Any] = field(default_factory=dict)  # pixel tensors of the prompt's image(s)
    per_token: dict[str, list[int]] = field(default_factory=dict)  # prompt-token fields, 0 past the prompt
    last_generated: list[int] = field(default_factory=list)
    turns: int = 0


def image_key(image: Any) -> str:
    """A content digest of a PIL image: how a TRL prompt is matched back to its sample."""
    return hashlib.sha256(image.convert("RGB").tobytes() + repr(image.size).encode()).hexdigest()[:20]


class PolicyEngine(Engine):
    """Samples assistant turns with a (training) VLM and records each rollout's token ids."""

    name = "grpo-policy"
    batches_itself = True

    def __init__(
        self, model: Any, processor: Any, max_new_tokens: int = 128, max_completion_length: int = 512,
        temperature: float = 1.0,
    ) -> None:  # fmt: skip
        self.model, self.processor = model, processor
        self.tokenizer = getattr(processor, "tokenizer", processor)
        self.max_new_tokens, self.max_completion_length = int(max_new_tokens), int(max_completion_length)
        self.temperature = float(temperature)
        self.eos_id = int(self.tokenizer.eos_token_id)
        self.eos_text = str(self.tokenizer.eos_token)
        self.pad_id = int(self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else self.eos_id)
        self.tracks: dict[str, Track] = {}

    def fingerprint(self) -> str:
        return "grpo-policy"

    def _chat(self, messages: Sequence[Message]) -> tuple[list[dict[str, Any]], list[Any]]:
        """Chat-template dicts; the first image is the prompt's, later ones become a note."""
        out, images = [], []
        for m in messages:
            parts: list[dict[str, Any]] = []
            for p in m.content:
                if isinstance(p, str):
                    parts.append({"type": "text", "text": p})
                elif not images and m.role == "user":
                    images.append(p.load())
                    parts.append({"type": "image"})
                else:
                    parts.append({"type": "text", "text": TOOL_IMAGE_NOTE})
            out.append({"role": m.role, "content": parts})
        return out, images

    def _render(self, chat: list[dict[str, Any]], gen: bool) -> str:
        return self.processor.apply_chat_template(chat, tokenize=False, add_generation_prompt=gen)

    def _extend(self, track: Track, messages: Sequence[Message]) -> None:
        """Append the template text between the last sampled turn and the next generation prompt."""
        last = max(i for i, m in enumerate(messages) if m.role == "assistant")
        chat, _ = self._chat(messages)
        upto, full = self._render(chat[: last + 1], False), self._render(chat, True)
        if not full.startswith(upto):
            raise RuntimeError("the chat template does not keep earlier turns as a prefix; multi-turn GRPO needs it")
        cut = upto.rfind(self.eos_text)
        tail = upto[cut + len(self.eos_text) :] if cut >= 0 else ""
        closed = bool(track.last_generated) and track.last_generated[-1] == self.eos_id
        delta = ("" if closed else self.eos_text) + tail + full[len(upto) :]
        ids = self.tokenizer(delta, add_special_tokens=False)["input_ids"]
        track.completion_ids += ids
        track.mask += [0] * len(ids)

    def generate(self, requests: list[Request]) -> list[Completion]:
        todo: list[tuple[int, Track, int]] = []
        out: list[Completion | None] = [None] * len(requests)
        for i, req in enumerate(requests):
            rid = req.request_id.rsplit("#t", 1)[0]
            track = self.tracks.get(rid)
            if track is None:
                chat, images = self._chat(req.messages)
                enc = self.processor(text=[self._render(chat, True)], images=images or None, return_tensors="pt")
                track = Track(prompt_ids=enc["input_ids"][0].tolist())
                n = len(track.prompt_ids)
                for k, v in enc.items():
                    if k in ("input_ids", "attention_mask"):
                        continue
                    if v.ndim == 2 and v.shape == (1, n):  # per-token fields (mm_token_type_ids) grow with the turns
                        track.per_token[k] = v[0].tolist()
                    else:
                        track.vision[k] = v
                self.tracks[rid] = track
            else:
                self._extend(track, req.messages)
            room = min(self.max_new_tokens, self.max_completion_length - len(track.completion_ids))
            if room <= 0:
                out[i] = Completion("", "length")  # the rollout's token budget is spent: it ends unanswered
            else:
                todo.append((i, track, room))
        if todo:
            rows = self.sample([(t, room) for _, t, room in todo])
            for (i, track, room), row in zip(todo, rows, strict=True):
                new = _trim(row, self.eos_id, self.pad_id)[:room]
                track.last_generated = new
                track.completion_ids += new
                track.mask += [1] * len(new)
                track.turns += 1
                text = self.tokenizer.decode(new, skip_special_tokens=True)
                out[i] = Completion(text, "stop" if new and new[-1] == self.eos_id else "length", len(row), len(new))
        return [c if c is not None else Completion("", "error", error="no completion") for c in out]

    def sample(self, batch: list[tuple[Track, int]]) -> list[list[int]]:
        """One sampled turn per (track, token room): a single left-padded ``generate`` for all."""
        import torch

        seqs = [t.prompt_ids + t.completion_ids for t, _ in batch]
        width = max(len(s) for s in seqs)
        ids = torch.tensor([[self.pad_id] * (width - len(s)) + s for s in seqs])
        attn = torch.tensor([[0] * (width - len(s)) + [1] * len(s) for s in seqs])
        vision = {k: torch.cat([t.vision[k] for t, _ in batch]) for k in batch[0][0].vision}
        for k in batch[0][0].per_token:
            rows = [t.per_token[k] + [0] * len(t.completion_ids) for t, _ in batch]
            vision[k] = torch.tensor([[0] * (width - len(r)) + r for r in rows])
        with torch.no_grad():
            gen = self.model.generate(
                input_ids=ids, attention_mask=attn, **vision, do_sample=True, temperature=self.temperature,
                max_new_tokens=max(r for _, r in batch), pad_token_id=self.pad_id, eos_token_id=self.eos_id,
            )  # fmt: skip
        return gen[:, width:].tolist()


def _trim(row: list[int], eos: int, pad: int) -> list[int]:
    """Generated ids up to and including the first end of turn."""
    if eos in row:
        return row[: row.index(eos) + 1]
    while row and row[-1] == pad:
        row = row[:-1]
    return row


@dataclass
class LiveSample:
    """What a rollout needs of its sample besides the prompt: name, size and GT for the oracle tools."""

    file_name: str
    size: tuple[int, int]
    annotation: ImageAnnotation | None


def _request(prompt: list[dict[str, Any]], rid: str) -> Request:
    messages = []
    for m in prompt:
        if m["role"] == "system":  # the tool protocol: run_rollout writes the same system turn itself
            continue
        content = m["content"] if isinstance(m["content"], list) else [{"type": "text", "text": m["content"]}]
        parts: list[Any] = []
        for p in content:
            if p.get("type") == "image" and p.get("image") is not None:
                parts.append(ImagePart(image=p["image"]))
            elif p.get("text"):
                parts.append(p["text"])
        messages.append(Message(m["role"], tuple(parts)))
    return Request("hoi_reason", messages, request_id=rid)


def make_rollout_func(
    toolbox: ToolBox, samples: dict[str, LiveSample], budget: Budget, max_new_tokens: int = 128,
    temperature: float = 1.0, policy_cls: type[PolicyEngine] = PolicyEngine,
) -> Callable[[list[Any], Any], dict[str, Any]]:  # fmt: skip
    """A TRL ``rollout_func``: one live tool-using rollout per prompt (TRL repeats each prompt G times)."""

    def rollout(prompts: list[Any], trainer: Any) -> dict[str, Any]:
        model = trainer.accelerator.unwrap_model(trainer.model)
        policy = policy_cls(model, trainer.processing_class, max_new_tokens, trainer.args.max_completion_length,
                            temperature)  # fmt: skip
        batched = MicroBatcher(policy, max_batch=len(prompts))

        async def one(i: int, prompt: list[Any]) -> Completion:
            req = _request(prompt, f"r{i}")
            image = next(p.image for m in req.messages for p in m.images if p.image is not None)
            sample = samples.get(image_key(image))
            size = sample.size if sample is not None else image.size
            ctx = ToolContext(size, image=image, file_name=sample.file_name if sample else "",
                              annotation=sample.annotation if sample else None)  # fmt: skip
            return await run_rollout(batched, req, toolbox, ctx, budget, "text", "tool")

        async def run_all() -> list[Completion]:
            return list(await asyncio.gather(*(one(i, p) for i, p in enumerate(prompts))))

        was_training = model.training
        model.eval()
        try:
            comps = asyncio.run(run_all())
        finally:
            model.train(was_training)
        tracks = [policy.tracks[f"r{i}"] for i in range(len(prompts))]
        chains = [json.dumps({"agent": c.meta.get("agent", {}), "chain": c.meta.get("chain", [])}) for c in comps]
        return {
            "prompt_ids": [t.prompt_ids for t in tracks],
            "completion_ids": [t.completion_ids or [policy.eos_id] for t in tracks],
            "env_mask": [t.mask or [1] for t in tracks],
            "logprobs": None,
            "chain": chains,
        }

    return rollout


def live_reward_funcs(weights: RewardWeights | None = None) -> list[Callable[..., list[float]]]:
    """The four rewards on whole chains: columns ``chain`` (from the rollout) and ``gt`` (JSON GT pairs)."""

    weights = weights or RewardWeights()

    def scores(kwargs: dict[str, Any], n: int) -> list[Any]:
        out = []
        for i in range(n):
            meta = json.loads(kwargs["chain"][i])
            turns, relations, valid, invalid = chain_parts(meta)
            gt = kwargs["gt"][i]
            out.append(score_chain(turns, relations, valid, invalid, json.loads(gt) if isinstance(gt, str) else gt,
                                   weights))  # fmt: skip
        return out

    def term(name: str) -> Callable[..., list[float]]:
        def fn(completions: list[Any], **kwargs: Any) -> list[float]:
            return [float(getattr(s, name)) for s in scores(kwargs, len(completions))]

        fn.__name__ = name
        return fn

    return [term("accuracy"), term("format"), term("tool"), term("spatial")]


def live_samples(index: AnnotationIndex, images: dict[str, Any]) -> dict[str, LiveSample]:
    """Image digest -> sample, for the images (by file name) the GRPO dataset holds."""
    out = {}
    for name, image in images.items():
        ann = index.get(name)
        out[image_key(image)] = LiveSample(name, ann.size if ann is not None else image.size, ann)
    return out
