"""ChatGLM3-style remote code, trained by the cells a learner gets for it (issue 18 item 10).

The stand-in (tests/remote_standin.py) is a tiny model of ChatGLM3's shape whose classes live in its
own folder, registered through `auto_map`: no `lm_head`, the output layer `transformer.output_layer`
on sequence-first states, no `get_output_embeddings`. The CLI writes its notebook as for
THUDM/chatglm3-6b (the stack THUDM/ChatGLM3 states: transformers 4.40.0, codegen/remoteStack.ts), and
its cells run in a real IPython kernel: loaded with trust_remote_code=True, LoRA on the blocks' own
module names, trained a few steps by transformers' Trainer with the cells' causal-LM collator, tried,
saved and merged. Here they run on the current stack (the kernel has no network to install the
pinned one); with MODEL_ADVISOR_REMOTE_STACKS=<folder> holding `pip install --target` copies of the
pinned stacks (env-chatglm3, env-glm4, env-baichuan2: docs/remote-stacks.md says how), the same
notebook also runs on each of them.
"""
import os

import pytest

import remote_standin
from conftest import KernelSession
from test_cells_run import render, run_cell, run_notebook

STEPS = ["source", "quantize", "load", "lora", "train", "try", "save"]
CHAT_ROWS = "chat"


@pytest.fixture(scope="module")
def standin(tmp_path_factory):
    return remote_standin.build_chatglm(str(tmp_path_factory.mktemp("standin-chatglm")))


