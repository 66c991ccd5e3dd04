"""Person words the subject tracker reads: gender, age, roles, counterparts, places.

Why its own module: :mod:`hoiscribe.hoi_text.subjects` decides who a clause is about from these
tables ("the trainer" in a jockey's text is someone else, "the little girl" is not "a woman", "the
one on the right" is not "the one on the left"); keeping the word lists apart keeps that logic short.
"""

from __future__ import annotations

# person nouns of no agent-noun shape that the object lexicon lacks ("a jockey", "the chef"): after a determiner
PERSON_NOUNS = frozenset({"jockey", "chef", "nurse", "pilot", "cowboy", "cowgirl", "policeman",
                          "policewoman", "fireman", "firefighter", "tourist", "artist", "nanny", "clown",
                          "monk", "priest", "maid", "student", "pupil", "chap", "fellow", "teen", "lad", "cop",
                          "groom", "bride", "vendor", "customer", "guest", "hostess", "pedestrian", "spectator",
                          "surgeon", "doctor", "vet",
                          "farmer", "rancher", "shepherd", "herder", "fisherman", "sailor", "captain", "officer",
                          "soldier", "chauffeur", "cyclist", "motorcyclist", "bicyclist", "cameraman",
                          "musician", "batsman", "catcher", "pitcher", "umpire", "referee",
                          "goalie", "goalkeeper", "keeper", "handler", "trainer", "instructor", "teacher",
                          "waiter", "waitress", "bartender", "cashier", "clerk", "attendant", "parent", "parents",
                          "mum", "grandma", "grandpa", "granny", "aunt", "uncle", "coach", "guide", "spouse",
                          "passerby", "sibling", "twin", "cousin"})  # fmt: skip


_FEMALE = frozenset({"woman", "women", "girl", "girls", "lady", "she", "her", "hers", "herself", "mother", "mom",
                     "daughter", "sister", "wife", "girlfriend", "bride", "grandmother", "granddaughter",
                     "waitress", "actress", "female", "ladies", "mum", "grandma", "granny", "aunt"})  # fmt: skip
_MALE = frozenset({"man", "men", "boy", "boys", "guy", "guys", "gentleman", "he", "his", "him", "himself", "father",
                   "dad", "son", "brother", "husband", "boyfriend", "grandfather", "grandson", "male",
                   "waiter", "grandpa", "uncle"})  # fmt: skip


# roles that tell people of one vehicle apart (the driver, not a passenger): noun -> the HICO verb it does
# ("a sailor" is anyone on a boat: no such role)
ROLE_VERBS = {"driver": "drive", "chauffeur": "drive", "pilot": "fly", "rower": "row", "oarsman": "row"}


def gender(word: str) -> str | None:
    """'f' for 'woman' / 'her', 'm' for 'man' / 'his', None for 'rider', 'they', anything else."""
    return "f" if word in _FEMALE else "m" if word in _MALE else None


# roles that name the other side of an interaction: never the annotated person unless the text calls them so
COUNTERPARTS = frozenset({"catcher", "pitcher", "umpire", "referee", "goalkeeper", "goalie", "coach", "trainer",
                          "instructor", "teacher", "vendor", "seller", "cashier", "customer", "clerk", "waiter",
                          "waitress", "bartender", "spectator", "onlooker", "photographer", "cameraman", "handler",
                          "keeper", "guide", "groom", "officer", "policeman", "guard", "attendant", "conductor",
                          "opponent", "defender", "teammate", "partner", "companion", "friend", "stranger", "passerby",
                          "bystander", "fan"})  # fmt: skip
# role nouns that may name anyone: "the player" after "a batter" is still the batter
GENERIC_ROLES = frozenset({"player", "athlete", "rider", "performer", "competitor", "worker", "user", "person",
                            "individual", "figure", "subject", "adult", "teenager", "youngster", "owner"})  # fmt: skip
# nouns a person noun may modify ("a barber shop", "a rider's helmet" aside): then it names no person
_COMPOUND_HEADS = frozenset({"shop", "station", "stand", "seat", "helmet", "jacket", "suit", "uniform", "lane",
                            "school", "club", "boots", "shoes", "gloves", "hat", "cap", "area", "zone", "track",
                            "path", "trail", "park", "cafe", "bar", "room", "office", "desk", "counter", "booth",
                            "pose", "position", "outfit", "gear", "camp", "market", "stall", "box"})  # fmt: skip
_VAGUE = frozenset({"person", "individual", "figure", "subject"})  # an indefinite one may rename the person


_ADULTS = frozenset({"man", "woman", "lady", "gentleman", "guy", "mother", "father", "mom", "dad", "husband",
                     "wife", "grandmother", "grandfather", "adult", "grandma", "grandpa"})  # fmt: skip
_CHILDREN = frozenset({"boy", "girl", "child", "kid", "toddler", "baby", "infant", "youngster"})


def age(noun: str | None, modifier: str = "") -> str | None:
    """'adult' / 'child' for nouns that say it: 'the little girl' is not 'a woman'; nor 'the boy' 'a man'.

    ``modifier`` (the word before the noun) may say it of any person noun ('a little rider').
    """
    if modifier in ("little", "small", "tiny"):
        return "child"
    return "adult" if noun in _ADULTS else "child" if noun in _CHILDREN else None


