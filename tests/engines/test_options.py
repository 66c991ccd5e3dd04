"""Engine options are pydantic models: checked when an engine is built and when a config loads.

``python tests/engines/test_options.py --write`` refreshes the option tables in docs/engines.md.
"""

from __future__ import annotations

import inspect
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from hoiscribe.catalog import ENGINES, engine_class, make_engine
from hoiscribe.engines.base import Engine, EngineError, EngineOptions, engine_option_problems, options_table
from hoiscribe.engines.launcher import ServerLauncher
from hoiscribe.engines.openai import OpenAIEngine
from hoiscribe.engines.openai_options import OpenAIOptions
from hoiscribe.engines.transformers import TransformersOptions
from hoiscribe.engines.vllm import LauncherOptions, VLLMOptions
from hoiscribe.run.config import ConfigError, load_config

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "engines.md"
_TABLE = re.compile(r"(<!-- options: (\S+) -->\n).*?(<!-- /options -->)", re.S)


def render_doc(text: str) -> str:
    """``text`` with every marked options table rendered from its engine's model."""
    return _TABLE.sub(lambda m: m[1] + options_table(engine_class(m[2]).options_model) + "\n" + m[3], text)


def _config(tmp_path: Path, engine: dict, examiner: dict | None = None, task: str = "describe") -> Path:
    stage: dict = {"name": "describe", "task": task, "engine": engine}
    if examiner is not None:
        stage["examiner"] = examiner
    path = tmp_path / "pipeline.yaml"
    path.write_text(json.dumps({"dataset": "demo", "stages": [stage]}))  # JSON is YAML
    return path


# ---- construction -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("openai", {"concurency": 3}),
        ("grounded", {"temperature": 0.2}),
        ("agent", {"inner": {"name": "grounded"}, "tool_budget": 3}),
        ("expressions_workflow", {"plannr": {"name": "grounded"}}),
        ("vllm", {"num_gpus": 2}),
        ("transformers", {"batchsize": 4}),
    ],
)
def test_unknown_option_is_an_engine_error_naming_it(name: str, options: dict) -> None:
    (bad,) = [k for k in options if k not in engine_class(name).options_model.model_fields]
    # vllm and transformers would need a model folder: the options are checked before that
    with pytest.raises(EngineError, match=rf"{name.split('_')[0]}.* engine: unknown option '{bad}'") as info:
        make_engine(name, model=None, **options)
    known = engine_class(name).options_model.model_fields
    assert all(k in str(info.value) for k in known), "the message lists the known options"


def test_wrong_type_names_the_field_and_the_value() -> None:
    with pytest.raises(EngineError, match=r"openai engine: timeout_s: Input should be a valid number.*'soon'"):
        OpenAIEngine("m", timeout_s="soon")
    with pytest.raises(EngineError, match=r"structured: Input should be 'response_format'.*'json'"):
        OpenAIEngine("m", structured="json")
    with pytest.raises(EngineError, match=r"agent engine: max_turns: .*greater than or equal to 1"):
        make_engine("agent", inner={"name": "grounded"}, max_turns=0)
    with pytest.raises(EngineError, match=r"agent engine: inner\.option: unknown key"):
        make_engine("agent", inner={"name": "grounded", "option": {}})  # a typo of "options"
    with pytest.raises(EngineError, match=r"expressions-workflow engine: extended_margin: .*less than or equal to 4"):
        make_engine("expressions_workflow", extended_margin=5)
    with pytest.raises(EngineError, match=r"vllm engine: gpus: expected GPU ids"):
        make_engine("vllm", model=None, gpus={"a": 1})
    with pytest.raises(EngineError, match=r"transformers engine: device_map: expected a device"):
        make_engine("transformers", model=None, device_map=1.5)


