"""The OpenAI-compatible engine against a real local HTTP server that misbehaves on cue."""

from __future__ import annotations

import asyncio
import base64
import io
import logging

import pytest
from PIL import Image

pytest.importorskip("aiohttp")

from hoiscribe.core.parsing import extract_json
from hoiscribe.engines.base import EngineError, ImagePart, Message, Request, Sampling
from hoiscribe.engines.openai import OpenAIEngine
from tests.engines.fake_openai_server import start_in_thread

SECRET = "sk-test-9f8e7d6c5b4a-do-not-leak"


@pytest.fixture
def server():
    url, state, stop = start_in_thread(keep_bodies=True)
    yield url, state
    stop()


def _req(text: str, rid: str = "", **kwargs: object) -> Request:
    return Request("describe", [Message.text("user", text)], request_id=rid, **kwargs)


def _engine(url: str | list[str], **options: object) -> OpenAIEngine:
    options.setdefault("backoff_s", 0.01)
    options.setdefault("max_retries", 3)
    urls = url if isinstance(url, list) else [url]
    return OpenAIEngine("fake-model", base_urls=urls, **options)


def test_faults_are_retried_or_reported(server) -> None:
    url, _ = server
    engine = _engine(url, timeout_s=0.5)
    directives = [
        "",
        "[[fail:429:2]]",
        "[[fail:503:1]]",
        "[[drop:2]]",
        "[[garbage:1]]",
        "[[fail:500:99]]",
        "[[fail:400:1]]",
        "[[garbage:99]]",
        "[[drop:99]]",
        "[[sleep:3000]]",
    ]
    requests = [_req(f"hello {i} {d}", f"r{i}") for i, d in enumerate(directives)]
    out = engine.generate(requests)
    engine.close()
    ok = out[:5]
    assert [c.error for c in ok] == [None] * 5
    assert [c.text for c in ok] == [f"echo: hello {i} (images=0)" for i in range(5)]
    assert [c.timings["attempts"] for c in ok] == [1.0, 3.0, 2.0, 3.0, 2.0]
    # out of retries: named request, transient for 5xx / drops / timeouts
    assert "r5" in out[5].error and "HTTP 500" in out[5].error and "gave up after 4" in out[5].error
    assert out[5].transient
    assert "r6" in out[6].error and "HTTP 400" in out[6].error and not out[6].transient
    assert out[6].timings["attempts"] == 1.0  # a bad request is not retried
    assert "not a chat completion" in out[7].error and "bad gateway" in out[7].error and not out[7].transient
    assert "connection failed" in out[8].error and out[8].transient
    assert "timed out" in out[9].error and out[9].transient
    assert all("fake-model" in c.error for c in out[5:])


def test_many_requests_under_faults_all_finish(server) -> None:
    url, state = server
    engine = _engine(url, concurrency=8, max_retries=4)
    kinds = ["", "[[fail:429:1]]", "[[drop:1]]", "[[garbage:1]]", "[[fail:502:2]]"]
    requests = [_req(f"n{i} {kinds[i % 5]}", f"q{i}") for i in range(100)]
    out = engine.generate(requests)
    engine.close()
    assert len(out) == 100
    assert all(c.error is None for c in out), [c.error for c in out if c.error][:3]
    assert [c.text for c in out] == [f"echo: n{i} (images=0)" for i in range(100)]
    assert state.completions == 100


def test_api_key_is_sent_but_never_leaks(monkeypatch, caplog) -> None:
    monkeypatch.setenv("HOISCRIBE_TEST_KEY", SECRET)
    url, state, stop = start_in_thread(api_key=SECRET)
    caplog.set_level(logging.DEBUG)
    try:
        engine = _engine(url, api_key_env="HOISCRIBE_TEST_KEY")
        out = engine.generate([_req("hi"), _req("[[fail:500:9]]", "failing"), _req("[[fail:401:1]]")])
        assert out[0].error is None and state.auth_failures == 0
        wrong = _engine(url, api_key_env="HOISCRIBE_MISSING_KEY")
        denied = wrong.generate([_req("hi", "denied")])[0]
        texts = [repr(c) for c in [*out, denied]] + [engine.fingerprint(), repr(engine), caplog.text]
        engine.close()
        wrong.close()
    finally:
        stop()
    assert "HTTP 401" in denied.error and "$HOISCRIBE_MISSING_KEY" in denied.error
    assert "HTTP 401" in out[2].error and "$HOISCRIBE_TEST_KEY" in out[2].error
    assert caplog.text  # retries were logged ...
    for text in texts:
        assert SECRET not in text  # ... and nothing anywhere carries the key
        assert SECRET[-12:] not in text


def test_images_sent_resized_as_data_urls(server, tmp_path) -> None:
    url, state = server
    engine = _engine(url, max_pixels=100 * 100)
    big = Image.new("RGB", (400, 300), (200, 10, 10))
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG garbage")
    good = Request("d", [Message("user", (ImagePart(image=big), "what is here"))], request_id="img")
    bad = Request("d", [Message("user", (ImagePart(path=str(broken)), "x"))], request_id="bad-img")
    out = engine.generate([good, bad])
    engine.close()
    assert out[0].error is None and out[0].text == "echo: what is here (images=1)"
    assert "bad-img" in out[1].error and "broken.png" in out[1].error and not out[1].transient
    assert len(state.bodies) == 1  # the bad image never reached the server
    part = state.bodies[0]["messages"][0]["content"][0]
    assert part["type"] == "image_url" and part["image_url"]["url"].startswith("data:image/jpeg;base64,")
    decoded = Image.open(io.BytesIO(base64.b64decode(part["image_url"]["url"].split(",", 1)[1])))
    assert decoded.width * decoded.height <= 100 * 100
    assert abs(decoded.width / decoded.height - 4 / 3) < 0.05


