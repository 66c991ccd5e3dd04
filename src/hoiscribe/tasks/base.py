"""The task contract: ``build(sample, facts, prior) -> Request`` and ``parse(raw) -> output``.

A task's identity for resume is its name plus the hash of its prompt template; its parser
has a separate version, so a parser fix re-parses stored raw answers without new calls.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import jinja2

from hoiscribe.engines.base import ImagePart, Message, Request, Sampling
from hoiscribe.schema import Sample
from hoiscribe.tasks.facts import sample_facts


class ParseError(ValueError):
    """The model's answer does not have the shape the task needs; the raw text is kept."""


@cache
def template_env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("hoiscribe.tasks", "templates"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


@cache
def template_hash(name: str) -> str:
    text = resources.files("hoiscribe.tasks").joinpath("templates", name).read_text("utf-8")
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Task:
    """A prompt template plus how to read the answer. Subclasses set the class fields."""

    name: str = ""
    template: str = ""
    parser_version: str = "1"
    needs_image: bool = True
    checkable: bool = False  # its output is a description the grounding checker can verify

    def identity(self) -> str:
        return f"{self.name}:{template_hash(self.template)}"

    def render(self, facts: dict[str, Any], prior_text: str | None, feedback: str | None = None) -> str:
        return template_env().get_template(self.template).render(facts=facts, prior=prior_text, feedback=feedback)

    def build(
        self,
        sample: Sample,
        facts: dict[str, Any],
        prior_text: str | None,
        sampling: Sampling,
        image: Any = None,
        render: bool = True,
        feedback: str | None = None,
    ) -> Request:
        """One user turn: the image (when the task uses one) then the rendered prompt.

        ``render=False`` (for engines that read only facts) puts the template's identity in
        place of the text, so the request still hashes by what decides its answer.
        """
        content = self.image_parts(sample, image, render)
        content.append(self.render(facts, prior_text, feedback) if render else f"<{self.identity()}>")
        payload = dict(facts, prior_text=prior_text) if prior_text is not None else facts
        if feedback is not None:
            payload = dict(payload, feedback=feedback)
        return Request(
            task=self.name,
            messages=[Message("user", tuple(content))],
            sampling=sampling,
            json_schema=self.json_schema(),
            facts=payload,
            request_id=sample.sample_id,
        )

    def facts(self, sample: Any) -> dict[str, Any]:
        """The facts a request carries; tasks over other record types (pose pairs...) override."""
        return sample_facts(sample)

    def image_parts(self, sample: Any, image: Any, render: bool) -> list[Any]:
        """The images that open the user turn: the sample's image (already decoded when given)."""
        if self.needs_image and sample.image_path is not None:
            return [ImagePart(path=sample.image_path, image=image)]
        return []

    def check(self, output: Any, facts: dict[str, Any]) -> Any:
        """Claim-level check of a parsed answer against the facts: a report with ``contradicted``
        and ``as_dict()``, or None when the task has no checker. Default: the HOI grounding checker."""
        if not self.checkable:
            return None
        from hoiscribe.eval.grounding import check_text

        return check_text(output if isinstance(output, str) else json.dumps(output), facts)

    def json_schema(self) -> dict[str, Any] | None:
        return None

    def parse(self, raw: str) -> Any:
        """Default: non-empty text, stripped of surrounding whitespace."""
        text = raw.strip()
        if not text:
            raise ParseError("empty answer")
        return text
