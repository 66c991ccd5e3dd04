"""The engine contract: ``Request`` in, ``Completion`` out.

Tasks build requests without knowing which engine answers them; engines answer without
knowing datasets or tasks. A request carries chat messages (text and images), sampling
parameters, an optional JSON schema and tool specs, and ``facts``: the structured facts of
the sample, which rule-based engines (``grounded``) read and model engines ignore.
"""

from __future__ import annotations

import asyncio
import hashlib
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Literal

import orjson
from PIL import Image

_SORTED = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS

Role = Literal["system", "user", "assistant", "tool"]


@dataclass(frozen=True, slots=True)
class ImagePart:
    """An image in a message: a file path or an in-memory PIL image."""

    path: str | None = None
    image: Image.Image | None = None

    def load(self) -> Image.Image:
        if self.image is not None:
            return self.image
        if self.path is None:
            raise ValueError("ImagePart has neither path nor image")
        with Image.open(self.path) as im:
            return im.convert("RGB")


@dataclass(frozen=True, slots=True)
class Message:
    """One chat turn: role plus ordered text and image parts."""

    role: Role
    content: tuple[str | ImagePart, ...]
    tool_call_id: str | None = None  # a tool result answers this call (OpenAI tools API)
    tool_calls: tuple[dict[str, Any], ...] = ()  # an assistant turn's calls, as the OpenAI API shapes them

    @classmethod
    def text(cls, role: Role, text: str) -> Message:
        return cls(role, (text,))

    @property
    def text_content(self) -> str:
        return "".join(p for p in self.content if isinstance(p, str))

    @property
    def images(self) -> list[ImagePart]:
        return [p for p in self.content if isinstance(p, ImagePart)]


@dataclass(frozen=True, slots=True)
class Sampling:
    """Sampling parameters; part of a stage's fingerprint."""

    temperature: float = 0.0
    top_p: float = 1.0
    max_tokens: int = 512
    seed: int = 0
    stop: tuple[str, ...] = ()


@dataclass(slots=True)
class Request:
    """What a task asks an engine for."""

    task: str
    messages: list[Message]
    sampling: Sampling = field(default_factory=Sampling)
    json_schema: dict[str, Any] | None = None
    tools: list[dict[str, Any]] | None = None
    facts: dict[str, Any] | None = None
    request_id: str = ""

    def content_key(self) -> str:
        """Hash of everything that decides the answer; keys the request cache.

        Images count by path (or pixel digest for in-memory images); facts count in full.
        """
        h = hashlib.sha256(self.task.encode())
        for m in self.messages:
            h.update(m.role.encode())
            for p in m.content:
                if isinstance(p, str):
                    h.update(b"t" + p.encode())
                elif p.path is not None:
                    h.update(b"p" + p.path.encode())
                elif p.image is not None:
                    h.update(b"i" + hashlib.sha1(p.image.tobytes()).digest())
        s = self.sampling
        h.update(repr((s.temperature, s.top_p, s.max_tokens, s.seed, s.stop)).encode())
        h.update(orjson.dumps([self.json_schema, self.tools, self.facts], option=_SORTED, default=str))
        return h.hexdigest()[:32]


@dataclass(slots=True)
class Completion:
    """An engine's answer to one request; ``error`` set means this request failed."""

    text: str
    finish_reason: str = "stop"
    prompt_tokens: int = 0
    completion_tokens: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    fingerprint: str = ""
    error: str | None = None
    transient: bool = False  # a failure worth retrying (timeouts, 429/5xx, dropped connections)
    meta: dict[str, Any] = field(default_factory=dict)  # engine extras kept in the row (agent chains, frames)


class EngineError(RuntimeError):
    """An engine cannot start (missing model files, unknown family, unhealthy server)."""


class Engine(ABC):
    """Answer a batch of requests.

    ``batches_itself`` tells the run layer whether to hand over many requests at once
    (transformers, servers) or to call per request; either way, one request's failure is
    reported in its ``Completion.error`` and never raises out of ``generate``.
    """

    name: str = "engine"
    batches_itself: bool = False
    reads_prompt: bool = True  # False: the engine works from ``Request.facts`` only (no rendering)
    needs_images: bool = True  # False: the run layer skips decoding pixels for this engine
    inline: bool = False  # True: cheap and CPU-bound; the run layer calls it without an event loop

    @abstractmethod
    def fingerprint(self) -> str:
        """Engine + model identity; part of a stage's fingerprint."""

    @abstractmethod
    def generate(self, requests: list[Request]) -> list[Completion]:
        """Answer requests in order."""

    async def agenerate(self, requests: list[Request]) -> list[Completion]:
        """Async form; the default runs ``generate`` in a worker thread."""
        return await asyncio.to_thread(self.generate, requests)

    def close(self) -> None:  # noqa: B027 - optional hook, most engines hold nothing
        """Release processes, servers or GPU memory."""
