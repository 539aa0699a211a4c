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
