"""The transformers engine: any registered VLM family (or the generic image-text-to-text
path) on local weights, batched with left padding.

Images are decoded and fitted to the model's pixel budget in worker threads while earlier
batches generate. Requests are batched only with others that share their sampling
parameters, so a batch is exactly what one-at-a-time generation would have been, padded.
A request that fails (bad image, too many images, prompt too long) becomes an error
completion; a batch that fails is retried request by request so only the culprit fails.
"""

from __future__ import annotations

import hashlib
import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from PIL import Image
from pydantic import Field, PlainValidator

from hoiscribe.engines.base import AtLeast1, Completion, Engine, EngineError, EngineOptions, ImagePart, Request
from hoiscribe.engines.families import Family, detect_family, read_model_config
from hoiscribe.engines.images import DEFAULT_MAX_IMAGE_PIXELS, ImageError, fit_size, prepare_image
from hoiscribe.engines.json_decoding import JsonConstraints, schema_key

log = logging.getLogger(__name__)


def _device_map(value: Any) -> Any:
    if value is None or (isinstance(value, str | int | dict) and not isinstance(value, bool)):
        return value
    raise ValueError("expected a device ('cuda', 'auto'), a device index or a {module: device} mapping")


class TransformersOptions(EngineOptions):
    """Options of the transformers engine (validated without importing torch)."""

    model_family: str | None = Field(
        None,
        description="a registered family, or `auto` for the generic `AutoModelForImageTextToText` path; none: "
        "detected from `config.json`",
    )
    torch_dtype: str | None = Field(
        "auto", description="`bfloat16`, `float16`, `float32` or `auto` (the checkpoint's own dtype)"
    )
    device_map: Annotated[str | int | dict[str, Any] | None, PlainValidator(_device_map)] = Field(
        None, description="passed to `from_pretrained` (`cuda`, `auto`, an index, a mapping); none: CPU"
    )
    max_pixels: int | None = Field(
        None,
        description="pixel budget per image; images are resized to it (aspect kept) before the processor sees "
        "them, and Qwen processors receive it as their pixel range; none: the model's own",
    )
    batch_size: AtLeast1 = Field(
        8, description="requests per `generate` call; only requests with the same sampling share a batch"
    )
    max_images: int = Field(8, description="images allowed in one request; a request with more fails on its own")
    max_image_pixels: int = Field(
        DEFAULT_MAX_IMAGE_PIXELS,
        gt=0,
        description="images whose header claims more pixels are refused before decoding (a decompression bomb); "
        "the request fails on its own",
    )
    image_workers: AtLeast1 = Field(2, description="threads that decode and resize images while batches generate")
    attn_implementation: str | None = Field(None, description="passed to `from_pretrained`")
    num_threads: int | None = Field(None, description="`torch.set_num_threads`, when given")
    json_decoding: Literal["constrained", "free"] = Field(
        "constrained",
        description="`constrained`: a request with a JSON schema decodes under it (outlines-core masks every token "
        "the schema cannot accept), so its answer parses unless it runs out of tokens; `free`: plain decoding, "
        "parsed afterwards",
    )


@dataclass(slots=True)
class _Prepared:
    """One request made ready for the processor, or the reason it cannot be."""

    index: int
    request: Request
    prompt: str = ""
    images: list[Image.Image] = field(default_factory=list)
    error: str | None = None
    prepare_s: float = 0.0