def kernel_env(stack_dir=None):
    env = dict(os.environ)
    env.pop("CUDA_VISIBLE_DEVICES", None)
    env.update(TOKENIZERS_PARALLELISM="false", HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1", OMP_NUM_THREADS="1")
    if stack_dir is not None:
        env["PYTHONPATH"] = stack_dir + os.pathsep + env.get("PYTHONPATH", "")
    return env


@pytest.fixture(scope="module")
def kernel():
    session = KernelSession(kernel_env())
    yield session
    session.close()


def cells_of(notebook, step, kind="code"):
    return "\n".join(c.source for c in notebook.cells if c.cell_type == kind and c.metadata["model_advisor_step"] == step)


def steps_for(method):
    return [s for s in STEPS if (s != "quantize" or method == "qlora") and (s != "lora" or method != "full")]


def check_run(kernel, notebook, outputs, method, save_dir):
    # Its own code, loaded as remote code: the stand-in's class, with no output embeddings to fuse.
    assert kernel.evaluate("type(model.get_base_model() if hasattr(model, 'get_base_model') else model).__name__") == "ChatGLMForConditionalGeneration"
    assert kernel.evaluate("(model.get_base_model() if hasattr(model, 'get_base_model') else model).get_output_embeddings() is None") is True
    if method != "full":
        # Adapters on the blocks' own Linear layers, never on the output layer.
        adapted = kernel.evaluate("sorted({n.split('.lora_A')[0].rsplit('.', 1)[-1] for n, _ in model.named_parameters() if '.lora_A' in n})")
        assert adapted == ["dense", "dense_4h_to_h", "dense_h_to_4h", "query_key_value"]
        assert kernel.evaluate("any('output_layer.lora' in n for n, _ in model.named_parameters())") is False
    # transformers' Trainer (not TRL's), the model's own loss, finite, logged at every step.
    assert kernel.evaluate("type(trainer).__module__ + '.' + type(trainer).__name__") == "transformers.trainer.Trainer"
    losses = kernel.evaluate("[h['loss'] for h in trainer.state.log_history if 'loss' in h]")
    assert len(losses) == 2 and all(0 < x < 20 for x in losses), losses
    # The collator pads on the right: the mask hides the padding, the labels leave it out of the loss.
    batch = kernel.evaluate("{k: v.tolist() for k, v in pad_batch([dataset[0], {'input_ids': [5], 'labels': [5]}]).items()}")
    longest = len(batch["input_ids"][0])
    assert batch["attention_mask"][1] == [1] + [0] * (longest - 1)
    assert batch["labels"][1] == [5] + [-100] * (longest - 1)
    # "Try it" generated; the result was saved (an adapter), and merges into a standalone copy.
    assert kernel.evaluate('int(output.shape[1] > inputs["input_ids"].shape[1])') == 1
    assert "Saved to " + save_dir in outputs["save"]
    if method != "full":
        assert {"adapter_config.json", "adapter_model.safetensors"} <= set(os.listdir(save_dir))
        text = run_cell(kernel, cells_of(notebook, "save").replace("merge_now = False", "merge_now = True"))
        assert "Merged model saved to" in text


@pytest.mark.parametrize("gpu,method,data", [
    ("t4", "qlora", CHAT_ROWS),
    ("cpu", "lora", "sample-zh"),
    ("a100-40gb", "full", "text"),
])
def test_chatglm_style_remote_code_trains_with_the_cells(gpu, method, data, standin, built_lib, kernel, tmp_path):
    import tiny_models as tiny

    extra = ["--data-lang", "zh"] if data == "sample-zh" else ["--dataset", tiny.write_dataset(str(tmp_path / "d.jsonl"), data)]
    notebook = render(tmp_path, standin, gpu, method, steps_for(method), extra)
    # The stack THUDM/ChatGLM3 states, pinned; why the Trainer; and that its own code was not run here.
    install = render(tmp_path, standin, gpu, method, ["install"])
    assert "transformers==4.40.0" in cells_of(install, "install")
    assert ("peft==0.10.0" in cells_of(install, "install")) == (method != "full")
    assert "could not be run where these cells were made" in cells_of(install, "install", "markdown")
    assert "transformer.output_layer" in cells_of(notebook, "train", "markdown")
    assert "THUDM/GLM-4-9B-0414" in cells_of(notebook, "train", "markdown")
    code = cells_of(notebook, "train")
    assert "trainer = Trainer(" in code and "SFTTrainer(" not in code and "from trl" not in code
    assert "torch_dtype=" in cells_of(notebook, "load") and "trust_remote_code=True" in cells_of(notebook, "load")

    outputs = run_notebook(kernel, notebook)
    check_run(kernel, notebook, outputs, method, str(tmp_path / "saved"))


def test_trl_cannot_train_it_which_is_why(standin):
    """The reason the cells use the Trainer: TRL's SFTTrainer wants the output embeddings the model
    does not have: its fused head reads get_output_embeddings().weight (trl/trainer/utils.py:1625 in
    TRL 1.16), None here, at the first step."""
    import torch
    from datasets import Dataset
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import SFTConfig, SFTTrainer

    model = AutoModelForCausalLM.from_pretrained(standin, trust_remote_code=True, dtype=torch.float32)
    tokenizer = AutoTokenizer.from_pretrained(standin)
    args = SFTConfig(output_dir=os.path.join(standin, "trl"), max_steps=1, use_cpu=True, bf16=False, report_to="none")
    with pytest.raises(AttributeError, match="'NoneType' object has no attribute 'weight'"):
        trainer = SFTTrainer(model=model, args=args, train_dataset=Dataset.from_list([{"text": "the model learns"}] * 2),
                             processing_class=tokenizer)
        trainer.train()


def stack_dirs():
    root = os.environ.get("MODEL_ADVISOR_REMOTE_STACKS")
    if not root:
        return [pytest.param(None, marks=pytest.mark.skip(reason="MODEL_ADVISOR_REMOTE_STACKS names no folder of pinned stacks"))]
    return [pytest.param(os.path.join(root, name), id=name) for name in sorted(os.listdir(root)) if name.startswith("env-")]


@pytest.mark.parametrize("gpu", ["cpu", "a100-40gb"])
@pytest.mark.parametrize("stack_dir", stack_dirs())
def test_the_notebook_runs_on_each_pinned_stack(stack_dir, gpu, standin, built_lib, tmp_path):
    """Opt-in: the same LoRA cells on transformers 4.40.0 / 4.46.2 / 4.36.0 with their pinned peft and
    accelerate (the current torch), in float32 and in the A100's bfloat16 simulated on the CPU: every
    API the cells call exists there and behaves. (4-bit loading needs CUDA in transformers 4, and
    its fp16 arguments refuse a CPU: those paths were read in the wheels, docs/remote-stacks.md.)"""
    session = KernelSession(kernel_env(stack_dir))
    try:
        assert session.evaluate("__import__('transformers').__version__") in ("4.36.0", "4.40.0", "4.46.2")
        print("\n  stack: transformers %s, peft %s, accelerate %s" % tuple(
            session.evaluate("__import__('%s').__version__" % name) for name in ("transformers", "peft", "accelerate")))
        notebook = render(tmp_path, standin, gpu, "lora", steps_for("lora"), ["--data-lang", "zh"])
        outputs = run_notebook(session, notebook)
        check_run(session, notebook, outputs, "lora", str(tmp_path / "saved"))
    finally:
        session.close()
