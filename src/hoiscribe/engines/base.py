"""The engine contract: ``Request`` in, ``Completion`` out.

Tasks build requests without knowing which engine answers them; engines answer without
knowing datasets or tasks. A request carries chat messages (text and images), sampling
parameters, an optional JSON schema and tool specs, and ``facts``: the structured facts of
the sample, which rule-based engines (``grounded``) read and model engines ignore.

Each engine declares its options as a pydantic model (``Engine.options_model``, unknown keys
forbidden); the engine validates them when it is built, and the pipeline config validates them
when it loads (``engine_option_problems``), so a typo fails before any model or server starts.
"""

from __future__ import annotations

import asyncio
import hashlib
import types
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Annotated, Any, ClassVar, Literal, Union, get_args, get_origin

import orjson
from PIL import Image
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, WrapValidator
from pydantic_core import PydanticUndefined

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
    # the engine cannot serve any request (rejected API key, unknown model, server unreachable after
    # its retries): not this request's fault, so the run layer stops the stage and blames no sample.
    # Set together with ``transient``, so a caller that does not know the flag retries later, never drops.
    fatal: bool = False


class EngineError(RuntimeError):
    """An engine cannot start (missing model files, unknown family, unhealthy server)."""


class EngineFatalError(EngineError):
    """Raised from ``generate`` by an engine that can serve no request at all (the exception form of
    ``Completion.fatal``): the run layer stops the stage, keeps what is done and drops no sample."""


# ---- options ---------------------------------------------------------------------------

PLACEHOLDERS = ("{data_root}", "{out}")  # expanded in engine options when a run starts

AtLeast0 = Annotated[int, AfterValidator(lambda v: max(0, v))]  # smaller values count as 0
AtLeast1 = Annotated[int, AfterValidator(lambda v: max(1, v))]  # smaller values count as 1