_PLACES = frozenset({"left", "right", "middle", "center", "centre", "front", "back", "background", "foreground",
                     "rear", "bow", "stern"})  # fmt: skip


_AXIS = {"left": "side", "right": "side", "middle": "side", "center": "side", "centre": "side", "front": "depth",
         "foreground": "depth", "back": "depth", "background": "depth", "rear": "depth", "bow": "boat",
         "stern": "boat"}  # fmt: skip


def place(np: list[str]) -> str | None:
    """'the rider on the left', 'the woman in the middle': the place a person phrase names ('side:left'), if any.

    'at the far right' is the right; 'second from the right' a place in a row ('side:right#second'), which
    is no other place of that row ('the rider at the far right' is someone else)."""
    for i in range(len(np) - 2):
        if np[i] in _ORDINALS and np[i + 1] == "from" and np[i + 2] == "the" and np[i + 3 : i + 4] in _SIDE_WORDS:
            return f"side:{np[i + 3]}#{_ORDINALS[np[i]]}"
        if np[i] in ("on", "in", "at", "to") and np[i + 1] in ("the", "far"):
            k = i + 3 if np[i + 1 : i + 3] == ["the", "far"] else i + 2
            word = np[k] if k < len(np) else ""
            if word in _PLACES:
                return f"{_AXIS[word]}:{'front' if word == 'foreground' else 'back' if word == 'background' else word}"
    return None


_ORDINALS = {"second": "2", "2nd": "2", "third": "3", "3rd": "3", "fourth": "4", "4th": "4", "fifth": "5"}
_SIDE_WORDS = (["left"], ["right"])


def places_clash(a: str | None, b: str | None) -> bool:
    """Two places that cannot be one person's: 'on the left' and 'on the right', not 'on the left' and 'in front'."""
    return a is not None and b is not None and a != b and a.split(":")[0] == b.split(":")[0]


# activity nouns one person may be called by in turn ("a skater ... a skateboarder", "a biker ... a cyclist")
_ACTIVITIES = (
    frozenset({"biker", "cyclist", "bicyclist", "rider", "motorcyclist", "racer", "motorist", "pedaler"}),
    frozenset({"skater", "skateboarder", "boarder", "snowboarder", "surfer", "rider"}),
    frozenset({"skier", "snowboarder", "boarder"}),
    frozenset({"rider", "jockey", "equestrian", "horseman", "horsewoman", "cowboy", "cowgirl"}),
    frozenset({"driver", "motorist", "chauffeur"}),
    frozenset({"hiker", "walker", "trekker", "backpacker", "traveler", "traveller", "tourist"}),
    frozenset({"runner", "jogger", "sprinter", "racer"}),
)


def same_activity(noun: str, main: str) -> bool:
    """Two activity nouns that may name one person: same stem, the same activity, or a generic one."""
    if not (role(noun) and role(main)):
        return False
    if noun[:4] == main[:4] or noun in GENERIC_ROLES:  # "a rider ... a groom": a new person
        return True
    return any(noun in family and main in family for family in _ACTIVITIES)


_PERSONISH = frozenset({"one", "other", "others", "two", "three", "four", "few", "several", "someone", "somebody",
                        "everyone", "nobody", "many", "some", "both", "all", "pair", "couple", "group"})  # fmt: skip


def thing_head(np: list[str], near: frozenset[str]) -> bool:
    """'the wallpaper behind him': the phrase placed by the person is a thing (no person word before the
    place word), so the sentence does not end on someone else ("He holds ..." after it is still him)."""
    head = next((np[:i] for i in range(1, len(np)) if np[i] in near), [])
    return bool(head) and head[-1] not in _PERSONISH


def compound_at(tokens: list[str], i: int) -> bool:
    """'a barber shop', 'a cowboy hat': the person noun at ``i`` modifies the noun after it."""
    return i + 1 < len(tokens) and tokens[i + 1] in _COMPOUND_HEADS


def new_referent(noun: str, main: str, indefinite: bool = True, among: bool = True) -> bool:
    """'a child' after 'a woman', 'a worker' after 'a rider': an indefinite noun introduces someone new,
    unless it is an activity noun of the person's ('a skateboarder' after 'a skater') or a vague one.
    A definite one is someone new only when both are activity nouns of different activities ('the
    striker' after 'a goalkeeper'; not 'the rider' after 'a man'), and only ``among`` several people
    (a text that opens on a group or lists people under headings)."""
    if not indefinite:
        if not among:
            return False
        generic = noun in GENERIC_ROLES or main in GENERIC_ROLES  # "the skater" after "a teenager": maybe him
        return noun != main and role(noun) and role(main) and not generic and not same_activity(noun, main)
    if noun in GENERIC_ROLES and not any(noun in family and main in family for family in _ACTIVITIES):
        return noun not in _VAGUE and noun != main  # "a rider" after "a cowboy" may be him; "a worker" is not
    return not same_activity(noun, main)


def role(noun: str) -> bool:
    """An activity noun ('skater', 'cyclist', 'rider', 'cowboy'): two of them may name the same person."""
    return (noun.endswith(("er", "or", "ist", "ian")) or noun in PERSON_NOUNS) and noun not in (
        "mother",
        "father",
        "daughter",
        "sister",
        "brother",
    )
