"""The data check (issue 20 item 4), run as a learner runs it: the "check" cell tokenizes a local
.jsonl with the tiny model's own tokenizer and chat template, prints the length percentiles, what
max_length cuts and the length that covers 95 %, and leaves its record for the sidebar; the lengths
it measures are the ones the trainer builds (TRL's SFTTrainer for text and chat rows, transformers'
Trainer for classification). Bad data — a file that is not JSON lines, missing columns, empty rows
and labels out of range, conversations for a tokenizer with no chat template — is one line each and
no suggestion. The tiny models and the kernel are the execution matrix's (tests/test_cells_run.py)."""
import json
import os

import tiny_models as tiny
from test_cells_run import kernel, render, run_cell, run_notebook  # noqa: F401 (kernel is a fixture)
from test_cells_run_tasks import write_jsonl


def code_of(notebook, step):
    return [c.source for c in notebook.cells if c.cell_type == "code" and c.metadata["model_advisor_step"] == step][0]


def record(tmp_path):
    with open(tmp_path / "saved" / "data_check.json") as f:
        return json.load(f)


def trained_lengths(kernel):
    """The lengths of the rows the trainer trains on, as its own dataset holds them."""
    return kernel.evaluate("sorted(len(row['input_ids']) for row in trainer.train_dataset)")


def test_chat_rows_are_measured_as_sft_trainer_tokenizes_them_and_the_user_can_opt_in(built_lib, tiny_models, kernel, tmp_path):
    """Chat rows on the T4's QLoRA recipe: the check's lengths are the chat template's, as
    SFTTrainer's own dataset has them; flipping USE_SUGGESTED_LENGTH makes the Train cell train at
    the suggested length, and says so."""
    data = tiny.write_dataset(str(tmp_path / "chat.jsonl"), "chat")
    notebook = render(tmp_path, tiny_models("llama"), "t4", "qlora", ["source", "check", "quantize", "load", "lora", "train"],
                      ["--dataset", data])
    markdown = "\n".join(c.source for c in notebook.cells if c.metadata["model_advisor_step"] == "check")
    assert "## Check your data" in markdown and "USE_SUGGESTED_LENGTH = True" in markdown
    outputs = run_notebook(kernel, notebook)
    check = outputs["check"]
    assert "Tokenized all 6 rows with the tokenizer of" in check
    assert "Tokens per sample: p50 " in check and "max_length = 256 cuts 0 of 6 samples (0.0 %)." in check
    lengths = kernel.evaluate("sorted(lengths)")
    assert lengths == trained_lengths(kernel)
    # The chat template's tokens are counted: more than the words alone.
    assert min(lengths) > max(len(t.split()) for t in tiny.TEXTS)
    suggested = kernel.evaluate("suggested_length")
    assert suggested == lengths[-1]  # 95 % of 6 rows: the sixth
    assert "95 %% of your samples fit in %d tokens." % suggested in check
    # No time on a simulation (the CPU is not the T4), but the steps of one epoch at the plan's batch.
    assert "One epoch of 6 rows: 1 steps at batch" in check
    assert record(tmp_path) == {
        "kind": "model-advisor data check", "version": 1, "model": tiny_models("llama"), "max_length": 256,
        "rows": 6, "measured": 6, "percentiles": record(tmp_path)["percentiles"], "cut": 0,
        "suggested_length": suggested, "problems": 0}
    assert record(tmp_path)["percentiles"]["p100"] == lengths[-1]
    assert kernel.evaluate("trainer.args.max_length") == 256  # not opted in: the plan's length

    # Opting in: the flag flipped in the check cell, then the Train cell again.
    opted = run_cell(kernel, code_of(notebook, "check").replace("USE_SUGGESTED_LENGTH = False", "USE_SUGGESTED_LENGTH = True"))
    assert "USE_SUGGESTED_LENGTH is True: the Train cell will train at %d tokens instead of 256." % suggested in opted
    train = run_cell(kernel, code_of(notebook, "train"))
    assert "Training at %d tokens, the length the data check suggested" % suggested in train
    assert kernel.evaluate("trainer.args.max_length") == suggested