def test_openai_defaults_are_the_old_ones_and_nothing_connects(unused_port: int) -> None:
    pytest.importorskip("aiohttp")
    engine = OpenAIEngine("m", base_url=f"http://127.0.0.1:{unused_port}/v1/")  # nothing listens there
    try:
        assert [s.url for s in engine.servers] == [f"http://127.0.0.1:{unused_port}/v1"]
        assert (engine.concurrency, engine.timeout_s, engine.connect_timeout_s) == (64, 120.0, 10.0)
        assert (engine.max_retries, engine.backoff_s, engine.backoff_max_s) == (5, 0.5, 20.0)
        assert (engine.max_pixels, engine.image_format, engine.image_quality) == (28 * 28 * 1280, "JPEG", 90)
        assert (engine.structured, engine.extra_body, engine.api_key_env) == ("response_format", {}, "OPENAI_API_KEY")
        assert engine._pool._max_workers == 4
        assert engine._loop is None and engine._transport is None  # no loop, no connection until first use
    finally:
        engine.close()
    assert [s.url for s in OpenAIEngine("m").servers] == ["http://127.0.0.1:8000/v1"]


def test_derived_values_and_clamps_are_kept() -> None:
    pytest.importorskip("aiohttp")
    engine = OpenAIEngine("m", timeout_s=4, concurrency=0, max_retries=-1, image_workers=0, api_key_env=None)
    assert engine.connect_timeout_s == 4.0  # min(10, timeout_s)
    assert (engine.concurrency, engine.max_retries, engine._pool._max_workers) == (1, 0, 1)  # clamped, not rejected
    assert engine.api_key_env == "OPENAI_API_KEY"
    engine.close()
    engine = OpenAIEngine("m", concurrency="16", timeout_s="30", base_urls="http://a:1/v1,http://b:2/v1/")
    assert (engine.concurrency, engine.timeout_s, engine.connect_timeout_s) == (16, 30.0, 10.0)
    assert [s.url for s in engine.servers] == ["http://a:1/v1", "http://b:2/v1"]
    engine.close()
    assert TransformersOptions(batch_size=0, image_workers=-3).batch_size == 1
    assert LauncherOptions(tensor_parallel=0).tensor_parallel == 1
    assert make_engine("expressions_workflow", concurrency=0).concurrency == 1


def test_vllm_options_compose_launcher_and_client() -> None:
    fields = VLLMOptions.model_fields
    client = set(OpenAIOptions.model_fields) - {"base_url", "base_urls"}  # the launcher supplies the URLs
    assert set(fields) == set(LauncherOptions.model_fields) | client
    opts = VLLMOptions(command_template="sglang", gpus=[0, 1], env={"NCCL_P2P_DISABLE": 1}, concurrency=8)
    assert opts.structured == "structured_outputs" and OpenAIOptions().structured == "response_format"
    kwargs = opts.launcher_kwargs()
    assert kwargs["command_template"].startswith("{python} -m sglang.launch_server")
    assert kwargs["gpus"] == ["0", "1"] and kwargs["env"] == {"NCCL_P2P_DISABLE": "1"}
    assert "concurrency" not in kwargs and VLLMOptions(gpus="").gpus == ""  # "" still means no GPUs


def test_launcher_options_default_to_the_launcher_signature() -> None:
    params = inspect.signature(ServerLauncher).parameters
    for name, info in LauncherOptions.model_fields.items():
        if name != "command_template":  # the option names a template ("vllm"); the launcher takes the text
            assert info.default == params[name].default, name
    assert set(params) - set(LauncherOptions.model_fields) == {"model", "on_change"}


def test_workflow_defaults_are_the_workflow_settings() -> None:
    from hoiscribe.expressions.workflow import Settings

    engine = make_engine("expressions_workflow")
    assert engine.settings == Settings() and engine.concurrency == 16


def test_every_engine_declares_described_options() -> None:
    for name in ENGINES:
        model = engine_class(name).options_model
        assert model.model_config.get("extra") == "forbid", name
        for field, info in model.model_fields.items():
            assert info.description, f"{name}.{field} has no description"
    assert engine_class("grounded").options_model is EngineOptions


# ---- config load --------------------------------------------------------------------------


def test_config_with_a_bad_option_names_stage_engine_and_field(tmp_path: Path) -> None:
    path = _config(tmp_path, {"name": "openai", "model": "m", "options": {"concurrency": "many"}})
    where = r"stages\.describe\.engine\.options\.concurrency: engine 'openai': "
    with pytest.raises(ConfigError, match=where + "Input should be a valid integer"):
        load_config(path)
    path = _config(tmp_path, {"name": "grounded"}, {"name": "openai", "options": {"timeout": 3}})
    with pytest.raises(ConfigError, match=r"stages\.describe\.examiner\.options\.timeout: engine 'openai': unknown"):
        load_config(path)


