"""refine: 2-3 sentences aligned with the HOI label, keeping only supported claims."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from hoiscribe.hoi_text.grounded import refine
from hoiscribe.hoi_text.task import HOITextTask


@dataclass(frozen=True)
class RefineTask(HOITextTask):
    def write(self, facts: dict[str, Any], rng: random.Random) -> str:
        return refine(facts, rng)


REFINE = RefineTask(name="refine", template="refine.j2", needs_image=False, output_field="refined_description")
