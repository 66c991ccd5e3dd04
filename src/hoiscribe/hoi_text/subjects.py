"""Who a clause is about: the annotated person, or someone else named in a longer description.

Why: paragraph-style prose describes several people ("Another woman, on the left, raises her
left hand", "Her friend holds a cup in her left hand", "Across the room, a man washes a
cup"). The annotated person is the first person the text names (its main noun, "a woman"); a clause
led by another person is no claim about them, nor are the subjectless clauses after it in its sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hoiscribe.hoi_text import phrases
from hoiscribe.hoi_text.claim_words import NOT_ROLES, PART_WORDS, all_state_words, object_surfaces
from hoiscribe.hoi_text.person_words import (
    COUNTERPARTS,
    GENERIC_ROLES,
    PERSON_NOUNS,
    age,
    compound_at,
    gender,
    new_referent,
    place,
    places_clash,
    thing_head,
)
from hoiscribe.hoi_text.subject_focus import _GROUPS, _possessive, _pronoun, _someone

_BE = frozenset({"is", "are", "was", "were", "has", "have", "seems", "appears", "can", "looks"})
_PRONOUNS = frozenset({"he", "she", "i", "someone", "somebody", "person"})
_POSSESSIVE = frozenset({"his", "her", "their", "its"})
_NOT_MAIN = _POSSESSIVE | {"another", "other"}
_INDEFINITE = frozenset({"a", "an", "one", "another", "some"})
_STOPS = frozenset({"and", "or", "while", "with", "who", "that", "which"})
_DETERMINERS = frozenset({"a", "an", "the", "one", "another", "his", "her", "their", "its", "this", "that", "whose"})
# words that make a noun phrase someone other than the annotated person; plural groups ("four friends",
# "people") may include the person and are left to the verb-level check
_ELSE = frozenset({"another", "other", "others", "else", "second", "third", "spectators", "onlookers",
                   "audience", "bystanders", "passersby", "fans", "crowd", "spectator", "onlooker", "bystander",
                   "passerby"})  # fmt: skip


@dataclass
class Discourse:
    """Who the text is about, carried across its sentences: the annotated person and the others named.

    ``gender`` comes from the main noun ("a woman") or, when it has none ("a rider"), the first
    pronoun; a person noun or pronoun of the other gender is someone else. ``others`` are the
    nouns first introduced as other people ("his friend"), so "the friend" later is still them.
    """

    main: str | None = None
    gender: str | None = None
    others: set[str] = field(default_factory=set)
    other_gender: str | None = None  # of the last other person named in the current sentence
    other_plural: bool = False  # that person is a counted group ("a few children"): no 'he' or 'she'
    genders_named: set[str] = field(default_factory=set)  # genders of the other people named so far
    other_here: bool = False  # another person was named earlier in the current sentence
    seen: set[str] = field(default_factory=set)  # person nouns the text has used, other than its main noun
    carry: bool = False  # the last sentence ended on another person: a pronoun may still be them
    last_other: bool = False  # the last person noun read names someone else ("talks to a man, who ...")
    main_place: str | None = None  # where the text puts the person ("the rider on the left")
    named_main: bool = False  # the text has already used its main noun
    genderless_named: bool = False  # someone of no stated gender was named ("her partner", "a child")
    group_first: bool = False  # the text opens on a group ("Two young men play frisbee"): "one", "the other"?
    backdrop: bool = False  # the current sentence opens in the background ("In the background, a man ...")

    @classmethod
    def of(cls, tokens: list[str]) -> Discourse:
        main = main_person(tokens)
        sex = gender(main) if main else None
        if sex is None:
            sex = next((gender(t) for t in tokens[:40] if t in ("he", "she", "his")), None)
        return cls(main, sex, group_first=_group_first(tokens))

    def new_sentence(self, last_was_other: bool = False) -> None:
        """A new sentence: unless the last one ended on another person (the last-mentioned person a
        pronoun can refer to), nobody else is in focus any more."""
        self.carry = last_was_other and self.other_here
        if not self.carry:
            self.other_gender = None
            self.other_here = False

    def saw(self, tokens: list[str]) -> None:
        """Remember the person nouns of a clause just read ('past a boy'): a later 'the boy' is him,
        and a 'who' right after names the last of them."""
        surfaces = object_surfaces()
        for i, tok in enumerate(tokens):
            tok = tok[:-2] if tok.endswith("'s") else tok  # "her partner's hand": the partner
            if tok == self.main and not (i and tokens[i - 1] in _ELSE):  # "another racer, who ...": not him
                self.last_other = False
                self.named_main = True
            elif tok not in surfaces and not tok.endswith(_ROLE_ENDINGS) and tok not in PERSON_NOUNS:
                continue  # neither a lexicon noun nor a role noun: no person (the fast path)
            elif is_person_noun(tok, tokens[i - 1] if i else ""):
                self.last_other = True
                self.genders_named.add(gender(tok) or "")  # "rides past a woman. She ...": she is someone else
                self.genderless_named |= gender(tok) is None and tok not in GENERIC_ROLES and tok not in _GROUPS
                if tok not in _GROUPS and tok not in GENERIC_ROLES:  # "the person" may always be the person
                    self.seen.add(tok)


_ROLE_ENDINGS = ("er", "or", "ist", "ian")


def is_person_noun(word: str, before: str = "") -> bool:
    """A noun for a person: the lexicon's, or a role noun ('driver', 'cyclist') right after a determiner."""
    cats = object_surfaces().get(word)
    if cats is not None:
        return "person" in cats
    role = word.endswith(_ROLE_ENDINGS) and len(word) > 4 and word not in PART_WORDS and word not in NOT_ROLES
    role = (role and word not in _COMPARATIVES) or word in PERSON_NOUNS
    return role and (before in _DETERMINERS or before in _ELSE)


