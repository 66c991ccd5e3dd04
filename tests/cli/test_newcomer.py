"""The newcomer's path (issue 14): README usage, one error style, readable summaries, choices in --help."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from typer.testing import CliRunner

from hoiscribe.catalog import ENGINES, EXECUTORS, EXPORTS, READERS, canonical_split
from hoiscribe.cli import app
from hoiscribe.cli.run import _print_read
from hoiscribe.datasets.base import Drop, ReadResult
from hoiscribe.testing.tiny import FAMILIES
from tests.conftest import HAKE_SUBSET, make_hico_root

runner = CliRunner()
README = Path(__file__).resolve().parents[2] / "README.md"


def _flat(text: str) -> str:
    """Help or output text with rich's box characters and line wrapping taken out."""
    return " ".join(re.sub(r"[│╭╮╰╯─┃━]", " ", text).split())


def _ok(args: list[str]) -> Any:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return result


# ---- README -------------------------------------------------------------------------------


def test_readme_top_shows_setup_then_an_openai_server_and_writes_under_runs() -> None:
    text = README.read_text()
    assert "```bash\npip install . && hoiscribe demo\n```" in text
    assert '```bash\npython -m pip install -e ".[dev]" && python -m pytest\n```' in text
    top = text[: text.index("## What it does")]  # the first screen of usage
    assert "--engine openai --model Qwen/Qwen2.5-VL-7B-Instruct" in top
    assert "--engine-opt base_url=http://localhost:8000/v1 --out runs/demo-openai" in top
    assert "OPENAI_API_KEY" in top and "OPENAI_BASE_URL" in top
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in top
    assert "pins the CPU build" not in text
    # every command in a code block writes under runs/ (or a placeholder), never the repository root
    blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.S)
    commands = " ".join(" ".join(blocks).replace("\\\n", " ").split("\n"))
    targets = re.findall(r"--(?:out|output-path) (\S+)", commands)
    assert len(targets) >= 8
    assert all(t.startswith("runs/") for t in targets), targets


def test_demo_default_out_is_under_runs() -> None:
    from hoiscribe.cli.run import demo

    assert demo.__defaults__[0] == Path("runs/demo")


# ---- one error style ----------------------------------------------------------------------


