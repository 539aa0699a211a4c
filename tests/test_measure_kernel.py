""""Measure exactly" in a real IPython kernel, sent exactly as the JupyterLab sidebar sends it
(lib/lab/measure.js measureCode: the measure_request snippet, silent, in throwaway globals).

The kernel traces the panel's plan in a child process of its own Python (model_advisor/measure.py
kernel_answer) and prints one JSON answer: the trace, or why there is none — a package the kernel
lacks, a config transformers cannot build, a trace past its budget, a family that is the model's
own code. Every model here is a tiny config: a trace takes seconds (most of it importing torch).
"""
import json
import os
import subprocess
import sys

import pytest

from conftest import REPO, KernelSession, stdout_text

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("peft")
pytest.importorskip("trl")

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
# The plan the panel sends for QLoRA on a T4 (the core's EstimateSettings, as measure.ts picks them).
SETTINGS = {"method": "qlora", "seqLen": 128, "batch": 2, "gradAccum": 1, "optimizer": "paged_adamw_8bit",
            "loraR": 8, "loraAlpha": 16, "gradientCheckpointing": True}


def request(config=None, **change):
    r = {"config": dict(TINY if config is None else config), "settings": dict(SETTINGS), "bf16": False, "attention": "sdpa"}
    r.update(change)
    return r


