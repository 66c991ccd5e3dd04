"""The LLM claim-extraction tier: any engine splits a text into atomic claims, the rule verifier judges them.

Why two tiers: the rule front end reads the phrasings its lexicons know; an LLM reads any
prose but cannot be trusted to judge. So the model only decomposes the text into claims
under :data:`CLAIM_SCHEMA` (subject, body part, side, predicate, object, negated, evidence
span), and the same deterministic rules of :mod:`hoiscribe.hoi_text.checker` judge each one
against the facts. Answers are cached by (extractor fingerprint, text); every result carries
the fingerprint; when the engine fails or answers something unusable, the text is checked
by the rule tier instead and the result says so.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hoiscribe.core.parsing import extract_json
from hoiscribe.core.verdicts import GroundingReport
from hoiscribe.engines.base import Completion, Engine, Message, Request, Sampling
from hoiscribe.hoi_text import phrases
from hoiscribe.hoi_text.checker import check_text, judge_claims
from hoiscribe.hoi_text.claim_types import AnyClaim, CountClaim, OppositeClaim, PartRef, StateClaim, VerbClaim
from hoiscribe.hoi_text.claim_words import object_re, object_surfaces
from hoiscribe.hoi_text.claims import extract
from hoiscribe.hoi_text.clause_objects import NEAR, near_re
from hoiscribe.hoi_text.part_preds import contact_state

MAX_CHARS = 8000  # longer texts are checked by the rule tier (an extractor prompt must stay bounded)
_GROUPS = ("head", "hip", "hand", "arm", "leg", "foot")


class AtomClaim(BaseModel):
    """One atomic claim as the extractor returns it (the corpus answer format)."""

    model_config = ConfigDict(extra="ignore")
    subject: Literal["person", "other_person", "object", "animal", "scene"] = "person"
    body_part: Literal["head", "hip", "hand", "arm", "leg", "foot"] | None = None
    side: Literal["left", "right", "both"] | None = None
    predicate: str = Field(min_length=1)
    object: str | None = None
    negated: bool = False
    span: str = ""


class ClaimList(BaseModel):
    model_config = ConfigDict(extra="ignore")
    claims: list[AtomClaim]


CLAIM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"claims": {"type": "array", "items": AtomClaim.model_json_schema()}},
    "required": ["claims"],
}
PROMPT = (
    "Split the description below into atomic claims about the main person. For each claim give: subject "
    "(person, other_person, object, animal or scene), body_part (head, hip, hand, arm, leg, foot or null), "
    "side (left, right, both or null), predicate (a verb or state in base form, e.g. 'hold', 'look at', "
    "'sit on', 'alone'), object (the noun as written, or null), negated (true when the text denies it) and "
    'span (the exact words of the text that state it). Answer only JSON: {"claims": [...]}.\n\n'
    "Description:\n"
)


class ExtractorConfig(BaseModel):
    """``grounding: {extractor: {...}}`` of a pipeline stage, or ``hoiscribe check --extractor``."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1)
    model: str | None = None
    options: dict[str, Any] = Field(default_factory=dict)
    max_tokens: int = Field(1024, ge=16)
    cache_dir: str | None = None


@dataclass
class ExtractorResult:
    report: GroundingReport
    tier: Literal["extractor", "rule"]
    fingerprint: str
    cached: bool = False
    error: str | None = None
    atoms: list[dict[str, Any]] = field(default_factory=list)  # the extracted claims, as stored

    @property
    def contradicted(self) -> list[Any]:
        return self.report.contradicted

    def as_dict(self) -> dict[str, Any]:
        return {**self.report.as_dict(), "tier": self.tier, "extractor": self.fingerprint, "cached": self.cached,
                "error": self.error}  # fmt: skip


