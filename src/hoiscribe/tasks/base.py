"""The task contract: ``facts(sample)``, ``build(sample, facts, prior) -> Request``, ``parse(raw)``.

A task's identity for resume is its name plus the hash of its prompt template; its parser
has a separate version, so a parser fix re-parses stored raw answers without new calls.
The base class knows no feature: facts, checks, image marks and the rule-based writer of
the grounded engine are each feature's own (``hoi_text``, ``pose``, ``expressions``, ``agent``),
and templates live in a ``templates/`` folder beside the task's module.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from hoiscribe.engines.base import ImagePart, Message, Request, Sampling

if TYPE_CHECKING:
    import jinja2


class ParseError(ValueError):
    """The model's answer does not have the shape the task needs; the raw text is kept."""


@cache
def template_env(package: str) -> jinja2.Environment:
    """Templates of one feature package (its ``templates/`` folder); jinja2 is imported by the first
    prompt rendered, not by a run whose engine reads only facts (the grounded engine)."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader(package, "templates"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


@cache
def template_hash(package: str, name: str) -> str:
    text = resources.files(package).joinpath("templates", name).read_text("utf-8")
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Task:
    """A prompt template plus how to read the answer. Features subclass it and set the fields."""

    name: str = ""
    template: str = ""
    parser_version: str = "1"
    needs_image: bool = True
    output_field: str | None = None  # field of the merged record; None: the stage's name

    @property
    def package(self) -> str:
        """The feature package whose ``templates/`` folder holds this task's prompts."""
        return type(self).__module__.rpartition(".")[0]

    def identity(self) -> str:
        return f"{self.name}:{template_hash(self.package, self.template)}"

    def templates(self) -> jinja2.Environment:
        return template_env(self.package)

    def render(self, facts: dict[str, Any], prior_text: str | None, feedback: str | None = None) -> str:
        return self.templates().get_template(self.template).render(facts=facts, prior=prior_text, feedback=feedback)

    def build(
        self,
        sample: Any,
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
        """The structured facts a request carries (what rule-based engines and checkers read)."""
        raise NotImplementedError(f"task {self.name!r} defines no facts")

    def facts_packed(self, data: list[Any]) -> dict[str, Any] | None:
        """``facts`` of a sample still packed as the spill holds it (``datasets.codec.pack``), equal to
        ``facts(unpack(data))``; None when this task cannot read it (the caller unpacks). A task that
        overrides this lets the run layer's direct path skip building ``Sample`` objects."""
        return None

    @property
    def reads_packed(self) -> bool:
        return type(self).facts_packed is not Task.facts_packed

    def image_parts(self, sample: Any, image: Any, render: bool) -> list[Any]:
        """The images that open the user turn: the sample's image (already decoded when given)."""
        if self.needs_image and sample.image_path is not None:
            return [ImagePart(path=sample.image_path, image=image)]
        return []

    def mark_image(self, image: Any, sample: Any) -> Any:
        """The image with the sample's boxes drawn (``draw_boxes``); tasks that cannot mark refuse."""
        raise ValueError(f"task {self.name!r} cannot draw boxes on its images")

    @property
    def marks_images(self) -> bool:
        """Whether ``draw_boxes`` can be set on a stage of this task."""
        return type(self).mark_image is not Task.mark_image

    def check(self, output: Any, facts: dict[str, Any]) -> Any:
        """Claim-level check of a parsed answer against the facts: a report with ``contradicted``
        and ``as_dict()``, or None when the task has no checker."""
        return None

    @property
    def checkable(self) -> bool:
        """Whether this task has a checker (its stage stores a grounding report per row)."""
        return type(self).check is not Task.check

    def write(self, facts: dict[str, Any], rng: random.Random) -> str:
        """The grounded engine's answer, from the facts alone; tasks without a rule writer refuse."""
        raise NotImplementedError(f"grounded engine has no task {self.name!r}")

    def write_packed(self, data: list[Any], rng: random.Random) -> str | None:
        """``write(facts_packed(data), rng)`` for a first stage (no input text), without the facts: the
        same text and the same draws; None (nothing drawn) when this task cannot (the caller builds facts)."""
        return None

    @property
    def writes_packed(self) -> bool:
        return type(self).write_packed is not Task.write_packed

    def json_schema(self) -> dict[str, Any] | None:
        return None

    def parse(self, raw: str) -> Any:
        """Default: non-empty text, stripped of surrounding whitespace."""
        text = raw.strip()
        if not text:
            raise ParseError("empty answer")
        return text
