"""``AgentEngine``: an inner engine plus tools, so rollouts run inside the ordinary run layer.

To the run layer it is one more engine: a request in, a completion out. Inside, each
request becomes a tool-using rollout against the inner engine; the completion's text is the
final assistant turn (what the task parses) and ``meta`` keeps the chain, which the run
layer stores in the output row. Configuration (``engine.options`` in the pipeline YAML)::

    inner: {name: openai, model: Qwen/Qwen2.5-VL-7B-Instruct, options: {...}}   # required
    tools: {detector: oracle, pose: oracle, enabled: [...]}                   # agent.toolbox.build_toolbox
    oracle: {dataset: demo, data_root: runs/demo/demo-data, split: train2015} # GT for oracle tools
    max_calls: 12
    max_turns: 6
    tool_mode: text        # text: <tool_call> blocks; openai: the server's tools API
    result_role: tool      # tool: results as tool turns; user: <tool_response> in user turns
    share_identical: true  # one rollout per identical request (HOI requests are per image)
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, WrapValidator

from hoiscribe.agent.rollout import Budget, run_rollout
from hoiscribe.agent.toolbox import build_toolbox
from hoiscribe.catalog import make_engine, read_dataset
from hoiscribe.datasets.gt_index import AnnotationIndex
from hoiscribe.engines.base import (
    Completion,
    Engine,
    EngineError,
    EngineOptions,
    EngineRef,
    EngineSpec,
    ImagePart,
    OptionProblem,
    Request,
    Resolve,
    engine_option_problems,
)
from hoiscribe.engines.batching import with_micro_batching
from hoiscribe.tools.base import ToolContext

_SHARED_KEEP = 4096  # finished rollouts remembered for identical requests


def _index_or_spec(value: Any, handler: Callable[[Any], Any]) -> Any:
    return value if isinstance(value, AnnotationIndex) else handler(value)


def _mapping(value: Any) -> Any:
    return {} if value is None else value


class AgentOptions(EngineOptions):
    """Options of the agent engine."""

    inner: EngineRef = Field(
        description="the engine the rollouts run on, `{name, model, options}`; its model defaults to the agent's"
    )
    tools: Annotated[dict[str, Any], BeforeValidator(_mapping)] = Field(
        default_factory=dict,
        description="the toolbox, `{detector, pose, enabled, ...}` as `agent.toolbox.build_toolbox` reads it",
    )
    oracle: Annotated[dict[str, Any] | None, WrapValidator(_index_or_spec)] = Field(
        None, description="ground truth for oracle tools, `{dataset, data_root, split}`"
    )
    max_calls: int = Field(12, ge=0, description="tool calls per rollout")
    max_turns: int = Field(6, ge=1, description="assistant turns per rollout")
    tool_mode: Literal["text", "openai"] = Field(
        "text", description="`text`: `<tool_call>` blocks in the reply; `openai`: the server's tools API"
    )
    result_role: Literal["tool", "user"] = Field(
        "tool", description="`tool`: results as tool turns; `user`: `<tool_response>` blocks in user turns"
    )
    share_identical: bool = Field(True, description="one rollout per identical request (HOI requests are per image)")


class AgentEngine(Engine):
    """Tool-using rollouts over any registered engine."""

    name = "agent"
    VERSION = "2"  # 2: crop/zoom/highlight share one rounding rule (tools/views.py)
    batches_itself = False
    options_model = AgentOptions

    @classmethod
    def option_problems(cls, options: Mapping[str, Any], resolve: Resolve | None = None) -> list[OptionProblem]:
        """The agent's own option problems, else those of its inner engine (under ``inner.options``)."""
        problems = super().option_problems(options)
        if problems or resolve is None:
            return problems
        inner = cls.options_model.model_validate(dict(options)).inner
        if isinstance(inner, EngineSpec):
            problems = [p.under("inner.options") for p in engine_option_problems(inner.name, inner.options, resolve)]
        return problems

    def __init__(self, model: str | None = None, **options: Any) -> None:
        opts: AgentOptions = self.parse_options(options)
        self.options = opts
        if isinstance(opts.inner, Engine):
            self.inner = opts.inner
        else:
            spec = opts.inner
            inner_model = spec.model if "model" in spec.model_fields_set else model
            built = make_engine(spec.name, inner_model, **spec.options)
            self.inner = with_micro_batching(built)  # concurrent rollouts share generate() calls
        self.tool_config = dict(opts.tools)
        try:
            self.toolbox = build_toolbox(self.tool_config)
        except (ValueError, RuntimeError) as exc:
            raise EngineError(f"agent engine: {exc}") from exc
        self.budget = Budget(opts.max_calls, opts.max_turns)
        self.tool_mode = opts.tool_mode
        self.result_role = opts.result_role
        self.share_identical = opts.share_identical
        self.oracle_spec: Any = opts.oracle
        self.index: AnnotationIndex | None = None
        if isinstance(self.oracle_spec, AnnotationIndex):
            self.index = self.oracle_spec
            self.oracle_spec = {"index": len(self.index)}
        elif isinstance(self.oracle_spec, dict):
            try:
                spec = self.oracle_spec
                read = read_dataset(spec["dataset"], spec["data_root"], spec.get("split"))
                self.index = AnnotationIndex.from_samples(read.samples)
            except (KeyError, ValueError, OSError) as exc:
                raise EngineError(f"agent engine: cannot read the oracle annotations ({exc})") from exc
        self.needs_images = getattr(self.inner, "needs_images", True)
        self._done: OrderedDict[str, Completion] = OrderedDict()
        self._pending: dict[str, asyncio.Future[Completion | None]] = {}
        spec = json.dumps([self.tool_config, self.budget.max_calls, self.budget.max_turns, self.tool_mode,
                           self.result_role], sort_keys=True, default=str)  # fmt: skip
        self._fingerprint = (
            f"agent:v{self.VERSION}:{self.inner.fingerprint()}:{hashlib.sha256(spec.encode()).hexdigest()[:12]}"
        )

    def fingerprint(self) -> str:
        return self._fingerprint

    def context(self, request: Request) -> ToolContext:
        """The tool context of one request: image, size and GT from its facts and oracle index."""
        facts = request.facts or {}
        images = [p for m in request.messages for p in m.images]
        first: ImagePart | None = images[0] if images else None
        size = facts.get("image_size")
        if not (isinstance(size, list | tuple) and len(size) == 2):
            if first is None:
                raise ValueError("request has neither facts.image_size nor an image")
            size = first.load().size
        file_name = str(facts.get("file_name") or "")
        ann = self.index.get(file_name) if self.index is not None and file_name else None
        return ToolContext(
            image_size=(int(size[0]), int(size[1])),
            image_path=first.path if first is not None else None,
            image=first.image if first is not None else None,
            file_name=file_name,
            annotation=ann,
        )

    async def _one(self, request: Request) -> Completion:
        try:
            ctx = self.context(request)
        except (ValueError, OSError) as exc:
            return Completion("", "error", error=f"agent: {exc}", fingerprint=self._fingerprint)
        return await run_rollout(self.inner, request, self.toolbox, ctx, self.budget, self.tool_mode,
                                 self.result_role)  # fmt: skip

    async def _shared_one(self, request: Request) -> Completion:
        """Identical requests (same content key) share one rollout; the first one's answer is reused."""
        if not self.share_identical:
            return await self._one(request)
        key = request.content_key()
        done = self._done.get(key)
        if done is None:
            loop = asyncio.get_running_loop()
            pending = self._pending.get(key)
            if pending is not None and pending.get_loop() is loop:
                done = await asyncio.shield(pending)
            else:
                fut: asyncio.Future[Completion | None] = loop.create_future()
                self._pending[key] = fut
                comp: Completion | None = None
                try:
                    comp = await self._one(request)
                    return comp
                finally:
                    self._pending.pop(key, None)
                    if comp is not None and comp.error is None:
                        self._done[key] = comp
                        while len(self._done) > _SHARED_KEEP:
                            self._done.popitem(last=False)
                    fut.set_result(comp)
        if done is None or done.error is not None:  # the first rollout failed: run our own
            return await self._one(request)
        meta = dict(done.meta, shared=True)
        return Completion(done.text, done.finish_reason, 0, 0, dict(done.timings), done.fingerprint, meta=meta)

    async def agenerate(self, requests: list[Request]) -> list[Completion]:
        return list(await asyncio.gather(*(self._shared_one(r) for r in requests)))

    def generate(self, requests: list[Request]) -> list[Completion]:
        return asyncio.run(self.agenerate(requests))

    def close(self) -> None:
        self.toolbox.close()
        self.inner.close()
