"""Generate the checker's lexicon tables (``hoi_text/data/*.json``) from the vocabularies and seeds.

Why generated: the checker must know every HICO verb, HAKE state and object the same way, so
the tables are expanded mechanically (every inflection from lemminflect, every plural) from
the package vocabularies and the reviewed seeds in :mod:`hoiscribe.hoi_text.lexicon_seeds`,
never grown case by case. Run ``python -m hoiscribe.hoi_text.lexicon_build`` after changing
a seed (needs ``pip install lemminflect``, part of the dev extra); a test checks the
committed tables match this output.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from hoiscribe.hoi_text.lexicon_seeds import (
    IDLE,
    LOOSE,
    OPPOSITES,
    STATE_OPPOSITES,
    STATES,
    VERBS,
)
from hoiscribe.hoi_text.object_names import OBJECTS
from hoiscribe.hoi_text.object_seeds import NEAR_MISSES, PARTS_OF, SUPERCATEGORIES
from hoiscribe.hoi_text.state_seeds import OPPOSITES as MORE_OPPOSITES
from hoiscribe.hoi_text.state_seeds import REST_PLACES, REST_VERBS, REVERSIBLE, VERBLESS_OPPOSITES
from hoiscribe.vocab.hake import group_states
from hoiscribe.vocab.hico import hico
from hoiscribe.vocab.lexicon import object_text

DATA = Path(__file__).resolve().parent / "data"
SOURCES = {
    "verbs": "HICO-DET 117 verbs and 600 HOIs (vocab/data/verbs.json, hoi_600.json) + lexicon_seeds.VERBS",
    "states": "HAKE 76 part states (vocab/data/hake_part_states.json) + lexicon_seeds.STATES, STATE_OPPOSITES and IDLE"
    " + state_seeds (rest verbs x places, undone bindings, more opposites)",
    "objects": "HICO-DET/COCO 80 objects (vocab/data/objects.json) + object_names.OBJECTS",
    "near_misses": "COCO supercategories + object_seeds.NEAR_MISSES and PARTS_OF (things that are none of the 80)",
    "inflections": "lemminflect (getAllInflections, getAllInflectionsOOV)",
}
_BE = ("is", "are", "was", "were", "being", "be")
# general nouns for a COCO supercategory: each names every object of it, as an ambiguous synonym does
HYPERNYMS = {"animal": "animal", "creature": "animal", "beast": "animal", "vehicle": "vehicle"}


def _lemminflect() -> Any:
    try:
        import lemminflect
    except ImportError:  # pragma: no cover - dev tool
        sys.exit("the lexicon generator needs lemminflect: pip install 'hoiscribe[dev]'")
    return lemminflect


def verb_heads(lemma: str) -> list[str]:
    """Every form of one verb: base, -s, -ing, past, participle."""
    if lemma == "be":
        return list(_BE)
    lm = _lemminflect()
    forms = lm.getAllInflections(lemma, upos="VERB") or lm.getAllInflectionsOOV(lemma, upos="VERB")
    return sorted({lemma, *(f for fs in forms.values() for f in fs)})


# body nouns that close an idle phrase and take a plural with a plural part ("hands at their sides")
_BODY_TAILS = {"side": "sides", "pocket": "pockets", "hip": "hips", "knee": "knees", "thigh": "thighs"}


def phrase_forms(phrase: str) -> list[str]:
    """'hold onto' -> 'holds onto', 'holding onto', 'held onto', ...; 'be folded' -> 'is folded', 'folded'.

    A phrase ending in a body noun ("hang at side") also gets its plural ("hang at sides").
    """
    head, _, rest = phrase.partition(" ")
    rests = {rest}
    *front, last = rest.split(" ") if rest else [""]
    if last in _BODY_TAILS:
        rests.add(" ".join([*front, _BODY_TAILS[last]]))
    out = {f"{h} {r}".strip() for h in verb_heads(head) for r in rests}
    if head == "be" and (rest.split(" ")[0].endswith("ed") or rest in ("empty", "free")):
        out.update(rests)  # "arms folded", "hand free"
    return sorted(out)


def noun_forms(noun: str) -> list[str]:
    """Singular and plural of a (possibly multi-word) noun; the last word takes the plural."""
    lm = _lemminflect()
    *front, last = noun.split(" ")
    plurals = lm.getAllInflections(last, upos="NOUN").get("NNS") or lm.getAllInflectionsOOV(last, upos="NOUN")["NNS"]
    if last in ("skis", "scissors", "people", "cattle", "shears", "sheep"):
        plurals = (last,)
    return sorted({noun, *(" ".join([*front, p]) for p in plurals)})


def build_verbs() -> dict[str, Any]:
    objects: dict[str, list[str]] = defaultdict(list)
    for h in hico().hois:
        objects[h.verb].append(h.object)
    verbs = {}
    for verb in sorted(objects):
        if verb == "no_interaction":
            continue
        synonyms, implies = VERBS[verb]
        label = verb.replace("_", " ")
        surfaces = sorted({s for p in (label, *synonyms) for s in phrase_forms(p)})
        verbs[verb] = {"label": label, "objects": sorted(objects[verb]), "synonyms": list(synonyms),
                       "implies": list(implies), "surfaces": surfaces,
                       "label_surfaces": phrase_forms(label),
                       "loose_surfaces": sorted({f for p in synonyms if p in LOOSE for f in phrase_forms(p)}),
                       "opposite_surfaces": sorted({f for p in OPPOSITES.get(verb, ()) for f in phrase_forms(p)}),
                       }  # fmt: skip
    unknown_loose = LOOSE - {p for syns, _ in VERBS.values() for p in syns}
    if unknown_loose:
        raise ValueError(f"loose synonyms that are no verb's synonym: {sorted(unknown_loose)}")
    missing = set(VERBS) - set(verbs)
    if missing:
        raise ValueError(f"seed verbs not in HICO: {sorted(missing)}")
    return {"source": [SOURCES["verbs"], SOURCES["inflections"]], "verbs": verbs}


def rest_phrases(group: str) -> list[str]:
    """Idle phrases of a group: each verb of a limb at rest with each place it rests ("be tucked to body")."""
    return [f"{v} {p}" for v in REST_VERBS.get(group, ()) for p in REST_PLACES.get(group, ())]


def undoings(paraphrases: tuple[str, ...]) -> list[str]:
    """'be strapped into' / 'clip into' -> 'be unstrapped', 'come unstrapped', 'unstrap from', ...: the
    undoing of a binding a state paraphrase names (``state_seeds.REVERSIBLE``)."""
    out = set()
    for p in paraphrases:
        for verb in REVERSIBLE:
            words = p.split()
            if verb in words or f"{verb}ped" in words or f"{verb}ed" in words or f"{verb}d" in words:
                undone = {f for f in verb_heads(f"un{verb}") if f.endswith("ed")} or {f"un{verb}ed"}
                for u in undone:
                    out.update({f"be {u}", f"come {u}", f"be {u} from", f"come {u} from"})
                out.update({f"un{verb}", f"un{verb} from"})
    return sorted(out)


def verbless_idle(phrases: tuple[str, ...]) -> list[str]:
    """'be out of' -> 'out of': an idle place said without a verb ("has both feet out of the stirrups",
    "kept his hands clear of the wheel"). Only the words that leave the object (out, off, free, clear)."""
    return sorted({p[3:] for p in phrases if p.startswith("be ") and p.split()[1] in ("out", "off", "free", "clear")})


def build_states() -> dict[str, Any]:
    states, idle = {}, {}
    for group, names in group_states().items():
        idle_phrases = (*IDLE.get(group, ()), *rest_phrases(group))
        idle_surfaces = sorted({s for p in idle_phrases for s in phrase_forms(p)} | set(verbless_idle(idle_phrases)))
        idle[group] = idle_surfaces
        for state in names:
            if state == "no_interaction":
                continue
            key = f"{group}:{state}"
            own = state.split("(")[0].replace("something", "").split()
            base = " ".join(own) if own[0] not in ("be", "is") else "be " + " ".join(own[1:])
            paraphrases = (base, *STATES.get(key, ()))
            surfaces = sorted({s for p in paraphrases for s in phrase_forms(p)})
            denials = (*STATE_OPPOSITES.get(key, ()), *MORE_OPPOSITES.get(key, ()), *undoings(paraphrases))
            opposed = sorted({s for p in denials for s in phrase_forms(p)} | set(VERBLESS_OPPOSITES.get(key, ())))
            if set(opposed) & set(idle_surfaces):
                raise ValueError(
                    f"{key}: opposites already idle for {group}: {sorted(set(opposed) & set(idle_surfaces))}"
                )
            if set(opposed) & set(surfaces):
                raise ValueError(f"{key}: phrases both claim and deny it: {sorted(set(opposed) & set(surfaces))}")
            states[key] = {"paraphrases": list(paraphrases[1:]), "surfaces": surfaces,
                           "opposed_by": opposed, "contradicted_by": f"idle[{group}]"}  # fmt: skip
    unknown = (set(STATES) | set(STATE_OPPOSITES) | set(MORE_OPPOSITES) | set(VERBLESS_OPPOSITES)) - set(states)
    if unknown:
        raise ValueError(f"seed states not in HAKE: {sorted(unknown)}")
    return {"source": [SOURCES["states"], SOURCES["inflections"]], "states": states, "idle": idle}


def build_objects() -> dict[str, Any]:
    out = {}
    for cat in hico().objects:
        names = (object_text(cat), cat, *OBJECTS.get(cat, ()))
        out[cat] = sorted({f for n in names for f in noun_forms(n)})
    for noun, sc in HYPERNYMS.items():  # "the animal" names every animal of the 80
        for cat in SUPERCATEGORIES[sc]:
            out[cat] = sorted({*out[cat], *noun_forms(noun)})
    supercat = {cat: sc for sc, cats in SUPERCATEGORIES.items() for cat in cats}
    missing = set(hico().objects) ^ set(supercat)
    if missing:
        raise ValueError(f"supercategories do not cover the objects exactly: {sorted(missing)}")
    taken = {f for forms in out.values() for f in forms}
    near: dict[str, dict[str, Any]] = {}
    for sc, nouns in NEAR_MISSES.items():
        for noun in nouns:
            for form in noun_forms(noun):
                if form in taken:
                    raise ValueError(f"near miss {form!r} also names one of the 80 objects")
                row = near.setdefault(form, {"noun": noun, "supercategories": []})
                row["supercategories"] = sorted({*row["supercategories"], sc})
    parts: dict[str, list[str]] = {}
    for part, cats in PARTS_OF.items():
        unknown = set(cats) - set(hico().objects)
        if unknown:
            raise ValueError(f"part {part!r} of unknown objects {sorted(unknown)}")
        for form in noun_forms(part):
            parts[form] = sorted(cats)
    return {"source": [SOURCES["objects"], SOURCES["near_misses"], SOURCES["inflections"]], "objects": out,
            "supercategories": supercat, "near_misses": near, "parts": parts}  # fmt: skip


def build() -> dict[str, dict[str, Any]]:
    """File name -> table, exactly what ``main`` writes."""
    return {"hoi_verbs.json": build_verbs(), "hoi_states.json": build_states(), "hoi_objects.json": build_objects()}


def main() -> int:
    DATA.mkdir(exist_ok=True)
    for name, table in build().items():
        (DATA / name).write_text(json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {DATA / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
