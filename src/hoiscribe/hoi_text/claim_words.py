"""Word tables the grounding checker reads free text with: body parts, verbs, objects, counts.

Built from the package vocabularies (HICO verbs and objects, HAKE states) plus a few
synonyms real VLMs use ("bike", "grips", "seated"), so the checker finds the same facts in
a model's prose that the grounded engine phrases with ``vocab.lexicon``.
"""

from __future__ import annotations

import re
from functools import cache

from hoiscribe.hoi_text.word_alternation import WordAlternation
from hoiscribe.vocab.hake import group_states
from hoiscribe.vocab.hico import hico
from hoiscribe.vocab.lexicon import gerund, object_text

# the word tokens every clause reader splits lowercased text into, and the pronouns that stand for the object
TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+")
IT_PRONOUN = re.compile(r"\b(it|them)\b")

# surface word -> (HAKE group, plural?)
PART_WORDS: dict[str, tuple[str, bool]] = {
    "hand": ("hand", False), "hands": ("hand", True), "wrist": ("hand", False), "wrists": ("hand", True),
    "arm": ("arm", False), "arms": ("arm", True), "elbow": ("arm", False), "elbows": ("arm", True),
    "forearm": ("arm", False), "forearms": ("arm", True),
    "leg": ("leg", False), "legs": ("leg", True), "knee": ("leg", False), "knees": ("leg", True),
    "foot": ("foot", False), "feet": ("foot", True), "ankle": ("foot", False), "ankles": ("foot", True),
    "foots": ("foot", True),  # non-native plural ("her foots are hanging free")
    "hip": ("hip", False), "hips": ("hip", False), "head": ("head", False),
    "finger": ("hand", False), "fingers": ("hand", False), "palm": ("hand", False), "palms": ("hand", True),
    "thumb": ("hand", False), "fist": ("hand", False), "fists": ("hand", True),
    "boot": ("foot", False), "boots": ("foot", True), "shoe": ("foot", False), "shoes": ("foot", True),
    "sneakers": ("foot", True), "heel": ("foot", False), "heels": ("foot", True), "toes": ("foot", False),
    "eyes": ("head", False), "gaze": ("head", False), "face": ("head", False),
    "bottom": ("hip", False), "butt": ("hip", False), "backside": ("hip", False), "buttocks": ("hip", False),
    "bum": ("hip", False),  # the seat of the body, a possessive before it ("his bottom on the saddle")
}  # fmt: skip


# nouns ending like agent nouns (-er, -or, -ian) that name no person: not a "role" noun ("a summer morning")
class _Things(frozenset):  # type: ignore[type-arg]
    """The -er/-or words that name things, and compounds ending in one ("wallpaper", "newspaper", "sunflower")."""

    def __contains__(self, word: object) -> bool:
        return frozenset.__contains__(self, word) or (isinstance(word, str) and _COMPOUND.match(word) is not None)


_COMPOUND_BASES = ("paper", "flower", "tower", "water", "counter", "corner", "power", "poster", "cover", "holder",
                   "marker", "container", "cooler", "heater", "speaker", "printer", "ladder", "hammer", "shelter",
                   "computer", "monitor", "scooter", "trailer", "drawer", "locker")  # fmt: skip
