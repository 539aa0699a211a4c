"""The execution matrix: the generated cells run as inserted, in the dtype and on the family they
were generated for. For tiny random models of every family the catalog names a native
transformers class for (tests/tiny_models.py), `model-advisor notebook … --max-steps 2` writes
a notebook for the CPU recipe and — with --simulate-on-cpu — for the T4 (fp16) and A100 (bf16)
recipes; its cells load (4-bit for QLoRA: bitsandbytes runs on the CPU), add adapters, train
two steps, try the model, save, and merge, executed one after another in a real IPython kernel.

The core set covers every family variant once and every GPU × method pair; the long tail
(`-m matrix_tail`, also run by `make test`) fills in the rest. Sizes and wall time: the note of
issue 8, or `pytest tests/test_cells_run.py --durations=0`."""
import itertools
import json
import os
import time

import nbformat
import pytest

import tiny_models as tiny
from conftest import KernelSession
from test_cells import cli

GPUS = ("cpu", "t4", "a100-40gb")
METHODS = ("qlora", "lora", "full")
# The steps a kernel can run offline: install and login need the network (checked as text).
RUN_STEPS = ("source", "quantize", "load", "lora", "train", "try", "save")
COMPUTE = {"cpu": "torch.float32", "t4": "torch.float16", "a100-40gb": "torch.bfloat16"}


def head_of(variant):
    family = tiny.family_of(variant)
    return "classification" if family in tiny.ENCODERS else "seq2seq" if family in tiny.SEQ2SEQ else "causal"


def all_cases():
    """(variant, gpu, method, data): every family variant on every GPU recipe, the method rotating
    so that each variant also meets every method; plus every GPU × method pair for llama and bert."""
    cases = set()
    for i, variant in enumerate(tiny.VARIANTS):
        for g, gpu in enumerate(GPUS):
            cases.add((variant, gpu, METHODS[(i + g) % 3]))
    for variant in ("llama", "bert"):
        cases.update((variant, g, m) for g, m in itertools.product(GPUS, METHODS))
    out = []
    for variant, gpu, method in sorted(cases, key=lambda c: (tiny.VARIANTS.index(c[0]), GPUS.index(c[1]), METHODS.index(c[2]))):
        # Data: the Chinese built-in sample (offline, picked by the tokenizer) on every other
        # case, a local file of the form the tokenizer can read on the rest.
        i = tiny.VARIANTS.index(variant)
        data = "sample-zh" if (i + GPUS.index(gpu) + METHODS.index(method)) % 2 else "file"
        out.append((variant, gpu, method, data))
    return out


def core_cases():
    """Every variant once (GPU and method rotating), and llama on every GPU × method pair."""
    core = {(variant, GPUS[i % 3], METHODS[(i + i % 3) % 3]) for i, variant in enumerate(tiny.VARIANTS)}
    core.update(("llama", g, m) for g, m in itertools.product(GPUS, METHODS))
    return core


# The newest families (tests/tiny_models.py NEWEST): the sidebar's default recipe (QLoRA on a
# T4, float32 compute for the Gemmas) in the core set, LoRA on an A100 (bf16) in the tail. Gemma 3n
# takes LoRA on the T4 instead: bitsandbytes' CPU repacking of a 4-bit Linear for the try cell's
# eval forward wants outputs in blocks of 32, which AltUp's 4- and 16-output coefficient layers
# are not (bitsandbytes functional.py `_convert_weight_packed_for_cpu`; a GPU has no such limit).
NEWEST_CASES = [c for v in tiny.NEWEST
                for c in ((v, "t4", "lora" if v == "gemma3n" else "qlora", "sample-zh"), (v, "a100-40gb", "lora", "file"))]


def matrix_params():
    core = core_cases()
    params = []
    for variant, gpu, method, data in all_cases():
        marks = () if (variant, gpu, method) in core else (pytest.mark.matrix_tail,)
        params.append(pytest.param(variant, gpu, method, data, marks=marks, id="%s-%s-%s-%s" % (variant, gpu, method, data)))
    for variant, gpu, method, data in NEWEST_CASES:
        marks = () if gpu == "t4" else (pytest.mark.matrix_tail,)
        params.append(pytest.param(variant, gpu, method, data, marks=marks, id="%s-%s-%s-%s" % (variant, gpu, method, data)))
    return params


