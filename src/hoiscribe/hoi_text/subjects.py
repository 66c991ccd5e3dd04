"""Who a clause is about: the annotated person, or someone else named in a longer description.

Why: paragraph-style prose describes several people ("Another woman, on the left, raises her
left hand", "Her friend holds a cup in her left hand", "Across the room, a man washes a
cup"). The annotated person is the first person the text names (its main noun, "a woman");
a clause whose leading noun phrase is another person is no claim about them, and the clauses
that follow it in the same sentence without a subject of their own are about that person too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hoiscribe.hoi_text import phrases
from hoiscribe.hoi_text.claim_words import NOT_ROLES, PART_WORDS, object_surfaces, state_words

_BE = frozenset({"is", "are", "was", "were", "has", "have", "seems", "appears", "can", "looks"})
_PRONOUNS = frozenset({"he", "she", "i", "someone", "somebody", "person"})
_POSSESSIVE = frozenset({"his", "her", "their", "its"})
_INDEFINITE = frozenset({"a", "an", "one", "another", "some"})
_STOPS = frozenset({"and", "or", "while", "with", "who", "that", "which"})
_DETERMINERS = frozenset({"a", "an", "the", "one", "another", "his", "her", "their", "this", "that"})
# words that make a noun phrase someone other than the annotated person; plural groups ("four friends",
# "people") may include the person and are left to the verb-level check
_ELSE = frozenset({"another", "other", "others", "else", "second", "third", "spectators", "onlookers",
                   "audience", "bystanders", "passersby", "fans", "crowd", "spectator", "onlooker", "bystander",
                   "passerby"})  # fmt: skip


_FEMALE = frozenset({"woman", "women", "girl", "girls", "lady", "she", "her", "hers", "herself", "mother", "mom",
                     "daughter", "sister", "wife", "girlfriend", "bride", "grandmother", "granddaughter",
                     "waitress", "actress", "female", "ladies"})  # fmt: skip
_MALE = frozenset({"man", "men", "boy", "boys", "guy", "guys", "gentleman", "he", "his", "him", "himself", "father",
                   "dad", "son", "brother", "husband", "boyfriend", "grandfather", "grandson", "male",
                   "waiter"})  # fmt: skip


def gender(word: str) -> str | None:
    """'f' for 'woman' / 'her', 'm' for 'man' / 'his', None for 'rider', 'they', anything else."""
    return "f" if word in _FEMALE else "m" if word in _MALE else None


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
    genders_named: set[str] = field(default_factory=set)  # genders of the other people named so far
    other_here: bool = False  # another person was named earlier in the current sentence

    @classmethod
    def of(cls, tokens: list[str]) -> Discourse:
        main = main_person(tokens)
        sex = gender(main) if main else None
        if sex is None:
            sex = next((gender(t) for t in tokens[:40] if t in ("he", "she", "his")), None)
        return cls(main, sex)

    def new_sentence(self) -> None:
        self.other_gender = None
        self.other_here = False


def is_person_noun(word: str, before: str = "") -> bool:
    """A noun for a person: the lexicon's, or a role noun ('driver', 'cyclist') right after a determiner."""
    cats = object_surfaces().get(word)
    if cats is not None:
        return "person" in cats
    role = (
        word.endswith(("er", "or", "ist", "ian")) and len(word) > 4 and word not in PART_WORDS and word not in NOT_ROLES
    )
    return role and before in _DETERMINERS


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
        if is_person_noun(tok, before) and before not in _POSSESSIVE | {"another", "other"}:
            return tok
    return None


_GROUPS = frozenset({"people", "men", "women", "children", "crowd", "group", "family", "couple", "team", "pair",
                     "someone", "anyone", "everyone"})  # fmt: skip


def leading_phrase(tokens: list[str]) -> list[str]:
    """The words before a clause's first verb: its subject noun phrase (empty for a verb-first clause)."""
    states = state_words()
    verbs = phrases.verb_index()
    out: list[str] = []
    for tok in tokens[:8]:
        if tok in _BE or tok in verbs or tok in _STOPS or any(tok in words for words in states.values()):
            break
        out.append(tok)
    return out