_COMPOUND = re.compile(r".+(?:" + "|".join(_COMPOUND_BASES) + r")$")
NOT_ROLES = _Things({
    "summer", "winter", "river", "water", "corner", "counter", "paper", "number", "floor", "door", "color",
    "colour", "mirror", "order", "letter", "poster", "border", "weather", "computer", "monitor", "sweater",
    "shoulder", "finger", "center", "centre", "container", "trailer", "tractor", "scooter", "helicopter", "motor",
    "dryer", "drier", "cooler", "heater", "speaker", "printer", "ladder", "tower", "flower", "power", "hammer",
    "dinner", "butter", "sugar", "cucumber", "burger", "pepper", "rubber", "leather", "feather", "timber",
    "chamber", "quarter", "matter", "manner", "meter", "liter", "cover", "silver", "other", "interior", "exterior",
    "elevator", "escalator", "refrigerator", "calculator", "radiator", "error", "indoor", "outdoor", "corridor",
    "razor", "visor", "anchor", "harbor", "harbour", "flavor", "flavour", "honor", "armor", "vapor", "median",
    "together", "never", "however", "whatever", "rather", "either", "neither", "over", "under", "after", "later",
    "another", "further", "closer", "higher", "lower", "larger", "smaller", "bigger", "longer", "taller", "wider",
    "darker", "lighter", "brighter", "faster", "slower", "earlier", "upper", "inner", "outer", "proper", "super",
    "clever", "tender", "slender", "amber", "copper", "lever", "shelter", "platter", "blender", "toaster", "banner",
    "sticker", "marker", "folder", "holder", "binder", "charger", "controller", "trigger", "zipper", "slipper",
    "sneaker", "loafer", "blazer", "diaper", "liner", "wrapper", "saucer", "kettle", "tumbler", "canister",
    "drawer", "dresser", "locker", "cracker", "burner", "fender", "bumper", "parameter", "thermometer", "barometer",
    "character", "theater", "theatre", "hamper", "rafter", "gutter", "shutter", "cellar", "collar", "pillar",
    "altar", "radar", "cedar", "vinegar",
})  # fmt: skip
# part words that name the part only after a possessive ("his boots dangle", "her eyes on the glass"):
# elsewhere they are clothing or a verb ("wearing boots", "faces the camera")
OWNED_PART_WORDS = frozenset({"boot", "boots", "shoe", "shoes", "sneakers", "heel", "heels", "eyes", "gaze", "face",
                              "toes", "fist", "fists", "bottom", "butt", "backside", "buttocks", "bum"})  # fmt: skip
# nouns a part word modifies ("ankle boots", "knee pads", "hand towel"): then it names no part
PART_MODIFIED = frozenset({"boots", "boot", "socks", "sock", "pads", "pad", "guard", "guards", "brace", "band",
                           "bands", "strap", "straps", "warmers", "towel", "cream", "bag",
                           "length", "level", "high", "deep", "injury", "tattoo", "bracelet", "scarf", "lamp",
                           "rail", "railing", "board", "gear", "coach", "chef", "waiter", "cover",
                           "prints", "print", "lights", "light"})  # fmt: skip
PREPOSITIONS = frozenset(
    {"on", "onto", "in", "into", "at", "to", "toward", "towards", "over", "above", "under", "below", "beneath",
     "near", "beside", "behind", "between", "against", "around", "across", "along", "through", "from", "by", "of",
     "off", "past", "next", "upon", "within", "without", "about", "like", "atop", "inside"}
)  # fmt: skip
INSTRUMENT_PREPS = frozenset({"with", "using", "in"})  # "holds the cup with his left hand", "in both hands"
DETERMINERS = frozenset({"the", "his", "her", "their", "its", "a", "an", "one", "this", "that", "each", "either"})
NEGATIONS = frozenset({"not", "no", "never", "without", "neither", "nor", "n't", "cannot"})
# things a part can touch that are not the pair's object: a claim about them says nothing of the pair
NOT_THE_OBJECT = frozenset(
    {"knee", "knees", "lap", "pocket", "pockets", "side", "sides", "hip", "hips", "waist", "head", "face", "chest",
     "thigh", "thighs", "leg", "legs", "arm", "arms", "hair", "chin", "cheek", "shoulder", "shoulders", "back",
     "body", "belly", "stomach", "neck", "ground", "floor", "grass", "sand", "snow", "water", "road", "street",
     "hand", "hands", "foot", "feet", "wall", "air", "sky", "pavement", "sidewalk", "tarmac", "asphalt", "dirt",
     "gravel", "concrete", "mud", "lawn", "turf", "ice", "curb", "kerb"}
)  # fmt: skip  # the ground in its usual words: never the object (feet on it have their own rule)
HIDDEN_WORDS = re.compile(
    r"\b(not visible|invisible|hidden|occluded|obscured|out of (?:the )?frame|cut off|cropped|"
    r"cannot be seen|can't be seen|not shown|not in view|out of view)\b"
)

# irregular verb forms the rules in ``third_person`` do not produce
_THIRD = {"have": "has", "do": "does", "go": "goes"}

