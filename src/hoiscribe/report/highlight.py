"""Split a stage's text into plain and marked segments, so the template can highlight claims.

Marking happens on segments (not by inserting HTML into the text), so the template's
autoescape still covers every character a model wrote.
"""

from __future__ import annotations

from dataclasses import dataclass

CONTRADICTED = "contradicted"  # the grounding checker refuted the claim
PROBLEM = "problem"  # an examiner named the claim as a problem


@dataclass(frozen=True, slots=True)
class Mark:
    claim: str
    kind: str  # CONTRADICTED or PROBLEM
    note: str  # shown as the tooltip: type and why


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    mark: Mark | None = None


def _find(haystack: str, claim: str) -> tuple[int, int] | None:
    """Case-insensitive position of a claim; retried without list bullets and end punctuation."""
    low = haystack.lower()
    bare = claim.strip().lstrip("-*• ")
    for candidate in (bare, bare.rstrip(".!?;, ")):
        needle = candidate.lower()
        if len(needle) >= 3:
            start = low.find(needle)
            if start >= 0:
                return start, start + len(needle)
    return None


def segments(text: str, marks: list[Mark]) -> list[Segment]:
    """The text as segments; a claim not found verbatim (or overlapping an earlier one) stays unmarked.

    Every claim is also listed under the text, so nothing is lost when it cannot be placed.
    """
    spans: list[tuple[int, int, Mark]] = []
    for mark in marks:
        pos = _find(text, mark.claim)
        if pos is not None and not any(pos[0] < e and s < pos[1] for s, e, _ in spans):
            spans.append((*pos, mark))
    spans.sort(key=lambda t: t[0])
    out: list[Segment] = []
    at = 0
    for start, end, mark in spans:
        if start > at:
            out.append(Segment(text[at:start]))
        out.append(Segment(text[start:end], mark))
        at = end
    if at < len(text):
        out.append(Segment(text[at:]))
    return out