class TransformersEngine(Engine):
    """Local VLM generation through transformers, one family registry for all models."""

    name = "transformers"
    batches_itself = True
    options_model = TransformersOptions

    def __init__(self, model: str | None = None, **options: Any) -> None:
        opts: TransformersOptions = self.parse_options(options)
        if not model:
            raise EngineError("transformers engine needs a model folder (model=PATH)")
        try:
            import torch
            import transformers  # noqa: F401
        except ModuleNotFoundError as exc:
            raise EngineError(
                f"engine 'transformers' needs the package {exc.name!r}. Install it with: pip install 'hoiscribe[hf]'"
            ) from exc
        from hoiscribe.engines import hfload

        self.model_dir = Path(model).expanduser()
        config = read_model_config(self.model_dir)
        self.model_type: str = config.get("model_type", "")
        self.options = opts
        self.family: Family = detect_family(self.model_dir, opts.model_family)
        if opts.num_threads:
            torch.set_num_threads(opts.num_threads)
        hfload.check_processor_files(self.model_dir)
        self.processor = hfload.load_processor(self.model_dir, self.model_type)
        self.tokenizer = getattr(self.processor, "tokenizer", None)
        if self.tokenizer is None:
            raise EngineError(f"model {model!r}: its processor has no tokenizer")
        self.tokenizer.padding_side = "left"
        if self.tokenizer.pad_token is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        if not (getattr(self.processor, "chat_template", None) or self.tokenizer.chat_template):
            raise EngineError(f"model {model!r} has no chat template (chat_template.jinja)")
        self.dtype_name = opts.torch_dtype or "auto"
        self.model = hfload.load_model(
            self.model_dir,
            self.family,
            self.model_type,
            torch_dtype=self.dtype_name,
            device_map=opts.device_map,
            attn_implementation=opts.attn_implementation,
        )
        self.max_pixels = opts.max_pixels or self._default_budget()
        self.batch_size = opts.batch_size
        self.max_images = opts.max_images
        self.max_image_pixels = opts.max_image_pixels
        self._pool = ThreadPoolExecutor(opts.image_workers, "hoiscribe-img")
        self._eos_ids = self._collect_eos_ids()
        self._json = JsonConstraints(self.tokenizer) if opts.json_decoding == "constrained" else None
        self._fingerprint = self._make_fingerprint()

    # ---- identity and budgets -------------------------------------------------------

    def _default_budget(self) -> int:
        """The model's own pixel budget read from its image processor."""
        ip = getattr(self.processor, "image_processor", None)
        size = dict(getattr(ip, "size", None) or {})
        if self.family.budget == "qwen":
            return int(size.get("longest_edge") or getattr(ip, "max_pixels", 0) or 28 * 28 * 1280)
        edges = [v for v in size.values() if isinstance(v, int | float)]
        crop = getattr(ip, "crop_size", None) or {}
        edges += [v for v in dict(crop).values() if isinstance(v, int | float)]
        edge = max(edges) if edges else 768
        if self.family.budget == "longest_edge":
            return int(edge * edge)
        return int((2 * edge) ** 2)  # fixed-size towers: leave room for any-resolution tiling

    def _make_fingerprint(self) -> str:
        h = hashlib.sha256((self.model_dir / "config.json").read_bytes())
        for p in sorted(self.model_dir.glob("*.safetensors")) + sorted(self.model_dir.glob("*.bin")):
            h.update(f"{p.name}:{p.stat().st_size}".encode())
        return (
            f"transformers:{self.family.name}:{self.model_dir.name}:{h.hexdigest()[:12]}:px{self.max_pixels}"
            f":json-{self.options.json_decoding}"
        )

    def fingerprint(self) -> str:
        return self._fingerprint

    def _collect_eos_ids(self) -> set[int]:
        ids: set[int] = set()
        gen = getattr(self.model, "generation_config", None)
        for value in (getattr(gen, "eos_token_id", None), self.tokenizer.eos_token_id):
            if isinstance(value, int):
                ids.add(value)
            elif isinstance(value, list | tuple):
                ids.update(int(v) for v in value)
        return ids

    def input_size(self, width: int, height: int) -> tuple[int, int]:
        """(width, height) of the image as the model sees it: the frame of Qwen2.5-VL's
        absolute box coordinates (our budget fit, then the processor's own rounding)."""
        w, h = fit_size(width, height, self.max_pixels)
        if self.family.budget != "qwen":
            return w, h
        from transformers.models.qwen2_vl.image_processing_pil_qwen2_vl import smart_resize

        ip = self.processor.image_processor
        size = self._qwen_size()
        factor = int(ip.patch_size) * int(ip.merge_size)
        rh, rw = smart_resize(h, w, factor=factor, min_pixels=size["shortest_edge"], max_pixels=size["longest_edge"])
        return rw, rh

    def _qwen_size(self) -> dict[str, int]:
        """Qwen processors take a pixel range; its top is our budget, so both resizes agree."""
        size = dict(getattr(self.processor.image_processor, "size", None) or {})
        low = int(size.get("shortest_edge") or 56 * 56)
        return {"shortest_edge": min(low, self.max_pixels), "longest_edge": self.max_pixels}

    # ---- preparation ------------------------------------------------------------------

    def _chat(self, request: Request) -> list[dict[str, Any]]:
        chat = []
        for message in request.messages:
            parts: list[dict[str, Any]] = []
            for part in message.content:
                if isinstance(part, ImagePart):
                    parts.append({"type": "image"})
                else:
                    parts.append({"type": "text", "text": part})
            chat.append({"role": message.role, "content": parts})
        return chat

    def _prepare(self, index: int, request: Request) -> _Prepared:
        start = time.perf_counter()
        item = _Prepared(index, request)
        label = request.request_id or f"#{index}"
        try:
            parts = [p for m in request.messages for p in m.images]
            if len(parts) > self.max_images:
                raise ImageError(f"{len(parts)} images exceed the budget of {self.max_images} per request")
            item.images = [prepare_image(p, self.max_pixels, self.max_image_pixels) for p in parts]
            template_owner = self.processor if getattr(self.processor, "chat_template", None) else self.tokenizer
            item.prompt = template_owner.apply_chat_template(
                self._chat(request), add_generation_prompt=True, tokenize=False
            )
        except ImageError as exc:
            item.error = f"request {label}: {exc}"
        except Exception as exc:  # a template error must not stop the batch
            item.error = f"request {label}: cannot render prompt ({type(exc).__name__}: {exc})"
        item.prepare_s = time.perf_counter() - start
        return item

    # ---- generation -------------------------------------------------------------------

    def generate(self, requests: list[Request]) -> list[Completion]:
        futures: list[Future[_Prepared]] = [self._pool.submit(self._prepare, i, r) for i, r in enumerate(requests)]
        results: list[Completion | None] = [None] * len(requests)
        groups: dict[tuple, list[int]] = {}
        for i, r in enumerate(requests):
            s = r.sampling
            has_images = any(m.images for m in r.messages)
            schema = schema_key(r.json_schema) if self._json is not None else None
            key = (s.temperature, s.top_p, s.max_tokens, s.seed, tuple(s.stop), has_images, schema)
            groups.setdefault(key, []).append(i)
        for indices in groups.values():
            for start in range(0, len(indices), self.batch_size):
                chunk = [futures[i].result() for i in indices[start : start + self.batch_size]]
                for item in chunk:
                    if item.error:
                        results[item.index] = self._failed(item.error)
                ready = [item for item in chunk if not item.error]
                if ready:
                    for item, completion in zip(ready, self._run_safely(ready), strict=True):
                        results[item.index] = completion
        return [c if c is not None else self._failed("internal: no completion") for c in results]

    def _failed(self, error: str, transient: bool = False) -> Completion:
        return Completion(
            text="", finish_reason="error", fingerprint=self._fingerprint, error=error, transient=transient
        )

    def _run_safely(self, items: list[_Prepared]) -> list[Completion]:
        """A batch, or on failure each request alone so one bad request fails by itself."""
        try:
            return self._run_batch(items)
        except Exception as exc:
            if len(items) > 1:
                log.warning("batch of %d failed (%s); retrying one request at a time", len(items), exc)
                return [self._run_safely([item])[0] for item in items]
            label = items[0].request.request_id or f"#{items[0].index}"
            transient = _is_oom(exc)
            return [self._failed(f"request {label}: generation failed ({type(exc).__name__}: {exc})", transient)]

    def _run_batch(self, items: list[_Prepared]) -> list[Completion]:
        import torch

        sampling = items[0].request.sampling
        kwargs: dict[str, Any] = {
            "text": [it.prompt for it in items],
            "padding": True,
            "return_tensors": "pt",
        }
        if any(it.images for it in items):
            kwargs["images"] = (
                [it.images for it in items] if self.family.nested_images else [im for it in items for im in it.images]
            )
            if self.family.budget == "qwen":
                kwargs["size"] = self._qwen_size()
        start = time.perf_counter()
        inputs = self.processor(**kwargs)
        inputs = inputs.to(self.model.device)
        limit = getattr(self.model.config.get_text_config(), "max_position_embeddings", None)
        prompt_len = int(inputs["input_ids"].shape[1])
        if limit and prompt_len + sampling.max_tokens > limit:
            raise ValueError(f"prompt of {prompt_len} tokens + {sampling.max_tokens} new exceeds context {limit}")
        gen_kwargs: dict[str, Any] = {
            "max_new_tokens": sampling.max_tokens,
            "pad_token_id": self.tokenizer.pad_token_id,
        }
        if sampling.temperature > 0:
            torch.manual_seed(sampling.seed)
            gen_kwargs.update(do_sample=True, temperature=sampling.temperature, top_p=sampling.top_p)
        else:
            gen_kwargs.update(do_sample=False, temperature=None, top_p=None, top_k=None)
        schema = items[0].request.json_schema
        if self._json is not None and schema is not None:
            from transformers import LogitsProcessorList

            gen_kwargs["logits_processor"] = LogitsProcessorList([self._json.processor(schema)])
        prep_s = time.perf_counter() - start
        with torch.inference_mode():
            output = self.model.generate(**inputs, **gen_kwargs)
        gen_s = time.perf_counter() - start - prep_s
        new_tokens = output[:, prompt_len:].tolist()
        mask = inputs["attention_mask"].sum(dim=1).tolist()
        completions = []
        for item, tokens, n_prompt in zip(items, new_tokens, mask, strict=True):
            completions.append(self._completion(item, tokens, int(n_prompt), prep_s, gen_s, len(items)))
        return completions

    def _completion(
        self, item: _Prepared, tokens: list[int], n_prompt: int, prep_s: float, gen_s: float, batch: int
    ) -> Completion:
        sampling = item.request.sampling
        cut = next((k for k, t in enumerate(tokens) if t in self._eos_ids), None)
        if cut is not None:
            tokens, finish = tokens[: cut + 1], "stop"
        else:
            finish = "length" if len(tokens) >= sampling.max_tokens else "stop"
        text = self.tokenizer.decode(tokens, skip_special_tokens=True)
        for stop in sampling.stop:
            pos = text.find(stop)
            if stop and pos >= 0:
                text, finish = text[:pos], "stop"
        return Completion(
            text=text,
            finish_reason=finish,
            prompt_tokens=n_prompt,
            completion_tokens=len(tokens),
            timings={
                "image_prep_s": item.prepare_s,
                "processor_s": prep_s,
                "generate_s": gen_s,
                "batch_size": float(batch),
            },
            fingerprint=self._fingerprint,
        )

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self.model = None


def _is_oom(exc: BaseException) -> bool:
    return "out of memory" in str(exc).lower()