class EngineOptions(BaseModel):
    """Base of every engine's options: an unknown key is an error; the default of an engine
    that declares none (so any option given to it is unknown)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _no_options(value: Any) -> Any:
    return {} if value is None else value


class EngineSpec(EngineOptions):
    """An engine inside another engine's options (an agent's inner engine, a workflow role).

    Its ``options`` stay a mapping here: the inner engine's own model validates them when it is
    built, and ``engine_option_problems`` when the pipeline config loads.
    """

    name: str = Field(min_length=1, description="a registered engine or package.module:Class")
    model: str | None = Field(None, description="the inner engine's model")
    options: Annotated[dict[str, Any], BeforeValidator(_no_options)] = Field(
        default_factory=dict, description="the inner engine's options"
    )


def _spec_or_engine(value: Any, handler: Callable[[Any], Any]) -> Any:
    return value if isinstance(value, Engine) else handler(value)


# a spec ``{name, model, options}``, or (from Python) an already-built Engine passed through as is
EngineRef = Annotated[EngineSpec, WrapValidator(_spec_or_engine)]


@dataclass(frozen=True, slots=True)
class OptionProblem:
    """One option that does not validate: its dotted path, what is wrong, the value given."""

    path: str
    message: str
    value: Any = None
    unknown: bool = False  # a key the model does not know
    engine: str = ""  # whose option: set by engine_option_problems (inner engines name their own)

    def under(self, prefix: str) -> OptionProblem:
        return replace(self, path=f"{prefix}.{self.path}" if self.path else prefix)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _problems(model: type[BaseModel], exc: ValidationError) -> list[OptionProblem]:
    out: list[OptionProblem] = []
    for e in exc.errors(include_url=False):
        loc = [str(p) for p in e["loc"]]
        path = ".".join(loc)
        if e["type"] == "extra_forbidden":
            known = ", ".join(model.model_fields) or "none"
            message = f"unknown option (known: {known})" if len(loc) == 1 else "unknown key"
            out.append(OptionProblem(path, message, e["input"], True))
        elif e["type"] == "missing":
            f = model.model_fields.get(loc[0]) if len(loc) == 1 else None
            out.append(OptionProblem(path, f"required ({f.description})" if f and f.description else "required"))
        else:
            msg = e["msg"].removeprefix("Value error, ")
            out.append(OptionProblem(path, f"{msg} (got {_short(e['input'])})", e["input"]))
    return out


def options_message(engine: str, model: type[BaseModel], problems: list[OptionProblem]) -> str:
    """One line naming the engine, each bad option, and the options it knows."""
    parts = [
        f"unknown option {p.path!r}" if p.unknown and "." not in p.path else f"{p.path or 'options'}: {p.message}"
        for p in problems
    ]
    known = ", ".join(model.model_fields) or "none"
    return f"{engine} engine: {'; '.join(parts)}. Known options: {known}"


def _placeholder(p: OptionProblem) -> bool:
    """A type error on a ``{data_root}``/``{out}`` string, which is only expanded when the run starts."""
    return not p.unknown and isinstance(p.value, str) and any(ph in p.value for ph in PLACEHOLDERS)


# name -> the engine class behind it, or None where it cannot be checked here (the config
# layer passes one built on the catalog; this layer knows no engine names)
Resolve = Callable[[str], "type[Engine] | None"]


def engine_option_problems(name: str, options: Mapping[str, Any], resolve: Resolve) -> list[OptionProblem]:
    """What the pipeline config reports about one engine's options at load time.

    The engine ``resolve(name)`` gives is checked against its ``options_model`` when its class
    declares one (every registered engine does; older ``module:Class`` plug-ins inherit the base
    default and take ``**options`` freely, so they are not checked). A type error on a string
    holding ``{data_root}``/``{out}`` is left out: that value is expanded when the run starts.
    """
    cls = resolve(name)
    if cls is None or not any("options_model" in vars(k) for k in cls.__mro__ if k is not Engine):
        return []
    try:
        problems = cls.option_problems(options, resolve)
    except Exception:  # a plug-in's own validator that raises instead of reporting: construction shows it
        return []
    return [p if p.engine else replace(p, engine=name) for p in problems if not _placeholder(p)]


_TYPE_NAMES = {type(None): "none", Any: "any", dict: "mapping", list: "list"}


def _type_doc(t: Any) -> str:
    origin, args = get_origin(t), get_args(t)
    if origin is Annotated:
        return _type_doc(args[0])
    if origin in (Union, types.UnionType):
        return " or ".join(_type_doc(a) for a in args if a is not type(None))
    if origin is Literal:
        return " / ".join(f"`{a}`" for a in args)
    if origin in (list, tuple, set, frozenset):
        return f"list of {_type_doc(args[0])}" if args else "list"
    if origin is dict:
        return "mapping"
    if isinstance(t, type) and issubclass(t, BaseModel):
        return "`{" + ", ".join(t.model_fields) + "}`"
    return _TYPE_NAMES.get(t) or getattr(t, "__name__", str(t))


def _default_doc(info: Any) -> str:
    if info.default is PydanticUndefined and info.default_factory is None:
        return "required"
    value = info.default_factory() if info.default_factory is not None else info.default
    if value is None:
        return "none"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, str | dict | list):
        return f"`{value}`" if value != "" else '`""`'
    return repr(value)


_BOUNDS = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}


def _bounds_doc(info: Any) -> str:
    marks = [f"{sign} {getattr(m, key)}" for m in info.metadata for key, sign in _BOUNDS.items() if hasattr(m, key)]
    return f", {' and '.join(marks)}" if marks else ""


def options_table(model: type[BaseModel]) -> str:
    """A markdown table of a model's fields (option, type, default, description); docs/engines.md
    embeds one per engine, and a test keeps them equal."""
    if not model.model_fields:
        return "No options: any option given is an error."
    rows = ["| option | type | default | description |", "|---|---|---|---|"]
    for name, info in model.model_fields.items():
        kind = _type_doc(info.annotation) + _bounds_doc(info)
        cells = [f"`{name}`", kind, _default_doc(info), info.description or ""]
        rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(rows)


# ---- the engine ------------------------------------------------------------------------


class Engine(ABC):
    """Answer a batch of requests.

    ``batches_itself`` tells the run layer whether to hand over many requests at once
    (transformers, servers) or to call per request; either way, one request's failure is
    reported in its ``Completion.error`` and never raises out of ``generate``.

    ``options_model`` declares the options ``__init__(model, **options)`` accepts; an engine
    reads them with ``self.parse_options(options)``.
    """

    name: str = "engine"
    batches_itself: bool = False
    reads_prompt: bool = True  # False: the engine works from ``Request.facts`` only (no rendering)
    needs_images: bool = True  # False: the run layer skips decoding pixels for this engine
    inline: bool = False  # True: cheap and CPU-bound; the run layer calls it without an event loop
    options_model: ClassVar[type[BaseModel]] = EngineOptions

    @classmethod
    def parse_options(cls, options: Mapping[str, Any]) -> Any:
        """``options`` validated by ``options_model``; ``EngineError`` naming each bad option otherwise."""
        try:
            return cls.options_model.model_validate(dict(options))
        except ValidationError as exc:
            problems = _problems(cls.options_model, exc)
            raise EngineError(options_message(cls.name, cls.options_model, problems)) from None

    @classmethod
    def option_problems(cls, options: Mapping[str, Any], resolve: Resolve | None = None) -> list[OptionProblem]:
        """Every problem of ``options`` (empty when they validate). Engines that hold engine specs
        add their inner engines' problems when given ``resolve``, so the config check reaches them."""
        try:
            cls.options_model.model_validate(dict(options))
        except ValidationError as exc:
            return _problems(cls.options_model, exc)
        return []

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
