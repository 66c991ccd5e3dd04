"""Failures that are no sample's fault stop the stage: a rejected API key, an unknown model, a
server nobody can reach. The CLI prints one error line and exits 1, no sample is marked dropped,
no unit is marked done, and the rerun after the fix does the work. A stage whose samples end
``failed`` exits 1 too. Plus the openai engine's URL handling (``OPENAI_BASE_URL``, no keys in URLs)."""

from __future__ import annotations

import asyncio
import socket
from collections import Counter
from pathlib import Path
from typing import Any, ClassVar

import pytest
from typer.testing import CliRunner

from hoiscribe.cli import app
from hoiscribe.engines.base import Completion, Engine, EngineError, EngineFatalError, Message, Request
from hoiscribe.run.rows import last_rows
from hoiscribe.run.store import read_rows
from hoiscribe.testing.fakes import echo_text

pytest.importorskip("httpx")

from tests.engines.fake_openai_server import start_in_thread

runner = CliRunner()
SECRET = "sk-fatal-test-0a1b2c3d4e5f"
KEY_ENV = "HOISCRIBE_FATAL_TEST_KEY"


def free_port() -> int:
    """A local port nobody listens on (bound, read, released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def annotate(out: Path, *extra: str, engine: str = "openai", model: str | None = "fake-model") -> Any:
    args = ["annotate", "--dataset", "demo", "--engine", engine, "--out", str(out),
            "--set", "progress=false", "--set", "samples_per_unit=4", *extra]  # fmt: skip
    if model is not None:
        args += ["--model", model]
    return runner.invoke(app, args)


def openai_opts(url: str, **options: Any) -> list[str]:
    options = {"base_url": url, "api_key_env": KEY_ENV, "backoff_s": 0.01, **options}
    return [a for k, v in options.items() for a in ("--engine-opt", f"{k}={v}")]


def rows_of(out: Path) -> dict[str, dict]:
    rows: dict[str, dict] = {}
    for path in sorted((out / "stages" / "describe").glob("*/u*.jsonl")):
        rows.update(last_rows(read_rows(path)))
    return rows


def done_markers(out: Path) -> list[Path]:
    return sorted((out / "stages").glob("*/*/u*.done"))


def error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("error:")]


def n_samples(out: Path) -> int:
    from hoiscribe.catalog import read_dataset

    return len(read_dataset("demo", out / "demo-data").samples)


@pytest.fixture
def keyed_server():
    url, state, stop = start_in_thread(api_key=SECRET)
    yield url, state
    stop()


# ---- engine-wide failures through the CLI ---------------------------------------------------------


def test_rejected_key_stops_early_and_the_fixed_key_finishes(tmp_path: Path, keyed_server, monkeypatch) -> None:
    url, state = keyed_server
    out = tmp_path / "run"
    monkeypatch.setenv(KEY_ENV, "sk-wrong-key-000")
    result = annotate(out, *openai_opts(url))
    assert result.exit_code == 1, result.output
    (line,) = error_lines(result.output)  # one clear line: the stage, the status, what to check
    assert "stage 'describe' stopped early" in line and "HTTP 401" in line and f"check ${KEY_ENV}" in line
    assert "sk-wrong-key-000" not in result.output and "Traceback" not in result.output
    assert not any(r["status"] == "dropped" for r in rows_of(out).values())
    assert rows_of(out) == {} and done_markers(out) == []
    assert state.auth_failures <= 8  # stopped at the first answers: the other units were never started
    assert not (out / "merged.json").exists()

    monkeypatch.setenv(KEY_ENV, SECRET)
    result = annotate(out, *openai_opts(url))
    assert result.exit_code == 0, result.output
    rows = rows_of(out)
    assert len(rows) == n_samples(out) and all(r["status"] == "ok" for r in rows.values())
    assert (out / "merged.json").is_file() and done_markers(out)


def test_missing_key_says_it_is_not_set(tmp_path: Path, keyed_server, monkeypatch) -> None:
    url, _ = keyed_server
    monkeypatch.delenv(KEY_ENV, raising=False)
    result = annotate(tmp_path / "run", *openai_opts(url))
    assert result.exit_code == 1
    (line,) = error_lines(result.output)
    assert "HTTP 401" in line and f"${KEY_ENV} is not set" in line


def test_unknown_model_stops_early_and_the_right_model_finishes(tmp_path: Path) -> None:
    url, _, stop = start_in_thread(strict_model=True)
    out = tmp_path / "run"
    try:
        result = annotate(out, *openai_opts(url), model="no-such-model")
        assert result.exit_code == 1, result.output
        (line,) = error_lines(result.output)
        assert "HTTP 404" in line and "does not exist" in line and "check the model name (no-such-model)" in line
        assert rows_of(out) == {} and done_markers(out) == []
        result = annotate(out, *openai_opts(url))
        assert result.exit_code == 0, result.output
        assert all(r["status"] == "ok" for r in rows_of(out).values()) and len(rows_of(out)) == n_samples(out)
    finally:
        stop()


def test_unreachable_server_stops_early_and_the_rerun_resumes_once_it_is_up(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/v1"
    out = tmp_path / "run"
    result = annotate(out, *openai_opts(url, max_retries=1))
    assert result.exit_code == 1, result.output
    (line,) = error_lines(result.output)
    assert "connection failed" in line and "gave up after 2 attempts" in line and "check that the server runs" in line
    assert rows_of(out) == {} and done_markers(out) == []

    live, state, stop = start_in_thread(port=port)  # the same URL, so the same stage: a plain resume
    try:
        assert live == url
        result = annotate(out, *openai_opts(url, max_retries=1))
    finally:
        stop()
    assert result.exit_code == 0, result.output
    assert len(rows_of(out)) == n_samples(out) and all(r["status"] == "ok" for r in rows_of(out).values())
    assert state.completions == n_samples(out)


# ---- a stop midway keeps what is done; plug-ins can stop a stage too ---------------------------------


class GoesDown(Engine):
    """Answers ``budget`` requests, then can serve none: reports it (``fatal`` completions) or raises."""

    name = "goes-down"
    budget: ClassVar[int] = 0
    raises: ClassVar[bool] = False
    asked: ClassVar[Counter[str]] = Counter()

    def __init__(self, model: str | None = None, **_: Any) -> None:
        pass

    def fingerprint(self) -> str:
        return "goes-down"

    def generate(self, requests: list[Request]) -> list[Completion]:
        raise NotImplementedError

    async def agenerate(self, requests: list[Request]) -> list[Completion]:
        await asyncio.sleep(0.001)
        out = []
        for r in requests:
            if GoesDown.budget <= 0:
                if GoesDown.raises:
                    raise EngineFatalError("the backend is gone")
                out.append(Completion("", "error", error="the backend is gone", transient=True, fatal=True))
                continue
            GoesDown.budget -= 1
            GoesDown.asked[r.request_id] += 1
            out.append(Completion(echo_text(r)))
        return out


class AlwaysBusy(Engine):
    """Every request fails transiently (a 503 that never ends)."""

    name = "always-busy"
    calls: ClassVar[int] = 0

    def __init__(self, model: str | None = None, **_: Any) -> None:
        pass

    def fingerprint(self) -> str:
        return "always-busy"

    def generate(self, requests: list[Request]) -> list[Completion]:
        AlwaysBusy.calls += len(requests)
        return [Completion("", "error", error="server busy (503)", transient=True) for _ in requests]


@pytest.mark.parametrize("raises", [False, True], ids=["fatal-completion", "EngineFatalError"])
def test_a_stop_midway_keeps_what_is_done_and_the_rerun_does_the_rest(tmp_path: Path, raises: bool) -> None:
    out = tmp_path / "run"
    engine = f"{__name__}:GoesDown"
    GoesDown.budget, GoesDown.raises, GoesDown.asked = 5, raises, Counter()
    result = annotate(out, "--set", "stages.describe.concurrency=1", engine=engine, model=None)
    assert result.exit_code == 1, result.output
    (line,) = error_lines(result.output)
    assert "stage 'describe' stopped early: the backend is gone" in line and "rerun to resume" in line
    rows = rows_of(out)
    assert 0 < len(rows) <= 5 and all(r["status"] == "ok" for r in rows.values())  # done work is kept
    total = n_samples(out)
    assert len(done_markers(out)) < -(-total // 4)  # the unit that stopped has no done marker

    GoesDown.budget = 10**6
    result = annotate(out, engine=engine, model=None)
    assert result.exit_code == 0, result.output
    final = rows_of(out)
    assert len(final) == total and all(r["status"] == "ok" for r in final.values())
    assert all(n == 1 for n in GoesDown.asked.values())  # no sample answered twice: the rerun did the rest only
    assert {k: v for k, v in final.items() if k in rows} == rows


def test_a_stage_whose_samples_all_failed_exits_1(tmp_path: Path) -> None:
    out = tmp_path / "run"
    sets = ["--set", "stages.describe.max_attempts=2", "--set", "stages.describe.backoff_s=0"]
    result = annotate(out, *sets, engine=f"{__name__}:AlwaysBusy", model=None)
    assert result.exit_code == 1, result.output
    rows = rows_of(out)
    assert len(rows) == n_samples(out) and all(r["status"] == "failed" for r in rows.values())
    assert "failed" in result.output and "describe" in result.output  # the stats table came first ...
    (line,) = error_lines(result.output)  # ... then one line saying why the exit status is 1
    assert "describe" in line and "ended with failed rows" in line


def test_failed_rows_are_retried_on_the_next_run_even_in_a_finished_unit(tmp_path: Path) -> None:
    out = tmp_path / "run"
    sets = ["--set", "stages.describe.max_attempts=1"]
    AlwaysBusy.calls = 0
    assert annotate(out, *sets, engine=f"{__name__}:AlwaysBusy", model=None).exit_code == 1
    first = AlwaysBusy.calls
    assert first == n_samples(out) and done_markers(out)  # every unit finished, every row failed
    assert annotate(out, *sets, engine=f"{__name__}:AlwaysBusy", model=None).exit_code == 1
    assert AlwaysBusy.calls == 2 * first  # a done marker does not make failed rows final


def test_run_report_and_execution_result_name_stages_with_failed_rows(tmp_path: Path) -> None:
    from hoiscribe.run.config import load_config
    from hoiscribe.run.executors.local import LocalExecutor

    cfg = load_config(None, [], {"dataset": "demo", "out": str(tmp_path / "run"), "progress": False, "stages": [
        {"name": "describe", "task": "describe"},
        {"name": "refine", "task": "refine", "max_attempts": 1, "engine": {"name": f"{__name__}:AlwaysBusy"}},
    ]})  # fmt: skip
    result = LocalExecutor(cfg).run()
    assert result.failed_stages == ["refine"]
    assert [r.failed_stages for r in result.reports] == [["refine"]]


# ---- how the openai engine classifies failures -------------------------------------------------------


def test_engine_wide_failures_are_fatal_and_bad_requests_are_not(keyed_server, monkeypatch) -> None:
    from hoiscribe.engines.http import engine_wide
    from hoiscribe.engines.openai import OpenAIEngine

    assert engine_wide(401, "") and engine_wide(403, "") and engine_wide(404, "not found")
    assert engine_wide(400, "model 'x' not found") and engine_wide(400, "The model `x` does not exist")
    assert not engine_wide(400, "This model's maximum context length is 4096 tokens")
    assert not engine_wide(422, "bad schema")

    url, state = keyed_server
    monkeypatch.setenv(KEY_ENV, SECRET)
    engine = OpenAIEngine("fake-model", base_url=url, api_key_env=KEY_ENV, backoff_s=0.01)
    bad, ok = engine.generate([_req("[[fail:400:1]] too long", "bad"), _req("fine", "ok")])
    engine.close()
    assert bad.error and not bad.fatal and not bad.transient  # the request's own fault: dropped
    assert ok.error is None

    monkeypatch.setenv(KEY_ENV, "sk-wrong")
    engine = OpenAIEngine("fake-model", base_url=url, api_key_env=KEY_ENV, concurrency=2, backoff_s=0.01)
    before = state.auth_failures
    out = engine.generate([_req(f"n{i}", f"r{i}") for i in range(40)])
    engine.close()
    assert all(c.fatal and c.transient for c in out)  # transient too: a caller ignoring ``fatal`` retries
    assert state.auth_failures - before <= 2  # the first answers stopped the rest of the call
    assert sum("not sent" in c.error for c in out) >= 38


def _req(text: str, rid: str) -> Request:
    return Request("describe", [Message.text("user", text)], request_id=rid)


# ---- the openai engine's URLs ------------------------------------------------------------------------


def test_openai_base_url_from_the_environment(keyed_server, monkeypatch) -> None:
    from hoiscribe.engines.openai import OpenAIEngine
    from hoiscribe.engines.openai_options import DEFAULT_BASE_URL

    url, _ = keyed_server
    monkeypatch.setenv(KEY_ENV, SECRET)
    monkeypatch.setenv("OPENAI_BASE_URL", url + "/")
    engine = OpenAIEngine("fake-model", api_key_env=KEY_ENV)
    assert [s.url for s in engine.servers] == [url]
    assert engine.generate([_req("hello", "env")])[0].error is None
    engine.close()
    assert OpenAIEngine("m", base_url="http://127.0.0.1:9/v1").servers[0].url == "http://127.0.0.1:9/v1"  # given wins
    monkeypatch.delenv("OPENAI_BASE_URL")
    assert OpenAIEngine("m").servers[0].url == DEFAULT_BASE_URL


@pytest.mark.parametrize(
    "url",
    [f"https://user:{SECRET}@api.example.com/v1", f"https://{SECRET}@api.example.com/v1",
     f"https://api.example.com/v1?api_key={SECRET}", f"https://api.example.com/v1?x=1&token={SECRET}"],
)  # fmt: skip
def test_a_key_inside_a_url_is_refused_without_showing_it(url: str, tmp_path: Path, monkeypatch) -> None:
    from hoiscribe.engines.openai import OpenAIEngine

    with pytest.raises(EngineError, match="carries credentials") as err:
        OpenAIEngine("m", base_url=url)
    assert SECRET not in str(err.value) and "api.example.com" in str(err.value)
    with pytest.raises(EngineError, match="carries credentials") as err:
        OpenAIEngine("m", base_urls=["http://127.0.0.1:9/v1", url])
    assert SECRET not in str(err.value)
    monkeypatch.setenv("OPENAI_BASE_URL", url)
    with pytest.raises(EngineError, match=r"\$OPENAI_BASE_URL .*carries credentials") as err:
        OpenAIEngine("m")
    assert SECRET not in str(err.value)
    monkeypatch.delenv("OPENAI_BASE_URL")
    # in a config: refused when it loads, before the run directory stores the config
    out = tmp_path / "run"
    result = annotate(out, "--engine-opt", f"base_url={url}")
    assert result.exit_code == 2 and "carries credentials" in result.output
    assert SECRET not in result.output and not (out / "manifest.json").exists()