# Synonyms of HAKE state verbs by group: free-text lemma -> the lemma of a HAKE state verb
STATE_SYNONYMS: dict[str, dict[str, str]] = {
    "hand": {"grip": "hold", "grasp": "hold", "grab": "hold", "clutch": "hold", "clasp": "hold",
             "steer": "hold", "rest": "touch", "place": "touch", "tap": "press", "wave": "gesture"},
    "foot": {"rest": "stand", "place": "stand", "plant": "stand", "balance": "stand", "pedal": "tread",
             "step": "tread", "touch": "stand"},
    "leg": {"straddle": "straddle"},
    "hip": {"seat": "sit", "perch": "sit", "lean": "close"},
    "arm": {"wrap": "hug", "embrace": "hug", "lean": "close"},
    "head": {"look": "inspect", "gaze": "inspect", "stare": "inspect", "examine": "inspect", "watch": "inspect",
             "read": "inspect", "bite": "eat", "chew": "eat", "sip": "drink", "speak": "talk"},
}  # fmt: skip
# participles that say a state ("his hand is placed on ...", "seated on ...")
_PARTICIPLES = {"seated": "seat", "perched": "perch", "placed": "place", "planted": "plant", "wrapped": "wrap",
                "rested": "rest", "held": "hold", "gripped": "grip"}  # fmt: skip


def third_person(verb: str) -> str:
    """'ride' -> 'rides', 'catch' -> 'catches', 'carry' -> 'carries'."""
    if verb in _THIRD:
        return _THIRD[verb]
    if verb.endswith(("s", "x", "z", "ch", "sh")):
        return verb + "es"
    if verb.endswith("y") and len(verb) > 1 and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def verb_forms(lemma: str) -> tuple[str, ...]:
    """Base, third person and gerund of a one-word verb."""
    return (lemma, third_person(lemma), gerund(lemma))


def state_lemma(state: str) -> str | None:
    """The verb lemma a HAKE state is said with ('hold in both hands' -> 'hold', 'be close with' -> 'close')."""
    if state == "no_interaction":
        return None
    if state.startswith(("be ", "is ")):
        return "close"
    if state == "shoulder carry":
        return "carry"
    return state.split(" ")[0].split("(")[0]


@cache
def state_words() -> dict[str, dict[str, frozenset[str]]]:
    """group -> text word -> the HAKE states of that group the word claims."""
    out: dict[str, dict[str, frozenset[str]]] = {}
    for group, states in group_states().items():
        by_lemma: dict[str, set[str]] = {}
        for s in states:
            lemma = state_lemma(s)
            if lemma is not None:
                by_lemma.setdefault(lemma, set()).add(s)
        for syn, lemma in STATE_SYNONYMS.get(group, {}).items():
            if lemma in by_lemma:
                by_lemma.setdefault(syn, set()).update(by_lemma[lemma])
        words: dict[str, frozenset[str]] = {}
        for lemma, claimed in by_lemma.items():
            forms = ("close",) if lemma == "close" else verb_forms(lemma)
            for form in forms:
                words[form] = frozenset(claimed)
        for part, lemma in _PARTICIPLES.items():
            if lemma in by_lemma:
                words[part] = frozenset(by_lemma[lemma])
        out[group] = words
    return out


@cache
def all_state_words() -> frozenset[str]:
    """Every word of ``state_words``, whatever its group."""
    return frozenset(w for words in state_words().values() for w in words)


# Phrasings of HICO verbs with another particle ("drinking from a cup", "sitting in a chair")
_EXTRA_VERB_PHRASES = {"drink from": "drink_with", "sit in": "sit_on", "lie in": "lie_on", "ride on": "ride",
                       "hold onto": "hold", "hold on to": "hold"}  # fmt: skip


@cache
def hico_verb_forms() -> dict[str, str]:
    """Text phrase (gerund or third person, with its particle) -> HICO verb."""
    out: dict[str, str] = {}
    for phrase, verb in _EXTRA_VERB_PHRASES.items():
        head, _, rest = phrase.partition(" ")
        for form in (gerund(head), third_person(head)):
            out[f"{form} {rest}"] = verb
    for verb in sorted({h.verb for h in hico().hois if h.verb != "no_interaction"}):
        head, _, rest = verb.replace("_", " ").partition(" ")
        for form in (gerund(head), third_person(head)):
            out[f"{form} {rest}".strip()] = verb
    return out


@cache
def hico_verb_re() -> re.Pattern[str]:
    phrases = sorted(hico_verb_forms(), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(p) for p in phrases) + r")\b")