def test_text_rows_get_the_eos_token_as_the_trainer_appends_it(built_lib, tiny_models, kernel, tmp_path):
    """Plain text for a base model (no chat template): each text plus its end-of-text token, as
    SFTTrainer's dataset holds it, on the CPU recipe; chat rows for that tokenizer are one problem
    line, no suggestion, and a record that says there was a problem."""
    model = tiny_models("llama-base")
    data = tiny.write_dataset(str(tmp_path / "text.jsonl"), "text")
    notebook = render(tmp_path, model, "cpu", "lora", ["source", "check", "load", "lora", "train"], ["--dataset", data])
    outputs = run_notebook(kernel, notebook)
    lengths = kernel.evaluate("sorted(lengths)")
    assert lengths == trained_lengths(kernel)
    assert lengths == sorted(len(t.split()) + 1 for t in tiny.TEXTS)  # each text and its </s>
    # The CPU's smoke test trains at batch 1: six steps an epoch, and no time for a CPU.
    assert "One epoch of 6 rows: 6 steps at batch 1 × accumulation 1 (no time estimate on this runtime)." in outputs["check"]

    chat = tiny.write_dataset(str(tmp_path / "chat.jsonl"), "chat")
    notebook = render(tmp_path, model, "cpu", "lora", ["source", "check"], ["--dataset", chat])
    text = run_notebook(kernel, notebook)["check"]
    problems = [line for line in text.splitlines() if line.startswith("Problem: ")]
    assert problems == ["Problem: The rows are conversations, but this tokenizer has no chat template to format them: "
                        "use a dataset with a \"text\" column, or an Instruct or Chat model."]
    assert "Nothing was changed" in text and "fit in" not in text
    assert kernel.evaluate("suggested_length") is None
    assert record(tmp_path)["problems"] == 1 and record(tmp_path)["suggested_length"] is None


def test_classification_rows_are_measured_by_the_train_cells_own_tokenize(built_lib, tiny_models, kernel, tmp_path):
    data = tiny.write_dataset(str(tmp_path / "classification.jsonl"), "classification")
    notebook = render(tmp_path, tiny_models("bert"), "cpu", "lora", ["source", "check", "load", "lora", "train"],
                      ["--dataset", data, "--task", "classification"])
    assert "def tokenize(batch, max_length):" in code_of(notebook, "check")
    run_notebook(kernel, notebook)
    lengths = kernel.evaluate("sorted(lengths)")
    assert lengths == trained_lengths(kernel)
    assert lengths == sorted(len(t.split()) + 2 for t in tiny.TEXTS)  # [CLS] text [SEP]
    assert record(tmp_path)["suggested_length"] == lengths[-1]


def test_bad_data_is_one_line_per_problem_and_changes_nothing(built_lib, tiny_models, kernel, tmp_path):
    """A file that is not JSON lines, a file without the columns, empty rows and labels out of
    range — each a line of its own, in the user's language, and no suggested length; a larger
    dataset is measured on a sample of 2,000 rows and says so."""
    bert = tiny_models("bert")

    def check(rows_or_text, lang="en"):
        path = tmp_path / ("data%d.jsonl" % len(os.listdir(tmp_path)))
        if isinstance(rows_or_text, str):
            path.write_text(rows_or_text)
        else:
            write_jsonl(path, rows_or_text)
        notebook = render(tmp_path, bert, "cpu", "lora", ["source", "check"],
                          ["--dataset", str(path), "--task", "classification", "--lang", lang])
        text = run_notebook(kernel, notebook)["check"]
        return text, [line for line in text.splitlines() if line.startswith(("Problem: ", "問題："))]

    text, problems = check('{"text": "this sentence is positive", "label": 1}\n{"text": "broken\n')
    assert len(problems) == 1 and problems[0].startswith("Problem: The dataset %s did not load: " % (tmp_path / "data0.jsonl")), text
    assert "Nothing was changed: fix the problems above" in text and "Tokens per sample" not in text
    assert kernel.evaluate("suggested_length") is None and record(tmp_path)["rows"] is None

    text, problems = check([{"sentence": t} for t in tiny.TEXTS])
    assert problems == ["Problem: The dataset has none of the columns the Train cell reads (text + label); it has: sentence."]

    rows = [{"text": t, "label": i % 2} for i, t in enumerate(tiny.TEXTS)]
    rows[2]["text"] = "  "
    rows[4]["label"] = 5
    text, problems = check(rows, lang="zh-Hant")
    assert problems == ["問題：6 列中有 1 列是空的（第一個是第 2 列）：請刪除或補齊它們。",
                        "問題：有 1 列的標籤不是 0 到 1 之間的整數（第一個是第 4 列）。"], text
    assert "什麼都沒有改變" in text and kernel.evaluate("suggested_length") is None

    many = [{"text": tiny.TEXTS[i % 6], "label": i % 2} for i in range(2100)]
    text, problems = check(many)
    assert problems == [] and "Tokenized a random sample of 2,000 of the 2,100 rows" in text
    assert "One epoch of 2,100 rows: " in text and record(tmp_path)["measured"] == 2000