def main_person(tokens: list[str]) -> str | None:
    """The first singular person noun of the text: the annotated person ('woman' in 'In this image, a woman ...').

    A group ('a street crowded with people', 'three friends') is not the person: the first one of
    them the text singles out ('A man in a dark coat walks ...') is.
    """
    for i, tok in enumerate(tokens[:60]):
        before = tokens[i - 1] if i > 0 else ""
        if tok in ("he", "she"):
            return None
        if tok in _GROUPS or (tok.endswith("s") and tok[:-1] in object_surfaces() and not tok.endswith("ss")):
            continue
        if is_person_noun(tok, before) and before not in _NOT_MAIN and not compound_at(tokens, i):
            return tok  # not "another man", "her friend", "a barber shop"
    return None


def _group_first(tokens: list[str]) -> bool:
    """The first person the text names is a group ('two young men', 'a couple'), not one person."""
    for i, tok in enumerate(tokens[:60]):
        if tok in ("he", "she"):
            return False
        if tok in _GROUPS or (tok.endswith("s") and is_person_noun(tok[:-1], "a")) or tok in ("men", "women"):
            return True
        if is_person_noun(tok, tokens[i - 1] if i > 0 else ""):
            return False
    return False


CONJUNCTIONS = frozenset({"and", "or", "then", "so", "also", "yet"})
_NEAR = frozenset({"beside", "behind", "next", "near", "nearby", "by", "with", "opposite", "across", "facing",
                   "ahead", "around", "alongside", "before", "in", "at", "to", "of", "past", "after", "toward",
                   "towards", "front", "like"})  # fmt: skip


def leading_phrase(tokens: list[str]) -> list[str]:
    """The words before a clause's first verb: its subject noun phrase (empty for a verb-first clause)."""
    states = all_state_words()
    verbs = phrases.verb_index()
    out: list[str] = []
    while tokens[:1] and tokens[0] in CONJUNCTIONS:
        tokens = tokens[1:]  # ", and another cyclist walks": the conjunction is no part of the subject
    for k, tok in enumerate(tokens[:8]):
        if k > 0 and tokens[k - 1] in ("a", "an", "the") and tok not in _BE:
            out.append(tok)  # "a groom stands": after an article a verb-like word is the noun
            continue
        if tok in _BE or tok in verbs or tok in _STOPS or tok in states:
            break
        out.append(tok)
    return out