class ClaimCache:
    """Extracted claims by content: sha256 of (extractor fingerprint, text); optional JSON files on disk."""

    def __init__(self, directory: str | Path | None = None) -> None:
        self.memory: dict[str, list[dict[str, Any]]] = {}
        self.directory = Path(directory) if directory else None

    @staticmethod
    def key(fingerprint: str, text: str) -> str:
        return hashlib.sha256(f"{fingerprint}\0{text}".encode()).hexdigest()

    def get(self, key: str) -> list[dict[str, Any]] | None:
        if key in self.memory:
            return self.memory[key]
        if self.directory is not None and (path := self.directory / f"{key}.json").exists():
            try:
                self.memory[key] = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return None
            return self.memory[key]
        return None

    def put(self, key: str, claims: list[dict[str, Any]]) -> None:
        self.memory[key] = claims
        if self.directory is not None:
            self.directory.mkdir(parents=True, exist_ok=True)
            (self.directory / f"{key}.json").write_text(json.dumps(claims), encoding="utf-8")


_DEFAULT_CACHE = ClaimCache()


def extraction_request(text: str, max_tokens: int = 1024, key: str = "") -> Request:
    """The request any engine answers: the prompt, the text, and the claim schema."""
    return Request(task="hoi_claims", messages=[Message.text("user", PROMPT + text)],
                   sampling=Sampling(max_tokens=max_tokens), json_schema=CLAIM_SCHEMA,
                   facts={"text_key": key}, request_id=key)  # fmt: skip


def parse_answer(raw: str) -> list[AtomClaim]:
    """The claims of an engine's answer; ``ValueError`` when it is not the schema."""
    parsed = extract_json(raw)
    if parsed.error is not None or parsed.value is None:
        raise ValueError(f"extractor answer is not JSON: {parsed.error}")
    data = parsed.value
    if isinstance(data, list):
        data = {"claims": data}
    try:
        return ClaimList.model_validate(data).claims
    except ValidationError as exc:
        raise ValueError(f"extractor answer does not match the claim schema: {exc.errors()[0]['msg']}") from None


def _objects(noun: str | None) -> frozenset[str] | None:
    if not noun:
        return None
    low = noun.lower()
    if low.split()[-1] in phrases.OBJECT_PARTS:
        return None  # 'the handlebars', 'it': the pair's object
    m = object_re().search(low)
    if m:
        return object_surfaces()[m.group(1)]
    near = near_re().search(low)
    return frozenset({NEAR + phrases.near_miss_table()[near.group(1)]["noun"]}) if near else frozenset()


def to_claims(atoms: list[AtomClaim], text: str) -> list[AnyClaim]:
    """Atoms in the rule tier's claim types, so the one verifier judges both tiers."""
    out: list[AnyClaim] = []
    for a in atoms:
        span = a.span if a.span and a.span in text else a.predicate
        words = a.predicate.lower().replace("_", " ").split()
        if a.predicate.lower() in ("alone", "be alone", "only person"):
            out.append(CountClaim(span, 1, False, span))
            continue
        if a.subject != "person" or not words:
            continue  # claims about other people, animals, the object or the scene are not about the person
        objects = _objects(a.object)
        if a.body_part is not None:
            sides: tuple[str | None, ...]
            if a.body_part in ("hip", "head"):
                sides, mode = (None,), "single"
            elif a.side == "both":
                sides, mode = ("left", "right"), "both"
            elif a.side in ("left", "right"):
                sides, mode = (a.side,), "single"
            else:
                sides, mode = (None,), "either"
            ref = PartRef(a.body_part, sides, mode, a.body_part, "subject", 0, 1)
            found = phrases.find(words, phrases.state_index(a.body_part))
            if found:
                states = frozenset(v.split(":", 1)[1] for v in found[0].values)
                out.append(StateClaim(span, ref, states, objects, a.negated, span))
                continue
            bare = [w for w in words if w not in ("be", "is", "are")]
            contact = contact_state(a.body_part, [*bare, *(a.object or "it").lower().split()])
            if contact is not None:  # "feet: on the pegs"
                idle = contact[0] == {"no_interaction"}  # "rest in his lap": idle, whatever it rests on
                out.append(
                    StateClaim(span, ref, contact[0], contact[1] if idle else objects, a.negated != contact[2], span)
                )
                continue
        verbs = phrases.find(words, phrases.verb_index())
        undo = phrases.find(words, phrases.opposite_index())
        if undo and not a.negated and not (verbs and verbs[0].exact):  # "close the fridge" while open is a label
            out.append(OppositeClaim(span, undo[0].values, objects, span))
            continue
        if verbs:
            m = verbs[0]
            exact = m.exact or (len(m.values) == 1 and not m.loose)
            out.append(VerbClaim(span, sorted(m.values)[0], objects, m.values, exact, a.negated, span))
            continue
        if span in text and span != a.predicate:  # what the mapping cannot say, the rule front end may read
            out.extend(c for c in extract(span) if not isinstance(c, CountClaim))
    return out


