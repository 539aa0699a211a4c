"""The tracer (model_advisor/measure.py) against things it can be checked against here.

- A real CPU training step of a tiny Llama: the CPU allocator's own peak (torch.profiler's
  allocation events) against the same step traced on fake tensors.
- Exact arithmetic: the parameters' and the optimizer states' bytes, NF4's packed layout.
- Depth: the extrapolation from one and two layers against a trace at full depth.
- The command line: `python -m model_advisor measure … --json` and its refusals.
Every model here is a tiny config (seconds per trace); the 7B rows live in bench/oracle.
"""
import json
import math
import os
import subprocess
import sys

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("peft")
pytest.importorskip("trl")

import model_advisor  # noqa: E402
import model_advisor.measure as m  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TINY = {
    "model_type": "llama",
    "architectures": ["LlamaForCausalLM"],
    "hidden_size": 128,
    "intermediate_size": 344,
    "num_hidden_layers": 4,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "vocab_size": 5000,
    "max_position_embeddings": 1024,
    "rms_norm_eps": 1e-5,
    "tie_word_embeddings": False,
}


def settings(method, **change):
    s = {"method": method, "seqLen": 128, "batch": 2, "loraR": 8, "loraAlpha": 16, "gradientCheckpointing": True, "optimizer": "adamw_torch", "gradAccum": 1}
    s.update(change)
    return s


@pytest.fixture(scope="module")
def tiny_config(tmp_path_factory):
    path = tmp_path_factory.mktemp("tiny") / "config.json"
    path.write_text(json.dumps(TINY))
    return str(path)


@pytest.mark.parametrize("method", ["lora", "full"])
def test_fake_trace_equals_a_real_cpu_step(method):
    # The same step, once with real tensors under the profiler, once on fake tensors: the
    # storages the fake trace counts are what the CPU allocator really allocated.
    real = m._trace_once(TINY, 2, settings(method), torch.float32, "sdpa", path="cpu", real=True)
    fake = m._trace_once(TINY, 2, settings(method), torch.float32, "sdpa", path="cpu", real=False)
    allocator = real["allocator_step_peak_bytes"]
    assert allocator > 10 * 2**20  # the step allocates (the fused head's tile alone is 32 MiB)
    assert fake["step_peak_bytes"] == pytest.approx(allocator, rel=0.005)
    assert fake["parts"]["parameters"] == real["parts"]["parameters"]
    assert fake["parts"]["optimizer_state"] == real["parts"]["optimizer_state"]


def test_parts_are_the_tensors_they_name():
    t = m._trace_once(TINY, 2, settings("full"), torch.bfloat16, "sdpa")
    model_params = t["params"]
    # Full fine-tuning keeps fp32 weights (loadDtype 'float32'); AdamW two fp32 states each.
    # Every tensor is a 512-byte block or more: the parts are within a block per tensor.
    tensors = 2 * 9 + 3  # per layer: 7 Linear weights + 2 norms; embed, final norm, head
    assert t["parts"]["parameters"] == pytest.approx(4 * model_params, abs=512 * tensors)
    assert t["parts"]["optimizer_state"] >= 2 * 4 * model_params
    assert t["parts"]["optimizer_state"] <= 2 * 4 * model_params + 3 * 512 * tensors  # + AdamW's `step` scalars
    h, i, v = TINY["hidden_size"], TINY["intermediate_size"], TINY["vocab_size"]
    kv = h // TINY["num_attention_heads"] * TINY["num_key_value_heads"]
    per_layer = h * h * 2 + h * kv * 2 + 3 * h * i + 2 * h
    assert model_params == 2 * v * h + h + 2 * per_layer


def test_qlora_weights_are_nf4_with_double_quant():
    t = m._trace_once(TINY, 2, settings("qlora", optimizer="adamw_torch"), torch.float16, "sdpa")
    h, i, v = TINY["hidden_size"], TINY["intermediate_size"], TINY["vocab_size"]
    kv = h // TINY["num_attention_heads"] * TINY["num_key_value_heads"]
    linear = 2 * (h * h * 2 + h * kv * 2 + 3 * h * i)
    rest = 2 * v * h + h + 2 * 2 * h  # embeddings, head, norms stay fp16
    lora = 2 * 8 * ((h + h) * 2 + (h + kv) * 2 + (h + i) * 2 + (i + h))
    assert t["params"] == linear + rest
    assert t["trained_params"] == lora
    # 4 bits per weight + one uint8 absmax per 64 weights + fp32 per 256 of those, per layer
    # (bitsandbytes functional.quantize_4bit, compress_statistics): each tensor a 512-byte block.
    nf4 = linear / 2 + linear / 64
    lora_bytes = 4 * lora
    tensors = 14 * 5 + 5 + 28 * 2  # quantized weights with 4 state tensors, the rest, adapters
    assert t["parts"]["parameters"] == pytest.approx(nf4 + 2 * rest + lora_bytes, abs=512 * tensors + 2 * 512 * 14)


def test_depth_extrapolation_equals_a_full_trace(tiny_config):
    # model_advisor.measure(...) is the package's entry point; the module is callable.
    full = model_advisor.measure(tiny_config, "a100-40gb", "lora", seq_len=128, batch=2, optimizer="adamw", layers=4)
    ext = m.measure(tiny_config, "a100-40gb", "lora", seq_len=128, batch=2, optimizer="adamw")
    assert ext["depth"] == {"layers": 4, "traced_layers": [1, 2], "extrapolated": True}
    assert ext["params"] == full["params"]
    assert ext["peak_allocated_mib"] == pytest.approx(full["peak_allocated_mib"], rel=0.01)


def test_cli_prints_the_trace_as_json(tiny_config):
    env = dict(os.environ, PYTHONPATH=REPO)
    proc = subprocess.run([sys.executable, "-m", "model_advisor", "measure", tiny_config, "--gpu", "t4", "--method", "qlora", "--seq-len", "256", "--batch", "1", "--json"], capture_output=True, text=True, env=env, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr
    r = json.loads(proc.stdout)
    assert r["gpu"] == "t4" and r["method"] == "qlora"
    assert r["settings"]["compute_dtype"] == "float16" and r["settings"]["seq_len"] == 256
    # The cells' QLoRA on CUDA pages its 8-bit states: priced from their layout, and said so.
    assert r["settings"]["optimizer"] == "paged_adamw_8bit"
    assert [a["term"] for a in r["analytic"]] == ["optimizer_state"]
    assert r["peak_allocated_mib"] == pytest.approx(sum(r["parts_mib"].values()), abs=0.5)
    assert 0 < r["peak_allocated_mib"] < r["fit_allocated_mib"] * 2
    assert math.isfinite(r["seconds"])


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--gpu", "24GB", "--method", "lora"], "needs a GPU profile"),
        (["--gpu", "t4", "--method", "inference"], "invalid choice"),
    ],
)
def test_cli_refuses_in_one_line(tiny_config, argv, message):
    env = dict(os.environ, PYTHONPATH=REPO)
    proc = subprocess.run([sys.executable, "-m", "model_advisor", "measure", tiny_config, *argv], capture_output=True, text=True, env=env, timeout=300, check=False)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert proc.stdout == ""
