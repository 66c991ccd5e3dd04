"""Options of the OpenAI-compatible engine (and the client half of the vllm engine's)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from hoiscribe.engines.base import AtLeast0, AtLeast1, EngineOptions
from hoiscribe.engines.images import DEFAULT_MAX_IMAGE_PIXELS

DEFAULT_BASE_URL = "http://127.0.0.1:8000/v1"
BASE_URL_ENV = "OPENAI_BASE_URL"  # the server when no base_url / base_urls is configured, as the OpenAI SDK reads it
Structured = Literal["response_format", "guided_json", "structured_outputs", "none"]


def _url_list(value: Any) -> Any:
    """``base_urls`` may be one comma-separated string."""
    return [u for u in value.split(",") if u] if isinstance(value, str) else value


class OpenAIClientOptions(EngineOptions):
    """How the client talks to its servers; the vllm engine takes these too (it supplies the URLs)."""

    api_key_env: str | None = Field(
        "OPENAI_API_KEY",
        description="environment variable that holds the API key; the key is sent only in the Authorization "
        "header and never appears in logs, outputs or the fingerprint",
    )
    concurrency: AtLeast1 = Field(64, description="requests in flight (values below 1 count as 1)")
    timeout_s: float = Field(120.0, description="read, write and pool timeout of one attempt, in seconds")
    connect_timeout_s: float | None = Field(
        None, description="connect timeout of one attempt; none: `min(10, timeout_s)`"
    )
    max_retries: AtLeast0 = Field(
        5,
        description="retries of 408/409/425/429/5xx, timeouts, connection errors and bodies that are not a "
        "chat completion; exponential backoff with jitter, honouring Retry-After",
    )
    backoff_s: float = Field(0.5, description="backoff before the first retry, doubled per retry")
    backoff_max_s: float = Field(20.0, description="longest backoff (and longest Retry-After honoured)")
    max_pixels: int = Field(28 * 28 * 1280, description="pixel budget per image; images are resized to it")
    max_image_pixels: int = Field(
        DEFAULT_MAX_IMAGE_PIXELS,
        gt=0,
        description="images whose header claims more pixels are refused before decoding (a decompression bomb); "
        "the request fails on its own",
    )
    image_format: str = Field("JPEG", description="encoding of images sent as base64 data URLs")
    image_quality: int = Field(90, description="JPEG/WEBP quality of sent images")
    structured: Structured = Field(
        "response_format",
        description="how `Request.json_schema` is sent: `response_format` (OpenAI `json_schema`), `guided_json` "
        "(older vLLM), `structured_outputs` (current vLLM), `none`",
    )
    extra_body: dict[str, Any] | None = Field(None, description='merged into every request body, e.g. `{"top_k": 20}`')
    image_workers: AtLeast1 = Field(4, description="threads that decode, resize and encode images")


class _ServerOptions(EngineOptions):
    base_url: str | None = Field(
        None,
        description=f"the server, when `base_urls` is not given; none: `${BASE_URL_ENV}` if set, "
        f"else `{DEFAULT_BASE_URL}`",
    )
    base_urls: Annotated[list[str] | None, BeforeValidator(_url_list)] = Field(
        None,
        description="several servers (a list or one comma-separated string), load-balanced by requests in flight",
    )


class OpenAIOptions(OpenAIClientOptions, _ServerOptions):
    """Options of the openai engine: the servers, then the client options."""