@pytest.mark.parametrize(
    ("mode", "key"),
    [
        ("response_format", "response_format"),
        ("guided_json", "guided_json"),
        ("structured_outputs", "structured_outputs"),
    ],
)
def test_structured_output_modes(server, mode: str, key: str) -> None:
    url, state = server
    schema = {"type": "object", "properties": {"echo": {"type": "string"}}, "required": ["echo"]}
    engine = _engine(url, structured=mode)
    out = engine.generate([_req("give json", json_schema=schema, sampling=Sampling(max_tokens=50, stop=("END",)))])
    engine.close()
    body = state.bodies[-1]
    assert key in body and body["stop"] == ["END"] and body["max_tokens"] == 50
    if mode == "response_format":
        assert body[key]["json_schema"]["schema"] == schema
    parsed = extract_json(out[0].text, schema)
    assert parsed.ok and parsed.value == {"echo": "give json"}


def test_malformed_structured_answers_repaired_or_reported(server) -> None:
    url, _ = server
    schema = {
        "type": "object",
        "properties": {"a": {"type": "integer"}, "b": {"type": "array"}},
        "required": ["a"],
    }
    engine = _engine(url)
    replies = [
        'Here you go: ```json {"a": 1, "b": [1, 2,]} ```',
        '{"a": 1, "b": [1, 2',
        "sorry, no",
        '{"b": []}',
    ]
    out = engine.generate([_req(f"[[reply:{r}]] {i}", json_schema=schema) for i, r in enumerate(replies)])
    engine.close()
    parsed = [extract_json(c.text, schema) for c in out]
    assert parsed[0].ok and parsed[0].value == {"a": 1, "b": [1, 2]} and parsed[0].repaired
    assert parsed[1].ok and parsed[1].value == {"a": 1, "b": [1, 2]} and parsed[1].repaired
    assert not parsed[2].ok and parsed[2].raw == "sorry, no"
    assert not parsed[3].ok and "missing required property 'a'" in parsed[3].error


def test_load_balancing_and_failover() -> None:
    servers = [start_in_thread(name=f"s{i}") for i in range(3)]
    urls = [u for u, _, _ in servers]
    try:
        engine = _engine(urls, concurrency=6)
        out = engine.generate([_req(f"[[sleep:20]] {i}") for i in range(60)])
        counts = [state.completions for _, state, _ in servers]
        assert all(c.error is None for c in out)
        assert sum(counts) == 60 and min(counts) >= 10, counts
        servers[0][2]()  # stop the first server: its share fails over to the others
        out = engine.generate([_req(f"after {i}") for i in range(30)])
        assert all(c.error is None for c in out), [c.error for c in out if c.error][:2]
        assert sum(state.completions for _, state, _ in servers[1:]) == sum(counts[1:]) + 30
        engine.close()
    finally:
        for _, _, stop in servers[1:]:
            stop()


def test_unreachable_server_reports_transient(unused_port: int) -> None:
    engine = _engine(f"http://127.0.0.1:{unused_port}/v1", max_retries=2)
    out = engine.generate([_req("hi", "lonely")])
    engine.close()
    assert "lonely" in out[0].error and "connection failed" in out[0].error and out[0].transient


def test_agenerate_from_a_running_loop(server) -> None:
    url, _ = server
    engine = _engine(url)

    async def main() -> list[str]:
        first, second = await asyncio.gather(engine.agenerate([_req("a")]), engine.agenerate([_req("b")]))
        return [first[0].text, second[0].text]

    assert asyncio.run(main()) == ["echo: a (images=0)", "echo: b (images=0)"]
    assert engine.generate([_req("c")])[0].text == "echo: c (images=0)"  # same client, another caller
    engine.close()


def test_model_discovery_and_bad_options(server) -> None:
    url, _ = server
    engine = OpenAIEngine(base_url=url)
    assert engine.generate([_req("x")])[0].error is None
    assert engine.model == "fake-model" and engine.fingerprint() == "openai:fake-model@127.0.0.1"
    engine.close()
    with pytest.raises(EngineError, match="unknown option"):
        OpenAIEngine("m", base_url=url, concurency=3)


def test_connections_are_kept_alive_and_reused(server) -> None:
    url, state = server
    engine = _engine(url, concurrency=8)
    first = engine.generate([_req(f"[[sleep:5]] a{i}") for i in range(64)])
    after_first = state.connections
    second = engine.generate([_req(f"b{i}") for i in range(64)])
    engine.close()
    assert all(c.error is None for c in first + second)
    assert 1 <= after_first <= 8  # at most one connection per request in flight
    assert state.connections == after_first  # the second call reused them all
    assert all(body["stream"] is False for body in state.bodies)  # whole answers, never streamed
