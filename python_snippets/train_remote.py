# Fine-tune with transformers' Trainer, on the versions this model's repository
# states. The model's own code computes the loss from the "labels" below; TRL's
# SFTTrainer, which the other cells use, replaces that loss with its own, which
# this model's code does not support (the text above this cell says why).
# Each row of the dataset needs a "text" column, or "messages" (a chat), or
# "prompt" and "completion".
import torch
from datasets import Dataset, load_dataset
from transformers import Trainer, TrainingArguments

# A chat is written in the model's own format: its tokenizer's chat template,
# or (Baichuan 2) the role tokens its generation config names.
role_tokens = [getattr(model.generation_config, name, None) for name in ("user_token_id", "assistant_token_id")]
reads_chats = bool(tokenizer.chat_template) or None not in role_tokens
# >>> if SAMPLE
# Replace with your data: a few sample rows, in the form this model can read
# (conversations when it has a chat format, plain text without one). Set
# dataset_name to a Hugging Face dataset id or to your own .jsonl/.csv file.
dataset_name = None
if dataset_name is None:
    if reads_chats:
        sample_rows = __SAMPLE_CHAT__
    else:
        sample_rows = __SAMPLE_TEXT__
    dataset = Dataset.from_list(sample_rows)
elif dataset_name.endswith((".json", ".jsonl", ".csv")):
    dataset = load_dataset("csv" if dataset_name.endswith(".csv") else "json", data_files=dataset_name, split="train")
else:
    dataset = load_dataset(dataset_name, split="train")
# <<< SAMPLE
# >>> if DEFAULT_HUB
# Conversations ("messages") need the model's chat format; a model without one
# (a base model) trains on plain text instead. Or set your own dataset here.
dataset_name = __HUB_CHAT__ if reads_chats else __HUB_TEXT__
dataset = load_dataset(dataset_name, split="train")  # a dataset on the Hugging Face hub
# <<< DEFAULT_HUB
# >>> include _data
if "messages" in dataset.column_names and not reads_chats:
    raise ValueError("This dataset holds conversations (a \"messages\" column), but this model has no chat "
                     "format to write them in: use a dataset with a \"text\" column instead.")


def token_ids(text):
    return tokenizer(text, add_special_tokens=False)["input_ids"]


def to_example(row):
    # The token numbers, and the labels the loss compares them with: the model
    # learns to write each token of the labels; -100 marks context it only reads.
    if row.get("messages"):
        if tokenizer.chat_template:
            input_ids = token_ids(tokenizer.apply_chat_template(row["messages"], tokenize=False))
            labels = list(input_ids)
        else:
            input_ids, labels = [], []
            for message in row["messages"]:
                content = token_ids(message["content"])
                if message["role"] == "assistant":
                    input_ids += [role_tokens[1]] + content
                    labels += [-100] + content  # the answer is learned
                else:
                    input_ids += [role_tokens[0]] + content
                    labels += [-100] * (1 + len(content))  # the question is only read
            input_ids.append(tokenizer.eos_token_id)
            labels.append(tokenizer.eos_token_id)
    elif row.get("prompt") is not None:
        prompt = tokenizer(row["prompt"])["input_ids"]
        completion = token_ids(row["completion"]) + [tokenizer.eos_token_id]
        input_ids = prompt + completion
        labels = [-100] * len(prompt) + completion
    else:
        input_ids = tokenizer(row["text"])["input_ids"] + [tokenizer.eos_token_id]
        labels = list(input_ids)
    # Longer samples are cut here: the memory estimate assumed this length.
    return {"input_ids": input_ids[:__SEQ_LEN__], "labels": labels[:__SEQ_LEN__]}


dataset = dataset.map(to_example, remove_columns=dataset.column_names)


def pad_batch(rows):
    # The causal-LM collator: pad each batch to its longest example, on the right;
    # padding is hidden from attention (mask 0) and from the loss (-100).
    longest = max(len(row["input_ids"]) for row in rows)
    batch = {"input_ids": [], "attention_mask": [], "labels": []}
    for row in rows:
        missing = longest - len(row["input_ids"])
        batch["input_ids"].append(row["input_ids"] + [tokenizer.pad_token_id] * missing)
        batch["attention_mask"].append([1] * len(row["input_ids"]) + [0] * missing)
        batch["labels"].append(row["labels"] + [-100] * missing)
    return {name: torch.tensor(values) for name, values in batch.items()}


training_args = TrainingArguments(
    output_dir=__OUTPUT_DIR__,  # checkpoint-N folders while training; the last cell saves the result here
    per_device_train_batch_size=__BATCH__,
    gradient_accumulation_steps=__GRAD_ACCUM__,  # the effective batch is batch x accumulation
    max_steps=__MAX_STEPS__,  # a first, short run; -1 means one pass over the dataset
    learning_rate=__LEARNING_RATE__,
    optim=__OPTIMIZER__,
    gradient_checkpointing=__CHECKPOINTING__,  # recompute activations in the backward pass (transformers 4's name)
    gradient_checkpointing_kwargs={"use_reentrant": False},
    bf16=__BF16__,  # bfloat16 mixed precision: only on GPUs of compute capability 8.0+
    fp16=__FP16__,  # float16 mixed precision: for older GPUs such as the T4
# >>> if CPU
# >>> if SIMULATE
    use_cpu=True,  # the simulation: the GPU's recipe, run on this CPU
# <<< SIMULATE
# >>> unless SIMULATE
    use_cpu=True,  # no GPU in this runtime: train on the CPU (slow; fine for a smoke test)
# <<< SIMULATE
# <<< CPU
    logging_steps=1,
    logging_nan_inf_filter=False,  # log a nan or infinite loss as it is: the guard below stops on it
    save_strategy="steps",  # a checkpoint every save_steps: a disconnected session keeps its work
    save_steps=__SAVE_STEPS__,
    save_total_limit=1,  # only the latest checkpoint is kept on disk
    include_num_input_tokens_seen=True,  # count the tokens trained on, for the speed printed after training
    remove_unused_columns=False,  # pad_batch builds exactly the columns the model reads
    report_to="none",
)
model.config.use_cache = False  # no generation cache while training
trainer = Trainer(
    model=model,
    args=training_args,
    train_dataset=dataset,
    data_collator=pad_batch,
)
# >>> include _train_run
