"""JSON-schema constrained decoding for local generation, on outlines-core.

A request with a JSON schema is decoded under a logits processor that masks every token that
cannot continue a string the schema accepts, so a local model's answer parses unless it runs
out of tokens. outlines-core (the Rust index that outlines and vLLM's guided decoding use)
compiles the schema to a regex and the regex to a token-level automaton over this tokenizer's
vocabulary; xgrammar would do the same but pulls triton (about 290 MB) into a CPU install, and
lm-format-enforcer's transformers integration does not import under transformers 5.

The vocabulary is built once per engine and the automaton once per schema; each batch gets
its own processor (the processor keeps per-row state), so concurrent batches never share one.
"""

from __future__ import annotations

from typing import Any

import orjson

from hoiscribe.engines.base import EngineError

# one optional space between JSON tokens: enough for models trained on pretty-printed JSON,
# while random or weak models cannot spend their token budget on whitespace
WHITESPACE = r"[ ]?"


def schema_key(schema: dict[str, Any] | None) -> bytes | None:
    """A canonical form of a schema, so requests with equal schemas batch together."""
    return None if schema is None else orjson.dumps(schema, option=orjson.OPT_SORT_KEYS)


class JsonConstraints:
    """Logits processors that keep generation inside a JSON schema, for one tokenizer."""

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer
        self._vocabulary: Any = None
        self._indexes: dict[bytes, Any] = {}

    def processor(self, schema: dict[str, Any]) -> Any:
        """A fresh transformers logits processor for one batch under ``schema``."""
        key = schema_key(schema)
        assert key is not None
        index = self._indexes.get(key)
        if index is None:
            try:
                index = self._compile(schema)
            except EngineError as exc:
                index = exc
            self._indexes[key] = index
        if isinstance(index, EngineError):
            raise index  # a schema that does not compile fails each batch at once, without recompiling
        from outlines.backends.outlines_core import OutlinesCoreLogitsProcessor

        return OutlinesCoreLogitsProcessor(index, "torch")

    def _compile(self, schema: dict[str, Any]) -> Any:
        try:
            from outlines.backends.outlines_core import OutlinesCoreBackend
            from outlines.models.transformers import TransformerTokenizer
            from outlines_core import Index
            from outlines_core.json_schema import build_regex_from_schema
        except ModuleNotFoundError as exc:
            raise EngineError(
                f"constrained JSON decoding needs the package {exc.name!r}. Install it with: "
                "pip install 'hoiscribe[hf]' (or set the option json_decoding: free)"
            ) from exc
        try:
            regex = build_regex_from_schema(orjson.dumps(schema).decode(), WHITESPACE)
        except Exception as exc:  # outlines-core raises its own error types for unsupported schemas
            raise EngineError(f"JSON schema cannot be compiled for constrained decoding: {exc}") from exc
        if self._vocabulary is None:
            wrapped = TransformerTokenizer(self.tokenizer)
            self._vocabulary = OutlinesCoreBackend.create_outlines_core_vocabulary(
                wrapped.get_vocab(), wrapped.eos_token_id, wrapped.eos_token, wrapped.convert_token_to_string
            )
        return Index(regex, self._vocabulary)
