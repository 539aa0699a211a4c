"""Any Hub id: the config fetch through the kernel (as the sidebar sends it) and through the
CLI's `--hub` (node fetch), both against a local fake hub (tests/fake_hub.py, loopback only).
Every failure a user can meet is named: gated (401/403), missing (404), offline, timeout,
remote code; and a success reads the true stored size from the safetensors index or header."""
import json
import os
import socket
import subprocess

import pytest

import fake_hub
from conftest import REPO, KernelSession, stdout_text

GPU = ["--gpu", "a100-80gb", "--method", "qlora"]


@pytest.fixture(scope="module")
def hub():
    server, url = fake_hub.start()
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def closed_port():
    """A loopback address nobody listens on: what an offline runtime meets."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return "http://127.0.0.1:%d" % s.getsockname()[1]


def node(script, payload):
    proc = subprocess.run(["node", "-e", script], input=json.dumps(payload), capture_output=True, text=True,
                          cwd=REPO, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def sidebar_codes(cases):
    """The code the sidebar sends for each (id, source, endpoint, timeout)."""
    return node("const {hubFetchCode}=require('./lib/lab/hub.js');let s='';process.stdin.on('data',d=>s+=d)"
                ".on('end',()=>process.stdout.write(JSON.stringify(JSON.parse(s).map(c=>hubFetchCode(...c)))))", cases)


def judged(answers):
    """What the sidebar makes of each answer the kernel printed (the core's modelFromHub)."""
    return node("const {modelFromHub}=require('./lib/core/catalog');let s='';process.stdin.on('data',d=>s+=d)"
                ".on('end',()=>process.stdout.write(JSON.stringify(JSON.parse(s).map(modelFromHub))))", answers)


@pytest.fixture(scope="module")
def kernel(built_lib):
    env = {k: v for k, v in os.environ.items() if k not in ("HF_TOKEN", "HF_ENDPOINT")}
    env["HF_HOME"] = os.path.join(REPO, ".pytest-hf-home-absent")  # no saved token
    session = KernelSession(env)
    yield session
    session.close()


def fetch_in_kernel(kernel, case, env=None):
    for name, value in (env or {}).items():
        kernel.set_env(name, value)
    try:
        code = sidebar_codes([case])[0]
        before = kernel.evaluate("sorted(k for k in globals() if not k.startswith('_'))")
        content, messages = kernel.execute(code, silent=True, store_history=False)
        assert content["status"] == "ok", content
        assert kernel.evaluate("sorted(k for k in globals() if not k.startswith('_'))") == before
        assert not [m for m in messages if m["msg_type"] in ("execute_result", "display_data", "error")]
        answer = json.loads(stdout_text(messages).strip().splitlines()[-1])
        return answer, judged([answer])[0]
    finally:
        for name in (env or {}):
            kernel.set_env(name, None)


def test_kernel_reads_a_sharded_model_and_fills_the_family_default(kernel, hub):
    answer, result = fetch_in_kernel(kernel, ["ok/mistral-sharded", "hf", hub, 5])
    assert answer["config"]["status"] == 200
    assert result["ok"], result
    model = result["model"]
    # MistralConfig's default, not num_attention_heads (32).
    assert model["config"]["num_key_value_heads"] == 8
    assert model["checkpoint"] == {"dtype": "bf16", "total_bytes": 14483464192, "format": "safetensors"}


def test_kernel_reads_a_single_files_header_for_size_and_dtype(kernel, hub):
    _, result = fetch_in_kernel(kernel, ["ok/qwen-single", "hf", hub, 5])
    assert result["ok"], result
    assert result["model"]["checkpoint"]["total_bytes"] == 151936 * 896 * 2 + 896 * 2
    assert result["model"]["checkpoint"]["dtype"] == "bf16"


def test_kernel_uses_the_mirror_in_hf_endpoint_and_modelscope(kernel, hub):
    _, mirrored = fetch_in_kernel(kernel, ["ok/qwen-single", "mirror", None, 5], env={"HF_ENDPOINT": hub})
    assert mirrored["ok"], mirrored
    _, scoped = fetch_in_kernel(kernel, ["ok/qwen-single", "modelscope", hub, 5])
    assert scoped["ok"], scoped
    assert scoped["model"]["config"]["model_type"] == "qwen2"


@pytest.mark.parametrize("model_id, code, words", [
    ("gated/model", "gated", "gated or private on Hugging Face (HTTP 401): accept its licence"),
    ("private/model", "gated", "(HTTP 403)"),
    ("nobody/missing", "missing", "Hugging Face has no model nobody/missing (HTTP 404)"),
])
def test_kernel_names_each_failure(kernel, hub, model_id, code, words):
    _, result = fetch_in_kernel(kernel, [model_id, "hf", hub, 5])
    assert not result["ok"]
    assert result["code"] == code
    assert words in result["message"]


def test_kernel_keeps_a_family_the_estimator_does_not_count(kernel, hub):
    # Chosen all the same: the panel traces it ("Measure exactly"), here only after the user
    # allows its own code to run (it maps its classes to the repository's files).
    _, result = fetch_in_kernel(kernel, ["remote/code", "hf", hub, 5])
    assert result["ok"], result
    assert result["model"]["config"]["model_type"] == "mystery"
    assert result["model"]["trust_remote_code"] is True
    assert "does not count the \"mystery\" family" in result["model"]["notes"]


def test_kernel_sends_the_users_token_for_a_gated_model(kernel, hub):
    _, result = fetch_in_kernel(kernel, ["gated/model", "hf", hub, 5], env={"HF_TOKEN": "good-token"})
    assert result["ok"], result


def test_kernel_says_offline_and_timeout(kernel, hub, closed_port):
    _, offline = fetch_in_kernel(kernel, ["ok/qwen-single", "hf", closed_port, 5])
    assert offline["code"] == "offline" and "looks offline" in offline["message"]
    _, slow = fetch_in_kernel(kernel, ["slow/model", "hf", hub, 1])
    assert slow["code"] == "timeout" and "did not answer within the time allowed" in slow["message"]


# ---------------------------------------------------------------- the CLI's --hub (node fetch)


def cli(*args, env=None):
    full_env = {k: v for k, v in os.environ.items() if k not in ("HF_TOKEN", "HF_ENDPOINT")}
    full_env.update(env or {})
    return subprocess.run(["node", os.path.join(REPO, "lib", "cli.js"), *args], capture_output=True, text=True,
                          cwd=REPO, timeout=120, env=full_env)


def test_cli_hub_prices_any_model(built_lib, hub):
    proc = cli("fit", "ok/mistral-sharded", "--hub", "--endpoint", hub, *GPU, "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["model"] == "ok/mistral-sharded"
    assert out["params"] == 7241732096  # Mistral-7B with its 8 KV heads
    assert out["loading"]["download_mib"] == 14483464192 // 2**20 + 1


def test_cli_hub_reads_a_gptq_base_from_quantization_config(built_lib, hub):
    proc = cli("fit", "ok/gptq", "--hub", "--endpoint", hub, "--gpu", "t4", "--method", "lora")
    assert proc.returncode == 0, proc.stderr
    assert "weights gptq-int4 (from the config's quantization_config)" in proc.stdout


@pytest.mark.parametrize("model_id, extra, words", [
    ("gated/model", [], "gated or private on Hugging Face (HTTP 401)"),
    ("private/model", [], "(HTTP 403)"),
    ("nobody/missing", [], "has no model nobody/missing (HTTP 404)"),
    ("remote/code", [], 'unknown model family "mystery"'),
    ("slow/model", ["--timeout", "1"], "did not answer within the time allowed"),
])
def test_cli_hub_names_each_failure_in_one_line(built_lib, hub, model_id, extra, words):
    proc = cli("fit", model_id, "--hub", "--endpoint", hub, *GPU, *extra)
    assert proc.returncode == 2
    assert words in proc.stderr
    if model_id == "remote/code":  # the refusal points to the tracer
        assert "python -m model_advisor measure" in proc.stderr
    assert proc.stderr.count("\n") == 1 and proc.stdout == ""


def test_cli_hub_offline_token_and_mirror(built_lib, hub, closed_port):
    offline = cli("fit", "ok/qwen-single", "--hub", "--endpoint", closed_port, *GPU)
    assert offline.returncode == 2 and "looks offline" in offline.stderr
    gated = cli("fit", "gated/model", "--hub", "--endpoint", hub, *GPU, env={"HF_TOKEN": "good-token"})
    assert gated.returncode == 0, gated.stderr
    mirror = cli("fit", "ok/qwen-single", "--hub", *GPU, env={"HF_ENDPOINT": hub})
    assert mirror.returncode == 0, mirror.stderr
    scoped = cli("fit", "ok/qwen-single", "--hub", "--source", "modelscope", "--endpoint", hub, *GPU)
    assert scoped.returncode == 0, scoped.stderr
