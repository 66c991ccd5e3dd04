"""The text side shared by every tiny model family: tokenizer, chat turn format and text config.

``build_tokenizer`` trains a byte-level BPE tokenizer on a small built-in text plus a
family's special tokens, ``TurnFormat`` generates a family's chat template, and
``llama_text_config`` is the small decoder config the families start from. They are kept
apart from the per-family builders in ``hoiscribe.testing.tiny`` because they do not depend
on any family (tests build a bare tokenizer from here); ``tiny`` imports this module.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

_CORPUS = (
    "a person rides a bicycle on the street . the man holds a cup of coffee . "
    "a woman throws a frisbee to a dog in the park . describe the image in detail . "
    "the child sits on a chair and eats a sandwich . where is the person ? "
    'answer in json : {"box": [10, 20, 300, 400], "verb": "ride", "object": "bicycle"} . '
    "<think> the person is near the horse </think> <answer> ride horse </answer> "
    "left right above below near far holding kicking riding carrying 0 1 2 3 4 5 6 7 8 9"
)


@dataclass(frozen=True, slots=True)
class TurnFormat:
    """How a family writes one chat turn; the tiny chat template is generated from it."""

    turn_open: str  # "{role}" is replaced by the role name
    turn_close: str
    image: str
    generation_prompt: str
    roles: dict[str, str] = field(default_factory=dict)
    bos: str = ""

    def template(self) -> str:
        """A Jinja chat template accepting string or list-of-parts content."""
        role_map = json.dumps(self.roles or {})
        opening = self.turn_open.replace("{role}", "' + role + '")
        return (
            "{%- set roles = "
            + role_map
            + " -%}"
            + (self.bos and "{{- '" + self.bos + "' -}}")
            + "{%- for message in messages -%}"
            "{%- set role = roles.get(message['role'], message['role']) -%}"
            "{{- '" + opening + "' -}}"
            "{%- if message['content'] is string -%}{{- message['content'] -}}"
            "{%- else -%}{%- for part in message['content'] -%}"
            "{%- if part['type'] == 'image' -%}{{- '" + self.image + "' -}}"
            "{%- elif part['type'] == 'text' -%}{{- part['text'] -}}{%- endif -%}"
            "{%- endfor -%}{%- endif -%}"
            "{{- '" + self.turn_close + "' -}}"
            "{%- endfor -%}"
            "{%- if add_generation_prompt -%}{{- '" + self.generation_prompt + "' -}}{%- endif -%}"
        )


def build_tokenizer(
    special: list[str],
    eos: str,
    pad: str,
    named: dict[str, str] | None = None,
    bos: str | None = None,
    vocab_size: int = 384,
) -> Any:
    """A byte-level BPE tokenizer trained on a small text, with the family's special tokens."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    ordered = list(dict.fromkeys(special))
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size + len(ordered),
        special_tokens=ordered,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator([_CORPUS] * 4, trainer)
    kwargs: dict[str, Any] = {"eos_token": eos, "pad_token": pad}
    if bos:
        kwargs["bos_token"] = bos
    if named:
        kwargs["extra_special_tokens"] = dict(named)
    return PreTrainedTokenizerFast(tokenizer_object=tok, **kwargs)


def token_ids(tok: Any, *tokens: str) -> list[int]:
    return [tok.convert_tokens_to_ids(t) for t in tokens]


def llama_text_config(tok: Any, model_type: str = "llama", **extra: Any) -> dict[str, Any]:
    return {
        "model_type": model_type,
        "vocab_size": len(tok),
        "hidden_size": 32,
        "intermediate_size": 64,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "max_position_embeddings": 2048,
        "pad_token_id": tok.pad_token_id,
        "eos_token_id": tok.eos_token_id,
        "bos_token_id": tok.bos_token_id,
        **extra,
    }
