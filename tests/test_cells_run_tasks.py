"""The guide's other two tasks, run as a learner runs them (issue 18 items 12 and 13): named-entity
recognition and extractive question answering on a tiny BERT, and generative question answering on a
tiny decoder and encoder–decoder — each with the built-in sample rows (no dataset) and with a local
.jsonl of the Hugging Face form, on the CPU recipe and the T4 (fp16) and A100 (bf16) recipes simulated
on the CPU, in a real IPython kernel. The tiny models and the kernel helpers are the matrix's
(tests/tiny_models.py, tests/test_cells_run.py)."""
import json
import os

import pytest

import tiny_models as tiny
from test_cells_run import COMPUTE, kernel, render, run_cell, run_notebook  # noqa: F401 (kernel is a fixture)

MSRA_TAGS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]

# NER rows in the Hugging Face form. "fine-tuning" is one word the tiny tokenizer cuts into three
# pieces ("fine", "-", "tuning"): only the first may carry the word's tag.
NER_ROWS = [
    {"tokens": ["alice", "explains", "fine-tuning", "in", "london"], "ner_tags": [1, 0, 0, 0, 5]},
    {"tokens": ["the", "model", "learns", "in", "paris"], "ner_tags": [0, 0, 0, 0, 5]},
    {"tokens": ["bob", "smith", "is", "happy"], "ner_tags": ["B-PER", "I-PER", "O", "O"]},  # tags by name work too
]


def write_jsonl(path, rows):
    with open(path, "w") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return str(path)


def qa_rows():
    """SQuAD-form rows over the tiny vocabulary; the first context is long enough to be cut into windows."""
    long_context = " ".join(tiny.TEXTS)  # 40 words
    answer = "four bits each"
    rows = [{"question": "what is quantized", "context": long_context,
             "answers": {"text": [answer], "answer_start": [long_context.index(answer)]}}]
    for text in tiny.TEXTS[:4]:
        answer = " ".join(text.split()[-2:])
        rows.append({"question": "what is " + text.split()[1], "context": text,
                     "answers": {"text": [answer], "answer_start": [text.index(answer)]}})
    return rows


def markdown_of(notebook, step):
    return "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown" and c.metadata["model_advisor_step"] == step)


def steps_for(method):
    steps = ["source", "quantize", "load", "lora", "train", "try", "save"]
    if method != "qlora":
        steps.remove("quantize")
    if method == "full":
        steps.remove("lora")
    return steps


@pytest.mark.parametrize("gpu,method,data", [
    ("cpu", "lora", "sample-zh"),
    ("t4", "qlora", "file"),
    ("a100-40gb", "full", "sample-en"),
])
def test_ner_cells_train_a_tagger_and_find_entities(gpu, method, data, built_lib, tiny_models, kernel, tmp_path):
    extra = ["--task", "ner", "--data-lang", "zh" if data == "sample-zh" else "en"]
    if data == "file":
        extra += ["--dataset", write_jsonl(tmp_path / "ner.jsonl", NER_ROWS)]
    notebook = render(tmp_path, tiny_models("bert"), gpu, method, steps_for(method), extra)
    assert "Named-entity recognition" in markdown_of(notebook, "train")
    outputs = run_notebook(kernel, notebook)

    # The head is a token classifier with the tag set, by name.
    assert kernel.evaluate("type(model.get_base_model() if hasattr(model, 'get_base_model') else model).__name__") == "BertForTokenClassification"
    assert kernel.evaluate("[model.config.id2label[i] for i in range(model.config.num_labels)]") == MSRA_TAGS
    want = "torch.float32" if method == "full" else COMPUTE[gpu]
    assert kernel.evaluate("str(model.get_input_embeddings().weight.dtype)") == want
    # Scored after training: seqeval is not installed here, so the share of words tagged right.
    assert "Token accuracy:" in outputs["train"]
    if data == "file":
        # Labels aligned to pieces: [CLS] -100; "alice" B-PER; "explains" O; "fine-tuning" O, then its two other pieces -100.
        labels = kernel.evaluate("[r['labels'] for r in dataset][0]")
        assert labels[:6] == [-100, 1, 0, 0, -100, -100], labels
        assert labels[-1] == -100  # [SEP]
        # Tags given by name are numbered by the load cell's label_names.
        assert kernel.evaluate("[r['labels'] for r in dataset][2]") == [-100, 1, 2, 0, 0, -100]
    # "Try it" tags every word of the sentence (one character per word for Chinese data).
    words = kernel.evaluate("words")
    assert len(words) > 5 and kernel.evaluate("len(tags)") == len(words)
    if data == "sample-zh":
        assert all(len(w) == 1 for w in words)
    assert "Tags:" in outputs["try"]
    assert "Saved to" in outputs["save"]
    if method != "full":
        save_cell = [c.source for c in notebook.cells if c.cell_type == "code" and c.metadata["model_advisor_step"] == "save"][0]
        text = run_cell(kernel, save_cell.replace("merge_now = False", "merge_now = True"))
        assert "Merged model saved to" in text
        with open(os.path.join(str(tmp_path / "saved") + "-merged", "config.json")) as f:
            merged = json.load(f)
        assert [merged["id2label"][str(i)] for i in range(len(MSRA_TAGS))] == MSRA_TAGS


