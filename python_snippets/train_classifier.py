# Fine-tune the classifier with transformers' Trainer.
# Each row of the dataset needs a "text" column and an integer "label" column.
import torch
from datasets import Dataset, load_dataset
from transformers import DataCollatorWithPadding, Trainer, TrainingArguments

# >>> if SAMPLE
# Replace with your data: a few sample rows, to show the columns this cell reads.
# Set dataset_name to a Hugging Face dataset id or to your own .jsonl/.csv file.
dataset_name = None
if dataset_name is None:
    dataset = Dataset.from_list(__SAMPLE_ROWS__)
elif dataset_name.endswith((".json", ".jsonl", ".csv")):
    dataset = load_dataset("csv" if dataset_name.endswith(".csv") else "json", data_files=dataset_name, split="train")
else:
    dataset = load_dataset(dataset_name, split="train")
# <<< SAMPLE
# >>> if DEFAULT_HUB
dataset_name = __HUB_DATASET__  # or a dataset of yours: a hub id, or a .jsonl/.csv file
dataset = load_dataset(dataset_name, split="train")  # a dataset on the Hugging Face hub
# <<< DEFAULT_HUB
# >>> if LOCAL_DATA
dataset_name = __DATASET__
dataset = load_dataset(__DATA_FORMAT__, data_files=dataset_name, split="train")  # a file on this machine
# <<< LOCAL_DATA
# >>> if HUB_DATA
dataset_name = __DATASET__
dataset = load_dataset(dataset_name, split="train")  # a dataset on the Hugging Face hub
# <<< HUB_DATA


def tokenize(batch):
    # Longer texts are cut here: the memory estimate assumed this length.
    return tokenizer(batch["text"], truncation=True, max_length=__SEQ_LEN__)


dataset = dataset.map(tokenize, batched=True)

training_args = TrainingArguments(
    output_dir=__OUTPUT_DIR__,  # checkpoint-N folders while training; the last cell saves the result here
    per_device_train_batch_size=__BATCH__,
    gradient_accumulation_steps=__GRAD_ACCUM__,  # the effective batch is batch x accumulation
    max_steps=__MAX_STEPS__,  # a first, short run; -1 means one pass over the dataset
    learning_rate=__LEARNING_RATE__,
    optim=__OPTIMIZER__,
    activation_checkpointing=__CHECKPOINTING__,  # recompute activations in the backward pass (the old name: gradient_checkpointing)
    activation_checkpointing_kwargs={"use_reentrant": False},
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
    save_strategy="steps",  # a checkpoint every save_steps: a disconnected session keeps its work
    save_steps=__SAVE_STEPS__,
    save_total_limit=1,  # only the latest checkpoint is kept on disk
    report_to="none",
)
trainer = Trainer(
    model=model,
    args=training_args,
    train_dataset=dataset,
    processing_class=tokenizer,
    data_collator=DataCollatorWithPadding(tokenizer),  # pads each batch to its longest text
)
if torch.cuda.is_available():
    for device in range(torch.cuda.device_count()):
        torch.cuda.reset_peak_memory_stats(device)  # measure the peak of training alone
# >>> if CPU_FP16
# A GPU trains fp16 under autocast; accelerate does not autocast fp16 on a CPU
# (only bf16), so the simulation wraps training in the autocast the GPU would use.
with torch.autocast("cpu", dtype=torch.float16):
    train_result = trainer.train()
# <<< CPU_FP16
# >>> unless CPU_FP16
train_result = trainer.train()
# <<< CPU_FP16
