"""Reading a referring expression into claims: ``parse_expression``.

The parser turns free text into the referent (the first object noun, through synonyms:
"the guy" names a person, "the mug" a cup), the claims boxes can settle (side, middle, size,
ordinal, relation to another category, nearest to another category), each with its character
span, and the words it could not explain. A claim after "not" is negated ("the cup that is not
on the left"). A claim that follows a second object noun ("the man holding the cup on the
left") may describe either object; it is marked ``attached="either"`` so the checker calls it
false only when it fits neither. Word lists live in ``spatial_words``; the geometry in
``spatial``, which imports this module, never the reverse. Where a negation, an ordinal's direction
or a side word reaches is decided in ``spatial_scope``.

Long because the reading is one left-to-right pass of many constructions; the state they share and the steps
common to all (marking words read, adding a claim with its negation and landmark, finding a landmark noun) live
in ``spatial_reading``, and split further each construction would take a dozen of its locals.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from hoiscribe.expressions import spatial_denial as denial
from hoiscribe.expressions import spatial_forms as forms_
from hoiscribe.expressions import spatial_scope as scope
from hoiscribe.expressions.spatial_absence import ANYTHING, OWNING, nobody_relation, passive_use
from hoiscribe.expressions.spatial_age import aged_forms
from hoiscribe.expressions.spatial_clauses import JOINS, OPENERS, said_of_referent, subject_clause
from hoiscribe.expressions.spatial_nouns import OPAQUE, is_opaque_noun, match, other_noun, pick, stranded
from hoiscribe.expressions.spatial_reading import Reading
from hoiscribe.expressions.spatial_standards import own_standard
from hoiscribe.expressions.spatial_types import Claim, ParsedExpression
from hoiscribe.expressions.spatial_words import (
    COMPARATIVES,
    FAR_WORDS,
    FRAME_NOUNS,
    MIDDLE_WORDS,
    NEAR_WORDS,
    NEGATORS,
    NEUTRAL_PREPS,
    ORDINALS,
    PEOPLE_ADJ_SKIP,
    PERSON_WORDS,
    PLAIN_SIDES,
    PLAIN_SIZES,
    REL,
    RELATION_PREPS,
    RELATION_WORDS,
    ROLE_TOOLS,
    SIDE_WORDS,
    SIZE_WORDS,
    STOPWORDS,
    STRICT,
    TOOL,
    TOUCH,
    hypernym_forms,
    ordinal_word,
    plural,
    tokens,
    tokens_at,
)

# comparatives name the extreme of two; among more they are graded like plain words ("the bigger cup")
_COMPARATIVE = COMPARATIVES
_GENERIC = frozenset({"object", "objects", "item", "items", "thing", "things"})
_QUEUES = frozenset({"queue", "line", "lineup", "file"})
_PILES = (["stack"], ["pile"], ["heap"], ["tower"], ["column"])
_ROWS = frozenset({"row", "rows", "shelf", "shelves", "tier", "rack", "level"})
__all__ = ["Claim", "ParsedExpression", "ordinal_word", "parse_expression", "plural", "tokens"]


_HAVE = frozenset({"has", "have", "had"})
_HAVE_NOT = frozenset({"hasn't", "haven't", "hadn't"})
_PART_OF = (["the", "hand", "of"], ["the", "hands", "of"], ["the", "back", "of"], ["the", "arms", "of"],
            ["the", "feet", "of"], ["the", "lap", "of"])  # fmt: skip


_BE = (["is"], ["are"], ["was"], ["were"])
_LINKED = frozenset({"is", "are", "was", "were", "sits", "stands", "sitting", "standing", "lies", "lying", "the"})
_LEAST = {"largest": "smallest", "smallest": "largest", "tallest": "shortest", "shortest": "tallest",
          "widest": "narrowest", "narrowest": "widest"}  # fmt: skip
_TIGHT = frozenset({"sandwiched", "squeezed", "wedged", "tucked", "right", "just", "directly", "immediately"})
_DENYING = frozenset({"no", "nobody", "noone", "neither", "none"})  # in a landmark phrase, they deny the relation


def _existential(reading: Reading, i: int) -> bool:
    """'the bench, there is no dog in front of it', 'the chair which there is nothing on', 'the chair on the right, no
    laptop on it': said of the referent as 'has no dog ...' / 'without a laptop ...'; the words are rewritten so the
    reading goes on with its own constructions (True when one was)."""
    words, toks = reading.words, reading.toks
    if words[i] == "there" and words[i + 1 : i + 2] in _BE and words[i + 2 : i + 3] != ["is"]:
        words[i + 1] = "has"
        return True
    if words[i] == "there" and toks[i].poss:  # "there's no cup on it"
        words[i] = "has"
        return True
    if words[i] == "no" and scope.boundary_before(reading.text, toks, i) and match(words, i + 1, reading.forms):
        words[i] = "without"  # ", no laptop on it"
        return True
    return False


def _stranded_spec(reading: Reading, i: int) -> dict[str, object]:
    """'the backpack that the leftmost person is wearing', 'the skis the first person stands on': what singles out
    the landmark of a reduced relative clause ending on its verb at ``i`` (its superlative or ordinal, which the
    reading took for the referent's and is dropped from it); {} when nothing does."""
    words, noun_end = reading.words, reading.last_mark["end"]
    start = next((k for k in range(noun_end - 1, -1, -1) if words[k] in ("the", "a", "an")), -1)
    if start < 0 or not reading.referent or noun_end > i:
        return {}
    spec = scope.landmark_spec(words, start, noun_end)
    if spec is None or spec[0].startswith(TOOL):
        return {}
    lo, hi = reading.toks[start].start, reading.toks[max(noun_end, spec[2]) - 1].end
    reading.claims[:] = [c for c in reading.claims if not (lo <= c.start and c.end <= hi)]
    return {"mark_extreme": spec[0], "mark_rank": spec[1]}


def parse_expression(text: str, categories: list[str] | tuple[str, ...]) -> ParsedExpression:
    """Claims of an expression; ``categories`` are the categories present in the image."""
    reading = Reading(text, tokens_at(text), set(categories))
    toks, words, n, cats, forms = reading.toks, reading.words, reading.n, reading.cats, reading.forms
    claims, used, landmarks, unchecked = reading.claims, reading.used, reading.landmarks, reading.unchecked
    negation, last_mark = reading.negation, reading.last_mark
    take, add, landmark_after, in_phrase_after_head = (
        reading.take, reading.add, reading.landmark_after, reading.in_phrase_after_head)  # fmt: skip
    referent: str | None = None
    options: frozenset[str] = frozenset()
    ref_span: tuple[int, int] | None = None
    general = headless = False
    ranked: dict[str, int | None] = {"rank": None, "at": -9}  # an ordinal before "closest"
    pending = {"side": ""}  # a direction read before its ordinal
    quantified = False  # "any cup but the leftmost", "all cups except ...": an exclusion follows
    anchored = False  # a head without a kind ("the one ...") stands for the referent
    one_at = -9  # where that head is: a noun right after it names the referent ("the one cup"), a later one not

    for a, b in scope.counting_sweeps(words):  # "from left to right": only the start of the count is a claim
        take(a, b)
        if words[a - 2] != "from" and words[a - 2] != "the":
            words[a - 2] = "from"  # "counting left to right": counted from the left
    i = 0
    seen = 0
    has_other = "other" in words
    while i < n:
        if len(landmarks) != seen:  # the previous step read a landmark that ends here
            seen, last_mark["end"] = len(landmarks), i
        t = words[i]
        if t in ("one", "ones") and referent is None and scope.head_one(words, i):
            anchored, one_at = True, i  # "the one with no helmet", "the one next to the dog": kind unnamed
        if used[i]:
            i += 1
            continue
        at = i + (t in JOINS)
        sub = subject_clause(reading, at) if referent is not None and at < n and words[at] in OPENERS else None
        if sub is not None and not sub.kind:  # "; the other sheep is further right": said of that one
            take(i, sub.stop)
            unchecked.append(" ".join(words[i : sub.stop]))
            i = sub.stop
            continue
        if sub is not None:  # "; a sheep grazes in front of it", "and the dog is not beside it": "with X ..."
            if sub.denied:
                negation.update(until=i, at=i, start=toks[i].start)
            spec = scope.landmark_spec(words, i + (t in JOINS) - 1, sub.noun_end) or (None, None, 0)
            whose = "referent" if said_of_referent(reading, i, sub) else "either"
            add(sub.kind, sub.value, i, sub.stop, landmark=sub.landmark, strict=sub.strict,  # type: ignore[arg-type]
                mark_extreme=spec[0], mark_rank=spec[1], attached=whose)  # fmt: skip
            landmarks.append(sub.landmark)
            i = sub.stop
            continue
        others = scope.said_of_others(text, toks, words, i, forms, options) if has_other else 0
        if others:  # "not on the table like the other two bottles": said of a bottle
            take(i, others)
            unchecked.append(" ".join(words[i:others]))
            i = others
            continue
        if (referent is not None or anchored) and _existential(reading, i):
            t = words[i]  # "there is no dog in front of it" read as "has no dog ...", ", no laptop on it" as "without"
            if t == "there":
                take(i, i + 1)
                i += 1
                continue
        if words[i : i + 2] == ["on", "board"] or t == "aboard":  # "with nobody on board": no landmark
            take(i, i + 1 + (t == "on"))
            i += 1 + (t == "on")
            continue
        owns = t == "nothing" and i > 0 and words[i - 1] in OWNING  # "that have nothing above them"
        bare_nothing = t == "nothing" and not owns and i > 0 and scope.boundary_before(text, toks, i, words=False)
        placed = (
            denial.nothing_placed(words, i, options) if owns or bare_nothing else None
        )  # ", nothing under his feet"
        if placed is not None and (referent is not None or anchored):
            at = i - owns
            negation.update(until=at, at=at, start=toks[at].start)
            kind, value, strict, stop = placed
            whose = "referent" if words[stop - 1] in scope.PERSONAL or not landmarks else "either"
            add(kind, value, at, stop, landmark=ANYTHING, strict=strict, attached=whose)  # type: ignore[arg-type]
            i = stop
            continue
        seat = (
            scope.seat_claim(words, i, referent is None and match(words, i + 1, forms), options, "person" in cats)
            if t in scope.SEAT_WORDS
            else None
        )
        hollow = scope.container_empty(words, i, referent is None and match(words, i + 1, forms), options)
        if seat is None and hollow:  # "the empty bowl", "the bowl with nothing in it": no object lies inside
            add("empty", "empty", i, hollow)
            i = hollow
            continue
        if seat is not None:  # "the empty chair", "not occupied", "the bench nobody sits on": a person on it?
            empty, stop = seat
            if empty and negation["at"] <= i <= negation["until"]:
                negation["until"] = -1  # "not empty": occupied
            elif empty:
                negation.update(until=i, at=i, start=toks[i].start)
            add("with", "with", i, stop, landmark="person", strict=True)
            i = stop
            continue
        used_at = passive_use(words, i) if (referent is not None or anchored) and "person" in cats else 0
        of_mark = used_at and i > 0 and words[i - 1] in ("one", "ones") and one_at != i - 1  # "right of the one ridden"
        if of_mark:
            take(i, used_at)  # it describes that landmark, which is of the referent's kind: unknown here
            unchecked.append(" ".join(words[i:used_at]))
            i = used_at
            continue
        if used_at and (used_at >= n or scope.boundary_before(text, toks, used_at) or words[used_at] in REL):
            add("with", "with", i, used_at, landmark="person", attached="referent")  # "not being used": by a person
            i = used_at
            continue
        near = nobody_relation(words, i) if referent is not None or anchored else None
        if near is not None and near[1] == "with" and words[near[0] - 1] in ("on", "in", "at", "onto"):
            near = (near[0] - 1, *near[1:]) if scope.boundary_before(text, toks, near[0] - 1) else near  # "holding, on"
        if near is not None and (near[0] >= n or scope.boundary_before(text, toks, near[0]) or words[near[0]] in REL):
            negation.update(until=i, at=i, start=toks[i].start)  # "the car that nobody is standing near"
            add(near[1], near[2], i, near[0], landmark="person", attached="referent")  # type: ignore[arg-type]
            i = near[0]
            continue
        ce = negation.get("claim_end", -1)
        if (
            t == "or"
            and 0 <= ce <= i
            and all(w in ("one", "ones") for w in words[ce:i])
            and not (scope.boundary_before(text, toks, i, words=False))
        ):
            negation.update(until=scope.negation_reach(text, toks, i), at=i, start=toks[i].start)  # not (A or B)
            i += 1
            continue
        quantified = quantified or t in ("any", "all", "every", "each", "anything", "everything")
        excl = scope.exclusion_at(words, i, quantified)
        if t in NEGATORS or (t == "no" and (referent is not None or anchored)) or excl:
            negation.update(until=scope.negation_reach(text, toks, i + max(excl, 1) - 1), at=i, start=toks[i].start)
            take(i, i + max(excl, 1))
            i += max(excl, 1)
            continue
        stop = scope.cardinal_from(words, i)
        if stop:  # "two from the left": second, or two places along? unknown
            take(i, stop)
            unchecked.append(" ".join(words[i:stop]))
            i = stop
            continue
        ordinal = scope.ordinal_at(words, i)
        if ordinal is not None and scope.counts_other(words, ordinal[1]):
            take(i, ordinal[1] + 1)  # "the second row", "first base": counts something else
            unchecked.append(" ".join(words[i : ordinal[1] + 1]))
            i = ordinal[1] + 1
            continue
        nxt_word = words[ordinal[1]] if ordinal is not None and ordinal[1] < n else ""
        ext = forms_.ranked_extreme(words, ordinal[1]) if ordinal is not None else None  # "largest", "most big"
        if ordinal is not None and ordinal[0] > 0 and (ext is not None or nxt_word in NEAR_WORDS):
            if nxt_word in NEAR_WORDS:  # "the second closest to the plate": ranked by distance
                ranked.update(rank=ordinal[0], at=i)
                take(i, ordinal[1])
                i = ordinal[1]
                continue
            add("ordinal", ext[0], i, ext[1], rank=ordinal[0])  # type: ignore[index]  # "the second largest cup"
            i = ext[1]  # type: ignore[index]
            continue
        if ordinal is not None and referent is not None and scope.compared_with(words, i):
            take(i, ordinal[1])  # "the same height as the first player": the ordinal ranks the standard
            unchecked.append(" ".join(words[i : ordinal[1]]))
            i = ordinal[1]
            continue
        if ordinal is not None:
            rank, end_ord = ordinal
            direction, explicit, rank, k_end, side_at = scope.ordinal_direction(words, end_ord, rank)
            if referent is not None and other_noun(words, end_ord, forms, options):  # "in the second chair": its
                take(i, end_ord)
                take(*((side_at, k_end) if side_at is not None and explicit else (0, 0)))
                i = end_ord
                continue
            if side_at is not None:
                take(side_at, k_end)
            elif pending["side"]:  # "counting from the left, the third cup"
                direction, explicit, pending["side"] = pending["side"], True, ""
            if t == "number" and (
                side_at is None or words[side_at] != "from"
            ):  # "player number 10": a shirt, not a rank
                take(i, end_ord)
                i = end_ord
                continue
            stop = k_end if explicit else end_ord
            queue = not explicit and bool(_QUEUES & set(words))  # "the first in the queue": which end is its front?
            extra = {"unsure": True} if queue else {}
            add("ordinal", direction, i, stop, consume=False, rank=rank, implicit=not explicit, **extra)
            if negation.get("claim_end", -1) >= 0:  # "not the first or second cup from the left": "or" follows
                negation["claim_end"] = end_ord
            take(i, end_ord)
            i = end_ord
            continue
        lead = scope.leading_direction(words, i)
        if lead is not None:  # "from the right, the second cup": the direction of the ordinal that follows
            pending["side"] = SIDE_WORDS[words[lead - 1]]
            take(i, lead)
            i = lead
            continue
        if scope.at_an_end(words, i):  # "at the end of the row", "at either end": first from one side
            add("end", "end", i, i + 2 + (words[i + 1] != "end"))
            i += 2 + (words[i + 1] != "end")
            continue
        if t in ("most", "more") and words[i + 1 : i + 2] in (["close"], ["near"], ["far"]):
            t = words[i + 1] = "nearest" if words[i + 1] != "far" else "farthest"  # "the cup most far from ..."
            take(i, i + 1)
            i += 1
        far = i + 1 + (words[i + 1 : i + 2] == ["away"]) if t in ("far", "away") else 0
        if (
            far
            and words[far : far + 1] in (["from"], ["of"])  # "far away of the bench": a learner's "from"
            and (referent is not None or anchored)
            and not (
                negation["at"] <= i <= negation["until"]
                or (i and words[i - 1] in FAR_WORDS | {"as", "so", "how", "too"})
            )
        ):
            cat, end, _ = landmark_after(far + 1, wide=True)
            if cat is not None:  # "who stands far (away) from the bench": not near it
                negation.update(until=i, at=i, start=toks[i].start)
                add("next", "near", i, end, landmark=cat)
                landmarks.append(cat)
                i = end
                continue
        if t in NEAR_WORDS or t in FAR_WORDS:
            away = t in FAR_WORDS and words[i + 1 : i + 3] == ["away", "from"]  # "the sheep furthest away from"
            j = i + 1 + away + (words[i + 1 + away : i + 2 + away] in (["to"], ["from"]))
            j += 2 if words[j : j + 2] in (["one", "to"], ["one", "from"]) else 0  # "the nearest one to the plate"
            cat, end, is_frame = landmark_after(j, wide=True)  # also "closest to the third car"
            if cat is not None and referent is None and j == i + 1 and words[end : end + 1] in (["to"], ["from"]):
                mark, end2, _ = landmark_after(end + 1, wide=True)  # "the closest cup to the plate"
                if mark is not None:  # "the second closest person to the snowboard": ranked by distance
                    start_at, rank_at = (ranked["at"], ranked["rank"]) if ranked["at"] == i - 1 else (i, None)
                    value = "nearest" if t in NEAR_WORDS else "farthest"
                    add("nearest", value, start_at, end2, consume=False, landmark=mark, rank=rank_at,
                        plain=t in _COMPARATIVE)  # fmt: skip
                    take(i, i + 1)
                    take(end, end2)
                    landmarks.append(mark)
                    i += 1
                    continue
            ends = j >= n or scope.boundary_before(text, toks, j) or words[j] in REL
            linked = 0 < i - last_mark["end"] <= 3 and all(w in _LINKED for w in words[last_mark["end"] : i])
            if (
                cat is None
                and referent is not None
                and landmarks
                and words[j - 1] in ("to", "from")
                and ends
                and linked
            ):
                # "the cup (that) the man is closest to": the cup closest to the man
                add("nearest", "nearest" if t in NEAR_WORDS else "farthest", i, j, landmark=landmarks[-1],
                    attached="referent", plain=t in _COMPARATIVE)  # fmt: skip
                i = j
                continue
            if cat is not None:
                start_at, rank_at = (ranked["at"], ranked["rank"]) if ranked["at"] == i - 1 else (i, None)
                value = "nearest" if t in NEAR_WORDS else "farthest"
                plain = t in _COMPARATIVE and not scope.than_all(words, end)  # "closer to X than the others"
                add("nearest", value, start_at, end, landmark=cat, rank=rank_at, plain=plain)
                landmarks.append(cat)
                i = end
                continue
            i += 1
            continue
        if t in ("left", "right") and i + 1 < n and words[i + 1] in ("of", "to", "from"):
            cat, end, is_frame = landmark_after(i + 2, wide=True)
            if cat is not None:
                strict = i > 0 and words[i - 1] in STRICT and words[i - 1] != "right"  # "just left of the cup"
                add("relation", t, i - strict, end, landmark=cat, strict=strict)
                landmarks.append(cat)
                i = end
                continue
            if is_frame:
                add("side", t, i, end, frame="image")
                i = end
                continue
            other = scope.unknown_landmark(words, i + 2)
            if other and words[i + 1] == "of":  # "left of it", "on the left of the road": a landmark we cannot place
                take(i, other)
                unchecked.append(" ".join(words[i:other]))
                i = other
                continue
        if t in RELATION_PREPS or (t == "top" and words[i + 1 : i + 2] == ["of"] and i > 0 and words[i - 1] == "on"):
            start_j = i + 2 if t == "top" else i + 1
            cat, end, is_frame = landmark_after(start_j, wide=True)
            if cat is not None:
                strict = i > 0 and words[i - 1] in STRICT
                add("relation", RELATION_PREPS.get(t, "top"), i - strict, end, landmark=cat, strict=strict)
                landmarks.append(cat)
                i = end
                continue
            if t in RELATION_PREPS and landmarks and (i + 1 >= n or scope.boundary_before(text, toks, i + 1)):
                at = next((k for k in range(i - 1, -1, -1) if used[k] and words[k] not in ("the", "a")), i)
                add("relation", denial.FLIP[RELATION_PREPS[t]], at, i + 1, landmark=landmarks[-1], attached="referent")
                i += 1  # "the umbrella the man stands under": he is under it, so it is above him
                continue
        if t in SIDE_WORDS and words[i + 1 : i + 2] in (["side"], ["end"], ["part"]) and words[i + 2 : i + 3] == ["of"]:
            cat, end, _ = landmark_after(i + 3, wide=True)  # also "the right side of the leftmost person"
            if cat is not None and t in ("left", "right"):  # "on the left side of the table"
                if words[i + 1] == "end" or scope.after_extreme(words, i):  # "at the far right end of the table":
                    add("side", t, i, i + 2, consume=False, landmark=cat)  # the rightmost of those at the table
                add("relation", t, i, end, landmark=cat)
                landmarks.append(cat)
                i = end
                continue
        front = 1 + (words[i + 1 : i + 2] == ["the"]) if t in ("in", "at") else 0  # "in the front of", "at front of"
        if front and words[i + front : i + front + 2] == ["front", "of"] and (referent is not None or anchored):
            cat, end, _ = landmark_after(i + front + 2, wide=True)  # depth, weighed like "behind": in line with it
            if cat is not None:
                add("behind", "front", i, end, landmark=cat)
                landmarks.append(cat)
                i = end
                continue
            if landmarks and stranded(words, i + front + 2):  # "the person the dog is sitting in front of": in line
                add("behind", "front", i, i + front + 2, landmark=landmarks[-1], attached="referent")
                i += front + 2
                continue
        out_of = 1 + (words[i + 1 : i + 2] == ["of"]) if t == "outside" or words[i : i + 2] == ["out", "of"] else 0
        if out_of and (referent is not None or anchored):  # "the orange outside (of) the bowl": not in it
            cat, end, _ = landmark_after(i + out_of, wide=True)
            if cat is not None:
                negation.update(until=i, at=i, start=toks[i].start)
                add("with", "on", i, end, landmark=cat)
                landmarks.append(cat)
                i = end
                continue
        bare = denial.read_held_nothing(reading, i) if referent is not None or anchored else 0
        if bare:  # "isn't holding anything", "carries nothing": nothing small in its hands
            i = bare
            continue
        fronted = 1 if t in ("among", "amongst", "of") else 2 if words[i : i + 2] == ["out", "of"] else 0
        if fronted and i == 0 and referent is None and not anchored:  # also "Of the three bottles, ...", "Out of"
            cat, end, _ = landmark_after(i + fronted, wide=True)
            if cat is not None:  # "Among the four cups on the table, this is the third": the referent's kind
                options, referent = frozenset({cat}), cat
                reading.referent = cat
                ref_span = (toks[i + fronted].start, toks[end - 1].end)
                take(i, end)
                i = end
                continue
        if t in RELATION_WORDS and (referent is not None or anchored):
            j = i + 1 + (words[i + 1 : i + 2] == ["to"])
            if words[j : j + 1] == ["by"] and RELATION_WORDS[t] == "with" and t not in TOUCH:
                j += 1  # "held by the man", "worn by the second person": it touches its holder
            have_not = t in _HAVE_NOT or (t in _HAVE and words[j : j + 1] in (["not"], ["never"]))
            if have_not:  # "has not an umbrella", "hasn't got a bag", "have not any cup": a learner's "has no"
                negation.update(until=i, at=i, start=toks[i].start)
                j += t in _HAVE
            if t in _HAVE | _HAVE_NOT and words[j : j + 1] == ["got"]:
                j += 1  # "has got a bag"
            part = t in ("in", "on", "at") and words[j : j + 3] in _PART_OF
            j += 3 * part  # "in the hand of the woman", "on the back of the elephant": held by it, on it
            cat, end, _ = landmark_after(j, wide=True, sides=t not in TOUCH or part)  # "of the middle person"
            also = None
            if cat is not None and t in ("among", "amongst") and referent is None and anchored:
                options, referent = frozenset({cat}), cat  # "the one farthest from the man among the cups": a cup
                reading.referent = cat
                ref_span = (toks[j].start, toks[end - 1].end)
            if cat is not None and t in ("among", "amongst") and (cat in options or cat == referent):
                take(i, end)  # "the biggest among the cows": a partitive of its own kind, not a place
                landmarks.append(cat)
                i = end
                continue
            if cat is not None and t == "between" and words[end : end + 1] == ["and"]:
                also, end2, _ = landmark_after(end + 1, wide=True)  # "between the cup and the laptop"
                end = end2 if also is not None else end
            owning = t in ("has", "have", "having", "with", "without") or t in _HAVE_NOT
            denied = t == "without" or have_not or bool(_DENYING & set(words[j:end]))
            denied = denied or (owning and negation["at"] <= i <= negation["until"])  # "does not have a cup on it"
            top = denial.on_top(words, end) if cat is not None and owning else None  # "with (no) cup on top"
            placed = (scope.placed_relation(words, end) or (top if denied else None)) if cat and owning else None
            if placed is not None and not (denied and placed[0] == "behind"):  # "with a bird above it": below it
                # ("without a bike in front of them" stays "without a bike": depth is not in the boxes, overlap is)
                if denied:
                    negation.update(until=i, at=i, start=toks[i].start)
                kind, value, strict, stop = placed
                spec = scope.landmark_spec(words, j - 1, end) or (None, None, 0)
                whose = "referent" if words[stop - 1] in scope.PERSONAL else "either"  # "above them": a person's
                if kind == "with" and words[stop - 2] in ("his", "her", "their") and "person" not in landmarks:
                    whose = "referent"  # "on the couch, with a laptop on their lap": no other person to own the lap
                add(kind, value, i, stop, landmark=cat, strict=strict, mark_extreme=spec[0], mark_rank=spec[1],  # type: ignore[arg-type]
                    attached=whose if landmarks else "referent")  # fmt: skip
                landmarks.append(cat)
                i = stop
                continue
            beside = (scope.beside_it(words, end) or denial.either_side(words, end)) if owning else 0
            if cat is not None and beside:
                # "the car that has nobody beside it", "with no person next to it": X next to it, or not
                if t == "without" or _DENYING & set(words[j:end]):
                    negation.update(until=i, at=i, start=toks[i].start)
                add("next", "next", i, beside, landmark=cat)
                landmarks.append(cat)
                i = beside
                continue
            if cat is not None and t in ("has", "have", "having") and scope.placed_after(words, end) and not placed:
                # "has the plate to its right", "has a person on each side": where X is, not that it holds X
                take(i, end)
                unchecked.append(" ".join(words[i:end]))
                landmarks.append(cat)
                i = end
                continue
            if cat is not None and scope.possessive_side(text, toks, end):
                # "on the person's right", "at the car's left": a side in that thing's own frame, unknown
                take(i, end + 1)
                unchecked.append(" ".join(words[i : end + 1]))
                landmarks.append(cat)
                i = end + 1
                continue
            if cat is not None:
                if t == "without" or _DENYING & set(words[j:end]):  # "without an umbrella", "touching neither cup"
                    negation.update(until=i, at=i, start=toks[i].start)
                value = "on" if t in TOUCH else "near" if t in ("near", "close") else RELATION_WORDS[t]  # contact
                end = placed[3] if placed else top[3] if top else end  # "has no glass in front of them": as "without"
                specs = scope.between_specs(words, j, end) if RELATION_WORDS[t] == "between" else ()
                tight = RELATION_WORDS[t] == "between" and _TIGHT & set(words[max(0, i - 2) : i])  # "sandwiched"
                add(RELATION_WORDS[t], value, i, end, landmark=cat, also=also, mark_specs=specs,
                    strict=bool(top) or bool(tight))  # fmt: skip  # type: ignore[arg-type]
                landmarks.append(cat)
                i = end
                continue
            ends = j >= n or scope.boundary_before(text, toks, j) or words[j] in REL
            held = RELATION_WORDS[t] == "with" and t not in ("has", "have", "having", "with", "without")
            if held and landmarks and ends:
                # "the chair the man is sitting on": he is on it, so it has him on it; "the surfboard the person
                # is holding", "the horse that someone is riding": it touches its holder
                spec = _stranded_spec(reading, i)  # "the backpack that the leftmost person is wearing"
                add("with", "with", i, j, landmark=landmarks[-1], attached="referent", strict=t in ("on", "onto"),
                    **spec)  # fmt: skip
                i = j
                continue
            if RELATION_WORDS[t] in ("next", "behind") and landmarks and stranded(words, j):
                # "the bicycle the man is standing next to / behind": the man is next to it, or behind it,
                # which the boxes weigh the same both ways (side by side; in line across)
                start = next((k for k in range(i - 1, -1, -1) if used[k] and words[k] not in ("the", "a")), i)
                spec = _stranded_spec(reading, i)  # "the bench the leftmost man stands behind"
                start = max(start, i) if spec else start
                add(RELATION_WORDS[t], RELATION_WORDS[t], start, j, landmark=landmarks[-1], attached="referent",
                    **spec)  # fmt: skip
                i = j
                continue
        if t in NEUTRAL_PREPS and (referent is not None or anchored):
            cat, end, _ = landmark_after(i + 1 if t != "next" else i + 2, wide=True, sides=False)
            again = words[i + 1 : i + 2] == ["the"] and words[i + 2 : i + 3] != [] and (
                words[i + 2].endswith(("est", "most")) or words[i + 2] in ORDINALS)  # fmt: skip
            if cat is not None and t == "and" and cat == referent and not landmarks and again:
                take(i, i + 1)  # "the first person from the left and the shortest person": the referent again
                i += 1
                continue
            if cat is not None:  # a landmark we cannot place; it is not the referent either
                landmarks.append(cat)
                if t not in ("of", "and", "or"):
                    unchecked.append(" ".join(words[i:end]))
                take(i, end)
                i = end
                continue
        if forms_.adverb_right(words, i):
            take(i, i + 1)  # "right next to": an adverb
            i += 1
            continue
        if t in scope.SUPERLATIVE_SIDES and words[i + 1 : i + 3] == ["but", "one"]:  # "the leftmost but one"
            add("ordinal", SIDE_WORDS[t], i, i + 3, rank=2)
            i += 3
            continue
        if t in ("after", "before") and (referent is not None or anchored) and ordinal is None:
            cat, end, _ = landmark_after(i + 1, wide=True)  # "right after the leftmost one": which way is "after"?
            if cat is not None:
                take(i, end)
                unchecked.append(" ".join(words[i:end]))
                i = end
                continue
        if t in SIDE_WORDS and scope.body_or_own_side(words, toks, i):
            take(i, i + 1)  # "his right hand", "on her own left": not a place in the image
            unchecked.append(t)
            i += 1
            continue
        if t in SIDE_WORDS:
            frame: Literal["group", "image"] = "group"
            j = i + 1
            while j < n and words[j] in ("side", "part", "half", "corner", "edge", "end", "of", "the", "hand"):
                j += 1
            if j < n and words[j] in FRAME_NOUNS and words[j - 1] in ("of", "the"):
                frame = "image"
            ends = words[i + 1 : i + 2] in (["end"], ["edge"])  # "at the right end": the extreme
            ends = ends or (
                words[i + 1 : i + 3] == ["of", "the"] and words[i + 3 : i + 4] in _PILES
            )  # "top of the stack"
            plain = t in PLAIN_SIDES and not scope.after_extreme(words, i) and not ends
            add("side", SIDE_WORDS[t], i, i + 1, frame=frame, plain=plain)
            i += 1
            continue
        if t in MIDDLE_WORDS and words[i + 1 : i + 2] == ["of"] and referent is not None:
            cat, end, is_frame = landmark_after(i + 2, wide=True)
            if cat == referent:  # "the cup in the middle of the three cups": the middle one
                add("middle", "middle", i, end)
                i = end
                continue
            if cat is not None:  # "in the middle of the glasses": between them
                add("between", "between", i, end, landmark=cat)
                landmarks.append(cat)
                i = end
                continue
        if t in MIDDLE_WORDS:
            if referent is None or not other_noun(words, i + 1, forms, options):  # not "the wing of the middle plane"
                add("middle", "middle", i, i + 1)
            take(i, i + 1)
            i += 1
            continue
        if t in SIZE_WORDS:
            nxt = words[i + 1] if i + 1 < n else ""
            if t in PEOPLE_ADJ_SKIP and (
                (nxt in PERSON_WORDS and (nxt != "one" or referent in (None, "person")))  # "the small one": a sheep
                or (i and words[i - 1] == "a" and not match(words, i + 1, forms))
            ):
                i += 1  # "a little girl", "a little to the left": not a size
                continue
            plain = (t in PLAIN_SIZES or t in _COMPARATIVE) and not (i and words[i - 1] == "most")
            against_all = t in _COMPARATIVE and scope.than_all(words, i + 1)  # "bigger than the others": strict
            plain = plain and not against_all
            own = own_standard(reading, i + 1, options) if t in _COMPARATIVE and not against_all else None
            if own is not None:  # "larger than the middle one": weighed against that one, not graded among all
                if own[1] is None:
                    unchecked.append(" ".join(words[i : own[0]]))
                    take(i, own[0])
                else:
                    add("size", SIZE_WORDS[t], i, own[0], landmark=referent, mark_extreme=own[1], mark_rank=own[2])
                landmarks.append(referent)  # type: ignore[arg-type]
                i = own[0]
                continue
            if t in _COMPARATIVE and words[i + 1 : i + 2] == ["than"]:
                cat, end, _ = landmark_after(i + 2)  # "the cow bigger than the dog": measured against the dog
                if cat is not None and cat not in options:
                    add("size", SIZE_WORDS[t], i, end, landmark=cat)
                    landmarks.append(cat)
                    i = end
                    continue
            loose = plain and t in PLAIN_SIZES and i > 0 and words[i - 1] in ("a", "an")  # "a big brown one"
            least = i > 0 and words[i - 1] == "least"  # "the least big cow": the smallest
            value = _LEAST.get(SIZE_WORDS[t], SIZE_WORDS[t]) if least else SIZE_WORDS[t]
            add("size", value, i - least, i + 1, plain=plain and not least, strict=against_all, loose=loose)
            i += 1
            continue
        m = match(words, i, forms)
        if m is not None:
            if not m[0]:
                headless = headless or referent is None  # 'the baseball cap ...': its head noun is unknown
            elif referent is None and not headless and anchored and i > one_at + 1:
                headless = True  # "the one the man is standing behind": the man is no referent
                landmarks.append(pick(m[0], cats))
            elif referent is None and not headless and (phrase := in_phrase_after_head(i)):
                headless = phrase == "head"  # "the pooch on the bench": the bench is where the referent is
                landmarks.append(pick(m[0], cats))  # "sitting on the bench, the dog": the dog comes later
            elif referent is None and not headless and not scope.possessor(toks, i + m[1] - 1):
                options = m[0]
                referent = reading.referent = pick(options, cats)
                forms = reading.forms = aged_forms(forms, options)  # "between the two adults": elephants
                ref_span = (toks[i].start, toks[i + m[1] - 1].end)
                general = tuple(words[i : i + m[1]]) in hypernym_forms()
                tool = [c for c in ROLE_TOOLS.get(words[i + m[1] - 1], ()) if c in cats]
                if len(tool) == 1 and referent == "person":  # "the snowboarder": the person on the snowboard
                    add("with", "with", i, i + m[1], consume=False, landmark=tool[0], attached="referent")
            else:
                landmarks.append(pick(m[0], cats))
            take(i, i + m[1])
            i += m[1]
            continue
        if referent is not None and not toks[i].poss and is_opaque_noun(words, i):
            landmarks.append(OPAQUE)  # "next to the tree on the right": the side may be the tree's
        i += 1
    residual = tuple(w for k, w in enumerate(words) if not used[k] and w not in STOPWORDS and w not in FRAME_NOUNS)
    if any(c.frame == "image" for c in claims if c.kind == "side"):
        claims = [replace(c, frame="image") if c.kind == "side" else c for c in claims]
    general = general or (referent is None and bool(_GENERIC & set(words)))  # "the third object from the left"
    rows = bool(_ROWS & set(words))
    return ParsedExpression(
        referent, tuple(claims), residual, options, ref_span, tuple(landmarks), tuple(unchecked), general, rows
    )