def other_person(
    np: list[str], disc: Discourse, main_seen: bool, appositive: bool = False, nxt: str = ""
) -> bool | None:
    """True: the phrase names someone (or something) other than the annotated person; False: that
    person; None: no subject (the clause goes on with the last one). ``appositive``: the clause has no
    verb ("her companion, a tall woman, ..."): a person noun in it renames whoever is in focus.
    ``nxt``: the word after the phrase (is "her" an object or a possessive?)."""
    if not np:
        return None
    main, sex = disc.main, disc.gender
    for k in range(max(0, len(np) - 2), len(np)):
        if np[k] in ("he", "she") and not any(is_person_noun(t, _det_before(np, j)) for j, t in enumerate(np[:k])):
            return _pronoun(np[k], disc)  # not "the woman he is passing": her, not him
    if np[0] in _QUANTIFIERS | {"one"} and np[1:3] in (["of", "them"], ["of", "the"]):
        # "neither / all four of them": the group, the person included, unless the group in focus is others
        # ("two girls lean on the fence; neither of them"); "one of them": the person until one is named
        if np[0] == "one" and main is not None and main_seen:
            return _someone("", disc)
        if disc.backdrop and disc.named_main:
            return _someone("", disc, plural=True)  # "In the background, people walk, none of them ...": others
        return None if disc.other_here else False
    if main is not None and main_seen and disc.named_main and _counted_group(np):
        return _someone("", disc, plural=True)  # "two snowboarders sit further down", "the two on the left"
    if disc.group_first and main is None and np in (["one"], ["the", "other"], ["the", "other", "one"]):
        return _someone("", disc)  # "Two men play. One throws, the other catches": either may be the person
    if np[:2] == ["the", "one"] or np[:3] == ["the", "other", "one"]:  # "the one on the right": by its place
        where = place([*np, nxt])
        if places_clash(where, disc.main_place):
            return _someone("", disc)
        disc.main_place = disc.main_place or where
    if np[0] in _SOMEONES or np[1:2] == ["else's"]:
        return _someone("", disc)  # "someone's hand reaches into the frame", "someone else's hand": another person's
    if np[0] in ("a", "an", "another") and main_seen and _owner_word(np[1:3], main):
        return _someone("", disc)  # "a child's hand reaches for it" after the person is named: a new person's
    if np[0] in ("someone", "somebody") and np[1:2] != ["else"] and disc.named_main:
        return _someone("", disc)  # "someone standing by the gate": not the person the text named
    if _relative_to_person(np, main, nxt):
        noun = next((w for i, w in enumerate(np) if is_person_noun(w, np[i - 1] if i else "")), "")
        return _someone(noun, disc) if noun or not thing_head(np, _NEAR) else True  # "the man beside him"
    surfaces = object_surfaces()
    for i, w in enumerate(np):
        if w == "its" and i + 1 < len(np) and np[i + 1] in PART_WORDS:
            return True  # "its legs": an animal's or a thing's
        stem = w[:-2] if w.endswith("'s") else w
        if stem not in surfaces and not stem.endswith(_ROLE_ENDINGS) and stem not in PERSON_NOUNS:
            continue  # no noun of a person or a thing (the fast path)
        before = _det_before(np, i)
        owned_part = any(t in PART_WORDS for t in np[:i])  # "both legs draped over the horse's side": the legs'
        if w.endswith("'s") and not owned_part and not is_person_noun(stem, before) and stem in surfaces:
            return True  # "the horse's head", "the bike's front wheel": a part of a thing
        if i == len(np) - 1 and i > 0 and np[i - 1] in ("his", "her", "their") and _animal(stem):
            return True  # "his dog lies at his feet, not touching ...": the dog's clause, not the person's
        kin = next((t for t in np[i + 1 : i + 3] if is_person_noun(t, "his")), None) if w.endswith("'s") else None
        if kin is not None and kin not in (stem, "person", "body"):
            return _someone(kin, disc)  # "the man's wife", "the rider's friend": someone of the person's
        if not is_person_noun(stem, before):
            continue
        if _else(np, i - 1) or ((before in _POSSESSIVE or before == "whose") and stem not in ("person", "body", "own")):
            return _someone(stem, disc)  # "the other man", "her friend", "his son"
        if appositive:
            if disc.other_here:
                disc.other_gender = gender(stem) or disc.other_gender
                disc.genders_named.add(gender(stem) or "")
            return None  # "her companion, a tall woman, ...", "Rider: a girl on a pony": renames who is in focus
        where = place([*np, nxt])
        if before in ("a", "an", "") and disc.backdrop and disc.named_main and main_seen:
            return _someone(stem, disc)  # "the man on the left ... In the background, a man sits / people walk"
        if stem == main:
            one_more = before in ("a", "an") and disc.named_main and main_seen  # "an older man watches": new
            if i > 0 and np[i - 1] in _COMPARATIVES and (disc.seen or disc.others or one_more):
                return _someone(stem, disc)  # "the older woman" once her mother is named: one of two
            if places_clash(where, disc.main_place):
                return _someone(stem, disc)  # "the man on the left ... the man on the right"
            disc.main_place = disc.main_place or where
            return False
        if stem in disc.others or (sex is not None and gender(stem) not in (None, sex)):
            return _someone(stem, disc)  # "the friend" after "his friend"; "the woman" when he is a man
        older = age(stem, np[i - 1] if i else "")
        if older == "adult" and age(main) is None and before == "the" and stem in _PLAIN_ADULTS:
            older = None  # "a motorcyclist ... the man is perched on": a plain noun for the person named before
        if main is not None and (stem in disc.seen or stem in COUNTERPARTS or older not in (None, age(main))):
            return _someone(stem, disc)  # "past a boy ... the boy", "the catcher", "the trainer" in a jockey's text
        if main is not None and main_seen and new_referent(stem, main, np[0] in _INDEFINITE):
            return _someone(stem, disc)  # "a child" after "a woman", "the striker" after "a goalkeeper"
        if places_clash(where, disc.main_place):
            return _someone(stem, disc)  # "the rider on the left ... the person on the right"
        if where and disc.main_place is None and disc.named_main and stem != main:
            return _someone("", disc)  # "A man rides ... The rider on the right ...": one of several, maybe not him
        disc.main_place = disc.main_place or where
        return False
    for i, w in enumerate(np):
        if w in PART_WORDS:
            owner = (
                np[i - 1]
                if i > 0 and np[i - 1] in _POSSESSIVE
                else next((t for t in reversed(np[:i]) if t in _POSSESSIVE), "")
            )
            return _possessive(owner, disc)  # "her left hand", "the other hand": whose part
    if any(_else(np, i) for i in range(len(np))):
        return True
    if np[0] in ("a", "an") and disc.named_main and main_seen and _GROUPS.intersection(np[1:3]):
        return _someone("", disc)  # "a couple walks past", "a group of tourists": others
    return None