# Extra surface names of HICO objects; ambiguous words name every category they may mean.
OBJECT_SYNONYMS: dict[str, tuple[str, ...]] = {
    "bike": ("bicycle",), "cycle": ("bicycle",), "motorbike": ("motorcycle",), "dirt bike": ("motorcycle",),
    "scooter": ("motorcycle",), "phone": ("cell phone",), "cellphone": ("cell phone",),
    "mobile phone": ("cell phone",), "smartphone": ("cell phone",), "ball": ("sports ball",),
    "soccer ball": ("sports ball",), "football": ("sports ball",), "basketball": ("sports ball",),
    "tennis ball": ("sports ball",), "volleyball": ("sports ball",), "baseball": ("sports ball",),
    "table": ("dining table",), "television": ("tv",), "sofa": ("couch",), "plane": ("airplane",),
    "aeroplane": ("airplane",), "jet": ("airplane",), "aircraft": ("airplane",), "hair dryer": ("hair drier",),
    "hairdryer": ("hair drier",), "plant": ("potted plant",), "glove": ("baseball glove",),
    "mitt": ("baseball glove",), "bat": ("baseball bat",), "racket": ("tennis racket",),
    "racquet": ("tennis racket",), "fridge": ("refrigerator",), "doughnut": ("donut",), "hotdog": ("hot dog",),
    "ski": ("skis",), "remote control": ("remote",), "teddy": ("teddy bear",), "hydrant": ("fire hydrant",),
    "canoe": ("boat",), "kayak": ("boat",), "sailboat": ("boat",), "ship": ("boat",), "yacht": ("boat",),
    "pony": ("horse",), "puppy": ("dog",), "kitten": ("cat",), "calf": ("cow",), "cattle": ("cow",),
    "lamb": ("sheep",), "mug": ("cup",), "purse": ("handbag",), "rucksack": ("backpack",),
    "luggage": ("suitcase",), "bag": ("handbag", "backpack", "suitcase"), "necktie": ("tie",),
    "surf board": ("surfboard",), "skate board": ("skateboard",), "tooth brush": ("toothbrush",),
    "man": ("person",), "woman": ("person",), "boy": ("person",), "girl": ("person",), "child": ("person",),
    "kid": ("person",), "baby": ("person",), "people": ("person",), "men": ("person",), "women": ("person",),
    "children": ("person",), "player": ("person",), "lady": ("person",),
}  # fmt: skip
_IRREGULAR_PLURALS = {"knife": "knives", "person": "persons", "sheep": "sheep", "mouse": "mice"}


def _plurals(name: str) -> tuple[str, ...]:
    if name in _IRREGULAR_PLURALS:
        return (name, _IRREGULAR_PLURALS[name])
    if name.endswith(("s", "x", "ch", "sh")):
        return (name, name + "es")
    if name.endswith("y") and name[-2] not in "aeiou":
        return (name, name[:-1] + "ies")
    return (name, name + "s")


@cache
def object_surfaces() -> dict[str, frozenset[str]]:
    """Every surface form (singular and plural) -> the HICO object categories it may name."""
    out: dict[str, set[str]] = {}
    for cat in hico().objects:
        for form in _plurals(object_text(cat)):
            out.setdefault(form, set()).add(cat)
    for word, cats in OBJECT_SYNONYMS.items():
        for form in _plurals(word):
            out.setdefault(form, set()).update(cats)
    from hoiscribe.hoi_text.phrases import object_table

    for cat, forms in object_table().items():  # the generated CHAIR-style table (hoi_text/data)
        for form in forms:
            out.setdefault(form, set()).add(cat)
    for form in CLOTHING_PLURALS:
        out.pop(form, None)
    return {k: frozenset(v) for k, v in out.items()}


# plurals that name clothing, not the object their singular names: "gloves" are worn on both hands by skiers
# and cyclists; a baseball glove is one mitt
CLOTHING_PLURALS = frozenset({"gloves"})


@cache
def object_re() -> WordAlternation:
    """``\\b(surface|...)\\b``, longest first (a :class:`WordAlternation`: the regex's matches, faster)."""
    return WordAlternation(object_surfaces())


NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "a couple of": 2, "a pair of": 2, "a dozen": 12, "half a dozen": 6,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "a hundred": 100,
}  # fmt: skip
AT_LEAST_WORDS = {"several": 3, "a group of": 3, "many": 3, "multiple": 2, "a crowd of": 5, "a few": 2}
PEOPLE_NOUNS = (
    "people", "persons", "men", "women", "kids", "children", "boys", "girls", "players", "individuals", "adults",
    "riders", "figures", "friends", "skiers", "surfers", "skateboarders", "passengers", "guests", "diners",
    "tourists", "students", "workers", "spectators",
)  # fmt: skip
