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


# The rehearsals: a tiny Llama (chat template, a local text file) with DDP-QLoRA and FSDP-LoRA; a
# tiny BERT classifier (a local file of "text" + "label" rows); a GPT-2 with GPT2-chinese's BERT
# tokenizer — no chat template, no end-of-text token — on the built-in Chinese sample rows.
REHEARSALS = [
    ("llama", "ddp", "en", "qlora", {"dataset": "text"}),
    ("llama", "fsdp", "zh-Hant", "lora", {"dataset": "text"}),
    ("bert", "ddp", "en", "lora", {"dataset": "classification", "task": "classification"}),
    ("gpt2-chinese", "ddp", "zh-Hans", "lora", {"dataLanguage": "zh"}),
]


@pytest.mark.parametrize("variant,strategy,language,method,extra", REHEARSALS,
                         ids=["-".join(r[:2] + r[3:4]) for r in REHEARSALS])
def test_two_processes_train_two_steps_on_this_cpu(variant, strategy, language, method, extra, built_lib, tiny_models,
                                                   tmp_path):
    """The generated cells, run as a user runs them: config, script, accelerate launch (2 processes, gloo).
    The runs in Chinese: the written script carries Chinese comments, which Python must read back.
    The DDP run is QLoRA (4-bit by bitsandbytes on the CPU): the adapters TRL casts to bfloat16 go
    back to fp32 before training (on a CPU the grad scaler would take bfloat16; on a T4 it does not).
    The BERT run trains a classification head (peft's SEQ_CLS, the head saved whole beside the
    adapters), the GPT-2 run plain-text rows ending in [SEP]: the one-GPU cells' head and data."""
    import tiny_models as builder

    model = tiny_models(variant)
    request = {
        "modelPath": model, "cpuProcesses": 2, "method": method, "strategy": strategy,
        "maxSteps": 2, "saveDir": str(tmp_path / "adapter"), "settings": {"seqLen": 32, "batch": 1},
        "language": language, **extra,
    }
    if "dataset" in extra:
        request["dataset"] = builder.write_dataset(str(tmp_path / "data.jsonl"), extra["dataset"])
    [cells] = render(built_lib, [request])
    assert "refused" not in cells, cells
    config_cell, script_cell, launch_cell = launch_cells(cells)
    run_cell(config_cell, tmp_path)
    run_cell(script_cell, tmp_path)
    if language == "zh-Hant":
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
    adapter_config = json.loads((tmp_path / "adapter" / "adapter_config.json").read_text())
    if variant == "bert":
        # The classifier learns whole beside the adapters, and is saved with them.
        from safetensors import safe_open

        assert adapter_config["task_type"] == "SEQ_CLS", adapter_config
        with safe_open(str(tmp_path / "adapter" / "adapter_model.safetensors"), "pt") as f:
            assert "base_model.model.classifier.weight" in set(f.keys()), sorted(f.keys())
    else:
        assert adapter_config["task_type"] == "CAUSAL_LM", adapter_config
    if variant == "gpt2-chinese":
        # No end-of-text token: [SEP] ends each text, said by every process as it loads.
        assert "[SEP]" in printed and "Adding EOS to train dataset" in printed, printed[-3000:]
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


# Every head the one-GPU cells train, on 2×T4 (issue 18 item 2): the model each request names, the
# Auto class and trainer its script must build, and where its rows come from ("sample": the built-in
# rows; "hub": a hub dataset; "chat-or-text": chosen by the tokenizer's chat template).
HEADS = [
    ({"model": "bert-base-chinese", "task": "classification", "method": "full"}, "AutoModelForSequenceClassification", "Trainer", "hub"),
    ({"model": "bert-base-chinese", "task": "classification", "method": "lora", "dataLanguage": "zh"}, "AutoModelForSequenceClassification", "Trainer", "sample"),
    ({"model": "bert-base-chinese", "task": "ner", "method": "lora"}, "AutoModelForTokenClassification", "Trainer", "sample"),
    ({"model": "hfl/chinese-roberta-wwm-ext", "task": "qa", "method": "full"}, "AutoModelForQuestionAnswering", "Trainer", "sample"),
    ({"model": "FacebookAI/xlm-roberta-base", "task": "ner", "method": "qlora"}, "AutoModelForTokenClassification", "Trainer", "sample"),
    ({"model": "Helsinki-NLP/opus-mt-en-zh", "method": "full"}, "AutoModelForSeq2SeqLM", "Trainer", "sample"),
    ({"model": "google/mt5-base", "method": "lora"}, "AutoModelForSeq2SeqLM", "Trainer", "sample"),
    ({"model": "google/mt5-base", "task": "qa", "method": "lora"}, "AutoModelForSeq2SeqLM", "Trainer", "sample"),
    ({"model": "Qwen/Qwen2.5-14B", "method": "qlora"}, "AutoModelForCausalLM", "SFTTrainer", "chat-or-text"),
    ({"model": "Qwen/Qwen2.5-14B-Instruct", "method": "qlora", "dataLanguage": "zh"}, "AutoModelForCausalLM", "SFTTrainer", "sample"),
    ({"model": "uer/gpt2-chinese-cluecorpussmall", "method": "full", "dataLanguage": "zh"}, "AutoModelForCausalLM", "SFTTrainer", "sample"),
    ({"model": "Qwen/Qwen-7B", "method": "qlora"}, "AutoModelForCausalLM", "SFTTrainer", "chat-or-text"),
    ({"model": "internlm/internlm2_5-7b-chat", "method": "lora", "strategy": "fsdp"}, "AutoModelForCausalLM", "SFTTrainer", "chat-or-text"),
]


