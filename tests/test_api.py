"""`model_advisor.cells()`, `notebook()` and `check()` take what the CLI takes, by Python names,
and say what is wrong in those names. They run the same bundle as the CLI (engine.py)."""
import re
import subprocess

import pytest

import model_advisor
from model_advisor.api import CELL_OPTIONS
from conftest import REPO

# Options the Python call names another way: the model, method and gpu are its arguments; the
# notebook's file is `notebook(path=...)`.
POSITIONAL = {"gpu", "method", "output"}


def cli_cell_options():
    proc = subprocess.run(["node", "lib/cli.js", "cells", "--help"], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return {m.replace("-", "_") for m in re.findall(r"^  --([a-z0-9-]+)", proc.stdout, re.M)}


def test_python_takes_every_option_the_cli_takes(built_lib):
    assert set(CELL_OPTIONS) == cli_cell_options() - POSITIONAL


def test_the_training_settings_reach_the_cells(built_lib):
    text = model_advisor.cells("Qwen/Qwen2.5-0.5B-Instruct", gpu="t4", seq_len=2048, batch=2, grad_accum=3)
    assert "per_device_train_batch_size=2" in text
    assert "gradient_accumulation_steps=3" in text
    assert "max_length = 2048" in text


def test_a_switch_is_true_or_left_out(built_lib):
    simulated = model_advisor.cells("Qwen/Qwen2.5-0.5B-Instruct", gpu="t4", simulate_on_cpu=True)
    plain = model_advisor.cells("Qwen/Qwen2.5-0.5B-Instruct", gpu="t4", simulate_on_cpu=False)
    assert simulated != plain
    assert plain == model_advisor.cells("Qwen/Qwen2.5-0.5B-Instruct", gpu="t4")
    with pytest.raises(ValueError, match="simulate_on_cpu must be True or False"):
        model_advisor.cells("Qwen/Qwen2.5-0.5B-Instruct", gpu="t4", simulate_on_cpu="yes")


def test_errors_name_the_python_argument_not_the_flag(built_lib):
    with pytest.raises(ValueError) as e:
        model_advisor.cells("Qwen/Qwen2.5-0.5B-Instruct", gpu="t4", seq_len=0)
    assert "seq_len" in str(e.value) and "--" not in str(e.value)
    with pytest.raises(ValueError) as e:
        model_advisor.cells("Qwen/Qwen2.5-0.5B-Instruct", gpu="t4", strategy="fsdp")
    assert "strategy" in str(e.value) and "--" not in str(e.value)
    with pytest.raises(TypeError, match="unknown option 'seqlen'"):
        model_advisor.cells("Qwen/Qwen2.5-0.5B-Instruct", gpu="t4", seqlen=2048)


@pytest.mark.parametrize("gpu,method", [("t4", "qlora"), ("2xt4", "lora")])
def test_check_says_what_the_cards_say(built_lib, gpu, method):
    """check() (fit through the engine) gives each recommended model the card's verdict, total and settings."""
    import json
    proc = subprocess.run(["node", "lib/cli.js", "recommend", "--gpu", gpu, "--task", "chat", "--language", "zh",
                           "--method", method, "--limit", "3", "--json"], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert proc.returncode == 0, proc.stderr
    cards = json.loads(proc.stdout)
    assert cards
    for card in cards:
        seen = model_advisor.check(card["model"], method=method, gpu=gpu, seq_len=card["settings"]["seqLen"], quiet=True)
        assert (seen["verdict"], seen["total_mib"], seen["settings"]) == (card["verdict"], card["total_mib"], card["settings"]), card["model"]


def test_check_traces_a_family_the_estimator_does_not_count(built_lib, tmp_path, capsys):
    """OLMo-2 (olmo2) is built by the installed transformers but not counted by the core: the trace is the estimate."""
    pytest.importorskip("torch")
    import json

    config = {"model_type": "olmo2", "architectures": ["Olmo2ForCausalLM"], "hidden_size": 64, "intermediate_size": 172,
              "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 4, "vocab_size": 3000,
              "max_position_embeddings": 512, "rms_norm_eps": 1e-6, "tie_word_embeddings": False,
              "eos_token_id": 2, "pad_token_id": 1}
    (tmp_path / "config.json").write_text(json.dumps(config))
    seen = model_advisor.check(str(tmp_path), method="lora", gpu="t4", seq_len=128)
    assert seen["known"] is False
    trace = seen["trace"]
    h, i, v = 64, 172, 3000
    # OLMo-2: q/k norms over the full width, two norms per layer after attention and MLP.
    per_layer = 4 * h * h + 3 * h * i + 2 * h + 2 * h
    assert trace["params"] == 2 * v * h + h + 2 * per_layer
    assert trace["settings"]["seq_len"] == 128 and trace["settings"]["compute_dtype"] == "float16"
    printed = capsys.readouterr().out
    assert "the estimator does not count its family, so this is the trace of one training step" in printed
    assert f"Traced peak: {trace['peak_allocated_mib']:,.0f} MiB allocated" in printed


def test_check_of_a_family_nothing_can_build_says_both_in_one_message(built_lib, tmp_path):
    pytest.importorskip("torch")
    import json

    (tmp_path / "config.json").write_text(json.dumps({"model_type": "no_such_family", "architectures": ["NoSuchForCausalLM"],
                                                      "hidden_size": 64, "num_hidden_layers": 2}))
    with pytest.raises(ValueError) as e:
        model_advisor.check(str(tmp_path), method="lora", gpu="t4")
    assert 'unknown model family "no_such_family"' in str(e.value)
    assert "the tracer cannot build it: transformers" in str(e.value) and "has no 'no_such_family' model type" in str(e.value)