_PLAIN_ADULTS = frozenset({"man", "woman", "guy", "lady"})
_COMPARATIVES = frozenset({"older", "younger", "elder", "taller", "shorter", "smaller", "bigger", "larger"})


def _owner_word(words: list[str], main: str | None) -> bool:
    """A possessive person noun, maybe after one modifier ('child's', 'young woman's'), not the person's own."""
    for w in words:
        if w.endswith("'s"):
            return w[:-2] != main and is_person_noun(w[:-2], "a")
    return False


_SOMEONES = frozenset({"someone's", "somebody's", "anyone's", "another's", "stranger's"})
_QUANTIFIERS = frozenset({"neither", "none", "both", "all", "each", "either", "nobody", "everyone", "most"})


def _noun_like(word: str) -> bool:
    """A word that goes on a noun phrase ("her *left* hand", "her *bike*"), so "her" before it is possessive."""
    return word in ("left", "right", "own", "other", "two", "both") or word in PART_WORDS or word in object_surfaces()


def _det_before(np: list[str], i: int) -> str:
    """The word before ``np[i]``, or the determiner up to two modifiers back ('a street vendor', 'the tall rider')."""
    for j in range(i - 1, max(-1, i - 4), -1):
        if np[j] in _DETERMINERS or np[j] in _ELSE:
            return np[j]
        if np[j] in _POSSESSIVE or np[j] in _NEAR or np[j] in _BE:
            break
    return np[i - 1] if i > 0 else ""


