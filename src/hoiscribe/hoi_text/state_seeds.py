"""Templates the lexicon generator composes into part-state phrases, per HAKE group and state.

Why templates rather than more hand-listed phrases: prose says where an idle limb is in many
ways ("her arm tucked against her body", "his hand stuffed in his pocket"), and an undone
binding in as many ("one foot unstrapped", "her boot came unclipped"). Each table here is
crossed or derived mechanically by :mod:`hoiscribe.hoi_text.lexicon_build`:

- ``REST_VERBS[group]`` x ``REST_PLACES[group]``: every pair is an idle phrase of the group
  (the part does nothing with any object);
- ``REVERSIBLE``: a state paraphrase "be strapped into" / "clip into" gives its undoing ("be
  unstrapped", "come unclipped", "unclip from") as an opposite of that state;
- ``OPPOSITES``: more opposites of one state (the part may still touch the object), and
  ``VERBLESS_OPPOSITES``, phrases that need no verb.
"""

from __future__ import annotations

REST_VERBS: dict[str, tuple[str, ...]] = {
    "hand": ("rest", "hang", "stay", "be tucked", "be stuffed", "be shoved", "be thrust"),
    "arm": ("hang", "rest", "stay", "be tucked", "be pinned", "be pressed", "be held"),
}
REST_PLACES: dict[str, tuple[str, ...]] = {
    "hand": ("at side", "by side", "in pocket", "into pocket", "on hip", "in lap", "on knee", "on thigh",
             "behind back", "behind head", "on own chest", "on belly", "on stomach", "on waist", "under armpit"),
    "arm": ("at side", "by side", "to side", "to body", "against body", "against side", "close to body",
            "across chest", "behind back"),
}  # fmt: skip
# verbs whose "un-" form undoes them; a state paraphrase built on one yields its undoing as an opposite
REVERSIBLE = ("strap", "clip", "lock", "buckle", "fasten", "hook", "latch", "tie", "lace", "zip", "button")
OPPOSITES: dict[str, tuple[str, ...]] = {
    "head:inspect": ("be closed", "be shut", "doze", "doze off", "nod off", "sleep", "be asleep", "fall asleep",
                     "nap", "be half closed"),
}  # fmt: skip
# phrases read without a verb; their words must not be fillers of the phrase matcher ("one", "the")
VERBLESS_OPPOSITES: dict[str, tuple[str, ...]] = {}