@pytest.fixture(scope="module")
def kernel():
    env = dict(os.environ)
    env.pop("CUDA_VISIBLE_DEVICES", None)
    # One thread: tiny models gain nothing from more, and the machine is shared.
    env.update(TOKENIZERS_PARALLELISM="false", HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1", OMP_NUM_THREADS="1")
    session = KernelSession(env)
    yield session
    session.close()


def run_cell(kernel, source):
    content, messages = kernel.execute(source, timeout=600)
    text = "".join(m["content"].get("text", "") for m in messages if m["msg_type"] == "stream")
    if content["status"] != "ok":
        pytest.fail("cell failed: %s: %s\n%s\n--- output ---\n%s" % (
            content.get("ename"), content.get("evalue"), "\n".join(content.get("traceback", [])[-3:]), text[-3000:]))
    return text


def render(tmp_path, model_dir, gpu, method, steps, extra=()):
    notebook_path = tmp_path / ("n%d.ipynb" % len(os.listdir(tmp_path)))
    args = ["notebook", model_dir, "--gpu", gpu, "--method", method, "--max-steps", "2", "--max-new-tokens", "4",
            "--save-dir", str(tmp_path / "saved"), "-o", str(notebook_path), *extra]
    if steps is not None:
        args += ["--steps", ",".join(steps)]
    if gpu != "cpu":
        args.append("--simulate-on-cpu")
    cli(*args)
    notebook = nbformat.read(str(notebook_path), as_version=4)
    nbformat.validate(notebook)
    return notebook


def run_notebook(kernel, notebook):
    kernel.execute("%reset -f")  # a fresh namespace: each notebook must define what it uses
    outputs = {}
    times = []
    for cell in notebook.cells:
        if cell.cell_type == "code":
            started = time.perf_counter()
            outputs[cell.metadata["model_advisor_step"]] = run_cell(kernel, cell.source)
            times.append("%s %.1f" % (cell.metadata["model_advisor_step"], time.perf_counter() - started))
    print("\n  cells (s):", ", ".join(times))
    return outputs


def data_args(variant, data, tmp_path):
    head = head_of(variant)
    if data == "sample-zh":
        return ["--data-lang", "zh"]
    if head == "seq2seq":
        return []  # translation always has built-in sample rows (offline)
    kind = {"classification": "classification", "causal": "text" if variant.endswith("-base") else "chat"}[head]
    return ["--dataset", tiny.write_dataset(str(tmp_path / ("%s.jsonl" % kind)), kind)]


@pytest.mark.parametrize("variant,gpu,method,data", matrix_params())
def test_generated_notebook_runs(variant, gpu, method, data, built_lib, tiny_models, kernel, tmp_path):
    model_dir = tiny_models(variant)
    head = head_of(variant)
    extra = data_args(variant, data, tmp_path)
    if head == "classification":
        extra += ["--task", "classification"]
    if head == "seq2seq":
        extra += ["--task", "translation"]
    steps = [s for s in RUN_STEPS if s != "quantize" or method == "qlora"]
    if method == "full":
        steps.remove("lora")
    notebook = render(tmp_path, model_dir, gpu, method, steps, extra)
    if gpu != "cpu":
        assert "simulation on the CPU" in notebook.cells[0].source
    started = time.perf_counter()
    outputs = run_notebook(kernel, notebook)
    print("\n%s %s %s: %.1f s" % (variant, gpu, method, time.perf_counter() - started))

    save_dir = str(tmp_path / "saved")
    assert "Loaded " + model_dir in outputs["load"]
    # The recipe is the target GPU's: the unquantized weights in its dtype (fp32 for full fine-tuning).
    # T5, mT5 and Gemma 3, 3n and 4 overflow float16: on a GPU without bfloat16 they load (and train) in float32.
    overflows = tiny.family_of(variant) in ("t5", "mt5", "gemma3", "gemma3_text", "gemma3n", "gemma4") and gpu == "t4"
    want = "torch.float32" if method == "full" or overflows else COMPUTE[gpu]
    assert kernel.evaluate("str(model.get_input_embeddings().weight.dtype)") == want
    if method != "full":
        assert "trainable params:" in outputs["lora"]
    assert ("A simulation on the CPU" if gpu != "cpu" else "No GPU here") in outputs["train"]
    # The train cell leaves what it measured for the panel, said to be no GPU's figures.
    assert "That is not a GPU's figure" in outputs["train"]
    with open(os.path.join(save_dir, "model-advisor-run.json"), encoding="utf-8") as f:
        record = json.load(f)
    assert (record["format"], record["model"], record["method"]) == ("model-advisor-run", os.path.abspath(model_dir), method)
    assert record["gpu"] is None and record["gpu_count"] == 0 and record["simulated"] is (gpu != "cpu")
    assert record["peak_mib"]["measured"] is None and record["steps"] == 2 and record["tokens"] > 0
    assert record["tokens_per_second"]["measured"] > 0
    # The simulation keeps the GPU's estimate beside the CPU's figure; a CPU recipe has none.
    assert (record["tokens_per_second"]["estimated"] is None) is (gpu == "cpu")
    assert record["settings"]["max_steps"] == 2 and record["advisor"]
    assert any(n.startswith("checkpoint-") for n in os.listdir(save_dir)), "no checkpoint saved while training"
    if head == "classification":
        assert "Predicted label:" in outputs["try"]
    else:
        # A random tiny model may well say nothing readable; what counts is that it generated.
        assert kernel.evaluate('int(output.shape[1] > (1 if %r else inputs["input_ids"].shape[1]))' % (head == "seq2seq")) == 1
    # The class each loads: Gemma 3n's text model alone (no timm, no towers), Ministral 3 through
    # the image-text-to-text class, Gemma 4 with its towers (and no attention named: its audio tower has no sdpa).
    loaded = {"gemma3n": "Gemma3nForCausalLM", "mistral3": "Mistral3ForConditionalGeneration",
              "gemma4": "Gemma4ForConditionalGeneration"}.get(tiny.family_of(variant))
    if loaded is not None:
        assert kernel.evaluate("type(model.get_base_model() if hasattr(model, 'get_base_model') else model).__name__") == loaded
    if tiny.family_of(variant) == "qwen3" and not variant.endswith("-base"):
        # Qwen3 answers without a <think> block: the prompt ends with the empty one the template writes.
        assert kernel.evaluate('text.endswith("</think>\\n\\n")') is True
    assert "Saved to " + save_dir in outputs["save"]
    saved = set(os.listdir(save_dir))
    if method == "full":
        assert "config.json" in saved and any(n.endswith(".safetensors") for n in saved)
    else:
        assert {"adapter_config.json", "adapter_model.safetensors"} <= saved
        # The user's way to merge: flip the switch in the save cell and run it again.
        save_cell = [c.source for c in notebook.cells if c.metadata.get("model_advisor_step") == "save"
                     and c.cell_type == "code"][0]
        assert "merge_now = False" in save_cell
        text = run_cell(kernel, save_cell.replace("merge_now = False", "merge_now = True"))
        assert "Merged model saved to" in text
        assert "config.json" in os.listdir(save_dir + "-merged")
    assert any(name.startswith("tokenizer") for name in saved)


# ---------------------------------------------------------------- every subset of steps


def subsets():
    """Each step alone and each step left out, for QLoRA on a T4 (the sidebar's default recipe)."""
    out = []
    for step in RUN_STEPS:
        out.append(pytest.param([step], id="only-" + step))
        out.append(pytest.param([s for s in RUN_STEPS if s != step], id="without-" + step,
                                marks=() if step in ("source", "quantize", "lora") else (pytest.mark.matrix_tail,)))
    return out


@pytest.mark.parametrize("steps", subsets())
def test_every_subset_of_steps_runs(steps, built_lib, tiny_models, kernel, tmp_path):
    """Unticking a step never breaks the ones after it: what they need comes along, and says so."""
    model_dir = tiny_models("llama")
    notebook = render(tmp_path, model_dir, "t4", "qlora", steps, ["--data-lang", "zh"])
    outputs = run_notebook(kernel, notebook)
    ran = set(outputs)
    assert set(steps) <= ran
    for step in ran - set(steps):
        markdown = [c.source for c in notebook.cells if c.cell_type == "markdown" and c.metadata["model_advisor_step"] == step][0]
        assert "Added because" in markdown, (step, markdown)
    if "load" in ran and "source" not in ran:
        load_md = [c.source for c in notebook.cells if c.cell_type == "markdown" and c.metadata["model_advisor_step"] == "load"][0]
        assert "was left out" in load_md


# ---------------------------------------------------------------- families the renderer cannot serve in full


def test_a_no_sdpa_family_loads_with_eager_attention_and_says_why(built_lib, tiny_models, kernel, tmp_path):
    """Gemma-2 and BLOOM raise on an explicit sdpa request; the load cell asks for eager, and says why."""
    notebook = render(tmp_path, tiny_models("bloom"), "t4", "lora", ["load", "try"], ["--data-lang", "zh"])
    load_md = [c.source for c in notebook.cells if c.cell_type == "markdown" and c.metadata["model_advisor_step"] == "load"][0]
    assert "eager" in load_md
    run_notebook(kernel, notebook)
    assert kernel.evaluate("model.config._attn_implementation") == "eager"


# ---------------------------------------------------------------- numbers that overflow float16 (issue 18 items 8, 9)


@pytest.fixture(scope="module")
def overflowing(tmp_path_factory):
    """Tiny T5 and Llama whose activations pass 65,504 (tests/tiny_models.py build_overflowing)."""
    made = {}

    def folder(variant):
        if variant not in made:
            made[variant] = tiny.build_overflowing(variant, str(tmp_path_factory.mktemp("overflow-" + variant)))
        return made[variant]

    return folder


def test_t5_on_a_t4_trains_in_float32_where_float16_overflows(built_lib, overflowing, kernel, tmp_path):
    """T5 on the T4 path: weights, compute and training in float32 (no fp16 AMP), said in the load
    markdown; the tiny T5 whose float16 activations overflow trains two finite steps."""
    notebook = render(tmp_path, overflowing("t5"), "t4", "lora", ["source", "load", "lora", "train"], ["--task", "translation"])
    load_md = [c.source for c in notebook.cells if c.cell_type == "markdown" and c.metadata["model_advisor_step"] == "load"][0]
    assert "overflows float16" in load_md and "float32" in load_md
    train = [c.source for c in notebook.cells if c.cell_type == "code" and c.metadata["model_advisor_step"] == "train"][0]
    assert "fp16=False," in train and "autocast" not in train
    run_notebook(kernel, notebook)
    assert kernel.evaluate("str(model.get_input_embeddings().weight.dtype)") == "torch.float32"
    losses = kernel.evaluate("[h['loss'] for h in trainer.state.log_history if 'loss' in h]")
    assert len(losses) == 2 and all(loss == loss and abs(loss) < float("inf") for loss in losses), losses


def test_the_training_cell_stops_at_the_first_non_finite_loss_and_says_what_to_change(built_lib, overflowing, kernel, tmp_path):
    """A Llama whose activations overflow float16, on the T4's fp16 recipe: the train cell stops at
    step 1 with one message in the user's language (the overflow, float16's limit, this family, the
    fix) instead of training on nan."""
    notebook = render(tmp_path, overflowing("llama"), "t4", "lora", ["source", "load", "lora", "train"],
                      ["--data-lang", "zh", "--lang", "zh-Hant"])
    cells = [c for c in notebook.cells if c.cell_type == "code"]
    kernel.execute("%reset -f")
    for cell in cells[:-1]:
        run_cell(kernel, cell.source)
    content, messages = kernel.execute(cells[-1].source, timeout=600)
    assert content["status"] == "error", "training went on with a non-finite loss"
    assert content["ename"] == "FloatingPointError"
    message = content["evalue"]
    assert "訓練損失在第 1 步變成了 nan" in message, message
    assert "65,504" in message and "llama" in message and "fp16=False" in message, message
    assert kernel.evaluate("trainer.state.global_step") == 1


# ---------------------------------------------------------------- the guide's own models (issue 18 item 11)


def test_gpt2_chinese_with_a_bert_tokenizer_and_no_eos_trains_with_sep(built_lib, tiny_models, kernel, tmp_path):
    """GPT2-chinese ships BERT's tokenizer, with no end-of-text token; TRL appends eos_token to every
    text (trl/trainer/sft_trainer.py:1292-1297: str.endswith(None) raised a TypeError). The load cell
    makes [SEP] the eos, says so, and generating stops there too."""
    notebook = render(tmp_path, tiny_models("gpt2-chinese"), "t4", "lora", ["source", "load", "lora", "train", "try"],
                      ["--data-lang", "zh"])
    outputs = run_notebook(kernel, notebook)
    assert "This tokenizer has no end-of-text token: [SEP] ends each training text" in outputs["load"]
    assert kernel.evaluate("tokenizer.eos_token") == "[SEP]"
    sep = kernel.evaluate("tokenizer.sep_token_id")
    # Each training text ends with [SEP], and the model stops generating at it.
    assert kernel.evaluate("sorted({row['input_ids'][-1] for row in trainer.train_dataset})") == [sep]
    assert kernel.evaluate("model.generation_config.eos_token_id") in (sep, [sep])  # generate() may list it
    assert kernel.evaluate('int(output.shape[1] > inputs["input_ids"].shape[1])') == 1
