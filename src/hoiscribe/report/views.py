"""Per-task views: how a feature's rows look in the gallery, read from a plain-data hook.

A task named in ``catalog.REPORT_VIEWS`` has a hook in its feature package
(``pose/report_view.py``, ``expressions/report_view.py``, ``agent/report_view.py``)::

    report_view(record, row, image_records) -> dict

``record`` is the sample's seed record, ``row`` the stage's final row (any status),
``image_records`` the records of every sample of the run naming the same ``file_name``
(the sample's own record first). The hook returns plain data (features never import the
report), read here into typed, sanitised views; every key is optional:

``pictures``   ``[{"label", "file", "size": [w, h], "keypoints": [51 floats], "boxes": [{"box", "role", "label"}]}]``;
               ``file`` is relative to the run's data root, None for the record's own image;
               ``role``: human / object / chosen / other / reference
``sections``   ``[{"title", "checked": bool, "lines": [str | {"text", "tag", "marks": [{"claim", "kind", "note"}]}]}]``;
               the checker's contradicted claims are marked in ``checked`` sections
``checker``    ``{"title", "supported", "contradicted", "unverifiable",
               "claims": [{"claim", "status", "type", "why"}]}`` (counts default to the claims')
``group``, ``group_name``  the sample's class for the filter and the pass-rate chart
``outcome``    the output's own status (``solved``, ``answered``, ...), counted per stage
``passed``     False when the output fails the feature's own criterion (the report also
               requires an ok row and no contradicted claim)
``texts``      the stage's main texts, for the length chart
``tallies``    ``{chart title: {label: count}}``, summed over the run into bar charts

A hook that raises, or returns something unreadable, never stops the report: the stage
falls back to its raw output with the error shown.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hoiscribe.catalog import REPORT_VIEWS
from hoiscribe.core.verdicts import CONTRADICTED, SUPPORTED, UNVERIFIABLE
from hoiscribe.report.draw import record_box
from hoiscribe.report.highlight import PROBLEM, Mark

ROLES = ("human", "object", "chosen", "other", "reference")
STATUSES = (SUPPORTED, CONTRADICTED, UNVERIFIABLE)
MAX_TEXT = 4000  # characters of one line or claim; longer model text is cut, not the page
MAX_ITEMS = 200  # lines per section, claims per checker, boxes per picture

Hook = Callable[[dict[str, Any], dict[str, Any], list[dict[str, Any]]], Any]


@dataclass(frozen=True, slots=True)
class BoxSpec:
    box: tuple[float, float, float, float]
    role: str
    label: str = ""


@dataclass(frozen=True)
class PictureSpec:
    label: str = ""
    file: str | None = None  # relative to the data root; None: the record's own image
    size: tuple[int, int] | None = None  # (width, height) the coordinates refer to
    keypoints: list[Any] | None = None  # COCO-17 flat [x, y, v] * 17
    boxes: tuple[BoxSpec, ...] = ()


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    tag: str = ""
    marks: tuple[Mark, ...] = ()


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[Line, ...]
    checked: bool = False


@dataclass(frozen=True, slots=True)
class CheckClaim:
    claim: str
    status: str
    type: str = ""
    why: str = ""


@dataclass(frozen=True)
class Checker:
    title: str
    claims: tuple[CheckClaim, ...]
    supported: int
    contradicted: int
    unverifiable: int


@dataclass
class TaskView:
    """What a feature's hook said about one row, sanitised."""

    pictures: list[PictureSpec] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    checker: Checker | None = None
    group: str | None = None
    group_name: str = ""
    outcome: str | None = None
    passed: bool | None = None
    texts: list[str] = field(default_factory=list)
    tallies: dict[str, dict[str, int]] = field(default_factory=dict)
    error: str | None = None

    @property
    def contradictions(self) -> list[dict[str, Any]]:
        """Contradicted claims in the grounding layout (``claim``, ``type``, ``why``)."""
        if self.checker is None:
            return []
        return [{"claim": c.claim, "type": c.type or None, "why": c.why}
                for c in self.checker.claims if c.status == CONTRADICTED]  # fmt: skip


def hook_for(task: str) -> Hook | None:
    """The report view registered for ``task``, or None (the gallery's HOI view)."""
    return REPORT_VIEWS.get(task) if task in REPORT_VIEWS else None


def _text(value: Any, default: str = "") -> str:
    if value is None:
        return default
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "…"


