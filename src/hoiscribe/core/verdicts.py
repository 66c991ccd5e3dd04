"""What a claim checker returns: each claim of a text labelled supported, contradicted or unverifiable.

Shared by every feature's checker (HOI descriptions, pose transitions), so stages, the
reflection loop and the report read one shape whatever the task.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

SUPPORTED, CONTRADICTED, UNVERIFIABLE = "supported", "contradicted", "unverifiable"


@dataclass(frozen=True, slots=True)
class Claim:
    text: str
    kind: str
    status: str
    reason: str = ""
    type: str | None = None


@dataclass
class GroundingReport:
    claims: list[Claim] = field(default_factory=list)

    @property
    def contradicted(self) -> list[Claim]:
        return [c for c in self.claims if c.status == CONTRADICTED]

    def as_dict(self) -> dict[str, Any]:
        counts = Counter(c.status for c in self.claims)
        return {
            "supported": counts[SUPPORTED],
            "contradicted": counts[CONTRADICTED],
            "unverifiable": counts[UNVERIFIABLE],
            "contradictions": [{"claim": c.text, "type": c.type, "why": c.reason} for c in self.contradicted],
        }