def written_script(cells, folder):
    """The script the script cell writes, parsed by Python."""
    import ast

    folder.mkdir()
    write_files(launch_cells(cells)[1], folder)
    source = (folder / "train_multi_gpu.py").read_text(encoding="utf-8")
    return source, ast.parse(source)


def calls(tree, name):
    """Every call of `name(...)` or `x.name(...)` in the tree."""
    import ast

    return [n for n in ast.walk(tree) if isinstance(n, ast.Call)
            and (getattr(n.func, "attr", None) == name or getattr(n.func, "id", None) == name)]


def test_the_launched_script_trains_each_head_as_one_gpu_would(built_lib, tmp_path):
    """The head (Auto class, trainer, peft task), the data and trust_remote_code of the one-GPU cells,
    read off the written script's syntax tree; every case launches (2 × T4 plans DDP or FSDP)."""
    import ast

    requests = [{"gpu": "2xt4", **request} for request, _, _, _ in HEADS]
    for i, ((request, auto, trainer, data), cells) in enumerate(zip(HEADS, render(built_lib, requests))):
        assert "refused" not in cells, (request, cells)
        assert [c["step"] for c in cells if c["cell_type"] == "code"][-3:] == ["launch"] * 3, request
        source, tree = written_script(cells, tmp_path / str(i))
        loads = [c for c in calls(tree, "from_pretrained") if isinstance(c.func.value, ast.Name)]
        assert {c.func.value.id for c in loads} == {"AutoTokenizer", auto}, (request, ast.dump(loads[-1].func))
        assert len(calls(tree, trainer)) == 1 and not calls(tree, {"Trainer": "SFTTrainer", "SFTTrainer": "Trainer"}[trainer]), request
        remote = request["model"] in ("Qwen/Qwen-7B", "internlm/internlm2_5-7b-chat")
        for load in loads:
            trusted = {k.arg: ast.literal_eval(k.value) for k in load.keywords if k.arg == "trust_remote_code"}
            assert trusted == ({"trust_remote_code": True} if remote else {}), (request, load.func.value.id)
        if request["method"] != "full":
            [config] = calls(tree, "LoraConfig")
            task_type = {k.arg: k.value for k in config.keywords}["task_type"]
            expected = {"AutoModelForSequenceClassification": "SEQ_CLS", "AutoModelForTokenClassification": "TOKEN_CLS",
                        "AutoModelForQuestionAnswering": "QUESTION_ANS", "AutoModelForSeq2SeqLM": "SEQ_2_SEQ_LM",
                        "AutoModelForCausalLM": "CAUSAL_LM"}[auto]
            assert ast.literal_eval(task_type) == expected, request
        from_list = calls(tree, "from_list")
        hub = [ast.unparse(n.value) for n in tree.body if isinstance(n, ast.Assign)
               and getattr(n.targets[0], "id", None) == "dataset_name"]
        if data == "sample":
            assert len(from_list) == 1 and hub == ["None"], (request, hub)
        elif data == "hub":
            assert not from_list and hub == ["'stanfordnlp/imdb'"], (request, hub)
        else:
            # A base model (no chat template) trains on plain text, a chat model on conversations.
            assert not from_list and hub == ["'trl-lib/Capybara' if tokenizer.chat_template else 'stanfordnlp/imdb'"], hub
        if request["method"] == "qlora":
            [quant] = calls(tree, "BitsAndBytesConfig")
            skipped = {k.arg for k in quant.keywords} & {"llm_int8_skip_modules"}
            # A new head stays out of 4-bit, so that it can learn.
            assert bool(skipped) is (auto != "AutoModelForCausalLM"), request
        if auto == "AutoModelForTokenClassification":
            assert calls(tree, "print_tag_score") and "DataCollatorForTokenClassification" in source
        if request["model"] == "uer/gpt2-chinese-cluecorpussmall":
            assert "tokenizer.eos_token = tokenizer.sep_token" in source
