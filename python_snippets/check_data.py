# Check your data before training: tokenize it as the Train cell will, with this
# model's own tokenizer (and its chat template), and measure it against max_length.
# This cell changes nothing about the training unless you opt in below.
import json
import math
import os
import random

from datasets import Dataset, load_dataset
from transformers import AutoTokenizer
# >>> if SFT
from trl import is_conversational, maybe_convert_to_chatml
# <<< SFT

# >>> if OPT_IN
USE_SUGGESTED_LENGTH = False  # True, then run this cell again: the Train cell trains at the suggested length
# <<< OPT_IN
SAMPLE_SIZE = 2000  # a larger dataset is measured on a random sample of this many rows
max_length = __SEQ_LEN__  # the plan's length: the memory estimate assumed it
said = __MESSAGES__  # what this cell prints, in your language
# >>> if DEFINE_PATH
model_path = __MODEL_PATH__  # a Hugging Face id (downloaded on first use) or a folder on this machine
# <<< DEFINE_PATH
# >>> include _tokenizer

problems = []  # one line per problem; with any, nothing is suggested
try:
    # The same data as the Train cell: if you set dataset_name, set it in both cells.
    dataset = dataset_name = None
# >>> if SFT
    # >>> include _sft_rows
# <<< SFT
# >>> if TEXT
    # >>> include _classify_rows
# <<< TEXT
# >>> if PLAIN_ROWS
    # >>> include _sample_rows
    # >>> include _data
# <<< PLAIN_ROWS
except Exception as error:  # a dataset id that does not load, a file in the wrong format
    reason = str(error).strip().splitlines()[0][:300] if str(error).strip() else type(error).__name__
    problems.append(said["load"].format(name=dataset_name, error=reason))
    dataset = None


def blank(value):
    return value is None or (isinstance(value, (str, list)) and not (value.strip() if isinstance(value, str) else value))


rows, form = None, None
if dataset is not None:
    # The columns the Train cell reads: any one of these forms.
    forms = [form for form in __COLUMNS__ if all(c in dataset.column_names for c in form)]
    if not forms:
        needed = " / ".join(" + ".join(form) for form in __COLUMNS__)
        problems.append(said["columns"].format(needed=needed, found=", ".join(dataset.column_names)))
    elif len(dataset) == 0:
        problems.append(said["no_rows"])
    else:
        form = forms[0]
        row_ids = range(len(dataset))  # the rows measured, by their number in the dataset
        if len(dataset) > SAMPLE_SIZE:
            row_ids = sorted(random.Random(0).sample(row_ids, SAMPLE_SIZE))
        rows = dataset.select(row_ids)

lengths = []
if rows is not None:
    empty = [i for i, row in enumerate(rows) if any(blank(row[c]) for c in form)]
    if empty:
        problems.append(said["empty"].format(count=f"{len(empty):,}", total=f"{len(rows):,}", row=row_ids[empty[0]]))
    left_out = set(empty)
    kept = rows.select([i for i in range(len(rows)) if i not in left_out])
    kept_ids = [row_ids[i] for i in range(len(rows)) if i not in left_out]
# >>> if SFT
    # TRL's SFTTrainer formats each row the same way: "conversations" (from/value)
    # become "messages"; a conversation goes through the chat template; plain text
    # (or a completion) gets the end-of-text token appended; a prompt counts with
    # its completion.
    def template_options(example):
        tools = example.get("tools")
        return {"tools": json.loads(tools) if isinstance(tools, str) else tools, **(example.get("chat_template_kwargs") or {})}

    def sft_ids(example):
        example = maybe_convert_to_chatml(dict(example))
        eos = tokenizer.eos_token
        if "prompt" in example and "completion" in example:
            if is_conversational(example):
                return tokenizer.apply_chat_template(example["prompt"] + example["completion"], tokenize=True,
                                                     return_dict=True, **template_options(example))["input_ids"]
            completion = example["completion"] if example["completion"].endswith(eos) else example["completion"] + eos
            return tokenizer(text=example["prompt"] + completion)["input_ids"]
        if is_conversational(example):
            return tokenizer.apply_chat_template(example["messages"], tokenize=True, return_dict=True,
                                                 **template_options(example))["input_ids"]
        return tokenizer(text=example["text"] if example["text"].endswith(eos) else example["text"] + eos)["input_ids"]

    conversations = len(kept) > 0 and is_conversational(maybe_convert_to_chatml(dict(kept[0])))
    if conversations and not tokenizer.chat_template:
        problems.append(said["no_template"])
    else:
        failed = []
        for i, example in enumerate(kept):
            try:
                lengths.append(len(sft_ids(example)))
            except Exception as error:  # a row the chat template or the tokenizer refuses
                failed.append((i, f"{type(error).__name__}: {error}".splitlines()[0][:200]))
        if failed:
            problems.append(said["failed"].format(count=f"{len(failed):,}", row=kept_ids[failed[0][0]], error=failed[0][1]))
# <<< SFT
# >>> if TEXT
    # >>> include _tokenize_text
    bad = [i for i, label in enumerate(kept["label"]) if not (isinstance(label, int) and 0 <= label < __NUM_LABELS__)]
    if bad:
        problems.append(said["labels"].format(count=f"{len(bad):,}", row=kept_ids[bad[0]]))
    encoded = kept.map(tokenize, batched=True, fn_kwargs={"max_length": None})
    lengths = [len(ids) for ids in encoded["input_ids"]]
# <<< TEXT
# >>> if PAIRS
    # >>> include _tokenize_pairs
    encoded = kept.map(tokenize, batched=True, fn_kwargs={"max_length": None}, remove_columns=kept.column_names)
    # Inputs and targets are both cut at max_length: the longer of the two counts.
    lengths = [max(len(ids), len(labels)) for ids, labels in zip(encoded["input_ids"], encoded["labels"])]