def _count(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return max(0, int(value))


def _size(value: Any) -> tuple[int, int] | None:
    if not isinstance(value, list | tuple) or len(value) != 2:
        return None
    w, h = (_count(v) for v in value)
    return (w, h) if w and h else None


def _picture(d: Any) -> PictureSpec | None:
    if not isinstance(d, dict):
        return None
    boxes = []
    for b in (d.get("boxes") or [])[:MAX_ITEMS] if isinstance(d.get("boxes"), list) else []:
        box = record_box(b.get("box")) if isinstance(b, dict) else None
        if box is not None:
            role = b.get("role") if b.get("role") in ROLES else "other"
            boxes.append(BoxSpec(box, role, _text(b.get("label"))[:80]))
    file = d.get("file")
    keypoints = d.get("keypoints")
    return PictureSpec(
        label=_text(d.get("label")),
        file=file if isinstance(file, str) and file else None,
        size=_size(d.get("size")),
        keypoints=keypoints if isinstance(keypoints, list) else None,
        boxes=tuple(boxes),
    )


def _mark(d: Any) -> Mark | None:
    if not isinstance(d, dict) or not isinstance(d.get("claim"), str) or not d["claim"].strip():
        return None
    kind = d.get("kind") if d.get("kind") in (CONTRADICTED, PROBLEM) else PROBLEM
    return Mark(_text(d["claim"]), kind, _text(d.get("note")))


def _line(d: Any) -> Line | None:
    if isinstance(d, str):
        return Line(_text(d))
    if not isinstance(d, dict) or d.get("text") is None:
        return None
    marks = [m for m in map(_mark, d.get("marks") or [] if isinstance(d.get("marks"), list) else []) if m]
    return Line(_text(d["text"]), _text(d.get("tag")), tuple(marks))


def _section(d: Any) -> Section | None:
    if not isinstance(d, dict) or not isinstance(d.get("lines"), list):
        return None
    lines = [ln for ln in map(_line, d["lines"][:MAX_ITEMS]) if ln is not None]
    return Section(_text(d.get("title"), "output"), tuple(lines), bool(d.get("checked")))


def _checker(d: Any) -> Checker | None:
    if not isinstance(d, dict):
        return None
    claims = []
    for c in (d.get("claims") or [])[:MAX_ITEMS] if isinstance(d.get("claims"), list) else []:
        if isinstance(c, dict) and c.get("claim") is not None:
            status = c.get("status") if c.get("status") in STATUSES else UNVERIFIABLE
            claims.append(CheckClaim(_text(c["claim"]), status, _text(c.get("type")), _text(c.get("why"))))
    counts = {s: _count(d.get(s)) for s in STATUSES}
    for s in STATUSES:
        if counts[s] is None:
            counts[s] = sum(1 for c in claims if c.status == s)
    return Checker(_text(d.get("title"), "checker"), tuple(claims), counts[SUPPORTED] or 0,
                   counts[CONTRADICTED] or 0, counts[UNVERIFIABLE] or 0)  # fmt: skip


def _tallies(d: Any) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    if not isinstance(d, dict):
        return out
    for title, counts in list(d.items())[:20]:
        if isinstance(counts, dict):
            kept = {_text(k)[:80]: n for k, v in counts.items() if (n := _count(v))}
            if kept:
                out[_text(title)[:80]] = kept
    return out


def read_view(value: Any) -> TaskView:
    """A hook's answer as a ``TaskView``; anything that is not a dict becomes an error view."""
    if not isinstance(value, dict):
        return TaskView(error=f"the report view returned {type(value).__name__}, not a dict")
    pictures = [p for p in map(_picture, value.get("pictures") or [] if isinstance(value.get("pictures"), list) else [])
                if p is not None]  # fmt: skip
    sections = [s for s in map(_section, value.get("sections") or [] if isinstance(value.get("sections"), list) else [])
                if s is not None]  # fmt: skip
    texts = value.get("texts")
    passed = value.get("passed")
    group = value.get("group")
    return TaskView(
        pictures=pictures[:4],
        sections=sections,
        checker=_checker(value.get("checker")),
        group=_text(group)[:120] if group is not None and _text(group).strip() else None,
        group_name=_text(value.get("group_name"))[:40],
        outcome=_text(value.get("outcome"))[:40] or None,
        passed=passed if isinstance(passed, bool) else None,
        texts=[_text(t) for t in texts if isinstance(t, str)] if isinstance(texts, list) else [],
        tallies=_tallies(value.get("tallies")),
    )


def task_view(
    task: str, record: dict[str, Any], row: dict[str, Any], image_records: list[dict[str, Any]]
) -> TaskView | None:
    """The view of one row through its task's hook; None when the task has none."""
    try:
        hook = hook_for(task)
    except Exception as exc:  # a broken registration must not stop the report
        return TaskView(error=f"report view of {task!r} could not be loaded: {exc}")
    if hook is None:
        return None
    try:
        return read_view(hook(record, row, image_records))
    except Exception as exc:  # a feature bug shows on its card, the rest of the page stays
        return TaskView(error=f"report view of {task!r} failed: {type(exc).__name__}: {exc}")