def _counted_group(np: list[str]) -> bool:
    """'two snowboarders', 'several kids', 'the two on the left', 'the other three': people counted apart."""
    for i, w in enumerate(np):
        if w in _COUNTS and (
            i == 0 or np[i - 1] in ("the", "other", "a", "another") or _plural_person(np[i + 1 : i + 2])
        ):
            nxt = np[i + 1] if i + 1 < len(np) else ""
            if not nxt or nxt in _NEAR or nxt in ("on", "of"):
                return bool(nxt) and nxt != "of"  # "the two on the left"; not "the two are ..." nor "two of the"
            singular = nxt[:-3] + "man" if nxt.endswith("men") else nxt[:-1] if nxt.endswith("s") else ""
            return nxt not in PART_WORDS and bool(singular) and is_person_noun(singular, "a")
    return False


def _plural_person(words: list[str]) -> bool:
    """'kids', 'women', 'riders': a plural person noun."""
    if not words:
        return False
    w = words[0]
    singular = w[:-3] + "man" if w.endswith("men") else w[:-1] if w.endswith("s") else ""
    return bool(singular) and w not in PART_WORDS and is_person_noun(singular, "a")


_COUNTS = frozenset({"two", "three", "four", "five", "six", "several", "few", "many", "couple"})


def _relative_to_person(np: list[str], main: str | None, nxt: str = "") -> bool:
    """'the man beside him', 'a girl next to her', 'two kids ahead of the woman': someone placed by the person.

    The phrase opens with a noun (not a preposition: "next to her, she ...") and a place word is
    followed, within three words, by an object pronoun or the person's own noun.
    """
    if not np or np[0] in _NEAR or np[0] in _POSSESSIVE or np[0] in _QUANTIFIERS:
        return False  # "neither of them", "both of them": the group, the person included
    for i in range(1, len(np) - 1):
        if np[i] in _NEAR and np[i - 1] not in _NEAR:
            after = np[i + 1 : i + 4]
            if any(w in ("him", "them", "himself") for w in after):
                return True
            for j in range(i + 1, min(i + 4, len(np))):
                if np[j] == "her" and not _noun_like(np[j + 1] if j + 1 < len(np) else nxt):
                    return True  # "her" before no noun: the object pronoun, not "her bike" / "her left hand"
            if main is not None and main in after and ("the" in after or "this" in after):
                return True
    return False


def _else(np: list[str], i: int) -> bool:
    """'another', 'the other', 'a second man'; not the locator 'second from the left'."""
    if i < 0 or np[i] not in _ELSE:
        return False
    if np[i] in ("second", "third") and (
        np[i + 1 : i + 2] in (["from"], ["to"]) or (np[i - 1 : i] == ["the"] and np[i + 2 : i + 3] == ["from"])
    ):
        return False  # "second from the left", "the second rider from the right": a place in a row
    return not (np[i] == "other" and i >= 2 and np[i - 2] in ("in", "with", "using", "on"))  # "in the other" (hand)


def _animal(word: str) -> bool:
    """A noun that names only animals ('dog', 'pony'): a subject that acts, and is not the person."""
    cats = object_surfaces().get(word)
    return bool(cats) and all(phrases.supercategory_table().get(c) == "animal" for c in cats)
