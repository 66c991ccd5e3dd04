"""The HOI text task type: facts from a HICO/COCO sample, the claim checker, the pair's boxes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from hoiscribe.hoi_text.facts import packed_facts, sample_facts
from hoiscribe.tasks.base import Task


@dataclass(frozen=True)
class HOITextTask(Task):
    """describe / refine / examine: one person (and interaction) of a ``Sample``."""

    checked: bool = True  # its output is prose the grounding checker verifies

    def facts(self, sample: Any) -> dict[str, Any]:
        return sample_facts(sample)

    def facts_packed(self, data: list[Any]) -> dict[str, Any] | None:
        return packed_facts(data)

    def mark_image(self, image: Any, sample: Any) -> Any:
        from hoiscribe.hoi_text.marks import draw_pair_boxes

        return draw_pair_boxes(image, sample)

    def check(self, output: Any, facts: dict[str, Any], extractor: Any = None) -> Any:
        """The rule tier, or with ``extractor`` (an Engine) the claim-extraction tier (rule tier on failure)."""
        if not self.checked:
            return None
        from hoiscribe.hoi_text.checker import check_text

        text = output if isinstance(output, str) else json.dumps(output)
        if extractor is None:
            return check_text(text, facts)
        from hoiscribe.hoi_text.extractor import check_with_extractor

        return check_with_extractor(text, facts, extractor)

    @property
    def checkable(self) -> bool:
        return self.checked
