"""``ExpressionWorkflowEngine``: the plan-tool-reflect workflow as one engine of the run layer.

A stage calls one engine per sample; this engine answers each request by running the whole
rollout (planner -> tools -> reflector cycles, then generation) over role engines, returns
the final structured answer as JSON text and keeps the full history in ``Completion.meta``
(stored in the output row). So batching, sharding, resume, retries and the request cache of
the run layer apply to the workflow unchanged. Load it by path::

    engine:
      name: hoiscribe.expressions.engine:ExpressionWorkflowEngine
      options:
        default: {name: grounded}                       # any role not named below
        planner: {name: openai, model: Qwen/Qwen2.5-7B-Instruct, options: {base_url: ...}}
        vqa: {name: openai, model: Qwen/Qwen2.5-VL-7B-Instruct, options: {base_url: ...}}
        rewriter: ...   reflector: ...   generator: ...   # default: the vqa engine for generator
        max_cycles: 3
        extended_margin: 0.5
        concurrency: 16                                 # rollouts in flight per engine call

Roles given the same spec share one engine instance (one model load).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import threading
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from hoiscribe.catalog import make_engine
from hoiscribe.engines.base import (
    AtLeast1,
    Completion,
    Engine,
    EngineOptions,
    EngineRef,
    EngineSpec,
    ImagePart,
    OptionProblem,
    Request,
    Resolve,
    Sampling,
    engine_option_problems,
)
from hoiscribe.engines.batching import with_micro_batching
from hoiscribe.engines.images import ImageError, probe_image
from hoiscribe.expressions.workflow import ROLE_NAMES, Roles, Rollout, Settings, TransientRoleError

_SETTINGS = ("max_cycles", "extended_margin", "max_actions", "verify_spatial")
_DEFAULTS = Settings()


def _empty_is_none(value: Any) -> Any:
    return None if value == {} else value  # ``default: {}`` has always meant the grounded default


class WorkflowOptions(EngineOptions):
    """Options of the expressions workflow engine: role engines, workflow settings, concurrency."""

    default: Annotated[EngineRef | None, BeforeValidator(_empty_is_none)] = Field(
        None, description="engine of every role not named, `{name, model, options}`; none: `grounded`"
    )
    planner: EngineRef | None = Field(None, description="planner role engine; none: `default`")
    vqa: EngineRef | None = Field(None, description="VQA role engine (looks at images); none: `default`")
    rewriter: EngineRef | None = Field(None, description="rewriter role engine; none: `default`")
    reflector: EngineRef | None = Field(None, description="reflector role engine; none: `default`")
    generator: EngineRef | None = Field(
        None, description="generator role engine (looks at images); none: the `vqa` engine, else `default`"
    )
    max_cycles: int = Field(_DEFAULTS.max_cycles, ge=1, description="planner-tools-reflector cycles per sample")
    extended_margin: float = Field(
        _DEFAULTS.extended_margin,
        ge=0,
        le=4,
        description="default margin of `extended_crop` views: the box grows by this × its size on every side",
    )
    max_actions: int = Field(_DEFAULTS.max_actions, description="planner actions run per cycle; the rest are skipped")
    verify_spatial: bool = Field(
        _DEFAULTS.verify_spatial, description="the spatial checker vetoes answers the boxes contradict"
    )
    concurrency: AtLeast1 = Field(16, description="rollouts in flight per engine call (values below 1 count as 1)")


def _spec_key(spec: EngineSpec) -> str:
    return json.dumps(spec.model_dump(), sort_keys=True, default=str)


class ExpressionWorkflowEngine(Engine):
    """Runs the referring-expression workflow per request over configurable role engines."""

    name = "expressions-workflow"
    VERSION = "2"  # 2: views crop and highlight by the shared rounding rule (tools/views.py)
    batches_itself = True  # the run layer hands over batch_size requests; their rollouts overlap
    reads_prompt = False  # it builds its role prompts from the request's facts
    needs_images = False  # it loads pixels itself, only when a role engine looks at images
    options_model = WorkflowOptions

    def __init__(self, model: str | None = None, **options: Any) -> None:
        opts: WorkflowOptions = self.parse_options(options)
        self.options = opts
        default = opts.default or EngineSpec(name="grounded", model=model)
        built: dict[str, Engine] = {}

        def engine_for(spec: EngineSpec | Engine) -> Engine:
            if isinstance(spec, Engine):
                return spec
            key = _spec_key(spec)
            if key not in built:
                engine = make_engine(spec.name, spec.model, **spec.options)
                built[key] = with_micro_batching(engine)  # concurrent samples' role calls share batches
            return built[key]

        specs = {r: getattr(opts, r) for r in ROLE_NAMES}
        if specs["generator"] is None and specs["vqa"] is not None:
            specs["generator"] = specs["vqa"]  # generation is a vision task like VQA
        self.roles = Roles(**{r: engine_for(specs[r] if specs[r] is not None else default) for r in ROLE_NAMES})
        self.settings = Settings(**{k: getattr(opts, k) for k in _SETTINGS})
        self.concurrency = opts.concurrency
        self._owned = list(built.values())

    @classmethod
    def option_problems(cls, options: Mapping[str, Any], resolve: Resolve | None = None) -> list[OptionProblem]:
        """The workflow's own option problems, else those of each role engine (under ``ROLE.options``)."""
        problems = super().option_problems(options)
        if problems or resolve is None:
            return problems
        opts = cls.options_model.model_validate(dict(options))
        for role in ("default", *ROLE_NAMES):
            spec = getattr(opts, role)
            if isinstance(spec, EngineSpec):
                inner = engine_option_problems(spec.name, spec.options, resolve)
                problems += [p.under(f"{role}.options") for p in inner]
        return problems

    def fingerprint(self) -> str:
        parts = {r: self.roles.get(r).fingerprint() for r in ROLE_NAMES}
        payload = json.dumps({"roles": parts, "settings": self.settings.as_dict()}, sort_keys=True)
        return f"expressions-workflow:v{self.VERSION}:{hashlib.sha256(payload.encode()).hexdigest()[:16]}"

    def generate(self, requests: list[Request]) -> list[Completion]:
        """Synchronous form: runs the async rollouts on a private event loop."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(self.agenerate(requests))
        out: list[list[Completion]] = []
        worker = threading.Thread(target=lambda: out.append(asyncio.run(self.agenerate(requests))))
        worker.start()
        worker.join()
        return out[0]

    async def agenerate(self, requests: list[Request]) -> list[Completion]:
        sem = asyncio.Semaphore(self.concurrency)

        async def bounded(r: Request) -> Completion:
            async with sem:
                return await self._one(r)

        return list(await asyncio.gather(*(bounded(r) for r in requests)))

    async def _one(self, request: Request) -> Completion:
        facts = request.facts
        if not facts or "target" not in facts or "objects" not in facts:
            return Completion("", "error", fingerprint=self.fingerprint(),
                              error="the expressions workflow needs expression facts (task 'expressions')")  # fmt: skip
        image_path = next(
            (p.path for m in request.messages for p in m.content if isinstance(p, ImagePart) and p.path), None
        )
        s = request.sampling
        sampling = Sampling(s.temperature, s.top_p, s.max_tokens, s.seed, s.stop)
        rollout = Rollout(facts, self.roles, self.settings, sampling, image_path, request.request_id)
        if image_path is not None and self.roles.need_pixels and os.path.exists(image_path):
            # the header only (nothing decoded): an image over the pixel cap (a decompression bomb) or in
            # no format PIL reads drops this sample with the reason; a missing file or a truncated body
            # stays the rollout's own "failed" outcome when a view first needs the pixels
            try:
                await asyncio.to_thread(probe_image, image_path)
            except ImageError as exc:
                return Completion("", "error", fingerprint=self.fingerprint(), error=str(exc))
        try:
            output, meta = await rollout.run()
        except TransientRoleError as exc:
            return Completion("", "error", fingerprint=self.fingerprint(), error=str(exc), transient=True,
                              meta=exc.meta)  # fmt: skip
        except (KeyError, TypeError, ValueError) as exc:
            return Completion("", "error", fingerprint=self.fingerprint(), error=f"bad expression facts: {exc!r}")
        text = json.dumps(output)
        return Completion(
            text,
            "stop",
            prompt_tokens=rollout.tokens["prompt"],
            completion_tokens=rollout.tokens["completion"],
            timings={"workflow_s": meta.get("seconds", 0.0)},
            fingerprint=self.fingerprint(),
            meta=meta,
        )

    def close(self) -> None:
        for engine in self._owned:
            engine.close()


WorkflowEngine = ExpressionWorkflowEngine  # the name the catalog registers (engine "expressions_workflow")