# <<< PAIRS
# >>> if WORDS
    # >>> include _tokenize_words
    bad = [i for i, (words, tags) in enumerate(zip(kept["tokens"], kept["ner_tags"])) if len(words) != len(tags)]
    if bad:
        problems.append(said["tags"].format(count=f"{len(bad):,}", row=kept_ids[bad[0]]))
    encoded = kept.map(encode_words, batched=True, fn_kwargs={"max_length": None}, remove_columns=kept.column_names)
    lengths = [len(ids) for ids in encoded["input_ids"]]
# <<< WORDS
# >>> if QA
    # >>> include _qa_pairs
    lengths = [len(ids) for ids in tokenizer(*question_and_context(kept[:]))["input_ids"]]
# <<< QA

suggested_length = None
if lengths:
    ordered = sorted(lengths)

    def percentile(share):
        return ordered[max(0, math.ceil(share / 100 * len(ordered)) - 1)]

    longer = sum(length > max_length for length in lengths)
    if len(rows) < len(dataset):
        print(said["sampled"].format(count=f"{len(rows):,}", total=f"{len(dataset):,}"))
    else:
        print(said["measured"].format(count=f"{len(rows):,}"))
    print(said["lengths"].format(**{f"p{q}": f"{percentile(q):,}" for q in (50, 90, 95, 99)}, max=f"{ordered[-1]:,}"))
    share = f"{100 * longer / len(lengths):.1f}"
    print(said["cut"].format(length=f"{max_length:,}", count=f"{longer:,}", total=f"{len(lengths):,}", share=share))

    # A small histogram of the lengths: a plot with matplotlib, else a text one.
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        plt = None
    if plt is not None:
        figure, axes = plt.subplots(figsize=(6, 2.5))
        axes.hist(lengths, bins=30)
        axes.axvline(max_length, color="tab:red", label=f"max_length {max_length:,}")
        axes.axvline(percentile(95), color="tab:green", linestyle="--", label=f"95 %: {percentile(95):,}")
        axes.set_xlabel("tokens")
        axes.legend()
        plt.show()
    else:
        low, span = ordered[0], ordered[-1] - ordered[0] + 1
        width = math.ceil(span / min(10, span))
        counts = [0] * math.ceil(span / width)
        for length in lengths:
            counts[(length - low) // width] += 1
        for k, count in enumerate(counts):
            start = low + k * width
            print(f"{start:>8,} - {start + width - 1:>8,} | {'#' * round(30 * count / max(counts)):<30} {count:,}")

    # One epoch at the plan's batch: each batch is padded to its longest sample (cut at
    # max_length), and the padding is computed too.
    batch, accumulation, processes = __BATCH__, __GRAD_ACCUM__, __PROCESSES__
    steps_per_epoch = math.ceil(math.ceil(len(dataset) / (batch * processes)) / accumulation)
    shuffled = random.Random(0).sample(lengths, len(lengths))
    padded = sum(len(shuffled[k:k + batch]) * min(max(shuffled[k:k + batch]), max_length)
                 for k in range(0, len(shuffled), batch))
    epoch_tokens = padded * len(dataset) / len(lengths)
    tokens_per_second = __TOKENS_PER_SECOND__  # the advisor's estimate for this GPU; None: no estimate here
    epoch_seconds = None if tokens_per_second is None else epoch_tokens / tokens_per_second
    if epoch_seconds is None:
        print(said["epoch_steps"].format(rows=f"{len(dataset):,}", steps=f"{steps_per_epoch:,}"))
    else:
        minutes = round(epoch_seconds / 60)
        epoch_time = (said["time_s"].format(n=max(1, round(epoch_seconds))) if epoch_seconds < 60
                else said["time_min"].format(n=minutes) if minutes < 60
                else said["time_h"].format(h=minutes // 60) if minutes % 60 == 0
                else said["time_hmin"].format(h=minutes // 60, m=minutes % 60))
        print(said["epoch"].format(rows=f"{len(dataset):,}", steps=f"{steps_per_epoch:,}", time=epoch_time))
# >>> if SESSION
        if epoch_seconds > 0.9 * __SESSION_SECONDS__:
            print(said["session"].format(time=epoch_time))
# <<< SESSION

    if not problems:
        suggested_length = percentile(95)
        print(said["suggest"].format(length=f"{suggested_length:,}"))
        if suggested_length > max_length:
            print(said["longer"].format(planned=f"{max_length:,}"))
# >>> if OPT_IN
        if USE_SUGGESTED_LENGTH:
            print(said["opted_in"].format(length=f"{suggested_length:,}", planned=f"{max_length:,}"))
        else:
            print(said["opt_in"].format(length=f"{suggested_length:,}"))
# <<< OPT_IN
# >>> unless OPT_IN
        print(said["offer"])
# <<< OPT_IN
for problem in problems:
    print(said["problem"].format(problem=problem))
if problems:
    print(said["unchanged"])

# A small record for the sidebar, which offers the suggested length back: only
# figures, no text from your data.
record_path = os.path.join(__OUTPUT_DIR__, "data_check.json")
os.makedirs(os.path.dirname(record_path), exist_ok=True)
with open(record_path, "w") as record_file:
    json.dump({
        "kind": "model-advisor data check", "version": 1, "model": __MODEL_ID__, "max_length": max_length,
        "rows": None if dataset is None else len(dataset), "measured": len(lengths),
        "percentiles": {f"p{q}": percentile(q) for q in (50, 90, 95, 99, 100)} if lengths else None,
        "cut": sum(length > max_length for length in lengths), "suggested_length": suggested_length,
        "problems": len(problems),
    }, record_file)
