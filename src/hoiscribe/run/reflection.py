"""The reflection loop: verify an answer (grounding checker and/or an examiner model) and, on FAIL,
ask again with the problems as feedback, up to a bound; every attempt is kept in the row."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hoiscribe.catalog import get_task
from hoiscribe.engines.base import ImagePart, Request
from hoiscribe.run.attempt import generate_with_retries, row_from_completion
from hoiscribe.run.rows import output_text
from hoiscribe.tasks.base import ParseError

if TYPE_CHECKING:
    from hoiscribe.run.stage import StageRun, WorkItem


async def reflect(run: StageRun, it: WorkItem, req: Request, row: dict[str, Any]) -> dict[str, Any]:
    """Verify an answer; on FAIL ask again with the problems as feedback, up to the bound.

    Every attempt is kept in ``history``; ``reflection`` says which attempt passed (or none).
    With no ``verify`` configured this only stores the grounding check.
    """
    cfg = run.config
    facts = {k: v for k, v in (req.facts or {}).items() if k not in ("prior_text", "feedback")}
    image = next((p.image for m in req.messages for p in m.content if isinstance(p, ImagePart)), None)
    history: list[dict[str, Any]] = []
    attempt = 1
    while True:
        verdict, problems = await _judge(run, it, facts, row, image)
        history.append({"attempt": attempt, "output": row["output"], "raw": row["raw"], "verdict": verdict,
                        "problems": problems})  # fmt: skip
        if verdict == "PASS" or not cfg.verify or attempt >= cfg.reflect_attempts:
            break
        feedback = feedback_text(problems)
        render = run.engine.reads_prompt
        retry = run.task.build(it.sample, facts, it.prior_text, run.sampling, image, render, feedback)
        ((comp, tries),) = await generate_with_retries(run, [retry])
        attempt += 1
        run.counters["reflections"] += 1
        new_row = row_from_completion(run, it, retry, comp, tries)
        if new_row["status"] != "ok":
            history.append({"attempt": attempt, "output": None, "raw": new_row["raw"], "verdict": "ERROR",
                            "problems": [{"claim": "", "why": new_row["reason"] or ""}]})  # fmt: skip
            break
        row = new_row
    if cfg.verify:
        passed = next((h["attempt"] for h in history if h["verdict"] == "PASS"), None)
        row["history"] = history
        row["reflection"] = {"attempts": attempt, "passed_attempt": passed}
    return row


def feedback_text(problems: list[dict[str, str]]) -> str:
    """One line per problem, quoting the contradicted words exactly, so the model knows what to change."""
    lines = []
    for p in problems:
        claim = " ".join(str(p.get("claim") or "").split())
        lines.append(f'- "{claim}" is wrong: {p.get("why") or "contradicted"}' if claim else f"- {p.get('why')}")
    return "\n".join(lines)


def _check(run: StageRun, output: Any, facts: dict[str, Any]) -> Any:
    """The task's check; with ``grounding: {extractor: ...}`` the HOI task's extractor tier."""
    extractor = getattr(run.config.grounding, "extractor", None)
    if extractor is None:
        return run.task.check(output, facts)
    engine = _EXTRACTORS.get(id(run))
    if engine is None:
        from hoiscribe.catalog import make_engine

        engine = _EXTRACTORS[id(run)] = make_engine(extractor.name, extractor.model, **extractor.options)
    try:
        return run.task.check(output, facts, extractor=engine)
    except TypeError:  # a task without an extractor tier
        return run.task.check(output, facts)


_EXTRACTORS: dict[int, Any] = {}


async def _judge(
    run: StageRun, it: WorkItem, facts: dict[str, Any], row: dict[str, Any], image: Any
) -> tuple[str, list[dict[str, str]]]:
    """PASS/FAIL with problems, from the grounding checker and/or an examiner model."""
    text = output_text(row) or ""
    problems: list[dict[str, str]] = []
    if run.grounding or "grounding" in run.config.verify:
        report = _check(run, row["output"], facts)
        if report is not None:
            row["grounding"] = report.as_dict()
            if "grounding" in run.config.verify:
                problems += [{"claim": c.text, "why": f"{c.type}: {c.reason}"} for c in report.contradicted]
    if "examiner" in run.config.verify and run.examiner is not None:
        exam = get_task("examine")
        render = run.examiner.reads_prompt
        req = exam.build(it.sample, facts, text, run.sampling, image, render)
        (comp,) = await run.examiner.agenerate([req])
        try:
            verdict = exam.parse(comp.text) if comp.error is None else None
        except ParseError:
            verdict = None
        if verdict is None:
            run.counters["examiner_unusable"] += 1
        elif verdict["verdict"] == "FAIL":
            problems += verdict["problems"] or [{"claim": text[:80], "why": "examiner verdict FAIL"}]
    return ("FAIL" if problems else "PASS"), problems
