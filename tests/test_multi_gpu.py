"""Several GPUs: the cells write the engines' own config files, and the engines read them.

- Every strategy's accelerate config loads with accelerate's own parser
  (`load_config_from_file`), and its DeepSpeed JSON with DeepSpeed's own (`DeepSpeedConfig`,
  after transformers fills the "auto" values as the Trainer does).
- The generated cells run a real two-process training on this CPU (`accelerate launch`,
  gloo): two steps of LoRA on a tiny Llama with the DDP and the FSDP cells, adapters saved.
  (accelerate trains any multi-process CPU run as MULTI_CPU, so FSDP's sharding itself is
  exercised only on GPUs.)
"""
import json
import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RENDER = os.path.join(REPO, "tests", "render_multi_gpu.js")

STRATEGIES = ["ddp", "fsdp", "fsdp-offload", "zero2", "zero2-offload", "zero3", "zero3-offload"]


def render(built_lib, requests):
    done = subprocess.run(["node", RENDER], input=json.dumps(requests), capture_output=True, text=True, cwd=REPO,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def launch_cells(cells):
    """The code cells of the launch step: config, script, launch."""
    code = [c["source"] for c in cells if c["step"] == "launch" and c["cell_type"] == "code"]
    assert len(code) == 3, [c["step"] for c in cells]
    return code


def run_cell(source, cwd):
    """Run one cell's code as the notebook's kernel would, in `cwd`; return what it printed."""
    done = subprocess.run([sys.executable, "-c", source], capture_output=True, text=True, cwd=cwd, timeout=600)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    return done.stdout


def write_files(source, cwd):
    """Run a cell that only writes files (config, script) here, in this process: faster than a new Python."""
    here = os.getcwd()
    os.chdir(cwd)
    try:
        exec(compile(source, "<cell>", "exec"), {"print": lambda *a, **k: None})
    finally:
        os.chdir(here)


@pytest.fixture(scope="module")
def rendered(built_lib):
    requests = [
        {"model": "Qwen/Qwen2.5-14B-Instruct", "gpu": "2xt4", "method": method, "strategy": strategy}
        for strategy in STRATEGIES
        for method in ("qlora", "lora")
    ] + [{"model": "meta-llama/Llama-3.3-70B-Instruct", "gpu": "8xh100-80gb", "method": "full", "strategy": s}
         for s in STRATEGIES]
    return list(zip(requests, render(built_lib, requests)))


def test_multi_gpu_steps_replace_the_in_notebook_training(rendered):
    for request, cells in rendered:
        assert "refused" not in cells, (request, cells)
        steps = [c["step"] for c in cells]
        # The launched processes load the model: the notebook loads nothing onto the GPUs.
        assert "load" not in steps and "train" not in steps, (request, steps)
        assert steps.count("launch") == 4


def test_accelerate_reads_every_config(rendered, tmp_path):
    from accelerate.commands.config.config_args import load_config_from_file

    for i, (request, cells) in enumerate(rendered):
        folder = tmp_path / str(i)
        folder.mkdir()
        config_cell, _, _ = launch_cells(cells)
        write_files(config_cell, folder)
        config = load_config_from_file(str(folder / "accelerate_config.yaml"))
        n = 2 if request["gpu"] == "2xt4" else 8
        assert config.num_processes == n
        strategy = request["strategy"]
        expected = {"ddp": "MULTI_GPU", "fsdp": "FSDP", "fsdp-offload": "FSDP"}.get(strategy, "DEEPSPEED")
        assert str(config.distributed_type).endswith(expected), (strategy, config.distributed_type)
        if strategy.startswith("fsdp"):
            assert config.fsdp_config["fsdp_sharding_strategy"] == "FULL_SHARD"
            assert config.fsdp_config["fsdp_offload_params"] is (strategy == "fsdp-offload")
            # A T4 computes in fp16, an H100 in bf16.
            assert config.mixed_precision == ("fp16" if n == 2 else "bf16")
        if strategy.startswith("zero"):
            ds_file = config.deepspeed_config["deepspeed_config_file"]
            ds = json.loads((folder / ds_file).read_text())
            zero = ds["zero_optimization"]
            assert zero["stage"] == (3 if strategy.startswith("zero3") else 2)
            assert zero["offload_optimizer"]["device"] == ("cpu" if strategy.endswith("offload") else "none")
            # No DeepSpeed optimizer: it would be compiled on first use and replace the plan's (issue 18 item 3).
            assert "optimizer" not in ds
            assert ds.get("zero_force_ds_cpu_optimizer", True) is not strategy.endswith("offload")
        if strategy.startswith("fsdp"):
            # FSDP checkpoints the activations itself (accelerate/utils/launch.py:330 passes it on).
            assert config.fsdp_config["fsdp_activation_checkpointing"] is True


def test_deepspeed_reads_every_deepspeed_config(rendered, tmp_path):
    """DeepSpeed's own parser, after transformers fills "auto" from the training settings (as Trainer does)."""
    deepspeed = pytest.importorskip("deepspeed")
    from deepspeed.runtime.config import DeepSpeedConfig
    from transformers import TrainingArguments
    from transformers.integrations.deepspeed import HfTrainerDeepSpeedConfig

    for i, (request, cells) in enumerate(rendered):
        if not request["strategy"].startswith("zero"):
            continue
        folder = tmp_path / str(i)
        folder.mkdir()
        write_files(launch_cells(cells)[0], folder)
        hf = HfTrainerDeepSpeedConfig(str(folder / "ds_config.json"))
        args = TrainingArguments(output_dir=str(folder / "out"), per_device_train_batch_size=2,
                                 gradient_accumulation_steps=8, learning_rate=2e-4, use_cpu=True)
        hf.trainer_config_process(args)
        config = hf.config
        # What trainer_config_finalize fills from the model: its hidden size.
        for key in ("reduce_bucket_size", "stage3_prefetch_bucket_size", "stage3_param_persistence_threshold"):
            if config["zero_optimization"].get(key) == "auto":
                config["zero_optimization"][key] = 5120 * 5120
        parsed = DeepSpeedConfig(config)
        assert parsed.zero_optimization_stage == config["zero_optimization"]["stage"]
        assert parsed.train_micro_batch_size_per_gpu == 2
        offload = request["strategy"].endswith("offload")
        assert (parsed.zero_config.offload_optimizer is not None and str(parsed.zero_config.offload_optimizer.device).endswith("cpu")) == offload
        # The Trainer's optimizer is accepted beside an offloaded one (deepspeed/runtime/engine.py:2342-2346).
        assert parsed.zero_force_ds_cpu_optimizer is not offload
        assert parsed.optimizer_name is None
    assert deepspeed.__version__


@pytest.mark.parametrize("strategy,language,method", [("ddp", "en", "qlora"), ("fsdp", "zh-Hant", "lora")])
def test_two_processes_train_two_steps_on_this_cpu(strategy, language, method, built_lib, tiny_models, tmp_path):
    """The generated cells, run as a user runs them: config, script, accelerate launch (2 processes, gloo).
    One run in 繁體中文: the written script carries Chinese comments, which Python must read back.
    The DDP run is QLoRA (4-bit by bitsandbytes on the CPU): the adapters TRL casts to bfloat16 go
    back to fp32 before training (on a CPU the grad scaler would take bfloat16; on a T4 it does not)."""
    import tiny_models as builder

    model = tiny_models("llama")
    data = builder.write_dataset(str(tmp_path / "data.jsonl"))
    [cells] = render(built_lib, [{
        "modelPath": model, "cpuProcesses": 2, "method": method, "strategy": strategy, "dataset": data,
        "maxSteps": 2, "saveDir": str(tmp_path / "adapter"), "settings": {"seqLen": 32, "batch": 1},
        "language": language,
    }])
    assert "refused" not in cells, cells
    config_cell, script_cell, launch_cell = launch_cells(cells)
    run_cell(config_cell, tmp_path)
    run_cell(script_cell, tmp_path)
    if language != "en":
        assert "# 訓練腳本" in (tmp_path / "train_multi_gpu.py").read_text(encoding="utf-8")
    printed = run_cell(launch_cell, tmp_path)
    assert "'loss'" in printed and "'train_runtime'" in printed, printed[-3000:]
    assert printed.count("'loss'") == 2, printed[-3000:]  # two steps, logged by the main process
    # On a CPU accelerate runs every multi-process config as MULTI_CPU (gloo): its state turns
    # only the GPU kinds (MULTI_GPU, MULTI_XPU, …) into FSDP (accelerate/state.py). So here the
    # FSDP cells prove their config, script and launch; the sharding itself needs GPUs.
    assert "Trained on 2 processes (DistributedType.MULTI_CPU)" in printed, printed[-2000:]
    assert (tmp_path / "adapter" / "adapter_model.safetensors").exists()
    # A checkpoint while training (a stopped session keeps its work): the last step's, here.
    assert (tmp_path / "adapter" / "checkpoint-2").is_dir(), os.listdir(tmp_path / "adapter")
    if method == "qlora":
        from safetensors import safe_open

        with safe_open(str(tmp_path / "adapter" / "adapter_model.safetensors"), "pt") as f:
            dtypes = {str(f.get_tensor(k).dtype) for k in f.keys()}
        assert dtypes == {"torch.float32"}, dtypes


HOSTILE = ['a"""b', "c'''d", 'e\\"f', 'g\\', '"h"', 'x\ny', 'tab\there', '中文/"""/\\n', 'end"', '\\', '$(rm -rf ~)', '# %%']


def test_the_written_script_keeps_every_value_exactly(built_lib, tmp_path):
    """The script travels inside a cell as one string: hostile dataset and folder names survive both layers."""
    import ast

    requests = [{"model": "Qwen/Qwen2.5-7B-Instruct", "gpu": "2xa100-80gb", "method": "full", "strategy": "fsdp",
                 "dataset": value + ".jsonl", "saveDir": "out/" + value} for value in HOSTILE]
    for i, (request, cells) in enumerate(zip(requests, render(built_lib, requests))):
        assert "refused" not in cells, cells
        script_cell = launch_cells(cells)[1]
        ast.parse(script_cell)
        folder = tmp_path / str(i)
        folder.mkdir()
        write_files(script_cell, folder)
        tree = ast.parse((folder / "train_multi_gpu.py").read_text())
        assigned = {node.targets[0].id: ast.literal_eval(node.value) for node in tree.body
                    if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
                    and node.targets[0].id in ("dataset_name", "output_dir")}
        assert assigned == {"dataset_name": request["dataset"], "output_dir": request["saveDir"]}
