"""Judging one transition claim against one measure of both poses, by its mode.

The evidence rules of ``pose.checker`` (its docstring has them): a change needs the part's
``still`` threshold the claimed way, a keep or negation is contradicted only by a full ``change``
threshold, and a hand carried by the torso's lean or a height moved by its own joint's bend is no
evidence either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hoiscribe.core.verdicts import CONTRADICTED, SUPPORTED, UNVERIFIABLE
from hoiscribe.geometry.paircodes import change_threshold, comparable, still_threshold
from hoiscribe.pose.transition_parse import Statement


@dataclass(frozen=True, slots=True)
class TransitionClaim:
    """One checked claim; ``measure`` and ``direction`` say what it asserts of the keypoints.

    ``span`` is the (start, end) character range of ``text`` in the checked text."""

    text: str
    part: str
    side: str | None
    direction: str
    measure: str | None
    status: str
    reason: str = ""
    type: str | None = None
    span: tuple[int, int] | None = None
    mode: str = "change"


@dataclass(frozen=True, slots=True)
class _Ask:
    """What one claim asks of one measure: move ``sign``-ward (change / negated) or stay (keep)."""

    st: Statement
    text: str
    part: str
    side: str | None
    measure: str
    sign: int  # +1 / -1; 0 for a keep with no stated state


def _unverifiable(st: Statement, text: str, part: str, side: str | None, why: str) -> TransitionClaim:
    return TransitionClaim(text, part, side, st.direction or "", None, UNVERIFIABLE, why, None, (st.start, st.end),
                           st.mode)  # fmt: skip


def _claim(a: _Ask, status: str, why: str = "", kind: str | None = None) -> TransitionClaim:
    return TransitionClaim(a.text, a.part, a.side, a.st.direction or "", a.measure, status, why, kind,
                           (a.st.start, a.st.end), a.st.mode)  # fmt: skip


def _verdict(a: _Ask, ref: dict[str, Any], tgt: dict[str, Any]) -> TransitionClaim:
    """Judge one ask by its mode (see the module docstring)."""
    m = a.measure
    if not comparable(ref, tgt, m):
        return _claim(a, UNVERIFIABLE, f"{m} not measurable")
    delta = float(tgt[m]) - float(ref[m])
    still, change = still_threshold(m), change_threshold(m)
    mode = a.st.mode
    if mode in ("keep", "negated") and m.endswith("_height") and _bent_with(m, ref, tgt):
        return _claim(a, UNVERIFIABLE, f"{m} moves with the bend of its limb's joint")
    if mode in ("keep", "negated") and m.endswith("_hand_height") and _leaned(ref, tgt) and abs(delta) < 2 * change:
        return _claim(a, UNVERIFIABLE, f"{m} moves with the lean of the torso it hangs from")
    if mode == "keep":
        against = abs(delta) if a.sign == 0 else -a.sign * delta
        if against >= change:
            return _claim(a, CONTRADICTED, f"{m} changes by {delta:+.2f} (a stated change is {change})", "keep")
        return _claim(a, SUPPORTED if abs(delta) < still or a.sign else UNVERIFIABLE)
    moved = a.sign * delta
    if mode == "negated":
        if moved >= change:
            return _claim(a, CONTRADICTED, f"{m} does make this move ({moved:+.2f} the named way)", "negation")
        return _claim(a, SUPPORTED)
    if moved >= still and not _lean_carried(a, moved, ref, tgt):
        return _claim(a, SUPPORTED)
    if (
        a.st.stative
        and moved > -change
        and (  # "Arms: down", "left leg straight": a state, maybe unchanged
            _rest_state(m, a.sign, tgt) or (m.endswith("_hand_height") and _leaned(ref, tgt))
        )
    ):
        return _claim(a, UNVERIFIABLE, f"{m} moves no stated amount, and the stated state ({a.st.direction}) holds")
    other = None
    if a.side is not None:
        other_measure = m.replace(a.side, "right" if a.side == "left" else "left", 1)
        if comparable(ref, tgt, other_measure):
            other = a.sign * (float(tgt[other_measure]) - float(ref[other_measure]))
    if other is not None and other >= still:
        return _claim(a, CONTRADICTED, f"the other side's {a.part} made this move ({m}: {moved:+.2f} the claimed way)",
                      "side")  # fmt: skip
    if moved <= -still:
        return _claim(a, CONTRADICTED, f"{m} moved the other way ({moved:+.2f} the claimed way)", "direction")
    if a.st.soft and moved >= still / 2:  # "a bit" is some move: none at all is still a claim too many
        return _claim(a, UNVERIFIABLE, f"{m} moves a little ({moved:+.2f}) and the text says 'slightly'")
    if moved >= still:  # only the lean carried it (``_lean_carried``)
        return _claim(a, CONTRADICTED, f"{m} moves only with the lean of the torso ({moved:+.2f})", "no_change")
    return _claim(a, CONTRADICTED, f"{m} barely changes ({moved:+.2f}, under {still})", "no_change")


def _delta(ref: dict[str, Any], tgt: dict[str, Any], m: str) -> float | None:
    return float(tgt[m]) - float(ref[m]) if comparable(ref, tgt, m) else None


def _rest_state(measure: str, sign: int, tgt: dict[str, Any]) -> bool:
    """The target holds a resting state a verbless clause names: a hand or foot down, a joint straight, the
    feet together or apart."""
    value = float(tgt[measure])
    if measure == "feet_gap":  # "feet together" (within a hip width or so), "feet apart" (not touching)
        return value < 0.5 if sign < 0 else value > 0.15
    if sign < 0 and measure.endswith("_hand_height"):
        return value < -0.3  # the wrist well below the shoulder
    if sign < 0 and measure.endswith("_foot_height"):
        return value < -1.0  # the ankle a leg's length below the hip
    return sign > 0 and measure.endswith("_angle") and value > 130.0  # "left leg straight", a relaxed arm


def _lean_carried(a: _Ask, moved: float, ref: dict[str, Any], tgt: dict[str, Any]) -> bool:
    """A hand that rose or sank less than a stated change while the torso leaned a stated amount and its elbow
    kept its bend: the lean carried it ("the right arm is lifted" of a hand the lean tipped up); 'slightly'
    and verbless states ("arms down") are left to the other rules."""
    if not a.measure.endswith("_hand_height") or a.st.soft or a.st.stative or moved >= change_threshold(a.measure):
        return False
    return _leaned(ref, tgt) and not _bent_with(a.measure, ref, tgt)


def _leaned(ref: dict[str, Any], tgt: dict[str, Any]) -> bool:
    """The torso leans by a stated-size change: an arm that keeps its place on the body swings with it."""
    m = "lean_image"
    return comparable(ref, tgt, m) and abs(float(tgt[m]) - float(ref[m])) >= change_threshold(m)


def _bent_with(measure: str, ref: dict[str, Any], tgt: dict[str, Any]) -> bool:
    """A hand or foot height that a stated-size bend of its own elbow or knee moves ("squat with feet
    flat": the hips drop and the ankle rises relative to them)."""
    side, limb = measure.split("_")[:2]
    joint = f"{side}_{'elbow' if limb == 'hand' else 'knee'}_angle"
    if not comparable(ref, tgt, joint):
        return False
    return abs(float(tgt[joint]) - float(ref[joint])) >= change_threshold(joint)
