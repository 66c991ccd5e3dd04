"""Config values that become paths stay inside the run directory: a stage named ``../../../x`` is
refused when the config loads, and ``RunDir`` refuses such a name from anywhere else (a manifest)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from hoiscribe.cli import app
from hoiscribe.core.io import MergeError
from hoiscribe.run.config import ConfigError, load_config
from hoiscribe.run.merge import merged_records
from hoiscribe.run.pipeline import run_pipeline
from hoiscribe.run.rundir import RunDir
from tests.run.helpers import three_stage, three_stage_dict

runner = CliRunner()


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def test_a_stage_named_to_escape_is_refused_at_load_and_nothing_is_written(tmp_path: Path, demo_root: Path) -> None:
    out = tmp_path / "a" / "b" / "run"
    data = three_stage_dict(out, demo_root, "demo")
    data["stages"][0]["name"] = "../../../x"
    data["stages"][2]["input"] = "../../../x"
    config = tmp_path / "escape.yaml"
    config.write_text(yaml.safe_dump(data))

    with pytest.raises(ConfigError, match=r"stages\.0\.name: .*'\.\./\.\./\.\./x' is not a safe stage name"):
        load_config(config)
    result = runner.invoke(app, ["pipeline", str(config)])
    assert result.exit_code == 2
    assert "stages.0.name" in result.output and "is not a safe stage name" in result.output
    assert _files(tmp_path) == ["escape.yaml"]  # no run directory, and no x anywhere above it


@pytest.mark.parametrize(
    "name", ["", ".", "..", "a..b", "a/b", "/etc", "a\\b", "-x", ".hidden", "_x", "x" * 65, "tab\tname", "é"]
)
def test_unsafe_stage_names(tmp_path: Path, name: str) -> None:
    data = three_stage_dict(tmp_path / "run", tmp_path, "demo")
    data["stages"][1]["name"] = name
    data["stages"][2]["input"] = "describe"
    with pytest.raises(ConfigError, match=r"stages\.1\.name: "):
        load_config(None, [], data)


@pytest.mark.parametrize("name", ["caption", "refine_2", "stage.v2", "A-1", "0", "x" * 64])
def test_safe_stage_names(tmp_path: Path, name: str) -> None:
    data = three_stage_dict(tmp_path / "run", tmp_path, "demo")
    data["stages"][1]["name"] = name
    assert load_config(None, [], data).stages[1].name == name


def test_run_dir_keeps_every_stage_path_inside(tmp_path: Path) -> None:
    run = RunDir(tmp_path / "run")
    assert run.stage_dir("describe", "abc123") == tmp_path / "run" / "stages" / "describe" / "abc123"
    assert run.cache_dir("refine") == tmp_path / "run" / "cache" / "refine"
    for stage, fingerprint in [("../x", "f"), ("..", "f"), ("/abs", "f"), ("ok", "../../x"), ("ok", ""), ("a\\b", "f")]:
        with pytest.raises(MergeError, match="is not a plain folder name"):
            run.stage_dir(stage, fingerprint)
    with pytest.raises(MergeError):
        run.cache_dir("../../elsewhere")


def test_a_manifest_edited_to_escape_is_refused_when_read(tmp_path: Path, demo_root: Path) -> None:
    out = tmp_path / "run"
    run_pipeline(three_stage(out, demo_root, dataset="demo"))
    assert merged_records(out)[0]
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["stages"][0]["name"] = "../../outside"
    (out / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(MergeError, match=re.escape("'../../outside' is not a plain folder name")):
        merged_records(out)
    result = runner.invoke(app, ["merge", "--run-dir", str(out), "--output-path", str(tmp_path / "m.json")])
    assert result.exit_code == 2 and "is not a plain folder name" in result.output
    assert not (tmp_path / "m.json").exists()