def test_errors_are_not_wrapped_when_output_is_not_a_terminal(tmp_path: Path) -> None:
    missing = tmp_path / ("x" * 200 + ".json")  # a 200-character file name in the message
    env = dict(os.environ, COLUMNS="80")
    proc = subprocess.run([sys.executable, "-m", "hoiscribe.cli", "check", "--input", str(missing)],
                          capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert f"error: {missing}: no such file" in proc.stderr.splitlines()
    # and through CliRunner (a non-TTY stream as well)
    result = runner.invoke(app, ["check", "--input", str(missing)])
    assert result.exit_code == 2 and f"error: {missing}: no such file" in result.output.splitlines()


def test_bad_input_to_every_command_is_one_error_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    cases = [
        (["eval", "hico", "--gt", str(tmp_path / "none.json"), "--pred", str(bad)], "--gt"),
        (["eval", "swig", "--gt", str(bad), "--pred", str(bad)], "not valid JSON"),
        (["check", "--input", str(tmp_path / "none.json")], "no such file"),
        (["check", "--input", str(bad)], "not readable JSON"),
        (["check", "--input", str(tmp_path)], "not a file"),
        (["make-tiny-model", "--family", "nope", "--out", str(tmp_path / "m")], "no tiny model for family 'nope'"),
        (["merge", "--run-dir", str(tmp_path), "--output-path", str(tmp_path / "m.json")], "not a hoiscribe run"),
        (["merge", "--input-dir", str(tmp_path), "--pattern", "bad.json", "--output-path", str(tmp_path / "m.json")],
         "not readable JSON"),
        (["report", str(tmp_path)], "not a hoiscribe run"),
        (["train", "cot-export", "--run-dir", str(tmp_path), "--out", str(tmp_path / "c")], "not a hoiscribe run"),
        (["train", "sft", "--data", str(tmp_path / "none.jsonl"), "--model", str(tmp_path), "--out",
          str(tmp_path / "s")], "not found"),
        (["pipeline", str(bad)], "invalid YAML"),
        (["refine"], "needs --out"),
    ]  # fmt: skip
    for args, expected in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert "error: " in result.output and expected in result.output, (args, result.output)
        assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output, args


def test_merge_into_a_missing_folder_and_an_unknown_only_stage_fail_cleanly(tmp_path: Path) -> None:
    run = tmp_path / "d"
    _ok(["annotate", "--max-samples", "2", "--out", str(run)])
    result = runner.invoke(app, ["merge", "--run-dir", str(run), "--output-path", str(run / "merged.json" / "x")])
    assert result.exit_code == 2 and "error: cannot write" in result.output
    config = tmp_path / "c.yaml"
    config.write_text(f"out: {tmp_path / 'p'}\nstages: [{{name: describe, task: describe}}]\n")
    result = runner.invoke(app, ["pipeline", str(config), "--only", "refine"])
    assert result.exit_code == 2 and "--only 'refine': no such stage" in result.output and "describe" in result.output


# ---- --help lists the choices --------------------------------------------------------------


def test_help_of_every_command_lists_its_choices() -> None:
    def help_of(*command: str) -> str:
        return _flat(_ok([*command, "--help"]).output)

    datasets, engines = ", ".join(READERS.names()), ", ".join(ENGINES.names())
    for command in ("annotate", "pipeline"):
        text = help_of(command)
        assert datasets in text and "hico: train=train2015, test=test2015" in text
    for command in ("annotate", "refine", "examine"):
        text = help_of(command)
        assert engines in text and "package.module:Class" in text
    assert ", ".join(EXECUTORS.names()) in help_of("pipeline")
    assert ", ".join(EXPORTS.names()) in help_of("merge")
    assert ", ".join(FAMILIES) in help_of("make-tiny-model")


def test_cli_import_loads_no_feature_module() -> None:
    code = ("import sys, hoiscribe.cli; "
            "print(sorted(m for m in sys.modules if m.split('.')[1:2] in (['hoi_text'], ['pose'], "
            "['expressions'], ['agent'])))")  # fmt: skip
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == "[]", proc.stdout + proc.stderr


# ---- split aliases and the default run directory -------------------------------------------


def test_split_aliases_resolve_only_where_unambiguous() -> None:
    assert canonical_split("hico", "train") == "train2015" and canonical_split("hico", "test") == "test2015"
    assert canonical_split("coco", "val") == "val"  # any person_keypoints_{split}.json is a COCO split: no alias
    assert canonical_split("hico", "train2015") == "train2015" and canonical_split("pose_demo", "train") == "train"
    assert canonical_split("hico", None) is None


def test_default_out_is_per_dataset_and_split(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hico = make_hico_root(tmp_path / "hico")
    monkeypatch.chdir(tmp_path)
    _ok(["annotate", "--dataset", "hico", "--data-root", str(hico), "--split", "train", "--max-samples", "4"])
    _ok(["annotate", "--dataset", "hico", "--data-root", str(hico), "--max-samples", "4"])
    _ok(["annotate", "--max-samples", "3"])  # the demo set
    manifests = {p.parent.name: json.loads(p.read_text()) for p in (tmp_path / "runs").glob("*/manifest.json")}
    assert set(manifests) == {"hico-train2015", "hico", "demo"}
    assert manifests["hico-train2015"]["split"] == "train2015"  # the alias is resolved before the run starts
    assert manifests["hico"]["dataset"] == "hico" and manifests["demo"]["dataset"] == "demo"
    assert len(json.loads((tmp_path / "runs" / "demo" / "merged.json").read_text())) == 3
    # a config that names its out keeps it; refine/examine still need --out, and find the run from any folder
    config = tmp_path / "c.yaml"
    config.write_text("out: runs/mine\nstages: [{name: describe, task: describe}]\n")
    _ok(["pipeline", str(config), "--dataset", "hico", "--data-root", str(hico), "--max-samples", "2"])
    assert (tmp_path / "runs" / "mine" / "merged.json").is_file()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    _ok(["refine", "--out", str(tmp_path / "runs" / "hico")])
    records = json.loads((tmp_path / "runs" / "hico" / "merged.json").read_text())
    assert len(records) == 4 and all(r["refined_description"] for r in records)
    assert not (elsewhere / "runs").exists()


# ---- check reads every merge format --------------------------------------------------------


def test_check_reads_json_jsonl_and_parquet_and_rejects_an_unknown_field(tmp_path: Path) -> None:
    run = tmp_path / "d"
    _ok(["demo", "--out", str(run)])
    paths = [run / "merged.json", tmp_path / "m.jsonl"]
    _ok(["merge", "--run-dir", str(run), "--output-path", str(paths[1]), "--format", "jsonl"])
    try:
        import pyarrow  # noqa: F401
    except ModuleNotFoundError:
        pass
    else:
        paths.append(tmp_path / "m.parquet")
        _ok(["merge", "--run-dir", str(run), "--output-path", str(paths[2]), "--format", "parquet"])
    records = json.loads(paths[0].read_text())
    summaries = []
    for path in paths:
        out = tmp_path / f"{path.name}.grounding.json"
        result = _ok(["check", "--input", str(path), "--field", "refined_description", "--out", str(out)])
        assert f"Records: {len(records)}, checked: {len(records)}" in result.output, path
        summaries.append([r["grounding"] for r in json.loads(out.read_text())])
    assert all(s == summaries[0] for s in summaries)
    result = runner.invoke(app, ["check", "--input", str(paths[-1]), "--field", "descriptoin"])
    assert result.exit_code == 2
    flat = _flat(result.output)
    assert "no record has the field 'descriptoin'" in flat
    assert "fields present:" in flat and "description" in flat and "examiner_result" in flat


def test_check_names_the_export_extra_without_pyarrow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "m.parquet"
    path.write_bytes(b"PAR1" + b"\0" * 16)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)  # import fails as if pyarrow were missing
    result = runner.invoke(app, ["check", "--input", str(path)])
    assert result.exit_code == 2 and "pip install 'hoiscribe[export]'" in _flat(result.output)


# ---- the reader-drops summary --------------------------------------------------------------


def test_drop_summary_prints_numbers(tmp_path: Path) -> None:
    data = json.loads(HAKE_SUBSET.read_text())
    for i, entry in enumerate(list(data.values())[:3]):
        entry["labels"][0]["hoi_id"] = 700 + i
    root = make_hico_root(tmp_path / "hico", data)
    result = _ok(["annotate", "--dataset", "hico", "--data-root", str(root), "--out", str(tmp_path / "r")])
    line = next(ln for ln in result.output.splitlines() if "hoi_id" in ln)
    assert line.strip() == "3 x e.g. hoi_id: unknown hoi_id 700 (expected 1..600)"  # numbers, not '#'


def test_drop_summary_shows_ten_kinds_then_how_many_more(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    drops = [Drop("f.json", f"r{i}", f"field{i}", f"bad value {i}") for i in range(13)]
    drops += [Drop("f.json", f"s{i}", "field0", f"bad value {100 + i}") for i in range(4)]  # same kind as field0
    report = SimpleNamespace(read=ReadResult(samples=[], dropped=drops), out=tmp_path)
    _print_read(report)  # type: ignore[arg-type]
    err = capsys.readouterr().err
    lines = [ln.strip() for ln in err.splitlines()]
    assert lines[0] == "17 record(s) dropped while reading"
    assert lines[1] == "5 x e.g. field0: bad value 0"  # the most frequent kind first, with its numbers
    assert lines[2] == "1 x field1: bad value 1" and len(lines) == 1 + 10 + 1
    assert lines[-1] == f"3 more kinds, see {tmp_path / 'reader_drops.json'}"


# ---- HTTP retries in the summary table -----------------------------------------------------


def test_stats_table_counts_http_retries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("httpx")
    from tests.engines import fake_openai_server as fake

    original = fake._last_user_text
    monkeypatch.setattr(fake, "_last_user_text", lambda body: original(body) + " [[fail:503:1]]")
    base_url, _state, stop = fake.start_in_thread()
    try:
        out = tmp_path / "r"
        result = _ok(["annotate", "--engine", "openai", "--model", "fake-model", "--engine-opt", f"base_url={base_url}",
                      "--engine-opt", "backoff_s=0", "--max-samples", "3", "--out", str(out)])  # fmt: skip
    finally:
        stop()
    stats = json.loads((out / "stats.json").read_text())["stages"]["describe"]
    assert stats["http_retries"] == 3 and stats["status"] == {"ok": 3}
    flat = _flat(result.output)
    assert "http retries" in flat
    assert re.search(r"describe 3 0 0 0 3 \d+", flat), flat