def other_person(np: list[str], disc: Discourse, main_seen: bool) -> bool | None:
    """True: the phrase names someone (or something) other than the annotated person; False: that
    person; None: no subject (the clause goes on with the last one)."""
    if not np:
        return None
    main, sex = disc.main, disc.gender
    for w in np[-2:]:
        if w in ("he", "she"):
            return _pronoun(w, disc)
    for i, w in enumerate(np):
        stem = w[:-2] if w.endswith("'s") else w
        before = np[i - 1] if i > 0 else ""
        if w.endswith("'s") and not is_person_noun(stem, before) and stem in object_surfaces():
            return True  # "the horse's head", "the bike's front wheel": a part of a thing
        if w == "its" and i + 1 < len(np) and np[i + 1] in PART_WORDS:
            return True  # "its legs": an animal's or a thing's
        if not is_person_noun(stem, before):
            continue
        if _else(np, i - 1) or (before in _POSSESSIVE and stem not in ("person", "body", "own")):
            return _someone(stem, disc)  # "the other man", "her friend", "his son"
        if stem == main:
            return False
        if stem in disc.others or (sex is not None and gender(stem) not in (None, sex)):
            return _someone(stem, disc)  # "the friend" after "his friend"; "the woman" when he is a man
        if main is not None and main_seen and before in _INDEFINITE and not (_role(stem) and _role(main)):
            return _someone(stem, disc)  # "a child" after "a woman"; not "a skateboarder" after "a skater"
        return False
    for i, w in enumerate(np):
        if w in PART_WORDS:
            owner = (
                np[i - 1]
                if i > 0 and np[i - 1] in _POSSESSIVE
                else next((t for t in reversed(np[:i]) if t in _POSSESSIVE), "")
            )
            return _possessive(owner, disc)  # "her left hand", "the other hand": whose part
    return True if any(_else(np, i) for i in range(len(np))) else None


def _else(np: list[str], i: int) -> bool:
    """'another', 'the other', 'a second man'; not the locator 'second from the left'."""
    if i < 0 or np[i] not in _ELSE:
        return False
    if np[i] in ("second", "third") and np[i + 1 : i + 2] in (["from"], ["to"]):
        return False
    return not (np[i] == "other" and i >= 2 and np[i - 2] in ("in", "with", "using", "on"))  # "in the other" (hand)


def _role(noun: str) -> bool:
    """An activity noun ('skater', 'cyclist', 'rider'): two of them may name the same person."""
    return noun.endswith(("er", "or", "ist", "ian")) and noun not in (
        "mother",
        "father",
        "daughter",
        "sister",
        "brother",
    )


def _someone(noun: str, disc: Discourse) -> bool:
    if noun != disc.main:
        disc.others.add(noun)
        disc.other_gender = gender(noun) or disc.other_gender
        disc.genders_named.add(gender(noun) or "")
        disc.other_here = True
    return True


def _pronoun(word: str, disc: Discourse) -> bool | None:
    """'he' / 'she' as a subject: someone else when of the other gender, else the person (None: inherit)."""
    sex = gender(word)
    if disc.gender is not None and sex != disc.gender and sex in disc.genders_named:
        return True  # "he" when the text is about a woman and has named a man
    if disc.other_here and disc.other_gender in (None, sex):
        return None  # "her friend holds a cup, but she is not drinking": the nearest person, the friend
    return False


def _possessive(owner: str, disc: Discourse) -> bool | None:
    """'his left hand': someone else's when 'his' is not the person's gender; the person's otherwise.

    None (the last subject's) when the sentence has just named another person of the same gender,
    or of no known gender: "his friend walks beside him; his hands are in his pockets".
    """
    sex = gender(owner) if owner in ("his", "her") else None
    if sex is not None and disc.gender is not None and sex != disc.gender and sex in disc.genders_named:
        return True  # a pronoun that fits no one else named is the person's, whatever its gender
    if sex is not None and disc.other_gender is not None and disc.other_gender != sex:
        return False
    return None