def test_config_reaches_inner_engines_and_workflow_roles(tmp_path: Path) -> None:
    inner = {"name": "openai", "options": {"max_retries": "lots"}}
    path = _config(tmp_path, {"name": "agent", "options": {"inner": inner}}, task="hoi_reason")
    where = r"stages\.describe\.engine\.options\.inner\.options\.max_retries: engine 'openai': "
    with pytest.raises(ConfigError, match=where + "Input should be a valid integer"):
        load_config(path)
    roles = {"vqa": {"name": "transformers", "options": {"batch": 2}}}
    name = "hoiscribe.expressions.engine:ExpressionWorkflowEngine"  # a plug-in path with its own model
    path = _config(tmp_path, {"name": name, "options": roles}, task="expressions")
    with pytest.raises(ConfigError, match=r"options\.vqa\.options\.batch: engine 'transformers': unknown option"):
        load_config(path)


def test_config_leaves_placeholders_and_plain_plugins_alone(tmp_path: Path) -> None:
    # a {data_root}/{out} string is expanded when the run starts: not type-checked here
    path = _config(tmp_path, {"name": "transformers", "options": {"max_pixels": "{data_root}"}})
    assert load_config(path).stages[0].engine.options == {"max_pixels": "{data_root}"}
    # a typo stays an error even in a placeholder string's company
    path = _config(tmp_path, {"name": "transformers", "options": {"max_pixel": "{out}"}})
    with pytest.raises(ConfigError, match="max_pixel: engine 'transformers': unknown option"):
        load_config(path)
    # plug-ins without an options model of their own take anything, as before
    path = _config(tmp_path, {"name": "hoiscribe.agent.policies:RuleTeacher", "options": {"whatever": 1}})
    assert load_config(path).stages[0].engine.name.endswith("RuleTeacher")
    # a name that does not resolve is left to engine construction, which names the missing module
    path = _config(tmp_path, {"name": "no_such_module:Engine", "options": {"x": 1}})
    assert load_config(path).stages[0].engine.options == {"x": 1}
    with pytest.raises(EngineError, match="no_such_module"):
        make_engine("no_such_module:Engine")


@pytest.mark.parametrize("path", sorted((ROOT / "configs").glob("*.yaml")), ids=lambda p: p.name)
def test_the_shipped_configs_still_validate(path: Path) -> None:
    cfg = load_config(path)
    for stage in cfg.stages:  # what config load checked, asked directly: nothing to report
        assert engine_option_problems(stage.engine.name, stage.engine.options, _resolve) == []


def _resolve(name: str) -> type[Engine] | None:
    return engine_class(name) if name in ENGINES or ":" in name else None


def test_config_load_imports_no_torch_or_http_client() -> None:
    script = (
        "import sys; from pathlib import Path; from hoiscribe.run.config import load_config\n"
        "for p in sorted(Path('configs').glob('*.yaml')): load_config(p)\n"
        "import hoiscribe.engines.transformers, hoiscribe.engines.vllm, hoiscribe.engines.openai\n"
        "print(sorted(m for m in ('torch', 'transformers', 'httpx', 'httpcore', 'aiohttp') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stderr


# ---- docs ----------------------------------------------------------------------------------


def test_docs_list_every_engine_option_from_its_model() -> None:
    text = DOC.read_text()
    assert {m[2] for m in _TABLE.finditer(text)} == set(ENGINES)
    assert text == render_doc(text), "docs/engines.md is stale: python tests/engines/test_options.py --write"
    assert "| `connect_timeout_s` | float | none | connect timeout of one attempt; none: `min(10, timeout_s)` |" in text


def test_options_table_renders_types_defaults_and_bounds() -> None:
    assert options_table(EngineOptions).startswith("No options")
    table = options_table(engine_class("agent").options_model)
    assert "| `max_turns` | int, ≥ 1 | 6 |" in table and "| `inner` | `{name, model, options}` | required |" in table
    assert "| `tool_mode` | `text` / `openai` | `text` |" in table
    assert issubclass(engine_class("agent"), Engine)


if __name__ == "__main__" and "--write" in sys.argv:
    DOC.write_text(render_doc(DOC.read_text()))