def check_with_extractor(
    text: str,
    facts: dict[str, Any],
    engine: Engine,
    cache: ClaimCache | None = None,
    key: str = "",
    max_tokens: int = 1024,
) -> ExtractorResult:
    """Check ``text`` with claims an engine extracted; the rule tier when it fails."""
    fingerprint = engine.fingerprint()
    cache = _DEFAULT_CACHE if cache is None else cache
    if not text.strip() or len(text) > MAX_CHARS:
        why = "empty text" if not text.strip() else f"text over {MAX_CHARS} characters"
        return ExtractorResult(check_text(text, facts), "rule", fingerprint, error=why)
    ck = ClaimCache.key(fingerprint, text)
    stored, cached = cache.get(ck), True
    try:
        if stored is None:
            cached = False
            (comp,) = engine.generate([extraction_request(text, max_tokens, key)])
            if comp.error is not None:
                raise ValueError(f"extractor failed: {comp.error}")
            stored = [a.model_dump() for a in parse_answer(comp.text)]
            cache.put(ck, stored)
        atoms = [AtomClaim.model_validate(a) for a in stored]
    except Exception as exc:
        return ExtractorResult(check_text(text, facts), "rule", fingerprint, error=str(exc)[:300])
    report = judge_claims(to_claims(atoms, text), text, facts)
    return ExtractorResult(report, "extractor", fingerprint, cached, atoms=stored)


class ReplayEngine(Engine):
    """A scripted extractor: answers each request with a stored claim list (by ``request_id``)."""

    name = "replay_claims"
    needs_images = False
    inline = True

    def __init__(self, answers: dict[str, Any], model: str | None = None) -> None:
        self.answers = answers

    def fingerprint(self) -> str:
        digest = hashlib.sha256(json.dumps(self.answers, sort_keys=True).encode()).hexdigest()[:12]
        return f"replay_claims:{digest}"

    def generate(self, requests: list[Request]) -> list[Completion]:
        out = []
        for r in requests:
            answer = self.answers.get(r.request_id)
            if answer is None:
                out.append(Completion("", error=f"no stored answer for {r.request_id!r}"))
            else:
                out.append(Completion(json.dumps({"claims": answer.get("claims", [])}), fingerprint=self.fingerprint()))
        return out


def replay_engine(answers: dict[str, Any]) -> ReplayEngine:
    return ReplayEngine(answers)


def build_extractor(config: ExtractorConfig | dict[str, Any] | str) -> Engine:
    """An engine from ``name[:model]`` or an :class:`ExtractorConfig`, through the catalog."""
    from hoiscribe.catalog import make_engine

    if isinstance(config, str):
        name, _, model = config.partition(":")
        config = ExtractorConfig(name=name, model=model or None)
    cfg = config if isinstance(config, ExtractorConfig) else ExtractorConfig.model_validate(config)
    return make_engine(cfg.name, cfg.model, **cfg.options)


__all__ = ["CLAIM_SCHEMA", "AtomClaim", "ClaimCache", "ExtractorConfig", "ExtractorResult", "ReplayEngine",
           "build_extractor", "check_with_extractor", "parse_answer", "replay_engine", "to_claims"]  # fmt: skip


def text_checker(spec: str | None = None, cache_dir: str | None = None) -> Any:
    """``(text, facts) -> grounding dict``: the rule tier, or the extractor tier for an engine spec
    ``name[:model]`` (what ``hoiscribe check --extractor`` takes)."""
    if not spec:
        return lambda text, facts: check_text(text, facts).as_dict()
    engine, cache = build_extractor(spec), ClaimCache(cache_dir)
    return lambda text, facts: check_with_extractor(text, facts, engine, cache).as_dict()