@pytest.mark.parametrize("gpu,method,data", [
    ("t4", "lora", "sample-zh"),
    ("cpu", "full", "file"),
    ("a100-40gb", "qlora", "sample-en"),
])
def test_extractive_qa_cells_point_at_an_answer_inside_the_context(gpu, method, data, built_lib, tiny_models, kernel, tmp_path):
    extra = ["--task", "qa", "--data-lang", "zh" if data == "sample-zh" else "en"]
    if data == "file":
        # 32 tokens: the long context becomes several windows that overlap by a third of that.
        extra += ["--dataset", write_jsonl(tmp_path / "qa.jsonl", qa_rows()), "--seq-len", "32"]
    notebook = render(tmp_path, tiny_models("bert"), gpu, method, steps_for(method), extra)
    assert "Extractive question answering" in markdown_of(notebook, "train")
    outputs = run_notebook(kernel, notebook)

    assert kernel.evaluate("type(model.get_base_model() if hasattr(model, 'get_base_model') else model).__name__") == "BertForQuestionAnswering"
    if data == "file":
        assert "stride=10," in [c.source for c in notebook.cells if c.metadata["model_advisor_step"] == "train" and c.cell_type == "code"][0]
        windows = kernel.evaluate("len(dataset)")
        assert windows > len(qa_rows())  # the long context was cut into windows
        # Every window that holds the answer points at exactly its tokens; the others at [CLS].
        spans = kernel.evaluate("[tokenizer.decode(r['input_ids'][r['start_positions']:r['end_positions'] + 1]) for r in dataset]")
        assert spans.count("four bits each") >= 1 and spans.count("[CLS]") >= 1, spans
        for text in tiny.TEXTS[:4]:
            assert " ".join(text.split()[-2:]) in spans
    answer = kernel.evaluate("answer")
    assert answer and answer in kernel.evaluate("context")
    assert "Answer: " + answer in outputs["try"]
    assert "Saved to" in outputs["save"]


@pytest.mark.parametrize("variant,gpu,method,kind", [
    ("llama", "t4", "lora", "decoder"),
    ("t5", "cpu", "full", "encoder-decoder"),
])
def test_a_generative_model_asked_for_qa_writes_its_answer_and_says_why(variant, gpu, method, kind, built_lib, tiny_models, kernel, tmp_path):
    notebook = render(tmp_path, tiny_models(variant), gpu, method, steps_for(method), ["--task", "qa", "--data-lang", "zh"])
    train_md = markdown_of(notebook, "train")
    assert "Generative question answering" in train_md and "extractive kind is for encoders" in train_md
    outputs = run_notebook(kernel, notebook)
    # It trained on the QA-shaped sample rows: a context and a question as the prompt, the answer as the reply.
    code = [c.source for c in notebook.cells if c.cell_type == "code" and c.metadata["model_advisor_step"] == "train"][0]
    assert "根据下面的内容回答问题" in code and "长城的总长度是多少" in code
    # "Try it" asks a question about a context, and the model generated.
    assert "问题" in kernel.evaluate("prompt")
    assert kernel.evaluate('int(output.shape[1] > (1 if %r else inputs["input_ids"].shape[1]))' % (kind == "encoder-decoder")) == 1
    assert "Saved to" in outputs["save"]