def sidebar_code(req, budget_s):
    """What the sidebar sends for this request (src/lab/measure.ts measureCode)."""
    script = ("const {measureCode}=require('./lib/lab/measure.js');let s='';process.stdin.on('data',d=>s+=d)"
              ".on('end',()=>{const [r,b]=JSON.parse(s);process.stdout.write(measureCode(r,b))})")
    proc = subprocess.run(["node", "-e", script], input=json.dumps([req, budget_s]), capture_output=True, text=True,
                          cwd=REPO, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def kernel_env(tmp_path_factory, pythonpath):
    env = dict(os.environ)
    env["IPYTHONDIR"] = str(tmp_path_factory.mktemp("ipython"))
    env["PYTHONPATH"] = pythonpath
    return env


@pytest.fixture(scope="module")
def kernel(built_lib, tmp_path_factory):
    # This checkout's model_advisor first: the kernel imports the tracer under test.
    session = KernelSession(kernel_env(tmp_path_factory, REPO))
    yield session
    session.close()


def measure_in(kernel, req, budget_s=120):
    """(the answer the sidebar reads, the IOPub messages of the request)."""
    content, messages = kernel.execute(sidebar_code(req, budget_s), silent=True, store_history=False, timeout=budget_s + 60)
    assert content["status"] == "ok", content
    lines = [line for line in stdout_text(messages).splitlines() if line.strip()]
    assert lines, messages
    return json.loads(lines[-1]), messages


def user_names(kernel):
    return kernel.evaluate("sorted(k for k in globals() if not k.startswith('_'))")


def test_the_panels_plan_is_traced_and_nothing_is_left_in_the_kernel(kernel):
    names = user_names(kernel)
    count = kernel.evaluate("get_ipython().execution_count")
    answer, messages = measure_in(kernel, request())
    assert answer["ok"] is True, answer
    trace = answer["trace"]
    # The plan as sent: QLoRA in fp16 (a T4), its length and batch, its 8-bit optimizer priced from its layout.
    assert trace["settings"]["compute_dtype"] == "float16"
    assert (trace["settings"]["seq_len"], trace["settings"]["batch"]) == (128, 2)
    assert [a["term"] for a in trace["analytic"]] == ["optimizer_state"]
    h, i, v = TINY["hidden_size"], TINY["intermediate_size"], TINY["vocab_size"]
    kv = h // TINY["num_attention_heads"] * TINY["num_key_value_heads"]
    per_layer = h * h * 2 + h * kv * 2 + 3 * h * i + 2 * h
    assert trace["params"] == 2 * v * h + h + 4 * per_layer  # exact, at the full depth of 4
    assert trace["depth"] == {"layers": 4, "traced_layers": [1, 2], "extrapolated": True}
    assert trace["peak_allocated_mib"] == pytest.approx(sum(trace["parts_mib"].values()), abs=0.5)
    assert 0 < answer["seconds"] < 120
    # Silent: no output in the notebook, no name, no history entry, the counter unmoved; and the
    # trace ran in a child process, so the user's kernel has not even imported torch for it.
    assert [m["msg_type"] for m in messages if m["msg_type"] not in ("status", "stream")] == []
    assert user_names(kernel) == names
    assert kernel.evaluate("get_ipython().execution_count") == count
    assert kernel.evaluate("'torch' in __import__('sys').modules") is False


@pytest.mark.parametrize("change, words", [
    ({"hidden_size": 130}, "is not a multiple of the number of attention heads"),
    ({"model_type": "no_such_family"}, "has no 'no_such_family' model type"),
])
def test_a_config_transformers_cannot_build_is_one_line(kernel, change, words):
    answer, _ = measure_in(kernel, request(dict(TINY, **change)))
    assert answer["ok"] is False and answer["code"] == "bad_config", answer
    assert words in answer["message"] and "\n" not in answer["message"]


def test_a_trace_past_its_budget_is_stopped_and_nothing_keeps_running(kernel):
    answer, _ = measure_in(kernel, request(), budget_s=1)
    assert answer == {"ok": False, "code": "timeout", "message": "the trace took longer than 1 s and was stopped"}
    left = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if b"--request" in f.read() and pid != str(os.getpid()):
                    left.append(pid)
        except OSError:
            pass
    assert left == []


def test_a_remote_code_family_is_traced_only_when_its_code_is_allowed(kernel, tmp_path):
    # A model whose architecture is its own Python files (auto_map), in a local folder: no hub.
    folder = tmp_path / "tiny-remote"
    folder.mkdir()
    (folder / "configuration_tiny.py").write_text(
        "from transformers import LlamaConfig\n\n\nclass TinyRemoteConfig(LlamaConfig):\n    model_type = 'tiny_remote'\n")
    (folder / "modeling_tiny.py").write_text(
        "from transformers import LlamaForCausalLM\n\nfrom .configuration_tiny import TinyRemoteConfig\n\n\n"
        "class TinyRemoteForCausalLM(LlamaForCausalLM):\n    config_class = TinyRemoteConfig\n")
    config = dict(TINY, model_type="tiny_remote", architectures=["TinyRemoteForCausalLM"],
                  auto_map={"AutoConfig": "configuration_tiny.TinyRemoteConfig",
                            "AutoModelForCausalLM": "modeling_tiny.TinyRemoteForCausalLM"})
    (folder / "config.json").write_text(json.dumps(config))
    refused, _ = measure_in(kernel, request(config))
    assert refused["ok"] is False and refused["code"] == "remote_code", refused
    assert "only when you allow that code to run" in refused["message"]
    allowed, _ = measure_in(kernel, request(config, remote=str(folder)))
    assert allowed["ok"] is True, allowed
    assert allowed["trace"]["depth"]["layers"] == 4


@pytest.fixture(scope="module")
def kernel_without_torch(built_lib, tmp_path_factory):
    """A real kernel whose Python cannot import torch: the venv's packages, all but torch's, and no site."""
    import site

    packages = site.getsitepackages()[0]
    shelf = tmp_path_factory.mktemp("no-torch")
    for name in os.listdir(packages):
        if name == "torch" or name.startswith("torch-") or name in ("torchgen", "functorch"):
            continue
        os.symlink(os.path.join(packages, name), shelf / name)
    from jupyter_client.kernelspec import KernelSpecManager

    specs = tmp_path_factory.mktemp("kernels")
    (specs / "no-torch").mkdir()
    (specs / "no-torch" / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-S", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python without torch", "language": "python"}))
    session = KernelSession.__new__(KernelSession)
    from jupyter_client.manager import KernelManager

    session.manager = KernelManager(kernel_name="no-torch", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(specs)]))
    session.manager.start_kernel(env=kernel_env(tmp_path_factory, os.pathsep.join([REPO, str(shelf)])))
    session.client = session.manager.client()
    session.client.start_channels()
    session.client.wait_for_ready(timeout=60)
    yield session
    session.close()


def test_a_kernel_without_torch_says_what_is_missing(kernel_without_torch):
    assert kernel_without_torch.evaluate("__import__('importlib.util').util.find_spec('torch') is None") is True
    answer, _ = measure_in(kernel_without_torch, request())
    assert answer["ok"] is False and answer["code"] == "missing", answer
    assert answer["missing"] == ["torch"]
    assert "pip install torch" in answer["message"]
